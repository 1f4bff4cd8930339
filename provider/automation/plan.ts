// `alicloud-release plan`: what `destroy` will do with each of this package's resources in a stack, from live
// describe calls and the release lifecycles' own decisions (provider/<product>/decision.ts), with no call that
// changes anything. Where the API has a dry run (ECS StopInstances / DeleteInstances DryRun=true) it says whether
// the credentials are allowed to do it.
import { checkCredentials } from "../core/clients";
import { deleteOptionsFrom } from "../core/options";
import { resolveRegion } from "../core/settings";
import { Deadline } from "../core/timing";
import * as ecsApi from "../ecs/api";
import { decideEcsRelease } from "../ecs/decision";
import * as ddsApi from "../mongodb/api";
import { decideMongoRelease } from "../mongodb/decision";
import { isStandaloneClass, RECYCLE_BIN_DAYS } from "../mongodb/release";
import * as kvApi from "../redis/api";
import { decideRedisRelease, recycleBinUntil } from "../redis/decision";
import { redisDeleteOptionsFrom } from "../redis/inputs";
import { loadStack, StackResource, StackSourceOptions } from "./stack";

export type PlanOutcome = "release" | "refuse" | "retain" | "wait-for-lock" | "recycle-bin" | "gone" | "releasing" | "denied";

export interface PlannedInstance {
  instanceId: string;
  outcome: PlanOutcome;
  /** The calls destroy will make, in order. */
  steps: string[];
  /** Why, in words (the refusal, the expiry, the lock). */
  detail: string;
  /** Until when the outcome holds: subscription expiry, recycle-bin end, the latest the lock wait lasts. */
  until?: string;
  /** How long the release usually takes (seconds). */
  typicalSeconds?: number;
  /** ECS dry runs: "allowed", or the code the API refused the call with. */
  permissions?: Record<string, string>;
}

export interface PlannedResource {
  urn: string;
  name: string;
  kind: string;
  regionId: string;
  /** The resource's worst instance outcome. */
  outcome: PlanOutcome;
  instances: PlannedInstance[];
  /** True when destroy will leave this resource (in the state or billing in the cloud). */
  leaves: boolean;
}

export interface PlanResult {
  project: string;
  stack: string;
  resources: PlannedResource[];
  /** Resources of other packages in the stack, which this plan does not judge. */
  otherResources: number;
  leavesSomething: boolean;
}

export interface PlanOptions extends StackSourceOptions {
  onProgress?: (line: string) => void;
}

/** Usual durations against the cloud (the emulator's realistic defaults plus polling; README benchmark). */
const TYPICAL = { ecsStopRelease: 45, ecsRelease: 15, mongo: 75, redisBin: 30, redisPurge: 15 };
const LEAVES: PlanOutcome[] = ["refuse", "retain", "denied"];
const SEVERITY: PlanOutcome[] = ["denied", "refuse", "retain", "wait-for-lock", "releasing", "release", "recycle-bin", "gone"];

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + "Z";
const DESCRIBE_DEADLINE_SECONDS = 120;

export async function plan(o: PlanOptions): Promise<PlanResult> {
  const snap = await loadStack(o);
  await checkCredentials();
  const resources: PlannedResource[] = [];
  for (const r of snap.resources) {
    o.onProgress?.(`${r.kind} ${r.name}: describing ${r.instanceIds.join(", ") || "(no instance id)"}`);
    const regionId = r.regionId ?? resolveRegion();
    const instances = await planResource(r, regionId);
    const outcome = SEVERITY.find((s) => instances.some((i) => i.outcome === s)) ?? "gone";
    resources.push({ urn: r.urn, name: r.name, kind: r.kind, regionId, outcome, instances, leaves: instances.some((i) => LEAVES.includes(i.outcome)) });
  }
  return { project: snap.project, stack: snap.stack, resources, otherResources: snap.total - snap.resources.length, leavesSomething: resources.some((r) => r.leaves) };
}

function planResource(r: StackResource, regionId: string): Promise<PlannedInstance[]> {
  if (r.instanceIds.length === 0) {
    return Promise.resolve([{ instanceId: r.id || "(none)", outcome: "refuse", steps: [], detail: "the stored state has no instance id, so destroy cannot release anything" }]);
  }
  if (r.product === "ecs") return planEcs(r, regionId);
  if (r.product === "mongodb") return planMongo(r, regionId);
  return planRedis(r, regionId);
}

