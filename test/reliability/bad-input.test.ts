// 6. Bad input. Ids of the wrong shape or of another product, regions that do not exist or do not hold the
// instance, unknown option values, negative or absurd timeouts, duplicate ids, more than 100 ids in a set: each
// is a `check` failure or a clear error, never a crash, and never a call that could touch an instance other than
// the resource's own (asserted from the emulator's request log: every Stop/Start/Delete/Destroy/Modify call names
// only the resource's own ids). The provider's own code in-process, the emulator over HTTP.
import * as Ecs from "@alicloud/ecs20140526";
import * as Kv from "@alicloud/r-kvstore20150101";
import { describe, expect, it } from "vitest";
import * as ecsInstance from "../../provider/ecs/instance-provider";
import * as ecsSet from "../../provider/ecs/instance-set-provider";
import * as mongo from "../../provider/mongodb/instance-provider";
import * as redis from "../../provider/redis/instance-provider";
import { isDryRun, useEmulatorForProvider } from "../support/provider-env";
import { defaultSecurityGroupId, defaultVSwitchId } from "../support/network";
import { changeCalls, idsOf } from "../support/reliability";
import { ddsCall, ecsClient, kvClient } from "../support/sdk";

const env = useEmulatorForProvider({ "ecs.pending": 1, "ecs.starting": 1, "ecs.stopping": 2, "ecs.release": 2, "dds.creating": 1, "dds.deleting": 2, "kv.creating": 1, "kv.releasing": 2, "kv.destroying": 2 });
const A = "cn-hangzhou";
const B = "cn-shanghai";
const NOWHERE = "xx-nowhere-1";
const LAUNCH = { imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vSwitchId: "vsw-default-cn-hangzhou-b", securityGroupId: "sg-default-cn-hangzhou" };
const GHOST = { ecs: "i-bp1doesnotexist0000", dds: "dds-bp1doesnotexist000", kv: "r-bp1doesnotexist0000" };

// ---- check ----------------------------------------------------------------------------------------------

type Check = (olds: Record<string, unknown>, news: Record<string, unknown>) => Promise<{ failures?: { property: string; reason: string }[] }>;
const ECS_ADOPT = { regionId: A, instanceId: "i-bp1abcdefgh1234" };
const SET_ADOPT = { regionId: A, instanceIds: ["i-bp1abcdefgh1234", "i-bp1abcdefgh5678"] };
const MONGO_ADOPT = { regionId: A, dbInstanceId: "dds-bp1abcdefgh1234" };
const REDIS_ADOPT = { regionId: A, instanceId: "r-bp1abcdefgh1234" };

