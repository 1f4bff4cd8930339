// MongoDB sharded clusters (CreateShardingDBInstance) and CreateDBInstance's whole parameter surface, through
// openapi-core's callApi as DDS is called: the request log, what the describe calls report, the documented
// validation, and the release transitions a sharded cluster shares with a replica set.
import { beforeEach, describe, expect, it } from "vitest";
import { useEmulator } from "../support/emulator";
import { defaultVpcId, defaultVSwitchId } from "../support/network";
import { ddsCall, sdkError } from "../support/sdk";

const REGION = "cn-hangzhou";
const PASSWORD = "Shard-Pw-N3ver-Logged";
const NETWORK = { VpcId: defaultVpcId(REGION), VSwitchId: defaultVSwitchId(`${REGION}-h`), ZoneId: `${REGION}-h` };

const t = useEmulator({ frozenClock: true });
const call = (action: string, query: Record<string, unknown>) => ddsCall(t.emu.url, action, query);

beforeEach(async () => {
  await t.admin.reset();
});

type Body = Record<string, unknown>;

const CLUSTER = {
  RegionId: REGION, Engine: "MongoDB", EngineVersion: "6.0", ...NETWORK,
  Mongos: [{ Class: "mdb.shard.2x.xlarge.d" }, { Class: "mdb.shard.2x.xlarge.d" }],
  ReplicaSet: [{ Class: "mdb.shard.4x.large.d", Storage: 40, ReadonlyReplicas: 1 }, { Class: "mdb.shard.4x.large.d", Storage: 40 }],
  ConfigServer: [{ Class: "mdb.shard.2x.xlarge.d", Storage: 20 }],
};

async function createCluster(extra: Record<string, unknown> = {}): Promise<string> {
  return (await call("CreateShardingDBInstance", { ...CLUSTER, ...extra })).DBInstanceId as string;
}

async function attribute(id: string): Promise<Body> {
  return ((await call("DescribeDBInstanceAttribute", { DBInstanceId: id })).DBInstances as { DBInstance: Body[] }).DBInstance[0];
}

async function listed(query: Record<string, unknown> = {}): Promise<string[]> {
  const body = await call("DescribeDBInstances", { RegionId: REGION, ...query });
  return (body.DBInstances as { DBInstance: Body[] }).DBInstance.map((i) => i.DBInstanceId as string);
}

async function expectError(p: Promise<unknown>, code: string, status: number, message: string): Promise<void> {
  const e = await sdkError(p);
  expect({ code: e.code, statusCode: e.statusCode, message: e.message }).toEqual({ code, statusCode: status, message: `${code}: code: ${status}, ${message} request id: ${e.requestId}` });
}

const invalid = (name: string): [string, number, string] => ["InvalidParameter", 400, `The specified parameter ${name} is not valid.`];