async function planEcs(r: StackResource, regionId: string): Promise<PlannedInstance[]> {
  const deadline = Deadline.seconds(DESCRIBE_DEADLINE_SECONDS);
  const options = deleteOptionsFrom(r.outputs);
  const states = await ecsApi.describe(regionId, r.instanceIds, deadline, r.kind);
  const planned = r.instanceIds.map((id): PlannedInstance => {
    const s = states.get(id);
    if (!s) return { instanceId: id, outcome: "gone", steps: [], detail: "already released (DescribeInstances does not list it)" };
    const d = decideEcsRelease(s, options);
    if (d.kind === "refuse") return { instanceId: id, outcome: "refuse", steps: [], detail: d.reason.replace(`${id}: `, ""), until: s.chargeType === "PrePaid" ? s.expiredTime : undefined };
    if (d.kind === "retain") {
      return { instanceId: id, outcome: "retain", steps: [], detail: `subscription not expired: left running and dropped from state (onSubscription: "retain"); billed until ${d.expiredTime ?? "it expires"}`, until: d.expiredTime };
    }
    const steps = [
      ...(d.unprotect ? ["ModifyInstanceAttribute DeletionProtection=false"] : []),
      ...(d.convert ? ["ModifyInstanceChargeType PostPaid"] : []),
      ...(d.stop ? ["StopInstances"] : []),
      `DeleteInstances${options.force ? " Force=true" : ""}${d.terminate ? " TerminateSubscription=true" : ""}`,
    ];
    const detail = [
      d.stop ? "graceful stop, then release" : options.force ? "released at once (force)" : "already stopped: released",
      d.terminate ? "expired subscription" : "",
      d.securityLocked ? "locked for security: its disks are released with it" : "",
    ].filter(Boolean).join("; ");
    return { instanceId: id, outcome: "release", steps, detail, typicalSeconds: d.stop ? TYPICAL.ecsStopRelease : TYPICAL.ecsRelease };
  });
  await ecsDryRuns(regionId, planned.filter((p) => p.outcome === "release"), deadline, r.kind);
  return planned;
}

/**
 * StopInstances / DeleteInstances with DryRun=true, through the release's own permission check (ecs/api.ts): a
 * denial (Forbidden.RAM and the like) means destroy would fail on it; nothing changes either way. Both are asked,
 * though the release itself asks only what comes after its first change (a denied first change changes nothing):
 * plan is there to find every denial before destroy is run.
 */
async function ecsDryRuns(regionId: string, toRelease: PlannedInstance[], deadline: Deadline, resource: string): Promise<void> {
  if (toRelease.length === 0) return;
  const check = async (action: ecsApi.CheckedAction, ids: string[]): Promise<Map<string, string>> => {
    const answers = await Promise.all(ecsApi.checkPermission(regionId, action, ids, deadline, resource));
    return new Map(ids.map((id, i) => [id, answers[i].denial ? answers[i].denial.code : "allowed"]));
  };
  const stops = await check("StopInstances", toRelease.filter((p) => p.steps.includes("StopInstances")).map((p) => p.instanceId));
  const deletes = await check("DeleteInstances", toRelease.map((p) => p.instanceId));
  for (const p of toRelease) {
    p.permissions = { ...(stops.has(p.instanceId) ? { StopInstances: stops.get(p.instanceId)! } : {}), DeleteInstances: deletes.get(p.instanceId)! };
    const denied = Object.entries(p.permissions).filter(([, v]) => v !== "allowed");
    if (denied.length > 0) {
      p.outcome = "denied";
      p.detail = `the credentials may not: ${denied.map(([a, c]) => `${a} (${c})`).join(", ")}`;
    }
  }
}

