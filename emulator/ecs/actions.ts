// The ECS actions (alicloud-apis.md §1). Single-instance calls other than the Describe/Run/batch ones carry no
// RegionId in the SDK model, so they find the instance by id in any region (§4.2).
import { ApiError, invalid, missing } from "../core/errors";
import { ActionContext, ActionHandler, newId, regionParam } from "../core/product";
import { Params } from "../core/params";
import { fromEcsTags, tagFilter, toEcsTags } from "../core/tags";
import { Instance } from "../core/store";
import { ecsError, ecsErrorWith, throwIfDryRun } from "./errors";
import {
  boot, Change, CHARGE_TYPES, EcsAttrs, ecsAttrs, hasLock, inArrears, isExpired, LOCK_REASONS, NOT_APPLICABLE, planRelease, planStop,
  ReleaseOptions, scheduleExpiry, start, STATUSES, STOPPED_MODES, StopOptions,
} from "./model";
import { ECS_INSTANCE_DATA_ACTIONS } from "./instance-data";
import { instanceAttributeChanges, parseLaunch } from "./launch-params";
import { renderInstance } from "./render";
import { SECURITY_GROUP_ACTIONS } from "./security-groups";
import { networkOf } from "../vpc/placement";
import { parseAutoReleaseTime, setAutoRelease } from "./auto-release";

const DP_POSTPAID_ONLY = "DeletionProtection is only supported for pay-as-you-go instances.";
const MONTH_PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60];
const WEEK_PERIODS = [1, 2, 3, 4];

// ---- shared helpers ---------------------------------------------------------------------------------

export function findAnywhere(ctx: ActionContext, id: string): Instance {
  const inst = ctx.store.get(id);
  if (!inst || inst.product !== "ecs") throw ecsError("InvalidInstanceId.NotFound");
  return inst;
}

function findInRegion(ctx: ActionContext, id: string, regionId: string): Instance {
  const inst = findAnywhere(ctx, id);
  if (inst.regionId !== regionId) throw ecsError("InvalidInstanceId.NotFound");
  return inst;
}

/** `InstanceId.N` of a batch call, de-duplicated; at least one. */
function instanceIdList(params: Params): string[] {
  const ids = [...new Set(params.repeatList("InstanceId", 100))];
  if (ids.length === 0) throw missing("InstanceId.N");
  return ids;
}

interface Planned {
  id: string;
  inst?: Instance;
  change?: Change;
  error?: ApiError;
}

/** Checks one instance of a batch, keeping its API error (and the instance, if found) instead of throwing. */
function plan(id: string, find: () => Instance, check: (inst: Instance) => Change): Planned {
  let inst: Instance | undefined;
  try {
    inst = find();
    return { id, inst, change: check(inst) };
  } catch (e) {
    if (e instanceof ApiError) return { id, inst, error: e };
    throw e;
  }
}

/** The whole batch fails with the first instance's error, or every change is made. */
function applyAllOrNothing(planned: Planned[]): void {
  const failed = planned.find((p) => p.error);
  if (failed?.error) throw failed.error;
  for (const p of planned) p.change?.();
}

function releaseOptions(params: Params): ReleaseOptions {
  return {
    force: params.bool("Force"),
    forceStop: params.bool("ForceStop", true),
    terminateSubscription: params.bool("TerminateSubscription"),
  };
}

function stopOptions(params: Params): StopOptions {
  return { force: params.bool("ForceStop"), stoppedMode: params.oneOf("StoppedMode", STOPPED_MODES) };
}

/** A subscription's length; returns its expiry as a function of its start. */
function subscriptionTerm(params: Params, o: { periodRequired: boolean; units: ("Month" | "Week")[] }): (from: number) => number {
  const period = params.int("Period") ?? (o.periodRequired ? undefined : 1);
  if (period === undefined) throw missing("Period");
  const unit = params.oneOf("PeriodUnit", o.units, "Month");
  if (!(unit === "Week" ? WEEK_PERIODS : MONTH_PERIODS).includes(period)) throw ecsError("InvalidPeriod");
  if (unit === "Week") return (from) => from + period * 7 * 86_400_000;
  return (from) => {
    const d = new Date(from);
    d.setUTCMonth(d.getUTCMonth() + period);
    return d.getTime();
  };
}

