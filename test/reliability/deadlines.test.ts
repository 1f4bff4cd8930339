// 4. Never hang. Every wait and every request of a delete draws on the one `deleteTimeoutSeconds` deadline: when
// the API stops answering (from the start, or half-way), or the instance never reaches the next state, delete
// still ends within the deadline plus a small margin, with an Error that says which resource, instance, call or
// phase it was in. And the guard every provider method goes through never lets a non-Error (or an Error without
// a message) out: the dynamic-provider process would wait forever for a reply to a thrown string.
import { describe, expect, it } from "vitest";
import { guard } from "../../provider/core/dynamic";
import * as ecsInstance from "../../provider/ecs/instance-provider";
import * as mongo from "../../provider/mongodb/instance-provider";
import * as redis from "../../provider/redis/instance-provider";
import { useEmulatorForProvider } from "../support/provider-env";
import { notReleased } from "../support/emulator";

const env = useEmulatorForProvider({ "ecs.pending": 1, "ecs.starting": 1, "ecs.stopping": 2, "ecs.release": 2, "dds.creating": 1, "dds.deleting": 2, "kv.creating": 1, "kv.releasing": 2, "kv.destroying": 2 });
const REGION = "cn-hangzhou";
const DEADLINE_S = 2;
/** A request may run up to 1 s (the shortest per-request timeout) past what is left of the deadline. */
const MARGIN_MS = 2000;
/** Longer than the deadline: the server holds the request, then runs it. */
const HOLD_MS = 10_000;
const LAUNCH = { regionId: REGION, imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vSwitchId: "vsw-default-cn-hangzhou-b", securityGroupId: "sg-default-cn-hangzhou" };
const MONGO = { regionId: REGION, engineVersion: "7.0", dbInstanceClass: "dds.mongo.mid", dbInstanceStorage: 20, vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h" };
const REDIS = { regionId: REGION, instanceClass: "redis.master.small.default", vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h", purgeRecycleBin: true };

type Product = "ecs" | "dds" | "r-kvstore";

interface Subject {
  kind: string;
  product: Product;
  make: () => Promise<{ id: string; outs: Record<string, unknown> }>;
  destroy: (id: string, outs: Record<string, unknown>) => Promise<void>;
}

const SUBJECTS: Record<string, Subject> = {
  ecs: {
    kind: "ecs.Instance", product: "ecs",
    make: async () => {
      const r = await ecsInstance.create({ ...LAUNCH });
      return { id: r.id, outs: r.outs! };
    },
    destroy: (id, outs) => ecsInstance.delete(id, outs),
  },
  mongo: {
    kind: "mongodb.Instance", product: "dds",
    make: async () => {
      const r = await mongo.create({ ...MONGO });
      return { id: r.id, outs: r.outs! };
    },
    destroy: (id, outs) => mongo.delete(id, outs),
  },
  redis: {
    kind: "redis.Instance", product: "r-kvstore",
    make: async () => {
      const r = await redis.create({ ...REDIS });
      return { id: r.id, outs: r.outs! };
    },
    destroy: (id, outs) => redis.delete(id, outs),
  },
};

/** Runs the delete with the short deadline and returns how long it took and what it threw. */
async function timedFailure(s: Subject, id: string, outs: Record<string, unknown>): Promise<{ ms: number; error: Error }> {
  const started = Date.now();
  const error = await s.destroy(id, { ...outs, deleteTimeoutSeconds: DEADLINE_S }).then(
    () => undefined,
    (e: unknown) => e,
  );
  const ms = Date.now() - started;
  expect(error, `${s.kind} ${id}: delete should have failed at the deadline`).toBeInstanceOf(Error);
  return { ms, error: error as Error };
}

function expectSaysWhere(error: Error, s: Subject, id: string, where: RegExp): void {
  expect(error.message).toContain(`${s.kind} ${id}`);
  expect(error.message).toMatch(where);
  expect(error.message).toMatch(/deadline/);
}

describe("4. the API stops answering every call of the product", () => {
  const cases: [string, Subject, RegExp][] = [
    ["ecs.Instance", SUBJECTS.ecs, /DescribeInstances failed with Timeout/],
    // MongoDB starts from the region's list (DescribeDBInstances, shared by every MongoDB delete in flight).
    ["mongodb.Instance", SUBJECTS.mongo, /DescribeDBInstances failed with Timeout/],
    // So does Redis (DescribeInstances, shared by every Redis delete in flight).
    ["redis.Instance", SUBJECTS.redis, /DescribeInstances failed with Timeout/],
  ];
  it.each(cases)("%s: delete ends within deleteTimeoutSeconds with an error naming the call", async (_k, s, where) => {
    await env.reset();
    const { id, outs } = await s.make();
    await env.admin.faults([{ product: s.product, latencyMs: HOLD_MS }]);
    try {
      const { ms, error } = await timedFailure(s, id, outs);
      expect(ms).toBeLessThan(DEADLINE_S * 1000 + MARGIN_MS);
      expectSaysWhere(error, s, id, where);
      expect(error.message).toContain("Gave up retrying");
    } finally {
      await env.admin.clearFaults();
    }
  });
});

describe("4. the API stops answering half-way, at the release call", () => {
  const cases: [string, string, Subject, Record<string, unknown>][] = [
    ["ecs.Instance (after the stop)", "DeleteInstances", SUBJECTS.ecs, {}],
    ["mongodb.Instance", "DeleteDBInstance", SUBJECTS.mongo, {}],
    ["redis.Instance (after it reached the recycle bin)", "DestroyInstance", SUBJECTS.redis, {}],
  ];
  it.each(cases)("%s: %s never answers; delete ends at the deadline naming it", async (_k, action, s, extra) => {
    await env.reset();
    const { id, outs } = await s.make();
    // An ECS release first asks DeleteInstances with DryRun=true (the permission check, before the stop): that one
    // answers at once, so it is the real release call, after the stop, that never answers.
    const permissionCheck = s.product === "ecs" ? [{ product: s.product, action, latencyMs: 1, count: 1 }] : [];
    await env.admin.faults([...permissionCheck, { product: s.product, action, latencyMs: HOLD_MS }]);
    try {
      const { ms, error } = await timedFailure(s, id, { ...outs, ...extra });
      expect(ms).toBeLessThan(DEADLINE_S * 1000 + MARGIN_MS);
      expectSaysWhere(error, s, id, new RegExp(`${action} failed with Timeout`));
    } finally {
      await env.admin.clearFaults();
    }
  });
});

describe("4. the instance never reaches the next state (the emulator's clock is stopped)", () => {
  const cases: [string, Subject, Record<string, unknown>, RegExp][] = [
    ["ecs.Instance: the graceful stop never ends", SUBJECTS.ecs, {}, /gave up waiting to be stopped after \d+s .*; last status: Stopping/],
    ["ecs.Instance with force: the release never ends", SUBJECTS.ecs, { force: true }, /gave up waiting to be released after \d+s .*; last status: Running/],
    ["mongodb.Instance: DeleteDBInstance accepted, the instance never goes", SUBJECTS.mongo, {}, /gave up waiting to be released after \d+s .*; last status: Deleting/],
    ["redis.Instance: DeleteInstance accepted, it never reaches the recycle bin", SUBJECTS.redis, {}, /gave up waiting to be in the recycle bin \(Released\) after \d+s .*; last status: Normal/],
  ];
  it.each(cases)("%s", async (_k, s, extra, where) => {
    await env.reset();
    const { id, outs } = await s.make();
    await env.admin.freezeClock(true);
    try {
      const { ms, error } = await timedFailure(s, id, { ...outs, ...extra });
      expect(ms).toBeLessThan(DEADLINE_S * 1000 + MARGIN_MS);
      expectSaysWhere(error, s, id, where);
      expect(error.message).toContain("Run `pulumi destroy` again");
    } finally {
      await env.admin.freezeClock(false);
    }
    // And a later destroy, with time moving again, finishes the job.
    await s.destroy(id, outs);
    const left = notReleased((await env.admin.instances(s.product)).filter((i) => i.id === id));
    expect(left).toEqual([]);
  });
});

describe("4. the guard: a provider method never throws anything but an Error with a message", () => {
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  const thrown: [string, unknown, RegExp][] = [
    ["a string", "boom", /^unexpected failure: boom$/],
    ["undefined", undefined, /^unexpected failure: undefined$/],
    ["null", null, /^unexpected failure: null$/],
    ["a number", 42, /^unexpected failure: 42$/],
    ["a plain object", { code: "X", detail: [1] }, /^unexpected failure: \{"code":"X","detail":\[1\]\}$/],
    ["a circular object", circular, /circular/i],
    ["a BigInt", 10n, /BigInt|unexpected failure/],
    ["a symbol", Symbol("s"), /unexpected failure/],
    ["an Error without a message", new Error(""), /^Error without a message$/],
    ["a TypeError without a message", new TypeError(), /^TypeError without a message$/],
  ];
  it.each(thrown)("%s becomes an Error with a message", async (_what, value, message) => {
    const method = guard(async () => {
      throw value;
    });
    const e = await method().then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(message);
  });

  it("leaves results and Errors as they are", async () => {
    expect(await guard(async (x: number) => x + 1)(1)).toBe(2);
    const original = new RangeError("out of range");
    await expect(guard(async () => Promise.reject(original))()).rejects.toBe(original);
  });
});