async function planMongo(r: StackResource, regionId: string): Promise<PlannedInstance[]> {
  const id = r.instanceIds[0];
  const options = { ...deleteOptionsFrom(r.outputs), force: false };
  const c = { deadline: Deadline.seconds(DESCRIBE_DEADLINE_SECONDS), resource: r.kind };
  const s = await ddsApi.describe(regionId, id, c);
  const d = decideMongoRelease(s, options);
  switch (d.kind) {
    case "gone":
      return [{ instanceId: id, outcome: "gone", steps: [], detail: `already released (${d.why})` }];
    case "releasing":
      return [{ instanceId: id, outcome: "releasing", steps: [], detail: "already being released (Deleting): destroy waits until it is gone", typicalSeconds: TYPICAL.mongo }];
    case "refuse":
      return [{ instanceId: id, outcome: "refuse", steps: [], detail: d.reason, until: "expireTime" in s ? s.expireTime : undefined }];
    case "retain":
      return [{ instanceId: id, outcome: "retain", steps: [], detail: `subscription not expired: left running and dropped from state (onSubscription: "retain"); billed until ${d.expireTime ?? "it expires"}`, until: d.expireTime }];
    default:
      if (d.action === "DeleteDBInstance") {
        const standalone = "dbInstanceClass" in s && isStandaloneClass(s.dbInstanceClass);
        const bin = standalone ? "a standalone instance: not kept in the recycle bin" : `then kept in the recycle bin (not billed) until about ${iso(Date.now() + RECYCLE_BIN_DAYS * 86_400_000)}`;
        return [{ instanceId: id, outcome: "release", steps: [...(d.unprotect ? ["ModifyDBInstanceAttribute releaseProtection=false"] : []), "DeleteDBInstance"], detail: `pay-as-you-go: released, ${bin}`, typicalSeconds: TYPICAL.mongo }];
      }
      if (d.waitForLock) {
        const until = iso(Date.now() + options.deleteTimeoutSeconds * 1000);
        return [{
          instanceId: id, outcome: "wait-for-lock", steps: ["(wait for LockMode LockByExpiration)", "DestroyInstance"],
          detail: `subscription expired${d.expireTime ? ` at ${d.expireTime}` : ""} but not under the expiry lock yet: destroy waits for it up to deleteTimeoutSeconds (${options.deleteTimeoutSeconds} s, until about ${until}), then DestroyInstance; if the lock comes later, destroy fails and can be run again`,
          until, typicalSeconds: TYPICAL.mongo,
        }];
      }
      return [{ instanceId: id, outcome: "release", steps: ["DestroyInstance"], detail: "expired subscription under the expiry lock: destroyed", typicalSeconds: TYPICAL.mongo }];
  }
}

async function planRedis(r: StackResource, regionId: string): Promise<PlannedInstance[]> {
  const id = r.instanceIds[0];
  const options = redisDeleteOptionsFrom(r.outputs);
  const deadline = Deadline.seconds(DESCRIBE_DEADLINE_SECONDS);
  const s = await kvApi.describe(regionId, id, deadline, r.kind);
  const expired = s?.chargeType === "PrePaid" ? await kvApi.listedAsExpired(regionId, id, deadline, r.kind) : undefined;
  const d = decideRedisRelease(s, options, expired);
  const keptUntil = async (): Promise<string> => {
    const entered = s?.status === kvApi.RELEASED ? await kvApi.recycleBinEntryTime(regionId, id, deadline, r.kind) : undefined;
    const t = entered ? Date.parse(entered) : NaN;
    return iso(recycleBinUntil(Number.isFinite(t) ? t : Date.now()));
  };
  switch (d.kind) {
    case "gone":
      return [{ instanceId: id, outcome: "gone", steps: [], detail: "already gone (DescribeInstanceAttribute: InvalidInstanceId.NotFound)" }];
    case "in-recycle-bin": {
      if (d.purge) return [{ instanceId: id, outcome: "release", steps: ["DestroyInstance"], detail: "in the recycle bin: destroyed with its backups (purgeRecycleBin)", typicalSeconds: TYPICAL.redisPurge }];
      const until = await keptUntil();
      return [{ instanceId: id, outcome: "recycle-bin", steps: [], detail: `already in the recycle bin: kept, not billed, recoverable until ${until}`, until }];
    }
    case "refuse":
      return [{ instanceId: id, outcome: "refuse", steps: [], detail: d.releasedByServiceAt ? `${d.reason} (${iso(d.releasedByServiceAt)})` : d.reason, until: d.releasedByServiceAt ? iso(d.releasedByServiceAt) : s?.endTime }];
    case "retain":
      return [{ instanceId: id, outcome: "retain", steps: [], detail: `subscription: left running and dropped from state (onSubscription: "retain"); billed until ${d.endTime ?? "it expires"}`, until: d.endTime }];
    default: {
      const steps = [...(d.unprotect ? ["ModifyInstanceAttribute InstanceReleaseProtection=false"] : []), "DeleteInstance", ...(d.purge ? ["DestroyInstance"] : [])];
      if (d.purge) return [{ instanceId: id, outcome: "release", steps, detail: "released into the recycle bin, then destroyed with its backups (purgeRecycleBin)", typicalSeconds: TYPICAL.redisBin + TYPICAL.redisPurge }];
      const until = iso(recycleBinUntil(Date.now()));
      return [{ instanceId: id, outcome: "recycle-bin", steps, detail: `released into the recycle bin: not billed, recoverable until about ${until}, then deleted by the service`, until, typicalSeconds: TYPICAL.redisBin }];
    }
  }
}
