// MongoDB (DDS) release lifecycle: the provider's own code, openapi-core's generic callApi, the emulator over HTTP.
// Each test asserts the calls made (from the emulator's request log), the final cloud state and what the user is
// told. Durations are virtual seconds at time scale 0.01: creating 30 → 0.3 s, lock after expiry 200 → 2 s.
import { describe, expect, it } from "vitest";
import { InitFailure } from "../../provider/core/dynamic";
import { ReleaseError } from "../../provider/core/failure";
import * as provider from "../../provider/mongodb/instance-provider";
import { checkInputs } from "../../provider/mongodb/declaration";
import { MAX_RUNNING_CONFLICTS, statusKind, TERMINAL_STATUSES } from "../../provider/mongodb/release";
import { calls, useEmulatorForProvider } from "../support/provider-env";
import { ddsCall } from "../support/sdk";

const env = useEmulatorForProvider({ "dds.creating": 30, "dds.deleting": 10, "dds.destroying": 10, "dds.lockAfterExpiry": 200 });
const REGION = "cn-hangzhou";
const PASSWORD = "Tr0ub4dor&3-horse";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PROVIDER_BLOB = 'exports.handler = () => require("pulumi-alicloud-release/mongodb/instance-provider")';
const CREATE = { engineVersion: "7.0", dbInstanceClass: "dds.mongo.mid", dbInstanceStorage: 20, vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h", chargeType: "PostPaid" };
const PREPAID = { ChargeType: "PrePaid", Period: 1 };

async function until(what: string, test: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`test setup: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function status(id: string): Promise<string | undefined> {
  return (await env.admin.instance(id))?.status;
}

/** A replica set made through the API directly (not the provider), left Creating or waited into Running. */
async function instance(extra: Record<string, unknown> = {}, o: { running?: boolean; region?: string } = {}): Promise<string> {
  const body = await ddsCall(env.emu.url, "CreateDBInstance", { RegionId: o.region ?? REGION, DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: 20, EngineVersion: "6.0", ...extra });
  const id = body.DBInstanceId as string;
  if (o.running !== false) await until(`${id} Running`, async () => (await status(id)) === "Running");
  return id;
}

/** A released pay-as-you-go replica set: kept in the recycle bin (released, no longer described) for 7 days. */
async function expectInRecycleBin(id: string): Promise<void> {
  expect(await env.admin.instance(id)).toMatchObject({ status: "Released", LockMode: "Released", pending: [{ transition: "purged" }] });
  await expect(ddsCall(env.emu.url, "DescribeDBInstanceAttribute", { DBInstanceId: id })).rejects.toMatchObject({ code: "InvalidDBInstanceId.NotFound" });
}

const outputsOf = (id: string, extra: Record<string, unknown> = {}) => ({ dbInstanceId: id, regionId: REGION, ...extra });

async function logAfterSetup(): Promise<void> {
  await env.admin.clearRequests();
  env.lines.length = 0;
}

async function releaseCalls(keep = ["DBInstanceReleaseProtection"]): Promise<string[]> {
  // The reads (DescribeDBInstanceAttribute polls, the DescribeDBInstances recycle-bin look-up) are not release calls.
  return calls(await env.admin.requests({ product: "dds" }), keep).filter((c) => !c.startsWith("DescribeDBInstance"));
}

const failure = <T>(p: Promise<T>): Promise<Error | undefined> => p.then(() => undefined, (e: Error) => e);

describe("mongodb.Instance delete: pay-as-you-go", () => {
  it("describes, releases with DeleteDBInstance (with a ClientToken) and waits until DescribeDBInstances no longer lists it", async () => {
    await env.reset();
    const id = await instance();
    await logAfterSetup();
    await provider.delete(id, outputsOf(id));
    const log = await env.admin.requests({ product: "dds" });
    // The release starts from the region's list (shared with every MongoDB delete in flight), and so does the wait.
    expect(log[0]).toMatchObject({ action: "DescribeDBInstances", params: expect.objectContaining({ RegionId: REGION, DBInstanceType: "replicate" }) });
    expect(log.filter((e) => e.action === "DescribeDBInstanceAttribute")).toEqual([]);
    // The wait polls the region's list (one call serves every MongoDB delete in flight), not the instance.
    expect(log.at(-2)).toMatchObject({ action: "DescribeDBInstances", status: 200, params: expect.objectContaining({ RegionId: REGION, DBInstanceType: "replicate", PageSize: "100" }) });
    // Then where it went: the recycle bin, the region's list with DBInstanceStatus=Released (shared like the polls).
    expect(log.at(-1)).toMatchObject({ action: "DescribeDBInstances", status: 200, params: { RegionId: REGION, DBInstanceType: "replicate", DBInstanceStatus: "Released", PageSize: "100", PageNumber: "1" } });
    expect(await releaseCalls()).toEqual(["DeleteDBInstance"]);
    const del = log.find((e) => e.action === "DeleteDBInstance")!;
    expect(del.params).toEqual({ DBInstanceId: id, ClientToken: expect.stringMatching(UUID) });
    await expectInRecycleBin(id);
    const lines = env.linesFor(id);
    expect(lines[0]).toBe(`${id}: releasing (DeleteDBInstance)`);
    // The end of the wait is reported once, with the time taken: no bare "released" line before it.
    expect(lines).not.toContain(`${id}: released`);
    expect(lines.at(-2)).toMatch(new RegExp(`^${id}: released \\(\\d+s\\)$`));
    // Where it is and until when: the day it entered the bin plus 7 days, to the second.
    const entered = Date.parse(String((await env.admin.instance(id))?.DestroyTime));
    const until = new Date(entered + 7 * 86_400_000).toISOString().slice(0, 19) + "Z";
    expect(lines.at(-1)).toBe(
      `${id}: kept in the recycle bin (not running, not billed): recoverable from the MongoDB console's Recycle Bin until ${until} (7 days), then deleted for good. ` +
        "The API cannot empty the bin sooner (DestroyInstance only releases expired subscriptions).",
    );
  });

  it("says a standalone instance is not kept in the recycle bin", async () => {
    await env.reset();
    const id = await instance({ DBInstanceClass: "mdb.single.2x.large.c" });
    await logAfterSetup();
    await provider.delete(id, outputsOf(id));
    expect(await env.admin.instance(id)).toBeUndefined();
    expect(env.linesFor(id).at(-1)).toBe(`${id}: not kept in the recycle bin: a standalone instance (mdb.single.2x.large.c) cannot be recovered once released`);
  });

  describe("release protection", () => {
    it("fails with a clear refusal and changes nothing", async () => {
      await env.reset();
      const id = await instance({ DBInstanceReleaseProtection: true });
      await logAfterSetup();
      const err = await failure(provider.delete(id, outputsOf(id)));
      expect(err).toBeInstanceOf(ReleaseError);
      expect((err as ReleaseError).code).toBe("InstanceReleaseProtection");
      expect(err!.message).toBe(
        `mongodb.Instance ${id}: not released: release protection (DBInstanceReleaseProtection) is on; nothing was changed.\n` +
          "  What to do: set overrideProtection: true (then `pulumi up`) to turn it off right before release, or set releaseProtection: false (then `pulumi up`), or turn it off in the MongoDB console; then run `pulumi destroy` again.",
      );
      expect(await releaseCalls()).toEqual([]);
      expect(await env.admin.instance(id)).toMatchObject({ status: "Running", DBInstanceReleaseProtection: true });
    });

    it("with overrideProtection turns it off first, then releases", async () => {
      await env.reset();
      const id = await instance({ DBInstanceReleaseProtection: true });
      await logAfterSetup();
      await provider.delete(id, outputsOf(id, { overrideProtection: true }));
      expect(await releaseCalls()).toEqual(["ModifyDBInstanceAttribute(DBInstanceReleaseProtection=false)", "DeleteDBInstance"]);
      expect(env.linesFor(id).slice(0, 2)).toEqual([`${id}: release protection turned off (overrideProtection)`, `${id}: releasing (DeleteDBInstance)`]);
      await expectInRecycleBin(id);
    });
  });

  describe("status conflicts (OperationDenied.DBInstanceStatus)", () => {
    it("retries a delete made while the instance is Creating until it is Running, with one ClientToken", async () => {
      await env.reset();
      // The clock stands still until the first DeleteDBInstance has been refused (under load the instance could
      // otherwise finish Creating before the delete gets there).
      await env.admin.freezeClock(true);
      const id = await instance({}, { running: false });
      await logAfterSetup();
      const deleting = provider.delete(id, outputsOf(id));
      await until("a first DeleteDBInstance", async () => (await env.admin.requests({ action: "DeleteDBInstance" })).length > 0);
      await env.admin.freezeClock(false);
      await deleting;
      const deletes = await env.admin.requests({ action: "DeleteDBInstance" });
      expect(deletes.length).toBeGreaterThanOrEqual(2);
      expect(deletes.slice(0, -1).every((e) => e.status === 403 && e.code === "OperationDenied.DBInstanceStatus")).toBe(true);
      expect(deletes.at(-1)!.status).toBe(200);
      expect(new Set(deletes.map((e) => e.params.ClientToken)).size).toBe(1);
      expect(env.linesFor(id)).toContain(`${id}: DeleteDBInstance refused while the instance is Creating (OperationDenied.DBInstanceStatus); retrying until it can be released`);
      await expectInRecycleBin(id);
    });

    it("retries a refusal that clears while the instance shows Running (injected twice)", async () => {
      await env.reset();
      const id = await instance();
      await logAfterSetup();
      await env.admin.faults([{ product: "dds", action: "DeleteDBInstance", code: "OperationDenied.DBInstanceStatus", count: 2 }]);
      await provider.delete(id, outputsOf(id));
      expect(calls(await env.admin.requests({ action: "DeleteDBInstance" }))).toEqual(["DeleteDBInstance -> 403", "DeleteDBInstance -> 403", "DeleteDBInstance"]);
      await expectInRecycleBin(id);
    });

    it("fails when the refusal persists although the instance shows Running, and changes nothing", async () => {
      await env.reset();
      const id = await instance();
      await logAfterSetup();
      await env.admin.faults([{ product: "dds", action: "DeleteDBInstance", code: "OperationDenied.DBInstanceStatus" }]);
      const err = await failure(provider.delete(id, outputsOf(id)));
      const deletes = await env.admin.requests({ action: "DeleteDBInstance" });
      expect(deletes).toHaveLength(MAX_RUNNING_CONFLICTS + 1);
      expect(err!.message).toContain(`mongodb.Instance ${id}: DeleteDBInstance failed with OperationDenied.DBInstanceStatus (HTTP 403): The operation is not permitted due to status of instance.`);
      expect(err!.message).toContain(`DescribeDBInstanceAttribute shows the instance Running, yet DeleteDBInstance refused it ${MAX_RUNNING_CONFLICTS + 1} times`);
      expect(err!.message).toContain(`RequestId: ${deletes.at(-1)!.requestId}`);
      await env.admin.clearFaults();
      expect(await status(id)).toBe("Running");
    });

    it.each(TERMINAL_STATUSES)("treats %s as a status that does not change by itself", (s) => {
      expect(statusKind(s)).toBe("terminal");
    });

    it.each([
      ["Running", "ready"],
      ["Deleting", "releasing"],
      ["Creating", "transitional"],
      ["DBInstanceClassChanging", "transitional"],
      ["Rebooting", "transitional"],
      ["SomethingNew", "transitional"],
    ])("classifies %s as %s", (s, kind) => {
      expect(statusKind(s)).toBe(kind);
    });
  });

  it("fails clearly, without retrying, when the instance belongs to a Global Active Database", async () => {
    await env.reset();
    const id = await instance();
    await env.admin.dependency(id, "GadInstanceNotSupport");
    await logAfterSetup();
    const err = await failure(provider.delete(id, outputsOf(id)));
    const deletes = await env.admin.requests({ action: "DeleteDBInstance" });
    expect(deletes).toHaveLength(1);
    expect(err!.message).toBe(
      [
        `mongodb.Instance ${id}: DeleteDBInstance failed with GadInstanceNotSupport (HTTP 400): GAD Instance doesn't support the operation.`,
        "  What it means: The instance is a member of a Global Active Database (GAD) cluster, which cannot be released on its own.",
        "  What to do: Remove the instance from its Global Active Database cluster (or release the cluster) in the MongoDB console, then run `pulumi destroy` again.",
        `  RequestId: ${deletes[0].requestId}`,
      ].join("\n"),
    );
    expect(await status(id)).toBe("Running");
  });

  it("treats an instance that does not exist as released, without release calls", async () => {
    await env.reset();
    const id = "dds-bp1gone000000000000";
    await provider.delete(id, outputsOf(id));
    expect(await releaseCalls()).toEqual([]);
    expect(env.linesFor(id)).toEqual([`${id}: already released (DescribeDBInstanceAttribute answered InvalidDBInstanceId.NotFound)`]);
  });

  it.each(["InvalidDBInstanceId.NotFound", "InvalidDbInstanceId.NotFound", "InvalidInstanceId.NotFound"])("counts %s as already released", async (code) => {
    await env.reset();
    // Not in the region's list, so asked about alone; each documented spelling of "not found" means released.
    const id = "dds-bp1gone0000000";
    await logAfterSetup();
    await env.admin.faults([{ product: "dds", action: "DescribeDBInstanceAttribute", code }]);
    await provider.delete(id, outputsOf(id));
    expect(await releaseCalls()).toEqual([]);
    expect(env.linesFor(id)).toEqual([`${id}: already released (DescribeDBInstanceAttribute answered ${code})`]);
  });

  it("waits for a release someone else started (Deleting) without calling DeleteDBInstance", async () => {
    await env.reset();
    const id = await instance();
    // The clock stands still until the delete has seen the instance Deleting (under load the 10 s release could
    // otherwise be over before the delete starts).
    await env.admin.freezeClock(true);
    await ddsCall(env.emu.url, "DeleteDBInstance", { DBInstanceId: id });
    await logAfterSetup();
    const deleting = provider.delete(id, outputsOf(id));
    await until("the delete's first describe", async () => (await env.admin.requests({ product: "dds" })).length > 0);
    await env.admin.freezeClock(false);
    await deleting;
    expect(await releaseCalls()).toEqual([]);
    expect(env.linesFor(id)[0]).toBe(`${id}: already being released (Deleting); waiting until it is gone`);
    await expectInRecycleBin(id);
  });

  it("rides out throttling, 5xx, a dropped connection, a proxy page and a lost reply, reusing the ClientToken", async () => {
    await env.reset();
    const id = await instance();
    await logAfterSetup();
    await env.admin.faults([
      { product: "dds", action: "DescribeDBInstances", code: "Throttling.User", count: 2 },
      { product: "dds", action: "DeleteDBInstance", code: "ServiceUnavailable", count: 1 },
      { product: "dds", action: "DeleteDBInstance", drop: true, count: 1 },
      { product: "dds", action: "DeleteDBInstance", body: "html", count: 1 },
      { product: "dds", action: "DeleteDBInstance", code: "InternalError", phase: "after", count: 1 },
    ]);
    await provider.delete(id, outputsOf(id));
    const log = await env.admin.requests({ product: "dds" });
    expect(log.filter((e) => e.fault).map((e) => `${e.action}:${e.fault}`)).toEqual([
      "DescribeDBInstances:Throttling.User",
      "DescribeDBInstances:Throttling.User",
      "DeleteDBInstance:ServiceUnavailable",
      "DeleteDBInstance:drop",
      "DeleteDBInstance:html",
      "DeleteDBInstance:InternalError",
    ]);
    const deletes = log.filter((e) => e.action === "DeleteDBInstance");
    expect(calls(deletes)).toEqual(["DeleteDBInstance -> 503", "DeleteDBInstance -> 0", "DeleteDBInstance -> 502", "DeleteDBInstance -> 500", "DeleteDBInstance"]);
    expect(new Set(deletes.map((e) => e.params.ClientToken)).size).toBe(1);
    await expectInRecycleBin(id);
  });

  it("works from outputs of any shape: only the resource id, region from the environment", async () => {
    await env.reset();
    const id = await instance();
    await logAfterSetup();
    await provider.delete(id, {});
    expect(await releaseCalls()).toEqual(["DeleteDBInstance"]);
    await expectInRecycleBin(id);
  });

  it("refuses a stored id that is not a DDS id instead of counting it as released", async () => {
    await env.reset();
    const err = await failure(provider.delete("i-bp1notmongo0000000", {}));
    expect(err!.message).toContain("mongodb.Instance i-bp1notmongo0000000: not released: the stored id is not a MongoDB (DDS) instance id");
    expect(await env.admin.requests({ product: "dds" })).toEqual([]);
  });
});

