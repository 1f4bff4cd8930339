// Tair (Redis) release lifecycle: the provider's own code, the real R-KVStore SDK, the emulator over HTTP. Each
// test asserts the calls made (from the emulator's request log), the final cloud state and what the user is told.
import * as Kv from "@alicloud/r-kvstore20150101";
import { describe, expect, it } from "vitest";
import { EmulatorAdmin, startEmulator } from "../../emulator";
import { InitFailure } from "../../provider/core/dynamic";
import { ReleaseError } from "../../provider/core/failure";
import * as instance from "../../provider/redis/instance-provider";
import { calls, TIME_SCALE, useEmulatorForProvider } from "../support/provider-env";
import { kvClient } from "../support/sdk";

// Creating 30 s and releasing 100 s (0.3 s and 1 s of real time): long enough to see the instance between states.
const env = useEmulatorForProvider({ "kv.creating": 30, "kv.releasing": 100 });
const REGION = "cn-hangzhou";
const SMALL = "redis.master.small.default";
const DAY = 86400;
const PASSWORD = "Pw-Sh0uld-Never-Leak";
const PROVIDER = 'const provider = require("pulumi-alicloud-release/redis/instance-provider"); exports.handler = () => provider';
/** Days of the emulator's subscription timeline, which runs at its time scale like every other duration. */
const days = (n: number): number => n * DAY * TIME_SCALE;
const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/;

const kv = () => kvClient(env.emu.url);
const isoSecond = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + "Z";

/** An instance created with the SDK (not the provider) that has reached Normal. */
async function normalInstance(extra: Partial<Kv.CreateInstanceRequest> = {}): Promise<string> {
  const res = await kv().createInstance(new Kv.CreateInstanceRequest({ regionId: REGION, instanceClass: SMALL, ...extra }));
  await env.admin.advance(60);
  return res.body!.instanceId!;
}

async function protect(id: string): Promise<void> {
  await kv().modifyInstanceAttribute(new Kv.ModifyInstanceAttributeRequest({ instanceId: id, instanceReleaseProtection: true }));
}

async function endTime(id: string): Promise<string> {
  return (await kv().describeInstanceAttribute(new Kv.DescribeInstanceAttributeRequest({ instanceId: id }))).body!.instances!.DBInstanceAttribute![0].endTime!;
}

const status = async (id: string) => (await env.admin.instance(id))?.status;
const outputsOf = (id: string, extra: Record<string, unknown> = {}) => ({ instanceId: id, regionId: REGION, ...extra });
const failureOf = (p: Promise<unknown>): Promise<Error | undefined> => p.then(() => undefined, (e: Error) => e);

async function logAfterSetup(): Promise<void> {
  await env.admin.clearRequests();
  env.lines.length = 0;
}

/** The calls that change something: everything but the Describe* reads. */
async function changeCalls(keep = ["InstanceReleaseProtection", "GlobalInstanceId"]): Promise<string[]> {
  return calls(await env.admin.requests({ product: "r-kvstore" }), keep).filter((c) => !c.startsWith("Describe"));
}

const RECYCLE_LINE = (id: string, until: string) =>
  `${id}: kept in the recycle bin (not running, not billed): recoverable until ${until} (7 days, as in the console), then deleted with its backups. Set purgeRecycleBin: true to destroy it at once.`;

async function binUntil(id: string): Promise<string> {
  const destroyTime = (await env.admin.instance(id))!.DestroyTime as string;
  expect(destroyTime).toMatch(ISO);
  return isoSecond(Date.parse(destroyTime) + 7 * DAY * 1000);
}

