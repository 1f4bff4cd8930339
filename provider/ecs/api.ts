// ECS calls used by the release lifecycle: batched where the API takes many ids (DescribeInstances,
// StopInstances, DeleteInstances: up to 100 per call) and coalesced across concurrent deletes in one
// provider process, each call under the retry policy and the caller's deadline.
import type * as Ecs from "@alicloud/ecs20140526";
import { randomUUID } from "node:crypto";
import { callApi, sdkModels } from "../core/clients";
import { Coalescer } from "../core/coalescer";
import { Poller } from "../core/poller";
import { asApiFailure, FailureContext, ReleaseError } from "../core/failure";
import { GoneFailure, withRetry } from "../core/retry";
import { Deadline } from "../core/timing";
import { buildModel, ModelClass, modelFailures } from "../core/model-input";
import type { CheckFailure } from "../core/options";
import { scrubError } from "../core/secrets";
import { ECS_CATALOG } from "./errors";

export const MAX_IDS_PER_CALL = 100;
const WINDOW_MS = 50;

/** The ECS SDK's request and response models, each loaded on first use (not the SDK's client). */
export const EcsModels = sdkModels<typeof Ecs>("@alicloud/ecs20140526");

/** What the lifecycle needs to know about an instance, from DescribeInstances. */
export interface EcsInstanceState {
  instanceId: string;
  regionId: string;
  status: string;
  chargeType: string;
  expiredTime?: string;
  deletionProtection: boolean;
  lockReasons: string[];
  /** What DescribeInstances reports, under the input names (for outputs and refresh); tags include ownership tags. */
  view?: Record<string, unknown>;
}

export function stateFrom(i: Ecs.DescribeInstancesResponseBodyInstancesInstance): EcsInstanceState {
  return {
    instanceId: i.instanceId ?? "",
    regionId: i.regionId ?? "",
    status: i.status ?? "Unknown",
    chargeType: i.instanceChargeType ?? "PostPaid",
    expiredTime: i.expiredTime,
    deletionProtection: i.deletionProtection === true,
    lockReasons: (i.operationLocks?.lockReason ?? []).map((l) => l.lockReason ?? "").filter(Boolean),
    view: viewFrom(i),
  };
}

const nonEmpty = (v: string | undefined): string | undefined => (v ? v : undefined);

function viewFrom(i: Ecs.DescribeInstancesResponseBodyInstancesInstance): Record<string, unknown> {
  return {
    instanceName: nonEmpty(i.instanceName),
    instanceType: nonEmpty(i.instanceType),
    imageId: nonEmpty(i.imageId),
    zoneId: nonEmpty(i.zoneId),
    vSwitchId: nonEmpty(i.vpcAttributes?.vSwitchId),
    securityGroupIds: i.securityGroupIds?.securityGroupId,
    hostName: nonEmpty(i.hostName),
    description: nonEmpty(i.description),
    keyPairName: nonEmpty(i.keyPairName),
    internetChargeType: nonEmpty(i.internetChargeType),
    internetMaxBandwidthOut: i.internetMaxBandwidthOut,
    spotStrategy: nonEmpty(i.spotStrategy),
    resourceGroupId: nonEmpty(i.resourceGroupId),
    deploymentSetId: nonEmpty(i.deploymentSetId),
    tags: Object.fromEntries((i.tags?.tag ?? []).filter((t) => t.tagKey).map((t) => [t.tagKey!, t.tagValue ?? ""])),
  };
}

interface Work {
  id: string;
  deadline: Deadline;
  resource: string;
}

/** The longest remaining deadline among the batch's callers: a batch serves them all. */
function batchDeadline(items: Work[]): Deadline {
  return new Deadline(Math.max(...items.map((w) => w.deadline.remainingMs())));
}

function context(items: Work[], action: string): FailureContext {
  return { resource: items[0].resource, ids: items.map((w) => w.id), action };
}

