// The pacer: a token bucket per (product, action, region) whose rate adapts to flow-control answers. Unit tests on
// a manual clock (when each caller is let through, how the rate moves), then the real path against the emulator:
// every call the client factory makes waits for its bucket, so a burst does not provoke throttled answers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EmulatorAdmin, RunningEmulator, startEmulator } from "../../emulator";
import { callApi } from "../../provider/core/clients";
import { AdaptiveBucket, PACER, PacerClock, paced, resetPacer } from "../../provider/core/pacer";
import { EcsModels } from "../../provider/ecs/api";

/** Seconds that move only when the test says so; sleepers wake in order. */
class ManualClock implements PacerClock {
  t = 0;
  private sleepers: { at: number; wake: () => void }[] = [];
  now = (): number => this.t;
  sleep = (s: number): Promise<void> => new Promise((wake) => this.sleepers.push({ at: this.t + s, wake }));
  /** Advances time step by step, letting woken sleepers (and what they resolve) run. */
  async advance(seconds: number, step = 0.001): Promise<void> {
    const end = this.t + seconds;
    for (let i = 0; i < 5; i++) await Promise.resolve();
    while (this.t < end - 1e-9) {
      this.t = Math.min(end, this.t + step);
      const due = this.sleepers.filter((s) => s.at <= this.t + 1e-9);
      this.sleepers = this.sleepers.filter((s) => s.at > this.t + 1e-9);
      for (const s of due) s.wake();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
  }
}

async function admitTimes(bucket: AdaptiveBucket, clock: ManualClock, n: number, seconds: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) void bucket.acquire().then(() => times.push(Math.round(clock.t * 1000) / 1000));
  await clock.advance(seconds);
  return times;
}