const CHECKS: [string, Check, Record<string, unknown>, string, RegExp][] = [
  ["ecs.Instance: a Redis id", ecsInstance.check, { ...ECS_ADOPT, instanceId: "r-bp1abcdefgh1234" }, "instanceId", /must be an ECS instance id/],
  ["ecs.Instance: a MongoDB id", ecsInstance.check, { ...ECS_ADOPT, instanceId: "dds-bp1abcdefgh1234" }, "instanceId", /must be an ECS instance id/],
  ["ecs.Instance: an id in capitals", ecsInstance.check, { ...ECS_ADOPT, instanceId: "I-BP1ABCDEFGH" }, "instanceId", /must be an ECS instance id/],
  ["ecs.Instance: a bare prefix", ecsInstance.check, { ...ECS_ADOPT, instanceId: "i-" }, "instanceId", /must be an ECS instance id/],
  ["ecs.Instance: an id that is a number", ecsInstance.check, { ...ECS_ADOPT, instanceId: 42 }, "instanceId", /got 42/],
  ["ecs.Instance: a region that is not a region id", ecsInstance.check, { ...ECS_ADOPT, regionId: "Hangzhou" }, "regionId", /region id like "cn-hangzhou"/],
  ["ecs.Instance: an unknown onSubscription", ecsInstance.check, { ...ECS_ADOPT, onSubscription: "sometimes" }, "onSubscription", /one of "fail", "retain", "convert"/],
  ["ecs.Instance: force that is not a boolean", ecsInstance.check, { ...ECS_ADOPT, force: "yes" }, "force", /true or false/],
  ["ecs.Instance: a negative deleteTimeoutSeconds", ecsInstance.check, { ...ECS_ADOPT, deleteTimeoutSeconds: -5 }, "deleteTimeoutSeconds", /from 1 to 604800/],
  ["ecs.Instance: a zero deleteTimeoutSeconds", ecsInstance.check, { ...ECS_ADOPT, deleteTimeoutSeconds: 0 }, "deleteTimeoutSeconds", /from 1 to 604800/],
  ["ecs.Instance: a fractional deleteTimeoutSeconds", ecsInstance.check, { ...ECS_ADOPT, deleteTimeoutSeconds: 1.5 }, "deleteTimeoutSeconds", /whole number/],
  ["ecs.Instance: an absurd deleteTimeoutSeconds", ecsInstance.check, { ...ECS_ADOPT, deleteTimeoutSeconds: 1e12 }, "deleteTimeoutSeconds", /7 days/],
  ["ecs.Instance: deleteTimeoutSeconds as a string", ecsInstance.check, { ...ECS_ADOPT, deleteTimeoutSeconds: "600" }, "deleteTimeoutSeconds", /got "600"/],
  ["ecs.Instance: a negative stopTimeoutSeconds", ecsInstance.check, { ...ECS_ADOPT, stopTimeoutSeconds: -1 }, "stopTimeoutSeconds", /from 0 to 86400/],
  ["ecs.Instance: an absurd stopTimeoutSeconds", ecsInstance.check, { ...ECS_ADOPT, stopTimeoutSeconds: 1e9 }, "stopTimeoutSeconds", /from 0 to 86400/],
  ["ecs.Instance: an unknown charge type", ecsInstance.check, { ...LAUNCH, regionId: A, instanceChargeType: "Monthly" }, "instanceChargeType", /"PostPaid" or "PrePaid"/],
  ["ecs.InstanceSet: a duplicate id", ecsSet.check, { ...SET_ADOPT, instanceIds: ["i-bp1abcdefgh1234", "i-bp1abcdefgh1234"] }, "instanceIds", /more than once/],
  ["ecs.InstanceSet: an empty list", ecsSet.check, { ...SET_ADOPT, instanceIds: [] }, "instanceIds", /non-empty list/],
  ["ecs.InstanceSet: another product's id in the list", ecsSet.check, { ...SET_ADOPT, instanceIds: ["i-bp1abcdefgh1234", "r-bp1abcdefgh1234"] }, "instanceIds[1]", /must be an ECS instance id/],
  ["ecs.InstanceSet: amount 0", ecsSet.check, { ...LAUNCH, regionId: A, amount: 0 }, "amount", /from 1 to 1000/],
  ["ecs.InstanceSet: amount 1001", ecsSet.check, { ...LAUNCH, regionId: A, amount: 1001 }, "amount", /from 1 to 1000/],
  ["ecs.InstanceSet: a fractional amount", ecsSet.check, { ...LAUNCH, regionId: A, amount: 2.5 }, "amount", /whole number/],
  ["ecs.InstanceSet: both amount and ids", ecsSet.check, { ...SET_ADOPT, amount: 2 }, "amount", /not both/],
  ["mongodb.Instance: an ECS id", mongo.check, { ...MONGO_ADOPT, dbInstanceId: "i-bp1abcdefgh1234" }, "dbInstanceId", /is an ECS instance id/],
  ["mongodb.Instance: a Redis id", mongo.check, { ...MONGO_ADOPT, dbInstanceId: "r-bp1abcdefgh1234" }, "dbInstanceId", /is a Redis/],
  ["mongodb.Instance: onSubscription convert", mongo.check, { ...MONGO_ADOPT, onSubscription: "convert" }, "onSubscription", /"convert"/],
  ["mongodb.Instance: a negative deleteTimeoutSeconds", mongo.check, { ...MONGO_ADOPT, deleteTimeoutSeconds: -1 }, "deleteTimeoutSeconds", /from 1 to 604800/],
  ["mongodb.Instance: a region with an underscore", mongo.check, { ...MONGO_ADOPT, regionId: "cn_hangzhou" }, "regionId", /region id/],
  ["redis.Instance: an ECS id", redis.check, { ...REDIS_ADOPT, instanceId: "i-bp1abcdefgh1234" }, "instanceId", /use ecs.Instance/],
  ["redis.Instance: a MongoDB id", redis.check, { ...REDIS_ADOPT, instanceId: "dds-bp1abcdefgh1234" }, "instanceId", /use mongodb.Instance/],
  ["redis.Instance: onSubscription convert", redis.check, { ...REDIS_ADOPT, onSubscription: "convert" }, "onSubscription", /not available for Tair/],
  ["redis.Instance: force", redis.check, { ...REDIS_ADOPT, force: true }, "force", /applies only to ECS/],
  ["redis.Instance: purgeRecycleBin that is not a boolean", redis.check, { ...REDIS_ADOPT, purgeRecycleBin: "yes" }, "purgeRecycleBin", /true or false/],
  ["redis.Instance: an absurd deleteTimeoutSeconds", redis.check, { ...REDIS_ADOPT, deleteTimeoutSeconds: 1e9 }, "deleteTimeoutSeconds", /7 days/],
];

