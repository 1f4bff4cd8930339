// plan's dry runs: credentials whose RAM policy denies the release are reported as "denied" before destroy is run,
// and nothing changes. The automation functions in-process against the emulator's RAM policies over HTTP.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { plan, TYPE_PREFIX } from "../../provider/automation";
import { ownershipInput } from "../../provider/core/ownership";
import * as ecsInstance from "../../provider/ecs/instance-provider";
import { defaultSecurityGroupId, defaultVSwitchId } from "../support/network";
import { useEmulatorForProvider } from "../support/provider-env";
import { changeCalls } from "../support/reliability";

const env = useEmulatorForProvider({ "ecs.pending": 1, "ecs.starting": 1 });
const REGION = "cn-hangzhou";
const LAUNCH = { regionId: REGION, imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vSwitchId: defaultVSwitchId(), securityGroupId: defaultSecurityGroupId() };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-permissions-"));

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("plan: are the credentials allowed to release?", () => {
  it("reports a release or a stop the RAM policy denies, from DryRun calls alone", async () => {
    const made = await ecsInstance.create({ ...LAUNCH, ...ownershipInput("shop", "ci", "web") });
    const file = path.join(dir, "ci.json");
    const urn = `urn:pulumi:ci::shop::${TYPE_PREFIX}ecs.Instance::web`;
    fs.writeFileSync(file, JSON.stringify({ version: 3, deployment: { manifest: {}, resources: [{ urn, custom: true, type: `${TYPE_PREFIX}ecs.Instance`, id: made.id, outputs: made.outs }] } }));

    const allowed = await plan({ stackFile: file });
    expect(allowed.resources[0]).toMatchObject({ outcome: "release", leaves: false, instances: [{ permissions: { StopInstances: "allowed", DeleteInstances: "allowed" } }] });

    await env.admin.setPolicy("emulator", { Version: "1", Statement: [{ Effect: "Allow", Action: ["*"], Resource: "*" }, { Effect: "Deny", Action: ["ecs:DeleteInstances"], Resource: "*" }] });
    try {
      await env.admin.clearRequests();
      const denied = await plan({ stackFile: file });
      expect(denied.leavesSomething).toBe(true);
      expect(denied.resources[0]).toMatchObject({ outcome: "denied", leaves: true });
      expect(denied.resources[0].instances[0].permissions).toEqual({ StopInstances: "allowed", DeleteInstances: "Forbidden.RAM" });
      expect(denied.resources[0].instances[0].detail).toBe("the credentials may not: DeleteInstances (Forbidden.RAM)");
      const log = await env.admin.requests();
      // Nothing but describes and the two dry runs.
      expect(changeCalls(log)).toEqual([]);
      expect(log.map((e) => [e.action, e.code ?? null, e.params.DryRun ?? null])).toEqual([
        ["DescribeInstances", null, null], ["StopInstances", "DRYRUN.SUCCESS", "true"], ["DeleteInstances", "Forbidden.RAM", "true"],
      ]);
      expect((await env.admin.instance(made.id))?.status).toBe("Running");

      // The release itself does not check its first change (the stop) with DryRun, as a denied stop changes
      // nothing; plan changes nothing either way, so it reports a denied stop too.
      await env.admin.setPolicy("emulator", { Version: "1", Statement: [{ Effect: "Allow", Action: ["*"], Resource: "*" }, { Effect: "Deny", Action: ["ecs:StopInstances"], Resource: "*" }] });
      await env.admin.clearRequests();
      const noStop = await plan({ stackFile: file });
      expect(noStop.resources[0]).toMatchObject({ outcome: "denied", leaves: true });
      expect(noStop.resources[0].instances[0].permissions).toEqual({ StopInstances: "Forbidden.RAM", DeleteInstances: "allowed" });
      expect(noStop.resources[0].instances[0].detail).toBe("the credentials may not: StopInstances (Forbidden.RAM)");
      expect(changeCalls(await env.admin.requests())).toEqual([]);
      expect((await env.admin.instance(made.id))?.status).toBe("Running");
    } finally {
      await env.admin.setPolicy("emulator", null);
    }
  });
});
