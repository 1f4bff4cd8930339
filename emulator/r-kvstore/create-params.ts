// What CreateInstance and CreateTairInstance share (r-kvstore20150101 CreateInstanceRequest and
// CreateTairInstanceRequest): billing, name, password, port, zones and network, replicas, resource group, tags. Each
// is checked as documented and kept under the name the describe calls report; the password is checked and
// forgotten. Building and storing the instance and its CreateInstance-shaped answer is shared too.
import { randomInt } from "node:crypto";
import { invalid } from "../core/errors";
import { ActionContext, errorFrom, newId, regionParam } from "../core/product";
import { Params } from "../core/params";
import { parseTags } from "../core/tags";
import { KV_ERRORS } from "./errors";
import { KvAttrs, scheduleCreated, scheduleExpiry } from "./lifecycle";
import { networkOf } from "../vpc/placement";

const PERIODS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "12", "24", "36", "60"];
const AUTO_RENEW_PERIODS = ["1", "2", "3", "6", "12"];
/** 8–32 characters, three of the four kinds, specials `!@#$%^&*()_+-=` (CreateInstanceRequest / CreateTairInstanceRequest). */
const PASSWORD_SPECIALS = /[!@#$%^&*()_+\-=]/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Memory (MB) of the classic community classes; other classes carry their size as `.<n>g` in the name. */
const CLASS_CAPACITY: Record<string, number> = {
  "redis.master.micro.default": 256,
  "redis.master.small.default": 1024,
  "redis.master.mid.default": 2048,
  "redis.master.stand.default": 4096,
  "redis.master.large.default": 8192,
  "redis.master.2xlarge.default": 16384,
  "redis.master.4xlarge.default": 32768,
  "redis.master.8xlarge.default": 65536,
};

export function capacityOfClass(instanceClass: string): number {
  const known = CLASS_CAPACITY[instanceClass];
  if (known !== undefined) return known;
  const gb = /(?:^|\.)(\d+)g(?:\.|$)/.exec(instanceClass);
  return gb ? Number(gb[1]) * 1024 : 1024;
}

/** Cluster with more than one shard; read/write splitting with read-only nodes; standard otherwise. */
export function architectureOf(shardCount: number | undefined, readOnlyCount: number | undefined): KvAttrs["ArchitectureType"] {
  if (shardCount !== undefined && shardCount > 1) return "cluster";
  return readOnlyCount !== undefined && readOnlyCount > 0 ? "rwsplit" : "standard";
}

export const classOfCapacity = (capacity: number): string =>
  Object.entries(CLASS_CAPACITY).find(([, mb]) => mb === capacity)?.[0] ?? "";

export const DEFAULT_CONFIG = JSON.stringify({
  EvictionPolicy: "volatile-lru",
  "hash-max-ziplist-entries": 512,
  "zset-max-ziplist-entries": 128,
  "zset-max-ziplist-value": 64,
  "set-max-intset-entries": 512,
  "hash-max-ziplist-value": 64,
});

/** 2–80 characters, starting with a letter, without spaces or `@ / : = " < > { [ ] }`. */
export function instanceNameParam(params: Params, name: string): string | undefined {
  const value = params.string(name);
  if (value !== undefined && !/^\p{L}[^\s@/:="<>{}[\]]{1,79}$/u.test(value)) throw invalid(name);
  return value;
}

export function checkPassword(params: Params, name: string): void {
  const password = params.string(name);
  if (password === undefined) return;
  const kinds = [/[A-Z]/, /[a-z]/, /[0-9]/, PASSWORD_SPECIALS].filter((re) => re.test(password)).length;
  if (password.length < 8 || password.length > 32 || kinds < 3 || !/^[A-Za-z0-9!@#$%^&*()_+\-=]+$/.test(password)) {
    throw errorFrom(KV_ERRORS, "InvalidPassword.Malformed");
  }
}

/** Months after `ms`, clamped to the month's last day as billing does (31 Jan + 1 month = 28/29 Feb). */
function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

export interface CommonCreate {
  regionId: string;
  chargeType: "PostPaid" | "PrePaid";
  period?: number;
  port: number;
  /** The attributes every R-KVStore instance keeps from its create call. */
  attrs: Pick<KvAttrs, "InstanceName" | "ZoneId" | "SecondaryZoneId" | "VpcId" | "VSwitchId" | "PrivateIp" | "ResourceGroupId" | "ReadOnlyCount" |
    "ReplicaCount" | "SlaveReadOnlyCount" | "SlaveReplicaCount" | "GlobalInstanceId" | "Tags" | "InstanceReleaseProtection">;
  connectionPrefix?: string;
}

/** The shared parameters; `defaultChargeType` differs (CreateInstance: PostPaid, CreateTairInstance: PrePaid). */
export function parseCommonCreate(ctx: ActionContext, o: { defaultChargeType: "PostPaid" | "PrePaid"; portRange: [number, number] }): CommonCreate {
  const p = ctx.params;
  const regionId = regionParam(p) as string;
  const chargeType = p.oneOf("ChargeType", ["PostPaid", "PrePaid"] as const, o.defaultChargeType)!;
  let period: number | undefined;
  if (chargeType === "PrePaid") {
    const raw = p.required("Period");
    if (!PERIODS.includes(raw)) throw invalid("Period");
    period = Number(raw);
  }
  p.oneOf("AutoRenew", ["true", "false"] as const);
  p.oneOf("AutoRenewPeriod", AUTO_RENEW_PERIODS);
  const port = p.int("Port", o.portRange) ?? 6379;
  const instanceName = instanceNameParam(p, "InstanceName") ?? "";
  checkPassword(p, "Password");
  const net = networkOf(ctx, regionId, { vSwitchId: p.string("VSwitchId"), zoneId: p.string("ZoneId"), vpcId: p.string("VpcId") });
  const zoneId = net.zoneId ?? `${regionId}-h`;
  const secondary = p.string("SecondaryZoneId");
  if (secondary !== undefined && (secondary === zoneId || !secondary.startsWith(regionId))) throw invalid("SecondaryZoneId");
  const privateIp = p.string("PrivateIpAddress");
  if (privateIp !== undefined && !IPV4.test(privateIp)) throw invalid("PrivateIpAddress");
  const prefix = p.string("ConnectionStringPrefix");
  if (prefix !== undefined && !/^[a-z][a-z0-9]{7,39}$/.test(prefix)) throw invalid("ConnectionStringPrefix");
  for (const name of ["MaintainStartTime", "MaintainEndTime"]) {
    const v = p.string(name);
    if (v !== undefined && !/^([01]\d|2[0-3]):[0-5]\dZ$/.test(v)) throw invalid(name);
  }
  const readOnly = p.int("ReadOnlyCount", [1, 9]);
  const replicas = p.int("ReplicaCount", [1, 4]);
  const slaveReadOnly = p.int("SlaveReadOnlyCount", [0, 9]);
  const slaveReplicas = p.int("SlaveReplicaCount", [0, 4]);
  if ((readOnly ?? 0) + (slaveReadOnly ?? 0) > 9) throw invalid("SlaveReadOnlyCount");
  const srcId = p.string("SrcDBInstanceId");
  // Clones copy no data here, but the source must exist.
  if (srcId !== undefined && ctx.store.get(srcId)?.product !== "r-kvstore") throw errorFrom(KV_ERRORS, "InvalidInstanceId.NotFound");
  return {
    regionId,
    chargeType,
    period,
    port,
    connectionPrefix: prefix,
    attrs: {
      InstanceName: instanceName,
      ZoneId: zoneId,
      SecondaryZoneId: secondary ?? "",
      VpcId: net.vpcId ?? "",
      VSwitchId: net.vSwitchId ?? "",
      PrivateIp: privateIp ?? `172.16.${randomInt(0, 256)}.${randomInt(1, 255)}`,
      ResourceGroupId: p.string("ResourceGroupId") ?? "",
      ReadOnlyCount: readOnly,
      ReplicaCount: replicas,
      SlaveReadOnlyCount: slaveReadOnly,
      SlaveReplicaCount: slaveReplicas,
      GlobalInstanceId: p.string("GlobalInstanceId") ?? "",
      InstanceReleaseProtection: false,
      Tags: parseTags(p),
    },
  };
}

/** What only the create call knows: type, class, engine, shape. */
export type SpecificAttrs = Omit<KvAttrs, keyof CommonCreate["attrs"] | "Port" | "ConnectionDomain" | "UserName" | "CreateTime" | "Bandwidth" | "Connections" | "QPS" | "Config">;

/** Stores the new instance, schedules Creating → Normal and a subscription's expiry, and answers as CreateInstance does. */
export function addKvInstance(ctx: ActionContext, common: CommonCreate, specific: SpecificAttrs): Record<string, unknown> {
  const now = ctx.clock.now();
  const id = newId("r", common.regionId);
  const attrs: KvAttrs = {
    ...common.attrs,
    ...specific,
    Port: common.port,
    ConnectionDomain: `${common.connectionPrefix ?? id}.redis.rds.aliyuncs.com`,
    UserName: id,
    Bandwidth: 96,
    Connections: 10000,
    QPS: 100000,
    Config: DEFAULT_CONFIG,
    CreateTime: ctx.clock.iso(now, "second"),
  };
  const inst = ctx.store.add({ id, product: "r-kvstore", regionId: common.regionId, status: "Creating", chargeType: common.chargeType, attrs: attrs as unknown as Record<string, unknown> });
  scheduleCreated(ctx.store, ctx.clock, inst);
  // A subscription runs out on its own at EndTime, with the same timeline as an admin-forced expiry.
  if (common.period !== undefined) scheduleExpiry(ctx.store, ctx.clock, inst, addMonths(now, common.period));
  return {
    InstanceId: id,
    InstanceName: attrs.InstanceName,
    InstanceStatus: "Creating",
    ChargeType: common.chargeType,
    EndTime: inst.expireTime === undefined ? undefined : ctx.clock.iso(inst.expireTime, "second"),
    OrderId: randomInt(1e14, 2 ** 48),
    ConnectionDomain: attrs.ConnectionDomain,
    Port: attrs.Port,
    PrivateIpAddr: attrs.PrivateIp,
    UserName: attrs.UserName,
    Capacity: attrs.Capacity,
    Bandwidth: attrs.Bandwidth,
    Connections: attrs.Connections,
    QPS: attrs.QPS,
    Config: attrs.Config,
    NetworkType: attrs.NetworkType,
    NodeType: attrs.NodeType,
    RegionId: common.regionId,
    ZoneId: attrs.ZoneId,
    VpcId: attrs.VpcId,
    VSwitchId: attrs.VSwitchId,
  };
}
