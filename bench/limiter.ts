// Flow control at the benchmark's time scale. The emulator's own RateLimiter counts requests per *real*
// second, while the emulator's transitions (and the provider's poll intervals and backoff) are compressed by
// the time scale. Left as is, "20 requests/s" would be 1/timeScale times stricter, relative to the work, than
// the cloud's 20 requests/s. This limiter keeps the same rule (a sliding window per product:action:region,
// Throttling.User with x-acs-retry-after when over budget) with the window compressed like everything else:
// `rate` requests per (1000 × timeScale) real ms, i.e. `rate` requests per cloud second. Retry-after stays in
// real milliseconds, as the provider expects.

const KEY = /^(ecs|dds|r-kvstore|\*):(\*|[A-Za-z]+)$/;

export class ScaledRateLimiter {
  private limits = new Map<string, number>();
  private windows = new Map<string, number[]>();
  throttled = 0;
  /** Admitted requests per key, for the report. */
  readonly admitted = new Map<string, number>();

  constructor(private readonly windowMs: number, private readonly realNow: () => number = () => performance.now()) {
    if (!(windowMs > 0)) throw new Error(`window must be positive, got ${windowMs}`);
  }

  set(limits: Record<string, number>): void {
    for (const [key, qps] of Object.entries(limits)) {
      if (!KEY.test(key)) throw new Error(`rate-limit key "${key}" must look like "ecs:DescribeInstances" (or "ecs:*")`);
      if (!(typeof qps === "number" && qps > 0 && Number.isFinite(qps))) throw new Error(`rate limit for ${key} must be a positive number`);
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
    this.admitted.clear();
    this.throttled = 0;
  }

  /** Real milliseconds until the request could pass, or 0 if it is admitted now (and counted). */
  admit(product: string, action: string, region: string): number {
    const qps = this.limits.get(`${product}:${action}`) ?? this.limits.get(`${product}:*`) ?? this.limits.get("*:*");
    if (qps === undefined) return 0;
    const key = `${product}:${action}:${region}`;
    const now = this.realNow();
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = []));
    while (window.length > 0 && window[0] <= now - this.windowMs) window.shift();
    if (window.length >= qps) {
      this.throttled++;
      return Math.max(1, Math.ceil(window[0] + this.windowMs - now));
    }
    window.push(now);
    this.admitted.set(key, (this.admitted.get(key) ?? 0) + 1);
    return 0;
  }
}
