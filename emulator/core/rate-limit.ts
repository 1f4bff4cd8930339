// Flow control like the cloud's: a per-action, per-region budget of requests per second. Over budget the
// request is refused with Throttling.User, and the answer says when a retry can succeed.

export class RateLimiter {
  private limits = new Map<string, number>();
  /** key → timestamps (real ms) of accepted requests within the last second. */
  private windows = new Map<string, number[]>();
  throttled = 0;

  constructor(private readonly realNow: () => number = Date.now) {}

  set(limits: Record<string, number>): void {
    for (const [key, qps] of Object.entries(limits)) {
      if (!/^(ecs|dds|r-kvstore|vpc|\*):(\*|[A-Za-z]+)$/.test(key)) throw new Error(`rate-limit key "${key}" must look like "ecs:DescribeInstances" (or "ecs:*")`);
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
  }

  /** Milliseconds until the request could pass, or 0 if it is admitted now (and counted). */
  admit(product: string, action: string, region: string): number {
    const qps = this.limits.get(`${product}:${action}`) ?? this.limits.get(`${product}:*`) ?? this.limits.get("*:*");
    if (qps === undefined) return 0;
    const key = `${product}:${action}:${region}`;
    const now = this.realNow();
    const window = (this.windows.get(key) ?? []).filter((t) => t > now - 1000);
    if (window.length >= qps) {
      this.windows.set(key, window);
      this.throttled++;
      return Math.max(1, window[0] + 1000 - now);
    }
    window.push(now);
    this.windows.set(key, window);
    return 0;
  }
}
