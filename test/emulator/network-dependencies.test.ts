// What holds a vSwitch, a security group and a VPC, through the real SDK clients: an ECS instance in any state
// until DescribeInstances no longer lists it, a MongoDB or Redis instance until it is gone (a Redis recycle-bin
// entry included); and what instance creates answer when the network they name is missing or does not fit.
import * as Ecs from "@alicloud/ecs20140526";
import * as Kv from "@alicloud/r-kvstore20150101";
import * as Vpc from "@alicloud/vpc20160428";
import { beforeEach, describe, expect, it } from "vitest";
import { useEmulator } from "../support/emulator";
import { defaultSecurityGroupId, defaultVpcId, defaultVSwitchId } from "../support/network";
import { ddsCall, ecsClient, kvClient, sdkError, vpcClient } from "../support/sdk";

const REGION = "cn-hangzhou";
const ZONE = `${REGION}-h`;
const IN_USE_VSWITCH = ["DependencyViolation", 400, "Specified object has dependent resources."] as const;
const IN_USE_GROUP = ["DependencyViolation", 403, "There is still instance(s) in the specified security group."] as const;

const t = useEmulator({ frozenClock: true });

beforeEach(async () => {
  await t.admin.reset();
});

async function expectError(p: Promise<unknown>, [code, status, message]: readonly [string, number, string]): Promise<void> {
  const e = await sdkError(p);
  expect({ code: e.code, statusCode: e.statusCode }).toEqual({ code, statusCode: status });
  expect(e.message).toBe(`${code}: code: ${status}, ${message} request id: ${e.requestId}`);
}

const vpc = () => vpcClient(t.emu.url);
const ecs = () => ecsClient(t.emu.url);
const kv = () => kvClient(t.emu.url);

/** A fresh VPC with one Available vSwitch in ZONE and one security group. */
async function stackNetwork(): Promise<{ vpcId: string; vSwitchId: string; groupId: string }> {
  const vpcId = (await vpc().createVpc(new Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: "192.168.0.0/16" }))).body!.vpcId!;
  await t.admin.advance(5);
  const vSwitchId = (await vpc().createVSwitch(new Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId: ZONE, cidrBlock: "192.168.1.0/24" }))).body!.vSwitchId!;
  const groupId = (await ecs().createSecurityGroup(new Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId }))).body!.securityGroupId!;
  await t.admin.advance(3);
  return { vpcId, vSwitchId, groupId };
}

const mongo = (query: Record<string, unknown>) => ddsCall(t.emu.url, "CreateDBInstance", { RegionId: REGION, DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: 20, EngineVersion: "7.0", ...query });
const deleteVSwitch = (vSwitchId: string) => vpc().deleteVSwitch(new Vpc.DeleteVSwitchRequest({ regionId: REGION, vSwitchId }));
const deleteGroup = (securityGroupId: string) => ecs().deleteSecurityGroup(new Ecs.DeleteSecurityGroupRequest({ regionId: REGION, securityGroupId }));
const listed = async (id: string) =>
  (await ecs().describeInstances(new Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([id]) }))).body!.instances!.instance!;

async function runInstance(net: { vSwitchId: string; groupId: string }, extra: Partial<Ecs.RunInstancesRequest> = {}): Promise<string> {
  const res = await ecs().runInstances(new Ecs.RunInstancesRequest({
    regionId: REGION, imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vSwitchId: net.vSwitchId, securityGroupId: net.groupId, ...extra,
  }));
  return res.body!.instanceIdSets!.instanceIdSet![0];
}