describe("CreateShardingDBInstance", () => {
  it("logs every parameter as sent, reports the cluster's nodes, and runs after dds.creating", async () => {
    const id = await createCluster({
      AccountPassword: PASSWORD, DBInstanceDescription: "orders-cluster", SecurityIPList: "10.0.0.0/8,192.168.1.10", ResourceGroupId: "rg-acfmdb000000",
      StorageType: "cloud_essd2", StorageEngine: "WiredTiger", ProtocolType: "mongodb", Tag: [{ Key: "team", Value: "data" }],
    });
    expect(id).toMatch(/^dds-bp1[a-z0-9]{17}$/);
    const [entry] = await t.admin.requests({ action: "CreateShardingDBInstance" });
    expect(entry.params).toMatchObject({
      "Mongos.1.Class": "mdb.shard.2x.xlarge.d", "Mongos.2.Class": "mdb.shard.2x.xlarge.d",
      "ReplicaSet.1.Class": "mdb.shard.4x.large.d", "ReplicaSet.1.Storage": "40", "ReplicaSet.1.ReadonlyReplicas": "1", "ReplicaSet.2.Storage": "40",
      "ConfigServer.1.Class": "mdb.shard.2x.xlarge.d", "ConfigServer.1.Storage": "20",
      AccountPassword: "******", SecurityIPList: "10.0.0.0/8,192.168.1.10", ResourceGroupId: "rg-acfmdb000000", "Tag.1.Key": "team",
    });

    const a = await attribute(id);
    expect(a).toMatchObject({
      DBInstanceId: id, DBInstanceType: "sharding", DBInstanceStatus: "Creating", DBInstanceDescription: "orders-cluster", EngineVersion: "6.0",
      StorageType: "cloud_essd2", StorageEngine: "WiredTiger", ResourceGroupId: "rg-acfmdb000000", ZoneId: `${REGION}-h`,
      VPCId: NETWORK.VpcId, VSwitchId: NETWORK.VSwitchId, Tags: { Tag: [{ Key: "team", Value: "data" }] },
    });
    expect(a).not.toHaveProperty("DBInstanceClass");
    const mongos = (a.MongosList as { MongosAttribute: Body[] }).MongosAttribute;
    const shards = (a.ShardList as { ShardAttribute: Body[] }).ShardAttribute;
    const config = (a.ConfigserverList as { ConfigserverAttribute: Body[] }).ConfigserverAttribute;
    expect(mongos.map((m) => [m.NodeClass, m.Status])).toEqual([["mdb.shard.2x.xlarge.d", "Creating"], ["mdb.shard.2x.xlarge.d", "Creating"]]);
    for (const m of mongos) expect(m.NodeId).toMatch(/^s-bp1[a-z0-9]{17}$/);
    expect(shards.map((s) => [s.NodeClass, s.NodeStorage, s.ReadonlyReplicas])).toEqual([["mdb.shard.4x.large.d", 40, 1], ["mdb.shard.4x.large.d", 40, 0]]);
    for (const s of shards) expect(s.NodeId).toMatch(/^d-bp1[a-z0-9]{17}$/);
    expect(config.map((c) => [c.NodeClass, c.NodeStorage])).toEqual([["mdb.shard.2x.xlarge.d", 20]]);

    const ips = await call("DescribeSecurityIps", { DBInstanceId: id });
    expect(ips.SecurityIps).toBe("10.0.0.0/8,192.168.1.10");
    expect(JSON.stringify([await t.admin.requests(), await t.admin.instances(), a])).not.toContain(PASSWORD);

    await t.admin.advance(300);
    expect((await attribute(id)).DBInstanceStatus).toBe("Running");
  });

  it("lists sharded clusters only with DBInstanceType=sharding, and replica sets by default", async () => {
    const cluster = await createCluster();
    const replica = (await call("CreateDBInstance", { RegionId: REGION, DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: 20, EngineVersion: "6.0", ...NETWORK })).DBInstanceId;
    expect(await listed()).toEqual([replica]);
    expect(await listed({ DBInstanceType: "replicate" })).toEqual([replica]);
    expect(await listed({ DBInstanceType: "sharding" })).toEqual([cluster]);
    const body = await call("DescribeDBInstances", { RegionId: REGION, DBInstanceType: "sharding" });
    expect((body.DBInstances as { DBInstance: Body[] }).DBInstance[0]).toMatchObject({ DBInstanceType: "sharding", KindCode: "1" });
  });

  it("answers one ClientToken with one cluster", async () => {
    const a = await createCluster({ ClientToken: "cluster-1", AccountPassword: PASSWORD });
    expect(await createCluster({ ClientToken: "cluster-1", AccountPassword: PASSWORD })).toBe(a);
    await expectError(createCluster({ ClientToken: "cluster-1", AccountPassword: PASSWORD + "x" }), "IdempotentParameterMismatch", 400,
      "Request uses a client token in a previous request but is not identical to that request.");
    expect(await t.admin.instances("dds")).toHaveLength(1);
  });

  const bad: [string, Record<string, unknown>, [string, number, string]][] = [
    ["one mongos", { Mongos: [{ Class: "m" }] }, invalid("Mongos.N")],
    ["33 mongos", { Mongos: Array.from({ length: 33 }, () => ({ Class: "m" })) }, invalid("Mongos.N")],
    ["one shard", { ReplicaSet: [{ Class: "s", Storage: 40 }] }, invalid("ReplicaSet.N")],
    ["33 shards", { ReplicaSet: Array.from({ length: 33 }, () => ({ Class: "s", Storage: 40 })) }, invalid("ReplicaSet.N")],
    ["no mongos", { Mongos: undefined }, ["MissingParameter", 400, 'The input parameter "Mongos.1.Class" that is mandatory for processing this request is not supplied.']],
    ["two ConfigServers", { ConfigServer: [{ Class: "c", Storage: 20 }, { Class: "c", Storage: 20 }] }, invalid("ConfigServer.N")],
    ["a shard without storage", { ReplicaSet: [{ Class: "s" }, { Class: "s", Storage: 40 }] },
      ["MissingParameter", 400, 'The input parameter "ReplicaSet.1.Storage" that is mandatory for processing this request is not supplied.']],
    ["shard storage not a multiple of 10", { ReplicaSet: [{ Class: "s", Storage: 45 }, { Class: "s", Storage: 40 }] }, invalid("ReplicaSet.1.Storage")],
    ["a negative shard storage", { ReplicaSet: [{ Class: "s", Storage: -10 }, { Class: "s", Storage: 40 }] }, invalid("ReplicaSet.1.Storage")],
    ["six read-only replicas", { ReplicaSet: [{ Class: "s", Storage: 40, ReadonlyReplicas: 6 }, { Class: "s", Storage: 40 }] }, invalid("ReplicaSet.1.ReadonlyReplicas")],
    ["a password of two kinds", { AccountPassword: "lowercase123" }, invalid("AccountPassword")],
    ["a malformed whitelist", { SecurityIPList: "10.0.0.0/33" }, invalid("SecurityIPList")],
    ["a whitelist entry twice", { SecurityIPList: "10.0.0.1,10.0.0.1" }, invalid("SecurityIPList")],
    ["a description with a slash", { DBInstanceDescription: "my/cluster" }, invalid("DBInstanceDescription")],
    ["a description starting with a digit", { DBInstanceDescription: "1cluster" }, invalid("DBInstanceDescription")],
    ["local disks on 6.0", { StorageType: "local_ssd" }, invalid("StorageType")],
    ["a secondary zone equal to the zone", { SecondaryZoneId: `${REGION}-h` }, invalid("SecondaryZoneId")],
    ["an unknown engine version", { EngineVersion: "3.4" }, invalid("EngineVersion")],
    ["a malformed tag", { Tag: [{ Key: "aliyun-x", Value: "v" }] }, ["InvalidTagKey.Malformed", 400, "The specified Tag.n.Key is not valid."]],
  ];
  it.each(bad)("refuses %s with the documented answer and creates nothing", async (_what, extra, [code, status, message]) => {
    await expectError(call("CreateShardingDBInstance", { ...CLUSTER, ...extra }), code, status, message);
    expect(await t.admin.instances("dds")).toEqual([]);
  });
});

