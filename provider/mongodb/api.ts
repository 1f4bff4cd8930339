// The DDS (2015-12-01) calls the lifecycle uses, each under the retry policy and the caller's deadline. DDS has no
// npm SDK: calls go through openapi-core's generic callApi and answer PascalCase JSON, read here into one shape.
import { randomUUID } from "node:crypto";
import { ddsClient } from "../core/clients";
import { Poller } from "../core/poller";
import { ReleaseError } from "../core/failure";
import { GoneFailure, RetryOptions, withRetry } from "../core/retry";
import { Deadline } from "../core/timing";
import { DDS_CATALOG } from "./errors";
import { scrubError } from "../core/secrets";

/** What the lifecycle needs to know about an instance, from DescribeDBInstanceAttribute. */
export interface DdsInstanceState {
  dbInstanceId: string;
  regionId: string;
  status: string;
  chargeType: string;
  /** Subscription only, minute precision as the API gives it: 2026-02-05T16:00Z. */
  expireTime?: string;
  lockMode: string;
  releaseProtection: boolean;
  engineVersion?: string;
  dbInstanceClass?: string;
  dbInstanceStorage?: number;
  storageType?: string;
  replicationFactor?: string;
  description?: string;
  zoneId?: string;
  vpcId?: string;
  vSwitchId?: string;
  /** replicate (replica sets and standalone) or sharding: DescribeDBInstances lists one kind per call. */
  dbInstanceType?: string;
  resourceGroupId?: string;
  storageEngine?: string;
  networkType?: string;
  /** Every tag, ownership tags included. */
  tags: Record<string, string>;
  /** A sharded cluster's nodes, under the input names (MongosList, ShardList, ConfigserverList). */
  mongos?: { class?: string }[];
  replicaSet?: { class?: string; storage?: number; readonlyReplicas?: number }[];
  configServer?: { class?: string; storage?: number }[];
  /** When it entered the recycle bin (DescribeDBInstances with DBInstanceStatus=Released). */
  destroyTime?: string;
}

const num = (v: unknown): number | undefined => (v === undefined || v === null || v === "" || !Number.isFinite(Number(v)) ? undefined : Number(v));

function nodes(list: unknown, item: string): Body[] | undefined {
  const l = (list as Body | undefined)?.[item];
  return Array.isArray(l) ? (l as Body[]) : undefined;
}

/** The instance no longer exists; `why` says how we know, for the progress line. */
export interface Gone {
  gone: string;
}

export function isGone(s: DdsInstanceState | Gone): s is Gone {
  return "gone" in s;
}

type Body = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

export function stateFrom(i: Body): DdsInstanceState {
  const storage = Number(i.DBInstanceStorage);
  return {
    dbInstanceId: str(i.DBInstanceId) ?? "",
    regionId: str(i.RegionId) ?? "",
    status: str(i.DBInstanceStatus) ?? "Unknown",
    chargeType: str(i.ChargeType) ?? "PostPaid",
    expireTime: str(i.ExpireTime),
    lockMode: str(i.LockMode) ?? "Unlock",
    releaseProtection: i.DBInstanceReleaseProtection === true || i.DBInstanceReleaseProtection === "true",
    engineVersion: str(i.EngineVersion),
    dbInstanceClass: str(i.DBInstanceClass),
    dbInstanceStorage: Number.isFinite(storage) && i.DBInstanceStorage !== undefined ? storage : undefined,
    storageType: str(i.StorageType),
    replicationFactor: i.ReplicationFactor === undefined ? undefined : String(i.ReplicationFactor),
    description: str(i.DBInstanceDescription),
    zoneId: str(i.ZoneId),
    vpcId: str(i.VPCId),
    vSwitchId: str(i.VSwitchId),
    dbInstanceType: str(i.DBInstanceType) ?? "replicate",
    resourceGroupId: str(i.ResourceGroupId),
    storageEngine: str(i.StorageEngine),
    networkType: str(i.NetworkType),
    tags: Object.fromEntries((((i.Tags as Body | undefined)?.Tag ?? []) as Body[]).filter((t) => str(t.Key)).map((t) => [String(t.Key), String(t.Value ?? "")])),
    mongos: nodes(i.MongosList, "MongosAttribute")?.map((n) => ({ class: str(n.NodeClass) })),
    replicaSet: nodes(i.ShardList, "ShardAttribute")?.map((n) => ({ class: str(n.NodeClass), storage: num(n.NodeStorage), readonlyReplicas: num(n.ReadonlyReplicas) })),
    configServer: nodes(i.ConfigserverList, "ConfigserverAttribute")?.map((n) => ({ class: str(n.NodeClass), storage: num(n.NodeStorage) })),
    destroyTime: str(i.DestroyTime),
  };
}