function orderId(): string {
  let s = String(1 + Math.floor(Math.random() * 9));
  while (s.length < 15) s += Math.floor(Math.random() * 10);
  return s;
}

/** PageNumber/PageSize paging; NextToken points after the page when more remain. */
function pageOf<T>(list: T[], params: Params, maxPageSize: number): { items: T[]; pageNumber: number; pageSize: number; next: number | undefined } {
  const pageNumber = params.int("PageNumber") ?? 1;
  if (pageNumber < 1) throw invalid("PageNumber");
  const pageSize = params.int("PageSize", [1, maxPageSize]) ?? 10;
  const offset = (pageNumber - 1) * pageSize;
  return { items: list.slice(offset, offset + pageSize), pageNumber, pageSize, next: offset + pageSize < list.length ? offset + pageSize : undefined };
}

const TOKEN_PREFIX = "ecs-describe-instances:";

const encodeNextToken = (offset: number | undefined): string => (offset === undefined ? "" : Buffer.from(TOKEN_PREFIX + offset).toString("hex"));

function decodeNextToken(token: string): number {
  const text = /^[0-9a-f]+$/.test(token) ? Buffer.from(token, "hex").toString("utf8") : "";
  const m = text.startsWith(TOKEN_PREFIX) ? /^\d+$/.exec(text.slice(TOKEN_PREFIX.length)) : null;
  if (!m) throw invalid("NextToken");
  return Number(m[0]);
}

/** `*` matches any run of characters; everything else is literal. */
function wildcard(pattern: string): RegExp {
  return new RegExp("^" + pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$");
}

// ---- actions ----------------------------------------------------------------------------------------

export const RunInstances: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionId = regionParam(p) as string;
  const amount = p.int("Amount", [1, 100]) ?? 1;
  const minAmount = p.int("MinAmount");
  if (minAmount !== undefined && (minAmount < 1 || minAmount > amount)) throw ecsError("InvalidMinAmount.Malformed");
  const chargeType = p.string("InstanceChargeType") ?? "PostPaid";
  if (!(CHARGE_TYPES as readonly string[]).includes(chargeType)) throw ecsError("InvalidInstanceChargeType.NotFound");
  const expiry = chargeType === "PrePaid" ? subscriptionTerm(p, { periodRequired: true, units: ["Month", "Week"] }) : undefined;
  const deletionProtection = p.bool("DeletionProtection");
  if (deletionProtection && chargeType === "PrePaid") throw ecsErrorWith("InvalidParameter", DP_POSTPAID_ONLY);
  const launch = parseLaunch(p, { regionId, amount, prePaid: chargeType === "PrePaid" });
  const { imageId, instanceType, vSwitchId, securityGroupIds } = launch;
  const net = networkOf(ctx, regionId, { vSwitchId, zoneId: p.string("ZoneId"), securityGroupIds, interfaces: launch.attrs(0, "i-check").NetworkInterfaces.slice(1) });
  const autoReleaseTime = parseAutoReleaseTime(p, ctx.clock.now());
  if (autoReleaseTime !== undefined && chargeType !== "PostPaid") throw ecsError("ChargeTypeViolation");

  return ctx.tokens.run("ecs:RunInstances", p.string("ClientToken"), p.raw, "ClientToken", () => {
    throwIfDryRun(p, "DryRunOperation");
    const now = ctx.clock.now();
    const ids: string[] = [];
    for (let n = 0; n < amount; n++) {
      const id = newId("i", regionId);
      const attrs: EcsAttrs = {
        InstanceName: launch.instanceName(n, id) ?? id,
        Description: p.string("Description") ?? "",
        ImageId: imageId,
        InstanceType: instanceType,
        ZoneId: net.zoneId as string,
        VSwitchId: vSwitchId,
        VpcId: net.vpcId as string,
        SecurityGroupIds: securityGroupIds,
        Tags: toEcsTags(launch.tags),
        DeletionProtection: deletionProtection,
        OperationLocks: [],
        StoppedMode: NOT_APPLICABLE,
        CreationTime: ctx.clock.iso(now),
        StartTime: "",
        releasing: false,
        disksReleasedWithInstance: false,
        ...launch.attrs(n, id),
      };
      const inst = ctx.store.add({ id, product: "ecs", regionId, status: "Pending", chargeType: chargeType as Instance["chargeType"], expireTime: expiry?.(now), attrs });
      boot(ctx, inst, now);
      scheduleExpiry(ctx, inst);
      setAutoRelease(ctx, inst, autoReleaseTime);
      ids.push(id);
    }
    return { InstanceIdSets: { InstanceIdSet: ids }, TradePrice: 0, ...(chargeType === "PrePaid" ? { OrderId: orderId() } : {}) };
  });
};

