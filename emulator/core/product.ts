// What a product backend (emulator/ecs, emulator/dds, emulator/r-kvstore) provides to the core server.
import { Clock, DurationTable } from "./clock";
import { ApiError, commonError } from "./errors";
import { IdempotencyTokens } from "./idempotency";
import { Params } from "./params";
import { Instance, ProductName, Store } from "./store";

export interface ActionContext {
  params: Params;
  clock: Clock;
  store: Store;
  tokens: IdempotencyTokens;
  requestId: string;
  action: string;
}

export type ActionHandler = (ctx: ActionContext) => Record<string, unknown>;

/** code → [HTTP status, message], as the product's API reference lists them. */
export type ErrorTable = Record<string, [number, string]>;

export interface AdminContext {
  clock: Clock;
  store: Store;
}

export interface ProductBackend {
  name: ProductName;
  /** Product code as the error centre spells it (Recommend links). */
  productCode: string;
  version: string;
  /** The global endpoint, the HostId of replies to calls that name no region. */
  hostId: string;
  /** The HostId of a call that names a region, where the product has regional endpoints. */
  regionalHostId?(regionId: string): string;
  durations: DurationTable;
  errors: ErrorTable;
  actions: Record<string, ActionHandler>;
  /** Actions that an admin "dependency" block makes fail (the release calls). */
  releaseActions: string[];
  /** Admin: a subscription instance expires now; what follows (locks, recycle bin) is scheduled. */
  expire(instance: Instance, ctx: AdminContext): void;
  /** Admin: lock the instance (ECS OperationLocks reason; DDS LockMode). */
  lock(instance: Instance, reason: string, ctx: AdminContext): void;
  /** Sets up what every account starts with (the default network); run at start and after an admin reset. */
  seed?(ctx: AdminContext): void;
  /** Admin views served as `GET /_emulator/<name>` (the VPC backend's `network`). */
  adminViews?: Record<string, (ctx: AdminContext, query: URLSearchParams) => unknown>;
}

export function errorFrom(table: ErrorTable, code: string, message?: string): ApiError {
  const known = table[code];
  if (!known) return commonError(code, message);
  return new ApiError(code, known[0], message ?? known[1]);
}

/** Regions the emulator serves; an unknown RegionId gets InvalidRegionId.NotFound as in the cloud. */
export const REGIONS = [
  "cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "cn-qingdao", "cn-zhangjiakou", "cn-huhehaote",
  "cn-chengdu", "cn-hongkong", "ap-southeast-1", "ap-southeast-3", "ap-southeast-5", "ap-northeast-1",
  "ap-south-1", "us-west-1", "us-east-1", "eu-central-1", "eu-west-1", "me-east-1",
] as const;

export function regionParam(params: Params, required = true): string | undefined {
  const region = required ? params.required("RegionId") : params.string("RegionId");
  if (region !== undefined && !(REGIONS as readonly string[]).includes(region)) throw commonError("InvalidRegionId.NotFound");
  return region;
}

/** Throws the admin-injected dependency error while it lasts. */
export function throwIfBlocked(table: ErrorTable, instance: Instance, now: number): void {
  if (instance.blockedBy && instance.blockedBy.until > now) throw errorFrom(table, instance.blockedBy.code);
  if (instance.blockedBy && instance.blockedBy.until <= now) delete instance.blockedBy;
}

/** A new id in the product's documented shape, e.g. i-bp1…, dds-bp1…, r-bp1…. */
export function newId(prefix: string, regionId: string): string {
  const zone = regionId.startsWith("cn-") ? "bp1" : "gw8";
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  let tail = "";
  for (let i = 0; i < 17; i++) tail += alphabet[Math.floor(Math.random() * alphabet.length)];
  return `${prefix}-${zone}${tail}`;
}

/**
 * A product's endpoint host for a region, as its SDK's endpoint map has it: the global `<service>.aliyuncs.com`
 * in the `central` regions, `<service>.<region>.aliyuncs.com` elsewhere.
 */
export function endpointHost(service: string, central: readonly string[] = []): (regionId: string) => string {
  return (regionId) => (central.includes(regionId) ? `${service}.aliyuncs.com` : `${service}.${regionId}.aliyuncs.com`);
}

/** Where the ApsaraDB SDKs (R-KVStore's endpoint map) use the global endpoint, among the emulated regions. */
export const APSARADB_CENTRAL_REGIONS = ["cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-qingdao"] as const;
