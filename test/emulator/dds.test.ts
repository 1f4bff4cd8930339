// ApsaraDB for MongoDB (Dds 2015-12-01) in the emulator, driven through openapi-core's generic callApi (there is
// no DDS package on npm) with both signatures: replica-set lifecycle, release rules, subscription expiry and
// LockMode, idempotency, paging and filters, and the documented error codes (alicloud-apis.md §2).
import { useEmulator } from "../support/emulator";
import { beforeEach, describe, expect, it } from "vitest";
import { ddsCall, sdkError, SignatureMode } from "../support/sdk";

const REGION = "cn-hangzhou";
const PASSWORD = "Tr0ub4dor&3-horse";
const DAY = 24 * 3600;

// Frozen: virtual time moves only when a test advances it, so durations are exact.
const t = useEmulator({ frozenClock: true });

beforeEach(async () => {
  await t.admin.reset();
});

type Body = Record<string, unknown>;

function attributeOf(body: Body): Body {
  const list = (body.DBInstances as { DBInstance: Body[] }).DBInstance;
  expect(Array.isArray(list)).toBe(true);
  expect(list).toHaveLength(1);
  return list[0];
}

function itemsOf(body: Body): Body[] {
  return (body.DBInstances as { DBInstance: Body[] }).DBInstance;
}

