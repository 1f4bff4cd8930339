// What the network deletes of a destroy came to, read from the emulator's request log: for each vSwitch, security
// group and VPC, its delete calls in order (first call accepted or not, retries), the DependencyViolation answers
// of the whole run.
import type { EmulatorAdmin } from "../../emulator/admin-client";
import type { RequestLogEntry } from "../../emulator/core/server";

const DELETES: Record<string, string> = { DeleteVSwitch: "VSwitchId", DeleteSecurityGroup: "SecurityGroupId", DeleteVpc: "VpcId" };

export interface NetworkDelete {
  action: string;
  id: string;
  calls: number;
  /** Answers of the calls in order: "OK" or the error code. */
  answers: string[];
  firstCallOk: boolean;
  deleted: boolean;
}

export interface NetworkDeleteStats {
  deletes: NetworkDelete[];
  /** Network resources whose first delete call was accepted. */
  firstCallOk: number;
  /** Delete calls beyond the first, over all network resources. */
  retries: number;
  /** Answers with a DependencyViolation* code, any action. */
  dependencyViolations: number;
}

export function networkDeleteStats(log: RequestLogEntry[]): NetworkDeleteStats {
  const byId = new Map<string, NetworkDelete>();
  for (const e of log) {
    const key = e.action ? DELETES[e.action] : undefined;
    const id = key ? e.params[key] : undefined;
    if (!key || !id) continue;
    const d = byId.get(id) ?? { action: e.action!, id, calls: 0, answers: [], firstCallOk: false, deleted: false };
    d.calls++;
    d.answers.push(e.status === 200 ? "OK" : (e.code ?? String(e.status)));
    d.firstCallOk = d.answers[0] === "OK";
    d.deleted ||= e.status === 200;
    byId.set(id, d);
  }
  const deletes = [...byId.values()];
  return {
    deletes,
    firstCallOk: deletes.filter((d) => d.firstCallOk).length,
    retries: deletes.reduce((n, d) => n + d.calls - 1, 0),
    dependencyViolations: log.filter((e) => e.code?.startsWith("DependencyViolation")).length,
  };
}

/** Network resources a stack created that the emulator still holds (its default network left out): their ids. */
export async function leftoverNetwork(admin: EmulatorAdmin): Promise<string[]> {
  const view = await admin.network({ includeDefault: false });
  return [...view.vpcs, ...view.vSwitches, ...view.securityGroups].map((r) => r.id);
}
