// `alicloud-release status`: what a stack still has in the cloud and what still bills. The stack's instances are
// found by their ownership tags (so retained subscriptions and orphans, which the state no longer holds, are found
// too), plus every instance the state names (adopted instances carry no tags).
import { checkCredentials } from "../core/clients";
import { resolveRegion } from "../core/settings";
import { Deadline, isoSecond } from "../core/timing";
import * as ecsApi from "../ecs/api";
import { isExpired as ecsExpired } from "../ecs/decision";
import * as ddsApi from "../mongodb/api";
import * as kvApi from "../redis/api";
import { recycleBinUntil } from "../redis/decision";

import { CloudInstance, listTaggedInstances } from "./inventory";
import { EXPIRES_AT_TAG_KEY, OWNERSHIP_TAG_KEYS, ownershipFilter } from "./ownership";
import { resolveRegions } from "./regions";
import { loadStack, StackResource, StackSourceOptions } from "./stack";

export type StatusKind = "in-stack" | "retained-subscription" | "recycle-bin" | "orphan" | "releasing";

export interface StatusEntry {
  product: string;
  id: string;
  regionId: string;
  /** The resource name (state, else the pulumi:name tag). */
  name?: string;
  kind: StatusKind;
  status: string;
  chargeType: string;
  /** Still billed. */
  billed: boolean;
  /** Billed until (subscription expiry), recoverable until (recycle bin), or its time-to-live. */
  until?: string;
  detail: string;
}

export interface StatusResult {
  project: string;
  stack: string;
  stackExists: boolean;
  entries: StatusEntry[];
  billed: number;
  regionsSkipped: { product: string; regionId: string }[];
}

export interface StatusOptions extends StackSourceOptions {
  regions?: string[];
  onProgress?: (line: string) => void;
}

const DEADLINE_SECONDS = 120;

export async function status(o: StatusOptions): Promise<StatusResult> {
  const regions = resolveRegions(o.regions);
  const snap = await loadStack(o, true);
  await checkCredentials();
  o.onProgress?.(`searching ${regions.length} region${regions.length > 1 ? "s" : ""} for ${snap.project}/${snap.stack}'s instances`);
  const inventory = await listTaggedInstances({ regions, tags: ownershipFilter(snap.project, snap.stack), onProgress: o.onProgress });
  const byId = new Map(inventory.instances.map((i) => [i.id, i]));
  const entries: StatusEntry[] = [];
  const inState = new Map<string, StackResource>();
  for (const r of snap.resources) for (const id of r.instanceIds) inState.set(id, r);

  // Instances the state names but the tag search did not see (adopted, or in a region not searched).
  for (const [id, r] of inState) {
    if (byId.has(id)) continue;
    const found = await describeOne(r, id);
    if (found) byId.set(id, found);
  }
  const now = Date.now();
  for (const i of byId.values()) {
    const r = inState.get(i.id);
    entries.push(entryFor(i, r, now));
  }
  entries.sort((a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
  return { project: snap.project, stack: snap.stack, stackExists: snap.exists, entries, billed: entries.filter((e) => e.billed).length, regionsSkipped: inventory.skipped };
}

function entryFor(i: CloudInstance, r: StackResource | undefined, now: number): StatusEntry {
  const base = { product: i.product, id: i.id, regionId: i.regionId, name: r?.name ?? i.tags[OWNERSHIP_TAG_KEYS.name], status: i.status, chargeType: i.chargeType };
  const ttl = i.tags[EXPIRES_AT_TAG_KEY] ?? i.autoReleaseTime;
  const ttlNote = ttl ? `; time-to-live until ${ttl}` : "";
  if (i.inRecycleBin) {
    const entered = Date.parse(i.destroyTime ?? "");
    const until = isoSecond(recycleBinUntil(Number.isFinite(entered) ? entered : now));
    return { ...base, kind: "recycle-bin", billed: false, until, detail: `in the recycle bin: not billed, recoverable until ${until}, then deleted with its backups` };
  }
  if (i.status === "Deleting" || i.status === "Released") return { ...base, kind: "releasing", billed: false, detail: "being released" };
  if (r) {
    const sub = i.chargeType === "PrePaid";
    return { ...base, kind: "in-stack", billed: true, until: sub ? i.expireTime : undefined, detail: `${r.kind} ${r.name}: ${sub ? `subscription, paid until ${i.expireTime ?? "?"}` : "pay-as-you-go, billed while it exists"}${ttlNote}` };
  }
  const prepaid = i.chargeType === "PrePaid";
  const expired = prepaid && i.expireTime !== undefined && Date.parse(i.expireTime) <= now;
  if (prepaid && !expired) {
    return { ...base, kind: "retained-subscription", billed: true, until: i.expireTime, detail: `subscription retained (not in the state): paid until ${i.expireTime ?? "?"}; Alibaba Cloud locks and later releases it after expiry unless renewed` };
  }
  if (prepaid) return { ...base, kind: "retained-subscription", billed: false, until: i.expireTime, detail: `expired subscription ${i.expireTime}: no longer billed; the service releases it (DDS after the expiry lock, Redis on day 31), or destroy releases it` };
  return { ...base, kind: "orphan", billed: true, detail: `not in the state and billed while it exists (pay-as-you-go)${ttlNote}: \`alicloud-release sweep --release\` releases it` };
}

/** One instance of the state, described directly; null when it no longer exists. */
async function describeOne(r: StackResource, id: string): Promise<CloudInstance | null> {
  const regionId = r.regionId ?? resolveRegion();
  const deadline = Deadline.seconds(DEADLINE_SECONDS);
  if (r.product === "ecs") {
    const s = (await ecsApi.describe(regionId, [id], deadline, r.kind)).get(id);
    if (!s) return null;
    return { product: "ecs", id, regionId, status: ecsExpired(s) ? "Expired" : s.status, chargeType: s.chargeType, expireTime: s.chargeType === "PrePaid" ? s.expiredTime : undefined, tags: {} };
  }
  if (r.product === "mongodb") {
    const s = await ddsApi.describeOrNull(regionId, id, { deadline, resource: r.kind });
    return s ? { product: "mongodb", id, regionId, status: s.status, chargeType: s.chargeType, expireTime: s.expireTime, tags: {}, lockMode: s.lockMode } : null;
  }
  const s = await kvApi.describe(regionId, id, deadline, r.kind);
  if (!s) return null;
  const inBin = s.status === kvApi.RELEASED;
  return {
    product: "redis", id, regionId, status: s.status, chargeType: s.chargeType, expireTime: s.endTime, tags: {}, inRecycleBin: inBin,
    destroyTime: inBin ? await kvApi.recycleBinEntryTime(regionId, id, deadline, r.kind) : undefined,
  };
}
