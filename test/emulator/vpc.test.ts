// The network in the emulator through the real @alicloud/vpc20160428 and @alicloud/ecs20140526 clients: VPCs and
// vSwitches from create to gone, security groups, the default network and its off switch, the admin view.
import * as Ecs from "@alicloud/ecs20140526";
import * as Vpc from "@alicloud/vpc20160428";
import { beforeEach, describe, expect, it } from "vitest";
import { EmulatorAdmin, startEmulator } from "../../emulator";
import { useEmulator } from "../support/emulator";
import { defaultSecurityGroupId, defaultVpcId, defaultVSwitchId } from "../support/network";
import { ecsClient, sdkError, SignatureMode, vpcClient } from "../support/sdk";

const REGION = "cn-hangzhou";
const ZONES = ["a", "b", "c", "g", "h", "i", "j", "k"].map((l) => `${REGION}-${l}`);

// Frozen: virtual time moves only when a test advances it, so durations are exact.
const t = useEmulator({ frozenClock: true });

beforeEach(async () => {
  await t.admin.reset();
});

async function expectError(p: Promise<unknown>, code: string, status: number, message: string, hostId: string): Promise<void> {
  const e = await sdkError(p);
  expect({ code: e.code, statusCode: e.statusCode }).toEqual({ code, statusCode: status });
  expect(e.message).toBe(`${code}: code: ${status}, ${message} request id: ${e.requestId}`);
  // The gateway answers from the product's regional host (ecs.cn-hangzhou.aliyuncs.com) or its central one.
  expect(String(e.data?.HostId)).toMatch(new RegExp(`^${hostId.replace(".aliyuncs.com", "")}\\.(${REGION}\\.)?aliyuncs\\.com$`));
}

const vpcFail = (p: Promise<unknown>, code: string, message: string, status = 400) => expectError(p, code, status, message, "vpc.aliyuncs.com");
const ecsFail = (p: Promise<unknown>, code: string, message: string, status: number) => expectError(p, code, status, message, "ecs.aliyuncs.com");