describe("a sharded cluster's release follows the replica set's", () => {
  it("pay-as-you-go: DeleteDBInstance → Deleting → gone; release protection refuses", async () => {
    const id = await createCluster();
    await t.admin.advance(300);
    await call("ModifyDBInstanceAttribute", { DBInstanceId: id, DBInstanceReleaseProtection: true });
    await expectError(call("DeleteDBInstance", { DBInstanceId: id }), "InstanceReleaseProtection", 403, "The operation is not permitted due to instance release protection.");
    await call("ModifyDBInstanceAttribute", { DBInstanceId: id, DBInstanceReleaseProtection: false });
    await call("DeleteDBInstance", { DBInstanceId: id });
    expect((await attribute(id)).DBInstanceStatus).toBe("Deleting");
    await t.admin.advance(60);
    await expectError(call("DescribeDBInstanceAttribute", { DBInstanceId: id }), "InvalidDBInstanceId.NotFound", 404, "The specified instance does not exist.");
    // Released into the recycle bin, as a replica set is.
    expect(await listed({ DBInstanceType: "sharding" })).toEqual([]);
    expect(await listed({ DBInstanceType: "sharding", DBInstanceStatus: "Released" })).toEqual([id]);
  });

  it("a local-disk sharded cluster skips the recycle bin", async () => {
    const id = await createCluster({ EngineVersion: "4.2", StorageType: "local_ssd" });
    await t.admin.advance(300);
    await call("DeleteDBInstance", { DBInstanceId: id });
    await t.admin.advance(60);
    expect(await listed({ DBInstanceType: "sharding", DBInstanceStatus: "Released" })).toEqual([]);
    expect(await t.admin.instances("dds")).toEqual([]);
  });

  it("subscription: refused by DeleteDBInstance, destroyed after expiry and the expiry lock", async () => {
    const id = await createCluster({ ChargeType: "PrePaid", Period: 1 });
    await t.admin.advance(300);
    await expectError(call("DeleteDBInstance", { DBInstanceId: id }), "ChargeTypeViolation", 400, "The operation is not permitted due to charge type of the instance.");
    await t.admin.expire(id);
    await expectError(call("DestroyInstance", { InstanceId: id }), "IncorrectDBInstanceLockMode", 400, "Current DB instance lock mode does not support this operation.");
    await t.admin.advance(600);
    expect((await attribute(id)).LockMode).toBe("LockByExpiration");
    await call("DestroyInstance", { InstanceId: id });
    await t.admin.advance(60);
    expect(await t.admin.instances("dds")).toEqual([]);
  });
});

