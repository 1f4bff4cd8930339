// ECS release lifecycle: the provider's own code, the real ECS SDK, the emulator over HTTP. Each test asserts
// the calls made (from the emulator's request log), the final cloud state and what the user is told.
import * as Ecs from "@alicloud/ecs20140526";
import { describe, expect, it } from "vitest";
import * as instance from "../../provider/ecs/instance-provider";
import * as instanceSet from "../../provider/ecs/instance-set-provider";
import { ecsClient } from "../support/sdk";
import { calls, isDryRun, useEmulatorForProvider } from "../support/provider-env";

const env = useEmulatorForProvider({ "ecs.pending": 1, "ecs.starting": 1 });
const REGION = "cn-hangzhou";
const LAUNCH = { imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vSwitchId: "vsw-default-cn-hangzhou-b", securityGroupId: "sg-default-cn-hangzhou" };

async function runningInstances(amount: number, extra: Partial<Ecs.RunInstancesRequest> = {}): Promise<string[]> {
  const res = await ecsClient(env.emu.url).runInstances(new Ecs.RunInstancesRequest({ regionId: REGION, ...LAUNCH, amount, ...extra }));
  await env.admin.advance(60);
  return res.body!.instanceIdSets!.instanceIdSet!;
}

async function status(id: string): Promise<string | undefined> {
  return (await env.admin.instance(id))?.status;
}

const outputsOf = (id: string, extra: Record<string, unknown> = {}) => ({ instanceId: id, regionId: REGION, ...extra });

async function logAfterSetup(): Promise<void> {
  await env.admin.clearRequests();
  env.lines.length = 0;
}

/** Every ECS call but the describes, in order, the permission checks (DryRun) marked. */
async function callsWithChecks(): Promise<string[]> {
  return (await env.admin.requests({ product: "ecs" })).filter((e) => e.action !== "DescribeInstances").map((e) => `${e.action}${isDryRun(e) ? " (DryRun)" : ""}`);
}

async function releaseCalls(keep = ["ForceStop", "Force", "TerminateSubscription", "BatchOptimization"]): Promise<string[]> {
  return calls(await env.admin.requests({ product: "ecs" }), keep).filter((c) => !c.startsWith("DescribeInstances"));
}

