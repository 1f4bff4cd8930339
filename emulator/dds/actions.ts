// The DDS (2015-12-01) actions the emulator serves: the replica-set lifecycle of alicloud-apis.md §2.
import { invalid } from "../core/errors";
import { ActionContext, ActionHandler, errorFrom, newId, regionParam, throwIfBlocked } from "../core/product";
import { Instance } from "../core/store";
import { parseTags, tagActions, tagFilter } from "../core/tags";
import { DDS_ERRORS } from "./errors";
import { inRecycleBin, lockModeOf, RECYCLED, scheduleCreated, scheduleExpiryLock, startRelease } from "./lifecycle";
import { attrsOf, DdsAttrs, renderInstance } from "./render";
import { networkOf } from "../vpc/placement";

const ENGINE_VERSIONS = ["8.0", "7.0", "6.0", "5.0", "4.4", "4.2", "4.0"] as const;
const STORAGE_TYPES = ["cloud_essd1", "cloud_essd2", "cloud_essd3", "cloud_auto", "local_ssd"] as const;
const PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 60];
const PAGE_SIZES = [30, 50, 100];
// Console rule for the root password: 8-32 characters, at least three of the four classes.
const PASSWORD_SPECIALS = /[!@#$%^&*()_+\-=]/;

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


function checkPassword(password: string | undefined): void {
  if (password === undefined) return;
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, PASSWORD_SPECIALS].filter((re) => re.test(password)).length;
  const allowed = /^[A-Za-z0-9!@#$%^&*()_+\-=]+$/.test(password);
  if (password.length < 8 || password.length > 32 || classes < 3 || !allowed) throw invalid("AccountPassword");
}

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

const createDBInstance: ActionHandler = (ctx) => {
  const { params, clock, store } = ctx;
  const regionId = regionParam(params) as string;
  const dbInstanceClass = params.required("DBInstanceClass");
  params.required("DBInstanceStorage");
  const storage = params.int("DBInstanceStorage", [10, Number.MAX_SAFE_INTEGER]) as number;
  params.required("EngineVersion");
  const engineVersion = params.oneOf("EngineVersion", ENGINE_VERSIONS) as string;
  const chargeType = params.oneOf("ChargeType", ["PostPaid", "PrePaid"] as const, "PostPaid") as "PostPaid" | "PrePaid";
  let period: number | undefined;
  if (chargeType === "PrePaid") {
    params.required("Period");
    period = params.int("Period") as number;
    if (!PERIODS.includes(period)) throw invalid("Period");
  }
  const replicationFactor = params.oneOf("ReplicationFactor", ["3", "5", "7"] as const, "3") as string;
  const storageType = params.oneOf("StorageType", STORAGE_TYPES, "cloud_essd1") as string;
  const networkType = params.oneOf("NetworkType", ["VPC", "Classic"] as const, "VPC") as string;
  const releaseProtection = params.bool("DBInstanceReleaseProtection");
  // Release protection only applies to pay-as-you-go instances (ModifyDBInstanceAttribute doc).
  if (releaseProtection && chargeType === "PrePaid") throw error("ChargeTypeViolation");
  checkPassword(params.string("AccountPassword"));
  const net = networkOf(ctx, regionId, { vSwitchId: params.string("VSwitchId"), zoneId: params.string("ZoneId"), vpcId: params.string("VpcId") });
  const tags = parseTags(params);

  return ctx.tokens.run("dds:CreateDBInstance", params.string("ClientToken"), params.raw, "ClientToken", () => {
    const now = clock.now();
    const id = newId("dds", regionId);
    const attrs: DdsAttrs = {
      DBInstanceDescription: params.string("DBInstanceDescription") ?? "",
      DBInstanceClass: dbInstanceClass,
      DBInstanceStorage: storage,
      EngineVersion: engineVersion,
      StorageType: storageType,
      ZoneId: net.zoneId ?? `${regionId}-h`,
      NetworkType: networkType,
      ReplicationFactor: replicationFactor,
      LockMode: "Unlock",
      DBInstanceReleaseProtection: releaseProtection,
      CreationTime: clock.iso(now, "second"),
      OrderId: String(Math.floor(2e14 + Math.random() * 7e14)),
      Tags: tags,
    };
    const { vpcId, vSwitchId } = net;
    if (vpcId !== undefined) attrs.VPCId = vpcId;
    if (vSwitchId !== undefined) attrs.VSwitchId = vSwitchId;
    const instance = store.add({
      id,
      product: "dds",
      regionId,
      status: "Creating",
      chargeType,
      expireTime: period === undefined ? undefined : addMonths(now, period),
      attrs: attrs as unknown as Record<string, unknown>,
    });
    scheduleCreated(store, clock, instance);
    scheduleExpiryLock(store, clock, instance);
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
  // Only replica sets are emulated, so asking for sharded clusters lists nothing.
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
  const matching = type === "sharding" ? [] : store.all("dds").filter((i) =>
    i.regionId === regionId &&
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
  const description = ctx.params.string("DBInstanceDescription");
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

export const DDS_ACTIONS: Record<string, ActionHandler> = {
  ...tagged,
  CreateDBInstance: createDBInstance,
  DescribeDBInstanceAttribute: describeDBInstanceAttribute,
  DescribeDBInstances: describeDBInstances,
  ModifyDBInstanceAttribute: modifyDBInstanceAttribute,
  DeleteDBInstance: deleteDBInstance,
  DestroyInstance: destroyInstance,
};
