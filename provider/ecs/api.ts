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

// ---- DescribeInstances ----------------------------------------------------------------------------------

const describer = new Poller<EcsInstanceState>({
  maxIds: MAX_IDS_PER_CALL,
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
}

const stopper = new Coalescer<Work, PerInstanceResult>({
  maxBatch: MAX_IDS_PER_CALL,
  windowMs: WINDOW_MS,
  async run(key, items) {
    const [region, force] = key.split("|");
    const ids = [...new Set(items.map((w) => w.id))];
    // SuccessFirst: one instance that cannot stop must not hold back the others.
    const req = new EcsModels.StopInstancesRequest({ regionId: region, instanceId: ids, forceStop: force === "force", batchOptimization: "SuccessFirst" });
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
  },
});

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
      const single = new Map<string, PerInstanceResult>();
      await Promise.all(ids.map(async (id) => single.set(id, await deleteOne(region, id, flags, items.find((w) => w.id === id)!))));
      return items.map((w) => single.get(w.id)!);
    }
  },
});

async function deleteOne(region: string, id: string, flags: { force: boolean; terminateSubscription: boolean }, work: Work): Promise<PerInstanceResult> {
  const req = new EcsModels.DeleteInstanceRequest({ instanceId: id, ...flags });
  try {
    const res = await withRetry((rt) => callApi("ecs", region, "DeleteInstance", req, new EcsModels.DeleteInstanceResponse({}), rt), {
      deadline: work.deadline,
      catalog: ECS_CATALOG,
      context: { resource: work.resource, ids: [id], action: "DeleteInstance" },
    });
    return { ok: true, requestId: res.body?.requestId };
  } catch (e) {
    return asResult(e);
  }
}

function asResult(e: unknown): PerInstanceResult {
  if (e instanceof GoneFailure) return { ok: true, code: e.failure.code };
  if (e instanceof ReleaseError) return { ok: false, code: e.code, message: e.message, requestId: e.requestId };
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

