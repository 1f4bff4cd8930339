// The one pacer. Alibaba Cloud limits each API per account and region (flow control: Throttling.* answers with
// x-acs-retry-after). A destroy with hundreds of deletes in flight must not find that limit by hitting it over and
// over, so every call the client factory makes waits here first for a token of its (product, action, region)
// bucket. The bucket's rate adapts to the server's answers the way the AWS SDK v3 "adaptive" retry mode does
// (its DefaultRateLimiter): a throttled answer cuts the rate to 0.7× what was being sent, and the rate grows back
// along a cubic curve (CUBIC congestion control) that is flat near the rate that was throttled, stays just below
// it for a minute, and only then probes beyond it, slowly. Unlike the AWS SDK, the bucket is on from the first
// call, at a conservative rate, so a burst of hundreds of deletes is spread out before the first throttle rather
// than after; and the server's retry-after pauses the whole bucket, not only the call that was refused.
//
// Rates are requests per second of cloud time: ALICLOUD_RELEASE_TIME_SCALE compresses them like every poll
// interval, so a sped-up emulator sees the same pace relative to its work as the cloud would.
import { timeScale } from "./timing";

/** The pacer's tuning; the AWS SDK's constants, and the rate a bucket starts at. */
export const PACER = {
  /** Requests per (cloud) second a bucket starts at, before any answer has said anything. */
  initialRate: 10,
  /** Never slower than this, whatever the throttling (AWS: 0.5). */
  minRate: 0.5,
  /** The cut on a throttled answer (AWS: 0.7). */
  beta: 0.7,
  /**
   * How fast the rate grows back: rate(t) = scale·(t − K)³ + lastMaxRate. AWS uses 0.4; a quarter of that probes
   * beyond the last throttled rate four times more gently (every probe past the limit costs throttled answers).
   */
  scaleConstant: 0.1,
  /** Smoothing of the measured send rate (AWS: 0.8), over half-second buckets. */
  smooth: 0.8,
  /**
   * After a throttle the rate grows back to this share of the throttled rate and stays below it for `holdSeconds`
   * (AWS: none, it probes beyond the throttled rate at once). The throttled rate was over the limit; going back to
   * it would be throttled again, every few seconds, for the whole teardown.
   */
  settle: 0.95,
  holdSeconds: 60,
  /**
   * A bucket idle this long starts again from its floor (AWS: no such rule). The rate grew while calls were being
   * sent; a burst after a pause would go out at that rate at once, over a limit it never met.
   */
  idleSeconds: 1,
};

/** Rounding of token arithmetic. */
const EPSILON = 1e-9;

/** ALICLOUD_RELEASE_API_RATE: the starting rate, requests per second per action and region (default 10). */
function initialRate(): number {
  const n = Number(process.env.ALICLOUD_RELEASE_API_RATE);
  return n > 0 && Number.isFinite(n) ? n : PACER.initialRate;
}

export interface PacerClock {
  /** Seconds (of cloud time). */
  now(): number;
  /** Resolves after `seconds` of cloud time. */
  sleep(seconds: number): Promise<void>;
}

/** Real time, compressed by ALICLOUD_RELEASE_TIME_SCALE (read at each call, as everywhere else). */
export const scaledClock: PacerClock = {
  now: () => performance.now() / 1000 / timeScale(),
  sleep: (s) => new Promise((r) => setTimeout(r, Math.max(0, s * 1000 * timeScale()))),
};

/**
 * A token bucket whose fill rate adapts to throttling. Capacity is one token: calls go out evenly spaced at the
 * fill rate, never in a burst, so a server that counts requests in a sliding one-second window sees at most
 * about `rate` of them in any second.
 */
export class AdaptiveBucket {
  private tokens = 1;
  private lastRefill: number;
  private pausedUntil = 0;
  private readonly queue: (() => void)[] = [];
  private timer: Promise<void> | undefined;
  /** The rate the bucket fills at now. */
  rate: number;
  /** Smoothed rate of calls actually sent (AWS: measuredTxRate). */
  measuredRate = 0;
  private lastRateBucket: number;
  private countInBucket = 0;
  /** The rate at the last throttle (the CUBIC curve's plateau) and when it happened. */
  lastMaxRate: number;
  private lastThrottle: number;
  /** Low demand never drags the rate below this: the starting rate, or the rate just after the last cut. */
  private floorRate: number;
  /** When a call was last let through or answered. */
  private lastActive: number;
  throttles = 0;

  constructor(private readonly clock: PacerClock = scaledClock, startRate = initialRate()) {
    const now = clock.now();
    this.rate = startRate;
    this.floorRate = startRate;
    this.lastMaxRate = startRate;
    // Start on the plateau of the curve: growth beyond the starting rate is slow at first, then faster.
    this.lastThrottle = now - this.window();
    this.lastRefill = now;
    this.lastActive = now;
    this.lastRateBucket = Math.floor(now * 2) / 2;
  }

