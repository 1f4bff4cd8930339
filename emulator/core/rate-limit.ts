// Flow control like the cloud's: a per-action, per-region budget of requests per second. Over budget the
// request is refused with Throttling.User, and the answer says when a retry can succeed.
//
// The second is the emulator's own: the sliding window is 1000 × timeScale real ms, as every transition is
// compressed by the time scale. "20 requests/s" at time scale 0.04 is then 20 requests per emulated second (500 per
// real second), the same budget relative to the work as the cloud's, and clients that scale their own pace by the
// same factor (ALICLOUD_RELEASE_TIME_SCALE) see the cloud's behaviour. Retry-after is in real milliseconds.

const KEY = /^(ecs|dds|r-kvstore|vpc|\*):(\*|[A-Za-z]+)$/;

export class RateLimiter {
  private limits = new Map<string, number>();
  /** key → timestamps (real ms) of accepted requests within the current window, oldest first. */
  private windows = new Map<string, number[]>();
  throttled = 0;

  constructor(
    /** The length of "one second" in real ms (1000 × the time scale). */
    private readonly windowMs: () => number = () => 1000,
    private readonly realNow: () => number = () => performance.now(),
  ) {}

  set(limits: Record<string, number>): void {
    for (const [key, qps] of Object.entries(limits)) {
      if (!KEY.test(key)) throw new Error(`rate-limit key "${key}" must look like "ecs:DescribeInstances" (or "ecs:*")`);
      if (!(typeof qps === "number" && qps > 0 && Number.isFinite(qps))) throw new Error(`rate limit for ${key} must be a positive number of requests per second`);
    }
    this.limits = new Map(Object.entries(limits));
    this.windows.clear();
  }

  list(): Record<string, number> {
    return Object.fromEntries(this.limits);
  }

  clear(): void {
    this.limits.clear();
    this.windows.clear();
    this.throttled = 0;
  }

  /** Real milliseconds until the request could pass, or 0 if it is admitted now (and counted). */
  admit(product: string, action: string, region: string): number {
    const qps = this.limits.get(`${product}:${action}`) ?? this.limits.get(`${product}:*`) ?? this.limits.get("*:*");
    if (qps === undefined) return 0;
    const key = `${product}:${action}:${region}`;
    const now = this.realNow();
    const windowMs = this.windowMs();
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = []));
    let expired = 0;
    while (expired < window.length && window[expired] <= now - windowMs) expired++;
    if (expired > 0) window.splice(0, expired);
    if (window.length >= qps) {
      this.throttled++;
      return Math.max(1, Math.ceil(window[0] + windowMs - now));
    }
    window.push(now);
    return 0;
  }
}