describe("redis.Instance delete: pay-as-you-go", () => {
  it("releases it into the recycle bin and keeps it there, saying until when it is recoverable", async () => {
    await env.reset();
    const id = await normalInstance();
    await logAfterSetup();
    await instance.delete(id, outputsOf(id));
    expect(await changeCalls()).toEqual(["DeleteInstance"]);
    expect(await status(id)).toBe("Released");
    const lines = env.linesFor(id);
    expect(lines[0]).toBe(`${id}: releasing (DeleteInstance)`);
    expect(lines[1]).toMatch(new RegExp(`^${id}: released into the recycle bin \\(\\d+s\\)$`));
    expect(lines[2]).toBe(RECYCLE_LINE(id, await binUntil(id)));
    expect(lines).toHaveLength(3);
    // The wait polls the lists (the live instances, then the recycle bin), and DestroyTime comes from the poll that
    // found it in the bin: DescribeInstanceAttribute does not return it.
    const listed = (await env.admin.requests({ action: "DescribeInstances" })).map((e) => e.params);
    const bin = { RegionId: REGION, InstanceIds: id, InstanceStatus: "Released", PageSize: "50" };
    expect(listed.at(-1)).toEqual(bin);
    for (const params of listed) expect([bin, { RegionId: REGION, InstanceIds: id, PageSize: "50" }]).toContainEqual(params);
  });

  it("with purgeRecycleBin releases it, then destroys it and its backups until it is gone", async () => {
    await env.reset();
    const id = await normalInstance();
    await logAfterSetup();
    await instance.delete(id, outputsOf(id, { purgeRecycleBin: true }));
    expect(await changeCalls()).toEqual(["DeleteInstance", "DestroyInstance"]);
    expect(await env.admin.instance(id)).toBeUndefined();
    const lines = env.linesFor(id);
    expect(lines.slice(0, 3)).toEqual([
      `${id}: releasing (DeleteInstance)`,
      expect.stringMatching(/released into the recycle bin \(\d+s\)$/),
      `${id}: destroying it in the recycle bin (DestroyInstance): the instance and its backups are deleted permanently`,
    ]);
    expect(lines.at(-1)).toMatch(new RegExp(`^${id}: destroyed \\(\\d+s\\)$`));
  });

  it("sends the GlobalInstanceId of an instance that belongs to a distributed instance", async () => {
    await env.reset();
    const id = await normalInstance({ globalInstanceId: "gr-bp1global" });
    await logAfterSetup();
    await instance.delete(id, outputsOf(id));
    expect(await changeCalls()).toEqual(["DeleteInstance(GlobalInstanceId=gr-bp1global)"]);
    expect(await status(id)).toBe("Released");
  });

  it("works from outputs that hold nothing but the resource id (region from the environment)", async () => {
    await env.reset();
    const id = await normalInstance();
    await logAfterSetup();
    await instance.delete(id, {});
    expect(await changeCalls()).toEqual(["DeleteInstance"]);
    expect(await status(id)).toBe("Released");
  });

  it("treats an instance that no longer exists as released, without release calls", async () => {
    await env.reset();
    const gone = "r-bp1gone000000000000";
    await instance.delete(gone, outputsOf(gone, { purgeRecycleBin: true }));
    // The region's lists (the live instances, then the recycle bin) do not show it; DescribeInstanceAttribute, which
    // looks in every region, confirms it is gone.
    expect(calls(await env.admin.requests({ product: "r-kvstore" }), ["InstanceStatus"])).toEqual([
      "DescribeInstances",
      "DescribeInstances(InstanceStatus=Released)",
      "DescribeInstanceAttribute -> 404",
    ]);
    expect(env.linesFor(gone)).toEqual([`${gone}: already gone (not listed by DescribeInstances nor found by DescribeInstanceAttribute)`]);
  });

  it("an instance in another region is reported there, not as gone, and nothing changes", async () => {
    await env.reset();
    const id = await normalInstance({ regionId: "cn-shanghai" });
    await logAfterSetup();
    for (const stated of [REGION, "cn-nowhere"]) {
      const err = await failureOf(instance.delete(id, { instanceId: id, regionId: stated, purgeRecycleBin: true }));
      expect((err as ReleaseError).code).toBe("InvalidRegionId.Mismatch");
      expect(err!.message).toBe(
        `redis.Instance ${id}: not released: the state says region ${stated}, but the instance is in region cn-shanghai; nothing was changed.\n` +
          `  What to do: if this is the instance the resource manages, set regionId: "cn-shanghai" (then \`pulumi up\`) and destroy again; otherwise remove the resource from state with \`pulumi state delete <urn>\`.`,
      );
    }
    // cn-hangzhou's lists do not show it, a region that does not exist cannot be listed; DescribeInstanceAttribute finds it.
    expect(calls(await env.admin.requests({ product: "r-kvstore" }), ["RegionId", "InstanceStatus"])).toEqual([
      `DescribeInstances(RegionId=${REGION})`,
      `DescribeInstances(RegionId=${REGION},InstanceStatus=Released)`,
      "DescribeInstanceAttribute",
      "DescribeInstances(RegionId=cn-nowhere) -> 404",
      "DescribeInstanceAttribute",
    ]);
    expect(await status(id)).toBe("Normal");
  });

  it("an adopted instance already in the recycle bin: no DeleteInstance; kept, or destroyed when asked", async () => {
    await env.reset();
    const id = await normalInstance();
    await kv().deleteInstance(new Kv.DeleteInstanceRequest({ instanceId: id }));
    await env.admin.advance(100);
    expect(await status(id)).toBe("Released");
    const adopted = await instance.create({ instanceId: id, regionId: REGION, __provider: PROVIDER });
    expect(adopted.id).toBe(id);
    expect(adopted.outs).toMatchObject({ instanceId: id, instanceStatus: "Released", adopted: true, purgeRecycleBin: false, schemaVersion: 1 });

    await logAfterSetup();
    await instance.delete(id, adopted.outs);
    expect(await changeCalls()).toEqual([]);
    expect(await status(id)).toBe("Released");
    expect(env.linesFor(id)).toEqual([`${id}: already released: it is in the recycle bin`, RECYCLE_LINE(id, await binUntil(id))]);

    await logAfterSetup();
    await instance.delete(id, { ...adopted.outs, purgeRecycleBin: true });
    expect(await changeCalls()).toEqual(["DestroyInstance"]);
    expect(await env.admin.instance(id)).toBeUndefined();
  });
});

