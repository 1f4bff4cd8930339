// The MongoDB (DDS) release procedure, as documented (alicloud-apis.md §2.4-§2.7, seed 000):
//   1. describe (the region's DescribeDBInstances, else DescribeDBInstanceAttribute): an instance that is not
//      found is already released;
//   2. pay-as-you-go: refuse while release protection is on (unless overrideProtection turns it off first), then
//      DeleteDBInstance, retried while the instance is busy with another operation;
//   3. subscription: released only once expired and under the expiry lock (LockMode LockByExpiration), with
//      DestroyInstance; an expired one that is not locked yet is waited for; an unexpired one fails or is retained;
//   4. success only once the instance is not found any more;
//   5. a released pay-as-you-go replica set stays in the recycle bin for 7 days: the line says until when. The
//      API has no call that empties the bin sooner (DestroyInstance only releases expired subscriptions).
import { ApiFailure, journaled, ReleaseError } from "../core/failure";
import { DeleteOptions } from "../core/options";
import { Journal } from "../core/permissions";
import { progress, warn } from "../core/progress";
import { GoneFailure } from "../core/retry";
import { Deadline, DeadlineExceeded, formatDuration, isoSecond } from "../core/timing";
import { waitFor } from "../core/waiter";
import * as api from "./api";
import { CallContext, DdsInstanceState, isGone, RetryExtras } from "./api";
import { decideMongoRelease, EXPIRY_LOCK } from "./decision";
import { DDS_CATALOG, STATUS_CONFLICT_CODES } from "./errors";

export interface MongoReleaseRequest {
  /** "mongodb.Instance", for messages. */
  resource: string;
  regionId: string;
  dbInstanceId: string;
  options: DeleteOptions;
}

export type MongoReleaseOutcome = "released" | "alreadyGone" | "retained";

export { EXPIRY_LOCK, isExpired } from "./decision";

/** How long a release typically takes (Deleting → gone, cloud ms): the wait polls first then, then every 2 s growing to 8 s. */
export const TYPICAL_RELEASE_MS = 60_000;

/**
 * DBInstanceStatus values that do not change by themselves, so a release refused in them is not retried. The
 * documented list (doc "Instance states") is all transitional apart from Running; these are the values other
 * DDS docs and the console use for locked or broken instances (UNCERTAIN whether the API returns each of them).
 */
export const TERMINAL_STATUSES = ["Locking", "Locked", "Expired", "Released", "Abnormal", "Unavailable", "Error"];

/** A refusal with the instance shown Running may be a race with an operation that just ended: retried a few times. */
export const MAX_RUNNING_CONFLICTS = 3;

export type StatusKind = "ready" | "releasing" | "terminal" | "transitional";

export function statusKind(status: string): StatusKind {
  if (status === "Running") return "ready";
  if (status === "Deleting") return "releasing";
  if (TERMINAL_STATUSES.includes(status)) return "terminal";
  return "transitional";
}


/** Found out while retrying a release call: the instance is gone or already being released. */
class Settled extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

const UNPROTECT = "release protection turned off (ModifyDBInstanceAttribute)";
const released = (action: string): string => `released (${action})`;

export function releaseMongoInstance(req: MongoReleaseRequest): Promise<MongoReleaseOutcome> {
  return journaled((journal) => releaseSteps(req, journal));
}

async function releaseSteps(req: MongoReleaseRequest, journal: Journal): Promise<MongoReleaseOutcome> {
  const { regionId: region, dbInstanceId: id, resource } = req;
  const deadline = Deadline.seconds(req.options.deleteTimeoutSeconds);
  const c: CallContext = { deadline, resource };
  const started = Date.now();

  const s = await api.describeForRelease(region, id, c);
  if (isGone(s)) {
    progress(id, `already released (${s.gone})`);
    return "alreadyGone";
  }
  // DescribeDBInstanceAttribute is sent without RegionId and finds the id in any region.
  if (s.regionId && s.regionId !== region) throw ReleaseError.otherRegion({ resource, ids: [id] }, region, s.regionId);
  // What to do is decided from this one describe (decision.ts, which `alicloud-release plan` reports).
  const d = decideMongoRelease(s, req.options);
  switch (d.kind) {
    case "gone":
      return "alreadyGone";
    case "releasing":
      progress(id, "already being released (Deleting); waiting until it is gone");
      break;
    case "refuse":
      throw refusal(req, s, d.code);
    case "retain":
      warn(id, `subscription instance not expired (expires ${d.expireTime ?? "an unknown date"}): left running and removed from Pulumi state (onSubscription: "retain"). It is billed until it expires; after expiry Alibaba Cloud locks it and later releases it unless it is renewed.`);
      return "retained";
    default:
      journal.plan([...(d.action === "DeleteDBInstance" && d.unprotect ? [UNPROTECT] : []), released(d.action)]);
      if (d.action === "DeleteDBInstance") await releasePayAsYouGo(req, d.unprotect, c, journal);
      else await releaseSubscription(req, s, d.waitForLock, c, journal);
  }
  journal.enter("waiting until the instance is gone (DescribeDBInstances)");

  // Polled through DescribeDBInstances, one call for every MongoDB delete in flight in the region.
  const type = s.dbInstanceType ?? "replicate";
  await waitFor({
    deadline,
    phase: "released",
    subject: `${resource} ${id}`,
    expectMs: s.status === "Deleting" ? undefined : TYPICAL_RELEASE_MS,
    minDelayMs: 2000,
    maxDelayMs: 8000,
    poll: async () => (await api.poll(region, type, [id], c)).get(id) ?? null,
    done: (st) => st === null,
    describe: (st) => st?.status ?? "released",
    progressId: id,
  });
  progress(id, `released (${formatDuration(Date.now() - started)})`);
  if (s.chargeType !== "PrePaid") await reportRecycleBin(req, s, c);
  return "released";
}

