// R-KVStore calls used by create and the release lifecycle, each under the retry policy and the caller's
// deadline. Every call concerns one instance: DeleteInstance and DestroyInstance take a single id.
import type * as Kv from "@alicloud/r-kvstore20150101";
import { callApi, sdkModels } from "../core/clients";
import { Poller } from "../core/poller";
import { ApiFailure, asApiFailure, ReleaseError } from "../core/failure";
import { GoneFailure, withRetry } from "../core/retry";
import { Deadline } from "../core/timing";
import { KV_CATALOG } from "./errors";
import { scrubError } from "./secrets";
import { buildModel, ModelClass, modelFailures } from "../core/model-input";
import type { CheckFailure } from "../core/options";

/** What the lifecycle needs to know about an instance, from DescribeInstanceAttribute or a DescribeInstances item. */
export interface KvState {
  instanceId: string;
  regionId?: string;
  /** InstanceStatus: Normal, Creating, …, Inactive, Released (in the recycle bin). */
  status: string;
  chargeType: string;
  /** Subscription expiry. */
  endTime?: string;
  /** Undefined when not known: only DescribeInstanceAttribute returns it, DescribeInstances does not. */
  releaseProtection?: boolean;
  /** The distributed (Global Distributed Cache) instance it belongs to, if any. */
  globalInstanceId?: string;
  connectionDomain?: string;
  port?: number;
  /** What DescribeInstanceAttribute reports, under the input names (refresh shows it as drift); tags include ownership tags. */
  view?: Record<string, unknown>;
  /** When it entered the recycle bin (DescribeInstances only). */
  destroyTime?: string;
}

export const RELEASED = "Released";

/** The R-KVStore SDK's request and response models, each loaded on first use (not the SDK's client). */
export const KvModels = sdkModels<typeof Kv>("@alicloud/r-kvstore20150101");

/** The fields DescribeInstanceAttribute and DescribeInstances items share. */
type KvItem = Pick<Kv.DescribeInstanceAttributeResponseBodyInstancesDBInstanceAttribute, "instanceId" | "regionId" | "instanceStatus" | "chargeType" | "endTime" | "globalInstanceId" | "connectionDomain" | "port">;

export function stateFrom(a: KvItem & { instanceReleaseProtection?: boolean; destroyTime?: string }): KvState {
  return {
    instanceId: a.instanceId ?? "",
    regionId: a.regionId || undefined,
    status: a.instanceStatus ?? "Unknown",
    chargeType: a.chargeType ?? "PostPaid",
    endTime: a.endTime || undefined,
    releaseProtection: a.instanceReleaseProtection,
    globalInstanceId: a.globalInstanceId || undefined,
    connectionDomain: a.connectionDomain || undefined,
    port: a.port,
    destroyTime: a.destroyTime || undefined,
  };
}

/** What DescribeInstanceAttribute reports, under the input names (refresh shows it as drift). */
function viewFrom(a: Kv.DescribeInstanceAttributeResponseBodyInstancesDBInstanceAttribute): Record<string, unknown> {
  return {
    instanceName: a.instanceName || undefined,
    instanceClass: a.instanceClass || undefined,
    instanceType: a.instanceType || undefined,
    engineVersion: a.engineVersion || undefined,
    zoneId: a.zoneId || undefined,
    vpcId: a.vpcId || undefined,
    vSwitchId: a.vSwitchId || undefined,
    resourceGroupId: a.resourceGroupId || undefined,
    shardCount: a.shardCount,
    storage: a.storage ? Number(a.storage) || undefined : undefined,
    storageType: a.storageType || undefined,
    tags: Object.fromEntries((a.tags?.tag ?? []).filter((t) => t.key).map((t) => [t.key!, t.value ?? ""] as const)),
  };
}

const ctx = (resource: string, id: string, action: string) => ({ resource, ids: [id], action });

