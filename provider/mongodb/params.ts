// The DDS (2015-12-01) create parameters, declared once. DDS has no npm SDK (`npm view @alicloud/dds20151201`:
// not found), so this table stands in for the request models: the inputs of mongodb.Instance and
// mongodb.ShardingInstance are derived from it, check validates against it and the query is built from it.
// Names follow the API's parameters in camelCase (docs: CreateDBInstance, CreateShardingDBInstance); the
// provider owns RegionId, Engine, ClientToken and Tag.N (tags are a map, plus the ownership tags).
import type { ParamTable, TableInput } from "../core/param-table";

const s = (wire: string) => ({ wire, kind: "string" as const });
const n = (wire: string) => ({ wire, kind: "number" as const });
const b = (wire: string) => ({ wire, kind: "boolean" as const });

/** What both creates take. */
const COMMON = {
  zoneId: s("ZoneId"),
  engineVersion: s("EngineVersion"),
  dbInstanceDescription: s("DBInstanceDescription"),
  securityIPList: s("SecurityIPList"),
  accountPassword: s("AccountPassword"),
  chargeType: s("ChargeType"),
  period: n("Period"),
  autoRenew: s("AutoRenew"),
  networkType: s("NetworkType"),
  vpcId: s("VpcId"),
  vSwitchId: s("VSwitchId"),
  storageEngine: s("StorageEngine"),
  storageType: s("StorageType"),
  provisionedIops: n("ProvisionedIops"),
  secondaryZoneId: s("SecondaryZoneId"),
  hiddenZoneId: s("HiddenZoneId"),
  srcDBInstanceId: s("SrcDBInstanceId"),
  restoreTime: s("RestoreTime"),
  restoreType: s("RestoreType"),
  srcRegion: s("SrcRegion"),
  resourceGroupId: s("ResourceGroupId"),
  globalSecurityGroupIds: s("GlobalSecurityGroupIds"),
  encrypted: b("Encrypted"),
  encryptionKey: s("EncryptionKey"),
  couponNo: s("CouponNo"),
  businessInfo: s("BusinessInfo"),
} as const;

export const CREATE_DB_INSTANCE = {
  ...COMMON,
  dbInstanceClass: s("DBInstanceClass"),
  dbInstanceStorage: n("DBInstanceStorage"),
  replicationFactor: n("ReplicationFactor"),
  readonlyReplicas: n("ReadonlyReplicas"),
  backupId: s("BackupId"),
  databaseNames: s("DatabaseNames"),
  clusterId: s("ClusterId"),
  releaseProtection: b("DBInstanceReleaseProtection"),
} as const satisfies ParamTable;

export const CREATE_SHARDING_DB_INSTANCE = {
  ...COMMON,
  protocolType: s("ProtocolType"),
  /** Mongos.N.Class: 2 to 32 mongos nodes. */
  mongos: { wire: "Mongos", kind: { list: { class: s("Class") } } },
  /** ReplicaSet.N.*: 2 to 32 shards. */
  replicaSet: { wire: "ReplicaSet", kind: { list: { class: s("Class"), storage: n("Storage"), readonlyReplicas: n("ReadonlyReplicas") } } },
  /** ConfigServer.N.*: one config server. */
  configServer: { wire: "ConfigServer", kind: { list: { class: s("Class"), storage: n("Storage") } } },
} as const satisfies ParamTable;

export type CreateDBInstanceParams = TableInput<typeof CREATE_DB_INSTANCE>;
export type CreateShardingDBInstanceParams = TableInput<typeof CREATE_SHARDING_DB_INSTANCE>;