describe("pacer: token bucket", () => {
  it("lets the first call through at once, then one every 1/rate seconds, in order, never in a burst", async () => {
    const clock = new ManualClock();
    const bucket = new AdaptiveBucket(clock, 10);
    expect(await admitTimes(bucket, clock, 5, 1)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    // Idle time does not bank tokens beyond one: after a pause the next calls are spaced again.
    await clock.advance(5);
    const later = await admitTimes(bucket, clock, 3, 1);
    expect(later.map((t) => Math.round((t - 6) * 1000) / 1000)).toEqual([0, 0.1, 0.2]);
  });

  it("cuts the rate to 0.7× what was being sent on a throttled answer", async () => {
    const clock = new ManualClock();
    const bucket = new AdaptiveBucket(clock, 10);
    // Send at the full rate for a while so the measured rate is 10/s.
    for (let i = 0; i < 30; i++) {
      const sent = bucket.acquire();
      await clock.advance(0.1, 0.01);
      await sent;
      bucket.answered(false);
    }
    const before = bucket.rate;
    expect(bucket.measuredRate).toBeGreaterThan(9);
    bucket.answered(true);
    expect(bucket.rate).toBeCloseTo(PACER.beta * Math.min(before, bucket.measuredRate), 5);
    expect(bucket.lastMaxRate).toBeCloseTo(Math.min(before, bucket.measuredRate), 5);
    expect(bucket.throttles).toBe(1);
  });

  it("grows back along the cubic curve after a cut, stays just below the throttled rate for a minute, then probes beyond", async () => {
    const clock = new ManualClock();
    const bucket = new AdaptiveBucket(clock, 10);
    const keepBusy = async (seconds: number): Promise<void> => {
      const end = clock.t + seconds;
      while (clock.t < end) {
        const sent = bucket.acquire();
        await clock.advance(1 / bucket.rate, 0.005);
        await sent;
        bucket.answered(false);
      }
    };
    await keepBusy(3);
    bucket.answered(true);
    const cut = bucket.rate;
    const max = bucket.lastMaxRate;
    const k = Math.cbrt((max * (1 - PACER.beta)) / PACER.scaleConstant);
    await keepBusy(k / 2);
    const halfway = bucket.rate;
    expect(halfway).toBeGreaterThan(cut);
    expect(halfway).toBeLessThan(max);
    await keepBusy(k / 2 + 3);
    expect(bucket.rate).toBeCloseTo(PACER.settle * max, 5);
    await keepBusy(PACER.holdSeconds - k - 3 - 1);
    expect(bucket.rate).toBeCloseTo(PACER.settle * max, 5);
    await keepBusy(4);
    expect(bucket.rate).toBeGreaterThan(max);
  });

  it("after a pause the rate starts again from its floor: growth earned before the pause is not spent in one burst", async () => {
    const clock = new ManualClock();
    const bucket = new AdaptiveBucket(clock, 10);
    // Ten seconds of demand without a throttle: the rate grows well beyond where it started.
    const end = clock.t + 10;
    while (clock.t < end) {
      const sent = bucket.acquire();
      await clock.advance(1 / bucket.rate, 0.005);
      await sent;
      bucket.answered(false);
    }
    expect(bucket.rate).toBeGreaterThan(20);
    await clock.advance(PACER.idleSeconds + 1, 0.1);
    // The burst after the pause is spaced at the starting rate again: 10 in the first second, not 20 or more.
    const times = await admitTimes(bucket, clock, 25, 1);
    expect(times.length).toBeLessThanOrEqual(11);
    expect(times[1] - times[0]).toBeCloseTo(0.1, 2);
  });

  it("low demand never drags the rate below where it started", async () => {
    const clock = new ManualClock();
    const bucket = new AdaptiveBucket(clock, 10);
    for (let i = 0; i < 10; i++) {
      const sent = bucket.acquire();
      await clock.advance(2, 0.5);
      await sent;
      bucket.answered(false);
    }
    expect(bucket.rate).toBe(10);
  });

  it("honours the server's retry-after: nobody in the bucket is let through before it ends", async () => {
    const clock = new ManualClock();
    const bucket = new AdaptiveBucket(clock, 10);
    const first = bucket.acquire();
    await clock.advance(0.01);
    await first;
    bucket.answered(true, 2);
    const times = await admitTimes(bucket, clock, 3, 4);
    expect(times[0]).toBeGreaterThanOrEqual(2);
    expect(times).toHaveLength(3);
    expect(times[1] - times[0]).toBeCloseTo(1 / bucket.rate, 1);
  });

  it("paced(): a throttled answer (any *Throttling* code) feeds the bucket and reaches the caller untouched", async () => {
    resetPacer();
    const err = Object.assign(new Error("Request was denied due to user flow control."), { code: "Throttling.User", retryAfter: 50 });
    await expect(paced("ecs", "DescribeInstances", "cn-test-1", () => Promise.reject(err))).rejects.toBe(err);
    const other = Object.assign(new Error("x"), { code: "InvalidInstanceId.NotFound" });
    await expect(paced("ecs", "DescribeInstances", "cn-test-2", () => Promise.reject(other))).rejects.toBe(other);
    await expect(paced("ecs", "DescribeInstances", "cn-test-2", async () => 7)).resolves.toBe(7);
  });
});

describe("pacer: every call of the client factory goes through it", () => {
  // Real time (time scale 1): flow control counts requests per real second here, so a burst is a burst.
  let emu: RunningEmulator;
  let admin: EmulatorAdmin;
  const saved = { ...process.env };
  beforeAll(async () => {
    emu = await startEmulator({ timeScale: 1 });
    admin = new EmulatorAdmin(emu.url);
    Object.assign(process.env, {
      ALICLOUD_RELEASE_ENDPOINT: emu.url,
      ALIBABA_CLOUD_ACCESS_KEY_ID: "emulator",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret",
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
    });
    delete process.env.ALICLOUD_RELEASE_TIME_SCALE;
  });
  afterAll(async () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    await emu?.close();
  });
  afterEach(() => resetPacer());

  const burst = (n: number): Promise<PromiseSettledResult<unknown>[]> =>
    Promise.allSettled(
      Array.from({ length: n }, () =>
        callApi("ecs", "cn-hangzhou", "DescribeInstances", new EcsModels.DescribeInstancesRequest({ regionId: "cn-hangzhou" }), new EcsModels.DescribeInstancesResponse({})),
      ),
    );

  it("spreads 25 concurrent calls of one action so that a 20/s flow control throttles none of them", async () => {
    await admin.reset();
    resetPacer();
    await admin.rateLimits({ "ecs:DescribeInstances": 20 });
    const results = await burst(25);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const log = await admin.requests({ action: "DescribeInstances" });
    expect(log).toHaveLength(25);
    expect(log.filter((e) => e.code === "Throttling.User")).toEqual([]);
  });

  it("the same burst unpaced (a starting rate far above the limit) is throttled", async () => {
    await admin.reset();
    resetPacer();
    await admin.rateLimits({ "ecs:DescribeInstances": 20 });
    process.env.ALICLOUD_RELEASE_API_RATE = "100000";
    try {
      const results = await burst(25);
      expect(results.filter((r) => r.status === "rejected").length).toBeGreaterThan(0);
      expect((await admin.requests({ action: "DescribeInstances" })).filter((e) => e.code === "Throttling.User").length).toBeGreaterThan(0);
    } finally {
      delete process.env.ALICLOUD_RELEASE_API_RATE;
    }
  });
});
