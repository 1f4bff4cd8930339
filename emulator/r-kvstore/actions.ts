// R-KVStore (2015-01-01) actions: create, describe, modify, release into the recycle bin, destroy from it.
import { ApiError, invalid, missing } from "../core/errors";
import { ActionContext, ActionHandler, errorFrom, regionParam, throwIfBlocked } from "../core/product";
import { Instance } from "../core/store";
import { tagActions, tagFilter } from "../core/tags";
import { addKvInstance, architectureOf, capacityOfClass, classOfCapacity, instanceNameParam, parseCommonCreate } from "./create-params";
import { KV_ERRORS } from "./errors";
import { createTairInstance } from "./tair";
import { inRecycleBin, kvAttrs, scheduleDestroy, scheduleRelease } from "./lifecycle";
import { renderAttribute, renderListItem } from "./render";

const fail = (code: string): ApiError => errorFrom(KV_ERRORS, code);

const ENGINE_VERSIONS = ["2.8", "4.0", "5.0", "6.0", "7.0"] as const;
const NODE_TYPES = ["MASTER_SLAVE", "STAND_ALONE", "double", "single"] as const;
const INSTANCE_STATUSES = [
  "Normal", "Creating", "Changing", "Inactive", "Flushing", "Released", "Transforming", "Unavailable", "Error",
  "Migrating", "BackupRecovering", "MinorVersionUpgrading", "NetworkModifying", "SSLModifying", "MajorVersionUpgrading",
] as const;
const MAX_INSTANCE_IDS = 30;



function findInstance(ctx: ActionContext): Instance {
  const id = ctx.params.required("InstanceId");
  const inst = ctx.store.get(id);
  if (!inst || inst.product !== "r-kvstore") throw fail("InvalidInstanceId.NotFound");
  return inst;
}



const createInstance: ActionHandler = (ctx) => {
  const p = ctx.params;
  const common = parseCommonCreate(ctx, { defaultChargeType: "PostPaid", portRange: [1024, 65535] });
  const capacityParam = p.int("Capacity", [1, 2 ** 31 - 1]);
  const classParam = p.string("InstanceClass");
  if (classParam === undefined && capacityParam === undefined) throw missing("InstanceClass");
  const instanceType = p.oneOf("InstanceType", ["Redis", "Memcache"] as const, "Redis")!;
  const engineVersion = p.oneOf("EngineVersion", ENGINE_VERSIONS, "5.0")!;
  const networkType = p.oneOf("NetworkType", ["VPC", "CLASSIC"] as const, "VPC")!;
  const nodeType = p.oneOf("NodeType", NODE_TYPES, "MASTER_SLAVE")!;
  const shardCount = p.int("ShardCount", [1, 256]);
  p.oneOf("Appendonly", ["yes", "no"] as const);
  if (p.bool("DryRun")) throw fail("DryRunOperation");

  const instanceClass = classParam ?? classOfCapacity(capacityParam!);
  const capacity = capacityParam ?? capacityOfClass(instanceClass);
  return ctx.tokens.run("r-kvstore:CreateInstance", p.string("Token"), p.raw, "Token", () =>
    addKvInstance(ctx, common, {
      InstanceType: instanceType,
      EngineVersion: engineVersion,
      InstanceClass: instanceClass,
      Capacity: capacity,
      NodeType: nodeType,
      ArchitectureType: architectureOf(shardCount, common.attrs.ReadOnlyCount),
      EditionType: instanceClass.startsWith("tair.") ? "Enterprise" : "Community",
      ShardCount: shardCount,
      NetworkType: networkType,
    }),
  );
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
  p.oneOf("InstanceType", ["Redis", "Memcache", "Tair"] as const);
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
  const name = instanceNameParam(ctx.params, "InstanceName");
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
  CreateTairInstance: createTairInstance,
  CreateInstance: createInstance,
  DescribeInstanceAttribute: describeInstanceAttribute,
  DescribeInstances: describeInstances,
  ModifyInstanceAttribute: modifyInstanceAttribute,
  DeleteInstance: deleteInstance,
  DestroyInstance: destroyInstance,
};

export const KV_RELEASE_ACTIONS = ["DeleteInstance", "DestroyInstance"];
