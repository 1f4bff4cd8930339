// `alicloud-release sweep`: the instances that carry a stack's ownership tags but that its state does not hold
// (a create whose reply was lost, a CI job killed mid-`up`, a stack whose state was deleted). A dry run by default;
// with `release` they are released by the same dynamic-provider delete functions `pulumi destroy` calls, with the
// same delete options. An instance without the tags is never listed, so never touched.
import { checkCredentials } from "../core/clients";
import { parseDuration } from "../core/time-to-live";
import * as ecsProvider from "../ecs/instance-provider";
import * as mongoProvider from "../mongodb/instance-provider";
import * as redisProvider from "../redis/instance-provider";
import { UsageError } from "./errors";
import { CloudInstance, listTaggedInstances } from "./inventory";
import { EXPIRES_AT_TAG_KEY, OWNERSHIP_TAG_KEYS, ownershipFilter } from "./ownership";
import { resolveRegions } from "./regions";
import { loadStack, StackSnapshot, StackSourceOptions } from "./stack";

export interface SweepDeleteOptions {
  overrideProtection?: boolean;
  /** ECS: release without the graceful stop. */
  force?: boolean;
  /** Redis: destroy recycle-bin entries too (and what a release puts there). */
  purgeRecycleBin?: boolean;
  deleteTimeoutSeconds?: number;
}

export interface SweepOptions extends StackSourceOptions {
  /** Regions to search; default every region. */
  regions?: string[];
  /** Release what is found (default: only list it). */
  release?: boolean;
  excludeIds?: string[];
  /** "key" (any value) or "key=value". */
  excludeTags?: string[];
  /** Only instances created at least this long ago ("6h", "2d"). */
  olderThan?: string;
  /** Only instances whose time-to-live has passed (the expiry tag, or ECS AutoReleaseTime). */
  expired?: boolean;
  deleteOptions?: SweepDeleteOptions;
  /** The state already read (destroy passes what is left after it). */
  snapshot?: StackSnapshot;
  onProgress?: (line: string) => void;
  /** Releases at once. */
  concurrency?: number;
}

export interface SweepFinding extends CloudInstance {
  /** The resource name from the pulumi:name tag. */
  name?: string;
  /** Why it is listed: not in the state / the stack is gone / expired. */
  reason: string;
}

export interface SweepResult {
  project: string;
  stack?: string;
  /** False when the stack does not exist: every tagged instance is an orphan. */
  stackExists: boolean;
  regions: string[];
  found: SweepFinding[];
  /** Tagged instances left alone, and why (in the state, excluded, too young, in the recycle bin). */
  skipped: { id: string; why: string }[];
  released: string[];
  failed: { id: string; error: string }[];
  /** Regions a product is not offered in. */
  regionsSkipped: { product: string; regionId: string }[];
  /** True when nothing was found (dry run) or everything found was released. */
  clean: boolean;
}

function excludedTag(tags: Record<string, string>, rules: string[]): string | undefined {
  for (const rule of rules) {
    const eq = rule.indexOf("=");
    const [k, v] = eq < 0 ? [rule, undefined] : [rule.slice(0, eq), rule.slice(eq + 1)];
    if (k in tags && (v === undefined || tags[k] === v)) return rule;
  }
  return undefined;
}

/** The instance's time-to-live has passed: its expiry tag, or for ECS the cloud's auto-release time. */
export function ttlPassed(i: CloudInstance, now = Date.now()): boolean {
  const at = Date.parse(i.tags[EXPIRES_AT_TAG_KEY] ?? i.autoReleaseTime ?? "");
  return Number.isFinite(at) && at <= now;
}

