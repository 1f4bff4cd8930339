// The ECS release procedure, as documented (seeds 001/002, alicloud-apis.md §1.3–§1.6):
//   1. describe: an instance no longer listed is already released;
//   2. preflight before changing anything: release protection, unexpired subscriptions, security locks, and the
//      RAM permission (DryRun) of the calls that come after the first change, so that a denied release fails
//      before the stop;
//   3. stop gracefully and wait for Stopped, escalating to ForceStop when the graceful stop takes too long
//      (or, with `force`, skip the stop and release with Force=true);
//   4. DeleteInstances (expired subscriptions with TerminateSubscription=true);
//   5. success only once DescribeInstances no longer lists the instance.
// It serves one instance (ecs.Instance) and many (ecs.InstanceSet) alike; the API layer batches and coalesces.
import { ApiFailure, journaled, ReleaseError } from "../core/failure";
import { DeleteOptions } from "../core/options";
import { progress, warn } from "../core/progress";
import { backoffDelay } from "../core/retry";
import { Deadline, formatDuration, sleep } from "../core/timing";
import { waitFor } from "../core/waiter";
import { lookup } from "../core/catalog";
import { Journal } from "../core/permissions";
import * as api from "./api";
import { EcsInstanceState } from "./api";
import { decideEcsRelease, isExpired } from "./decision";
import { ECS_CATALOG } from "./errors";

export interface EcsReleaseRequest {
  /** "ecs.Instance" or "ecs.InstanceSet", for messages. */
  resource: string;
  regionId: string;
  instanceIds: string[];
  options: DeleteOptions;
  /** How long a graceful stop may take before ForceStop (bounded by the deadline). */
  stopTimeoutSeconds: number;
}

export interface EcsReleaseOutcome {
  released: string[];
  alreadyGone: string[];
  /** Unexpired subscriptions left running because onSubscription is "retain". */
  retained: string[];
}

export const DEFAULT_STOP_TIMEOUT_SECONDS = 300;

/**
 * How long the transitions typically take (cloud ms): a graceful stop, a forced one, and a release until
 * DescribeInstances no longer lists the instance. The waits poll first at these, then every 1 s growing to 4 s.
 */
export const TYPICAL_MS = { stop: 20_000, forceStop: 3_000, release: 10_000 };
const POLL = { minDelayMs: 1000, maxDelayMs: 4000 };

export { isExpired } from "./decision";

// The changes a release makes, in order, as a denial's message lists them (done and not done).
const UNPROTECT = "release protection turned off (ModifyInstanceAttribute)";
const CONVERT = "switched to pay-as-you-go (ModifyInstanceChargeType)";
const STOP = "stopped (StopInstances)";
const RELEASE = "released (DeleteInstances)";

export function releaseEcsInstances(req: EcsReleaseRequest): Promise<EcsReleaseOutcome> {
  return journaled((journal) => releaseSteps(req, journal));
}

