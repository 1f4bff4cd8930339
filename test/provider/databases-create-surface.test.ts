// MongoDB (replica set and sharded cluster) and Redis / Tair create surfaces and updates in place: the API's
// parameters sent as written, tags through TagResources / UntagResources (never the ownership tags), names and
// protection through the modify call, and bad input refused before anything is created. Real SDK / openapi-core
// over HTTP against the emulator.
import { describe, expect, it } from "vitest";
import { OWNERSHIP_TAG_KEYS } from "../../provider/core/ownership";
import * as mongo from "../../provider/mongodb/instance-provider";
import * as sharding from "../../provider/mongodb/sharding-instance-provider";
import * as redis from "../../provider/redis/instance-provider";
import * as tair from "../../provider/redis/tair-instance-provider";
import { calls, useEmulatorForProvider } from "../support/provider-env";
import { defaultVpcId, defaultVSwitchId } from "../support/network";

const env = useEmulatorForProvider({ "dds.creating": 1, "kv.creating": 1 });
const ZONE = "cn-hangzhou-h";
const NETWORK = { vpcId: defaultVpcId(), vSwitchId: defaultVSwitchId(ZONE), zoneId: ZONE };
const OWNER = { ownership: { project: "shop", stack: "ci-42", name: "db" } };
const PASSWORD = "Db-Pw-Never-Leak1";

const params = async (product: string, action: string) => (await env.admin.requests({ product, action })).map((r) => r.params);
const tagsOf = (p: Record<string, string>) => Object.fromEntries(Object.keys(p).filter((k) => /^Tag\.\d+\.Key$/.test(k)).map((k) => [p[k], p[k.replace("Key", "Value")]]));
/** Released: gone, or (a DDS replica set or cluster) in the recycle bin, not running and not billed. */
const releasedOrInBin = async (id: string) => expect((await env.admin.instance(id))?.status ?? "gone").toMatch(/^(gone|Released)$/);
const changes = async (product: string) => calls(await env.admin.requests({ product })).filter((c) => !c.startsWith("Describe"));

const REPLICA_SET = {
  engineVersion: "7.0", dbInstanceClass: "dds.mongo.mid", dbInstanceStorage: 20, storageType: "cloud_essd1", storageEngine: "WiredTiger",
  securityIPList: "10.0.0.0/8,192.168.0.1", networkType: "VPC", resourceGroupId: "rg-acfm-ci", replicationFactor: 3, readonlyReplicas: 1,
  dbInstanceDescription: "orders", accountPassword: PASSWORD, tags: { env: "ci" }, ...NETWORK, ...OWNER,
};
const CLUSTER = {
  engineVersion: "7.0", storageType: "cloud_essd1", ...NETWORK, ...OWNER, accountPassword: PASSWORD, tags: { env: "ci" },
  mongos: [{ class: "dds.mongos.mid" }, { class: "dds.mongos.mid" }],
  replicaSet: [{ class: "dds.shard.mid", storage: 20 }, { class: "dds.shard.mid", storage: 40, readonlyReplicas: 1 }],
  configServer: [{ class: "dds.cs.mid", storage: 20 }],
};