describe("redis.Instance delete: release protection", () => {
  it("fails without changing anything: DeleteInstance's refusal, no DescribeInstanceAttribute asked", async () => {
    await env.reset();
    const id = await normalInstance();
    await protect(id);
    await logAfterSetup();
    const err = await failureOf(instance.delete(id, outputsOf(id, { purgeRecycleBin: true })));
    expect(err).toBeInstanceOf(ReleaseError);
    expect((err as ReleaseError).code).toBe("InstanceReleaseProtection");
    expect(err!.message).toBe(
      `redis.Instance ${id}: not released: release protection (InstanceReleaseProtection) is on; nothing was changed.\n` +
        "  What to do: set overrideProtection: true (then `pulumi up`) to turn it off right before the release, or turn release protection off in the Tair (Redis) console, then destroy again.",
    );
    // The region's list does not say whether protection is on: the release call itself refuses.
    expect(calls(await env.admin.requests({ product: "r-kvstore" }))).toEqual(["DescribeInstances", "DeleteInstance -> 403"]);
    expect((await env.admin.requests({ action: "DeleteInstance" }))[0].code).toBe("InstanceReleaseProtection");
    expect(await env.admin.instance(id)).toMatchObject({ status: "Normal", InstanceReleaseProtection: true });
  });

  it("with overrideProtection turns it off right before the release", async () => {
    await env.reset();
    const id = await normalInstance();
    await protect(id);
    await logAfterSetup();
    await instance.delete(id, outputsOf(id, { overrideProtection: true }));
    // Whether protection is on is asked first (DescribeInstanceAttribute), so that DeleteInstance is not refused.
    expect((await env.admin.requests({ product: "r-kvstore" }))[0].action).toBe("DescribeInstanceAttribute");
    expect(await changeCalls()).toEqual(["ModifyInstanceAttribute(InstanceReleaseProtection=false)", "DeleteInstance"]);
    expect(await env.admin.instance(id)).toMatchObject({ status: "Released", InstanceReleaseProtection: false });
    expect(env.linesFor(id)[0]).toBe(`${id}: release protection turned off (overrideProtection)`);
  });
});

describe("redis.Instance delete: subscription", () => {
  const prepaid = { chargeType: "PrePaid", period: "1" };

  it("a live subscription fails by default, naming its expiry and the choices, and nothing changes", async () => {
    await env.reset();
    const id = await normalInstance(prepaid);
    const expiry = await endTime(id);
    await logAfterSetup();
    const err = await failureOf(instance.delete(id, outputsOf(id)));
    expect((err as ReleaseError).code).toBe("ChargeTypeViolation");
    expect(err!.message).toBe(
      `redis.Instance ${id}: not released: subscription (PrePaid) instance that expires ${expiry}; the R-KVStore API cannot release a subscription before it expires, so nothing was changed.\n` +
        `  What to do: choose one: set onSubscription: "retain" (then \`pulumi up\`) to drop it from Pulumi state and leave it running until it expires; ` +
        `wait until it expires (${expiry}): it is disabled 15 days later and released into the recycle bin automatically on day 31 (${isoSecond(Date.parse(expiry) + 30 * DAY * 1000)}), after which \`pulumi destroy\` completes; ` +
        "or open a support ticket to have it released early.",
    );
    expect(await changeCalls()).toEqual([]);
    expect(await status(id)).toBe("Normal");
  });

  it('with onSubscription: "retain" it is left running and dropped from state, with a warning', async () => {
    await env.reset();
    const id = await normalInstance(prepaid);
    const expiry = await endTime(id);
    await logAfterSetup();
    await instance.delete(id, outputsOf(id, { onSubscription: "retain", purgeRecycleBin: true }));
    expect(await changeCalls()).toEqual([]);
    expect(await status(id)).toBe("Normal");
    expect(env.linesFor(id)).toEqual([
      `${id}: warning: subscription (PrePaid) instance not expired (expires ${expiry}): left running and removed from Pulumi state (onSubscription: "retain"). It is billed until it expires.`,
    ]);
  });

  it("an expired subscription not yet in the recycle bin (Inactive) fails, naming day 31; retain drops it", async () => {
    await env.reset();
    const id = await normalInstance(prepaid);
    await env.admin.expire(id);
    await env.admin.advance(days(16));
    expect(await status(id)).toBe("Inactive");
    const expiry = await endTime(id);
    const day31 = isoSecond(Date.parse(expiry) + 30 * DAY * 1000);
    await logAfterSetup();
    const err = await failureOf(instance.delete(id, outputsOf(id, { purgeRecycleBin: true })));
    expect(err!.message).toBe(
      `redis.Instance ${id}: not released: subscription (PrePaid) instance that expired ${expiry} (status Inactive) and is not yet in the recycle bin; the API cannot release it, the service does so automatically on day 31 after expiry (around ${day31}). Nothing was changed.\n` +
        '  What to do: run `pulumi destroy` again after that date (the recycle-bin entry is then kept, or destroyed with purgeRecycleBin: true); or set onSubscription: "retain" (then `pulumi up`) to drop it from Pulumi state now; renew it in the console if you want to keep it.',
    );
    await instance.delete(id, outputsOf(id, { onSubscription: "retain" }));
    expect(env.linesFor(id)).toEqual([
      `${id}: warning: subscription (PrePaid) instance expired ${expiry} (status Inactive): the service releases it into the recycle bin automatically on day 31 (around ${day31}); removed from Pulumi state (onSubscription: "retain").`,
    ]);
    expect(await changeCalls()).toEqual([]);
    expect(await status(id)).toBe("Inactive");
  });

  it("an expired subscription that reached the recycle bin is kept, or destroyed with purgeRecycleBin", async () => {
    await env.reset();
    const id = await normalInstance(prepaid);
    await env.admin.expire(id);
    await env.admin.advance(days(31));
    expect(await status(id)).toBe("Released");
    await logAfterSetup();
    await instance.delete(id, outputsOf(id, { chargeType: "PrePaid" }));
    expect(env.linesFor(id)).toEqual([`${id}: already released: it is in the recycle bin`, RECYCLE_LINE(id, await binUntil(id))]);
    await instance.delete(id, outputsOf(id, { chargeType: "PrePaid", purgeRecycleBin: true }));
    expect(await changeCalls()).toEqual(["DestroyInstance"]);
    expect(await env.admin.instance(id)).toBeUndefined();
  });
});

