// The one retry policy: capped exponential backoff with full jitter, aware of flow control (the server's
// retry-after wins and throttling backs off from a longer base), all under the operation's deadline.
import type * as $dara from "@darabonba/typescript";
import { Catalog } from "./catalog";
import { runtimeOptions } from "./clients";
import { ApiFailure, asApiFailure, FailureContext, ReleaseError, retryClassOf } from "./failure";
import { progress } from "./progress";
import { Deadline, DeadlineExceeded, formatDuration, sleep, timeScale } from "./timing";

export const BACKOFF = {
  baseMs: 500,
  throttleBaseMs: 1000,
  capMs: 20_000,
};

/** Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): uniform in [0, min(cap, base·2^n)]. */
export function backoffDelay(attempt: number, failure: ApiFailure, throttled: boolean, random: () => number = Math.random): number {
  const scale = timeScale();
  const base = (throttled ? BACKOFF.throttleBaseMs : BACKOFF.baseMs) * scale;
  const ceiling = Math.min(BACKOFF.capMs * scale, base * 2 ** Math.min(attempt, 20));
  const jittered = random() * ceiling;
  return throttled && failure.retryAfterMs ? Math.max(failure.retryAfterMs, jittered) : jittered;
}

export interface RetryOptions {
  deadline: Deadline;
  catalog: Catalog;
  context: FailureContext;
  /** Also retry failures of class "transition" (the caller knows the state will change by itself). */
  retryTransitions?: boolean | ((failure: ApiFailure) => boolean);
  /** Called before each retry; lifecycles use it to re-check state. Return false to stop retrying. */
  beforeRetry?: (failure: ApiFailure, attempt: number) => Promise<boolean | void>;
  /** A line for the user when a retry is due to something they can act on (not for every throttle). */
  progressId?: string;
}

/**
 * Runs `op` until it succeeds, fails with a code retrying cannot fix, or the deadline passes. Failures are
 * thrown as ReleaseError with the catalog's meaning and remedy; "gone" failures are returned to the caller
 * through `onGone` semantics: they are rethrown as-is (an ApiFailure) so the caller decides.
 */
export async function withRetry<T>(op: (runtime: $dara.RuntimeOptions) => Promise<T>, o: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let failure: ApiFailure;
    try {
      // Each attempt's HTTP timeout ends with the deadline: one slow request cannot outlive the operation.
      return await op(runtimeOptions(o.deadline));
    } catch (e) {
      if (e instanceof ReleaseError || e instanceof DeadlineExceeded) throw e;
      failure = asApiFailure(e);
    }
    const cls = retryClassOf(failure, o.catalog);
    if (cls === "gone") throw new GoneFailure(failure, o.context);
    const transition = cls === "transition" && (typeof o.retryTransitions === "function" ? o.retryTransitions(failure) : Boolean(o.retryTransitions));
    if (cls !== "throttle" && cls !== "transient" && !transition) throw ReleaseError.fromApi(o.context, failure, o.catalog);
    if (o.beforeRetry && (await o.beforeRetry(failure, attempt)) === false) throw ReleaseError.fromApi(o.context, failure, o.catalog);
    const delay = backoffDelay(attempt, failure, cls === "throttle");
    if (delay >= o.deadline.remainingMs()) {
      throw ReleaseError.fromApi(o.context, failure, o.catalog, `Gave up retrying after ${attempt + 1} attempts: the delete deadline (${formatDuration(o.deadline.totalMs)}) would pass. Raise deleteTimeoutSeconds or run the command again.`);
    }
    if (o.progressId && transition) progress(o.progressId, `${o.context.action} answered ${failure.code}; retrying in ${formatDuration(delay)}`);
    await sleep(delay);
  }
}

/**
 * The resource is already gone: a release treats this as success. Where a caller does not expect it (an update,
 * turning protection off) it reaches the user, so its message says which resource, instance and call.
 */
export class GoneFailure extends Error {
  constructor(readonly failure: ApiFailure, context?: FailureContext) {
    super(
      context
        ? `${context.resource} ${context.ids.join(", ")}: ${context.action} answered ${failure.code}: the instance no longer exists (${failure.serviceMessage}).\n` +
            "  What to do: if it was released, `pulumi refresh` drops it from state (and `pulumi destroy` counts it as released)." +
            `\n  RequestId: ${failure.requestId ?? "none"}`
        : `${failure.code}: ${failure.serviceMessage}`,
    );
    this.name = "GoneFailure";
  }
}
