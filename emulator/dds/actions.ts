// The DDS (2015-12-01) actions the emulator serves: the replica-set lifecycle of alicloud-apis.md §2.
import { invalid } from "../core/errors";
import { ActionContext, ActionHandler, errorFrom, newId, regionParam, throwIfBlocked } from "../core/product";
import { Instance } from "../core/store";
import { tagActions, tagFilter } from "../core/tags";
import { addDdsInstance, checkDescription, parseCommonCreate } from "./create-params";
import { DDS_ERRORS } from "./errors";
import { inRecycleBin, lockModeOf, RECYCLED, startRelease } from "./lifecycle";
import { attrsOf, DdsAttrs, renderInstance } from "./render";
import { createShardingDBInstance } from "./sharding";

const PAGE_SIZES = [30, 50, 100];

const error = (code: string, message?: string) => errorFrom(DDS_ERRORS, code, message);

function instanceId(ctx: ActionContext, ...names: string[]): string {
  for (const name of names) {
    const id = ctx.params.string(name);
    if (id !== undefined) return id;
  }
  throw error("MissingDBInstanceId");
}

/** Looked up by id in every region: these calls carry no RegionId (alicloud-apis.md §4.2). */
function findInstance(ctx: ActionContext, id: string): Instance {
  const instance = ctx.store.get(id);
  // A recycle-bin entry is released: the calls on instances no longer find it (TF's delete waits for that).
  if (!instance || instance.product !== "dds" || inRecycleBin(instance)) throw error("InvalidDBInstanceId.NotFound");
  return instance;
}




const createDBInstance: ActionHandler = (ctx) => {
  const { params, clock } = ctx;
  const common = parseCommonCreate(ctx);
  const dbInstanceClass = params.required("DBInstanceClass");
  params.required("DBInstanceStorage");
  const storage = params.int("DBInstanceStorage", [10, Number.MAX_SAFE_INTEGER]) as number;
  const replicationFactor = params.oneOf("ReplicationFactor", ["3", "5", "7"] as const, "3") as string;
  const readonlyReplicas = params.int("ReadonlyReplicas", [0, 5]) ?? 0;

  return ctx.tokens.run("dds:CreateDBInstance", params.string("ClientToken"), params.raw, "ClientToken", () => {
    const now = clock.now();
    const id = newId("dds", common.regionId);
    const attrs: DdsAttrs = {
      ...common.attrs,
      DBInstanceType: "replicate",
      DBInstanceClass: dbInstanceClass,
      DBInstanceStorage: storage,
      ReplicationFactor: replicationFactor,
      ReadonlyReplicas: String(readonlyReplicas),
      LockMode: "Unlock",
      CreationTime: clock.iso(now, "second"),
      OrderId: String(Math.floor(2e14 + Math.random() * 7e14)),
    };
    addDdsInstance(ctx, id, common, attrs, now);
    return { DBInstanceId: id, OrderId: attrs.OrderId };
  });
};

const describeDBInstanceAttribute: ActionHandler = (ctx) => {
  const id = instanceId(ctx, "DBInstanceId");
  regionParam(ctx.params, false);
  ctx.params.oneOf("Engine", ["MongoDB"] as const);
  const instance = findInstance(ctx, id);
  return { DBInstances: { DBInstance: [renderInstance(instance, ctx.clock)] } };
};

function expiredFilter(value: string | undefined): ((i: Instance, now: number) => boolean) | undefined {
  if (value === undefined) return undefined;
  if (value !== "true" && value !== "false") throw invalid("Expired");
  const wanted = value === "true";
  return (i, now) => (i.expireTime !== undefined && i.expireTime <= now) === wanted;
}

const describeDBInstances: ActionHandler = (ctx) => {
  const { params, clock, store } = ctx;
  const regionId = regionParam(params) as string;
  const pageSize = params.int("PageSize") ?? 30;
  if (!PAGE_SIZES.includes(pageSize)) throw invalid("PageSize");
  const pageNumber = params.int("PageNumber", [1, Number.MAX_SAFE_INTEGER]) ?? 1;
  // Without DBInstanceType the API lists replica sets.
  const type = params.oneOf("DBInstanceType", ["replicate", "sharding"] as const, "replicate");
  const expired = expiredFilter(params.string("Expired"));
  const tagsMatch = tagFilter(params);
  const now = clock.now();
  const equals: [string, (i: Instance) => unknown][] = [
    ["DBInstanceId", (i) => i.id],
    ["DBInstanceStatus", (i) => i.status],
    ["ChargeType", (i) => i.chargeType],
    ["EngineVersion", (i) => attrsOf(i).EngineVersion],
    ["VpcId", (i) => attrsOf(i).VPCId],
    ["VSwitchId", (i) => attrsOf(i).VSwitchId],
    ["ZoneId", (i) => attrsOf(i).ZoneId],
  ];
  // The recycle bin is listed only when asked for (DBInstanceStatus=Released), as the console lists it apart.
  const recycled = params.string("DBInstanceStatus") === RECYCLED;
  const matching = store.all("dds").filter((i) =>
    i.regionId === regionId &&
    (attrsOf(i).DBInstanceType ?? "replicate") === type &&
    inRecycleBin(i) === recycled &&
    (!expired || expired(i, now)) &&
    tagsMatch(attrsOf(i).Tags ?? []) &&
    equals.every(([name, get]) => !params.has(name) || get(i) === params.string(name)));
  const page = matching.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    PageNumber: pageNumber,
    PageSize: pageSize,
    TotalCount: matching.length,
    DBInstances: { DBInstance: page.map((i) => ({ ...renderInstance(i, clock), KindCode: "1" })) },
  };
};

