// The DBInstance object of DescribeDBInstanceAttribute and DescribeDBInstances, PascalCase as TS-DDS
// DescribeDbinstanceAttributeResponseBody names it (numbers and booleans typed as the SDK model expects).
import { Clock } from "../core/clock";
import { Instance } from "../core/store";
import { CommonCreate } from "./create-params";

/** A node of a sharded cluster (mongos, shard or ConfigServer), as the attribute lists name its fields. */
export interface ClusterNode {
  NodeId: string;
  NodeClass: string;
  NodeStorage?: number;
  ReadonlyReplicas?: number;
  NodeDescription: string;
}

/** Attributes kept in `Instance.attrs`, under their Describe names. */
export type DdsAttrs = CommonCreate["attrs"] & {
  DBInstanceType: "replicate" | "sharding";
  /** Replica sets only. */
  DBInstanceClass?: string;
  DBInstanceStorage?: number;
  ReplicationFactor?: string;
  ReadonlyReplicas?: string;
  /** Sharded clusters only. */
  Mongos?: ClusterNode[];
  Shards?: ClusterNode[];
  ConfigServers?: ClusterNode[];
  LockMode: string;
  CreationTime: string;
  OrderId: string;
  /** When it was released into the recycle bin. */
  DestroyTime?: string;
};

export function attrsOf(instance: Instance): DdsAttrs {
  return instance.attrs as unknown as DdsAttrs;
}

const PORT = 3717;

/** MongosList / ShardList / ConfigserverList of a sharded cluster; each node shares the cluster's status and lock. */
function clusterLists(instance: Instance, a: DdsAttrs): Record<string, unknown> {
  const endpoint = (n: ClusterNode) => `${n.NodeId}.mongodb.rds.aliyuncs.com`;
  const common = (n: ClusterNode) => ({ NodeId: n.NodeId, NodeClass: n.NodeClass, NodeDescription: n.NodeDescription, Status: instance.status, LockMode: a.LockMode, Port: PORT });
  return {
    MongosList: { MongosAttribute: (a.Mongos ?? []).map((n) => ({ ...common(n), ConnectSting: endpoint(n), ConnectString: endpoint(n), VPCId: a.VPCId, VSwitchId: a.VSwitchId })) },
    ShardList: { ShardAttribute: (a.Shards ?? []).map((n) => ({ ...common(n), NodeStorage: n.NodeStorage, ReadonlyReplicas: n.ReadonlyReplicas ?? 0, ConnectString: `${endpoint(n)}:${PORT}` })) },
    ConfigserverList: { ConfigserverAttribute: (a.ConfigServers ?? []).map((n) => ({ ...common(n), NodeStorage: n.NodeStorage, ConnectString: `${endpoint(n)}:${PORT}` })) },
  };
}

export function renderInstance(instance: Instance, clock: Clock): Record<string, unknown> {
  const a = attrsOf(instance);
  const sharding = a.DBInstanceType === "sharding";
  return {
    DBInstanceId: instance.id,
    DBInstanceDescription: a.DBInstanceDescription,
    DBInstanceStatus: instance.status,
    DBInstanceType: a.DBInstanceType ?? "replicate",
    Engine: "MongoDB",
    EngineVersion: a.EngineVersion,
    ...(sharding ? {} : { DBInstanceClass: a.DBInstanceClass, DBInstanceStorage: a.DBInstanceStorage }),
    StorageType: a.StorageType,
    StorageEngine: a.StorageEngine ?? "WiredTiger",
    ChargeType: instance.chargeType,
    ...(instance.expireTime === undefined ? {} : { ExpireTime: clock.iso(instance.expireTime, "minute") }),
    CreationTime: a.CreationTime,
    ...(a.DestroyTime === undefined ? {} : { DestroyTime: a.DestroyTime }),
    LockMode: a.LockMode,
    DBInstanceReleaseProtection: a.DBInstanceReleaseProtection,
    DBInstanceOrderStatus: "all_completed",
    ZoneId: a.ZoneId,
    ...(a.SecondaryZoneId ? { SecondaryZoneId: a.SecondaryZoneId } : {}),
    ...(a.HiddenZoneId ? { HiddenZoneId: a.HiddenZoneId } : {}),
    RegionId: instance.regionId,
    VPCId: a.VPCId,
    VSwitchId: a.VSwitchId,
    NetworkType: a.NetworkType,
    ProtocolType: a.ProtocolType ?? "mongodb",
    ResourceGroupId: a.ResourceGroupId ?? "",
    Encrypted: a.Encrypted ?? false,
    ...(sharding ? clusterLists(instance, a) : { ReplicationFactor: a.ReplicationFactor, ReadonlyReplicas: a.ReadonlyReplicas ?? "0" }),
    Tags: { Tag: (a.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value })) },
  };
}
