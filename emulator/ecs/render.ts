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

/** The launch parameters DescribeInstances reports, with the API's defaults for those never given. */
function renderLaunch(a: EcsAttrs): Record<string, unknown> {
  const spot = a.SpotStrategy ?? "NoSpot";
  return {
    HostName: a.HostName ?? "",
    KeyPairName: a.KeyPairName ?? "",
    ResourceGroupId: a.ResourceGroupId ?? "",
    IoOptimized: a.IoOptimized ?? true,
    InternetChargeType: a.InternetChargeType ?? "PayByTraffic",
    InternetMaxBandwidthOut: a.InternetMaxBandwidthOut ?? 0,
    InternetMaxBandwidthIn: a.InternetMaxBandwidthIn ?? 10,
    PublicIpAddress: { IpAddress: [...(a.PublicIpAddress ?? [])] },
    EipAddress: { AllocationId: "", IpAddress: "", Bandwidth: 0, InternetChargeType: "" },
    SpotStrategy: spot,
    SpotPriceLimit: a.SpotPriceLimit ?? 0,
    SpotDuration: a.SpotDuration ?? 0,
    SpotInterruptionBehavior: a.SpotInterruptionBehavior ?? "",
    DeploymentSetId: a.DeploymentSetId ?? "",
    ...(a.DeploymentSetGroupNo === undefined ? {} : { DeploymentSetGroupNo: a.DeploymentSetGroupNo }),
    CreditSpecification: a.CreditSpecification ?? "",
    HpcClusterId: a.HpcClusterId ?? "",
    DedicatedHostAttribute: { DedicatedHostId: a.DedicatedHostId ?? "", DedicatedHostName: "", DedicatedHostClusterId: "" },
    DedicatedInstanceAttribute: { Affinity: a.Affinity ?? "default", Tenancy: a.Tenancy ?? "default" },
    MetadataOptions: a.MetadataOptions ?? { HttpEndpoint: "enabled", HttpTokens: "optional", HttpPutResponseHopLimit: 1 },
    NetworkInterfaces: {
      NetworkInterface: (a.NetworkInterfaces ?? []).map((n) => ({
        NetworkInterfaceId: n.NetworkInterfaceId,
        Type: n.Type,
        MacAddress: n.MacAddress,
        PrimaryIpAddress: n.PrimaryIpAddress ?? "",
        PrivateIpSets: { PrivateIpSet: n.PrimaryIpAddress ? [{ PrivateIpAddress: n.PrimaryIpAddress, Primary: true }] : [] },
      })),
    },
  };
}