describe("redis.Instance delete: transitions, faults and deadlines", () => {
  it("retries IncorrectDBInstanceState while the instance is still Creating", async () => {
    await env.reset();
    const id = (await kv().createInstance(new Kv.CreateInstanceRequest({ regionId: REGION, instanceClass: SMALL }))).body!.instanceId!;
    await logAfterSetup();
    await instance.delete(id, outputsOf(id));
    const deletes = await env.admin.requests({ action: "DeleteInstance" });
    expect(deletes.length).toBeGreaterThanOrEqual(2);
    expect(deletes.slice(0, -1).every((e) => e.code === "IncorrectDBInstanceState" && e.status === 403)).toBe(true);
    expect(deletes.at(-1)!.status).toBe(200);
    // Whether the refusal is seen while it is still Creating or just after it settled depends on timing.
    expect(env.linesFor(id)).toContainEqual(expect.stringMatching(/^r-\w+: release refused while the instance (is Creating \(IncorrectDBInstanceState\); retrying in \d+s|was Creating \(IncorrectDBInstanceState\); it is Normal now: retrying)$/));
    expect(await status(id)).toBe("Released");
  });

  it("fails clearly when the release is refused in a status that does not change by itself", async () => {
    await env.reset();
    const id = await normalInstance();
    await env.admin.dependency(id, "IncorrectDBInstanceState");
    await logAfterSetup();
    const err = await failureOf(instance.delete(id, outputsOf(id)));
    const refused = (await env.admin.requests({ action: "DeleteInstance" })).at(-1)!;
    expect(err!.message).toBe(
      [
        `redis.Instance ${id}: DeleteInstance failed with IncorrectDBInstanceState (HTTP 403): Current DB instance state does not support this operation.`,
        "  What it means: The instance's current status does not allow this operation: a release needs a running (Normal) pay-as-you-go instance with no change in progress, and DestroyInstance needs an instance in the recycle bin.",
        "  What to do: Retried while the instance is in a transitional status (Creating, Changing, Transforming, Migrating, …); otherwise check the instance's status in the Tair (Redis) console.",
        "  The instance is Normal and did not enter the recycle bin, so no release is under way: check its pending tasks in the console, then run `pulumi destroy` again.",
        `  RequestId: ${refused.requestId}`,
      ].join("\n"),
    );
    expect(await status(id)).toBe("Normal");
  });

  it("rides out Throttling.Api (HTTP 403) and 503s on every call", async () => {
    await env.reset();
    const id = await normalInstance();
    await logAfterSetup();
    await env.admin.faults([
      { product: "r-kvstore", action: "DescribeInstances", code: "Throttling.Api", count: 2 },
      { product: "r-kvstore", action: "DeleteInstance", code: "ServiceUnavailable", count: 1 },
      { product: "r-kvstore", action: "DeleteInstance", code: "Throttling.Api", count: 1 },
      { product: "r-kvstore", action: "DestroyInstance", code: "ServiceUnavailable", count: 1 },
    ]);
    await instance.delete(id, outputsOf(id, { purgeRecycleBin: true }));
    const log = await env.admin.requests({ product: "r-kvstore" });
    expect(log.filter((e) => e.fault).map((e) => `${e.action}:${e.fault}:${e.status}`)).toEqual([
      "DescribeInstances:Throttling.Api:403",
      "DescribeInstances:Throttling.Api:403",
      "DeleteInstance:ServiceUnavailable:503",
      "DeleteInstance:Throttling.Api:403",
      "DestroyInstance:ServiceUnavailable:503",
    ]);
    expect(calls(log).filter((c) => !c.startsWith("Describe"))).toEqual(["DeleteInstance -> 503", "DeleteInstance -> 403", "DeleteInstance", "DestroyInstance -> 503", "DestroyInstance"]);
    expect(await env.admin.instance(id)).toBeUndefined();
  });

  it("a DeleteInstance whose reply was lost: the retry's refusal is recognised and the release completes", async () => {
    await env.reset();
    const id = await normalInstance();
    await logAfterSetup();
    await env.admin.faults([{ product: "r-kvstore", action: "DeleteInstance", drop: true, phase: "after", count: 1 }]);
    await instance.delete(id, outputsOf(id));
    expect(calls(await env.admin.requests({ action: "DeleteInstance" }))).toEqual(["DeleteInstance -> 0", "DeleteInstance -> 403"]);
    expect(env.linesFor(id)).toContain(`${id}: an earlier DeleteInstance whose reply was lost was accepted; waiting for the recycle bin`);
    expect(await status(id)).toBe("Released");
  });

  it("fails with the catalog's explanation and the RequestId for a code retrying cannot fix", async () => {
    await env.reset();
    const id = await normalInstance();
    await logAfterSetup();
    await env.admin.faults([{ product: "r-kvstore", action: "DeleteInstance", code: "IncorrectDBInstanceType" }]);
    const err = await failureOf(instance.delete(id, outputsOf(id)));
    const failed = (await env.admin.requests({ action: "DeleteInstance" })).at(-1)!;
    expect(err!.message).toBe(
      [
        `redis.Instance ${id}: DeleteInstance failed with IncorrectDBInstanceType (HTTP 403): Current DB instance type does not support this operation.`,
        "  What it means: The operation is not supported for this kind of instance (for example a child of a Global Distributed Cache instance).",
        "  What to do: If the instance belongs to a distributed instance, remove it from the distributed instance first; otherwise release it in the console.",
        `  RequestId: ${failed.requestId}`,
      ].join("\n"),
    );
    expect((await env.admin.requests({ action: "DeleteInstance" })).length).toBe(1);
    expect(await status(id)).toBe("Normal");
  });

  describe("with an emulator whose transitions never end", () => {
    it("gives up at deleteTimeoutSeconds, naming the phase and the last status", async () => {
      const slow = await startEmulator({ timeScale: 0.01, durations: { "kv.creating": 100000, "kv.releasing": 100000, "kv.destroying": 100000 } });
      const admin = new EmulatorAdmin(slow.url);
      const saved = process.env.ALICLOUD_RELEASE_ENDPOINT;
      try {
        process.env.ALICLOUD_RELEASE_ENDPOINT = slow.url;
        const create = () => kvClient(slow.url).createInstance(new Kv.CreateInstanceRequest({ regionId: REGION, instanceClass: SMALL }));

        // Waiting for the recycle bin.
        // Each slow transition lasts 100000 s × 0.01 = 1000 s of emulator time.
        const releasing = (await create()).body!.instanceId!;
        await admin.advance(1000);
        let started = Date.now();
        let err = await failureOf(instance.delete(releasing, outputsOf(releasing, { deleteTimeoutSeconds: 2 })));
        expect(Date.now() - started).toBeLessThan(4000);
        expect(err!.message).toMatch(new RegExp(`^redis.Instance ${releasing}: gave up waiting to be in the recycle bin \\(Released\\) after \\ds \\(the delete deadline of 2s was reached\\); last status: Normal\\.`));
        expect(err!.message).toContain("Run `pulumi destroy` again");

        // Waiting for the purge.
        await admin.advance(1000);
        err = await failureOf(instance.delete(releasing, outputsOf(releasing, { deleteTimeoutSeconds: 2, purgeRecycleBin: true })));
        expect(err!.message).toMatch(new RegExp(`^redis.Instance ${releasing}: gave up waiting to be destroyed \\(gone from the recycle bin\\) after \\ds \\(the delete deadline of 2s was reached\\); last status: Released\\.`));

        // Retrying a release refused while the instance is Creating.
        const creating = (await create()).body!.instanceId!;
        started = Date.now();
        err = await failureOf(instance.delete(creating, outputsOf(creating, { deleteTimeoutSeconds: 2 })));
        expect(Date.now() - started).toBeLessThan(4000);
        expect(err!.message).toMatch(new RegExp(`^redis.Instance ${creating}: DeleteInstance failed with IncorrectDBInstanceState \\(HTTP 403\\)`));
        expect(err!.message).toContain("Still refused when the delete deadline (2s) was reached; last status: Creating.");
        expect(err!.message).toMatch(/RequestId: [0-9A-F-]{36}/);
      } finally {
        process.env.ALICLOUD_RELEASE_ENDPOINT = saved;
        await slow.close();
      }
    });

    it("a create that never reaches Normal is kept in state (InitFailure with __provider) so destroy releases it", async () => {
      const slow = await startEmulator({ timeScale: 0.01, durations: { "kv.creating": 100000 } });
      const saved = process.env.ALICLOUD_RELEASE_ENDPOINT;
      try {
        process.env.ALICLOUD_RELEASE_ENDPOINT = slow.url;
        const err = await failureOf(instance.create({ instanceClass: SMALL, password: PASSWORD, createTimeoutSeconds: 1, __provider: PROVIDER }));
        expect(err).toBeInstanceOf(InitFailure);
        const f = err as InitFailure;
        expect(f.id).toMatch(/^r-bp1/);
        expect(f.properties).toMatchObject({ instanceId: f.id, regionId: REGION, instanceStatus: "Creating", __provider: PROVIDER, schemaVersion: 1 });
        expect(f.properties).not.toHaveProperty("password");
        expect(f.message).toMatch(new RegExp(`^redis.Instance ${f.id}: created but did not become ready: redis.Instance ${f.id}: gave up waiting to be running \\(Normal\\)`));
        expect(JSON.stringify([f.message, f.stack, f.properties, f.reasons])).not.toContain(PASSWORD);
      } finally {
        process.env.ALICLOUD_RELEASE_ENDPOINT = saved;
        await slow.close();
      }
    });
  });
});