/** Current state; null when the instance does not exist (InvalidInstanceId.NotFound, or an empty answer). */
export async function describe(region: string, id: string, deadline: Deadline, resource: string): Promise<KvState | null> {
  const req = new KvModels.DescribeInstanceAttributeRequest({ instanceId: id });
  try {
    const res = await withRetry((rt) => callApi("kv", region, "DescribeInstanceAttribute", req, new KvModels.DescribeInstanceAttributeResponse({}), rt), {
      deadline, catalog: KV_CATALOG, context: ctx(resource, id, "DescribeInstanceAttribute"),
    });
    const found = (res.body?.instances?.DBInstanceAttribute ?? []).find((a) => a.instanceId === id);
    return found ? { ...stateFrom(found), view: viewFrom(found) } : null;
  } catch (e) {
    if (e instanceof GoneFailure) return null;
    throw e;
  }
}

// ---- polling many instances at once -----------------------------------------------------------------------

/** DescribeInstances takes up to 30 ids (InstanceIds, comma-separated). */
export const MAX_IDS_PER_LIST = 30;


async function list(region: string, ids: string[], status: string | undefined, deadline: Deadline, resource: string): Promise<Kv.DescribeInstancesResponseBodyInstancesKVStoreInstance[]> {
  const req = new KvModels.DescribeInstancesRequest({ regionId: region, instanceIds: ids.join(","), instanceStatus: status, pageSize: 50 });
  const res = await withRetry((rt) => callApi("kv", region, "DescribeInstances", req, new KvModels.DescribeInstancesResponse({}), rt), {
    deadline, catalog: KV_CATALOG, context: { resource, ids, action: "DescribeInstances" },
  });
  return (res.body?.instances?.KVStoreInstance ?? []).filter((i) => i.instanceId && ids.includes(i.instanceId));
}

/**
 * The list shows the recycle bin only when asked for by status: the live instances first, then the bin for the ids
 * not live. An id in neither is gone. In this order an instance moving on (live → bin → gone) between the two calls
 * is still seen where it went; asked the other way round, one entering the bin in between would be in neither.
 */
const lister = new Poller<KvState>({
  maxIds: MAX_IDS_PER_LIST,
  async list(region, ids, deadline, resource) {
    const found = new Map<string, KvState>();
    for (const i of await list(region, ids, undefined, deadline, resource)) found.set(i.instanceId!, stateFrom(i));
    const rest = ids.filter((id) => !found.has(id));
    if (rest.length > 0) for (const i of await list(region, rest, RELEASED, deadline, resource)) found.set(i.instanceId!, stateFrom(i));
    return found;
  },
});

/** For waits: the state of each id, through the list call shared by every delete in flight; null once gone. */
export async function poll(region: string, id: string, deadline: Deadline, resource: string): Promise<KvState | null> {
  return (await lister.describe(region, [id], deadline, resource)).get(id) ?? null;
}

/** The state a release starts from, and, when it is gone, what said so (for the progress line). */
export interface ReleaseStart {
  state: KvState | null;
  goneBy: string;
}

/**
 * The state a release starts from. The region's list (DescribeInstances, shared with every Redis delete in flight)
 * has every field the release decides on but release protection, which DeleteInstance refuses by itself
 * (InstanceReleaseProtection) without changing anything. An id the list does not show may still exist in another
 * region (or the region id may not exist): DescribeInstanceAttribute, which finds an id in any region, says which
 * before the release counts it as gone. With overrideProtection it is asked first, to know whether protection must
 * be turned off before DeleteInstance.
 */
export async function describeForRelease(region: string, id: string, overrideProtection: boolean, deadline: Deadline, resource: string): Promise<ReleaseStart> {
  if (overrideProtection) return { state: await describe(region, id, deadline, resource), goneBy: "not found by DescribeInstanceAttribute" };
  let listed: KvState | null = null;
  try {
    listed = await poll(region, id, deadline, resource);
  } catch (e) {
    if (!(e instanceof ReleaseError && /RegionId/.test(e.code))) throw e;
  }
  return { state: listed ?? (await describe(region, id, deadline, resource)), goneBy: "not listed by DescribeInstances nor found by DescribeInstanceAttribute" };
}

/**
 * When the instance entered the recycle bin (DescribeInstances' DestroyTime; DescribeInstanceAttribute does not
 * return it). Only for a progress line: any failure gives undefined rather than failing the delete.
 */