describe.each(["acs3", "v1"] as const)("DDS with %s signatures", (signature: SignatureMode) => {
  const call = (action: string, query: Record<string, unknown>) => ddsCall(t.emu.url, action, query, { signature });

  async function expectError(p: Promise<unknown>, code: string, status: number, message: string): Promise<void> {
    const e = await sdkError(p);
    expect({ code: e.code, statusCode: e.statusCode }).toEqual({ code, statusCode: status });
    expect(e.message).toBe(`${code}: code: ${status}, ${message} request id: ${e.requestId}`);
    // The global endpoint, or the regional one where the call names a region served from its own (other-clients.test.ts).
    expect(e.data?.HostId).toMatch(/^mongodb\.([a-z0-9-]+\.)?aliyuncs\.com$/);
    expect(String(e.data?.Recommend)).toContain("product=Dds");
  }

  const notFound = (p: Promise<unknown>) => expectError(p, "InvalidDBInstanceId.NotFound", 404, "The specified instance does not exist.");

  async function create(extra: Record<string, unknown> = {}): Promise<string> {
    const body = await call("CreateDBInstance", { RegionId: REGION, DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: 20, EngineVersion: "6.0", ...extra });
    return body.DBInstanceId as string;
  }

  async function running(extra: Record<string, unknown> = {}): Promise<string> {
    const id = await create(extra);
    await t.admin.advance(300);
    return id;
  }

  const prePaid = { ChargeType: "PrePaid", Period: 1 };

  async function attribute(id: string): Promise<Body> {
    return attributeOf(await call("DescribeDBInstanceAttribute", { DBInstanceId: id }));
  }

  describe("CreateDBInstance and DescribeDBInstanceAttribute", () => {
    it("creates a replica set that is Creating for dds.creating (300 s) and then Running", async () => {
      const body = await call("CreateDBInstance", {
        RegionId: REGION, DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: 20, EngineVersion: "6.0",
        ZoneId: "cn-hangzhou-i", VpcId: "vpc-default-cn-hangzhou", VSwitchId: "vsw-default-cn-hangzhou-i", StorageType: "cloud_essd2", ReplicationFactor: 5,
        DBInstanceDescription: "orders", AccountPassword: PASSWORD,
      });
      expect(Object.keys(body).sort()).toEqual(["DBInstanceId", "OrderId", "RequestId"]);
      const id = body.DBInstanceId as string;
      expect(id).toMatch(/^dds-bp1[a-z0-9]{17}$/);
      expect(body.OrderId).toMatch(/^\d+$/);

      const { now } = await t.admin.advance(0);
      const a = await attribute(id);
      expect(a).toEqual({
        DBInstanceId: id, DBInstanceDescription: "orders", DBInstanceStatus: "Creating", DBInstanceType: "replicate",
        Engine: "MongoDB", EngineVersion: "6.0", DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: 20,
        StorageType: "cloud_essd2", ChargeType: "PostPaid", CreationTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        LockMode: "Unlock", DBInstanceReleaseProtection: false, DBInstanceOrderStatus: "all_completed",
        ZoneId: "cn-hangzhou-i", RegionId: REGION, VPCId: "vpc-default-cn-hangzhou", VSwitchId: "vsw-default-cn-hangzhou-i", NetworkType: "VPC", ReplicationFactor: "5", Tags: { Tag: [] },
        StorageEngine: "WiredTiger", ProtocolType: "mongodb", ResourceGroupId: "", Encrypted: false, ReadonlyReplicas: "0",
      });
      expect(Math.abs(Date.parse(a.CreationTime as string) - Date.parse(now))).toBeLessThan(5000);

      await t.admin.advance(299);
      expect((await attribute(id)).DBInstanceStatus).toBe("Creating");
      await t.admin.advance(1);
      expect((await attribute(id)).DBInstanceStatus).toBe("Running");
    });

    it("applies the documented defaults and dates a subscription's ExpireTime Period months ahead", async () => {
      const a = await attribute(await create());
      expect(a).toMatchObject({ ChargeType: "PostPaid", ZoneId: "cn-hangzhou-h", NetworkType: "VPC", ReplicationFactor: "3", StorageType: "cloud_essd1", DBInstanceDescription: "" });
      expect(a).not.toHaveProperty("ExpireTime");
      expect(a).not.toHaveProperty("VPCId");

      const sub = await attribute(await create({ ChargeType: "PrePaid", Period: 12, RegionId: "ap-southeast-1" }));
      expect(sub.ChargeType).toBe("PrePaid");
      expect(sub.DBInstanceId).toMatch(/^dds-gw8/);
      expect(sub.RegionId).toBe("ap-southeast-1");
      expect(sub.ZoneId).toBe("ap-southeast-1-h");
      expect(sub.ExpireTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
      const days = (Date.parse(sub.ExpireTime as string) - Date.parse(sub.CreationTime as string)) / (DAY * 1000);
      expect(days).toBeGreaterThan(364);
      expect(days).toBeLessThan(367);
    });

    it("refuses missing and invalid parameters", async () => {
      const base = { RegionId: REGION, DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: 20, EngineVersion: "6.0" };
      const missing = (name: string) => `The input parameter "${name}" that is mandatory for processing this request is not supplied.`;
      const invalid = (name: string) => `The specified parameter ${name} is not valid.`;
      for (const name of ["RegionId", "DBInstanceClass", "DBInstanceStorage", "EngineVersion"]) {
        const query: Record<string, unknown> = { ...base };
        delete query[name];
        await expectError(call("CreateDBInstance", query), "MissingParameter", 400, missing(name));
      }
      await expectError(call("CreateDBInstance", { ...base, EngineVersion: "3.4" }), "InvalidParameter", 400, invalid("EngineVersion"));
      await expectError(call("CreateDBInstance", { ...base, DBInstanceStorage: 5 }), "InvalidParameter", 400, invalid("DBInstanceStorage"));
      await expectError(call("CreateDBInstance", { ...base, DBInstanceStorage: "20.5" }), "InvalidParameter", 400, invalid("DBInstanceStorage"));
      await expectError(call("CreateDBInstance", { ...base, ChargeType: "Monthly" }), "InvalidParameter", 400, invalid("ChargeType"));
      await expectError(call("CreateDBInstance", { ...base, ChargeType: "PrePaid" }), "MissingParameter", 400, missing("Period"));
      await expectError(call("CreateDBInstance", { ...base, ChargeType: "PrePaid", Period: 10 }), "InvalidParameter", 400, invalid("Period"));
      await expectError(call("CreateDBInstance", { ...base, ReplicationFactor: 4 }), "InvalidParameter", 400, invalid("ReplicationFactor"));
      await expectError(call("CreateDBInstance", { ...base, AccountPassword: "short1A" }), "InvalidParameter", 400, invalid("AccountPassword"));
      await expectError(call("CreateDBInstance", { ...base, AccountPassword: "alllowercase" }), "InvalidParameter", 400, invalid("AccountPassword"));
      await expectError(call("CreateDBInstance", { ...base, RegionId: "mars-1" }), "InvalidRegionId.NotFound", 404, "The specified RegionId does not exist.");
      await expectError(call("CreateDBInstance", { ...base, ...prePaid, DBInstanceReleaseProtection: true }), "ChargeTypeViolation", 400, "The operation is not permitted due to charge type of the instance.");
      expect(await t.admin.instances("dds")).toEqual([]);
    });

    it("answers a repeated ClientToken with the first instance and refuses it with other parameters", async () => {
      const query = { RegionId: REGION, DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: 20, EngineVersion: "5.0", ClientToken: "create-orders-1", AccountPassword: PASSWORD };
      const first = await call("CreateDBInstance", query);
      const again = await call("CreateDBInstance", query);
      expect(again.DBInstanceId).toBe(first.DBInstanceId);
      expect(again.OrderId).toBe(first.OrderId);
      expect(again.RequestId).not.toBe(first.RequestId);
      expect(await t.admin.instances("dds")).toHaveLength(1);

      await expectError(call("CreateDBInstance", { ...query, DBInstanceStorage: 30 }), "IdempotentParameterMismatch", 400,
        "Request uses a client token in a previous request but is not identical to that request.");
      await expectError(call("CreateDBInstance", { ...query, AccountPassword: PASSWORD + "x" }), "IdempotentParameterMismatch", 400,
        "Request uses a client token in a previous request but is not identical to that request.");
      expect(await t.admin.instances("dds")).toHaveLength(1);
      const tokens = (await t.admin.requests({ action: "CreateDBInstance" })).map((r) => r.params.ClientToken);
      expect(tokens).toEqual(["create-orders-1", "create-orders-1", "create-orders-1", "create-orders-1"]);
    });

    it("never stores, returns or logs AccountPassword", async () => {
      const id = await create({ AccountPassword: PASSWORD, ClientToken: "pw-1" });
      const views = [
        JSON.stringify(await call("DescribeDBInstanceAttribute", { DBInstanceId: id })),
        JSON.stringify(await call("DescribeDBInstances", { RegionId: REGION })),
        JSON.stringify(await t.admin.instances()),
      ];
      const log = await t.admin.requests({ product: "dds", action: "CreateDBInstance" });
      expect(log).toHaveLength(1);
      expect(log[0].params).toMatchObject({ AccountPassword: "******", ClientToken: "pw-1" });
      for (const text of views) expect(text).toContain(id);
      for (const text of [...views, JSON.stringify(log)]) {
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain("Tr0ub4dor");
      }
    });

    it("describes by id without RegionId and refuses a missing or unknown id and another Engine", async () => {
      const id = await create({ RegionId: "eu-central-1" });
      expect((await attribute(id)).RegionId).toBe("eu-central-1");
      const log = await t.admin.requests({ action: "DescribeDBInstanceAttribute" });
      expect(log[0].params).toEqual({ DBInstanceId: id });
      expect(attributeOf(await call("DescribeDBInstanceAttribute", { DBInstanceId: id, Engine: "MongoDB" })).DBInstanceId).toBe(id);

      await expectError(call("DescribeDBInstanceAttribute", {}), "MissingDBInstanceId", 400, "DBInstanceId is mandatory for this action.");
      await notFound(call("DescribeDBInstanceAttribute", { DBInstanceId: "dds-bp1doesnotexist000" }));
      await expectError(call("DescribeDBInstanceAttribute", { DBInstanceId: id, Engine: "Redis" }), "InvalidParameter", 400, "The specified parameter Engine is not valid.");
    });
  });

  describe("DescribeDBInstances", () => {
    it("pages by 30, 50 or 100 only", async () => {
      const region = "ap-northeast-1";
      const ids: string[] = [];
      for (let i = 0; i < 32; i++) ids.push(await create({ RegionId: region }));
      await create({ RegionId: "us-west-1" });

      const first = await call("DescribeDBInstances", { RegionId: region });
      expect(first).toMatchObject({ PageNumber: 1, PageSize: 30, TotalCount: 32 });
      expect(itemsOf(first).map((i) => i.DBInstanceId)).toEqual(ids.slice(0, 30));
      const second = await call("DescribeDBInstances", { RegionId: region, PageNumber: 2 });
      expect(second).toMatchObject({ PageNumber: 2, PageSize: 30, TotalCount: 32 });
      expect(itemsOf(second).map((i) => i.DBInstanceId)).toEqual(ids.slice(30));
      const third = await call("DescribeDBInstances", { RegionId: region, PageNumber: 3 });
      expect(itemsOf(third)).toEqual([]);
      for (const size of [50, 100]) {
        const all = await call("DescribeDBInstances", { RegionId: region, PageSize: size });
        expect(all).toMatchObject({ PageSize: size, TotalCount: 32 });
        expect(itemsOf(all)).toHaveLength(32);
      }

      await expectError(call("DescribeDBInstances", { RegionId: region, PageSize: 20 }), "InvalidParameter", 400, "The specified parameter PageSize is not valid.");
      await expectError(call("DescribeDBInstances", { RegionId: region, PageNumber: 0 }), "InvalidParameter", 400, "The specified parameter PageNumber is not valid.");
      await expectError(call("DescribeDBInstances", {}), "MissingParameter", 400, 'The input parameter "RegionId" that is mandatory for processing this request is not supplied.');
    });

    it("lists items with the attribute fields plus KindCode and filters them", async () => {
      const region = "cn-shenzhen";
      const post = await running({ RegionId: region, VSwitchId: "vsw-default-cn-shenzhen-g", ZoneId: "cn-shenzhen-g", EngineVersion: "7.0" });
      const sub = await running({ RegionId: region, ...prePaid });
      const fresh = await create({ RegionId: region, VpcId: "vpc-default-cn-shenzhen" });
      const ids = async (query: Record<string, unknown>) => itemsOf(await call("DescribeDBInstances", { RegionId: region, ...query })).map((i) => i.DBInstanceId);

      const listed = itemsOf(await call("DescribeDBInstances", { RegionId: region, DBInstanceId: post }));
      expect(listed).toEqual([{ ...(await attribute(post)), KindCode: "1" }]);

      expect(await ids({})).toEqual([post, sub, fresh]);
      expect(await ids({ DBInstanceStatus: "Creating" })).toEqual([fresh]);
      expect(await ids({ DBInstanceStatus: "Running" })).toEqual([post, sub]);
      expect(await ids({ ChargeType: "PrePaid" })).toEqual([sub]);
      expect(await ids({ EngineVersion: "7.0" })).toEqual([post]);
      expect(await ids({ VSwitchId: "vsw-default-cn-shenzhen-g" })).toEqual([post]);
      expect(await ids({ VpcId: "vpc-default-cn-shenzhen" })).toEqual([post, fresh]);
      expect(await ids({ ZoneId: "cn-shenzhen-g" })).toEqual([post]);
      expect(await ids({ DBInstanceType: "replicate" })).toEqual([post, sub, fresh]);
      expect(await ids({ DBInstanceType: "sharding" })).toEqual([]);
      expect(await ids({ Expired: "true" })).toEqual([]);
      await t.admin.expire(sub);
      expect(await ids({ Expired: "true" })).toEqual([sub]);
      expect(await ids({ Expired: "false" })).toEqual([post, fresh]);
      await expectError(call("DescribeDBInstances", { RegionId: region, Expired: "yes" }), "InvalidParameter", 400, "The specified parameter Expired is not valid.");
      await expectError(call("DescribeDBInstances", { RegionId: region, DBInstanceType: "serverless" }), "InvalidParameter", 400, "The specified parameter DBInstanceType is not valid.");
    });
  });

  describe("ModifyDBInstanceAttribute and release protection", () => {
    it("sets the description and release protection, which blocks DeleteDBInstance until turned off", async () => {
      const id = await running({ DBInstanceReleaseProtection: true });
      expect((await attribute(id)).DBInstanceReleaseProtection).toBe(true);
      await expectError(call("DeleteDBInstance", { DBInstanceId: id }), "InstanceReleaseProtection", 403, "The operation is not permitted due to instance release protection.");

      expect(await call("ModifyDBInstanceAttribute", { DBInstanceId: id, DBInstanceReleaseProtection: false, DBInstanceDescription: "renamed" })).toEqual({ RequestId: expect.any(String) });
      expect(await attribute(id)).toMatchObject({ DBInstanceReleaseProtection: false, DBInstanceDescription: "renamed" });
      await call("ModifyDBInstanceAttribute", { DBInstanceId: id, DBInstanceReleaseProtection: true });
      expect(await attribute(id)).toMatchObject({ DBInstanceReleaseProtection: true, DBInstanceDescription: "renamed" });
      await expectError(call("DeleteDBInstance", { DBInstanceId: id }), "InstanceReleaseProtection", 403, "The operation is not permitted due to instance release protection.");
      await call("ModifyDBInstanceAttribute", { DBInstanceId: id, DBInstanceReleaseProtection: false });
      await call("DeleteDBInstance", { DBInstanceId: id });
      expect((await attribute(id)).DBInstanceStatus).toBe("Deleting");
      await expectError(call("ModifyDBInstanceAttribute", { DBInstanceId: id, DBInstanceDescription: "late" }), "OperationDenied.DBInstanceStatus", 403, "The operation is not permitted due to status of instance.");
    });

    it("refuses release protection on a subscription, a missing id and an unknown id", async () => {
      const sub = await running(prePaid);
      await expectError(call("ModifyDBInstanceAttribute", { DBInstanceId: sub, DBInstanceReleaseProtection: true }), "ChargeTypeViolation", 400, "The operation is not permitted due to charge type of the instance.");
      await call("ModifyDBInstanceAttribute", { DBInstanceId: sub, DBInstanceDescription: "subscription" });
      expect(await attribute(sub)).toMatchObject({ DBInstanceReleaseProtection: false, DBInstanceDescription: "subscription" });
      await expectError(call("ModifyDBInstanceAttribute", { DBInstanceReleaseProtection: true }), "MissingDBInstanceId", 400, "DBInstanceId is mandatory for this action.");
      await notFound(call("ModifyDBInstanceAttribute", { DBInstanceId: "dds-bp1nothere0000000", DBInstanceReleaseProtection: true }));
      await expectError(call("ModifyDBInstanceAttribute", { DBInstanceId: sub, DBInstanceReleaseProtection: "maybe" }), "InvalidParameter", 400, "The specified parameter DBInstanceReleaseProtection is not valid.");
    });
  });

  describe("DeleteDBInstance", () => {
    it("releases a Running pay-as-you-go instance: Deleting for dds.deleting (60 s), then gone", async () => {
      const id = await running();
      expect(await call("DeleteDBInstance", { DBInstanceId: id })).toEqual({ RequestId: expect.any(String) });
      expect((await attribute(id)).DBInstanceStatus).toBe("Deleting");
      expect((await t.admin.instance(id))?.pending.map((p) => p.transition)).toEqual(["released"]);
      await expectError(call("DeleteDBInstance", { DBInstanceId: id }), "OperationDenied.DBInstanceStatus", 403, "The operation is not permitted due to status of instance.");
      await t.admin.advance(59);
      expect((await attribute(id)).DBInstanceStatus).toBe("Deleting");
      await t.admin.advance(1);
      await notFound(call("DescribeDBInstanceAttribute", { DBInstanceId: id }));
      await notFound(call("DeleteDBInstance", { DBInstanceId: id }));
      expect(itemsOf(await call("DescribeDBInstances", { RegionId: REGION }))).toEqual([]);
    });

    it("checks not found, charge type, release protection and then status, in that order", async () => {
      await expectError(call("DeleteDBInstance", {}), "MissingDBInstanceId", 400, "DBInstanceId is mandatory for this action.");
      await notFound(call("DeleteDBInstance", { DBInstanceId: "dds-bp1nothere0000000" }));
      const creatingSub = await create({ ...prePaid });
      await expectError(call("DeleteDBInstance", { DBInstanceId: creatingSub }), "ChargeTypeViolation", 400, "The operation is not permitted due to charge type of the instance.");
      const creatingProtected = await create({ DBInstanceReleaseProtection: true });
      await expectError(call("DeleteDBInstance", { DBInstanceId: creatingProtected }), "InstanceReleaseProtection", 403, "The operation is not permitted due to instance release protection.");
      const creating = await create();
      await expectError(call("DeleteDBInstance", { DBInstanceId: creating }), "OperationDenied.DBInstanceStatus", 403, "The operation is not permitted due to status of instance.");
      await t.admin.advance(300);
      await expectError(call("DeleteDBInstance", { DBInstanceId: creatingSub }), "ChargeTypeViolation", 400, "The operation is not permitted due to charge type of the instance.");
      await call("DeleteDBInstance", { DBInstanceId: creating });
      expect((await attribute(creating)).DBInstanceStatus).toBe("Deleting");
    });

    it("answers a repeated ClientToken with success, even once the instance is gone", async () => {
      const id = await running();
      const other = await running();
      await call("DeleteDBInstance", { DBInstanceId: id, ClientToken: "del-1" });
      await call("DeleteDBInstance", { DBInstanceId: id, ClientToken: "del-1" });
      await expectError(call("DeleteDBInstance", { DBInstanceId: id, ClientToken: "del-2" }), "OperationDenied.DBInstanceStatus", 403, "The operation is not permitted due to status of instance.");
      await expectError(call("DeleteDBInstance", { DBInstanceId: other, ClientToken: "del-1" }), "IdempotentParameterMismatch", 400,
        "Request uses a client token in a previous request but is not identical to that request.");
      await t.admin.advance(60);
      await notFound(call("DescribeDBInstanceAttribute", { DBInstanceId: id }));
      expect(await call("DeleteDBInstance", { DBInstanceId: id, ClientToken: "del-1" })).toEqual({ RequestId: expect.any(String) });
      expect((await attribute(other)).DBInstanceStatus).toBe("Running");
    });

    it("answers the admin dependency block (GadInstanceNotSupport) until it clears", async () => {
      const id = await running();
      await t.admin.dependency(id, "GadInstanceNotSupport", 120);
      await expectError(call("DeleteDBInstance", { DBInstanceId: id }), "GadInstanceNotSupport", 400, "GAD Instance doesn't support the operation.");
      await t.admin.advance(119);
      await expectError(call("DeleteDBInstance", { DBInstanceId: id }), "GadInstanceNotSupport", 400, "GAD Instance doesn't support the operation.");
      expect((await attribute(id)).DBInstanceStatus).toBe("Running");
      await t.admin.advance(1);
      await call("DeleteDBInstance", { DBInstanceId: id });
      expect((await attribute(id)).DBInstanceStatus).toBe("Deleting");

      // The block comes before the charge-type check, after not-found.
      const sub = await running(prePaid);
      await t.admin.dependency(sub, "GadInstanceNotSupport");
      await expectError(call("DeleteDBInstance", { DBInstanceId: sub }), "GadInstanceNotSupport", 400, "GAD Instance doesn't support the operation.");
      await expectError(call("DestroyInstance", { InstanceId: sub }), "GadInstanceNotSupport", 400, "GAD Instance doesn't support the operation.");
    });
  });

  describe("subscription expiry, LockMode and DestroyInstance", () => {
    it("locks an expired subscription after dds.lockAfterExpiry (600 s); DestroyInstance then releases it", async () => {
      const id = await running(prePaid);
      const lockMode = "Current DB instance lock mode does not support this operation.";
      await expectError(call("DestroyInstance", { InstanceId: id }), "IncorrectDBInstanceLockMode", 400, lockMode);

      const { now } = await t.admin.advance(0);
      await t.admin.expire(id);
      const expired = await attribute(id);
      expect(Math.abs(Date.parse(expired.ExpireTime as string) - Date.parse(now))).toBeLessThan(61_000);
      expect(expired).toMatchObject({ LockMode: "Unlock", DBInstanceStatus: "Running" });
      await expectError(call("DestroyInstance", { InstanceId: id }), "IncorrectDBInstanceLockMode", 400, lockMode);
      await t.admin.advance(599);
      expect((await attribute(id)).LockMode).toBe("Unlock");
      await expectError(call("DestroyInstance", { InstanceId: id }), "IncorrectDBInstanceLockMode", 400, lockMode);
      await t.admin.advance(1);
      expect((await attribute(id)).LockMode).toBe("LockByExpiration");

      expect(await call("DestroyInstance", { InstanceId: id, ResourceGroupId: "rg-ignored" })).toEqual({ RequestId: expect.any(String) });
      expect(await attribute(id)).toMatchObject({ DBInstanceStatus: "Deleting", LockMode: "LockByExpiration" });
      await expectError(call("DestroyInstance", { InstanceId: id }), "IncorrectDBInstanceState", 400, "Current DB instance state does not support this operation.");
      await t.admin.advance(59);
      expect((await attribute(id)).DBInstanceStatus).toBe("Deleting");
      await t.admin.advance(1);
      await notFound(call("DescribeDBInstanceAttribute", { DBInstanceId: id }));
    });

    it("accepts DBInstanceId instead of InstanceId and a repeated ClientToken", async () => {
      const id = await running(prePaid);
      await t.admin.lock(id, "expiration");
      await call("DestroyInstance", { DBInstanceId: id, ClientToken: "destroy-1" });
      await call("DestroyInstance", { DBInstanceId: id, ClientToken: "destroy-1" });
      expect((await attribute(id)).DBInstanceStatus).toBe("Deleting");
      const log = await t.admin.requests({ action: "DestroyInstance" });
      expect(log.map((r) => [r.params.DBInstanceId, r.params.InstanceId, r.status])).toEqual([[id, undefined, 200], [id, undefined, 200]]);
      await t.admin.advance(60);
      await notFound(call("DescribeDBInstanceAttribute", { DBInstanceId: id }));
    });

    it("locks a subscription by itself once its Period ends", async () => {
      const id = await running(prePaid);
      const expireTime = Date.parse((await attribute(id)).ExpireTime as string);
      const { now } = await t.admin.advance(0);
      await t.admin.advance(Math.ceil((expireTime - Date.parse(now)) / 1000) + 120);
      expect(itemsOf(await call("DescribeDBInstances", { RegionId: REGION, Expired: "true" })).map((i) => i.DBInstanceId)).toEqual([id]);
      expect((await attribute(id)).LockMode).toBe("Unlock");
      await t.admin.advance(600);
      expect((await attribute(id)).LockMode).toBe("LockByExpiration");
      await call("DestroyInstance", { InstanceId: id });
    });

    it("refuses DestroyInstance without an id, for an unknown id and for pay-as-you-go", async () => {
      await expectError(call("DestroyInstance", {}), "MissingDBInstanceId", 400, "DBInstanceId is mandatory for this action.");
      await notFound(call("DestroyInstance", { InstanceId: "dds-bp1nothere0000000" }));
      const post = await running();
      await t.admin.lock(post, "expiration");
      await expectError(call("DestroyInstance", { InstanceId: post }), "ChargeTypeViolation", 400, "The operation is not permitted due to charge type of the instance.");
    });

    it("maps admin lock reasons onto LockMode, which only LockByExpiration lets DestroyInstance through", async () => {
      const id = await running(prePaid);
      for (const [reason, mode] of [["manual", "ManualLock"], ["security", "ManualLock"], ["restoration", "LockByRestoration"], ["diskquota", "LockByDiskQuota"]]) {
        expect((await t.admin.lock(id, reason)).LockMode).toBe(mode);
        expect((await attribute(id)).LockMode).toBe(mode);
        await expectError(call("DestroyInstance", { InstanceId: id }), "IncorrectDBInstanceLockMode", 400, "Current DB instance lock mode does not support this operation.");
      }
      await expect(t.admin.lock(id, "overdue")).rejects.toThrow(/409 unknown DDS lock reason "overdue"/);
      await expect(t.admin.expire(await running())).rejects.toThrow(/409/);
      await t.admin.lock(id, "expiration");
      expect((await attribute(id)).LockMode).toBe("LockByExpiration");
      await call("DestroyInstance", { InstanceId: id });
    });
  });

  it.each([
    ["QuotaExceed", 400, "Living afterpay instances quota exceeded."],
    ["InsufficientResourceCapacity", 400, "There is insufficient capacity available for the requested instance."],
    ["InternalError", 500, "The request processing has failed due to some unknown error."],
    ["ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server."],
    ["InvalidDbInstanceId.NotFound", 404, "Specified instance does not exist."],
    ["InvalidInstanceId.NotFound", 404, "The InstanceId provided does not exist in our records."],
    ["IncorrectDBInstanceState", 400, "Current DB instance state does not support this operation."],
  ])("injects the documented error %s as a fault", async (code, status, message) => {
    await t.admin.faults([{ product: "dds", action: "CreateDBInstance", code, count: 1 }]);
    await expectError(create(), code, status, message);
    expect(await t.admin.instances("dds")).toEqual([]);
    await create();
    expect(await t.admin.instances("dds")).toHaveLength(1);
  });
});