describe("redis.Instance create", () => {
  const LAUNCH = { instanceClass: SMALL, engineVersion: "7.0", vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h", chargeType: "PostPaid", password: PASSWORD, purgeRecycleBin: true };

  it("creates with one Token reused after a lost reply, waits for Normal, and never exposes the password", async () => {
    await env.reset();
    await env.admin.faults([{ product: "r-kvstore", action: "CreateInstance", drop: true, phase: "after", count: 1 }]);
    const { id, outs } = await instance.create({ ...LAUNCH, __provider: PROVIDER });
    const creates = await env.admin.requests({ action: "CreateInstance" });
    expect(calls(creates)).toEqual(["CreateInstance -> 0", "CreateInstance"]);
    expect(creates[0].params.Token).toMatch(/^[0-9a-f-]{36}$/);
    expect(creates[1].params.Token).toBe(creates[0].params.Token);
    expect(creates[0].params).toMatchObject({ RegionId: REGION, InstanceClass: SMALL, EngineVersion: "7.0", ChargeType: "PostPaid", VSwitchId: "vsw-default-cn-hangzhou-h", ZoneId: "cn-hangzhou-h", NetworkType: "VPC", Password: "******" });
    expect((await env.admin.instances("r-kvstore")).map((i) => i.id)).toEqual([id]);
    expect(await env.admin.instance(id)).toMatchObject({ status: "Normal", EngineVersion: "7.0", InstanceReleaseProtection: false });
    expect(outs).toMatchObject({
      schemaVersion: 1, instanceId: id, regionId: REGION, chargeType: "PostPaid", endTime: null, instanceStatus: "Normal", instanceReleaseProtection: false,
      adopted: false, onSubscription: "fail", overrideProtection: false, deleteTimeoutSeconds: 1200, purgeRecycleBin: true, instanceClass: SMALL, port: 6379,
    });
    expect(outs).not.toHaveProperty("password");
    expect(env.linesFor(id)).toEqual([`${id}: created (CreateInstance); waiting for Normal`, expect.stringMatching(/: running \(Normal\) after \d+s$/)]);

    // The outputs alone are enough to destroy it; purgeRecycleBin came from them.
    await instance.delete(id, outs);
    expect(await env.admin.instance(id)).toBeUndefined();
    const everything = JSON.stringify([outs, env.lines, await env.admin.requests()]);
    expect(everything).toContain(id);
    expect(everything).not.toContain(PASSWORD);
  });

  it("turns release protection on once the instance runs", async () => {
    await env.reset();
    const { id, outs } = await instance.create({ ...LAUNCH, releaseProtection: true, __provider: PROVIDER });
    expect(await changeCalls()).toEqual(["CreateInstance", "ModifyInstanceAttribute(InstanceReleaseProtection=true)"]);
    expect(outs).toMatchObject({ releaseProtection: true, instanceReleaseProtection: true });
    expect(await env.admin.instance(id)).toMatchObject({ status: "Normal", InstanceReleaseProtection: true });
  });

  it("a failing CreateInstance never shows the password, although the HTTP layer's message carries it", async () => {
    await env.reset();
    await env.admin.faults([{ product: "r-kvstore", action: "CreateInstance", drop: true }]);
    // What the SDK itself says: the request URL, query string and all.
    const raw = await failureOf(kv().createInstance(new Kv.CreateInstanceRequest({ regionId: REGION, instanceClass: SMALL, password: PASSWORD })));
    expect(raw!.message).toContain(PASSWORD);

    env.lines.length = 0;
    const err = await failureOf(instance.create({ ...LAUNCH, createTimeoutSeconds: 1, __provider: PROVIDER }));
    expect(err).toBeInstanceOf(ReleaseError);
    expect(err!.message).toMatch(/^redis.Instance \(new\): CreateInstance failed with Network: /);
    expect(err!.message).toContain("Gave up retrying after");
    expect(JSON.stringify([err!.message, err!.stack, env.lines])).not.toContain(PASSWORD);
    expect(err!.message).not.toContain("Password=");

    await env.admin.faults([{ product: "r-kvstore", action: "CreateInstance", code: "InvalidParameter", message: "The specified parameter Password is not valid." }]);
    const invalid = await failureOf(instance.create({ ...LAUNCH, __provider: PROVIDER }));
    expect(invalid!.message).toContain("CreateInstance failed with InvalidParameter (HTTP 400): The specified parameter Password is not valid.");
    expect(JSON.stringify([invalid!.message, invalid!.stack])).not.toContain(PASSWORD);
    expect(await env.admin.instances("r-kvstore")).toEqual([]);
  });

  it("adopts an existing instance after checking it exists in the region", async () => {
    await env.reset();
    const id = await normalInstance({ chargeType: "PrePaid", period: "1" });
    const { outs } = await instance.create({ instanceId: id, regionId: REGION, onSubscription: "retain", __provider: PROVIDER });
    expect(outs).toMatchObject({ instanceId: id, adopted: true, chargeType: "PrePaid", endTime: await endTime(id), onSubscription: "retain", instanceStatus: "Normal" });
    expect(await changeCalls()).toEqual(["CreateInstance"]);

    const missing = await failureOf(instance.create({ instanceId: "r-bp1missing0000000000", regionId: REGION }));
    expect(missing!.message).toBe(
      "redis.Instance: cannot adopt r-bp1missing0000000000: no such instance (DescribeInstanceAttribute answered InvalidInstanceId.NotFound in region cn-hangzhou). Check the id and regionId.",
    );
    const elsewhere = await failureOf(instance.create({ instanceId: id, regionId: "cn-shanghai" }));
    expect(elsewhere!.message).toBe(`redis.Instance: cannot adopt ${id}: it is in region cn-hangzhou, not cn-shanghai. Set regionId: "cn-hangzhou".`);
  });
});

describe("redis.Instance check", () => {
  const CREATE = { instanceClass: SMALL, vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h", password: PASSWORD };

  it("accepts the documented examples, and values not known yet during preview", async () => {
    expect((await instance.check({}, { ...CREATE, engineVersion: "7.0", chargeType: "PostPaid", purgeRecycleBin: true })).failures).toEqual([]);
    expect((await instance.check({}, { instanceId: "r-bp1abcdef0123456789" })).failures).toEqual([]);
    expect((await instance.check({}, { capacity: 1024, chargeType: "PrePaid", period: 12, onSubscription: "retain" })).failures).toEqual([]);
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect((await instance.check({}, { ...CREATE, vSwitchId: unknown, password: unknown })).failures).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ["an ECS id", { instanceId: "i-bp1abcdef0123456" }, "instanceId", 'instanceId must be a Tair (Redis) instance id like "r-bp1…", got "i-bp1abcdef0123456" (an ECS instance id: use ecs.Instance)'],
    ["a MongoDB id", { instanceId: "dds-bp1abcdef01234" }, "instanceId", 'instanceId must be a Tair (Redis) instance id like "r-bp1…", got "dds-bp1abcdef01234" (a MongoDB instance id: use mongodb.Instance)'],
    ["a malformed id", { instanceId: "r-X" }, "instanceId", 'instanceId must be a Tair (Redis) instance id like "r-bp1…", got "r-X"'],
    ["creation inputs with adopt", { instanceId: "r-bp1abcdef0123456789", instanceClass: SMALL }, "instanceClass", "instanceClass applies only to an instance this resource creates; with instanceId (adopting an existing instance) remove it"],
    ["a password with adopt", { instanceId: "r-bp1abcdef0123456789", password: PASSWORD }, "password", "password applies only to an instance this resource creates; with instanceId (adopting an existing instance) remove it"],
    ["neither class nor capacity", { vSwitchId: "vsw-bp1test" }, "instanceClass", 'give instanceClass (e.g. "redis.master.small.default") or capacity (MB) to create an instance, or instanceId to adopt one'],
    ["a bad class", { instanceClass: "Small Redis" }, "instanceClass", 'instanceClass must be an instance class like "redis.master.small.default", got "Small Redis"'],
    ["a fractional capacity", { capacity: 1.5 }, "capacity", "capacity must be a whole number of MB, got 1.5"],
    ["an unknown engine", { ...CREATE, engineVersion: "3.0" }, "engineVersion", 'engineVersion must be one of "2.8", "4.0", "5.0", "6.0", "7.0", got "3.0"'],
    ["an unknown charge type", { ...CREATE, chargeType: "Monthly" }, "chargeType", 'chargeType must be "PostPaid" or "PrePaid", got "Monthly"'],
    ["a subscription without period", { ...CREATE, chargeType: "PrePaid" }, "period", "a PrePaid instance needs period (months) in 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 60, got none"],
    ["a period of 10 months", { ...CREATE, chargeType: "PrePaid", period: 10 }, "period", "a PrePaid instance needs period (months) in 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 60, got 10"],
    ["a period for pay-as-you-go", { ...CREATE, chargeType: "PostPaid", period: 1 }, "period", 'period applies only to chargeType "PrePaid" (a subscription)'],
    ["protection on a subscription", { ...CREATE, chargeType: "PrePaid", period: 1, releaseProtection: true }, "releaseProtection", "releaseProtection applies only to pay-as-you-go (PostPaid) instances"],
    ["a non-boolean protection", { ...CREATE, releaseProtection: "yes" }, "releaseProtection", 'releaseProtection must be true or false, got "yes"'],
    ["a bad vSwitch", { ...CREATE, vSwitchId: "sw-1" }, "vSwitchId", 'vSwitchId must be a vSwitch id like "vsw-bp1…", got "sw-1"'],
    ["a bad VPC", { ...CREATE, vpcId: "vpc_1" }, "vpcId", 'vpcId must be a VPC id like "vpc-bp1…", got "vpc_1"'],
    ["a zone of another region", { ...CREATE, regionId: "cn-hangzhou", zoneId: "cn-beijing-a" }, "zoneId", 'zoneId "cn-beijing-a" is not a zone of region "cn-hangzhou"'],
    ["a bad region", { ...CREATE, regionId: "Hangzhou" }, "regionId", 'regionId must be a region id like "cn-hangzhou", got "Hangzhou"'],
    ["a name starting with a digit", { ...CREATE, instanceName: "1cache" }, "instanceName", 'instanceName must be 2 to 80 characters, starting with a letter, without spaces or @ / : = " < > { [ ] }, got "1cache"'],
    ["a short password", { ...CREATE, password: "Ab1!" }, "password", "password must be 8 to 32 characters with at least three of: uppercase letters, lowercase letters, digits, and special characters !@#$%^&*()_+-= (no other characters); the given value does not qualify (not shown)"],
    ["a one-kind password", { ...CREATE, password: "onlylowercase" }, "password", "password must be 8 to 32 characters with at least three of: uppercase letters, lowercase letters, digits, and special characters !@#$%^&*()_+-=; the given value has only 1 kind(s) (not shown)"],
    ["a password that is not a string", { ...CREATE, password: 12345678 }, "password", "password must be a string of 8 to 32 characters with at least three of: uppercase letters, lowercase letters, digits, and special characters !@#$%^&*()_+-="],
    ["force (ECS only)", { ...CREATE, force: true }, "force", "force applies only to ECS instances: a Tair (Redis) release (DeleteInstance) has no force flag. Remove it."],
    ['onSubscription "convert"', { ...CREATE, onSubscription: "convert" }, "onSubscription", 'onSubscription "convert" is not available for Tair (Redis): a subscription instance cannot be converted and released through the API. Use "fail" (default) or "retain".'],
    ["an unknown onSubscription", { ...CREATE, onSubscription: "keep" }, "onSubscription", 'onSubscription must be one of "fail", "retain", got "keep"'],
    ["a non-boolean purge", { ...CREATE, purgeRecycleBin: "yes" }, "purgeRecycleBin", 'purgeRecycleBin must be true or false, got "yes"'],
    ["a non-boolean override", { ...CREATE, overrideProtection: 1 }, "overrideProtection", "overrideProtection must be true or false, got 1"],
    ["a zero delete timeout", { ...CREATE, deleteTimeoutSeconds: 0 }, "deleteTimeoutSeconds", "deleteTimeoutSeconds must be a whole number of seconds from 1 to 604800 (7 days), got 0"],
    ["a fractional create timeout", { ...CREATE, createTimeoutSeconds: 1.5 }, "createTimeoutSeconds", "createTimeoutSeconds must be a whole number from 1 to 86400, got 1.5"],
  ])("rejects %s", async (_name, news, property, reason) => {
    const { failures } = await instance.check({}, news);
    expect(failures).toEqual([{ property, reason }]);
    expect(JSON.stringify(failures)).not.toContain(PASSWORD);
  });
});

describe("redis.Instance diff, update and read", () => {
  const INPUTS = { instanceClass: SMALL, engineVersion: "7.0", vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h", password: PASSWORD };

  it("compares outputs with the same inputs as unchanged, and sorts changes into replacements and updates", async () => {
    await env.reset();
    const { id, outs } = await instance.create({ ...INPUTS, __provider: PROVIDER });
    const diff = (news: Record<string, unknown>) => instance.diff(id, outs, { ...INPUTS, ...news });
    expect(await diff({})).toMatchObject({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(await diff({ __provider: "const provider = require('somewhere/else')" })).toMatchObject({ changes: false });
    expect(await diff({ onSubscription: "fail", overrideProtection: false, deleteTimeoutSeconds: 1200, purgeRecycleBin: false, chargeType: "PostPaid", regionId: REGION })).toMatchObject({ changes: false });
    expect(await diff({ password: "An0ther-Secret-Pw" })).toMatchObject({ changes: false });
    expect(await diff({ purgeRecycleBin: true, overrideProtection: true, releaseProtection: true, instanceName: "cache2" })).toMatchObject({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(await diff({ instanceClass: "redis.master.mid.default", engineVersion: "6.0" })).toMatchObject({ changes: true, replaces: ["instanceClass", "engineVersion"] });
    expect(await diff({ chargeType: "PrePaid", period: 1 })).toMatchObject({ replaces: ["period", "chargeType"] });
    expect(await diff({ regionId: "cn-shanghai" })).toMatchObject({ replaces: ["regionId"] });
    expect(await diff({ instanceId: "r-bp1abcdef0123456789" })).toMatchObject({ replaces: ["instanceId"] });

    const adopted = (await instance.create({ instanceId: id, regionId: REGION })).outs;
    expect(await instance.diff(id, adopted, { instanceId: id, regionId: REGION })).toMatchObject({ changes: false });
    expect(await instance.diff(id, adopted, { instanceId: "r-bp1abcdef0123456789" })).toMatchObject({ replaces: ["instanceId"] });
  });

  it("update turns release protection on and off in place and keeps the outputs complete", async () => {
    await env.reset();
    const { id, outs } = await instance.create({ ...INPUTS, __provider: PROVIDER });
    await env.admin.clearRequests();
    const on = await instance.update(id, outs, { ...INPUTS, releaseProtection: true, purgeRecycleBin: true });
    expect(on.outs).toMatchObject({ instanceId: id, releaseProtection: true, instanceReleaseProtection: true, purgeRecycleBin: true, instanceStatus: "Normal" });
    expect(on.outs).not.toHaveProperty("password");
    const off = await instance.update(id, on.outs!, { ...INPUTS, instanceName: "cache2" });
    expect(off.outs).toMatchObject({ instanceReleaseProtection: false, purgeRecycleBin: false, instanceName: "cache2" });
    expect(await changeCalls(["InstanceReleaseProtection", "InstanceName"])).toEqual([
      "ModifyInstanceAttribute(InstanceReleaseProtection=true)",
      "ModifyInstanceAttribute(InstanceReleaseProtection=false,InstanceName=cache2)",
    ]);
    expect(await env.admin.instance(id)).toMatchObject({ InstanceReleaseProtection: false, InstanceName: "cache2" });
  });

  it("read follows the instance into the recycle bin and returns nothing once it is gone", async () => {
    await env.reset();
    const id = await normalInstance();
    const outs = outputsOf(id, { schemaVersion: 1, adopted: false });
    expect((await instance.read(id, outs)).props).toMatchObject({ instanceId: id, instanceStatus: "Normal" });
    await kv().deleteInstance(new Kv.DeleteInstanceRequest({ instanceId: id }));
    await env.admin.advance(100);
    expect((await instance.read(id, outs)).props).toMatchObject({ instanceId: id, instanceStatus: "Released" });
    await kv().destroyInstance(new Kv.DestroyInstanceRequest({ instanceId: id }));
    await env.admin.advance(10);
    expect(await instance.read(id, outs)).toEqual({});
  });
});