export async function recycleBinEntryTime(region: string, id: string, deadline: Deadline, resource: string): Promise<string | undefined> {
  const req = new KvModels.DescribeInstancesRequest({ regionId: region, instanceIds: id, instanceStatus: RELEASED });
  try {
    const res = await withRetry((rt) => callApi("kv", region, "DescribeInstances", req, new KvModels.DescribeInstancesResponse({}), rt), {
      deadline, catalog: KV_CATALOG, context: ctx(resource, id, "DescribeInstances"),
    });
    return (res.body?.instances?.KVStoreInstance ?? []).find((i) => i.instanceId === id)?.destroyTime || undefined;
  } catch {
    return undefined;
  }
}

/** Whether the service itself lists the subscription as expired (its clock, not ours); undefined if unknown. */
export async function listedAsExpired(region: string, id: string, deadline: Deadline, resource: string): Promise<boolean | undefined> {
  const req = new KvModels.DescribeInstancesRequest({ regionId: region, instanceIds: id, expired: "true" });
  try {
    const res = await withRetry((rt) => callApi("kv", region, "DescribeInstances", req, new KvModels.DescribeInstancesResponse({}), rt), {
      deadline, catalog: KV_CATALOG, context: ctx(resource, id, "DescribeInstances"),
    });
    return (res.body?.instances?.KVStoreInstance ?? []).some((i) => i.instanceId === id);
  } catch (e) {
    // A denial is told (the release decision depends on it); anything else leaves the answer unknown.
    if (e instanceof ReleaseError && e.deniedAction) throw e;
    return undefined;
  }
}

export async function modifyAttributes(region: string, id: string, change: { releaseProtection?: boolean; instanceName?: string }, deadline: Deadline, resource: string): Promise<void> {
  const req = new KvModels.ModifyInstanceAttributeRequest({ instanceId: id, instanceReleaseProtection: change.releaseProtection, instanceName: change.instanceName });
  await withRetry((rt) => callApi("kv", region, "ModifyInstanceAttribute", req, new KvModels.ModifyInstanceAttributeResponse({}), rt), {
    deadline, catalog: KV_CATALOG, context: ctx(resource, id, "ModifyInstanceAttribute"),
  });
}

/** Transport failures leave it unknown whether the service acted on the request. */
function unanswered(f: ApiFailure): boolean {
  return ["Network", "Timeout", "BadReply", "ServerError"].includes(f.code) || (f.statusCode !== undefined && f.statusCode >= 500);
}

export type DeleteAnswer =
  | { accepted: true }
  | { accepted: false; refusal: ApiFailure; earlierAttemptUnanswered: boolean };

/**
 * DeleteInstance (into the recycle bin). It has no idempotency token, so a retry after a lost reply may be
 * refused with IncorrectDBInstanceState because the first attempt was accepted: that refusal is returned, with
 * whether an earlier attempt went unanswered, for the lifecycle to judge from the instance's status. So is
 * InstanceReleaseProtection, the refusal the release relies on when it did not ask whether protection is on.
 */
export async function deleteInstance(region: string, s: KvState, deadline: Deadline, resource: string): Promise<DeleteAnswer> {
  const req = new KvModels.DeleteInstanceRequest({ instanceId: s.instanceId, globalInstanceId: s.globalInstanceId });
  let earlierAttemptUnanswered = false;
  return withRetry(
    async (rt): Promise<DeleteAnswer> => {
      try {
        await callApi("kv", region, "DeleteInstance", req, new KvModels.DeleteInstanceResponse({}), rt);
        return { accepted: true };
      } catch (e) {
        const f = asApiFailure(e);
        if (f.code === "IncorrectDBInstanceState" || f.code === "InstanceReleaseProtection") return { accepted: false, refusal: f, earlierAttemptUnanswered };
        if (unanswered(f)) earlierAttemptUnanswered = true;
        throw e;
      }
    },
    { deadline, catalog: KV_CATALOG, context: ctx(resource, s.instanceId, "DeleteInstance") },
  );
}