/** A batch call made again for each of its ids alone, in parallel: each caller of that id gets its answer. */
async function eachAlone<R>(items: Work[], one: (id: string, mine: Work[]) => Promise<R>): Promise<R[]> {
  const ids = [...new Set(items.map((w) => w.id))];
  const single = new Map(await Promise.all(ids.map(async (id) => [id, await one(id, items.filter((w) => w.id === id))] as const)));
  return items.map((w) => single.get(w.id)!);
}

// ---- DescribeInstances ----------------------------------------------------------------------------------

const describer = new Poller<EcsInstanceState>({
  maxIds: MAX_IDS_PER_CALL,
  // A wave's calls go out together (batched), so its polls come within milliseconds of each other.
  quietMs: 150,
  async list(region, ids, deadline, resource) {
    const req = new EcsModels.DescribeInstancesRequest({ regionId: region, instanceIds: JSON.stringify(ids), pageSize: MAX_IDS_PER_CALL });
    const res = await withRetry((rt) => callApi("ecs", region, "DescribeInstances", req, new EcsModels.DescribeInstancesResponse({}), rt), {
      deadline,
      catalog: ECS_CATALOG,
      context: { resource, ids, action: "DescribeInstances" },
    });
    const found = new Map<string, EcsInstanceState>();
    for (const i of res.body?.instances?.instance ?? []) if (i.instanceId) found.set(i.instanceId, stateFrom(i));
    return found;
  },
});

/** Current state of each id; null when DescribeInstances no longer lists it (released). */
export function describe(region: string, ids: string[], deadline: Deadline, resource: string): Promise<Map<string, EcsInstanceState | null>> {
  return describer.describe(region, ids, deadline, resource);
}

// ---- StopInstances ------------------------------------------------------------------------------------

export interface PerInstanceResult {
  ok: boolean;
  code?: string;
  message?: string;
  requestId?: string;
  /** The error as thrown, when the call failed as a whole (it keeps a RAM denial's action). */
  error?: ReleaseError;
}

const stopper = new Coalescer<Work, PerInstanceResult>({
  maxBatch: MAX_IDS_PER_CALL,
  windowMs: WINDOW_MS,
  async run(key, items) {
    const [region, force] = key.split("|");
    const ids = [...new Set(items.map((w) => w.id))];
    const results = await stopCall(region, ids, force === "force", items);
    if (ids.length === 1 || !results.some((r) => r.error)) return results;
    // A policy may name instances: each is stopped alone, so that one denied instance does not hold back the others.
    return eachAlone(items, async (id, mine) => (await stopCall(region, [id], force === "force", mine))[0]);
  },
});

async function stopCall(region: string, ids: string[], force: boolean, items: Work[]): Promise<PerInstanceResult[]> {
  // SuccessFirst: one instance that cannot stop must not hold back the others.
  const req = new EcsModels.StopInstancesRequest({ regionId: region, instanceId: ids, forceStop: force, batchOptimization: "SuccessFirst" });
  try {
    const res = await withRetry((rt) => callApi("ecs", region, "StopInstances", req, new EcsModels.StopInstancesResponse({}), rt), {
      deadline: batchDeadline(items),
      catalog: ECS_CATALOG,
      context: context(items, "StopInstances"),
    });
    const byId = new Map((res.body?.instanceResponses?.instanceResponse ?? []).map((r) => [r.instanceId ?? "", r]));
    return items.map((w) => {
      const r = byId.get(w.id);
      if (!r) return { ok: true, requestId: res.body?.requestId };
      const ok = r.code === "200" || r.code === undefined;
      return { ok, code: ok ? undefined : r.code, message: r.message, requestId: res.body?.requestId };
    });
  } catch (e) {
    // A RAM denial is an answer for each instance (the release tells what the other instances' stops changed).
    if (e instanceof ReleaseError && e.deniedAction) return items.map(() => asResult(e));
    throw e;
  }
}

export function stop(region: string, ids: string[], forceStop: boolean, deadline: Deadline, resource: string): Promise<PerInstanceResult>[] {
  return stopper.submitAll(`${region}|${forceStop ? "force" : "graceful"}`, ids.map((id) => ({ id, deadline, resource })));
}

// ---- DeleteInstances -----------------------------------------------------------------------------------

