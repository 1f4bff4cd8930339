// The one waiter, in the manner of the AWS SDK v3 waiters and the CDK provider framework's isComplete: poll
// until a condition holds, with growing intervals, bounded by the operation's deadline. On timeout the error
// says which phase it was in, how long it waited and the last status seen.
//
// The schedule follows the transition: a caller that has just started one (a stop, a release) says how long it
// typically takes (`expectMs`), and the first poll comes then, not earlier, when it could only see the old status;
// after that, polls come every `minDelayMs`, growing by half each time up to `maxDelayMs`.
import { progress } from "./progress";
import { Deadline, DeadlineExceeded, formatDuration, sleep, timeScale } from "./timing";

export interface WaitOptions<S> {
  deadline: Deadline;
  /** e.g. "stopped", "released": used in messages ("waiting for i-x to be stopped"). */
  phase: string;
  /** Shown in the timeout message: "ecs.Instance i-xxx". */
  subject: string;
  poll: () => Promise<S>;
  done: (state: S) => boolean;
  /** A short text for the last state seen (status), for progress and timeout messages. */
  describe: (state: S) => string;
  /** Stop waiting early (e.g. the waiter's own budget inside the delete deadline), default: the deadline. */
  budgetMs?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** How long the transition being waited for typically takes (cloud ms): the first poll comes after it. */
  expectMs?: number;
  /** Also stop, without error, when this returns true (e.g. a terminal state the caller handles). */
  abort?: (state: S) => boolean;
  progressId?: string;
}

export interface WaitResult<S> {
  state: S;
  waitedMs: number;
  /** True when the budget (not the deadline) ran out first. */
  budgetSpent: boolean;
}

export async function waitFor<S>(o: WaitOptions<S>): Promise<WaitResult<S>> {
  const started = Date.now();
  const scale = timeScale();
  let delay = (o.minDelayMs ?? 2000) * scale;
  const maxDelay = (o.maxDelayMs ?? 15000) * scale;
  let lastText = "";
  let state: S | undefined;
  // Just after the typical duration (a poll at the very instant could still see the old status).
  if (o.expectMs) await sleep(Math.min((o.expectMs + 250) * scale, Math.max(0, o.deadline.remainingMs() - 1), o.budgetMs ?? Infinity));
  for (;;) {
    state = await o.poll();
    const text = o.describe(state);
    const waitedMs = Date.now() - started;
    // The caller reports the end itself; a line per status change in between.
    if (o.done(state) || o.abort?.(state)) return { state, waitedMs, budgetSpent: false };
    if (o.progressId && text !== lastText && lastText !== "") progress(o.progressId, text);
    lastText = text;
    if (o.budgetMs !== undefined && waitedMs + delay > o.budgetMs) return { state, waitedMs, budgetSpent: true };
    if (delay >= o.deadline.remainingMs()) {
      throw new DeadlineExceeded(
        `${o.subject}: gave up waiting to be ${o.phase} after ${formatDuration(waitedMs)} (the delete deadline of ${formatDuration(o.deadline.totalMs)} was reached); last status: ${text}.\n` +
          `  What to do: the release may still complete on its own. Run \`pulumi destroy\` again (it resumes where this one stopped), or raise deleteTimeoutSeconds.`,
      );
    }
    await sleep(delay);
    delay = Math.min(maxDelay, delay * 1.5);
  }
}