describe.each(["acs3", "v1"] as const)("VPC with %s signatures", (signature: SignatureMode) => {
  const vpc = () => vpcClient(t.emu.url, { signature });
  const ecs = () => ecsClient(t.emu.url, { signature });

  const createVpc = async (extra: Partial<Vpc.CreateVpcRequest> = {}) =>
    (await vpc().createVpc(new Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: "10.0.0.0/8", vpcName: "stack", ...extra }))).body!;
  const createVSwitch = async (vpcId: string, extra: Partial<Vpc.CreateVSwitchRequest> = {}) =>
    (await vpc().createVSwitch(new Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId: `${REGION}-h`, cidrBlock: "10.1.0.0/24", ...extra }))).body!.vSwitchId!;
  const vpcAttribute = async (vpcId: string) => (await vpc().describeVpcAttribute(new Vpc.DescribeVpcAttributeRequest({ regionId: REGION, vpcId }))).body!;
  const vSwitchAttribute = async (vSwitchId: string) => (await vpc().describeVSwitchAttributes(new Vpc.DescribeVSwitchAttributesRequest({ regionId: REGION, vSwitchId }))).body!;
  const createGroup = async (vpcId: string, extra: Partial<Ecs.CreateSecurityGroupRequest> = {}) =>
    (await ecs().createSecurityGroup(new Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId, securityGroupName: "web", ...extra }))).body!.securityGroupId!;

  it("starts every region with the default VPC, a vSwitch per zone and a security group", async () => {
    const vpcs = (await vpc().describeVpcs(new Vpc.DescribeVpcsRequest({ regionId: REGION }))).body!;
    expect(vpcs).toMatchObject({ totalCount: 1, pageNumber: 1, pageSize: 10 });
    expect(vpcs.vpcs!.vpc![0]).toMatchObject({
      vpcId: defaultVpcId(), regionId: REGION, status: "Available", isDefault: true, cidrBlock: "172.16.0.0/12",
      vSwitchIds: { vSwitchId: ZONES.map((z) => defaultVSwitchId(z)) },
    });
    const vsws = (await vpc().describeVSwitches(new Vpc.DescribeVSwitchesRequest({ regionId: REGION, vpcId: defaultVpcId(), pageSize: 50 }))).body!;
    expect(vsws.totalCount).toBe(8);
    expect(vsws.vSwitches!.vSwitch!.map((v) => [v.vSwitchId, v.zoneId, v.status, v.isDefault])).toEqual(ZONES.map((z) => [defaultVSwitchId(z), z, "Available", true]));
    const groups = (await ecs().describeSecurityGroups(new Ecs.DescribeSecurityGroupsRequest({ regionId: REGION }))).body!;
    expect(groups.securityGroups!.securityGroup!.map((g) => [g.securityGroupId, g.vpcId])).toEqual([[defaultSecurityGroupId(), defaultVpcId()]]);
    // Other regions have their own.
    const shanghai = (await vpc().describeVSwitches(new Vpc.DescribeVSwitchesRequest({ regionId: "cn-shanghai", zoneId: "cn-shanghai-b" }))).body!;
    expect(shanghai.vSwitches!.vSwitch!.map((v) => [v.vSwitchId, v.vpcId])).toEqual([[defaultVSwitchId("cn-shanghai-b"), defaultVpcId("cn-shanghai")]]);
  });

  it("creates a VPC Pending, Available after vpc.vpcCreating, and lists it with its fields", async () => {
    const created = await createVpc({ description: "for the stack" });
    expect(created.vpcId).toMatch(/^vpc-bp1[a-z0-9]{17}$/);
    expect(created.VRouterId).toMatch(/^vrt-/);
    expect(created.routeTableId).toMatch(/^vtb-/);
    expect(await vpcAttribute(created.vpcId!)).toMatchObject({ vpcId: created.vpcId, status: "Pending", cidrBlock: "10.0.0.0/8", vpcName: "stack", description: "for the stack", isDefault: false });
    await t.admin.advance(5);
    expect((await vpcAttribute(created.vpcId!)).status).toBe("Available");
    const mine = (await vpc().describeVpcs(new Vpc.DescribeVpcsRequest({ regionId: REGION, isDefault: false }))).body!;
    expect(mine.vpcs!.vpc!.map((v) => v.vpcId)).toEqual([created.vpcId]);
    await vpcFail(createVpc({ cidrBlock: "10.0.0.1/8" }), "InvalidCidrBlock.Malformed", "Specified CIDR block is not valid.");
  });

  it("creates vSwitches only in an Available VPC, inside its block, without overlaps, in a zone of its region", async () => {
    const { vpcId } = await createVpc();
    await vpcFail(createVSwitch(vpcId!), "IncorrectVpcStatus", "Current VPC status does not support this operation.");
    await t.admin.advance(5);
    const vsw = await createVSwitch(vpcId!, { vSwitchName: "app" });
    expect(await vSwitchAttribute(vsw)).toMatchObject({ vSwitchId: vsw, vpcId, zoneId: `${REGION}-h`, status: "Pending", cidrBlock: "10.1.0.0/24", vSwitchName: "app", availableIpAddressCount: 252 });
    await t.admin.advance(3);
    expect((await vSwitchAttribute(vsw)).status).toBe("Available");
    await vpcFail(createVSwitch(vpcId!, { cidrBlock: "10.1.0.128/25" }), "InvalidCidrBlock.Overlapped", "Specified CIDR block overlapped with other subnets.");
    await vpcFail(createVSwitch(vpcId!, { cidrBlock: "192.168.0.0/24" }), "InvalidParameter", "Specified CIDR block is not valid in VPC.");
    await vpcFail(createVSwitch(vpcId!, { cidrBlock: "10.2.0.0/24", zoneId: `${REGION}-z` }), "ResourceNotAvailable", "Resource you requested is not available in this region or zone.");
    await vpcFail(createVSwitch("vpc-bp1nothere"), "InvalidVpcId.NotFound", "Specified VPC does not exist.", 404);
    await vpcFail(vpc().describeVSwitches(new Vpc.DescribeVSwitchesRequest({ regionId: REGION, vpcId: "vpc-bp1nothere" })), "Forbidden.VpcNotFound", "Specified VPC can not found.");
  });

  it("deletes a vSwitch (Pending, then gone) and then its VPC (Deleting, then gone); refuses while something is in it", async () => {
    const { vpcId } = await createVpc();
    await t.admin.advance(5);
    const vsw = await createVSwitch(vpcId!);
    const group = await createGroup(vpcId!);
    await vpcFail(vpc().deleteVSwitch(new Vpc.DeleteVSwitchRequest({ regionId: REGION, vSwitchId: vsw })), "IncorrectVSwitchStatus", "vpc subnet status not working.");
    await t.admin.advance(3);
    await vpcFail(vpc().deleteVpc(new Vpc.DeleteVpcRequest({ regionId: REGION, vpcId })), "DependencyViolation.VSwitch", "Specified object has dependent resources");

    await vpc().deleteVSwitch(new Vpc.DeleteVSwitchRequest({ regionId: REGION, vSwitchId: vsw }));
    expect((await vSwitchAttribute(vsw)).status).toBe("Pending");
    // Still there while it is being deleted.
    await vpcFail(vpc().deleteVpc(new Vpc.DeleteVpcRequest({ regionId: REGION, vpcId })), "DependencyViolation.VSwitch", "Specified object has dependent resources");
    await t.admin.advance(3);
    await vpcFail(vSwitchAttribute(vsw), "InvalidVSwitchId.NotFound", "VSwitch not exist.", 404);
    await vpcFail(vpc().deleteVSwitch(new Vpc.DeleteVSwitchRequest({ regionId: REGION, vSwitchId: vsw })), "InvalidVSwitchId.NotFound", "VSwitch not exist.", 404);

    await vpcFail(vpc().deleteVpc(new Vpc.DeleteVpcRequest({ regionId: REGION, vpcId })), "DependencyViolation.SecurityGroup", "Specified object has dependent resources SecurityGroup.");
    await ecs().deleteSecurityGroup(new Ecs.DeleteSecurityGroupRequest({ regionId: REGION, securityGroupId: group }));
    await vpc().deleteVpc(new Vpc.DeleteVpcRequest({ regionId: REGION, vpcId }));
    expect((await vpcAttribute(vpcId!)).status).toBe("Deleting");
    await vpcFail(vpc().deleteVpc(new Vpc.DeleteVpcRequest({ regionId: REGION, vpcId })), "IncorrectVpcStatus", "Current VPC status does not support this operation.");
    await t.admin.advance(5);
    await vpcFail(vpcAttribute(vpcId!), "InvalidVpcId.NotFound", "Specified VPC does not exist.", 404);
    expect(await t.admin.network({ includeDefault: false })).toEqual({ vpcs: [], vSwitches: [], securityGroups: [] });
  });

  it("security groups: create in a VPC, list with filters, delete, and the not-found codes", async () => {
    const { vpcId } = await createVpc();
    const group = await createGroup(vpcId!, { description: "web tier", tag: [new Ecs.CreateSecurityGroupRequestTag({ key: "env", value: "ci" })] });
    expect(group).toMatch(/^sg-bp1/);
    const listed = (await ecs().describeSecurityGroups(new Ecs.DescribeSecurityGroupsRequest({ regionId: REGION, vpcId }))).body!;
    expect(listed.totalCount).toBe(1);
    expect(listed.securityGroups!.securityGroup![0]).toMatchObject({
      securityGroupId: group, securityGroupName: "web", description: "web tier", vpcId, securityGroupType: "normal", ecsCount: 0,
      tags: { tag: [{ tagKey: "env", tagValue: "ci" }] },
    });
    const byTag = (await ecs().describeSecurityGroups(new Ecs.DescribeSecurityGroupsRequest({ regionId: REGION, tag: [new Ecs.DescribeSecurityGroupsRequestTag({ key: "env", value: "ci" })] }))).body!;
    expect(byTag.securityGroups!.securityGroup!.map((g) => g.securityGroupId)).toEqual([group]);
    await ecs().deleteSecurityGroup(new Ecs.DeleteSecurityGroupRequest({ regionId: REGION, securityGroupId: group }));
    const notFound = "The SecurityGroupId provided does not exist in our records.";
    await ecsFail(ecs().deleteSecurityGroup(new Ecs.DeleteSecurityGroupRequest({ regionId: REGION, securityGroupId: group })), "InvalidSecurityGroupId.NotFound", notFound, 404);
    await ecsFail(createGroup("vpc-bp1nothere"), "InvalidVpcId.NotFound", "The specified VpcId does not exist.", 404);
  });

  it("the admin view lists what a stack created apart from the default network; a reset brings the default network back", async () => {
    const { vpcId } = await createVpc();
    await t.admin.advance(5);
    const vsw = await createVSwitch(vpcId!);
    const group = await createGroup(vpcId!);
    const left = await t.admin.network({ includeDefault: false });
    expect(left.vpcs.map((v) => v.id)).toEqual([vpcId]);
    expect(left.vSwitches.map((v) => [v.id, v.status, v.usedBy])).toEqual([[vsw, "Pending", []]]);
    expect(left.securityGroups.map((g) => g.id)).toEqual([group]);
    const all = await t.admin.network();
    expect(all.vSwitches.filter((v) => v.isDefault)).toHaveLength(8 * 19);

    await vpc().deleteVSwitch(new Vpc.DeleteVSwitchRequest({ regionId: REGION, vSwitchId: defaultVSwitchId(`${REGION}-k`) }));
    await t.admin.advance(3);
    await t.admin.reset();
    expect(await t.admin.network({ includeDefault: false })).toEqual({ vpcs: [], vSwitches: [], securityGroups: [] });
    expect((await vSwitchAttribute(defaultVSwitchId(`${REGION}-k`))).status).toBe("Available");
  });
});

