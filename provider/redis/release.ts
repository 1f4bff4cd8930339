// The Tair (Redis) release procedure, as documented (alicloud-apis.md §3.3–§3.4, seed 004):
//   1. describe, through DescribeInstances shared by every Redis delete in flight (api.describeForRelease; with
//      overrideProtection DescribeInstanceAttribute): not found in any region → already gone; status Released →
//      already in the recycle bin (3);
//   2. pay-as-you-go: release protection refuses (DeleteInstance's own answer, unless overridden: then it is turned
//      off first); DeleteInstance (retried while the instance is in a transitional status); wait until it is in the
//      recycle bin (Released);
//   3. the recycle bin: kept by default (recoverable for 7 days, as in the console), or with purgeRecycleBin
//      DestroyInstance deletes it and its backups permanently, and we wait until it is gone;
//   4. subscription: the API cannot release it before expiry, so fail with the choices, or retain; an expired
//      one is released into the bin by the service on day 31 after expiry, and then handled as in 3.
import { journaled, ReleaseError } from "../core/failure";
import { DeleteOptions } from "../core/options";
import { Journal } from "../core/permissions";
import { progress, warn } from "../core/progress";
import { backoffDelay } from "../core/retry";
import { Deadline, formatDuration, isoSecond, sleep, timeScale } from "../core/timing";
import { waitFor } from "../core/waiter";
import * as api from "./api";
import { KvState, RELEASED } from "./api";
import { decideRedisRelease, RedisDecision } from "./decision";
import { KV_CATALOG, statusRemedy, TRANSITIONAL_STATUSES } from "./errors";

export interface RedisDeleteOptions extends DeleteOptions {
  /** Destroy the recycle-bin entry (and its backups) instead of leaving it recoverable for 7 days. */
  purgeRecycleBin: boolean;
}

export interface RedisReleaseRequest {
  /** "redis.Instance", for messages. */
  resource: string;
  regionId: string;
  instanceId: string;
  options: RedisDeleteOptions;
}

export type RedisReleaseOutcome = "already-gone" | "in-recycle-bin" | "destroyed" | "retained";

const DAY_MS = 86_400_000;
export const RECYCLE_BIN_DAYS = 7;
/** A subscription is released into the recycle bin on day 31 after it expires. */
export const EXPIRED_RELEASE_DAYS = 30;
/** How long a Normal instance that refused the release is watched for a release already under way. */
const GRACE_MS = 120_000;

/**
 * How long the transitions typically take (cloud ms): DeleteInstance until the recycle bin, DestroyInstance until
 * gone. The waits poll first at these, through DescribeInstances shared by every Redis delete in flight.
 */
export const TYPICAL_MS = { release: 20_000, destroy: 10_000 };
const POLL = { minDelayMs: 2000, maxDelayMs: 8000 };


const UNPROTECT = "release protection turned off (ModifyInstanceAttribute)";
const INTO_BIN = "released into the recycle bin (DeleteInstance)";
const PURGE = "destroyed in the recycle bin with its backups (DestroyInstance)";

export function releaseRedisInstance(req: RedisReleaseRequest): Promise<RedisReleaseOutcome> {
  return journaled((journal) => releaseSteps(req, journal));
}

async function releaseSteps(req: RedisReleaseRequest, journal: Journal): Promise<RedisReleaseOutcome> {
  const deadline = Deadline.seconds(req.options.deleteTimeoutSeconds);
  const { regionId: region, resource, instanceId: id } = req;
  const started = Date.now();

  // 1. Describe.
  const { state: s, goneBy } = await api.describeForRelease(region, id, req.options.overrideProtection, deadline, resource);
  // DescribeInstanceAttribute carries no RegionId and finds the id in any region.
  if (s?.regionId && s.regionId !== region) throw ReleaseError.otherRegion({ resource, ids: [id] }, region, s.regionId);
  // Whether the service lists a subscription as expired (its clock, not ours) counts too.
  const listedExpired = s && s.chargeType === "PrePaid" && s.status !== RELEASED ? await api.listedAsExpired(region, id, deadline, resource) : undefined;
  // What to do is decided from these answers alone (decision.ts, which `alicloud-release plan` reports).
  const d = decideRedisRelease(s, req.options, listedExpired);
  const purge = req.options.purgeRecycleBin ? [PURGE] : [];
  switch (d.kind) {
    case "gone":
      progress(id, `already gone (${goneBy})`);
      return "already-gone";
    case "in-recycle-bin":
      progress(id, "already released: it is in the recycle bin");
      journal.plan(purge);
      return recycleBin(req, deadline, started, journal, s);
    case "retain":
    case "refuse":
      // 4. A subscription (or release protection): decided before anything is changed.
      return notReleased(req, s!, d);
  }

  // 2. Pay-as-you-go.
  journal.plan([...(d.unprotect ? [UNPROTECT] : []), INTO_BIN, ...purge]);
  if (d.unprotect) {
    journal.enter("turning release protection off (ModifyInstanceAttribute)");
    await api.modifyAttributes(region, id, { releaseProtection: false }, deadline, resource);
    journal.did(UNPROTECT);
    progress(id, "release protection turned off (overrideProtection)");
  }
  journal.enter("releasing into the recycle bin (DeleteInstance)");
  const inBin = await releaseIntoBin(req, s!, deadline);
  journal.did(INTO_BIN);
  if (!inBin) {
    // The service no longer describes it: the recycle bin may be hidden from DescribeInstanceAttribute.
    progress(id, `released (${formatDuration(Date.now() - started)}); no longer described by the API`);
    if (req.options.purgeRecycleBin) return recycleBin(req, deadline, started, journal);
    progress(id, `the recycle bin keeps it, recoverable, until about ${isoSecond(Date.now() + RECYCLE_BIN_DAYS * DAY_MS)}`);
    return "in-recycle-bin";
  }
  progress(id, `released into the recycle bin (${formatDuration(Date.now() - started)})`);
  return recycleBin(req, deadline, started, journal, inBin);
}