const deleter = new Coalescer<Work, PerInstanceResult>({
  maxBatch: MAX_IDS_PER_CALL,
  windowMs: WINDOW_MS,
  async run(key, items) {
    const [region, force, terminate] = key.split("|");
    const ids = [...new Set(items.map((w) => w.id))];
    const flags = { force: force === "force", terminateSubscription: terminate === "terminate" };
    // One token per logical call, reused by its retries: a retried call whose first reply was lost is a no-op.
    const clientToken = randomUUID();
    const req = new EcsModels.DeleteInstancesRequest({ regionId: region, instanceId: ids, ...flags, clientToken });
    try {
      const res = await withRetry((rt) => callApi("ecs", region, "DeleteInstances", req, new EcsModels.DeleteInstancesResponse({}), rt), {
        deadline: batchDeadline(items),
        catalog: ECS_CATALOG,
        context: context(items, "DeleteInstances"),
      });
      return items.map(() => ({ ok: true, requestId: res.body?.requestId }));
    } catch (e) {
      // DeleteInstances is all-or-nothing: one instance that cannot go blocks the batch. Release the rest one
      // by one so each gets its own answer.
      if (ids.length === 1 && !(e instanceof GoneFailure)) return [asResult(e)];
      return eachAlone(items, (id, mine) => deleteOne(region, id, flags, mine[0]));
    }
  },
});

/** DeleteInstances with this one id (not DeleteInstance: one RAM action, ecs:DeleteInstances, covers both paths). */
async function deleteOne(region: string, id: string, flags: { force: boolean; terminateSubscription: boolean }, work: Work): Promise<PerInstanceResult> {
  const req = new EcsModels.DeleteInstancesRequest({ regionId: region, instanceId: [id], ...flags, clientToken: randomUUID() });
  try {
    const res = await withRetry((rt) => callApi("ecs", region, "DeleteInstances", req, new EcsModels.DeleteInstancesResponse({}), rt), {
      deadline: work.deadline,
      catalog: ECS_CATALOG,
      context: { resource: work.resource, ids: [id], action: "DeleteInstances" },
    });
    return { ok: true, requestId: res.body?.requestId };
  } catch (e) {
    return asResult(e);
  }
}

function asResult(e: unknown): PerInstanceResult {
  if (e instanceof GoneFailure) return { ok: true, code: e.failure.code };
  if (e instanceof ReleaseError) return { ok: false, code: e.code, message: e.message, requestId: e.requestId, error: e };
  const f = asApiFailure(e);
  return { ok: false, code: f.code, message: f.serviceMessage, requestId: f.requestId };
}

export function release(region: string, ids: string[], flags: { force: boolean; terminateSubscription: boolean }, deadline: Deadline, resource: string): Promise<PerInstanceResult>[] {
  const key = `${region}|${flags.force ? "force" : "stopped"}|${flags.terminateSubscription ? "terminate" : "keep"}`;
  return deleter.submitAll(key, ids.map((id) => ({ id, deadline, resource })));
}

// ---- single-instance changes made before a release --------------------------------------------------------

export async function disableDeletionProtection(region: string, id: string, deadline: Deadline, resource: string): Promise<void> {
  const req = new EcsModels.ModifyInstanceAttributeRequest({ instanceId: id, deletionProtection: false });
  await withRetry((rt) => callApi("ecs", region, "ModifyInstanceAttribute", req, new EcsModels.ModifyInstanceAttributeResponse({}), rt), {
    deadline,
    catalog: ECS_CATALOG,
    context: { resource, ids: [id], action: "ModifyInstanceAttribute" },
  });
}

/** PrePaid → PostPaid, at most 20 ids per call as the API allows. */
export async function convertToPayAsYouGo(region: string, ids: string[], deadline: Deadline, resource: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 20) {
    const chunk = ids.slice(i, i + 20);
    const req = new EcsModels.ModifyInstanceChargeTypeRequest({ regionId: region, instanceIds: JSON.stringify(chunk), instanceChargeType: "PostPaid", autoPay: true, clientToken: randomUUID() });
    await withRetry((rt) => callApi("ecs", region, "ModifyInstanceChargeType", req, new EcsModels.ModifyInstanceChargeTypeResponse({}), rt), {
      deadline,
      catalog: ECS_CATALOG,
      context: { resource, ids: chunk, action: "ModifyInstanceChargeType" },
    });
  }
}