const DescribeInstances: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionId = regionParam(p) as string;
  const ids = p.jsonStringArray("InstanceIds", 100);
  const status = p.string("Status");
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) throw ecsError("InvalidStatus.NotFound");
  const chargeType = p.string("InstanceChargeType");
  if (chargeType !== undefined && !(CHARGE_TYPES as readonly string[]).includes(chargeType)) throw ecsError("InvalidInstanceChargeType.NotFound");
  const lockReason = p.string("LockReason");
  if (lockReason !== undefined && !(LOCK_REASONS as readonly string[]).includes(lockReason)) throw ecsError("InvalidLockReason.NotFound");
  const name = p.string("InstanceName");
  const namePattern = name === undefined ? undefined : wildcard(name);
  const tagsMatch = tagFilter(p);
  const exact: [string, (a: EcsAttrs) => string[]][] = [
    ["ZoneId", (a) => [a.ZoneId]],
    ["VpcId", (a) => [a.VpcId]],
    ["VSwitchId", (a) => [a.VSwitchId]],
    ["InstanceType", (a) => [a.InstanceType]],
    ["ImageId", (a) => [a.ImageId]],
    ["SecurityGroupId", (a) => a.SecurityGroupIds],
  ];
  const byToken = p.has("NextToken") || p.has("MaxResults");
  const maxResults = p.int("MaxResults");
  if (maxResults !== undefined && maxResults > 100) throw invalid("MaxResults");
  const tokenOffset = p.has("NextToken") ? decodeNextToken(p.required("NextToken")) : 0;
  throwIfDryRun(p, "DryRunOperation");

  const matches = ctx.store.all("ecs").filter((inst) => {
    const a = ecsAttrs(inst);
    if (inst.regionId !== regionId) return false;
    if (ids && !ids.includes(inst.id)) return false;
    if (status && inst.status !== status) return false;
    if (chargeType && inst.chargeType !== chargeType) return false;
    if (lockReason && !hasLock(inst, lockReason)) return false;
    if (namePattern && !namePattern.test(a.InstanceName)) return false;
    if (!tagsMatch(fromEcsTags(a.Tags))) return false;
    return exact.every(([param, values]) => !p.has(param) || values(a).includes(p.required(param)));
  });
  const render = (list: Instance[]) => ({ Instance: list.map((i) => renderInstance(i, ctx.clock)) });

  if (byToken) {
    // Values below 10 become 10 (§1.5).
    const size = Math.max(maxResults ?? 10, 10);
    const items = matches.slice(tokenOffset, tokenOffset + size);
    const next = tokenOffset + size < matches.length ? tokenOffset + size : undefined;
    return { TotalCount: matches.length, NextToken: encodeNextToken(next), Instances: render(items) };
  }
  const page = pageOf(matches, p, 100);
  return { TotalCount: matches.length, PageNumber: page.pageNumber, PageSize: page.pageSize, NextToken: encodeNextToken(page.next), Instances: render(page.items) };
};

