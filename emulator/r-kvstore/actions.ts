// R-KVStore (2015-01-01) actions: create, describe, modify, release into the recycle bin, destroy from it.
import { randomInt } from "node:crypto";
import { ApiError, invalid, missing } from "../core/errors";
import { ActionContext, ActionHandler, errorFrom, newId, regionParam, throwIfBlocked } from "../core/product";
import { Instance } from "../core/store";
import { parseTags, tagActions, tagFilter } from "../core/tags";
import { KV_ERRORS } from "./errors";
import { inRecycleBin, KvAttrs, kvAttrs, scheduleCreated, scheduleDestroy, scheduleExpiry, scheduleRelease } from "./lifecycle";
import { renderAttribute, renderListItem } from "./render";
import { networkOf } from "../vpc/placement";

const fail = (code: string): ApiError => errorFrom(KV_ERRORS, code);

const ENGINE_VERSIONS = ["2.8", "4.0", "5.0", "6.0", "7.0"] as const;
const NODE_TYPES = ["MASTER_SLAVE", "STAND_ALONE", "double", "single"] as const;
const PERIODS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "12", "24", "36", "60"];
const INSTANCE_STATUSES = [
  "Normal", "Creating", "Changing", "Inactive", "Flushing", "Released", "Transforming", "Unavailable", "Error",
  "Migrating", "BackupRecovering", "MinorVersionUpgrading", "NetworkModifying", "SSLModifying", "MajorVersionUpgrading",
] as const;
const MAX_INSTANCE_IDS = 30;

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

function capacityOfClass(instanceClass: string): number {
  const known = CLASS_CAPACITY[instanceClass];
  if (known !== undefined) return known;
  const gb = /(?:^|\.)(\d+)g(?:\.|$)/.exec(instanceClass);
  return gb ? Number(gb[1]) * 1024 : 1024;
}

const classOfCapacity = (capacity: number): string =>
  Object.entries(CLASS_CAPACITY).find(([, mb]) => mb === capacity)?.[0] ?? "";

const DEFAULT_CONFIG = JSON.stringify({
  EvictionPolicy: "volatile-lru",
  "hash-max-ziplist-entries": 512,
  "zset-max-ziplist-entries": 128,
  "zset-max-ziplist-value": 64,
  "set-max-intset-entries": 512,
  "hash-max-ziplist-value": 64,
});