describe("mongodb.Instance: every CreateDBInstance parameter, tags in place", () => {
  it("sends the parameters as the API names them, with the ownership tags, and never the password in outputs or lines", async () => {
    await env.reset();
    const { id, outs } = await mongo.create(REPLICA_SET);
    const [p] = await params("dds", "CreateDBInstance");
    expect(p).toMatchObject({
      Engine: "MongoDB", EngineVersion: "7.0", DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: "20", StorageType: "cloud_essd1", StorageEngine: "WiredTiger",
      SecurityIPList: "10.0.0.0/8,192.168.0.1", NetworkType: "VPC", ResourceGroupId: "rg-acfm-ci", ReplicationFactor: "3", ReadonlyReplicas: "1",
      VpcId: defaultVpcId(), VSwitchId: defaultVSwitchId(ZONE), ZoneId: ZONE, DBInstanceDescription: "orders", ChargeType: "PostPaid",
    });
    expect(tagsOf(p)).toEqual({ env: "ci", [OWNERSHIP_TAG_KEYS.project]: "shop", [OWNERSHIP_TAG_KEYS.stack]: "ci-42", [OWNERSHIP_TAG_KEYS.name]: "db" });
    expect(JSON.stringify(outs)).not.toContain(PASSWORD);
    expect(env.lines.join("\n")).not.toContain(PASSWORD);

    await env.admin.clearRequests();
    const news = { ...REPLICA_SET, tags: { env: "prod", team: "data" }, dbInstanceDescription: "orders-prod" };
    const d = await mongo.diff(id, outs!, news);
    expect(d).toMatchObject({ changes: true, replaces: [] });
    expect(Object.keys(d.detailedDiff).sort()).toEqual(["dbInstanceDescription", "tags"]);
    const updated = await mongo.update(id, outs!, news);
    expect(await changes("dds")).toEqual(["ModifyDBInstanceDescription", "TagResources"]);
    const [tag] = await params("dds", "TagResources");
    expect(tag).toMatchObject({ ResourceType: "INSTANCE", "ResourceId.1": id, "Tag.1.Key": "env", "Tag.1.Value": "prod", "Tag.2.Key": "team" });
    expect(updated.outs).toMatchObject({ dbInstanceId: id, tags: { env: "prod", team: "data" } });

    await env.admin.clearRequests();
    await mongo.update(id, updated.outs!, { ...news, tags: { team: "data" } });
    const [untag] = await params("dds", "UntagResources");
    expect(untag).toMatchObject({ "ResourceId.1": id, "TagKey.1": "env" });
    expect(Object.values(untag)).not.toContain(OWNERSHIP_TAG_KEYS.stack);
    const read = await mongo.read(id, updated.outs!);
    expect(read.props).toMatchObject({ dbInstanceId: id, tags: { team: "data" }, dbInstanceDescription: "orders-prod" });
    await mongo.delete(id, read.props!);
    await releasedOrInBin(id);
  });

  it("a new zone replaces, naming zoneId; a new security IP list names securityIPList", async () => {
    const outs = { ...REPLICA_SET, accountPassword: undefined, dbInstanceId: "dds-bp1abcdefabcdefabcd", regionId: "cn-hangzhou", adopted: false };
    expect((await mongo.diff("dds-bp1abcdefabcdefabcd", outs, { ...REPLICA_SET, zoneId: "cn-hangzhou-i", vSwitchId: defaultVSwitchId("cn-hangzhou-i") })).replaces).toEqual(["zoneId", "vSwitchId"]);
    expect((await mongo.diff("dds-bp1abcdefabcdefabcd", outs, { ...REPLICA_SET, securityIPList: "0.0.0.0/0" })).replaces).toEqual(["securityIPList"]);
  });
});

describe("mongodb.ShardingInstance", () => {
  it("creates with CreateShardingDBInstance (mongos, shards, config server as Name.N.Field), adopts, and releases", async () => {
    await env.reset();
    const { id, outs } = await sharding.create(CLUSTER);
    const [p] = await params("dds", "CreateShardingDBInstance");
    expect(p).toMatchObject({
      Engine: "MongoDB", EngineVersion: "7.0", "Mongos.1.Class": "dds.mongos.mid", "Mongos.2.Class": "dds.mongos.mid",
      "ReplicaSet.1.Class": "dds.shard.mid", "ReplicaSet.1.Storage": "20", "ReplicaSet.2.Storage": "40", "ReplicaSet.2.ReadonlyReplicas": "1",
      "ConfigServer.1.Class": "dds.cs.mid", "ConfigServer.1.Storage": "20", VSwitchId: defaultVSwitchId(ZONE),
    });
    expect(tagsOf(p)).toMatchObject({ [OWNERSHIP_TAG_KEYS.name]: "db" });
    expect(outs).toMatchObject({ dbInstanceId: id, status: "Running", chargeType: "PostPaid", adopted: false });
    expect(JSON.stringify(outs)).not.toContain(PASSWORD);
    // A new shard is not a new, empty cluster: the update waits for the cloud to show it, and changes nothing.
    const grown = { ...CLUSTER, replicaSet: [...CLUSTER.replicaSet, { class: "dds.shard.mid", storage: 40 }] };
    expect(await sharding.diff(id, outs!, grown)).toMatchObject({ changes: true, replaces: [] });
    await env.admin.clearRequests();
    const refused = await sharding.update(id, outs!, grown).then(() => undefined, (e: Error) => e);
    expect(refused?.message).toMatch(new RegExp(`^mongodb.ShardingInstance ${id}: not updated: replicaSet is .* on the instance, the program asks for .*Nothing was changed.$`, "s"));
    expect(await changes("dds")).toEqual([]);
    const adopted = await sharding.create({ dbInstanceId: id });
    expect(adopted.outs).toMatchObject({ dbInstanceId: id, adopted: true });
    await env.admin.clearRequests();
    await sharding.delete(id, outs!);
    expect(await changes("dds")).toEqual([expect.stringMatching(/^DeleteDBInstance/)]);
    await releasedOrInBin(id);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["one shard", { replicaSet: [{ class: "dds.shard.mid", storage: 20 }] }, "replicaSet", /^replicaSet must list 2 to 32 nodes/],
    ["33 shards", { replicaSet: Array.from({ length: 33 }, () => ({ class: "dds.shard.mid", storage: 20 })) }, "replicaSet", /got 33$/],
    ["a shard without storage", { replicaSet: [{ class: "dds.shard.mid" }, { class: "dds.shard.mid", storage: 20 }] }, "replicaSet[0].storage", /whole number of GB from 10 to 16000/],
    ["two config servers", { configServer: [{ class: "dds.cs.mid", storage: 20 }, { class: "dds.cs.mid", storage: 20 }] }, "configServer", /must list 1 node/],
    ["an unknown node field", { mongos: [{ class: "dds.mongos.mid", size: 2 }, { class: "dds.mongos.mid" }] }, "mongos[0].size", /is not a parameter of this call/],
    ["a password that breaks the rules", { accountPassword: "weakpassword" }, "accountPassword", /the given value has 12 characters and 1 of the four kinds/],
  ])("refuses %s before creating anything", async (_what, change, property, reason) => {
    await env.reset();
    const { failures } = await sharding.check({}, { ...CLUSTER, ...change });
    expect(failures).toContainEqual({ property, reason: expect.stringMatching(reason) });
    expect(JSON.stringify(failures)).not.toContain("weakpassword");
    expect(await env.admin.requests({ product: "dds" })).toEqual([]);
  });
});