describe("an ECS instance holds its vSwitch and security groups until DescribeInstances no longer lists it", () => {
  it("Pending, Running, Stopping, Stopped and being released: DependencyViolation; gone: both deletes succeed on the first call", async () => {
    const net = await stackNetwork();
    const id = await runInstance(net);
    const refused = async (status: string) => {
      expect((await listed(id))[0].status).toBe(status);
      await expectError(deleteVSwitch(net.vSwitchId), IN_USE_VSWITCH);
      await expectError(deleteGroup(net.groupId), IN_USE_GROUP);
    };
    await refused("Pending");
    await t.admin.advance(25);
    await refused("Running");
    await ecs().stopInstance(new Ecs.StopInstanceRequest({ instanceId: id }));
    await refused("Stopping");
    await t.admin.advance(20);
    await refused("Stopped");
    await ecs().deleteInstance(new Ecs.DeleteInstanceRequest({ instanceId: id }));
    // An accepted release is still listed until it is done, and it still holds the network.
    await refused("Stopped");
    await t.admin.advance(10);
    expect(await listed(id)).toEqual([]);

    await t.admin.clearRequests();
    await deleteVSwitch(net.vSwitchId);
    await deleteGroup(net.groupId);
    await t.admin.advance(3);
    await vpc().deleteVpc(new Vpc.DeleteVpcRequest({ regionId: REGION, vpcId: net.vpcId }));
    const calls = (await t.admin.requests()).map((r) => [r.action, r.status]);
    expect(calls).toEqual([["DeleteVSwitch", 200], ["DeleteSecurityGroup", 200], ["DeleteVpc", 200]]);
  });

  it("a VPC is held by its vSwitch while an instance is being released in it", async () => {
    const net = await stackNetwork();
    const id = await runInstance(net);
    await t.admin.advance(25);
    await ecs().deleteInstance(new Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
    await expectError(vpc().deleteVpc(new Vpc.DeleteVpcRequest({ regionId: REGION, vpcId: net.vpcId })), ["DependencyViolation.VSwitch", 400, "Specified object has dependent resources"]);
    const view = await t.admin.network({ includeDefault: false });
    expect(view.vSwitches.map((v) => v.usedBy)).toEqual([[id]]);
    // A group named only by a secondary network interface is held as well.
    const other = (await ecs().createSecurityGroup(new Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId: net.vpcId }))).body!.securityGroupId!;
    const withEni = await runInstance(net, { networkInterface: [new Ecs.RunInstancesRequestNetworkInterface({ instanceType: "Secondary", vSwitchId: net.vSwitchId, securityGroupId: other })] });
    await expectError(deleteGroup(other), IN_USE_GROUP);
    expect((await t.admin.network({ includeDefault: false })).securityGroups.find((g) => g.id === other)?.usedBy).toEqual([withEni]);
    expect(view.securityGroups.map((g) => g.usedBy)).toEqual([[id]]);
  });

  it("takes its zone and VPC from the vSwitch when the request gives no zone", async () => {
    const net = await stackNetwork();
    const id = await runInstance(net);
    expect((await listed(id))[0]).toMatchObject({ zoneId: ZONE, vpcAttributes: { vpcId: net.vpcId, vSwitchId: net.vSwitchId }, securityGroupIds: { securityGroupId: [net.groupId] } });
  });
});

describe("MongoDB and Redis instances hold their vSwitch until they are gone", () => {

  it("MongoDB: Creating, Running and Deleting hold it; released into the recycle bin, the delete succeeds", async () => {
    const net = await stackNetwork();
    const id = (await mongo({ VSwitchId: net.vSwitchId })).DBInstanceId as string;
    await expectError(deleteVSwitch(net.vSwitchId), IN_USE_VSWITCH);
    await t.admin.advance(300);
    await expectError(deleteVSwitch(net.vSwitchId), IN_USE_VSWITCH);
    await ddsCall(t.emu.url, "DeleteDBInstance", { DBInstanceId: id });
    await expectError(deleteVSwitch(net.vSwitchId), IN_USE_VSWITCH);
    await t.admin.advance(60);
    expect((await t.admin.instance(id))?.status).toBe("Released");
    await deleteVSwitch(net.vSwitchId);
  });

  const redis = (extra: Partial<Kv.CreateInstanceRequest>) =>
    kv().createInstance(new Kv.CreateInstanceRequest({ regionId: REGION, instanceClass: "redis.master.small.default", password: "Redis-Pw-456", ...extra }));

  it("Redis pay-as-you-go: held until DeleteInstance has moved it to the recycle bin (rebuild only: the entry holds nothing)", async () => {
    const net = await stackNetwork();
    const id = (await redis({ vSwitchId: net.vSwitchId })).body!.instanceId!;
    await t.admin.advance(120);
    await kv().deleteInstance(new Kv.DeleteInstanceRequest({ instanceId: id }));
    await expectError(deleteVSwitch(net.vSwitchId), IN_USE_VSWITCH);
    await t.admin.advance(20);
    const binned = await kv().describeInstances(new Kv.DescribeInstancesRequest({ regionId: REGION, instanceStatus: "Released" }));
    expect(binned.body!.instances!.KVStoreInstance!.map((i) => [i.instanceId, i.vSwitchId, i.vpcId, i.zoneId])).toEqual([[id, net.vSwitchId, net.vpcId, ZONE]]);
    await deleteVSwitch(net.vSwitchId);
  });

  it("Redis subscription: an expired one in the recycle bin (it can be unlocked in place) holds it until DestroyInstance", async () => {
    const net = await stackNetwork();
    const id = (await redis({ vSwitchId: net.vSwitchId, chargeType: "PrePaid", period: "1" })).body!.instanceId!;
    await t.admin.advance(120);
    await t.admin.expire(id);
    await t.admin.advance(31 * 86400);
    expect((await t.admin.instance(id))?.status).toBe("Released");
    await expectError(deleteVSwitch(net.vSwitchId), IN_USE_VSWITCH);
    await kv().destroyInstance(new Kv.DestroyInstanceRequest({ instanceId: id }));
    await expectError(deleteVSwitch(net.vSwitchId), IN_USE_VSWITCH);
    await t.admin.advance(10);
    await deleteVSwitch(net.vSwitchId);
  });
});

