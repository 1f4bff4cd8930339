// 3. Lost replies on create. RunInstances, CreateDBInstance and CreateInstance succeed but their reply is lost
// (dropped, answered 500 after the work was done, or slower than the client timeout): the retry carries the same
// ClientToken / Token and gets the same instance back, so exactly one instance exists and it is the one in the
// outputs. And a create that fails half-way (instance made, then the wait fails) is still released by destroy,
// from the init failure's properties. The provider's own code in-process, the emulator over HTTP.
import { beforeAll, describe, expect, it } from "vitest";
import type { FaultRule } from "../../emulator";
import { InitFailure } from "../../provider/core/dynamic";
import * as ecsInstance from "../../provider/ecs/instance-provider";
import * as ecsSet from "../../provider/ecs/instance-set-provider";
import * as mongo from "../../provider/mongodb/instance-provider";
import * as redis from "../../provider/redis/instance-provider";
import { useEmulatorForProvider } from "../support/provider-env";
import { sleep, until } from "../support/reliability";
import { notReleased } from "../support/emulator";

const env = useEmulatorForProvider({ "ecs.pending": 1, "ecs.starting": 1, "ecs.stopping": 2, "ecs.release": 2, "dds.creating": 1, "dds.deleting": 2, "kv.creating": 1, "kv.releasing": 2, "kv.destroying": 2 });
const REGION = "cn-hangzhou";
const HTTP_TIMEOUT_MS = 500;
const LAUNCH = { regionId: REGION, imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vSwitchId: "vsw-default-cn-hangzhou-b", securityGroupId: "sg-default-cn-hangzhou" };
const MONGO = { regionId: REGION, engineVersion: "7.0", dbInstanceClass: "dds.mongo.mid", dbInstanceStorage: 20, vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h", accountPassword: "Tr0ub4dor&3-horse" };
const REDIS = { regionId: REGION, instanceClass: "redis.master.small.default", engineVersion: "7.0", vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h", password: "Pw-Sh0uld-Never-Leak", purgeRecycleBin: true };

beforeAll(() => {
  // A reply slower than this is lost to the client (the faults below delay 800 ms).
  process.env.ALICLOUD_RELEASE_HTTP_TIMEOUT_MS = String(HTTP_TIMEOUT_MS);
});

type Product = "ecs" | "dds" | "r-kvstore";

interface Target {
  name: string;
  product: Product;
  action: string;
  token: string;
  /** Logical create calls the resource makes (an InstanceSet of 150 makes two RunInstances calls). */
  calls: number;
  create: () => Promise<{ id: string; outs?: Record<string, unknown> }>;
  idsOf: (outs: Record<string, unknown>) => string[];
  destroy: (id: string, outs: Record<string, unknown>) => Promise<void>;
}

const TARGETS: Target[] = [
  {
    name: "ecs.Instance (RunInstances)", product: "ecs", action: "RunInstances", token: "ClientToken", calls: 1,
    create: () => ecsInstance.create({ ...LAUNCH }), idsOf: (o) => [o.instanceId as string], destroy: (id, o) => ecsInstance.delete(id, o),
  },
  {
    name: "ecs.InstanceSet of 150 (two RunInstances calls)", product: "ecs", action: "RunInstances", token: "ClientToken", calls: 2,
    create: () => ecsSet.create({ ...LAUNCH, amount: 150 }), idsOf: (o) => o.instanceIds as string[], destroy: (id, o) => ecsSet.delete(id, o),
  },
  {
    name: "mongodb.Instance (CreateDBInstance)", product: "dds", action: "CreateDBInstance", token: "ClientToken", calls: 1,
    create: () => mongo.create({ ...MONGO }), idsOf: (o) => [o.dbInstanceId as string], destroy: (id, o) => mongo.delete(id, o),
  },
  {
    name: "redis.Instance (CreateInstance)", product: "r-kvstore", action: "CreateInstance", token: "Token", calls: 1,
    create: () => redis.create({ ...REDIS }), idsOf: (o) => [o.instanceId as string], destroy: (id, o) => redis.delete(id, o),
  },
];

const LOST_REPLIES: [string, Omit<FaultRule, "product" | "action" | "count">][] = [
  ["the connection drops after the action ran", { drop: true, phase: "after" }],
  ["the action ran but the answer is a 500", { code: "InternalError", status: 500, phase: "after" }],
  ["the action ran but the reply comes after the client timeout", { latencyMs: 800, phase: "after" }],
  ["the request is held past the client timeout and runs after the retry", { latencyMs: 800 }],
];

/** The product's instances not released yet (a released MongoDB replica set waits in the recycle bin). */
async function idsIn(product: Product): Promise<Set<string>> {
  return new Set(notReleased(await env.admin.instances(product)).map((i) => i.id));
}

describe("3. a create whose reply is lost is retried with the same token and makes exactly one instance", () => {
  for (const target of TARGETS) {
    describe(target.name, () => {
      it.each(LOST_REPLIES)("when %s", async (_what, fault) => {
        await env.reset();
        const before = await idsIn(target.product);
        // One lost reply: the first attempt of the (first) logical call.
        await env.admin.faults([{ product: target.product, action: target.action, count: 1, ...fault }]);
        const made = await target.create();
        // A held request runs in the emulator after the client gave up on it: give it time to (not) make a second one.
        if (fault.latencyMs) await sleep(fault.latencyMs + 200);
        await env.admin.clearFaults();
        const outs = made.outs!;
        const mine = target.idsOf(outs);
        const created = [...(await idsIn(target.product))].filter((id) => !before.has(id));
        expect(created.sort()).toEqual([...mine].sort());
        expect(new Set(mine).size).toBe(mine.length);

        // Every lost reply cost exactly one more attempt, and every attempt of a logical call carried its token.
        const attempts = await env.admin.requests({ product: target.product, action: target.action });
        expect(attempts).toHaveLength(target.calls + 1);
        const tokens = new Set(attempts.map((a) => a.params[target.token]));
        expect(tokens.size).toBe(target.calls);
        expect([...tokens].every((t) => /^[0-9a-f-]{36}$/.test(t))).toBe(true);

        await target.destroy(made.id, outs);
        expect([...(await idsIn(target.product))].filter((id) => mine.includes(id))).toEqual([]);
      });
    });
  }
});

const failureOf = (p: Promise<unknown>): Promise<InitFailure> =>
  p.then(
    () => {
      throw new Error("expected the create to fail half-way");
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(InitFailure);
      return e as InitFailure;
    },
  );

describe("3. a create that fails half-way is released by destroy from the init failure's properties", () => {
  const HALF: [string, Product, string, () => Promise<unknown>, (f: InitFailure) => Promise<void>, (f: InitFailure) => string[]][] = [
    ["ecs.Instance", "ecs", "DescribeInstances", () => ecsInstance.create({ ...LAUNCH }), (f) => ecsInstance.delete(f.id, f.properties), (f) => [f.properties.instanceId as string]],
    ["ecs.InstanceSet", "ecs", "DescribeInstances", () => ecsSet.create({ ...LAUNCH, amount: 3 }), (f) => ecsSet.delete(f.id, f.properties), (f) => f.properties.instanceIds as string[]],
    ["mongodb.Instance", "dds", "DescribeDBInstanceAttribute", () => mongo.create({ ...MONGO }), (f) => mongo.delete(f.id, f.properties), (f) => [f.properties.dbInstanceId as string]],
    ["redis.Instance", "r-kvstore", "DescribeInstanceAttribute", () => redis.create({ ...REDIS }), (f) => redis.delete(f.id, f.properties), (f) => [f.properties.instanceId as string]],
  ];

  it.each(HALF)("%s: the wait for it to run fails; destroy releases it", async (_name, product, describeAction, create, destroy, idsOf) => {
    await env.reset();
    await env.admin.faults([{ product, action: describeAction, code: "Forbidden.RAM", count: 1 }]);
    const failure = await failureOf(create());
    await env.admin.clearFaults();
    const ids = idsOf(failure);
    // A set's id is its first instance and how many more; one instance's id is the instance id.
    expect(failure.id).toBe(ids.length === 1 ? ids[0] : `${ids[0]}+${ids.length - 1}`);
    expect(failure.message).toMatch(/created but did not become (Running|ready)/);
    expect(failure.reasons).toEqual([failure.message]);
    expect((await env.admin.instances(product)).map((i) => i.id).sort()).toEqual([...ids].sort());
    await destroy(failure);
    expect(notReleased(await env.admin.instances(product))).toEqual([]);
  });

  it("redis.Instance: the create deadline passes while it is still Creating; destroy waits for it, then releases it", async () => {
    await env.reset();
    await env.admin.freezeClock(true);
    try {
      const failure = await failureOf(redis.create({ ...REDIS, createTimeoutSeconds: 1 }));
      expect(failure.message).toContain("gave up waiting to be running (Normal)");
      expect((await env.admin.instance(failure.id))?.status).toBe("Creating");
      const destroyed = redis.delete(failure.id, failure.properties);
      await until("the destroy to be refused while Creating", async () => (await env.admin.requests({ action: "DeleteInstance" })).some((e) => e.code === "IncorrectDBInstanceState"));
      await env.admin.freezeClock(false);
      await destroyed;
    } finally {
      await env.admin.freezeClock(false);
    }
    expect(await env.admin.instances("r-kvstore")).toEqual([]);
    expect(env.lines.some((l) => /release refused while the instance is Creating \(IncorrectDBInstanceState\)/.test(l))).toBe(true);
  });
});