const DAY_MS = 86_400_000;
/** How long the recycle bin keeps a released instance (doc "Release an instance"). */
export const RECYCLE_BIN_DAYS = 7;


/** Standalone instance classes, which the recycle bin does not keep: mdb.single.*, dds.sn*.*, dds.n2.small.1. */
export const isStandaloneClass = (dbInstanceClass: string | undefined): boolean => /^(mdb\.single\.|dds\.s?n\d)/.test(dbInstanceClass ?? "");

/** 5. Where a released pay-as-you-go instance is now, and until when it can be recovered. */
async function reportRecycleBin(req: MongoReleaseRequest, s: DdsInstanceState, c: CallContext): Promise<void> {
  const { regionId: region, dbInstanceId: id } = req;
  if (isStandaloneClass(s.dbInstanceClass)) {
    progress(id, `not kept in the recycle bin: a standalone instance (${s.dbInstanceClass}) cannot be recovered once released`);
    return;
  }
  // Not listed, or the list unreadable: the docs still promise 7 days for a released replica set, from about now
  // (whether the real API lists the bin with DBInstanceStatus=Released is not documented).
  const entry = await api.recycleBinEntry(region, id, c, s.dbInstanceType);
  const entered = entry?.destroyTime ? Date.parse(entry.destroyTime) : NaN;
  const until = Number.isFinite(entered) ? isoSecond(entered + RECYCLE_BIN_DAYS * DAY_MS) : `about ${isoSecond(Date.now() + RECYCLE_BIN_DAYS * DAY_MS)}`;
  progress(
    id,
    `kept in the recycle bin (not running, not billed): recoverable from the MongoDB console's Recycle Bin until ${until} (${RECYCLE_BIN_DAYS} days), then deleted for good. ` +
      "The API cannot empty the bin sooner (DestroyInstance only releases expired subscriptions).",
  );
}

function refusal(req: MongoReleaseRequest, s: DdsInstanceState, code: "InstanceReleaseProtection" | "ChargeTypeViolation"): ReleaseError {
  const target = { resource: req.resource, ids: [req.dbInstanceId] };
  if (code === "InstanceReleaseProtection") {
    return ReleaseError.refusal(
      target,
      "InstanceReleaseProtection",
      "release protection (DBInstanceReleaseProtection) is on; nothing was changed.",
      "set overrideProtection: true (then `pulumi up`) to turn it off right before release, or set releaseProtection: false (then `pulumi up`), or turn it off in the MongoDB console; then run `pulumi destroy` again.",
    );
  }
  return ReleaseError.refusal(
    target,
    "ChargeTypeViolation",
    `it is a subscription (PrePaid) instance that has not expired (expires ${s.expireTime ?? "an unknown date"}); the API releases a subscription only after it has expired and been locked (DestroyInstance). Nothing was changed.`,
    `set onSubscription: "retain" (then \`pulumi up\`) to leave it running until it expires and drop it from Pulumi state; ` +
      `or unsubscribe it in the Alibaba Cloud console and run \`pulumi destroy\` again; or wait until it expires and is locked, then run \`pulumi destroy\` again. ` +
      `(onSubscription: "convert" is not offered for MongoDB.)`,
  );
}