describe("creates check the network they name", () => {
  const VSW_NOT_FOUND = ["InvalidVSwitchId.NotFound", 404, "Specified virtual switch does not exist."] as const;
  const SG_NOT_FOUND = ["InvalidSecurityGroupId.NotFound", 404, "The SecurityGroupId provided does not exist in our records."] as const;
  const ZONE_MISMATCH = ["InvalidParameter.Mismatch", 400, "Specified virtual switch is not in the specified zone."] as const;
  const net = { vSwitchId: defaultVSwitchId(), groupId: defaultSecurityGroupId() };

  it("ECS RunInstances: a missing vSwitch or security group, another region's, the wrong zone, another VPC's group, a Pending vSwitch", async () => {
    await expectError(runInstance({ ...net, vSwitchId: "vsw-bp1nothere" }), VSW_NOT_FOUND);
    await expectError(runInstance({ ...net, groupId: "sg-bp1nothere" }), SG_NOT_FOUND);
    await expectError(runInstance(net, { securityGroupId: undefined, securityGroupIds: [defaultSecurityGroupId(), "sg-bp1nothere"] }), SG_NOT_FOUND);
    await expectError(runInstance({ ...net, vSwitchId: defaultVSwitchId("cn-shanghai-b") }), VSW_NOT_FOUND);
    await expectError(runInstance(net, { zoneId: ZONE }), ZONE_MISMATCH);
    const mine = await stackNetwork();
    await expectError(runInstance({ vSwitchId: defaultVSwitchId(), groupId: mine.groupId }), ["InvalidParameter.Mismatch", 400, "Specified security group and virtual switch are not in the same VPC."]);
    const pending = (await vpc().createVSwitch(new Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId: mine.vpcId, zoneId: ZONE, cidrBlock: "192.168.2.0/24" }))).body!.vSwitchId!;
    await expectError(runInstance({ vSwitchId: pending, groupId: mine.groupId }), ["IncorrectVSwitchStatus", 400, "The current status of virtual switch does not support this operation."]);
    // A secondary network interface's vSwitch and group are checked too, and then hold the network like the primary's.
    const eni = (vSwitchId: string, securityGroupId: string) => ({ networkInterface: [new Ecs.RunInstancesRequestNetworkInterface({ instanceType: "Secondary", vSwitchId, securityGroupId })] });
    await expectError(runInstance(net, eni("vsw-bp1nothere", defaultSecurityGroupId())), VSW_NOT_FOUND);
    await expectError(runInstance(net, eni(defaultVSwitchId(ZONE), defaultSecurityGroupId())), ZONE_MISMATCH);
    await expectError(runInstance(net, eni(defaultVSwitchId(), "sg-bp1nothere")), SG_NOT_FOUND);
    // Nothing was created by the refused calls.
    expect(await t.admin.instances()).toEqual([]);
  });

  it("MongoDB CreateDBInstance and Redis CreateInstance: a missing vSwitch, the wrong zone, another VPC", async () => {
    await expectError(mongo({ VSwitchId: "vsw-bp1nothere" }), VSW_NOT_FOUND);
    await expectError(mongo({ VSwitchId: defaultVSwitchId(ZONE), ZoneId: `${REGION}-b` }), ZONE_MISMATCH);
    await expectError(mongo({ VSwitchId: defaultVSwitchId(ZONE), VpcId: "vpc-bp1other" }), ["InvalidParameter.Mismatch", 400, "Specified virtual switch is not in the specified VPC."]);
    const redis = (extra: Partial<Kv.CreateInstanceRequest>) => kv().createInstance(new Kv.CreateInstanceRequest({ regionId: REGION, instanceClass: "redis.master.small.default", password: "Redis-Pw-456", ...extra }));
    await expectError(redis({ vSwitchId: "vsw-bp1nothere" }), VSW_NOT_FOUND);
    await expectError(redis({ vSwitchId: defaultVSwitchId(ZONE), zoneId: `${REGION}-b` }), ZONE_MISMATCH);
    expect(await t.admin.instances()).toEqual([]);
    // The vSwitch gives the zone and VPC.
    const created = (await redis({ vSwitchId: defaultVSwitchId(`${REGION}-k`) })).body!;
    expect(created).toMatchObject({ zoneId: `${REGION}-k`, vpcId: defaultVpcId(), vSwitchId: defaultVSwitchId(`${REGION}-k`) });
  });
});
