// The DDS (2015-12-01) calls the lifecycle uses, each under the retry policy and the caller's deadline. DDS has no
// npm SDK: calls go through openapi-core's generic callApi and answer PascalCase JSON, read here into one shape.
import { randomUUID } from "node:crypto";
import { ddsClient } from "../core/clients";
import { GoneFailure, RetryOptions, withRetry } from "../core/retry";
import { Deadline } from "../core/timing";
import { DDS_CATALOG } from "./errors";

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

export async function createInstance(region: string, query: Record<string, unknown>, c: CallContext): Promise<string> {
  // One token for the call, reused by its retries: a retry after a lost reply returns the same instance.
  const body = await call(region, "(new)", "CreateDBInstance", { RegionId: region, ...query, ClientToken: randomUUID() }, c);
  const id = str(body.DBInstanceId);
  if (!id) throw new Error(`CreateDBInstance answered without a DBInstanceId (RequestId ${String(body.RequestId)})`);
  return id;
}

export async function modifyAttribute(region: string, id: string, change: { releaseProtection?: boolean; description?: string }, c: CallContext): Promise<void> {
  await call(region, id, "ModifyDBInstanceAttribute", { DBInstanceId: id, DBInstanceReleaseProtection: change.releaseProtection, DBInstanceDescription: change.description }, c);
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
 * and the console's Recycle Bin page show it): when it was released, or null if it is not there; undefined when
 * the listing could not be read (the caller then falls back to the documented 7 days from now).
 */
export async function recycleBinEntry(region: string, id: string, c: CallContext): Promise<{ destroyTime?: string } | null | undefined> {
  try {
    const body = await call(region, id, "DescribeDBInstances", { RegionId: region, DBInstanceId: id, DBInstanceStatus: "Released" }, c);
    const item = (((body.DBInstances as Body | undefined)?.DBInstance ?? []) as Body[]).find((i) => i.DBInstanceId === id);
    return item ? { destroyTime: str(item.DestroyTime) } : null;
  } catch {
    // The release itself is done: where it went is reported on a best-effort basis.
    return undefined;
  }
}