async function releasePayAsYouGo(req: MongoReleaseRequest, unprotect: boolean, c: CallContext, journal: Journal): Promise<void> {
  const { regionId: region, dbInstanceId: id } = req;
  if (unprotect) {
    journal.enter("turning release protection off (ModifyDBInstanceAttribute)");
    try {
      await api.modifyAttribute(region, id, { releaseProtection: false }, c);
    } catch (e) {
      if (e instanceof GoneFailure) return;
      throw e;
    }
    journal.did(UNPROTECT);
    progress(id, "release protection turned off (overrideProtection)");
  }
  progress(id, "releasing (DeleteDBInstance)");
  journal.enter("releasing (DeleteDBInstance)");
  await requestRelease(req, "DeleteDBInstance", (extras) => api.deleteInstance(region, id, c, extras), c);
  journal.did(released("DeleteDBInstance"));
}

/** An expired subscription: wait for the expiry lock if it is not on yet, then DestroyInstance. */
async function releaseSubscription(req: MongoReleaseRequest, s: DdsInstanceState, waitForLock: boolean, c: CallContext, journal: Journal): Promise<"requested"> {
  const { regionId: region, dbInstanceId: id, resource } = req;
  if (waitForLock) {
    progress(id, `subscription expired${s.expireTime ? ` at ${s.expireTime}` : ""} but not locked yet (LockMode ${s.lockMode}); waiting for the expiry lock (LockMode ${EXPIRY_LOCK}) that DestroyInstance requires`);
    let locked: DdsInstanceState | null;
    try {
      ({ state: locked } = await waitFor({
        deadline: c.deadline,
        phase: `under the expiry lock (LockMode ${EXPIRY_LOCK})`,
        subject: `${resource} ${id}`,
        minDelayMs: 5000,
        maxDelayMs: 60000,
        poll: () => api.describeOrNull(region, id, c),
        done: (st) => st === null || st.lockMode === EXPIRY_LOCK || st.status === "Deleting",
        describe: (st) => (st ? `${st.status}, LockMode ${st.lockMode}` : "released"),
        progressId: id,
      }));
    } catch (e) {
      if (!(e instanceof DeadlineExceeded)) throw e;
      throw new DeadlineExceeded(
        `${e.message}\n  Note: the subscription expired${s.expireTime ? ` at ${s.expireTime}` : ""}; Alibaba Cloud applies the expiry lock some time after expiry (the docs disagree: at once or after up to 15 days), ` +
          "and DestroyInstance cannot release it before. Run `pulumi destroy` again later, or drop it from state with `pulumi state delete` and let Alibaba Cloud release the expired instance itself.",
      );
    }
    if (locked === null || locked.status === "Deleting") return "requested";
  }
  progress(id, "expired and locked; releasing (DestroyInstance)");
  journal.enter("releasing (DestroyInstance)");
  await requestRelease(req, "DestroyInstance", (extras) => api.destroyInstance(region, id, c, extras), c);
  journal.did(released("DestroyInstance"));
  return "requested";
}

/**
 * Runs a release call, retrying the status conflicts only while DescribeDBInstanceAttribute shows a status that
 * will change by itself; a status that will not fails at once, with it named.
 */
async function requestRelease(req: MongoReleaseRequest, action: string, run: (extras: RetryExtras) => Promise<void>, c: CallContext): Promise<void> {
  const { regionId: region, dbInstanceId: id, resource } = req;
  let runningConflicts = 0;
  let reported = "";
  const fail = (failure: ApiFailure, note: string): ReleaseError => ReleaseError.fromApi({ resource, ids: [id], action }, failure, DDS_CATALOG, note);
  try {
    await run({
      retryTransitions: (f) => STATUS_CONFLICT_CODES.includes(f.code),
      beforeRetry: async (failure) => {
        if (!STATUS_CONFLICT_CODES.includes(failure.code)) return true;
        const now = await api.describe(region, id, c);
        if (isGone(now)) throw new Settled(`already released (${now.gone})`);
        const kind = statusKind(now.status);
        if (kind === "releasing") throw new Settled("already being released (Deleting)");
        if (kind === "terminal") {
          throw fail(failure, `The instance is ${now.status}, a status that does not change by itself, so retrying cannot help: resolve it in the MongoDB console, then run \`pulumi destroy\` again.`);
        }
        if (kind === "ready" && ++runningConflicts > MAX_RUNNING_CONFLICTS) {
          throw fail(failure, `DescribeDBInstanceAttribute shows the instance Running, yet ${action} refused it ${runningConflicts} times: an operation the status does not show (a backup, a node change) may be holding it. Check the instance's tasks in the MongoDB console, then run \`pulumi destroy\` again.`);
        }
        if (kind === "transitional") runningConflicts = 0;
        if (now.status !== reported) {
          reported = now.status;
          progress(id, `${action} refused while the instance is ${now.status} (${failure.code}); retrying until it can be released`);
        }
        return true;
      },
    });
  } catch (e) {
    if (e instanceof Settled) return progress(id, e.why);
    if (e instanceof GoneFailure) return progress(id, `${action} answered ${e.failure.code}: already released`);
    throw e;
  }
}