// ---- create and in-place changes ----------------------------------------------------------------------------

/** RunInstances parameters the provider owns: the region is resolved as for every call, the rest are its own. */
export const RUN_INSTANCES_OWNED = ["regionId", "amount", "minAmount", "clientToken", "dryRun", "tag", "ownerId", "ownerAccount", "resourceOwnerId", "resourceOwnerAccount"];

/** Every other RunInstances parameter, as the SDK model names it: an SDK upgrade brings new ones along. */
export function runInstancesKeys(): string[] {
  return Object.keys(EcsModels.RunInstancesRequest.names()).filter((k) => !RUN_INSTANCES_OWNED.includes(k));
}

/** Unknown nested keys and wrong kinds, checked against the SDK's own field table. */
export function runInstancesFailures(params: Record<string, unknown>): CheckFailure[] {
  return modelFailures(EcsModels.RunInstancesRequest as unknown as ModelClass, params, "");
}

export interface LaunchRequest {
  /** RunInstances parameters under the model's camelCase names (numbers/booleans accepted where it says string). */
  params: Record<string, unknown>;
  tags: Record<string, string>;
  amount: number;
  /** One token per call, reused by its retries: a retry after a lost reply returns the same ids. */
  clientToken: string;
  /** Values to scrub from any error (the instance password). */
  secrets: string[];
}

export async function runInstances(region: string, launch: LaunchRequest, deadline: Deadline, resource: string): Promise<string[]> {
  const tag = Object.entries(launch.tags).map(([key, value]) => ({ key, value }));
  const req = buildModel(EcsModels.RunInstancesRequest as unknown as ModelClass<Ecs.RunInstancesRequest>, {
    ...launch.params,
    regionId: region,
    amount: launch.amount,
    tag: tag.length ? tag : undefined,
    clientToken: launch.clientToken,
  });
  const res = await withRetry(
    async (rt) => {
      try {
        return await callApi("ecs", region, "RunInstances", req, new EcsModels.RunInstancesResponse({}), rt);
      } catch (e) {
        throw scrubError(e, launch.secrets);
      }
    },
    { deadline, catalog: ECS_CATALOG, context: { resource, ids: ["(new)"], action: "RunInstances" } },
  );
  return res.body?.instanceIdSets?.instanceIdSet ?? [];
}

export interface AttributeChange {
  instanceName?: string;
  hostName?: string;
  description?: string;
  deletionProtection?: boolean;
}

export async function modifyAttributes(region: string, id: string, change: AttributeChange, deadline: Deadline, resource: string): Promise<void> {
  const req = new EcsModels.ModifyInstanceAttributeRequest({ instanceId: id, ...change });
  await withRetry((rt) => callApi("ecs", region, "ModifyInstanceAttribute", req, new EcsModels.ModifyInstanceAttributeResponse({}), rt), {
    deadline, catalog: ECS_CATALOG, context: { resource, ids: [id], action: "ModifyInstanceAttribute" },
  });
}

/** The cloud releases the instance itself at `at` (ISO, UTC); undefined cancels the auto-release. */
export async function modifyAutoReleaseTime(region: string, id: string, at: string | undefined, deadline: Deadline, resource: string): Promise<void> {
  const req = new EcsModels.ModifyInstanceAutoReleaseTimeRequest({ regionId: region, instanceId: id, autoReleaseTime: at });
  await withRetry((rt) => callApi("ecs", region, "ModifyInstanceAutoReleaseTime", req, new EcsModels.ModifyInstanceAutoReleaseTimeResponse({}), rt), {
    deadline, catalog: ECS_CATALOG, context: { resource, ids: [id], action: "ModifyInstanceAutoReleaseTime" },
  });
}