describe("ecs.Instance delete", () => {
  it("stops a Running instance gracefully, waits for Stopped, then releases it with Force=false", async () => {
    await env.reset();
    const [id] = await runningInstances(1);
    await logAfterSetup();
    await instance.delete(id, outputsOf(id));
    expect(await releaseCalls()).toEqual([
      "StopInstances(ForceStop=false,BatchOptimization=SuccessFirst)",
      "DeleteInstances(Force=false,TerminateSubscription=false)",
    ]);
    expect(await env.admin.instance(id)).toBeUndefined();
    const lines = env.linesFor(id);
    expect(lines[0]).toBe(`${id}: stopping (graceful)`);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${id}: stopped after \\d+s$`)));
    expect(lines.at(-1)).toMatch(new RegExp(`^${id}: released \\(\\d+s\\)$`));
    const describes = (await env.admin.requests({ action: "DescribeInstances" })).at(-1)!;
    expect(JSON.parse(describes.params.InstanceIds)).toEqual([id]);
  });

  it("forces the stop when the graceful stop does not finish within stopTimeoutSeconds", async () => {
    env.lines.length = 0;
    // A graceful stop that takes 100000 virtual seconds (1000 s real at this time scale).
    const slow = await import("../../emulator");
    const slowEmu = await slow.startEmulator({ timeScale: 0.01, durations: { "ecs.pending": 1, "ecs.starting": 1, "ecs.stopping": 100000 } });
    const saved = process.env.ALICLOUD_RELEASE_ENDPOINT;
    try {
      process.env.ALICLOUD_RELEASE_ENDPOINT = slowEmu.url;
      const admin = new slow.EmulatorAdmin(slowEmu.url);
      const res = await ecsClient(slowEmu.url).runInstances(new Ecs.RunInstancesRequest({ regionId: REGION, ...LAUNCH, amount: 1 }));
      const slowId = res.body!.instanceIdSets!.instanceIdSet![0];
      await admin.advance(60);
      await admin.clearRequests();
      await instance.delete(slowId, outputsOf(slowId, { stopTimeoutSeconds: 1 }));
      const made = calls(await admin.requests({ product: "ecs" }), ["ForceStop", "Force"]).filter((c) => !c.startsWith("Describe"));
      expect(made).toEqual(["StopInstances(ForceStop=false)", "StopInstances(ForceStop=true)", "DeleteInstances(Force=false)"]);
      expect(env.linesFor(slowId)).toContain(`${slowId}: graceful stop did not finish within 1s; forcing the stop`);
      expect(await admin.instance(slowId)).toBeUndefined();
    } finally {
      process.env.ALICLOUD_RELEASE_ENDPOINT = saved;
      await slowEmu.close();
    }
  });

  it("with force: true skips the stop and releases with Force=true", async () => {
    await env.reset();
    const [id] = await runningInstances(1);
    await logAfterSetup();
    await instance.delete(id, outputsOf(id, { force: true }));
    expect(await releaseCalls()).toEqual(["DeleteInstances(Force=true,TerminateSubscription=false)"]);
    expect(await env.admin.instance(id)).toBeUndefined();
  });

  it("releases an expired subscription with TerminateSubscription=true", async () => {
    await env.reset();
    const [id] = await runningInstances(1, { instanceChargeType: "PrePaid", period: 1, periodUnit: "Month" });
    await env.admin.expire(id);
    await logAfterSetup();
    await instance.delete(id, outputsOf(id, { instanceChargeType: "PrePaid" }));
    expect(await releaseCalls()).toEqual(["DeleteInstances(Force=false,TerminateSubscription=true)"]);
    expect(await env.admin.instance(id)).toBeUndefined();
  });

  describe("a subscription that has not expired", () => {
    it("fails by default, naming the expiry time and the choices, and changes nothing", async () => {
      await env.reset();
      const [id] = await runningInstances(1, { instanceChargeType: "PrePaid", period: 1, periodUnit: "Month" });
      const expiry = (await env.admin.instance(id))!.ExpiredTime as string | undefined;
      await logAfterSetup();
      const err = await instance.delete(id, outputsOf(id)).then(() => undefined, (e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err!.message).toContain(`ecs.Instance ${id}: not released; nothing was changed:`);
      expect(err!.message).toMatch(/subscription \(PrePaid\) instance that has not expired \(expires \d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z\)/);
      if (expiry) expect(err!.message).toContain(expiry);
      expect(err!.message).toContain('onSubscription: "convert"');
      expect(err!.message).toContain('"retain"');
      expect(err!.message).toContain("monthly refund quota");
      expect(await releaseCalls()).toEqual([]);
      expect(await status(id)).toBe("Running");
    });

    it("with retain: leaves it running, makes no change, and says so", async () => {
      await env.reset();
      const [id] = await runningInstances(1, { instanceChargeType: "PrePaid", period: 1, periodUnit: "Month" });
      await logAfterSetup();
      await instance.delete(id, outputsOf(id, { onSubscription: "retain" }));
      expect(await releaseCalls()).toEqual([]);
      expect(await status(id)).toBe("Running");
      expect(env.linesFor(id)).toEqual([expect.stringMatching(/^i-\w+: warning: subscription instance not expired \(expires .+\): left running and removed from Pulumi state \(onSubscription: "retain"\)\. It is billed until it expires\.$/)]);
    });

    it("with convert: switches it to pay-as-you-go, then stops and releases it", async () => {
      await env.reset();
      const [id] = await runningInstances(1, { instanceChargeType: "PrePaid", period: 1, periodUnit: "Month" });
      await logAfterSetup();
      await instance.delete(id, outputsOf(id, { onSubscription: "convert" }));
      expect(calls(await env.admin.requests({ product: "ecs" }), ["InstanceChargeType", "ForceStop", "Force", "TerminateSubscription"]).filter((c) => !c.startsWith("Describe"))).toEqual([
        "ModifyInstanceChargeType(InstanceChargeType=PostPaid)",
        "StopInstances(ForceStop=false)",
        "DeleteInstances(Force=false,TerminateSubscription=false)",
      ]);
      expect(await env.admin.instance(id)).toBeUndefined();
      expect(env.linesFor(id)[0]).toContain("monthly refund quota");
    });
  });

  describe("release protection", () => {
    it("fails fast without touching the instance", async () => {
      await env.reset();
      const [id] = await runningInstances(1, { deletionProtection: true });
      await logAfterSetup();
      const err = await instance.delete(id, outputsOf(id)).then(() => undefined, (e: Error) => e);
      expect(err!.message).toBe(
        `ecs.Instance ${id}: not released; nothing was changed:\n  - ${id}: release protection (DeletionProtection) is on. Set overrideProtection: true (then \`pulumi up\`) to turn it off before release, or turn it off in the ECS console.`,
      );
      expect(await releaseCalls()).toEqual([]);
      expect(await status(id)).toBe("Running");
    });

    it("with overrideProtection turns it off right before releasing", async () => {
      await env.reset();
      const [id] = await runningInstances(1, { deletionProtection: true });
      await logAfterSetup();
      await instance.delete(id, outputsOf(id, { overrideProtection: true }));
      expect(calls(await env.admin.requests({ product: "ecs" }), ["DeletionProtection", "Force"]).filter((c) => !c.startsWith("Describe"))).toEqual([
        "ModifyInstanceAttribute(DeletionProtection=false)",
        "StopInstances",
        "DeleteInstances(Force=false)",
      ]);
      // A change comes before the stop: both the stop and the release are checked before it.
      const checked = await callsWithChecks();
      expect(checked.slice(0, 2).sort()).toEqual(["DeleteInstances (DryRun)", "StopInstances (DryRun)"]);
      expect(checked.slice(2)).toEqual(["ModifyInstanceAttribute", "StopInstances", "DeleteInstances"]);
      expect(await env.admin.instance(id)).toBeUndefined();
    });
  });

  it("releases an instance locked for security and says its disks go with it", async () => {
    await env.reset();
    const [id] = await runningInstances(1);
    await env.admin.lock(id, "security");
    await logAfterSetup();
    await instance.delete(id, outputsOf(id));
    expect(env.linesFor(id)[0]).toBe(`${id}: locked for security: releasing anyway; its disks are released with it even where DeleteWithInstance=false`);
    expect(await env.admin.instance(id)).toBeUndefined();
  });

  it("retries a DependencyViolation until it clears", async () => {
    await env.reset();
    const [id] = await runningInstances(1);
    await env.admin.dependency(id, "DependencyViolation.SLBConfiguring", 2);
    await logAfterSetup();
    await instance.delete(id, outputsOf(id, { force: true }));
    const log = await env.admin.requests({ product: "ecs" });
    const refused = log.filter((e) => e.code === "DependencyViolation.SLBConfiguring");
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(log.filter((e) => e.status === 200 && (e.action === "DeleteInstance" || e.action === "DeleteInstances")).length).toBe(1);
    expect(env.linesFor(id)).toContainEqual(expect.stringMatching(/release refused for now \(DependencyViolation\.SLBConfiguring\); retrying in/));
    expect(await env.admin.instance(id)).toBeUndefined();
  });

  it("treats an instance that no longer exists as released, without release calls", async () => {
    await env.reset();
    await instance.delete("i-bp1gone0000000000", outputsOf("i-bp1gone0000000000"));
    expect(await releaseCalls()).toEqual([]);
    expect(env.linesFor("i-bp1gone0000000000")).toEqual(["i-bp1gone0000000000: already released (not listed by DescribeInstances)"]);
  });

  it("rides out throttling, 5xx, dropped connections and proxy pages", async () => {
    await env.reset();
    const [id] = await runningInstances(1);
    await logAfterSetup();
    await env.admin.faults([
      { product: "ecs", action: "DescribeInstances", code: "Throttling.User", count: 2 },
      { product: "ecs", action: "StopInstances", code: "ServiceUnavailable", count: 1 },
      { product: "ecs", action: "StopInstances", drop: true, count: 1 },
      { product: "ecs", action: "DeleteInstances", body: "html", count: 1 },
      { product: "ecs", action: "DeleteInstances", code: "InternalError", count: 1 },
    ]);
    await instance.delete(id, outputsOf(id));
    const log = await env.admin.requests({ product: "ecs" });
    // The permission check (DryRun) of the release comes first and may meet some of the faults.
    expect(log.filter((e) => e.fault).map((e) => `${e.action}:${e.fault}`).sort()).toEqual([
      "DeleteInstances:InternalError",
      "DeleteInstances:html",
      "DescribeInstances:Throttling.User",
      "DescribeInstances:Throttling.User",
      "StopInstances:ServiceUnavailable",
      "StopInstances:drop",
    ]);
    // The retries of one DeleteInstances call reuse its ClientToken.
    const tokens = new Set(log.filter((e) => e.action === "DeleteInstances" && !isDryRun(e)).map((e) => e.params.ClientToken));
    expect(tokens.size).toBe(1);
    expect(await env.admin.instance(id)).toBeUndefined();
  });

  it("retries a reply slower than the client timeout", async () => {
    await env.reset();
    const [id] = await runningInstances(1);
    await logAfterSetup();
    process.env.ALICLOUD_RELEASE_HTTP_TIMEOUT_MS = "300";
    try {
      await env.admin.faults([{ product: "ecs", action: "DeleteInstances", latencyMs: 800, count: 1 }]);
      await instance.delete(id, outputsOf(id, { force: true }));
    } finally {
      delete process.env.ALICLOUD_RELEASE_HTTP_TIMEOUT_MS;
    }
    // With force the release is the first change, so it is not checked first: the real call is the one delayed,
    // and retried with its ClientToken.
    const deletes = await env.admin.requests({ action: "DeleteInstances" });
    expect(deletes.map(isDryRun)).toEqual([false, false]);
    expect(new Set(deletes.map((e) => e.params.ClientToken)).size).toBe(1);
    expect(await env.admin.instance(id)).toBeUndefined();
  });

  it("fails with the catalog's explanation and the RequestId for a code retrying cannot fix", async () => {
    await env.reset();
    const [id] = await runningInstances(1);
    await logAfterSetup();
    await env.admin.faults([
      { product: "ecs", action: "DeleteInstances", code: "InvalidOperation.NotInWhiteList", message: "ForceStop is in gray release" },
      { product: "ecs", action: "DeleteInstance", code: "InvalidOperation.NotInWhiteList", message: "ForceStop is in gray release" },
    ]);
    const err = await instance.delete(id, outputsOf(id, { force: true })).then(() => undefined, (e: Error) => e);
    const failed = (await env.admin.requests({ action: "DeleteInstances" })).at(-1)!;
    expect(err!.message).toBe(
      [
        `ecs.Instance ${id}: DeleteInstances failed with InvalidOperation.NotInWhiteList (HTTP 403): ForceStop is in gray release`,
        "  What it means: A parameter used is still in gray release for this account.",
        "  What to do: Report it with the RequestId; the call needs a feature your account is not enabled for.",
        `  RequestId: ${failed.requestId}`,
      ].join("\n"),
    );
    await env.admin.clearFaults();
    expect(await status(id)).toBe("Running");
  });

  it("gives up at deleteTimeoutSeconds, saying which phase it was in and the last status", async () => {
    await env.reset();
    const [id] = await runningInstances(1);
    await env.admin.dependency(id, "DependencyViolation.RouteEntry");
    await logAfterSetup();
    const started = Date.now();
    const err = await instance.delete(id, outputsOf(id, { deleteTimeoutSeconds: 2, force: true })).then(() => undefined, (e: Error) => e);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(err!.message).toContain(`ecs.Instance ${id}: DeleteInstances failed with DependencyViolation.RouteEntry (HTTP 400): Specified instance is used by route entry.`);
    expect(err!.message).toContain("Still refused when the delete deadline (2s) was reached");
    expect(err!.message).toMatch(/RequestId: [0-9A-F-]{36}/);
    expect(await status(id)).toBe("Running");
  });

  it("ends within the deadline, saying where it was, when the API stops answering", async () => {
    await env.reset();
    const [id] = await runningInstances(1);
    await env.admin.faults([{ product: "ecs", latencyMs: 30_000 }]);
    const started = Date.now();
    const err = await instance.delete(id, outputsOf(id, { deleteTimeoutSeconds: 3 })).then(() => undefined, (e: unknown) => e);
    await env.admin.clearFaults();
    expect(Date.now() - started).toBeLessThan(6000);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(new RegExp(`^ecs.Instance ${id}: DescribeInstances failed with Timeout: `));
    expect((err as Error).message).toContain("the delete deadline (3s) would pass");
    expect((err as Error).message).toContain("RequestId: none (no reply from the service)");
  });

  it("times out waiting for the instance to go, with the phase and last status", async () => {
    const slow = await import("../../emulator");
    const slowEmu = await slow.startEmulator({ timeScale: 0.01, durations: { "ecs.pending": 1, "ecs.starting": 1, "ecs.release": 100000 } });
    const saved = process.env.ALICLOUD_RELEASE_ENDPOINT;
    try {
      process.env.ALICLOUD_RELEASE_ENDPOINT = slowEmu.url;
      const res = await ecsClient(slowEmu.url).runInstances(new Ecs.RunInstancesRequest({ regionId: REGION, ...LAUNCH, amount: 1 }));
      const id = res.body!.instanceIdSets!.instanceIdSet![0];
      await new slow.EmulatorAdmin(slowEmu.url).advance(60);
      const err = await instance.delete(id, outputsOf(id, { deleteTimeoutSeconds: 2, force: true })).then(() => undefined, (e: Error) => e);
      expect(err!.message).toMatch(new RegExp(`^ecs.Instance ${id}: gave up waiting to be released after \\ds \\(the delete deadline of 2s was reached\\); last status: Running\\.`));
      expect(err!.message).toContain("Run `pulumi destroy` again");
    } finally {
      process.env.ALICLOUD_RELEASE_ENDPOINT = saved;
      await slowEmu.close();
    }
  });
});