/** DeleteInstance, retried while the instance changes state by itself; then wait until it is Released. */
async function releaseIntoBin(req: RedisReleaseRequest, first: KvState, deadline: Deadline): Promise<KvState | null> {
  const { regionId: region, resource, instanceId: id } = req;
  let state = first;
  for (let attempt = 0; ; attempt++) {
    progress(id, `releasing (DeleteInstance${state.globalInstanceId ? `, GlobalInstanceId ${state.globalInstanceId}` : ""})`);
    const answer = await api.deleteInstance(region, state, deadline, resource);
    if (answer.accepted) break;
    if (answer.refusal.code === "InstanceReleaseProtection") throw protectionRefusal(req);
    const now = await api.describe(region, id, deadline, resource);
    if (!now || now.status === RELEASED) return now;
    const context = { resource, ids: [id], action: "DeleteInstance" };
    if (TRANSITIONAL_STATUSES.has(now.status)) {
      const delay = backoffDelay(attempt, answer.refusal, false);
      if (delay >= deadline.remainingMs()) {
        throw ReleaseError.fromApi(context, answer.refusal, KV_CATALOG, `Still refused when the delete deadline (${formatDuration(deadline.totalMs)}) was reached; last status: ${now.status}. Raise deleteTimeoutSeconds or run \`pulumi destroy\` again.`);
      }
      progress(id, `release refused while the instance is ${now.status} (IncorrectDBInstanceState); retrying in ${formatDuration(delay)}`);
      await sleep(delay);
      state = now;
      continue;
    }
    if (now.status === "Normal" && TRANSITIONAL_STATUSES.has(state.status)) {
      // Refused while the instance was still changing, and it has settled since: ask again.
      progress(id, `release refused while the instance was ${state.status} (IncorrectDBInstanceState); it is Normal now: retrying`);
      state = now;
      continue;
    }
    if (now.status === "Normal") {
      // An earlier DeleteInstance (whose reply was lost, or from an interrupted destroy) may already be under
      // way: the instance then stays Normal until it moves to the bin. Give it a while before failing.
      const budgetMs = answer.earlierAttemptUnanswered ? undefined : GRACE_MS * timeScale();
      if (answer.earlierAttemptUnanswered) progress(id, "an earlier DeleteInstance whose reply was lost was accepted; waiting for the recycle bin");
      const watched = await waitForBin(req, deadline, budgetMs);
      if (watched.done) return watched.state;
    }
    throw ReleaseError.fromApi(context, answer.refusal, KV_CATALOG, statusRemedy(now.status));
  }
  return (await waitForBin(req, deadline, undefined, TYPICAL_MS.release)).state;
}

async function waitForBin(req: RedisReleaseRequest, deadline: Deadline, budgetMs?: number, expectMs?: number): Promise<{ done: boolean; state: KvState | null }> {
  const { regionId: region, resource, instanceId: id } = req;
  const r = await waitFor({
    deadline,
    phase: "in the recycle bin (Released)",
    subject: `${resource} ${id}`,
    expectMs,
    ...POLL,
    budgetMs,
    poll: () => api.poll(region, id, deadline, resource),
    done: (s) => s === null || s.status === RELEASED,
    describe: (s) => s?.status ?? "gone",
  });
  return { done: !r.budgetSpent, state: r.state };
}

