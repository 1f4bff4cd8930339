// DescribeInstances' Instances.Instance[] item, in the documented PascalCase shape (alicloud-apis.md §1.2, §1.5).
import { Clock } from "../core/clock";
import { Instance } from "../core/store";
import { ecsAttrs, POSTPAID_EXPIRED_TIME } from "./model";

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
    VpcAttributes: { VpcId: a.VpcId, VSwitchId: a.VSwitchId, PrivateIpAddress: { IpAddress: [] } },
    SecurityGroupIds: { SecurityGroupId: [...a.SecurityGroupIds] },
    Tags: { Tag: a.Tags.map((t) => ({ TagKey: t.TagKey, TagValue: t.TagValue })) },
    InstanceNetworkType: "vpc",
    IoOptimized: true,
    Recyclable: false,
    SpotStrategy: "NoSpot",
    InternetChargeType: "PayByTraffic",
  };
}