describe("without the default network (defaultNetwork: false)", () => {
  it("has no VPC, vSwitch or security group, so a create naming the default ids is refused", async () => {
    const emu = await startEmulator({ defaultNetwork: false, frozenClock: true });
    try {
      const vpcs = (await vpcClient(emu.url).describeVpcs(new Vpc.DescribeVpcsRequest({ regionId: REGION }))).body!;
      expect(vpcs.totalCount).toBe(0);
      expect(await new EmulatorAdmin(emu.url).network()).toEqual({ vpcs: [], vSwitches: [], securityGroups: [] });
      await ecsFail(
        ecsClient(emu.url).runInstances(new Ecs.RunInstancesRequest({ regionId: REGION, imageId: "img", instanceType: "ecs.g7.large", vSwitchId: defaultVSwitchId(), securityGroupId: defaultSecurityGroupId() })),
        "InvalidVSwitchId.NotFound", "Specified virtual switch does not exist.", 404,
      );
      // A reset keeps the choice.
      await new EmulatorAdmin(emu.url).reset();
      expect((await new EmulatorAdmin(emu.url).network()).vpcs).toEqual([]);
    } finally {
      await emu.close();
    }
  });

  it("is what `alicloud-emulator --no-default-network` asks for", async () => {
    const { parseArgs } = await import("../../emulator/cli");
    expect(parseArgs(["--no-default-network"]).defaultNetwork).toBe(false);
    expect(parseArgs([]).defaultNetwork).toBe(true);
  });
});