describe("6. check: every bad input is a precise failure, without any API call", () => {
  it.each(CHECKS)("%s", async (_name, check, news, property, reason) => {
    await env.admin.clearRequests();
    const result = await check({}, news);
    const failure = result.failures?.find((f) => f.property === property);
    expect(failure, JSON.stringify(result.failures)).toBeDefined();
    expect(failure!.reason).toMatch(reason);
    expect(await env.admin.requests()).toEqual([]);
  });
});

// ---- create and delete ----------------------------------------------------------------------------------

async function ecsIn(region: string, amount = 1): Promise<string[]> {
  const network = { vSwitchId: defaultVSwitchId(`${region}-b`), securityGroupId: defaultSecurityGroupId(region) };
  const res = await ecsClient(env.emu.url).runInstances(new Ecs.RunInstancesRequest({ regionId: region, ...LAUNCH, ...network, amount }));
  return res.body!.instanceIdSets!.instanceIdSet!;
}
async function ddsIn(region: string): Promise<string> {
  return (await ddsCall(env.emu.url, "CreateDBInstance", { RegionId: region, DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: 20, EngineVersion: "6.0" })).DBInstanceId as string;
}
async function kvIn(region: string): Promise<string> {
  return (await kvClient(env.emu.url).createInstance(new Kv.CreateInstanceRequest({ regionId: region, instanceClass: "redis.master.small.default" }))).body!.instanceId!;
}

type Ctx = Record<string, string>;

interface Case {
  name: string;
  /** Makes the instances the case needs (all Running afterwards); returns them by name. */
  setup: () => Promise<Ctx>;
  run: (c: Ctx) => Promise<unknown>;
  /** A regex the error must match, or "resolves". */
  outcome: RegExp | "resolves";
  /** The only ids a Stop/Start/Delete/Destroy/Modify call may name. */
  own: (c: Ctx) => string[];
  /** Instances that must be exactly as before (status unchanged, still there). */
  untouched: (c: Ctx) => string[];
  /** Further checks of the log or the cloud. */
  then?: (c: Ctx) => Promise<void>;
}

const BATCHED = ["StopInstances", "DeleteInstances", "DescribeInstances"];