describe("ModifyDBInstanceDescription", () => {
  it("renames the instance, or with NodeId one of its nodes; refuses a bad name", async () => {
    const id = await createCluster();
    await t.admin.advance(300);
    await call("ModifyDBInstanceDescription", { DBInstanceId: id, DBInstanceDescription: "renamed" });
    const shard = ((await attribute(id)).ShardList as { ShardAttribute: Body[] }).ShardAttribute[1];
    await call("ModifyDBInstanceDescription", { DBInstanceId: id, NodeId: shard.NodeId, DBInstanceDescription: "hot-shard" });
    const a = await attribute(id);
    expect(a.DBInstanceDescription).toBe("renamed");
    expect((a.ShardList as { ShardAttribute: Body[] }).ShardAttribute.map((s) => s.NodeDescription)).toEqual(["", "hot-shard"]);
    await expectError(call("ModifyDBInstanceDescription", { DBInstanceId: id, DBInstanceDescription: "x" }), ...invalid("DBInstanceDescription"));
    await expectError(call("ModifyDBInstanceDescription", { DBInstanceId: id, NodeId: "d-nothere", DBInstanceDescription: "ok-name" }), ...invalid("NodeId"));
    expect((await attribute(id)).DBInstanceDescription).toBe("renamed");
  });
});

describe("CreateDBInstance: the whole parameter surface", () => {
  it("accepts and reports the whitelist, storage engine, read-only replicas, resource group and zones", async () => {
    const body = await call("CreateDBInstance", {
      RegionId: REGION, Engine: "MongoDB", EngineVersion: "5.0", DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: 20, ...NETWORK,
      SecondaryZoneId: `${REGION}-i`, HiddenZoneId: `${REGION}-g`, ReplicationFactor: "3", ReadonlyReplicas: "2", SecurityIPList: "0.0.0.0/0",
      ResourceGroupId: "rg-acfmrs00000", StorageEngine: "WiredTiger", AccountPassword: PASSWORD, Tag: [{ Key: "app", Value: "orders" }],
    });
    const a = await attribute(body.DBInstanceId as string);
    expect(a).toMatchObject({
      DBInstanceType: "replicate", EngineVersion: "5.0", StorageType: "cloud_essd1", SecondaryZoneId: `${REGION}-i`, HiddenZoneId: `${REGION}-g`,
      ReplicationFactor: "3", ReadonlyReplicas: "2", ResourceGroupId: "rg-acfmrs00000", StorageEngine: "WiredTiger", Tags: { Tag: [{ Key: "app", Value: "orders" }] },
    });
    expect((await call("DescribeSecurityIps", { DBInstanceId: body.DBInstanceId })).SecurityIps).toBe("0.0.0.0/0");
  });

  it("defaults 4.2 and earlier to local disks and refuses cloud disks for them", async () => {
    const base = { RegionId: REGION, EngineVersion: "4.2", DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: 20, ...NETWORK };
    const id = (await call("CreateDBInstance", base)).DBInstanceId as string;
    expect((await attribute(id)).StorageType).toBe("local_ssd");
    await expectError(call("CreateDBInstance", { ...base, StorageType: "cloud_essd1" }), ...invalid("StorageType"));
    await expectError(call("CreateDBInstance", { ...base, ReadonlyReplicas: "6" }), ...invalid("ReadonlyReplicas"));
    expect(await t.admin.instances("dds")).toHaveLength(1);
  });
});