  /** Resolves when the caller may send. Callers are served in order. */
  acquire(): Promise<void> {
    this.wake();
    this.refill();
    if (this.queue.length === 0 && this.tokens >= 1 - EPSILON && this.clock.now() >= this.pausedUntil) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.queue.push(resolve);
      this.schedule();
    });
  }

  /** Every answer, throttled or not, adjusts the rate; `retryAfterSeconds` pauses the bucket. */
  answered(throttled: boolean, retryAfterSeconds?: number): void {
    const now = this.clock.now();
    this.lastActive = now;
    this.measure(now);
    let next: number;
    if (throttled) {
      this.throttles++;
      const sending = Math.min(this.measuredRate || this.rate, this.rate);
      this.lastMaxRate = sending;
      this.lastThrottle = now;
      next = sending * PACER.beta;
      this.floorRate = Math.max(PACER.minRate, next);
      if (retryAfterSeconds && retryAfterSeconds > 0) {
        this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterSeconds);
        this.tokens = Math.min(this.tokens, 0);
      }
    } else {
      const since = now - this.lastThrottle;
      let cubic = PACER.scaleConstant * (since - this.window()) ** 3 + this.lastMaxRate;
      if (this.throttles > 0) {
        // Held just below the throttled rate, then a new cubic probe from there.
        const settled = PACER.settle * this.lastMaxRate;
        cubic = since < PACER.holdSeconds ? Math.min(cubic, settled) : settled + PACER.scaleConstant * (since - PACER.holdSeconds) ** 3;
      }
      next = Math.max(this.floorRate, Math.min(cubic, 2 * this.measuredRate));
    }
    this.refill();
    this.rate = Math.max(PACER.minRate, next);
    if (this.queue.length > 0) this.schedule();
  }

  /** After idleSeconds without a call: back to the floor, and the send rate measured afresh. */
  private wake(): void {
    const now = this.clock.now();
    if (now - this.lastActive > PACER.idleSeconds && this.queue.length === 0) {
      this.rate = Math.min(this.rate, this.floorRate);
      this.measuredRate = 0;
      this.countInBucket = 0;
      this.lastRateBucket = Math.floor(now * 2) / 2;
    }
    this.lastActive = now;
  }

  private window(): number {
    return Math.cbrt((this.lastMaxRate * (1 - PACER.beta)) / PACER.scaleConstant);
  }

  private measure(now: number): void {
    const bucket = Math.floor(now * 2) / 2;
    this.countInBucket++;
    if (bucket > this.lastRateBucket) {
      const current = this.countInBucket / (bucket - this.lastRateBucket);
      this.measuredRate = current * PACER.smooth + this.measuredRate * (1 - PACER.smooth);
      this.countInBucket = 0;
      this.lastRateBucket = bucket;
    }
  }

  private refill(): void {
    const now = this.clock.now();
    const from = Math.max(this.lastRefill, this.pausedUntil);
    if (now > from) this.tokens = Math.min(1, this.tokens + (now - from) * this.rate);
    this.lastRefill = Math.max(this.lastRefill, now);
  }

  private schedule(): void {
    if (this.timer) return;
    const run = async (): Promise<void> => {
      for (;;) {
        this.refill();
        const now = this.clock.now();
        while (this.queue.length > 0 && this.tokens >= 1 - EPSILON && now >= this.pausedUntil) {
          this.tokens -= 1;
          this.queue.shift()!();
        }
        if (this.queue.length === 0) return;
        const wait = now < this.pausedUntil ? this.pausedUntil - now : (1 - this.tokens) / this.rate;
        await this.clock.sleep(Math.max(wait, 1e-6));
      }
    };
    this.timer = run().finally(() => (this.timer = undefined));
  }
}

const buckets = new Map<string, AdaptiveBucket>();

export function bucketFor(product: string, action: string, region: string): AdaptiveBucket {
  const key = `${product}:${action}:${region}`;
  let b = buckets.get(key);
  if (!b) buckets.set(key, (b = new AdaptiveBucket()));
  return b;
}

/** Forget every bucket (tests that change the time scale or the starting rate). */
export function resetPacer(): void {
  buckets.clear();
}

/** Flow-control answers: Throttling, Throttling.User, Throttling.Api, Rejected.Throttling, … */
export function isThrottle(code: unknown): boolean {
  return typeof code === "string" && /Throttling/.test(code);
}

/**
 * Runs one API call at its bucket's pace and tells the bucket how it was answered. The caller (the client factory)
 * passes the SDK's error through untouched; the retry policy decides what happens next.
 */
export async function paced<T>(product: string, action: string, region: string, call: () => Promise<T>): Promise<T> {
  const bucket = bucketFor(product, action, region);
  await bucket.acquire();
  try {
    const result = await call();
    bucket.answered(false);
    return result;
  } catch (e) {
    const err = e as { code?: unknown; retryAfter?: unknown };
    const throttled = isThrottle(err?.code);
    const retryAfterMs = typeof err?.retryAfter === "number" && err.retryAfter > 0 ? err.retryAfter : undefined;
    // retry-after is real milliseconds; the bucket counts cloud seconds.
    bucket.answered(throttled, retryAfterMs === undefined ? undefined : retryAfterMs / 1000 / timeScale());
    throw e;
  }
}