async function releaseSteps(req: EcsReleaseRequest, journal: Journal): Promise<EcsReleaseOutcome> {
  const deadline = Deadline.seconds(req.options.deleteTimeoutSeconds);
  const { regionId: region, resource } = req;
  const ids = [...new Set(req.instanceIds)];
  const started = Date.now();

  // 1. Describe.
  let states = await api.describe(region, ids, deadline, resource);
  const alreadyGone = ids.filter((id) => !states.get(id));
  for (const id of alreadyGone) progress(id, "already released (not listed by DescribeInstances)");
  const live = ids.map((id) => states.get(id)).filter((s): s is EcsInstanceState => Boolean(s));

  // 2. Preflight: decide everything before changing anything (decision.ts).
  const refusals: string[] = [];
  const retained: string[] = [];
  const toConvert: string[] = [];
  const toUnprotect: string[] = [];
  for (const s of live) {
    const d = decideEcsRelease(s, req.options);
    if (d.kind === "refuse") refusals.push(...d.reason.split("\n"));
    else if (d.kind === "retain") retained.push(s.instanceId);
    else {
      if (d.unprotect) toUnprotect.push(s.instanceId);
      if (d.convert) toConvert.push(s.instanceId);
    }
  }
  if (refusals.length > 0) {
    throw new ReleaseError(`${resource} ${ids.join(", ")}: not released; nothing was changed:\n${refusals.map((r) => `  - ${r}`).join("\n")}`, refusalCode(live, req.options));
  }
  for (const id of retained) {
    const s = states.get(id)!;
    warn(id, `subscription instance not expired (expires ${s.expiredTime ?? "?"}): left running and removed from Pulumi state (onSubscription: "retain"). It is billed until it expires.`);
  }
  let work = live.map((s) => s.instanceId).filter((id) => !retained.includes(id));
  if (work.length === 0) return { released: [], alreadyGone, retained };
  for (const s of live) {
    if (work.includes(s.instanceId) && s.lockReasons.includes("security")) {
      progress(s.instanceId, "locked for security: releasing anyway; its disks are released with it even where DeleteWithInstance=false");
    }
  }

  // 2b. Permissions, checked before anything changes.
  journal.plan([...(toUnprotect.length ? [UNPROTECT] : []), ...(toConvert.length ? [CONVERT] : []), ...(req.options.force ? [] : [STOP]), RELEASE]);
  const toStop = req.options.force ? [] : work.filter((id) => states.get(id)?.status !== "Stopped");
  await checkPermissions(req, { changesFirst: toUnprotect.length + toConvert.length > 0, toStop, toRelease: work }, deadline, journal);

  // 3a. Changes the preflight allowed.
  journal.enter("turning release protection off (ModifyInstanceAttribute)");
  for (const id of toUnprotect) {
    await api.disableDeletionProtection(region, id, deadline, resource);
    progress(id, "release protection turned off (overrideProtection)");
  }
  if (toUnprotect.length) journal.did(UNPROTECT);
  if (toConvert.length > 0) {
    journal.enter("switching to pay-as-you-go (ModifyInstanceChargeType)");
    for (const id of toConvert) progress(id, "converting subscription to pay-as-you-go before release (ModifyInstanceChargeType; uses the account's monthly refund quota)");
    await api.convertToPayAsYouGo(region, toConvert, deadline, resource);
    journal.did(CONVERT);
    states = await api.describe(region, ids, deadline, resource);
  }

  // 3b. Stop. What was just described is not described again: the stop starts from the preflight's states.
  if (!req.options.force) {
    journal.enter("stopping (StopInstances)");
    ({ ids: work, states } = await stopAll(req, work, deadline, states, (stopped) => journal.didFor(STOP, stopped, toStop)));
    journal.did(STOP);
  }

  // 4. Release (from the last states seen), and 5. wait until DescribeInstances no longer lists them.
  journal.enter("releasing (DeleteInstances)");
  await releaseAll(req, work, deadline, states, (released) => journal.didFor(RELEASE, released, work));
  journal.did(RELEASE);
  journal.enter("waiting until DescribeInstances no longer lists them");
  await waitFor({
    deadline,
    phase: "released",
    subject: `${resource} ${work.join(", ")}`,
    expectMs: TYPICAL_MS.release,
    ...POLL,
    poll: () => api.describe(region, work, deadline, resource),
    done: (m) => [...m.values()].every((s) => s === null),
    describe: (m) => summarize(m),
  });
  const took = formatDuration(Date.now() - started);
  for (const id of work) progress(id, `released (${took})`);
  return { released: work, alreadyGone, retained };
}

/**
 * DryRun, before the first change, of the calls that come after it: the first change needs none, since RAM denying
 * it changes nothing (with nothing to unprotect or convert: the stop, or with `force` or all stopped, the release).
 * Every denied action is named, so one policy edit fixes them all: when the release is denied, the stop is asked too.
 */
async function checkPermissions(
  req: EcsReleaseRequest,
  plan: { changesFirst: boolean; toStop: string[]; toRelease: string[] },
  deadline: Deadline,
  journal: Journal,
): Promise<void> {
  const { regionId: region, resource } = req;
  const { changesFirst, toStop, toRelease } = plan;
  if (!changesFirst && toStop.length === 0) return;
  journal.enter("the permission check before any change (DryRun)");
  const denialOf = async (action: api.CheckedAction, ids: string[]): Promise<ReleaseError | undefined> =>
    (await Promise.all(api.checkPermission(region, action, ids, deadline, resource))).find((r) => r.denial)?.denial ?? undefined;
  const stop = changesFirst ? denialOf("StopInstances", toStop) : undefined;
  const release = await denialOf("DeleteInstances", toRelease);
  const denials = [await (stop ?? (release ? denialOf("StopInstances", toStop) : undefined)), release].filter((d): d is ReleaseError => Boolean(d));
  if (denials.length === 0) return;
  const [first, ...others] = denials;
  if (others.length === 0) throw first;
  const also = others.map((d) => d.deniedAction!);
  throw first.withLines([`Also denied: ${also.join(", ")}; add ${also.length > 1 ? "them" : "it"} to the same statement's Action list.`]);
}