export interface CallContext {
  deadline: Deadline;
  /** "mongodb.Instance", for messages. */
  resource: string;
}

/** How a release call treats the status conflicts: decided by the lifecycle, which re-describes between tries. */
export type RetryExtras = Pick<RetryOptions, "retryTransitions" | "beforeRetry">;

function call(region: string, id: string, action: string, query: Record<string, unknown>, c: CallContext, extras: RetryExtras = {}): Promise<Body> {
  const sent = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
  return withRetry((rt) => ddsClient(region).call(action, sent, rt), {
    deadline: c.deadline,
    catalog: DDS_CATALOG,
    context: { resource: c.resource, ids: [id], action },
    ...extras,
  });
}

/**
 * The instance, or how we know it is gone: a not-found answer (any of the three documented spellings), an empty
 * DBInstance list (TF handles that too), or LockMode Released, which the API keeps showing for a released instance.
 * No RegionId is sent: the call looks the id up wherever it is, and the caller compares the RegionId it reports.
 */
export async function describe(region: string, id: string, c: CallContext): Promise<DdsInstanceState | Gone> {
  let body: Body;
  try {
    body = await call(region, id, "DescribeDBInstanceAttribute", { DBInstanceId: id }, c);
  } catch (e) {
    if (e instanceof GoneFailure) return { gone: `DescribeDBInstanceAttribute answered ${e.failure.code}` };
    throw e;
  }
  const list = ((body.DBInstances as Body | undefined)?.DBInstance ?? []) as Body[];
  const item = list.find((i) => i.DBInstanceId === id);
  if (!item) return { gone: "not listed by DescribeDBInstanceAttribute" };
  const state = stateFrom(item);
  if (state.lockMode === "Released") return { gone: "LockMode Released" };
  return state;
}

/** For pollers: null once the instance is gone. */
export async function describeOrNull(region: string, id: string, c: CallContext): Promise<DdsInstanceState | null> {
  const s = await describe(region, id, c);
  return isGone(s) ? null : s;
}

// ---- polling many instances at once -----------------------------------------------------------------------

const PAGE_SIZE = 100;

/**
 * DescribeDBInstances has no list-of-ids filter: it lists a region's instances of one type, 100 per page (the
 * recycle bin only when asked for, by DBInstanceStatus=Released). A poll pages through them until every id it asks
 * about is seen; when the region holds so many others that paging would cost more calls than asking one by one, the
 * live ids not found on the first page are asked about one by one.
 */
const lister = new Poller<DdsInstanceState>({
  maxIds: PAGE_SIZE,
  async list(key, ids, deadline, resource) {
    const [region, type, status] = key.split("|");
    const bin = status === RELEASED;
    const c: CallContext = { deadline, resource };
    const found = new Map<string, DdsInstanceState>();
    const gone = new Set<string>();
    const missing = (): string[] => ids.filter((id) => !found.has(id) && !gone.has(id));
    for (let page = 1; ; page++) {
      const query = { RegionId: region, DBInstanceType: type, DBInstanceStatus: bin ? RELEASED : undefined, PageSize: PAGE_SIZE, PageNumber: page };
      const body = await call(region, ids.join(","), "DescribeDBInstances", query, c);
      for (const item of ((body.DBInstances as Body | undefined)?.DBInstance ?? []) as Body[]) {
        const id = String(item.DBInstanceId);
        if (!ids.includes(id)) continue;
        const state = stateFrom(item);
        if (state.lockMode === "Released" && !bin) gone.add(id);
        else found.set(id, state);
      }
      const pages = Math.ceil(Number(body.TotalCount ?? 0) / PAGE_SIZE);
      if (missing().length === 0 || page >= pages) break;
      if (!bin && page === 1 && pages - 1 > missing().length) {
        for (const id of missing()) {
          const s = await describe(region, id, c);
          if (!isGone(s)) found.set(id, s);
        }
        break;
      }
    }
    return found;
  },
});

const RELEASED = "Released";

