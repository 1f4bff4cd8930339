// DescribeInstances' Instances.Instance[] item, in the documented PascalCase shape (alicloud-apis.md §1.2, §1.5).
import { Clock } from "../core/clock";
import { Instance } from "../core/store";
import { EcsAttrs, ecsAttrs, POSTPAID_EXPIRED_TIME } from "./model";

export function renderInstance(inst: Instance, clock: Clock): Record<string, unknown> {
  const a = ecsAttrs(inst);
  const minute = (iso: string) => (iso ? clock.iso(Date.parse(iso), "minute") : "");
  return {
    InstanceId: inst.id,
    InstanceName: a.InstanceName,
    Description: a.Description,
    RegionId: inst.regionId,
    ZoneId: a.ZoneId,
    Status: inst.status,
    InstanceType: a.InstanceType,
    ImageId: a.ImageId,
    InstanceChargeType: inst.chargeType,
    ExpiredTime: inst.chargeType === "PrePaid" && inst.expireTime !== undefined ? clock.iso(inst.expireTime, "minute") : POSTPAID_EXPIRED_TIME,
    CreationTime: minute(a.CreationTime),
    StartTime: minute(a.StartTime),
    DeletionProtection: a.DeletionProtection,
    AutoReleaseTime: a.AutoReleaseTime === undefined ? "" : clock.iso(a.AutoReleaseTime, "minute"),
    OperationLocks: { LockReason: a.OperationLocks.map((l) => ({ LockReason: l.LockReason, LockMsg: l.LockMsg })) },
    StoppedMode: a.StoppedMode,
    VpcAttributes: { VpcId: a.VpcId, VSwitchId: a.VSwitchId, PrivateIpAddress: { IpAddress: a.PrivateIpAddress ? [a.PrivateIpAddress] : [] }, NatIpAddress: "" },
    SecurityGroupIds: { SecurityGroupId: [...a.SecurityGroupIds] },
    Tags: { Tag: a.Tags.map((t) => ({ TagKey: t.TagKey, TagValue: t.TagValue })) },
    InstanceNetworkType: "vpc",
    Recyclable: false,
    ...renderLaunch(a),
  };
}

/**
 * The launch parameters DescribeInstances reports, with the API's defaults for those never given. Empty
 * structures the API also sends (EipAddress, DedicatedHostAttribute, …) are left out unless set: they carry
 * nothing and make every page of a large listing much heavier to parse.
 */
function renderLaunch(a: EcsAttrs): Record<string, unknown> {
  return {
    HostName: a.HostName ?? "",
    KeyPairName: a.KeyPairName ?? "",
    ResourceGroupId: a.ResourceGroupId ?? "",
    IoOptimized: a.IoOptimized ?? true,
    InternetChargeType: a.InternetChargeType ?? "PayByTraffic",
    InternetMaxBandwidthOut: a.InternetMaxBandwidthOut ?? 0,
    InternetMaxBandwidthIn: a.InternetMaxBandwidthIn ?? 10,
    PublicIpAddress: { IpAddress: [...(a.PublicIpAddress ?? [])] },
    SpotStrategy: a.SpotStrategy ?? "NoSpot",
    SpotPriceLimit: a.SpotPriceLimit ?? 0,
    SpotDuration: a.SpotDuration ?? 0,
    SpotInterruptionBehavior: a.SpotInterruptionBehavior ?? "",
    DeploymentSetId: a.DeploymentSetId ?? "",
    CreditSpecification: a.CreditSpecification ?? "",
    ...(a.DeploymentSetGroupNo === undefined ? {} : { DeploymentSetGroupNo: a.DeploymentSetGroupNo }),
    ...(a.HpcClusterId ? { HpcClusterId: a.HpcClusterId } : {}),
    ...(a.DedicatedHostId ? { DedicatedHostAttribute: { DedicatedHostId: a.DedicatedHostId } } : {}),
    ...(a.Tenancy && a.Tenancy !== "default" ? { DedicatedInstanceAttribute: { Affinity: a.Affinity ?? "default", Tenancy: a.Tenancy } } : {}),
    ...(a.MetadataOptions ? { MetadataOptions: a.MetadataOptions } : {}),
    ...(a.NetworkInterfaces
      ? {
          NetworkInterfaces: {
            NetworkInterface: a.NetworkInterfaces.map((n) => ({ NetworkInterfaceId: n.NetworkInterfaceId, Type: n.Type, MacAddress: n.MacAddress, PrimaryIpAddress: n.PrimaryIpAddress ?? "" })),
          },
        }
      : {}),
  };
}
