// Tair (CreateTairInstance) and CreateInstance's whole parameter surface through the real @alicloud/r-kvstore20150101
// client: the request log, what the describe calls report, the documented validation, and the release transitions
// a Tair instance shares with Redis (DeleteInstance → recycle bin → DestroyInstance).
import * as Kv from "@alicloud/r-kvstore20150101";
import { beforeEach, describe, expect, it } from "vitest";
import { useEmulator } from "../support/emulator";
import { defaultVpcId, defaultVSwitchId } from "../support/network";
import { kvClient, sdkError } from "../support/sdk";

const REGION = "cn-hangzhou";
const ZONE = `${REGION}-h`;
const PASSWORD = "Tair-Pw-N3ver-Logged";
const NETWORK = { regionId: REGION, zoneId: ZONE, vpcId: defaultVpcId(REGION), vSwitchId: defaultVSwitchId(ZONE) };

const t = useEmulator({ frozenClock: true });
const kv = () => kvClient(t.emu.url);

beforeEach(async () => {
  await t.admin.reset();
});

async function expectError(p: Promise<unknown>, code: string, status: number, message: string): Promise<void> {
  const e = await sdkError(p);
  expect({ code: e.code, statusCode: e.statusCode, message: e.message }).toEqual({ code, statusCode: status, message: `${code}: code: ${status}, ${message} request id: ${e.requestId}` });
}
const invalid = (name: string): [string, number, string] => ["InvalidParameter", 400, `The specified parameter ${name} is not valid.`];
const missing = (name: string): [string, number, string] => ["MissingParameter", 400, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`];
const BAD_PASSWORD: [string, number, string] = ["InvalidPassword.Malformed", 400, 'The Specified parameter "Password" is not valid.'];

const tair = (extra: Partial<Kv.CreateTairInstanceRequest> = {}) =>
  kv().createTairInstance(new Kv.CreateTairInstanceRequest({ ...NETWORK, instanceType: "tair_rdb", instanceClass: "tair.rdb.2g", chargeType: "PostPaid", ...extra }));

async function attribute(id: string): Promise<Kv.DescribeInstanceAttributeResponseBodyInstancesDBInstanceAttribute> {
  const res = await kv().describeInstanceAttribute(new Kv.DescribeInstanceAttributeRequest({ instanceId: id }));
  return res.body!.instances!.DBInstanceAttribute![0];
}

describe("CreateTairInstance", () => {
  it("creates a memory-enhanced cluster: every parameter logged as sent, reported as Tair, password nowhere", async () => {
    const res = await tair({
      shardCount: 4, engineVersion: "7.0", password: PASSWORD, instanceName: "sessions", port: 6380, resourceGroupId: "rg-acfmtair0000",
      secondaryZoneId: `${REGION}-i`, clientToken: "tair-1", tag: [new Kv.CreateTairInstanceRequestTag({ key: "team", value: "web" })],
    });
    const id = res.body!.instanceId!;
    expect(id).toMatch(/^r-bp1[a-z0-9]{17}$/);
    expect(res.body).toMatchObject({ instanceName: "sessions", instanceStatus: "Creating", chargeType: "PostPaid", port: 6380, zoneId: ZONE });
    const [entry] = await t.admin.requests({ action: "CreateTairInstance" });
    expect(entry.params).toMatchObject({
      InstanceType: "tair_rdb", InstanceClass: "tair.rdb.2g", ShardCount: "4", EngineVersion: "7.0", Password: "******", Port: "6380",
      VpcId: NETWORK.vpcId, VSwitchId: NETWORK.vSwitchId, ZoneId: ZONE, SecondaryZoneId: `${REGION}-i`, ClientToken: "tair-1", "Tag.1.Key": "team",
    });

    expect(await attribute(id)).toMatchObject({
      instanceId: id, instanceType: "Tair", instanceClass: "tair.rdb.2g", engineVersion: "7.0", shardCount: 4, architectureType: "cluster",
      capacity: 2048, port: 6380, resourceGroupId: "rg-acfmtair0000", secondaryZoneId: `${REGION}-i`, instanceStatus: "Creating",
      tags: { tag: [{ key: "team", value: "web" }] },
    });
    const listed = await kv().describeInstances(new Kv.DescribeInstancesRequest({ regionId: REGION, instanceType: "Tair" }));
    expect(listed.body!.instances!.KVStoreInstance!.map((i) => [i.instanceId, i.instanceType, i.editionType])).toEqual([[id, "Tair", "Enterprise"]]);
    const redis = await kv().describeInstances(new Kv.DescribeInstancesRequest({ regionId: REGION, instanceType: "Redis" }));
    expect(redis.body!.instances!.KVStoreInstance).toEqual([]);
    expect(JSON.stringify([await t.admin.requests(), await t.admin.instances()])).not.toContain(PASSWORD);

    await t.admin.advance(120);
    expect((await attribute(id)).instanceStatus).toBe("Normal");
  });

  it("creates an ESSD disk-based instance with its storage, which Storage / StorageType report", async () => {
    const id = (await tair({ instanceType: "tair_essd", engineVersion: "1.0", instanceClass: "tair.essd.standard.xlarge", storage: 100, storageType: "essd_pl1" })).body!.instanceId!;
    expect(await attribute(id)).toMatchObject({ instanceType: "Tair", storage: "100", storageType: "essd_pl1", capacity: 102400 });
  });

  it("is a subscription unless told otherwise: Period is required and DeleteInstance refuses it", async () => {
    await expectError(tair({ chargeType: undefined }), ...missing("Period"));
    const id = (await tair({ chargeType: undefined, period: 1 })).body!.instanceId!;
    expect((await attribute(id)).chargeType).toBe("PrePaid");
    await t.admin.advance(120);
    await expectError(kv().deleteInstance(new Kv.DeleteInstanceRequest({ instanceId: id })), "ChargeTypeViolation", 403, "The operation is not permitted due to charge type of the instance.");
  });

  it("is released like Redis: DeleteInstance → recycle bin → DestroyInstance", async () => {
    const id = (await tair()).body!.instanceId!;
    await t.admin.advance(120);
    await kv().deleteInstance(new Kv.DeleteInstanceRequest({ instanceId: id }));
    await t.admin.advance(20);
    expect((await attribute(id)).instanceStatus).toBe("Released");
    await kv().destroyInstance(new Kv.DestroyInstanceRequest({ instanceId: id }));
    await t.admin.advance(10);
    expect(await t.admin.instances("r-kvstore")).toEqual([]);
  });

  it("answers one ClientToken with one instance", async () => {
    const a = (await tair({ clientToken: "same", password: PASSWORD })).body!.instanceId;
    expect((await tair({ clientToken: "same", password: PASSWORD })).body!.instanceId).toBe(a);
    await expectError(tair({ clientToken: "same", password: PASSWORD + "x" }), "IdempotentParameterMismatch", 400,
      "Request uses a client token in a previous request but is not identical to that request.");
    expect(await t.admin.instances("r-kvstore")).toHaveLength(1);
  });

  const bad: [string, Partial<Kv.CreateTairInstanceRequest>, [string, number, string]][] = [
    ["an unknown series", { instanceType: "tair_tape" }, invalid("InstanceType")],
    ["no series", { instanceType: undefined }, missing("InstanceType")],
    ["no class", { instanceClass: undefined }, missing("InstanceClass")],
    ["no vSwitch", { vSwitchId: undefined }, missing("VSwitchId")],
    ["an engine version of another series", { engineVersion: "1.0" }, invalid("EngineVersion")],
    ["33 shards", { shardCount: 33 }, invalid("ShardCount")],
    ["a disk-based cluster", { instanceType: "tair_essd", engineVersion: "2.0", shardCount: 2 }, invalid("ShardCount")],
    ["an ESSD instance without storage", { instanceType: "tair_essd", engineVersion: "1.0", storageType: "essd_pl1" }, missing("Storage")],
    ["an unknown ESSD level", { instanceType: "tair_essd", engineVersion: "1.0", storage: 100, storageType: "essd_pl9" }, invalid("StorageType")],
    ["a password of two kinds", { password: "onlylower123" }, BAD_PASSWORD],
    ["a secondary zone equal to the zone", { secondaryZoneId: ZONE }, invalid("SecondaryZoneId")],
    ["a name starting with a digit", { instanceName: "1cache" }, invalid("InstanceName")],
    ["a malformed tag", { tag: [new Kv.CreateTairInstanceRequestTag({ key: "acs:x", value: "v" })] }, ["InvalidTagKey.Malformed", 400, "The specified Tag.n.Key is not valid."]],
  ];
  it.each(bad)("refuses %s and creates nothing", async (_what, extra, [code, status, message]) => {
    await expectError(tair(extra), code, status, message);
    expect(await t.admin.instances("r-kvstore")).toEqual([]);
  });
});

describe("CreateInstance: the whole parameter surface", () => {
  it("reports resource group, zones, read-only nodes, private IP and the endpoint prefix", async () => {
    const res = await kv().createInstance(new Kv.CreateInstanceRequest({
      ...NETWORK, instanceClass: "redis.shard.small.2.ce", engineVersion: "6.0", instanceName: "cache-main", password: PASSWORD, resourceGroupId: "rg-acfmredis000",
      secondaryZoneId: `${REGION}-i`, readOnlyCount: 2, privateIpAddress: "172.16.5.5", connectionStringPrefix: "cachemain01", nodeType: "MASTER_SLAVE",
      tag: [new Kv.CreateInstanceRequestTag({ key: "app", value: "shop" })],
    }));
    const id = res.body!.instanceId!;
    expect(res.body).toMatchObject({ connectionDomain: "cachemain01.redis.rds.aliyuncs.com", privateIpAddr: "172.16.5.5" });
    expect(await attribute(id)).toMatchObject({
      instanceType: "Redis", resourceGroupId: "rg-acfmredis000", secondaryZoneId: `${REGION}-i`, architectureType: "rwsplit",
      privateIp: "172.16.5.5", tags: { tag: [{ key: "app", value: "shop" }] },
    });
    const [entry] = await t.admin.requests({ action: "CreateInstance" });
    expect(entry.params).toMatchObject({ Password: "******", ReadOnlyCount: "2", ConnectionStringPrefix: "cachemain01", ResourceGroupId: "rg-acfmredis000" });
  });

  it("refuses a malformed password, private IP, endpoint prefix or read-only count with nothing created", async () => {
    const create = (extra: Partial<Kv.CreateInstanceRequest>) => kv().createInstance(new Kv.CreateInstanceRequest({ ...NETWORK, instanceClass: "redis.master.small.default", ...extra }));
    await expectError(create({ password: "short1A" }), ...BAD_PASSWORD);
    await expectError(create({ privateIpAddress: "172.16.5" }), ...invalid("PrivateIpAddress"));
    await expectError(create({ connectionStringPrefix: "Upper" }), ...invalid("ConnectionStringPrefix"));
    await expectError(create({ readOnlyCount: 10 }), ...invalid("ReadOnlyCount"));
    expect(await t.admin.instances("r-kvstore")).toEqual([]);
  });
});
