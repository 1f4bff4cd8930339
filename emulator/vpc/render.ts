// DescribeVpcs' Vpcs.Vpc[] / DescribeVpcAttribute and DescribeVSwitches' VSwitches.VSwitch[] /
// DescribeVSwitchAttributes, PascalCase as the API sends them (@alicloud/vpc20160428 response models).
import { Clock } from "../core/clock";
import { Store } from "../core/store";
import { availableIps, Network, Tag, VSwitch, vSwitchStatus, Vpc, vpcStatus } from "./model";

/** The emulator's one account. */
export const OWNER_ID = 1234567890123456;

const tagsOf = (tags: Tag[]) => ({ Tag: tags.map((t) => ({ Key: t.Key, Value: t.Value })) });

export function renderVpc(vpc: Vpc, net: Network, clock: Clock): Record<string, unknown> {
  const vSwitchIds = [...net.vSwitches.values()].filter((v) => v.vpcId === vpc.id).map((v) => v.id);
  return {
    VpcId: vpc.id,
    RegionId: vpc.regionId,
    Status: vpcStatus(vpc, clock.now()),
    VpcName: vpc.name,
    Description: vpc.description,
    CreationTime: clock.iso(vpc.createdAt),
    CidrBlock: vpc.cidrBlock,
    VRouterId: vpc.vRouterId,
    IsDefault: vpc.isDefault,
    VSwitchIds: { VSwitchId: vSwitchIds },
    RouterTableIds: { RouterTableIds: [vpc.routeTableId] },
    UserCidrs: { UserCidr: [] },
    NatGatewayIds: { NatGatewayIds: [] },
    SecondaryCidrBlocks: { SecondaryCidrBlock: [] },
    Ipv6CidrBlock: "",
    EnabledIpv6: false,
    CenStatus: "Detached",
    DnsHostnameStatus: "DISABLED",
    ResourceGroupId: vpc.resourceGroupId,
    OwnerId: OWNER_ID,
    Tags: tagsOf(vpc.tags),
  };
}

export function renderVSwitch(vsw: VSwitch, net: Network, store: Store, clock: Clock): Record<string, unknown> {
  return {
    VSwitchId: vsw.id,
    VpcId: vsw.vpcId,
    ZoneId: vsw.zoneId,
    Status: vSwitchStatus(vsw, clock.now()),
    VSwitchName: vsw.name,
    Description: vsw.description,
    CidrBlock: vsw.cidrBlock,
    Ipv6CidrBlock: "",
    EnabledIpv6: false,
    AvailableIpAddressCount: availableIps(store, vsw),
    CreationTime: clock.iso(vsw.createdAt),
    IsDefault: vsw.isDefault,
    NetworkAclId: "",
    RouteTable: { RouteTableId: net.vpcs.get(vsw.vpcId)?.routeTableId ?? "", RouteTableType: "System" },
    ShareType: "",
    ResourceGroupId: vsw.resourceGroupId,
    OwnerId: OWNER_ID,
    Tags: tagsOf(vsw.tags),
  };
}