/** 2–80 characters, starting with a letter, without spaces or `@ / : = " < > { [ ] }`. */
function instanceNameParam(ctx: ActionContext, name: string): string | undefined {
  const value = ctx.params.string(name);
  if (value !== undefined && !/^\p{L}[^\s@/:="<>{}[\]]{1,79}$/u.test(value)) throw invalid(name);
  return value;
}

function findInstance(ctx: ActionContext): Instance {
  const id = ctx.params.required("InstanceId");
  const inst = ctx.store.get(id);
  if (!inst || inst.product !== "r-kvstore") throw fail("InvalidInstanceId.NotFound");
  return inst;
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


const createInstance: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionId = regionParam(p) as string;
  const capacityParam = p.int("Capacity", [1, 2 ** 31 - 1]);
  const classParam = p.string("InstanceClass");
  if (classParam === undefined && capacityParam === undefined) throw missing("InstanceClass");
  const instanceType = p.oneOf("InstanceType", ["Redis", "Memcache"] as const, "Redis")!;
  const engineVersion = p.oneOf("EngineVersion", ENGINE_VERSIONS, "5.0")!;
  const chargeType = p.oneOf("ChargeType", ["PostPaid", "PrePaid"] as const, "PostPaid")!;
  let period: number | undefined;
  if (chargeType === "PrePaid") {
    const raw = p.required("Period");
    if (!PERIODS.includes(raw)) throw invalid("Period");
    period = Number(raw);
  }
  const networkType = p.oneOf("NetworkType", ["VPC", "CLASSIC"] as const, "VPC")!;
  const nodeType = p.oneOf("NodeType", NODE_TYPES, "MASTER_SLAVE")!;
  const shardCount = p.int("ShardCount", [1, 256]);
  const port = p.int("Port", [1024, 65535]) ?? 6379;
  const instanceName = instanceNameParam(ctx, "InstanceName") ?? "";
  const tags = parseTags(p);
  // Password is accepted and never kept, returned or logged (only hashed into the Token fingerprint).
  const net = networkOf(ctx, regionId, { vSwitchId: p.string("VSwitchId"), zoneId: p.string("ZoneId"), vpcId: p.string("VpcId") });
  if (p.bool("DryRun")) throw fail("DryRunOperation");

  const instanceClass = classParam ?? classOfCapacity(capacityParam!);
  const capacity = capacityParam ?? capacityOfClass(instanceClass);
  return ctx.tokens.run("r-kvstore:CreateInstance", p.string("Token"), p.raw, "Token", () => {
    const now = ctx.clock.now();
    const id = newId("r", regionId);
    const attrs: KvAttrs = {
      InstanceName: instanceName,
      InstanceType: instanceType,
      EngineVersion: engineVersion,
      InstanceClass: instanceClass,
      Capacity: capacity,
      Bandwidth: 96,
      Connections: 10000,
      QPS: 100000,
      Config: DEFAULT_CONFIG,
      NodeType: nodeType,
      ArchitectureType: shardCount !== undefined && shardCount > 1 ? "cluster" : "standard",
      EditionType: instanceClass.startsWith("tair.") ? "Enterprise" : "Community",
      ShardCount: shardCount,
      Port: port,
      ConnectionDomain: `${id}.redis.rds.aliyuncs.com`,
      PrivateIp: `172.16.${randomInt(0, 256)}.${randomInt(1, 255)}`,
      UserName: id,
      NetworkType: networkType,
      ZoneId: net.zoneId ?? `${regionId}-h`,
      VpcId: net.vpcId ?? "",
      VSwitchId: net.vSwitchId ?? "",
      GlobalInstanceId: p.string("GlobalInstanceId") ?? "",
      InstanceReleaseProtection: false,
      Tags: tags,
      CreateTime: ctx.clock.iso(now, "second"),
    };
    const inst = ctx.store.add({ id, product: "r-kvstore", regionId, status: "Creating", chargeType, attrs: attrs as unknown as Record<string, unknown> });
    scheduleCreated(ctx.store, ctx.clock, inst);
    // A subscription runs out on its own at EndTime, with the same timeline as an admin-forced expiry.
    if (period !== undefined) scheduleExpiry(ctx.store, ctx.clock, inst, addMonths(now, period));
    return {
      InstanceId: id,
      InstanceName: instanceName,
      InstanceStatus: "Creating",
      ChargeType: chargeType,
      EndTime: inst.expireTime === undefined ? undefined : ctx.clock.iso(inst.expireTime, "second"),
      OrderId: randomInt(1e14, 2 ** 48),
      ConnectionDomain: attrs.ConnectionDomain,
      Port: port,
      PrivateIpAddr: attrs.PrivateIp,
      UserName: attrs.UserName,
      Capacity: capacity,
      Bandwidth: attrs.Bandwidth,
      Connections: attrs.Connections,
      QPS: attrs.QPS,
      Config: attrs.Config,
      NetworkType: networkType,
      NodeType: nodeType,
      RegionId: regionId,
      ZoneId: attrs.ZoneId,
      VpcId: attrs.VpcId,
      VSwitchId: attrs.VSwitchId,
    };
  });
};

const describeInstanceAttribute: ActionHandler = (ctx) => {
  const inst = findInstance(ctx);
  return { Instances: { DBInstanceAttribute: [renderAttribute(inst, ctx.clock)] } };
};

/** Equality filters of DescribeInstances that map straight onto a stored attribute. */
const ATTR_FILTERS = ["InstanceType", "EngineVersion", "NodeType", "ArchitectureType", "EditionType", "InstanceClass", "NetworkType", "VpcId", "VSwitchId", "ZoneId", "PrivateIp"] as const;

const describeInstances: ActionHandler = (ctx) => {
  const p = ctx.params;
  const tagsMatch = tagFilter(p);
  const regionId = regionParam(p, Object.keys(p.raw).some((k) => k.startsWith("Tag.")));
  const ids = p.string("InstanceIds")?.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (ids && ids.length > MAX_INSTANCE_IDS) throw invalid("InstanceIds");
  const status = p.oneOf("InstanceStatus", INSTANCE_STATUSES);
  const chargeType = p.oneOf("ChargeType", ["PostPaid", "PrePaid"] as const);
  const expired = p.oneOf("Expired", ["true", "false"] as const);
  // Validated here, matched with the other attribute filters below.
  p.oneOf("InstanceType", ["Redis", "Memcache"] as const);
  const searchKey = p.string("SearchKey");
  const pageSize = p.int("PageSize", [1, 50]) ?? 30;
  const pageNumber = p.int("PageNumber", [1, 2 ** 31 - 1]) ?? 1;
  const now = ctx.clock.now();

  const matches = ctx.store.all("r-kvstore").filter((inst) => {
    const a = kvAttrs(inst);
    // The recycle bin is only listed when asked for by status.
    if (status === undefined ? inRecycleBin(inst) : inst.status !== status) return false;
    if (regionId !== undefined && inst.regionId !== regionId) return false;
    if (ids && !ids.includes(inst.id)) return false;
    if (chargeType !== undefined && inst.chargeType !== chargeType) return false;
    if (expired !== undefined && (inst.expireTime !== undefined && inst.expireTime <= now) !== (expired === "true")) return false;
    if (searchKey !== undefined && !inst.id.includes(searchKey) && !a.InstanceName.includes(searchKey)) return false;
    for (const name of ATTR_FILTERS) {
      const want = p.string(name);
      if (want !== undefined && String(a[name]) !== want) return false;
    }
    return tagsMatch(a.Tags);
  });
  const page = matches.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    PageNumber: pageNumber,
    PageSize: pageSize,
    TotalCount: matches.length,
    Instances: { KVStoreInstance: page.map((inst) => renderListItem(inst, ctx.clock)) },
  };
};

const modifyInstanceAttribute: ActionHandler = (ctx) => {
  const p = ctx.params;
  const inst = findInstance(ctx);
  const a = kvAttrs(inst);
  const name = instanceNameParam(ctx, "InstanceName");
  const protection = p.has("InstanceReleaseProtection") ? p.bool("InstanceReleaseProtection") : undefined;
  // NewPassword is accepted and never kept, like CreateInstance's Password.
  if (inRecycleBin(inst) || a.releasing || a.destroying) throw fail("IncorrectDBInstanceState");
  // Release protection exists only for pay-as-you-go instances.
  if (protection !== undefined && inst.chargeType === "PrePaid") throw invalid("InstanceReleaseProtection");
  if (name !== undefined) a.InstanceName = name;
  if (protection !== undefined) a.InstanceReleaseProtection = protection;
  return {};
};

const deleteInstance: ActionHandler = (ctx) => {
  const inst = findInstance(ctx);
  const a = kvAttrs(inst);
  const globalId = ctx.params.string("GlobalInstanceId");
  if (globalId !== undefined && a.GlobalInstanceId !== "" && globalId !== a.GlobalInstanceId) throw invalid("GlobalInstanceId");
  throwIfBlocked(KV_ERRORS, inst, ctx.clock.now());
  if (inRecycleBin(inst)) throw fail("IncorrectDBInstanceState");
  // A subscription cannot be released through the API: it goes to the bin at expiry.
  if (inst.chargeType === "PrePaid") throw fail("ChargeTypeViolation");
  if (a.InstanceReleaseProtection) throw fail("InstanceReleaseProtection");
  if (inst.status !== "Normal" || a.releasing) throw fail("IncorrectDBInstanceState");
  scheduleRelease(ctx.store, ctx.clock, inst);
  return {};
};

const destroyInstance: ActionHandler = (ctx) => {
  const inst = findInstance(ctx);
  throwIfBlocked(KV_ERRORS, inst, ctx.clock.now());
  if (kvAttrs(inst).destroying) return {};
  if (!inRecycleBin(inst)) throw fail("IncorrectDBInstanceState");
  scheduleDestroy(ctx.store, ctx.clock, inst);
  return {};
};

const tagged = tagActions({
  product: "r-kvstore",
  resourceTypes: ["INSTANCE"],
  instanceType: "INSTANCE",
  listedType: "ALIYUN::KVSTORE::INSTANCE",
  getTags: (i) => kvAttrs(i).Tags,
  setTags: (i, tags) => {
    kvAttrs(i).Tags = tags;
  },
});

export const KV_ACTIONS: Record<string, ActionHandler> = {
  ...tagged,
  CreateInstance: createInstance,
  DescribeInstanceAttribute: describeInstanceAttribute,
  DescribeInstances: describeInstances,
  ModifyInstanceAttribute: modifyInstanceAttribute,
  DeleteInstance: deleteInstance,
  DestroyInstance: destroyInstance,
};

export const KV_RELEASE_ACTIONS = ["DeleteInstance", "DestroyInstance"];