const CASES: Case[] = [
  // ECS
  {
    name: "ecs.Instance: adopting an id that does not exist",
    setup: async () => ({}),
    run: () => ecsInstance.create({ regionId: A, instanceId: GHOST.ecs }),
    outcome: new RegExp(`cannot adopt ${GHOST.ecs}: no such instance in region ${A}`),
    own: () => [], untouched: () => [],
  },
  {
    name: "ecs.Instance: adopting an instance that lives in another region",
    setup: async () => ({ other: (await ecsIn(B))[0] }),
    run: (c) => ecsInstance.create({ regionId: A, instanceId: c.other }),
    outcome: new RegExp(`no such instance in region ${A} \\(DescribeInstances does not list it\\)\\. Check the id and regionId`),
    own: () => [], untouched: (c) => [c.other],
  },
  {
    name: "ecs.Instance: creating in a region id that does not exist",
    setup: async () => ({}),
    run: () => ecsInstance.create({ ...LAUNCH, regionId: NOWHERE }),
    outcome: /RunInstances failed with InvalidRegionId\.NotFound[\s\S]*Check regionId/,
    own: () => [], untouched: () => [],
  },
  {
    name: "ecs.Instance: delete of outputs saying region A for an instance in region B never touches it (counted as gone in A)",
    setup: async () => ({ other: (await ecsIn(B))[0] }),
    run: (c) => ecsInstance.delete(c.other, { instanceId: c.other, regionId: A }),
    outcome: "resolves",
    own: () => [], untouched: (c) => [c.other],
    then: async (c) => expect(env.linesFor(c.other)).toEqual([`${c.other}: already released (not listed by DescribeInstances)`]),
  },
  {
    name: "ecs.Instance: delete of outputs with a region id that does not exist",
    setup: async () => ({ own: (await ecsIn(A))[0] }),
    run: (c) => ecsInstance.delete(c.own, { instanceId: c.own, regionId: NOWHERE }),
    outcome: /DescribeInstances failed with InvalidRegionId\.NotFound[\s\S]*Check regionId/,
    own: () => [], untouched: (c) => [c.own],
  },
  {
    name: "ecs.Instance: delete of outputs holding a Redis id",
    setup: async () => ({ kv: await kvIn(A) }),
    run: (c) => ecsInstance.delete(c.kv, { instanceId: c.kv, regionId: A }),
    outcome: /not released: the stored id is not an ECS instance id, so it was not looked up/,
    own: () => [], untouched: (c) => [c.kv],
    then: async () => expect(await env.admin.requests()).toEqual([]),
  },
  {
    name: "ecs.InstanceSet: delete of outputs whose ids include another product's",
    setup: async () => {
      const [a] = await ecsIn(A);
      return { a, dds: await ddsIn(A) };
    },
    run: (c) => ecsSet.delete(`${c.a},${c.dds}`, { instanceIds: [c.a, c.dds], regionId: A }),
    outcome: /ecs\.InstanceSet .*: not released: the stored id is not an ECS instance id/,
    own: () => [], untouched: (c) => [c.a, c.dds],
    then: async () => expect(await env.admin.requests()).toEqual([]),
  },
  {
    name: "ecs.InstanceSet: delete of outputs listing an id twice releases it once",
    setup: async () => {
      const [a, b] = await ecsIn(A, 2);
      return { a, b, neighbour: (await ecsIn(A))[0] };
    },
    run: (c) => ecsSet.delete(`${c.a},${c.a},${c.b}`, { instanceIds: [c.a, c.a, c.b], regionId: A }),
    outcome: "resolves",
    own: (c) => [c.a, c.b], untouched: (c) => [c.neighbour],
    then: async (c) => {
      for (const e of await env.admin.requests()) if (BATCHED.includes(e.action!)) expect(new Set(idsOf(e)).size).toBe(idsOf(e).length);
      expect((await env.admin.requests({ action: "DeleteInstances" })).filter((e) => !isDryRun(e)).map(idsOf)).toEqual([[c.a, c.b]]);
    },
  },
  {
    name: "ecs.InstanceSet: adopting and releasing 150 ids (more than 100) batches them by 100",
    setup: async () => {
      const ids = [...(await ecsIn(A, 100)), ...(await ecsIn(A, 50))];
      return { ids: ids.join(","), neighbour: (await ecsIn(A))[0] };
    },
    run: async (c) => {
      const ids = c.ids.split(",");
      const adopted = await ecsSet.create({ regionId: A, instanceIds: ids });
      expect(adopted.outs!.instanceIds).toEqual(ids);
      await ecsSet.delete(adopted.id, adopted.outs!);
    },
    outcome: "resolves",
    own: (c) => c.ids.split(","), untouched: (c) => [c.neighbour],
    then: async (c) => {
      const log = await env.admin.requests({ product: "ecs" });
      for (const e of log) if (BATCHED.includes(e.action!)) expect(idsOf(e).length, `${e.action} #${e.seq}`).toBeLessThanOrEqual(100);
      expect((await env.admin.requests({ action: "DeleteInstances" })).filter((e) => !isDryRun(e)).map((e) => idsOf(e).length).sort()).toEqual([100, 50].sort());
      const left = (await env.admin.instances("ecs")).filter((i) => c.ids.split(",").includes(i.id));
      expect(left).toEqual([]);
    },
  },
  {
    name: "ecs.Instance: unknown option values in the outputs fall back to the safe defaults (graceful stop, Force=false)",
    setup: async () => ({ own: (await ecsIn(A))[0] }),
    run: (c) => ecsInstance.delete(c.own, { instanceId: c.own, regionId: A, onSubscription: "sometimes", force: "yes", overrideProtection: 1, deleteTimeoutSeconds: -5, stopTimeoutSeconds: "soon" }),
    outcome: "resolves",
    own: (c) => [c.own], untouched: () => [],
    then: async () => {
      const made = (await env.admin.requests()).filter((e) => (e.action === "StopInstances" || e.action === "DeleteInstances") && !isDryRun(e));
      expect(made.map((e) => `${e.action} ForceStop=${e.params.ForceStop ?? "-"} Force=${e.params.Force ?? "-"}`)).toEqual(["StopInstances ForceStop=false Force=-", "DeleteInstances ForceStop=- Force=false"]);
    },
  },
  {
    name: "ecs.Instance: a negative stopTimeoutSeconds in the outputs means no graceful wait (forced stop), not a crash",
    setup: async () => ({ own: (await ecsIn(A))[0] }),
    run: (c) => ecsInstance.delete(c.own, { instanceId: c.own, regionId: A, stopTimeoutSeconds: -100 }),
    outcome: "resolves",
    own: (c) => [c.own], untouched: () => [],
  },
  // MongoDB
  {
    name: "mongodb.Instance: adopting an id that does not exist",
    setup: async () => ({}),
    run: () => mongo.create({ regionId: A, dbInstanceId: GHOST.dds }),
    outcome: new RegExp(`cannot adopt ${GHOST.dds}: no such instance in region ${A}`),
    own: () => [], untouched: () => [],
  },
  {
    name: "mongodb.Instance: adopting an instance that lives in another region",
    setup: async () => ({ other: await ddsIn(B) }),
    run: (c) => mongo.create({ regionId: A, dbInstanceId: c.other }),
    outcome: new RegExp(`it is in region ${B}, not ${A}\\. Set regionId: "${B}"`),
    own: () => [], untouched: (c) => [c.other],
  },
  {
    name: "mongodb.Instance: delete of outputs saying region A for an instance in region B refuses, changing nothing",
    setup: async () => ({ other: await ddsIn(B) }),
    run: (c) => mongo.delete(c.other, { dbInstanceId: c.other, regionId: A }),
    outcome: new RegExp(`not released: the state says region ${A}, but the instance is in region ${B}; nothing was changed`),
    own: () => [], untouched: (c) => [c.other],
  },
  {
    name: "mongodb.Instance: delete of outputs with a region id that does not exist refuses, changing nothing",
    setup: async () => ({ own: await ddsIn(A) }),
    run: (c) => mongo.delete(c.own, { dbInstanceId: c.own, regionId: NOWHERE }),
    outcome: new RegExp(`the state says region ${NOWHERE}, but the instance is in region ${A}`),
    own: () => [], untouched: (c) => [c.own],
  },
  {
    name: "mongodb.Instance: delete of outputs holding an ECS id",
    setup: async () => ({ ecs: (await ecsIn(A))[0] }),
    run: (c) => mongo.delete(c.ecs, { dbInstanceId: c.ecs, regionId: A }),
    outcome: /not released: the stored id is not a MongoDB \(DDS\) instance id/,
    own: () => [], untouched: (c) => [c.ecs],
    then: async () => expect(await env.admin.requests()).toEqual([]),
  },
  {
    name: "mongodb.Instance: unknown option values in the outputs fall back to the safe defaults",
    setup: async () => ({ own: await ddsIn(A) }),
    run: (c) => mongo.delete(c.own, { dbInstanceId: c.own, regionId: A, onSubscription: "convert", overrideProtection: "yes", deleteTimeoutSeconds: "forever" }),
    outcome: "resolves",
    own: (c) => [c.own], untouched: () => [],
  },
  // Redis
  {
    name: "redis.Instance: adopting an id that does not exist",
    setup: async () => ({}),
    run: () => redis.create({ regionId: A, instanceId: GHOST.kv }),
    outcome: new RegExp(`cannot adopt ${GHOST.kv}: no such instance`),
    own: () => [], untouched: () => [],
  },
  {
    name: "redis.Instance: adopting an instance that lives in another region",
    setup: async () => ({ other: await kvIn(B) }),
    run: (c) => redis.create({ regionId: A, instanceId: c.other }),
    outcome: new RegExp(`it is in region ${B}, not ${A}\\. Set regionId: "${B}"`),
    own: () => [], untouched: (c) => [c.other],
  },
  {
    name: "redis.Instance: delete of outputs saying region A for an instance in region B refuses, changing nothing",
    setup: async () => ({ other: await kvIn(B) }),
    run: (c) => redis.delete(c.other, { instanceId: c.other, regionId: A, purgeRecycleBin: true }),
    outcome: new RegExp(`not released: the state says region ${A}, but the instance is in region ${B}; nothing was changed`),
    own: () => [], untouched: (c) => [c.other],
  },
  {
    name: "redis.Instance: delete of outputs holding an ECS id",
    setup: async () => ({ ecs: (await ecsIn(A))[0] }),
    run: (c) => redis.delete(c.ecs, { instanceId: c.ecs, regionId: A }),
    outcome: /not released: the stored id is not a Tair \(Redis\) instance id/,
    own: () => [], untouched: (c) => [c.ecs],
    then: async () => expect(await env.admin.requests()).toEqual([]),
  },
  {
    name: "redis.Instance: unknown option values in the outputs fall back to the safe defaults (kept in the recycle bin)",
    setup: async () => ({ own: await kvIn(A) }),
    run: (c) => redis.delete(c.own, { instanceId: c.own, regionId: A, purgeRecycleBin: "yes", onSubscription: 7, deleteTimeoutSeconds: -1 }),
    outcome: "resolves",
    own: (c) => [c.own], untouched: () => [],
    then: async (c) => expect((await env.admin.instance(c.own))?.status).toBe("Released"),
  },
];

describe("6. create and delete: a clear error or the safe default, and no call touches another instance", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    await env.reset();
    const ctx = await c.setup();
    await env.admin.advance(3600);
    const before = new Map((await env.admin.instances()).map((i) => [i.id, i.status]));
    await env.admin.clearRequests();
    env.lines.length = 0;

    const outcome = await c.run(ctx).then(
      () => "resolves" as const,
      (e: unknown) => e,
    );
    if (c.outcome === "resolves") expect(outcome instanceof Error ? outcome.message : outcome).toBe("resolves");
    else {
      expect(outcome).toBeInstanceOf(Error);
      expect((outcome as Error).message).toMatch(c.outcome);
    }

    const own = new Set(c.own(ctx));
    const touched = changeCalls(await env.admin.requests()).flatMap((call) => call.ids.filter((id) => !own.has(id)).map((id) => `${call.action} ${id}`));
    expect(touched, "calls that named an instance other than the resource's own").toEqual([]);
    const after = new Map((await env.admin.instances()).map((i) => [i.id, i.status]));
    for (const id of c.untouched(ctx)) expect(after.get(id), `${id} must be untouched`).toBe(before.get(id));
    await c.then?.(ctx);
  });
});