/** 3. Keep the recycle-bin entry (default) or destroy it and its backups. `seen`: the last state polled, if any. */
async function recycleBin(req: RedisReleaseRequest, deadline: Deadline, started: number, journal: Journal, seen?: KvState | null): Promise<RedisReleaseOutcome> {
  const { regionId: region, resource, instanceId: id } = req;
  if (!req.options.purgeRecycleBin) {
    // The poll that saw it in the bin (DescribeInstances) already said when it entered.
    const entered = seen?.destroyTime ?? (await api.recycleBinEntryTime(region, id, deadline, resource));
    const t = entered ? Date.parse(entered) : NaN;
    const until = Number.isFinite(t) ? isoSecond(t + RECYCLE_BIN_DAYS * DAY_MS) : `about ${isoSecond(Date.now() + RECYCLE_BIN_DAYS * DAY_MS)}`;
    progress(
      id,
      `kept in the recycle bin (not running, not billed): recoverable until ${until} (${RECYCLE_BIN_DAYS} days, as in the console), then deleted with its backups. ` +
        "Set purgeRecycleBin: true to destroy it at once.",
    );
    return "in-recycle-bin";
  }
  progress(id, "destroying it in the recycle bin (DestroyInstance): the instance and its backups are deleted permanently");
  journal.enter("destroying the recycle-bin entry (DestroyInstance)");
  await api.destroyInstance(region, id, deadline, resource);
  journal.did(PURGE);
  await waitFor({
    deadline,
    phase: "destroyed (gone from the recycle bin)",
    subject: `${resource} ${id}`,
    expectMs: TYPICAL_MS.destroy,
    ...POLL,
    poll: () => api.poll(region, id, deadline, resource),
    done: (s) => s === null,
    describe: (s) => s?.status ?? "gone",
  });
  progress(id, `destroyed (${formatDuration(Date.now() - started)})`);
  return "destroyed";
}

/** 4. Retained, or refused: release protection, or a subscription not in the recycle bin, which the API cannot release. */
function notReleased(req: RedisReleaseRequest, s: KvState, d: Extract<RedisDecision, { kind: "retain" | "refuse" }>): RedisReleaseOutcome {
  const { resource, instanceId: id } = req;
  if (d.kind === "refuse" && d.code === "InstanceReleaseProtection") throw protectionRefusal(req);
  const end = s.endTime ? Date.parse(s.endTime) : NaN;
  const expiry = s.endTime ?? "an unknown date";
  const expired = d.expired === true;
  const releaseDay = Number.isFinite(end) ? `around ${isoSecond(end + EXPIRED_RELEASE_DAYS * DAY_MS)}` : "30 days after it expired";
  const retain = req.options.onSubscription === "retain";
  if (!expired) {
    if (retain) {
      warn(id, `subscription (PrePaid) instance not expired (expires ${expiry}): left running and removed from Pulumi state (onSubscription: "retain"). It is billed until it expires.`);
      return "retained";
    }
    throw ReleaseError.refusal(
      { resource, ids: [id] },
      "ChargeTypeViolation",
      `subscription (PrePaid) instance that expires ${expiry}; the R-KVStore API cannot release a subscription before it expires, so nothing was changed.`,
      `choose one: set onSubscription: "retain" (then \`pulumi up\`) to drop it from Pulumi state and leave it running until it expires; ` +
        `wait until it expires (${expiry}): it is disabled 15 days later and released into the recycle bin automatically on day 31 (${Number.isFinite(end) ? isoSecond(end + EXPIRED_RELEASE_DAYS * DAY_MS) : "30 days after expiry"}), after which \`pulumi destroy\` completes; ` +
        "or open a support ticket to have it released early.",
    );
  }
  if (retain) {
    warn(id, `subscription (PrePaid) instance expired ${expiry} (status ${s.status}): the service releases it into the recycle bin automatically on day 31 (${releaseDay}); removed from Pulumi state (onSubscription: "retain").`);
    return "retained";
  }
  throw ReleaseError.refusal(
    { resource, ids: [id] },
    "ChargeTypeViolation",
    `subscription (PrePaid) instance that expired ${expiry} (status ${s.status}) and is not yet in the recycle bin; the API cannot release it, the service does so automatically on day 31 after expiry (${releaseDay}). Nothing was changed.`,
    `run \`pulumi destroy\` again after that date (the recycle-bin entry is then kept, or destroyed with purgeRecycleBin: true); or set onSubscription: "retain" (then \`pulumi up\`) to drop it from Pulumi state now; renew it in the console if you want to keep it.`,
  );
}

/** Release protection is on and not overridden: known from DescribeInstanceAttribute, or DeleteInstance's refusal. */
function protectionRefusal(req: RedisReleaseRequest): ReleaseError {
  return ReleaseError.refusal(
    { resource: req.resource, ids: [req.instanceId] },
    "InstanceReleaseProtection",
    "release protection (InstanceReleaseProtection) is on; nothing was changed.",
    "set overrideProtection: true (then `pulumi up`) to turn it off right before the release, or turn release protection off in the Tair (Redis) console, then destroy again.",
  );
}