export async function sweep(o: SweepOptions): Promise<SweepResult> {
  const regions = resolveRegions(o.regions);
  const olderThanMs = o.olderThan === undefined ? undefined : parseDuration(o.olderThan);
  if (o.olderThan !== undefined && olderThanMs === undefined) throw new UsageError(`--older-than ${JSON.stringify(o.olderThan)} is not a duration like 30m, 6h, 2d or 1w`);
  for (const rule of o.excludeTags ?? []) if (!rule || rule.startsWith("=")) throw new UsageError(`--exclude-tag ${JSON.stringify(rule)}: expected key or key=value`);
  let snapshot = o.snapshot;
  if (!snapshot && (o.stack || o.stackFile)) snapshot = await loadStack(o, true);
  const project = snapshot?.project ?? o.project;
  const stack = snapshot?.stack ?? o.stack;
  if (!project) throw new UsageError("pass --project (and --stack), or --stack-file");
  if (!stack && !o.expired) throw new UsageError("pass --stack (or --stack-file); only `sweep --expired` may go over every stack of a project");
  await checkCredentials();

  const tags = ownershipFilter(project, stack);
  o.onProgress?.(`searching ${regions.length} region${regions.length > 1 ? "s" : ""} for instances tagged ${Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(", ")}`);
  const inventory = await listTaggedInstances({ regions, tags, onProgress: o.onProgress });
  const held = new Set(snapshot?.resources.flatMap((r) => r.instanceIds) ?? []);
  const stackExists = snapshot?.exists ?? false;
  const now = Date.now();
  const found: SweepFinding[] = [];
  const skipped: SweepResult["skipped"] = [];
  for (const i of inventory.instances) {
    const skip = (why: string) => skipped.push({ id: i.id, why });
    const created = Date.parse(i.createdAt ?? "");
    const tagRule = excludedTag(i.tags, o.excludeTags ?? []);
    if (o.excludeIds?.includes(i.id)) skip("excluded by id");
    else if (tagRule) skip(`excluded by tag ${tagRule}`);
    else if (o.expired && !ttlPassed(i, now)) skip("time-to-live not passed (or none)");
    else if (!o.expired && held.has(i.id)) skip("held by the stack's state");
    else if (olderThanMs !== undefined && !(Number.isFinite(created) && now - created >= olderThanMs)) skip(`younger than ${o.olderThan}`);
    else if (i.inRecycleBin && i.product === "mongodb") skip("in the recycle bin (not billed); the MongoDB API cannot empty it before its 7 days");
    else if (i.inRecycleBin && !o.deleteOptions?.purgeRecycleBin) skip("in the recycle bin (not billed); --purge-recycle-bin destroys it");
    else {
      const reason = o.expired ? `time-to-live passed (${i.tags[EXPIRES_AT_TAG_KEY] ?? i.autoReleaseTime})` : stackExists ? "not in the stack's state" : "its stack no longer exists";
      found.push({ ...i, name: i.tags[OWNERSHIP_TAG_KEYS.name], reason });
    }
  }
  const released: string[] = [];
  const failed: SweepResult["failed"] = [];
  if (o.release && found.length > 0) {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < found.length) {
        const i = found[next++];
        o.onProgress?.(`${i.id}: releasing (${i.product}, ${i.regionId}; ${i.reason})`);
        try {
          await releaseOne(i, o.deleteOptions ?? {});
          released.push(i.id);
        } catch (e) {
          failed.push({ id: i.id, error: (e as Error).message });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 32, found.length) }, worker));
  }
  return {
    project, stack, stackExists, regions, found, skipped, released, failed, regionsSkipped: inventory.skipped,
    clean: o.release ? failed.length === 0 : found.length === 0,
  };
}

/** Outputs shaped as each resource writes them, so delete reads region and options exactly as in a destroy. */
function releaseOne(i: CloudInstance, d: SweepDeleteOptions): Promise<void> {
  const options = {
    regionId: i.regionId,
    overrideProtection: d.overrideProtection === true,
    ...(d.deleteTimeoutSeconds ? { deleteTimeoutSeconds: d.deleteTimeoutSeconds } : {}),
  };
  if (i.product === "ecs") return ecsProvider.delete(i.id, { ...options, instanceId: i.id, force: d.force === true });
  if (i.product === "mongodb") return mongoProvider.delete(i.id, { ...options, dbInstanceId: i.id });
  return redisProvider.delete(i.id, { ...options, instanceId: i.id, purgeRecycleBin: d.purgeRecycleBin === true });
}