const DescribeInstanceStatus: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionId = regionParam(p) as string;
  const ids = p.repeatList("InstanceId", 100);
  const zoneId = p.string("ZoneId");
  const matches = ctx.store
    .all("ecs")
    .filter((i) => i.regionId === regionId && (ids.length === 0 || ids.includes(i.id)) && (!zoneId || ecsAttrs(i).ZoneId === zoneId));
  const page = pageOf(matches, p, 50);
  return {
    TotalCount: matches.length,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    InstanceStatuses: { InstanceStatus: page.items.map((i) => ({ InstanceId: i.id, Status: i.status })) },
  };
};

const StartInstance: ActionHandler = (ctx) => {
  const p = ctx.params;
  const inst = findAnywhere(ctx, p.required("InstanceId"));
  p.bool("InitLocalDisk");
  throwIfDryRun(p, "DryRunOperation");
  const a = ecsAttrs(inst);
  if (a.releasing) throw ecsError("IncorrectInstanceStatus");
  if (hasLock(inst, "security")) throw ecsError("InstanceLockedForSecurity");
  if (inArrears(inst, ctx.clock.now())) throw ecsError("InstanceExpiredOrInArrears");
  if (inst.status !== "Stopped") throw ecsError("IncorrectInstanceStatus");
  start(ctx, inst);
  return {};
};

const StopInstance: ActionHandler = (ctx) => {
  const p = ctx.params;
  const options = stopOptions(p);
  // ConfirmStop is deprecated and only mattered for i1 local-disk instances, which the emulator has none of.
  p.bool("ConfirmStop");
  const inst = findAnywhere(ctx, p.required("InstanceId"));
  throwIfDryRun(p, "DryRunOperation");
  planStop(ctx, inst, options)();
  return {};
};

const StopInstances: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionId = regionParam(p) as string;
  const ids = instanceIdList(p);
  const options = stopOptions(p);
  const batch = p.oneOf("BatchOptimization", ["AllTogether", "SuccessFirst"] as const, "AllTogether");
  throwIfDryRun(p, "DRYRUN.SUCCESS");
  const planned = ids.map((id) =>
    plan(id, () => findInRegion(ctx, id, regionId), (inst) => planStop(ctx, inst, options)),
  );
  if (batch === "AllTogether") {
    const failed = planned.find((x) => x.error);
    if (failed?.error) throw failed.error;
  }
  const responses = planned.map(({ id, inst, change, error }) => {
    if (error || !inst || !change) {
      return { InstanceId: id, Code: error?.code, Message: error?.message, PreviousStatus: inst?.status ?? "", CurrentStatus: inst?.status ?? "" };
    }
    const previous = inst.status;
    change();
    return { InstanceId: id, Code: "200", Message: "success", PreviousStatus: previous, CurrentStatus: inst.status };
  });
  return { InstanceResponses: { InstanceResponse: responses } };
};

const DeleteInstance: ActionHandler = (ctx) => {
  const p = ctx.params;
  const options = releaseOptions(p);
  const id = p.required("InstanceId");
  // Checked before the lookup so that an id of the wrong shape is told apart from an unknown one.
  if (!id.startsWith("i-")) throw ecsError("InvalidParameter");
  const inst = findAnywhere(ctx, id);
  throwIfDryRun(p, "DryRunOperation");
  planRelease(ctx, inst, options)();
  return {};
};

const DeleteInstances: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionId = regionParam(p) as string;
  const ids = instanceIdList(p);
  const options = releaseOptions(p);
  return ctx.tokens.run("ecs:DeleteInstances", p.string("ClientToken"), p.raw, "ClientToken", () => {
    throwIfDryRun(p, "DRYRUN.SUCCESS");
    applyAllOrNothing(ids.map((id) => plan(id, () => findInRegion(ctx, id, regionId), (inst) => planRelease(ctx, inst, options))));
    return {};
  });
};