function refusalCode(live: EcsInstanceState[], options: DeleteOptions): string {
  return live.some((s) => s.deletionProtection && !options.overrideProtection) ? "InvalidOperation.DeletionProtection" : "ChargeTypeViolation";
}

function summarize(m: Map<string, EcsInstanceState | null>): string {
  const counts = new Map<string, number>();
  for (const s of m.values()) counts.set(s ? s.status : "released", (counts.get(s ? s.status : "released") ?? 0) + 1);
  if (m.size === 1) return [...counts.keys()][0];
  return [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
}

type States = Map<string, EcsInstanceState | null>;

/**
 * Graceful stop, escalated to ForceStop after the stop budget. Starts from `known` states when given (not described
 * again). Returns the ids still to release and their last states. On a failure, `stoppedBefore` is told which
 * instances it had asked to stop.
 */
async function stopAll(req: EcsReleaseRequest, ids: string[], deadline: Deadline, known?: States, stoppedBefore?: (ids: string[]) => void): Promise<{ ids: string[]; states: States }> {
  const { regionId: region, resource } = req;
  const asked = new Map<string, "graceful" | "force">();
  const stopStarted = new Map<string, number>();
  const reported = new Set<string>();

  const drive = (force: boolean) => async (given?: States): Promise<States> => {
    const states = given ?? (await api.describe(region, ids, deadline, resource));
    const toStop: string[] = [];
    for (const [id, s] of states) {
      if (!s) continue;
      if (s.status === "Stopped" && stopStarted.has(id) && !reported.has(id)) {
        reported.add(id);
        progress(id, `stopped after ${formatDuration(Date.now() - stopStarted.get(id)!)}`);
      }
      const wanted = force ? "force" : "graceful";
      const stoppable = s.status === "Running" || (force && s.status === "Stopping");
      if (stoppable && asked.get(id) !== wanted && !(wanted === "graceful" && asked.get(id) === "force")) toStop.push(id);
    }
    if (toStop.length > 0) {
      for (const id of toStop) {
        if (!stopStarted.has(id)) stopStarted.set(id, Date.now());
        asked.set(id, force ? "force" : "graceful");
        progress(id, force ? "stopping (forced)" : "stopping (graceful)");
      }
      const results = await Promise.all(api.stop(region, toStop, force, deadline, resource));
      const failed = results.flatMap((r, i) => {
        if (r.ok || !r.code) return [];
        const entry = lookup(r.code, ECS_CATALOG);
        // Already stopping/stopped or expired (an expired instance is already stopped): the poll will see it.
        if (entry?.retry === "transition" || entry?.retry === "gone" || r.code === "InstanceExpiredOrInArrears") {
          asked.delete(toStop[i]);
          return [];
        }
        return [{ id: toStop[i], r }];
      });
      if (failed.length > 0) {
        const [{ id, r }] = failed;
        stoppedBefore?.([...asked.keys()].filter((a) => !failed.some((f) => f.id === a)));
        throw r.error ?? ReleaseError.fromApi({ resource, ids: [id], action: "StopInstances" }, { code: r.code!, serviceMessage: r.message ?? "", requestId: r.requestId }, ECS_CATALOG);
      }
    }
    return states;
  };

  const allStopped = (m: Map<string, EcsInstanceState | null>): boolean => [...m.values()].every((s) => s === null || s.status === "Stopped");
  const budgetMs = Math.min(req.stopTimeoutSeconds * 1000, deadline.remainingMs());
  const started = Date.now();
  // The first drive sends StopInstances from the states already known; the first poll comes when a stop is typically done.
  const first = await drive(false)(known && ids.every((id) => known.has(id)) ? new Map(ids.map((id) => [id, known.get(id)!])) : undefined);
  let final = first;
  if (!allStopped(first)) {
    const graceful = await waitFor({
      deadline, phase: "stopped", subject: `${resource} ${ids.join(", ")}`, expectMs: TYPICAL_MS.stop, ...POLL,
      budgetMs: Math.max(0, budgetMs - (Date.now() - started)), poll: () => drive(false)(), done: allStopped, describe: summarize,
    });
    final = graceful.state;
    if (graceful.budgetSpent) final = await forceStop(final);
  }
  return { ids: ids.filter((id) => final.get(id)), states: final };

  async function forceStop(current: States): Promise<States> {
    for (const [id, s] of current) if (s && s.status !== "Stopped") progress(id, `graceful stop did not finish within ${formatDuration(budgetMs)}; forcing the stop`);
    const forced = await drive(true)();
    if (allStopped(forced)) return forced;
    return (
      await waitFor({
        deadline, phase: "stopped", subject: `${resource} ${ids.join(", ")}`, expectMs: TYPICAL_MS.forceStop, ...POLL,
        poll: () => drive(true)(), done: allStopped, describe: summarize,
      })
    ).state;
  }
}

/**
 * DeleteInstances in batches, first from the `known` states (the last poll of the stop); instances whose release is
 * refused for a passing reason are described again and retried. On a failure, `releasedBefore` is told which
 * instances were released.
 */
async function releaseAll(req: EcsReleaseRequest, ids: string[], deadline: Deadline, known: States, releasedBefore: (ids: string[]) => void): Promise<void> {
  const { regionId: region, resource } = req;
  const released: string[] = [];
  let todo = ids;
  for (let attempt = 0; todo.length > 0; attempt++) {
    const states = attempt === 0 && todo.every((id) => known.has(id)) ? known : await api.describe(region, todo, deadline, resource);
    const present = todo.filter((id) => states.get(id));
    const groups = new Map<boolean, string[]>();
    for (const id of present) {
      const terminate = isExpired(states.get(id)!);
      groups.set(terminate, [...(groups.get(terminate) ?? []), id]);
    }
    const retry: { id: string; failure: ApiFailure }[] = [];
    const answers = await Promise.all(
      [...groups].map(async ([terminate, group]) => {
        for (const id of group) progress(id, `releasing (DeleteInstances${req.options.force ? ", Force" : ""}${terminate ? ", TerminateSubscription" : ""})`);
        const results = await Promise.all(api.release(region, group, { force: req.options.force, terminateSubscription: terminate }, deadline, resource));
        return group.map((id, i) => ({ id, r: results[i] }));
      }),
    );
    let fatal: ReleaseError | undefined;
    for (const { id, r } of answers.flat()) {
      if (r.ok) {
        released.push(id);
        continue;
      }
      const failure: ApiFailure = { code: r.code ?? "Unknown", serviceMessage: r.message ?? "", requestId: r.requestId };
      if (lookup(failure.code, ECS_CATALOG)?.retry === "transition") retry.push({ id, failure });
      else fatal ??= r.error ?? (r.message?.includes("What to do:") ? new ReleaseError(r.message, failure.code, r.requestId) : null) ?? ReleaseError.fromApi({ resource, ids: [id], action: "DeleteInstances" }, failure, ECS_CATALOG);
    }
    if (fatal) {
      releasedBefore(released);
      throw fatal;
    }
    if (retry.length === 0) return;
    const delay = backoffDelay(attempt, retry[0].failure, false);
    if (delay >= deadline.remainingMs()) {
      const { id, failure } = retry[0];
      throw ReleaseError.fromApi({ resource, ids: retry.map((r) => r.id), action: "DeleteInstances" }, failure, ECS_CATALOG, `Still refused when the delete deadline (${formatDuration(deadline.totalMs)}) was reached, for ${id}${retry.length > 1 ? ` and ${retry.length - 1} more` : ""}.`);
    }
    for (const { id, failure } of retry) progress(id, `release refused for now (${failure.code}); retrying in ${formatDuration(delay)}`);
    await sleep(delay);
    todo = retry.map((r) => r.id);
    // An instance that was started again meanwhile must be stopped again first.
    if (!req.options.force) {
      const again = await api.describe(region, todo, deadline, resource);
      const running = todo.filter((id) => again.get(id)?.status === "Running" || again.get(id)?.status === "Stopping");
      if (running.length > 0) await stopAll(req, running, deadline, again);
    }
  }
}