describe("ecs.InstanceSet delete", () => {
  it("releases 150 instances with two StopInstances and two DeleteInstances calls, the release checked first by one DryRun per batch", async () => {
    await env.reset();
    const ids = [...(await runningInstances(100)), ...(await runningInstances(50))];
    await logAfterSetup();
    await instanceSet.delete(ids.join(","), { instanceIds: ids, regionId: REGION });
    const all = (await env.admin.requests({ product: "ecs" })).filter((e) => e.action !== "DescribeInstances");
    // The stop is the first change: a denied stop changes nothing, so only the release is checked before it.
    expect(await callsWithChecks()).toEqual(["DeleteInstances (DryRun)", "DeleteInstances (DryRun)", "StopInstances", "StopInstances", "DeleteInstances", "DeleteInstances"]);
    const sizes = (list: typeof all) => list.map((e) => Object.keys(e.params).filter((k) => k.startsWith("InstanceId.")).length).sort((a, b) => a - b);
    expect(sizes(all.slice(0, 2))).toEqual([50, 100]);
    expect(sizes(all.slice(2, 4))).toEqual([50, 100]);
    expect(sizes(all.slice(4))).toEqual([50, 100]);
    expect((await env.admin.instances("ecs")).length).toBe(0);
    const describes = await env.admin.requests({ action: "DescribeInstances" });
    expect(describes.every((e) => JSON.parse(e.params.InstanceIds).length <= 100)).toBe(true);
  });

  it("with force releases 150 instances with two DeleteInstances calls and no DryRun: the release is the first change", async () => {
    await env.reset();
    const ids = [...(await runningInstances(100)), ...(await runningInstances(50))];
    await logAfterSetup();
    await instanceSet.delete(ids.join(","), { instanceIds: ids, regionId: REGION, force: true });
    expect(await callsWithChecks()).toEqual(["DeleteInstances", "DeleteInstances"]);
    expect(await releaseCalls()).toEqual(["DeleteInstances(Force=true,TerminateSubscription=false)", "DeleteInstances(Force=true,TerminateSubscription=false)"]);
    expect((await env.admin.instances("ecs")).length).toBe(0);
  });

  it("releases instances already stopped without a DryRun: nothing comes before the release", async () => {
    await env.reset();
    const ids = await runningInstances(3);
    await ecsClient(env.emu.url).stopInstances(new Ecs.StopInstancesRequest({ regionId: REGION, instanceId: ids }));
    await env.admin.advance(60);
    await logAfterSetup();
    await instanceSet.delete(ids.join(","), { instanceIds: ids, regionId: REGION });
    expect(await callsWithChecks()).toEqual(["DeleteInstances"]);
    expect((await env.admin.instances("ecs")).length).toBe(0);
  });

  it("carries on with the others when one instance of a batch cannot be released", async () => {
    await env.reset();
    const ids = await runningInstances(5);
    await env.admin.dependency(ids[2], "DependencyViolation.RouteEntry");
    await logAfterSetup();
    const err = await instanceSet.delete(ids.join(","), { instanceIds: ids, regionId: REGION, force: true, deleteTimeoutSeconds: 3 }).then(() => undefined, (e: Error) => e);
    expect(err!.message).toContain(`ecs.InstanceSet ${ids[2]}: DeleteInstances failed with DependencyViolation.RouteEntry`);
    expect((await env.admin.instances("ecs")).map((i) => i.id)).toEqual([ids[2]]);
  });
});