const ModifyInstanceAttribute: ActionHandler = (ctx) => {
  const p = ctx.params;
  const deletionProtection = p.has("DeletionProtection") ? p.bool("DeletionProtection") : undefined;
  const inst = findAnywhere(ctx, p.required("InstanceId"));
  const a = ecsAttrs(inst);
  const changes = instanceAttributeChanges(p, a.ImageId);
  // Turning protection off on a subscription is harmless (it cannot be on), so only turning it on is refused.
  if (deletionProtection && inst.chargeType === "PrePaid") throw ecsErrorWith("InvalidParameter", DP_POSTPAID_ONLY);
  if (deletionProtection !== undefined) a.DeletionProtection = deletionProtection;
  Object.assign(a, changes);
  return {};
};

/** ModifyInstanceChargeType's InstanceIds: a JSON array of at most 20 ids. */
function chargeTypeInstanceIds(params: Params): string[] {
  const raw = params.required("InstanceIds");
  let ids: unknown;
  try {
    ids = JSON.parse(raw);
  } catch {
    throw ecsError("InvalidParameter.InstanceIds");
  }
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((x) => typeof x !== "string")) throw ecsError("InvalidParameter.InstanceIds");
  if (ids.length > 20) throw ecsError("InstancesIdQuotaExceed");
  return [...new Set(ids as string[])];
}

const ModifyInstanceChargeType: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionId = regionParam(p) as string;
  const ids = chargeTypeInstanceIds(p);
  const target = p.string("InstanceChargeType") ?? "PrePaid";
  if (!(CHARGE_TYPES as readonly string[]).includes(target)) throw invalid("InstanceChargeType");
  const expiry = target === "PrePaid" ? subscriptionTerm(p, { periodRequired: false, units: ["Month"] }) : undefined;
  p.bool("AutoPay", true);
  p.bool("IncludeDataDisks");
  const detail = p.bool("IsDetailFee");

  return ctx.tokens.run("ecs:ModifyInstanceChargeType", p.string("ClientToken"), p.raw, "ClientToken", () => {
    throwIfDryRun(p, "DryRunOperation");
    const now = ctx.clock.now();
    applyAllOrNothing(
      ids.map((id) =>
        plan(
          id,
          () => findInRegion(ctx, id, regionId),
          (inst) => {
            if (inst.chargeType === target) throw ecsError("InvalidInstanceChargeType.ValueNotSupported");
            if (isExpired(inst, now)) throw ecsError("ExpiredInstance");
            if (ecsAttrs(inst).releasing || (inst.status !== "Running" && inst.status !== "Stopped")) throw ecsError("InvalidStatus.ValueNotSupported");
            return () => {
              inst.chargeType = target as Instance["chargeType"];
              inst.expireTime = expiry?.(now);
              scheduleExpiry(ctx, inst);
            };
          },
        ),
      ),
    );
    const fees = detail ? { FeeOfInstances: { FeeOfInstance: ids.map((id) => ({ InstanceId: id, Fee: "0", Currency: "CNY" })) } } : {};
    return { OrderId: orderId(), ...fees };
  });
};

/** Sets or (without AutoReleaseTime) cancels the service's own release of a pay-as-you-go instance. */
const ModifyInstanceAutoReleaseTime: ActionHandler = (ctx) => {
  const p = ctx.params;
  if (p.has("RegionId")) regionParam(p);
  const id = p.required("InstanceId");
  const at = parseAutoReleaseTime(p, ctx.clock.now());
  const inst = findAnywhere(ctx, id);
  if (p.has("RegionId") && inst.regionId !== p.required("RegionId")) throw ecsError("InvalidInstanceId.NotFound");
  if (inst.chargeType !== "PostPaid") throw ecsError("ChargeTypeViolation");
  if (ecsAttrs(inst).releasing) throw ecsError("IncorrectInstanceStatus");
  setAutoRelease(ctx, inst, at);
  return {};
};

export const ECS_ACTIONS: Record<string, ActionHandler> = {
  ...ECS_INSTANCE_DATA_ACTIONS,
  ModifyInstanceAutoReleaseTime,
  RunInstances,
  DescribeInstances,
  DescribeInstanceStatus,
  StartInstance,
  StopInstance,
  StopInstances,
  DeleteInstance,
  DeleteInstances,
  ModifyInstanceAttribute,
  ModifyInstanceChargeType,
  ...SECURITY_GROUP_ACTIONS,
};
