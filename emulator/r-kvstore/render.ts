// Response shapes of DescribeInstanceAttribute (DBInstanceAttribute) and DescribeInstances (KVStoreInstance),
// PascalCase as the API sends them (NPM-KV response models).
import { Clock } from "../core/clock";
import { Instance } from "../core/store";
import { kvAttrs } from "./lifecycle";

/** The fields both Describe calls share. */
function common(inst: Instance, clock: Clock): Record<string, unknown> {
  const a = kvAttrs(inst);
  return {
    InstanceId: inst.id,
    InstanceName: a.InstanceName,
    InstanceStatus: inst.status,
    ChargeType: inst.chargeType,
    EndTime: inst.chargeType === "PrePaid" && inst.expireTime !== undefined ? clock.iso(inst.expireTime, "second") : undefined,
    CreateTime: a.CreateTime,
    DestroyTime: a.DestroyTime,
    IsRds: true,
    GlobalInstanceId: a.GlobalInstanceId,
    InstanceType: a.InstanceType,
    EngineVersion: a.EngineVersion,
    ArchitectureType: a.ArchitectureType,
    NodeType: a.NodeType,
    InstanceClass: a.InstanceClass,
    Capacity: a.Capacity,
    Bandwidth: a.Bandwidth,
    Connections: a.Connections,
    QPS: a.QPS,
    Config: a.Config,
    ShardCount: a.ShardCount,
    Port: a.Port,
    ConnectionDomain: a.ConnectionDomain,
    PrivateIp: a.PrivateIp,
    NetworkType: a.NetworkType,
    VpcId: a.VpcId,
    VSwitchId: a.VSwitchId,
    ZoneId: a.ZoneId,
    SecondaryZoneId: a.SecondaryZoneId || undefined,
    ResourceGroupId: a.ResourceGroupId ?? "",
    ReadOnlyCount: a.ReadOnlyCount,
    ReplicaCount: a.ReplicaCount,
    SlaveReadOnlyCount: a.SlaveReadOnlyCount,
    SlaveReplicaCount: a.SlaveReplicaCount,
    RegionId: inst.regionId,
    Tags: { Tag: a.Tags.map((t) => ({ ...t })) },
  };
}

export function renderAttribute(inst: Instance, clock: Clock): Record<string, unknown> {
  return {
    ...common(inst, clock),
    InstanceReleaseProtection: kvAttrs(inst).InstanceReleaseProtection,
    // Disk-based Tair only (SDK models type Storage as a string here).
    Storage: kvAttrs(inst).Storage === undefined ? undefined : String(kvAttrs(inst).Storage),
    StorageType: kvAttrs(inst).StorageType,
    IsOrderCompleted: true,
    // A string here, a boolean in DescribeInstances (NPM-KV models).
    HasRenewChangeOrder: "false",
  };
}

export function renderListItem(inst: Instance, clock: Clock): Record<string, unknown> {
  const a = kvAttrs(inst);
  return {
    ...common(inst, clock),
    EditionType: a.EditionType,
    UserName: a.UserName,
    HasRenewChangeOrder: false,
  };
}