/** TagResources / UntagResources take up to 50 instances per call. */
const TAG_BATCH = 50;

export async function tagInstances(region: string, ids: string[], tags: Record<string, string>, deadline: Deadline, resource: string): Promise<void> {
  const tag = Object.entries(tags).map(([key, value]) => ({ key, value }));
  if (tag.length === 0) return;
  for (let i = 0; i < ids.length; i += TAG_BATCH) {
    const chunk = ids.slice(i, i + TAG_BATCH);
    const req = new EcsModels.TagResourcesRequest({ regionId: region, resourceType: "instance", resourceId: chunk, tag });
    await withRetry((rt) => callApi("ecs", region, "TagResources", req, new EcsModels.TagResourcesResponse({}), rt), { deadline, catalog: ECS_CATALOG, context: { resource, ids: chunk, action: "TagResources" } });
  }
}

export async function untagInstances(region: string, ids: string[], keys: string[], deadline: Deadline, resource: string): Promise<void> {
  if (keys.length === 0) return;
  for (let i = 0; i < ids.length; i += TAG_BATCH) {
    const chunk = ids.slice(i, i + TAG_BATCH);
    const req = new EcsModels.UntagResourcesRequest({ regionId: region, resourceType: "instance", resourceId: chunk, tagKey: keys });
    await withRetry((rt) => callApi("ecs", region, "UntagResources", req, new EcsModels.UntagResourcesResponse({}), rt), { deadline, catalog: ECS_CATALOG, context: { resource, ids: chunk, action: "UntagResources" } });
  }
}

// ---- permission checks (DryRun) -------------------------------------------------------------------------

/** The calls of a release whose permission is checked with DryRun=true before anything is changed. */
export type CheckedAction = "StopInstances" | "DeleteInstances";

/** Wrapped: a Coalescer rejects the callers of a result that is an Error. */
export interface PermissionCheck {
  denial: ReleaseError | null;
}

const checker = new Coalescer<Work, PermissionCheck>({
  maxBatch: MAX_IDS_PER_CALL,
  windowMs: WINDOW_MS,
  async run(key, items) {
    const [region, action] = key.split("|") as [string, CheckedAction];
    const ids = [...new Set(items.map((w) => w.id))];
    const denial = await dryRun(region, action, ids, items);
    if (!denial || ids.length === 1) return items.map(() => ({ denial }));
    // A policy may name instances: each is checked alone, so that one denied id does not hold back the others.
    return eachAlone(items, async (id, mine) => ({ denial: await dryRun(region, action, [id], mine) }));
  },
});

/**
 * The documented permission check: a DryRun answers DryRunOperation (DRYRUN.SUCCESS for the batch calls) when the
 * call would be allowed, Forbidden.RAM when not. Only a denial counts here; any other answer (a status the real
 * call will meet) is left to the release procedure, which knows how to handle it.
 */
async function dryRun(region: string, action: CheckedAction, ids: string[], items: Work[]): Promise<ReleaseError | null> {
  const [req, res] =
    action === "StopInstances"
      ? [new EcsModels.StopInstancesRequest({ regionId: region, instanceId: ids, dryRun: true }), new EcsModels.StopInstancesResponse({})]
      : [new EcsModels.DeleteInstancesRequest({ regionId: region, instanceId: ids, dryRun: true }), new EcsModels.DeleteInstancesResponse({})];
  try {
    await withRetry((rt) => callApi("ecs", region, action, req, res, rt), { deadline: batchDeadline(items), catalog: ECS_CATALOG, context: context(items, action) });
    return null;
  } catch (e) {
    if (e instanceof ReleaseError && e.deniedAction) return e;
    if (e instanceof ReleaseError || e instanceof GoneFailure) return null;
    throw e;
  }
}

/** Per id: the denial of `action`, or null when it is allowed. */
export function checkPermission(region: string, action: CheckedAction, ids: string[], deadline: Deadline, resource: string): Promise<PermissionCheck>[] {
  return checker.submitAll(`${region}|${action}`, ids.map((id) => ({ id, deadline, resource })));
}