/** For waits: the state of each id, through the list call shared by every delete in flight; null once gone. */
export function poll(region: string, type: string, ids: string[], c: CallContext, status?: typeof RELEASED): Promise<Map<string, DdsInstanceState | null>> {
  return lister.describe(`${region}|${type}${status ? `|${status}` : ""}`, ids, c.deadline, c.resource);
}

/**
 * The state a release starts from: the region's list (DescribeDBInstances, shared with every MongoDB delete in flight)
 * has every field the release decides on; an instance the list does not show (gone, in another region, a sharded
 * cluster) is asked about alone with DescribeDBInstanceAttribute, which says which.
 */
export async function describeForRelease(region: string, id: string, c: CallContext): Promise<DdsInstanceState | Gone> {
  let listed: DdsInstanceState | null | undefined;
  try {
    listed = (await poll(region, "replicate", [id], c)).get(id);
  } catch (e) {
    // The list refused the region (a region id that does not exist): the instance's own describe says where it is.
    if (!(e instanceof ReleaseError && /RegionId/.test(e.code))) throw e;
  }
  return listed ?? describe(region, id, c);
}

export async function createInstance(region: string, action: "CreateDBInstance" | "CreateShardingDBInstance", query: Record<string, unknown>, c: CallContext): Promise<string> {
  // One token for the call, reused by its retries: a retry after a lost reply returns the same instance.
  const secrets = typeof query.AccountPassword === "string" ? [query.AccountPassword] : [];
  let body: Body;
  try {
    body = await call(region, "(new)", action, { RegionId: region, ...query, ClientToken: randomUUID() }, c);
  } catch (e) {
    throw scrubError(e, secrets);
  }
  const id = str(body.DBInstanceId);
  if (!id) throw new Error(`${action} answered without a DBInstanceId (RequestId ${String(body.RequestId)})`);
  return id;
}

/** TagResources (ResourceType INSTANCE), for the user's tags; ownership tags are set at create only. */
export async function tagResources(region: string, id: string, tags: Record<string, string>, c: CallContext): Promise<void> {
  const Tag = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  if (Tag.length) await call(region, id, "TagResources", { RegionId: region, ResourceType: "INSTANCE", ResourceId: [id], Tag }, c);
}

export async function untagResources(region: string, id: string, keys: string[], c: CallContext): Promise<void> {
  if (keys.length) await call(region, id, "UntagResources", { RegionId: region, ResourceType: "INSTANCE", ResourceId: [id], TagKey: keys }, c);
}

/** Release protection through ModifyDBInstanceAttribute, the description through its own call, ModifyDBInstanceDescription. */
export async function modifyAttribute(region: string, id: string, change: { releaseProtection?: boolean; description?: string }, c: CallContext): Promise<void> {
  if (change.description !== undefined) await call(region, id, "ModifyDBInstanceDescription", { DBInstanceId: id, DBInstanceDescription: change.description }, c);
  if (change.releaseProtection !== undefined) await call(region, id, "ModifyDBInstanceAttribute", { DBInstanceId: id, DBInstanceReleaseProtection: change.releaseProtection }, c);
}

/** Pay-as-you-go release. */
export async function deleteInstance(region: string, id: string, c: CallContext, extras: RetryExtras): Promise<void> {
  await call(region, id, "DeleteDBInstance", { DBInstanceId: id, ClientToken: randomUUID() }, c, extras);
}

/** Release of an expired, expiry-locked subscription. */
export async function destroyInstance(region: string, id: string, c: CallContext, extras: RetryExtras): Promise<void> {
  await call(region, id, "DestroyInstance", { DBInstanceId: id, ClientToken: randomUUID() }, c, extras);
}

/**
 * The instance's recycle-bin entry, listed by DescribeDBInstances with DBInstanceStatus=Released (as the emulator
 * and the console's Recycle Bin page show it; one list call for every MongoDB delete in flight in the region): when
 * it was released, or null if it is not there; undefined when the listing could not be read (the caller then falls
 * back to the documented 7 days from now).
 */
export async function recycleBinEntry(region: string, id: string, c: CallContext, type = "replicate"): Promise<{ destroyTime?: string } | null | undefined> {
  try {
    const item = (await poll(region, type, [id], c, RELEASED)).get(id);
    return item ? { destroyTime: item.destroyTime } : null;
  } catch {
    // The release itself is done: where it went is reported on a best-effort basis.
    return undefined;
  }
}