describe("mongodb.Instance delete: subscription (PrePaid)", () => {
  it("waits for an expired subscription's expiry lock, then releases it with DestroyInstance", async () => {
    await env.reset();
    const id = await instance(PREPAID);
    const expired = await env.admin.expire(id);
    expect(expired.LockMode).toBe("Unlock");
    await logAfterSetup();
    const started = Date.now();
    await provider.delete(id, outputsOf(id, { chargeType: "PrePaid" }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(await releaseCalls()).toEqual(["DestroyInstance"]);
    const destroy = (await env.admin.requests({ action: "DestroyInstance" }))[0];
    expect(destroy.params).toEqual({ DBInstanceId: id, ClientToken: expect.stringMatching(UUID) });
    const lines = env.linesFor(id);
    expect(lines[0]).toMatch(new RegExp(`^${id}: subscription expired at \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}Z but not locked yet \\(LockMode Unlock\\); waiting for the expiry lock \\(LockMode LockByExpiration\\) that DestroyInstance requires$`));
    // The lock's arrival is said once, by the line that acts on it.
    expect(lines).not.toContain(`${id}: Running, LockMode LockByExpiration`);
    expect(lines).toContain(`${id}: expired and locked; releasing (DestroyInstance)`);
    expect(lines.at(-1)).toMatch(new RegExp(`^${id}: released \\(\\d+s\\)$`));
    expect(await env.admin.instance(id)).toBeUndefined();
  });

  it("releases an instance already under the expiry lock at once", async () => {
    await env.reset();
    const id = await instance(PREPAID);
    await env.admin.lock(id, "expiration");
    await logAfterSetup();
    await provider.delete(id, outputsOf(id));
    expect(await releaseCalls()).toEqual(["DestroyInstance"]);
    expect(env.linesFor(id)[0]).toBe(`${id}: expired and locked; releasing (DestroyInstance)`);
    expect(await env.admin.instance(id)).toBeUndefined();
  });

  it("gives up at deleteTimeoutSeconds while waiting for the expiry lock, saying so", async () => {
    await env.reset();
    const id = await instance(PREPAID);
    await env.admin.expire(id);
    await logAfterSetup();
    const started = Date.now();
    const err = await failure(provider.delete(id, outputsOf(id, { deleteTimeoutSeconds: 1 })));
    expect(Date.now() - started).toBeLessThan(1800);
    expect(err!.message).toMatch(
      new RegExp(`^mongodb\\.Instance ${id}: gave up waiting to be under the expiry lock \\(LockMode LockByExpiration\\) after \\ds \\(the delete deadline of 1s was reached\\); last status: Running, LockMode Unlock\\.`),
    );
    expect(err!.message).toContain("Note: the subscription expired at ");
    expect(err!.message).toContain("DestroyInstance cannot release it before");
    expect(await releaseCalls()).toEqual([]);
    expect(await status(id)).toBe("Running");
  });

  describe("one that has not expired", () => {
    it("fails by default, naming the expiry date and the choices, and changes nothing", async () => {
      await env.reset();
      const id = await instance(PREPAID);
      const expiry = (await ddsCall(env.emu.url, "DescribeDBInstanceAttribute", { DBInstanceId: id }) as { DBInstances: { DBInstance: { ExpireTime: string }[] } }).DBInstances.DBInstance[0].ExpireTime;
      await logAfterSetup();
      const err = await failure(provider.delete(id, outputsOf(id)));
      expect((err as ReleaseError).code).toBe("ChargeTypeViolation");
      expect(err!.message).toContain(`mongodb.Instance ${id}: not released: it is a subscription (PrePaid) instance that has not expired (expires ${expiry})`);
      expect(err!.message).toContain("Nothing was changed.");
      expect(err!.message).toContain('onSubscription: "retain"');
      expect(err!.message).toContain("unsubscribe it in the Alibaba Cloud console");
      expect(err!.message).toContain("wait until it expires and is locked");
      expect(await releaseCalls()).toEqual([]);
      expect(await status(id)).toBe("Running");
    });

    it("with retain: prints a warning, makes no release call and leaves it running", async () => {
      await env.reset();
      const id = await instance(PREPAID);
      await logAfterSetup();
      await provider.delete(id, outputsOf(id, { onSubscription: "retain" }));
      expect(await releaseCalls()).toEqual([]);
      expect(env.linesFor(id)).toEqual([
        expect.stringMatching(new RegExp(`^${id}: warning: subscription instance not expired \\(expires \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}Z\\): left running and removed from Pulumi state \\(onSubscription: "retain"\\)\\. It is billed until it expires;`)),
      ]);
      expect(await status(id)).toBe("Running");
    });
  });
});

describe("mongodb.Instance create", () => {
  it("creates with CreateDBInstance, waits for Running, and keeps the password out of outputs and the log", async () => {
    await env.reset();
    const res = await provider.create({ ...CREATE, accountPassword: PASSWORD, dbInstanceDescription: "orders", __provider: PROVIDER_BLOB });
    expect(res.id).toMatch(/^dds-bp1[a-z0-9]{17}$/);
    const log = await env.admin.requests({ product: "dds" });
    const created = log.filter((e) => e.action === "CreateDBInstance");
    expect(created).toHaveLength(1);
    expect(created[0].params).toEqual({
      RegionId: REGION, Engine: "MongoDB", EngineVersion: "7.0", DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: "20", VSwitchId: "vsw-default-cn-hangzhou-h", ZoneId: "cn-hangzhou-h",
      DBInstanceDescription: "orders", ChargeType: "PostPaid", AccountPassword: "******", ClientToken: expect.stringMatching(UUID),
    });
    expect(res.outs).toMatchObject({
      schemaVersion: 1, dbInstanceId: res.id, regionId: REGION, chargeType: "PostPaid", expireTime: null, lockMode: "Unlock", status: "Running",
      releaseProtection: false, adopted: false, onSubscription: "fail", overrideProtection: false, deleteTimeoutSeconds: 1200, __provider: PROVIDER_BLOB,
    });
    expect(res.outs).not.toHaveProperty("accountPassword");
    expect(res.outs).not.toHaveProperty("force");
    expect(Object.values(res.outs).includes(undefined)).toBe(false);
    expect(JSON.stringify(res.outs)).not.toContain(PASSWORD);
    expect(JSON.stringify(log)).not.toContain(PASSWORD);
    expect(env.lines.join("\n")).not.toContain(PASSWORD);
    expect(env.linesFor(res.id)[0]).toBe(`${res.id}: created (CreateDBInstance); waiting for Running`);
    expect(await status(res.id)).toBe("Running");
  });

  it("creates a subscription with its Period and reports its ExpireTime", async () => {
    await env.reset();
    const res = await provider.create({ ...CREATE, chargeType: "PrePaid", period: 1 });
    const created = (await env.admin.requests({ action: "CreateDBInstance" }))[0];
    expect(created.params).toMatchObject({ ChargeType: "PrePaid", Period: "1" });
    expect(created.params).not.toHaveProperty("DBInstanceReleaseProtection");
    expect(res.outs).toMatchObject({ chargeType: "PrePaid", lockMode: "Unlock", expireTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/) });
  });

  it("reuses its ClientToken across retries, so a lost reply creates one instance", async () => {
    await env.reset();
    await env.admin.faults([
      { product: "dds", action: "CreateDBInstance", code: "ServiceUnavailable", count: 1 },
      { product: "dds", action: "CreateDBInstance", code: "InternalError", phase: "after", count: 1 },
    ]);
    const res = await provider.create({ ...CREATE, releaseProtection: true });
    const created = await env.admin.requests({ action: "CreateDBInstance" });
    expect(calls(created, ["DBInstanceReleaseProtection"])).toEqual([
      "CreateDBInstance(DBInstanceReleaseProtection=true) -> 503",
      "CreateDBInstance(DBInstanceReleaseProtection=true) -> 500",
      "CreateDBInstance(DBInstanceReleaseProtection=true)",
    ]);
    expect(new Set(created.map((e) => e.params.ClientToken)).size).toBe(1);
    expect((await env.admin.instances("dds")).map((i) => i.id)).toEqual([res.id]);
    expect(res.outs.releaseProtection).toBe(true);
  });

  it("records an instance that never shows up as an init failure with __provider, so destroy releases it", async () => {
    await env.reset();
    await env.admin.faults([{ product: "dds", action: "DescribeDBInstanceAttribute", code: "InvalidDBInstanceId.NotFound" }]);
    const err = await failure(provider.create({ ...CREATE, accountPassword: PASSWORD, __provider: PROVIDER_BLOB }));
    expect(err).toBeInstanceOf(InitFailure);
    const init = err as InitFailure;
    const [made] = await env.admin.instances("dds");
    expect(init.id).toBe(made.id);
    expect(init.message).toBe(`mongodb.Instance ${made.id}: created but did not become Running: still not found 1s after CreateDBInstance (DescribeDBInstanceAttribute answered InvalidDBInstanceId.NotFound)`);
    expect(init.reasons).toEqual([init.message]);
    expect(init.properties).toMatchObject({ dbInstanceId: made.id, regionId: REGION, status: "Unknown", __provider: PROVIDER_BLOB });
    expect(JSON.stringify(init.properties)).not.toContain(PASSWORD);
    await env.admin.clearFaults();
    await until("Running", async () => (await status(made.id)) === "Running");
    await provider.delete(init.id, init.properties);
    await expectInRecycleBin(made.id);
  });

  it("fails clearly with the catalog's explanation when CreateDBInstance is refused", async () => {
    await env.reset();
    await env.admin.faults([{ product: "dds", action: "CreateDBInstance", code: "QuotaExceed" }]);
    const err = await failure(provider.create(CREATE));
    expect(err!.message).toContain("mongodb.Instance (new): CreateDBInstance failed with QuotaExceed (HTTP 400): Living afterpay instances quota exceeded.");
    expect(err!.message).toContain("What to do: Release unused instances or ask for a higher quota in the Quota Center.");
    expect(await env.admin.instances("dds")).toEqual([]);
  });

  describe("adopting", () => {
    it("adopts an existing instance, with its billing and state from the cloud", async () => {
      await env.reset();
      const id = await instance(PREPAID);
      const res = await provider.create({ dbInstanceId: id });
      expect(res.id).toBe(id);
      expect(res.outs).toMatchObject({ dbInstanceId: id, regionId: REGION, adopted: true, chargeType: "PrePaid", status: "Running", lockMode: "Unlock" });
      expect(await releaseCalls()).toEqual(["CreateDBInstance"]);
    });

    it("fails clearly for an id that does not exist", async () => {
      await env.reset();
      const err = await failure(provider.create({ dbInstanceId: "dds-bp1missing00000000" }));
      expect(err!.message).toBe(
        "mongodb.Instance: cannot adopt dds-bp1missing00000000: no such instance in region cn-hangzhou (DescribeDBInstanceAttribute answered InvalidDBInstanceId.NotFound). Check dbInstanceId and regionId.",
      );
    });

    it("fails clearly for an instance in another region", async () => {
      await env.reset();
      const id = await instance({}, { region: "cn-shanghai" });
      const err = await failure(provider.create({ dbInstanceId: id, regionId: REGION }));
      expect(err!.message).toBe(`mongodb.Instance: cannot adopt ${id}: it is in region cn-shanghai, not cn-hangzhou. Set regionId: "cn-shanghai".`);
    });
  });
});

describe("mongodb.Instance diff, update and read", () => {
  const olds = { ...CREATE, dbInstanceId: "dds-bp1abcdefabcdefabcd", regionId: REGION, status: "Running", releaseProtection: false, adopted: false, onSubscription: "fail", overrideProtection: false, deleteTimeoutSeconds: 1200, __provider: "old blob" };
  const news = { ...CREATE, __provider: "old blob" };

  it.each<[string, Record<string, unknown>, { changes: boolean; replaces: string[] }]>([
    ["nothing", {}, { changes: false, replaces: [] }],
    ["__provider alone", { __provider: "new blob" }, { changes: false, replaces: [] }],
    ["a new password (used at creation only)", { accountPassword: PASSWORD }, { changes: false, replaces: [] }],
    ["release protection", { releaseProtection: true }, { changes: true, replaces: [] }],
    ["a delete option", { onSubscription: "retain" }, { changes: true, replaces: [] }],
    ["the instance class (changed in place by the cloud)", { dbInstanceClass: "dds.mongo.large" }, { changes: true, replaces: [] }],
    ["the zone", { zoneId: "cn-hangzhou-i" }, { changes: true, replaces: ["zoneId"] }],
    ["the vSwitch", { vSwitchId: "vsw-bp1other" }, { changes: true, replaces: ["vSwitchId"] }],
    ["the region", { regionId: "cn-shanghai" }, { changes: true, replaces: ["regionId"] }],
  ])("for %s", async (_what, change, expected) => {
    const d = await provider.diff("dds-bp1abcdefabcdefabcd", olds, { ...news, ...change });
    expect(d).toMatchObject({ ...expected, deleteBeforeReplace: false });
    expect(d.replaces).toEqual(expected.replaces);
    for (const k of expected.replaces) expect(d.detailedDiff[k]).toEqual({ kind: "updateReplace", inputDiff: true });
  });

  it("turns release protection on in place and resets a removed delete option to its default", async () => {
    await env.reset();
    const created = await provider.create({ ...CREATE, onSubscription: "retain" });
    await logAfterSetup();
    const { onSubscription: _dropped, ...rest } = { ...CREATE, onSubscription: "retain" };
    const res = await provider.update(created.id, created.outs, { ...rest, releaseProtection: true, deleteTimeoutSeconds: 600 });
    expect(await releaseCalls()).toEqual(["ModifyDBInstanceAttribute(DBInstanceReleaseProtection=true)"]);
    expect(res.outs).toMatchObject({ releaseProtection: true, onSubscription: "fail", deleteTimeoutSeconds: 600, dbInstanceId: created.id });
    expect(await env.admin.instance(created.id)).toMatchObject({ DBInstanceReleaseProtection: true });
  });

  it("refuses a spec change the instance does not show yet, and changes nothing", async () => {
    await env.reset();
    const created = await provider.create(CREATE);
    await logAfterSetup();
    const err = await failure(provider.update(created.id, created.outs, { ...CREATE, dbInstanceClass: "dds.mongo.large" }));
    expect(err!.message).toContain(`mongodb.Instance ${created.id}: not updated: dbInstanceClass is "dds.mongo.mid" on the instance, the program asks for "dds.mongo.large".`);
    expect(err!.message).toContain("pulumi up --replace <urn>");
    expect(await releaseCalls()).toEqual([]);
  });

  it("reads the instance, and nothing once it is gone", async () => {
    await env.reset();
    const id = await instance(PREPAID);
    const read = await provider.read(id, outputsOf(id));
    expect(read).toMatchObject({ id, props: { dbInstanceId: id, chargeType: "PrePaid", status: "Running", lockMode: "Unlock" } });
    expect(await provider.read("dds-bp1gone000000000000", outputsOf("dds-bp1gone000000000000"))).toEqual({});
  });
});

describe("mongodb.Instance check", () => {
  const ok = { ...CREATE };
  it.each<[string, Record<string, unknown>, { property: string; reason: string | RegExp }[]]>([
    ["a complete pay-as-you-go instance", ok, []],
    ["an adoption", { dbInstanceId: "dds-bp1abcdefabcdefabcd", onSubscription: "retain", releaseProtection: true }, []],
    ["nothing at all", {}, [
      { property: "engineVersion", reason: "engineVersion must be one of 8.0, 7.0, 6.0, 5.0, 4.4, 4.2, 4.0 (as a string) to create an instance (or give dbInstanceId to adopt one), got undefined" },
      { property: "dbInstanceClass", reason: 'dbInstanceClass must be an instance class like "dds.mongo.mid" to create an instance, got undefined' },
      { property: "dbInstanceStorage", reason: "dbInstanceStorage must be a whole number of GB, at least 10, to create an instance, got undefined" },
    ]],
    ["an ECS id", { dbInstanceId: "i-bp1abcdefabcdefabcd" }, [{ property: "dbInstanceId", reason: 'dbInstanceId must be a MongoDB (DDS) instance id like "dds-bp1…"; "i-bp1abcdefabcdefabcd" is an ECS instance id (use ecs.Instance)' }]],
    ["a Redis id", { dbInstanceId: "r-bp1abcdefabcdefabcd" }, [{ property: "dbInstanceId", reason: 'dbInstanceId must be a MongoDB (DDS) instance id like "dds-bp1…"; "r-bp1abcdefabcdefabcd" is a Redis (R-KVStore) instance id (use redis.Instance)' }]],
    ["a malformed id", { dbInstanceId: "dds-X" }, [{ property: "dbInstanceId", reason: 'dbInstanceId must be a MongoDB (DDS) instance id like "dds-bp1…", got "dds-X"' }]],
    ["an id and creation parameters", { dbInstanceId: "dds-bp1abcdefabcdefabcd", engineVersion: "7.0", vSwitchId: "vsw-bp1x" }, [{ property: "engineVersion", reason: "give either dbInstanceId (adopt an existing instance) or the creation parameters, not both: remove engineVersion, vSwitchId" }]],
    ["a bad region", { ...ok, regionId: "Hangzhou" }, [{ property: "regionId", reason: 'regionId must be a region id like "cn-hangzhou", got "Hangzhou"' }]],
    ["a zone of another region", { ...ok, regionId: "cn-shanghai" }, [{ property: "zoneId", reason: "zoneId cn-hangzhou-h is not a zone of region cn-shanghai" }]],
    ["an unknown engine version", { ...ok, engineVersion: 7 }, [{ property: "engineVersion", reason: /engineVersion must be one of .* got 7$/ }]],
    ["too little storage", { ...ok, dbInstanceStorage: 5 }, [{ property: "dbInstanceStorage", reason: /at least 10, to create an instance, got 5$/ }]],
    ["a bad storage type", { ...ok, storageType: "ssd" }, [{ property: "storageType", reason: 'storageType must be one of cloud_essd1, cloud_essd2, cloud_essd3, cloud_auto, local_ssd, got "ssd"' }]],
    ["a bad replication factor", { ...ok, replicationFactor: 4 }, [{ property: "replicationFactor", reason: "replicationFactor must be 3, 5 or 7, got 4" }]],
    ["a bad vSwitch", { ...ok, vSwitchId: "subnet-1" }, [{ property: "vSwitchId", reason: 'vSwitchId must be a vSwitch id like "vsw-bp1…", got "subnet-1"' }]],
    ["a VPC without vSwitch", { ...ok, vSwitchId: undefined, vpcId: "vpc-bp1x" }, [{ property: "vSwitchId", reason: "vSwitchId is required when vpcId is given" }]],
    ["a bad charge type", { ...ok, chargeType: "Monthly" }, [{ property: "chargeType", reason: 'chargeType must be "PostPaid" (pay-as-you-go) or "PrePaid" (subscription), got "Monthly"' }]],
    ["a subscription without period", { ...ok, chargeType: "PrePaid" }, [{ property: "period", reason: "a PrePaid instance needs period (months) in 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 60, got undefined" }]],
    ["a subscription of 48 months", { ...ok, chargeType: "PrePaid", period: 48 }, [{ property: "period", reason: /got 48$/ }]],
    ["a period for pay-as-you-go", { ...ok, period: 1 }, [{ property: "period", reason: 'period (months) applies only to chargeType "PrePaid"' }]],
    ["release protection on a subscription", { ...ok, chargeType: "PrePaid", period: 1, releaseProtection: true }, [{ property: "releaseProtection", reason: "releaseProtection applies only to pay-as-you-go (PostPaid) instances" }]],
    ["a weak password", { ...ok, accountPassword: "password" }, [{ property: "accountPassword", reason: /^accountPassword must be 8 to 32 characters .* \(the given value has 8 characters and 1 of the four kinds\)$/ }]],
    ["a password with a forbidden character", { ...ok, accountPassword: "Abc12345?x" }, [{ property: "accountPassword", reason: /and characters outside that set\)$/ }]],
    ["onSubscription convert", { ...ok, onSubscription: "convert" }, [{ property: "onSubscription", reason: 'onSubscription "convert" is not available for MongoDB: the API cannot switch a subscription instance to pay-as-you-go for release. Use "fail" (default) or "retain".' }]],
    ["an unknown onSubscription", { ...ok, onSubscription: "keep" }, [{ property: "onSubscription", reason: 'onSubscription must be one of "fail", "retain", got "keep"' }]],
    ["force: true", { ...ok, force: true }, [{ property: "force", reason: "force applies only to ecs.Instance: DeleteDBInstance has no force flag. Remove it (false is accepted and ignored)." }]],
    ["force: false (accepted, ignored)", { ...ok, force: false }, []],
    ["a zero timeout", { ...ok, deleteTimeoutSeconds: 0 }, [{ property: "deleteTimeoutSeconds", reason: /^deleteTimeoutSeconds must be a whole number of seconds from 1 to 604800/ }]],
    ["a non-boolean overrideProtection", { ...ok, overrideProtection: "yes" }, [{ property: "overrideProtection", reason: 'overrideProtection must be true or false, got "yes"' }]],
  ])("%s", async (_what, inputs, expected) => {
    const res = await provider.check({}, inputs);
    expect(res.inputs).toEqual(inputs);
    expect(res.failures).toEqual(expected.map((f) => ({ property: f.property, reason: typeof f.reason === "string" ? f.reason : expect.stringMatching(f.reason) })));
  });

  it("never quotes the password in a failure", () => {
    const secret = "short1!";
    expect(JSON.stringify(checkInputs({ ...ok, accountPassword: secret }))).not.toContain(secret);
  });
});
