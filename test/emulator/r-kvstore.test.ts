// R-KVStore (Redis / Tair) through the real @alicloud/r-kvstore20150101 SDK: create, describe, modify, release
// into the recycle bin, destroy from it, a subscription's expiry timeline, Token idempotency and secrets.
import * as Kv from "@alicloud/r-kvstore20150101";
import { useEmulator } from "../support/emulator";
import { beforeEach, describe, expect, it } from "vitest";
import { kvClient, SignatureMode } from "../support/sdk";

const REGION = "cn-hangzhou";
const DAY = 86400;
const SMALL = "redis.master.small.default";
const PASSWORD = "Pw-Sh0uld-Never-Leak";
const NEW_PASSWORD = "An0ther-Hidden-Pw";
const ISO_SECOND = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

// Frozen: virtual time moves only when a test advances it, so durations are exact.
const t = useEmulator({ frozenClock: true });

interface KvFailure {
  code: string;
  statusCode: number;
  message: string;
  name: string;
  data?: { HostId?: string; Recommend?: string; Message?: string; RequestId?: string };
}

async function failure(p: Promise<unknown>): Promise<KvFailure> {
  try {
    await p;
  } catch (e) {
    return e as KvFailure;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** Asserts the SDK error: code, HTTP status, the message the SDK builds from the body, and the body's host. */
async function expectError(p: Promise<unknown>, code: string, status: number, message: string): Promise<KvFailure> {
  const err = await failure(p);
  expect({ code: err.code, statusCode: err.statusCode }).toEqual({ code, statusCode: status });
  expect(err.data?.Message).toBe(message);
  expect(err.message).toBe(`${code}: code: ${status}, ${message} request id: ${err.data?.RequestId}`);
  // The global endpoint, or the regional one where the call names a region served from its own (other-clients.test.ts).
  expect(err.data?.HostId).toMatch(/^r-kvstore\.([a-z0-9-]+\.)?aliyuncs\.com$/);
  expect(err.data?.Recommend).toContain("product=R-kvstore");
  return err;
}

const NOT_FOUND: [string, number, string] = ["InvalidInstanceId.NotFound", 404, "The specified instance is not found."];
const BAD_STATE: [string, number, string] = ["IncorrectDBInstanceState", 403, "Current DB instance state does not support this operation."];
const CHARGE_TYPE: [string, number, string] = ["ChargeTypeViolation", 403, "The operation is not permitted due to charge type of the instance."];
const PROTECTED: [string, number, string] = ["InstanceReleaseProtection", 403, "The operation is not permitted due to instance release protection."];
const invalidParam = (name: string): [string, number, string] => ["InvalidParameter", 400, `The specified parameter ${name} is not valid.`];
const missingParam = (name: string): [string, number, string] => ["MissingParameter", 400, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`];

describe.each(["acs3", "v1"] as const)("R-KVStore with %s signatures", (signature: SignatureMode) => {
  const kv = () => kvClient(t.emu.url, { signature });

  const create = (extra: Partial<Kv.CreateInstanceRequest> = {}) =>
    kv().createInstance(new Kv.CreateInstanceRequest({ regionId: REGION, instanceClass: SMALL, password: PASSWORD, ...extra }));

  /** A created instance that has reached Normal. */
  async function normal(extra: Partial<Kv.CreateInstanceRequest> = {}): Promise<string> {
    const id = (await create(extra)).body!.instanceId!;
    await t.admin.advance(120);
    expect(await status(id)).toBe("Normal");
    return id;
  }

  const attribute = async (id: string) => (await kv().describeInstanceAttribute(new Kv.DescribeInstanceAttributeRequest({ instanceId: id }))).body!.instances!.DBInstanceAttribute![0];
  const status = async (id: string) => (await attribute(id)).instanceStatus;
  const list = async (req: Partial<Kv.DescribeInstancesRequest> = {}) => (await kv().describeInstances(new Kv.DescribeInstancesRequest(req))).body!;
  const listedIds = async (req: Partial<Kv.DescribeInstancesRequest> = {}) => (await list({ pageSize: 50, ...req })).instances!.KVStoreInstance!.map((i) => i.instanceId);
  const del = (id: string, extra: Partial<Kv.DeleteInstanceRequest> = {}) => kv().deleteInstance(new Kv.DeleteInstanceRequest({ instanceId: id, ...extra }));
  const destroy = (id: string) => kv().destroyInstance(new Kv.DestroyInstanceRequest({ instanceId: id }));
  const modify = (id: string, extra: Partial<Kv.ModifyInstanceAttributeRequest>) => kv().modifyInstanceAttribute(new Kv.ModifyInstanceAttributeRequest({ instanceId: id, ...extra }));
  const emulatorNow = async () => Date.parse((await t.admin.health()).time);

  /** Released into the recycle bin by hand. */
  async function inBin(): Promise<string> {
    const id = await normal();
    await del(id);
    await t.admin.advance(20);
    expect(await status(id)).toBe("Released");
    return id;
  }

  beforeEach(async () => {
    await t.admin.reset();
  });

  describe("CreateInstance", () => {
    it("answers with the documented shape and goes Creating → Normal after kv.creating (120 s)", async () => {
      const res = await create({ instanceName: "cache-main", vpcId: "vpc-default-cn-hangzhou", vSwitchId: "vsw-default-cn-hangzhou-h", tag: [new Kv.CreateInstanceRequestTag({ key: "team", value: "core" })] });
      const b = res.body!;
      expect(b.instanceId).toMatch(/^r-bp1[a-z0-9]{17}$/);
      expect(b).toMatchObject({
        instanceName: "cache-main", instanceStatus: "Creating", chargeType: "PostPaid", port: 6379, capacity: 1024, networkType: "VPC",
        nodeType: "MASTER_SLAVE", regionId: REGION, zoneId: "cn-hangzhou-h", vpcId: "vpc-default-cn-hangzhou", vSwitchId: "vsw-default-cn-hangzhou-h", userName: b.instanceId,
        connectionDomain: `${b.instanceId}.redis.rds.aliyuncs.com`,
      });
      expect(b.endTime).toBeUndefined();
      expect(typeof b.orderId).toBe("number");
      expect(b.privateIpAddr).toMatch(/^172\.16\.\d+\.\d+$/);
      expect(typeof b.bandwidth).toBe("number");
      expect(typeof b.connections).toBe("number");
      expect(typeof b.QPS).toBe("number");
      expect(JSON.parse(b.config!)).toHaveProperty("EvictionPolicy");

      await t.admin.advance(119);
      expect(await status(b.instanceId!)).toBe("Creating");
      await t.admin.advance(1);
      const a = await attribute(b.instanceId!);
      expect(a).toMatchObject({
        instanceId: b.instanceId, instanceName: "cache-main", instanceStatus: "Normal", chargeType: "PostPaid", isRds: true,
        instanceReleaseProtection: false, isOrderCompleted: true, hasRenewChangeOrder: "false", globalInstanceId: "", instanceType: "Redis",
        engineVersion: "5.0", architectureType: "standard", nodeType: "MASTER_SLAVE", instanceClass: SMALL, capacity: 1024, port: 6379,
        connectionDomain: b.connectionDomain, privateIp: b.privateIpAddr, vpcId: "vpc-default-cn-hangzhou", vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h", regionId: REGION,
      });
      expect(a.createTime).toMatch(ISO_SECOND);
      expect(a.endTime).toBeUndefined();
      expect(a.tags!.tag!.map((t) => [t.key, t.value])).toEqual([["team", "core"]]);
    });

    it("takes the optional parameters and derives the class from Capacity alone", async () => {
      const b = (await create({
        instanceClass: undefined, capacity: 2048, instanceType: "Memcache", engineVersion: "7.0", zoneId: "cn-hangzhou-k", nodeType: "STAND_ALONE",
        port: "7000", shardCount: 4, globalInstanceId: "gr-1", networkType: "VPC",
      })).body!;
      expect(b).toMatchObject({ capacity: 2048, zoneId: "cn-hangzhou-k", nodeType: "STAND_ALONE", port: 7000 });
      const a = await attribute(b.instanceId!);
      expect(a).toMatchObject({
        instanceClass: "redis.master.mid.default", capacity: 2048, instanceType: "Memcache", engineVersion: "7.0", port: 7000,
        globalInstanceId: "gr-1", architectureType: "cluster", shardCount: 4, instanceName: "",
      });
    });

    it("validates its parameters", async () => {
      await expectError(kv().createInstance(new Kv.CreateInstanceRequest({ instanceClass: SMALL })), ...missingParam("RegionId"));
      await expectError(create({ regionId: "xx-nowhere-1" }), "InvalidRegionId.NotFound", 404, "The specified RegionId does not exist.");
      await expectError(create({ instanceClass: undefined }), ...missingParam("InstanceClass"));
      await expectError(create({ engineVersion: "3.0" }), ...invalidParam("EngineVersion"));
      await expectError(create({ instanceType: "Mongo" }), ...invalidParam("InstanceType"));
      await expectError(create({ chargeType: "Monthly" }), ...invalidParam("ChargeType"));
      await expectError(create({ chargeType: "PrePaid" }), ...missingParam("Period"));
      await expectError(create({ chargeType: "PrePaid", period: "10" }), ...invalidParam("Period"));
      await expectError(create({ nodeType: "TRIPLE" }), ...invalidParam("NodeType"));
      await expectError(create({ port: "80" }), ...invalidParam("Port"));
      await expectError(create({ instanceName: "1-starts-with-a-digit" }), ...invalidParam("InstanceName"));
      await expectError(create({ instanceName: "has space" }), ...invalidParam("InstanceName"));
      expect(await t.admin.instances("r-kvstore")).toEqual([]);
    });

    it("DryRun checks the request and creates nothing", async () => {
      await expectError(create({ dryRun: true }), "DryRunOperation", 400, "Request validation has been passed with DryRun flag set.");
      await expectError(create({ dryRun: true, engineVersion: "1.0" }), ...invalidParam("EngineVersion"));
      expect(await t.admin.instances("r-kvstore")).toEqual([]);
    });

    it("Token makes a retry return the same instance; another request with that Token is refused", async () => {
      const first = (await create({ token: "create-once-1" })).body!;
      const again = (await create({ token: "create-once-1" })).body!;
      expect(again.instanceId).toBe(first.instanceId);
      expect(again.orderId).toBe(first.orderId);
      expect((await t.admin.instances("r-kvstore")).map((i) => i.id)).toEqual([first.instanceId]);
      await expectError(create({ token: "create-once-1", instanceName: "other" }), "IdempotentParameterMismatch", 400, "Request uses a client token in a previous request but is not identical to that request.");
      // The password counts as a parameter, though it is only kept as a hash.
      await expectError(create({ token: "create-once-1", password: "Different-Pw-1" }), "IdempotentParameterMismatch", 400, "Request uses a client token in a previous request but is not identical to that request.");
      const other = (await create({ token: "create-once-2" })).body!;
      expect(other.instanceId).not.toBe(first.instanceId);
      const logged = await t.admin.requests({ product: "r-kvstore", action: "CreateInstance" });
      expect(logged.map((r) => r.params.Token)).toEqual(["create-once-1", "create-once-1", "create-once-1", "create-once-1", "create-once-2"]);
      // Not a ClientToken: that name means nothing to R-KVStore.
      expect(logged.every((r) => r.params.ClientToken === undefined)).toBe(true);
    });
  });

  it("the password never shows in the admin API, a response, or the request log", async () => {
    const created = await create({ token: "pw-check" });
    const id = created.body!.instanceId!;
    await t.admin.advance(120);
    await modify(id, { newPassword: NEW_PASSWORD });
    const seen = JSON.stringify([
      created.body, await t.admin.instances(), await t.admin.instance(id),
      (await kv().describeInstanceAttribute(new Kv.DescribeInstanceAttributeRequest({ instanceId: id }))).body,
      await list(), await list({ instanceIds: id }),
    ]);
    expect(seen).toContain(id);
    expect(seen).not.toContain(PASSWORD);
    expect(seen).not.toContain(NEW_PASSWORD);
    const log = await t.admin.requests({ product: "r-kvstore" });
    expect(log.find((r) => r.action === "CreateInstance")!.params.Password).toBe("******");
    expect(log.find((r) => r.action === "ModifyInstanceAttribute")!.params.NewPassword).toBe("******");
    expect(JSON.stringify(log)).not.toContain(PASSWORD);
    expect(JSON.stringify(log)).not.toContain(NEW_PASSWORD);
  });

  describe("DescribeInstanceAttribute", () => {
    it("finds an instance in any region, and answers 404 for an unknown id", async () => {
      const id = (await create({ regionId: "eu-central-1", instanceClass: "tair.rdb.2g" })).body!.instanceId!;
      expect(id).toMatch(/^r-gw8/);
      expect(await attribute(id)).toMatchObject({ regionId: "eu-central-1", zoneId: "eu-central-1-h", capacity: 2048, instanceClass: "tair.rdb.2g" });
      await expectError(kv().describeInstanceAttribute(new Kv.DescribeInstanceAttributeRequest({ instanceId: "r-bp1doesnotexist00000" })), ...NOT_FOUND);
      await expectError(kv().describeInstanceAttribute(new Kv.DescribeInstanceAttributeRequest({})), ...missingParam("InstanceId"));
    });
  });

  describe("DescribeInstances", () => {
    it("pages: PageSize default 30, at most 50; PageNumber", async () => {
      const ids: string[] = [];
      for (let n = 0; n < 5; n++) ids.push((await create({ instanceName: `page-${n}` })).body!.instanceId!);
      const first = await list({ pageSize: 2 });
      expect({ n: first.pageNumber, size: first.pageSize, total: first.totalCount }).toEqual({ n: 1, size: 2, total: 5 });
      expect(first.instances!.KVStoreInstance!.map((i) => i.instanceId)).toEqual(ids.slice(0, 2));
      const third = await list({ pageSize: 2, pageNumber: 3 });
      expect(third.instances!.KVStoreInstance!.map((i) => i.instanceId)).toEqual(ids.slice(4));
      expect((await list({ pageSize: 2, pageNumber: 4 })).instances!.KVStoreInstance).toEqual([]);
      const all = await list();
      expect({ n: all.pageNumber, size: all.pageSize, total: all.totalCount }).toEqual({ n: 1, size: 30, total: 5 });
      await expectError(list({ pageSize: 51 }), ...invalidParam("PageSize"));
      await expectError(list({ pageSize: 0 }), ...invalidParam("PageSize"));
      await expectError(list({ pageNumber: 0 }), ...invalidParam("PageNumber"));
    });

    it("InstanceIds is a comma-separated list of at most 30", async () => {
      const a = (await create()).body!.instanceId!;
      const b = (await create()).body!.instanceId!;
      await create();
      expect(await listedIds({ instanceIds: `${a}, ${b},r-bp1unknown0000000000` })).toEqual([a, b]);
      const thirty = [a, ...Array.from({ length: 29 }, (_, n) => `r-bp1filler${String(n).padStart(9, "0")}`)];
      expect(await listedIds({ instanceIds: thirty.join(",") })).toEqual([a]);
      await expectError(list({ instanceIds: [...thirty, b].join(",") }), ...invalidParam("InstanceIds"));
    });

    it("filters by region, status, charge type, expiry, type and search key, with the list item shape", async () => {
      const hz = (await create({ instanceName: "alpha-cache" })).body!.instanceId!;
      await t.admin.advance(120);
      const sh = (await create({ regionId: "cn-shanghai", instanceName: "beta-cache", instanceType: "Memcache" })).body!.instanceId!;
      const pre = (await create({ chargeType: "PrePaid", period: "1", instanceName: "gamma-sub" })).body!.instanceId!;
      expect(await listedIds()).toEqual([hz, sh, pre]);
      expect(await listedIds({ regionId: "cn-shanghai" })).toEqual([sh]);
      await expectError(list({ regionId: "xx-nowhere-1" }), "InvalidRegionId.NotFound", 404, "The specified RegionId does not exist.");
      expect(await listedIds({ instanceStatus: "Creating" })).toEqual([sh, pre]);
      expect(await listedIds({ instanceStatus: "Normal" })).toEqual([hz]);
      await expectError(list({ instanceStatus: "Running" }), ...invalidParam("InstanceStatus"));
      expect(await listedIds({ chargeType: "PrePaid" })).toEqual([pre]);
      expect(await listedIds({ instanceType: "Memcache" })).toEqual([sh]);
      expect(await listedIds({ searchKey: "cache" })).toEqual([hz, sh]);
      expect(await listedIds({ searchKey: hz.slice(0, 12) })).toEqual([hz]);
      expect(await listedIds({ expired: "false" })).toEqual([hz, sh, pre]);
      expect(await listedIds({ expired: "true" })).toEqual([]);
      await t.admin.expire(pre);
      expect(await listedIds({ expired: "true" })).toEqual([pre]);
      expect(await listedIds({ expired: "false" })).toEqual([hz, sh]);
      await expectError(list({ expired: "yes" }), ...invalidParam("Expired"));

      const item = (await list({ instanceIds: pre })).instances!.KVStoreInstance![0];
      expect(item).toMatchObject({
        instanceId: pre, instanceName: "gamma-sub", instanceStatus: "Creating", chargeType: "PrePaid", isRds: true, globalInstanceId: "",
        instanceType: "Redis", engineVersion: "5.0", instanceClass: SMALL, capacity: 1024, regionId: REGION, zoneId: "cn-hangzhou-h",
        networkType: "VPC", nodeType: "MASTER_SLAVE", editionType: "Community", hasRenewChangeOrder: false, port: 6379,
        connectionDomain: `${pre}.redis.rds.aliyuncs.com`,
      });
      expect(item.endTime).toMatch(ISO_SECOND);
      expect(item.createTime).toMatch(ISO_SECOND);
      expect(item.destroyTime).toBeUndefined();
    });
  });

  describe("ModifyInstanceAttribute", () => {
    it("renames and switches release protection; 404 for an unknown id", async () => {
      const id = await normal({ instanceName: "before" });
      expect(await modify(id, { instanceName: "after", instanceReleaseProtection: true })).toMatchObject({ statusCode: 200 });
      expect(await attribute(id)).toMatchObject({ instanceName: "after", instanceReleaseProtection: true });
      await modify(id, { instanceReleaseProtection: false });
      expect(await attribute(id)).toMatchObject({ instanceName: "after", instanceReleaseProtection: false });
      await expectError(modify(id, { instanceName: "x" }), ...invalidParam("InstanceName"));
      await expectError(modify("r-bp1doesnotexist00000", { instanceName: "after" }), ...NOT_FOUND);
    });

    it("refuses release protection on a subscription, but renames it", async () => {
      const id = await normal({ chargeType: "PrePaid", period: "12" });
      await expectError(modify(id, { instanceReleaseProtection: true }), ...invalidParam("InstanceReleaseProtection"));
      await modify(id, { instanceName: "renamed-sub" });
      expect(await attribute(id)).toMatchObject({ instanceName: "renamed-sub", instanceReleaseProtection: false });
    });

    it("refuses changes while releasing and in the recycle bin", async () => {
      const id = await normal();
      await del(id);
      await expectError(modify(id, { instanceName: "late-rename" }), ...BAD_STATE);
      await t.admin.advance(20);
      await expectError(modify(id, { instanceName: "late-rename" }), ...BAD_STATE);
    });
  });

  describe("DeleteInstance", () => {
    it("releases into the recycle bin after kv.releasing; the bin keeps it 7 days", async () => {
      const id = await normal();
      expect((await del(id)).statusCode).toBe(200);
      const releasing = await t.admin.instance(id);
      expect(releasing).toMatchObject({ status: "Normal", releasing: true });
      expect(releasing!.pending.map((p) => p.transition)).toContain("released");
      expect(await status(id)).toBe("Normal");
      await expectError(del(id), ...BAD_STATE);

      await t.admin.advance(19);
      expect(await status(id)).toBe("Normal");
      await t.admin.advance(1);
      const released = await attribute(id);
      expect(released.instanceStatus).toBe("Released");
      // Only asking for Released lists the recycle bin.
      expect(await listedIds()).toEqual([]);
      const [item] = (await list({ instanceStatus: "Released" })).instances!.KVStoreInstance!;
      expect(item).toMatchObject({ instanceId: id, instanceStatus: "Released" });
      expect(item.destroyTime).toMatch(ISO_SECOND);
      expect(Date.parse(item.destroyTime!)).toBe(Math.floor((await emulatorNow()) / 1000) * 1000);
      await expectError(del(id), ...BAD_STATE);

      await t.admin.advance(7 * DAY - 1);
      expect(await status(id)).toBe("Released");
      await t.admin.advance(1);
      await expectError(kv().describeInstanceAttribute(new Kv.DescribeInstanceAttributeRequest({ instanceId: id })), ...NOT_FOUND);
      expect(await listedIds({ instanceStatus: "Released" })).toEqual([]);
      expect(await t.admin.instance(id)).toBeUndefined();
    });

    it("checks: not found, Creating, GlobalInstanceId, and a missing InstanceId", async () => {
      await expectError(del("r-bp1doesnotexist00000"), ...NOT_FOUND);
      await expectError(kv().deleteInstance(new Kv.DeleteInstanceRequest({})), ...missingParam("InstanceId"));
      const creating = (await create({ globalInstanceId: "gr-main" })).body!.instanceId!;
      await expectError(del(creating), ...BAD_STATE);
      await t.admin.advance(120);
      await expectError(del(creating, { globalInstanceId: "gr-other" }), ...invalidParam("GlobalInstanceId"));
      await del(creating, { globalInstanceId: "gr-main" });
      expect(await t.admin.instance(creating)).toMatchObject({ releasing: true });
    });

    it("release protection refuses it (before the state check) until switched off", async () => {
      const id = (await create()).body!.instanceId!;
      await modify(id, { instanceReleaseProtection: true });
      await expectError(del(id), ...PROTECTED);
      await t.admin.advance(120);
      await expectError(del(id), ...PROTECTED);
      await modify(id, { instanceReleaseProtection: false });
      await del(id);
      // One jump well past the release: DestroyTime is when the release completed, not when someone looked.
      await t.admin.advance(100);
      const [item] = (await list({ instanceStatus: "Released" })).instances!.KVStoreInstance!;
      const [accepted] = (await t.admin.requests({ action: "DeleteInstance" })).filter((r) => r.status === 200);
      const lag = Date.parse(item.destroyTime!) - (Date.parse(accepted.time) + 20_000);
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThan(1000);
    });

    it("refuses a subscription instance", async () => {
      const id = await normal({ chargeType: "PrePaid", period: "1" });
      await expectError(del(id), ...CHARGE_TYPE);
      expect(await t.admin.instance(id)).not.toHaveProperty("releasing");
    });

    it("a dependency block answers with its code until it clears", async () => {
      const id = await normal();
      await t.admin.dependency(id, "IncorrectDBInstanceState", 60);
      await expectError(del(id), ...BAD_STATE);
      await t.admin.advance(59);
      await expectError(del(id), ...BAD_STATE);
      await t.admin.advance(1);
      await del(id);
      await t.admin.advance(20);
      expect(await status(id)).toBe("Released");
      const log = await t.admin.requests({ action: "DeleteInstance" });
      expect(log.map((r) => [r.product, r.status, r.code ?? null])).toEqual([
        ["r-kvstore", 403, "IncorrectDBInstanceState"], ["r-kvstore", 403, "IncorrectDBInstanceState"], ["r-kvstore", 200, null],
      ]);
    });

    it.each([
      ["Throttling.Api", 403, "Request was denied due to api flow control.", "ThrottlingError"],
      ["InternalError", 500, "The request processing has failed due to some unknown error, exception or failure.", "ServerError"],
      ["ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server.", "ServerError"],
      ["IncorrectDBInstanceType", 403, "Current DB instance type does not support this operation.", "ClientError"],
      ["ChargeTypeViolation", ...CHARGE_TYPE.slice(1), "ClientError"],
      ["InstanceReleaseProtection", ...PROTECTED.slice(1), "ClientError"],
    ] as [string, number, string, string][])("a dependency block with %s answers %i as the error table says", async (code, httpStatus, message, errorClass) => {
      const id = await normal();
      await t.admin.dependency(id, code);
      const err = await expectError(del(id), code, httpStatus, message);
      expect(err.name).toBe(errorClass);
      expect(await status(id)).toBe("Normal");
    });
  });

  describe("DestroyInstance", () => {
    it("destroys a recycle-bin entry after kv.destroying; a second call meanwhile is a no-op", async () => {
      const id = await inBin();
      expect((await destroy(id)).statusCode).toBe(200);
      expect(await t.admin.instance(id)).toMatchObject({ destroying: true, status: "Released" });
      await t.admin.advance(9);
      expect(await status(id)).toBe("Released");
      expect((await destroy(id)).statusCode).toBe(200);
      expect((await t.admin.instance(id))!.pending.filter((p) => p.transition === "destroyed")).toHaveLength(1);
      await t.admin.advance(1);
      await expectError(kv().describeInstanceAttribute(new Kv.DescribeInstanceAttributeRequest({ instanceId: id })), ...NOT_FOUND);
      await expectError(destroy(id), ...NOT_FOUND);
      expect(await listedIds({ instanceStatus: "Released" })).toEqual([]);
    });

    it("refuses an instance outside the recycle bin, including one being released", async () => {
      const id = await normal();
      await expectError(destroy(id), ...BAD_STATE);
      await del(id);
      await expectError(destroy(id), ...BAD_STATE);
      await expectError(destroy("r-bp1doesnotexist00000"), ...NOT_FOUND);
      await expectError(kv().destroyInstance(new Kv.DestroyInstanceRequest({})), ...missingParam("InstanceId"));
    });

    it("a dependency block applies to it too", async () => {
      const id = await inBin();
      await t.admin.dependency(id, "ServiceUnavailable", 30);
      await expectError(destroy(id), "ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server.");
      await t.admin.advance(30);
      await destroy(id);
      await t.admin.advance(10);
      expect(await t.admin.instance(id)).toBeUndefined();
    });
  });

  describe("subscription expiry", () => {
    it("expire → Inactive on day 16 → Released on day 31 → DestroyInstance → gone", async () => {
      const id = await normal({ chargeType: "PrePaid", period: "1" });
      const expired = await t.admin.expire(id);
      const now = await emulatorNow();
      expect(Date.parse(expired.expireTime!)).toBe(Math.floor(now / 1000) * 1000);
      expect(Date.parse((await attribute(id)).endTime!)).toBe(Math.floor(now / 1000) * 1000);

      await t.admin.advance(15 * DAY - 1);
      expect(await status(id)).toBe("Normal");
      await t.admin.advance(1);
      expect(await status(id)).toBe("Inactive");
      expect(await listedIds({ instanceStatus: "Inactive" })).toEqual([id]);
      await expectError(del(id), ...CHARGE_TYPE);
      await expectError(destroy(id), ...BAD_STATE);

      await t.admin.advance(15 * DAY - 1);
      expect(await status(id)).toBe("Inactive");
      await t.admin.advance(1);
      expect(await status(id)).toBe("Released");
      expect(await listedIds()).toEqual([]);
      const [item] = (await list({ instanceStatus: "Released" })).instances!.KVStoreInstance!;
      expect(Date.parse(item.destroyTime!)).toBe(Math.floor(now / 1000) * 1000 + 30 * DAY * 1000);
      await expectError(del(id), ...BAD_STATE);

      await destroy(id);
      await t.admin.advance(10);
      expect(await t.admin.instance(id)).toBeUndefined();
    });

    it("an expired subscription left in the bin is destroyed on day 38, in one jump of the clock", async () => {
      const id = await normal({ chargeType: "PrePaid", period: "3" });
      await t.admin.expire(id);
      await t.admin.advance(37 * DAY - 1);
      expect(await status(id)).toBe("Released");
      await t.admin.advance(1);
      expect(await t.admin.instance(id)).toBeUndefined();
    });

    it("runs out on its own at EndTime (Period months after creation)", async () => {
      const created = (await create({ chargeType: "PrePaid", period: "1" })).body!;
      const end = Date.parse(created.endTime!);
      const start = await emulatorNow();
      expect(end - start).toBeGreaterThanOrEqual(27 * DAY * 1000);
      expect(end - start).toBeLessThanOrEqual(31 * DAY * 1000);
      expect(Date.parse((await attribute(created.instanceId!)).endTime!)).toBe(end);
      await t.admin.advance(Math.ceil((end - start) / 1000) + 15 * DAY - 2);
      expect(await status(created.instanceId!)).toBe("Normal");
      await t.admin.advance(2);
      expect(await status(created.instanceId!)).toBe("Inactive");
      expect(await listedIds({ expired: "true" })).toEqual([created.instanceId]);
    });

    it("the admin API refuses expire for pay-as-you-go and lock for any instance (409)", async () => {
      const id = await normal();
      await expect(t.admin.expire(id)).rejects.toThrow(/409 .*not a subscription/);
      await expect(t.admin.lock(id, "financial")).rejects.toThrow(/409 R-KVStore instances have no operation locks/);
      expect(await status(id)).toBe("Normal");
    });
  });
});