/** DestroyInstance: permanently deletes a recycle-bin entry and its backups. Gone already counts as done. */
export async function destroyInstance(region: string, id: string, deadline: Deadline, resource: string): Promise<void> {
  const req = new KvModels.DestroyInstanceRequest({ instanceId: id });
  try {
    await withRetry((rt) => callApi("kv", region, "DestroyInstance", req, new KvModels.DestroyInstanceResponse({}), rt), {
      deadline, catalog: KV_CATALOG, context: ctx(resource, id, "DestroyInstance"),
    });
  } catch (e) {
    if (e instanceof GoneFailure) return;
    throw e;
  }
}

/** CreateInstance / CreateTairInstance parameters the provider owns: the region, idempotency tokens, dry runs, the Tag list (tags are a map). */
export const CREATE_OWNED = ["regionId", "token", "clientToken", "dryRun", "tag", "ownerId", "ownerAccount", "resourceOwnerId", "resourceOwnerAccount", "securityToken"];

export type CreateAction = "CreateInstance" | "CreateTairInstance";

const createModel = (action: CreateAction): ModelClass => (action === "CreateInstance" ? KvModels.CreateInstanceRequest : KvModels.CreateTairInstanceRequest) as unknown as ModelClass;

/** Every other parameter of the create call, as the SDK model names it: an SDK upgrade brings new ones along. */
export function createKeys(action: CreateAction): string[] {
  return Object.keys(createModel(action).names()).filter((k) => !CREATE_OWNED.includes(k));
}

export function createFailures(action: CreateAction, params: Record<string, unknown>): CheckFailure[] {
  return modelFailures(createModel(action), params, "");
}

/**
 * CreateInstance / CreateTairInstance with one token for the logical create, reused by every retry: a retry after a
 * lost reply gets the same instance back instead of a second one. Errors are scrubbed of the password.
 */
export async function createInstance(region: string, action: CreateAction, params: Record<string, unknown>, tags: Record<string, string>, token: string, deadline: Deadline, resource: string): Promise<string> {
  const tag = Object.entries(tags).map(([key, value]) => ({ key, value }));
  const req = buildModel(createModel(action), { ...params, regionId: region, tag: tag.length ? tag : undefined, ...(action === "CreateInstance" ? { token } : { clientToken: token }) });
  const secrets = typeof params.password === "string" ? [params.password] : [];
  const res = await withRetry(
    async (rt) => {
      try {
        return await callApi("kv", region, action, req as object as Kv.CreateInstanceRequest, new KvModels.CreateInstanceResponse({}), rt);
      } catch (e) {
        throw scrubError(e, secrets);
      }
    },
    { deadline, catalog: KV_CATALOG, context: ctx(resource, "(new)", action) },
  );
  const id = res.body?.instanceId;
  if (!id) throw new ReleaseError(`${resource}: ${action} answered without an InstanceId (RequestId ${res.body?.requestId ?? "none"}); check the console for a new instance.`, "BadReply", res.body?.requestId);
  return id;
}

/** TagResources / UntagResources (ResourceType INSTANCE), for the user's tags. */
export async function tagInstance(region: string, id: string, tags: Record<string, string>, deadline: Deadline, resource: string): Promise<void> {
  const tag = Object.entries(tags).map(([key, value]) => ({ key, value }));
  if (tag.length === 0) return;
  const req = new KvModels.TagResourcesRequest({ regionId: region, resourceType: "INSTANCE", resourceId: [id], tag });
  await withRetry((rt) => callApi("kv", region, "TagResources", req, new KvModels.TagResourcesResponse({}), rt), { deadline, catalog: KV_CATALOG, context: ctx(resource, id, "TagResources") });
}

export async function untagInstance(region: string, id: string, keys: string[], deadline: Deadline, resource: string): Promise<void> {
  if (keys.length === 0) return;
  const req = new KvModels.UntagResourcesRequest({ regionId: region, resourceType: "INSTANCE", resourceId: [id], tagKey: keys });
  await withRetry((rt) => callApi("kv", region, "UntagResources", req, new KvModels.UntagResourcesResponse({}), rt), { deadline, catalog: KV_CATALOG, context: ctx(resource, id, "UntagResources") });
}