describe("redis.Instance and redis.TairInstance", () => {
  it("redis.Instance sends every CreateInstance parameter and changes name and tags in place", async () => {
    await env.reset();
    const inputs = { instanceClass: "redis.shard.small.2.ce", engineVersion: "7.0", shardCount: 4, port: "6380", resourceGroupId: "rg-acfm-ci", instanceName: "cache", tags: { env: "ci" }, ...NETWORK, ...OWNER };
    const { id, outs } = await redis.create(inputs);
    const [p] = await params("r-kvstore", "CreateInstance");
    expect(p).toMatchObject({ InstanceClass: "redis.shard.small.2.ce", ShardCount: "4", Port: "6380", ResourceGroupId: "rg-acfm-ci", NetworkType: "VPC", VSwitchId: defaultVSwitchId(ZONE) });
    expect(tagsOf(p)).toMatchObject({ env: "ci", [OWNERSHIP_TAG_KEYS.stack]: "ci-42" });
    await env.admin.clearRequests();
    const news = { ...inputs, instanceName: "cache2", tags: { env: "prod" } };
    expect((await redis.diff(id, outs!, news)).replaces).toEqual([]);
    await redis.update(id, outs!, news);
    expect(await changes("r-kvstore")).toEqual(["ModifyInstanceAttribute", "TagResources"]);
    expect((await redis.diff(id, outs!, { ...inputs, shardCount: 8 })).replaces).toEqual(["shardCount"]);
    await redis.delete(id, { ...outs!, purgeRecycleBin: true });
  });

  it("redis.TairInstance creates with CreateTairInstance and has the same release lifecycle", async () => {
    await env.reset();
    const { id, outs } = await tair.create({ instanceType: "tair_essd", instanceClass: "tair.essd.standard.xlarge", storage: 40, storageType: "essd_pl1", password: PASSWORD, ...NETWORK, ...OWNER });
    const [p] = await params("r-kvstore", "CreateTairInstance");
    expect(p).toMatchObject({ InstanceType: "tair_essd", InstanceClass: "tair.essd.standard.xlarge", Storage: "40", StorageType: "essd_pl1", ZoneId: ZONE });
    expect(p.ClientToken).toBeTruthy();
    expect(JSON.stringify(outs)).not.toContain(PASSWORD);
    await env.admin.clearRequests();
    await tair.delete(id, outs!);
    expect(await changes("r-kvstore")).toEqual(["DeleteInstance"]);
    expect((await env.admin.instance(id))?.status).toBe("Released");
    await tair.delete(id, { ...outs!, purgeRecycleBin: true });
    expect(await env.admin.instance(id)).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["an unknown Tair type", { instanceType: "tair_fast" }, "instanceType", /^instanceType must be one of tair_rdb, tair_scm, tair_essd/],
    ["a shard count out of range", { shardCount: 300 }, "shardCount", /^shardCount must be a whole number from 1 to 256/],
    ["an ESSD instance without storage", { instanceType: "tair_essd", storage: undefined }, "storage", /needs storage/],
    ["a malformed tag", { tags: { "aliyun-x": "1" } }, "tags.aliyun-x", /reserved by Alibaba Cloud/],
    ["no VPC (CreateTairInstance requires one)", { vpcId: undefined }, "vpcId", /^vpcId is required to create a Tair instance/],
  ])("TairInstance refuses %s before creating anything", async (_what, change, property, reason) => {
    await env.reset();
    const { failures } = await tair.check({}, { instanceType: "tair_essd", instanceClass: "tair.essd.standard.xlarge", storage: 40, ...NETWORK, ...change });
    expect(failures).toContainEqual({ property, reason: expect.stringMatching(reason) });
    expect(await env.admin.requests({ product: "r-kvstore" })).toEqual([]);
  });
});