const modifyDBInstanceAttribute: ActionHandler = (ctx) => {
  const instance = findInstance(ctx, instanceId(ctx, "DBInstanceId"));
  const protection = ctx.params.has("DBInstanceReleaseProtection") ? ctx.params.bool("DBInstanceReleaseProtection") : undefined;
  const description = checkDescription(ctx.params);
  if (instance.status === "Deleting") throw error("OperationDenied.DBInstanceStatus");
  if (protection === true && instance.chargeType === "PrePaid") throw error("ChargeTypeViolation");
  const attrs = attrsOf(instance);
  if (protection !== undefined) attrs.DBInstanceReleaseProtection = protection;
  if (description !== undefined) attrs.DBInstanceDescription = description;
  return {};
};

const deleteDBInstance: ActionHandler = (ctx) => {
  const id = instanceId(ctx, "DBInstanceId");
  return ctx.tokens.run("dds:DeleteDBInstance", ctx.params.string("ClientToken"), ctx.params.raw, "ClientToken", () => {
    const instance = findInstance(ctx, id);
    throwIfBlocked(DDS_ERRORS, instance, ctx.clock.now());
    if (instance.chargeType === "PrePaid") throw error("ChargeTypeViolation");
    if (attrsOf(instance).DBInstanceReleaseProtection) throw error("InstanceReleaseProtection");
    if (instance.status !== "Running") throw error("OperationDenied.DBInstanceStatus");
    startRelease(ctx.store, ctx.clock, instance, "dds.deleting");
    return {};
  });
};

const destroyInstance: ActionHandler = (ctx) => {
  const id = instanceId(ctx, "InstanceId", "DBInstanceId");
  return ctx.tokens.run("dds:DestroyInstance", ctx.params.string("ClientToken"), ctx.params.raw, "ClientToken", () => {
    const instance = findInstance(ctx, id);
    throwIfBlocked(DDS_ERRORS, instance, ctx.clock.now());
    if (instance.chargeType !== "PrePaid") throw error("ChargeTypeViolation");
    if (lockModeOf(instance) !== "LockByExpiration") throw error("IncorrectDBInstanceLockMode");
    if (instance.status !== "Running") throw error("IncorrectDBInstanceState");
    startRelease(ctx.store, ctx.clock, instance, "dds.destroying");
    return {};
  });
};

const tagged = tagActions({
  product: "dds",
  resourceTypes: ["INSTANCE"],
  instanceType: "INSTANCE",
  listedType: "ALIYUN::DDS::INSTANCE",
  getTags: (i) => attrsOf(i).Tags ?? [],
  setTags: (i, tags) => {
    attrsOf(i).Tags = tags;
  },
});

/** ModifyDBInstanceDescription: the instance's description, or with NodeId a cluster node's. */
const modifyDBInstanceDescription: ActionHandler = (ctx) => {
  const instance = findInstance(ctx, instanceId(ctx, "DBInstanceId"));
  ctx.params.required("DBInstanceDescription");
  const description = checkDescription(ctx.params) as string;
  const nodeId = ctx.params.string("NodeId");
  if (instance.status === "Deleting") throw error("OperationDenied.DBInstanceStatus");
  const a = attrsOf(instance);
  if (nodeId === undefined) {
    a.DBInstanceDescription = description;
    return {};
  }
  const node = [...(a.Mongos ?? []), ...(a.Shards ?? []), ...(a.ConfigServers ?? [])].find((n) => n.NodeId === nodeId);
  if (!node) throw invalid("NodeId");
  node.NodeDescription = description;
  return {};
};

/** DescribeSecurityIps: the whitelist given at creation, in the default group. */
const describeSecurityIps: ActionHandler = (ctx) => {
  const a = attrsOf(findInstance(ctx, instanceId(ctx, "DBInstanceId")));
  return { SecurityIps: a.SecurityIPList, SecurityIpGroups: { SecurityIpGroup: [{ SecurityIpGroupName: "default", SecurityIpGroupAttribute: "", SecurityIpList: a.SecurityIPList }] } };
};

export const DDS_ACTIONS: Record<string, ActionHandler> = {
  ...tagged,
  CreateShardingDBInstance: createShardingDBInstance,
  ModifyDBInstanceDescription: modifyDBInstanceDescription,
  DescribeSecurityIps: describeSecurityIps,
  CreateDBInstance: createDBInstance,
  DescribeDBInstanceAttribute: describeDBInstanceAttribute,
  DescribeDBInstances: describeDBInstances,
  ModifyDBInstanceAttribute: modifyDBInstanceAttribute,
  DeleteDBInstance: deleteDBInstance,
  DestroyInstance: destroyInstance,
};
