// The DBInstance object of DescribeDBInstanceAttribute and DescribeDBInstances, PascalCase as TS-DDS
// DescribeDbinstanceAttributeResponseBody names it (numbers and booleans typed as the SDK model expects).
import { Clock } from "../core/clock";
import { Instance } from "../core/store";
import { Tag } from "../core/tags";

/** Attributes kept in `Instance.attrs`, under their Describe names. */
export interface DdsAttrs {
  DBInstanceDescription: string;
  DBInstanceClass: string;
  DBInstanceStorage: number;
  EngineVersion: string;
  StorageType: string;
  ZoneId: string;
  VPCId?: string;
  VSwitchId?: string;
  NetworkType: string;
  ReplicationFactor: string;
  LockMode: string;
  DBInstanceReleaseProtection: boolean;
  CreationTime: string;
  OrderId: string;
  /** When it was released into the recycle bin. */
  DestroyTime?: string;
  Tags?: Tag[];
}

export function attrsOf(instance: Instance): DdsAttrs {
  return instance.attrs as unknown as DdsAttrs;
}

export function renderInstance(instance: Instance, clock: Clock): Record<string, unknown> {
  const a = attrsOf(instance);
  return {
    DBInstanceId: instance.id,
    DBInstanceDescription: a.DBInstanceDescription,
    DBInstanceStatus: instance.status,
    DBInstanceType: "replicate",
    Engine: "MongoDB",
    EngineVersion: a.EngineVersion,
    DBInstanceClass: a.DBInstanceClass,
    DBInstanceStorage: a.DBInstanceStorage,
    StorageType: a.StorageType,
    ChargeType: instance.chargeType,
    ...(instance.expireTime === undefined ? {} : { ExpireTime: clock.iso(instance.expireTime, "minute") }),
    CreationTime: a.CreationTime,
    ...(a.DestroyTime === undefined ? {} : { DestroyTime: a.DestroyTime }),
    LockMode: a.LockMode,
    DBInstanceReleaseProtection: a.DBInstanceReleaseProtection,
    DBInstanceOrderStatus: "all_completed",
    ZoneId: a.ZoneId,
    RegionId: instance.regionId,
    VPCId: a.VPCId,
    VSwitchId: a.VSwitchId,
    NetworkType: a.NetworkType,
    ReplicationFactor: a.ReplicationFactor,
    Tags: { Tag: (a.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value })) },
  };
}