describe("many ecs.Instance deletes in one provider process", () => {
  it("share their calls: 50 concurrent deletes make a handful of batched calls", async () => {
    await env.reset();
    const ids = await runningInstances(50);
    await logAfterSetup();
    await Promise.all(ids.map((id) => instance.delete(id, outputsOf(id))));
    const log = await env.admin.requests({ product: "ecs" });
    const count = (a: string) => log.filter((e) => e.action === a).length;
    expect(count("StopInstances")).toBeLessThanOrEqual(2);
    expect(count("DeleteInstances")).toBeLessThanOrEqual(2);
    expect(count("DescribeInstances")).toBeLessThan(50);
    expect((await env.admin.instances("ecs")).length).toBe(0);
  });
});

describe("ecs.Instance create, update and read", () => {
  it("creates with one RunInstances call, waits for Running, and records everything delete needs", async () => {
    await env.reset();
    const { id, outs } = await instance.create({ ...LAUNCH, regionId: REGION, tags: { env: "ci" }, instanceName: "web" });
    expect(outs).toMatchObject({ instanceId: id, regionId: REGION, status: "Running", instanceChargeType: "PostPaid", deletionProtection: false, schemaVersion: 2, force: false, onSubscription: "fail", overrideProtection: false, deleteTimeoutSeconds: 1200, stopTimeoutSeconds: 300 });
    const [run] = await env.admin.requests({ action: "RunInstances" });
    expect(run.params).toMatchObject({ RegionId: REGION, Amount: "1", "Tag.1.Key": "env", "Tag.1.Value": "ci", InstanceName: "web" });
    expect(run.params.ClientToken).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("updates deletionProtection in place and returns the full outputs", async () => {
    await env.reset();
    const { id, outs } = await instance.create({ ...LAUNCH, regionId: REGION });
    const updated = await instance.update(id, outs, { ...LAUNCH, regionId: REGION, deletionProtection: true, overrideProtection: true });
    expect(calls(await env.admin.requests({ action: "ModifyInstanceAttribute" }), ["DeletionProtection"])).toEqual(["ModifyInstanceAttribute(DeletionProtection=true)"]);
    expect(updated.outs).toMatchObject({ instanceId: id, deletionProtection: true, overrideProtection: true, status: "Running" });
    expect((await env.admin.instance(id))?.DeletionProtection).toBe(true);
    // A change of delete options alone makes no API call.
    await env.admin.clearRequests();
    await instance.update(id, updated.outs!, { ...LAUNCH, regionId: REGION, deletionProtection: true, overrideProtection: true, force: true });
    expect((await env.admin.requests()).filter((e) => e.action !== "DescribeInstances")).toEqual([]);
  });

  it("reads the live state, and nothing once the instance is gone", async () => {
    await env.reset();
    const { id, outs } = await instance.create({ ...LAUNCH, regionId: REGION });
    expect(await instance.read(id, outs)).toMatchObject({ id, props: { instanceId: id, status: "Running" } });
    await instance.delete(id, outs);
    expect(await instance.read(id, outs)).toEqual({});
  });

  it("diff ignores values the provider computed and never replaces for __provider alone", async () => {
    const outs = { __provider: "a", instanceId: "i-bp1x", regionId: REGION, instanceChargeType: "PostPaid", status: "Running", force: false, onSubscription: "fail", overrideProtection: false, deleteTimeoutSeconds: 1200, stopTimeoutSeconds: 300, ...LAUNCH };
    expect(await instance.diff("i-bp1x", outs, { __provider: "b", ...LAUNCH })).toMatchObject({ changes: false, replaces: [] });
    expect(await instance.diff("i-bp1x", outs, { ...LAUNCH, imageId: "other" })).toMatchObject({ changes: true, replaces: ["imageId"] });
    expect(await instance.diff("i-bp1x", { ...outs, force: true }, { ...LAUNCH })).toMatchObject({ changes: true, replaces: [] });
  });

  it("check accepts values a preview does not know yet", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect((await instance.check({}, { instanceId: unknown })).failures).toEqual([]);
    expect((await instanceSet.check({}, { ...LAUNCH, amount: unknown })).failures).toEqual([]);
    expect((await instanceSet.check({}, { ...LAUNCH, amount: 0 })).failures).toEqual([{ property: "amount", reason: "amount must be a whole number from 1 to 1000, got 0" }]);
  });
});
