// 7. Two destroys releasing the same instance at once, in one provider process (here: the provider's modules
// in-process, which is what one dynamic-provider process runs; two separate processes are in
// packed-process.test.ts). Both end cleanly: no crash, no failed delete, no second-release error shown to the
// user; one of them may say the instance was already gone. For ECS, MongoDB and Redis, started together or the
// second one when the first has just made its release call.
import { describe, expect, it } from "vitest";
import * as ecsInstance from "../../provider/ecs/instance-provider";
import * as ecsSet from "../../provider/ecs/instance-set-provider";
import * as mongo from "../../provider/mongodb/instance-provider";
import * as redis from "../../provider/redis/instance-provider";
import { isDryRun, useEmulatorForProvider } from "../support/provider-env";
import { until } from "../support/reliability";

const env = useEmulatorForProvider({ "ecs.pending": 1, "ecs.starting": 1, "dds.creating": 1, "kv.creating": 1, "ecs.stopping": 50, "dds.deleting": 50, "kv.releasing": 50 });
const REGION = "cn-hangzhou";
const LAUNCH = { regionId: REGION, imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vSwitchId: "vsw-default-cn-hangzhou-b", securityGroupId: "sg-default-cn-hangzhou" };
const MONGO = { regionId: REGION, engineVersion: "7.0", dbInstanceClass: "dds.mongo.mid", dbInstanceStorage: 20, vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h" };
const REDIS = { regionId: REGION, instanceClass: "redis.master.small.default", vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h" };

type Delete = (id: string, outs: Record<string, unknown>) => Promise<void>;

interface Case {
  name: string;
  make: () => Promise<{ id: string; outs: Record<string, unknown>; ids: string[] }>;
  /** The two deletes; the second may be another resource that owns the same instance. */
  first: Delete;
  second?: (made: { id: string; outs: Record<string, unknown>; ids: string[] }) => Promise<void>;
  /** Start the second when the log shows this call (default: both at once). */
  after?: string;
  /** The instance's status at the end; undefined: gone. */
  finalStatus?: string;
}

const ecsMake = async (extra: Record<string, unknown> = {}) => {
  const r = await ecsInstance.create({ ...LAUNCH, ...extra });
  return { id: r.id, outs: r.outs!, ids: [r.id] };
};
const mongoMake = async () => {
  const r = await mongo.create({ ...MONGO });
  return { id: r.id, outs: r.outs!, ids: [r.id] };
};
const redisMake = (extra: Record<string, unknown>) => async () => {
  const r = await redis.create({ ...REDIS, ...extra });
  return { id: r.id, outs: r.outs!, ids: [r.id] };
};

const CASES: Case[] = [
  { name: "ecs.Instance, both at once", make: () => ecsMake(), first: ecsInstance.delete },
  { name: "ecs.Instance with force, both at once", make: () => ecsMake({ force: true }), first: ecsInstance.delete },
  { name: "ecs.Instance, the second after the first's StopInstances", make: () => ecsMake(), first: ecsInstance.delete, after: "StopInstances" },
  { name: "ecs.Instance, the second after the first's DeleteInstances", make: () => ecsMake(), first: ecsInstance.delete, after: "DeleteInstances" },
  {
    name: "ecs.Instance and an ecs.InstanceSet that adopted the same instance, both at once",
    make: () => ecsMake(),
    first: ecsInstance.delete,
    second: async (m) => {
      const set = await ecsSet.create({ regionId: REGION, instanceIds: [m.id] });
      await ecsSet.delete(set.id, set.outs!);
    },
  },
  // A released replica set stays in the recycle bin (Released) for 7 days.
  { name: "mongodb.Instance, both at once", make: mongoMake, first: mongo.delete, finalStatus: "Released" },
  { name: "mongodb.Instance, the second after the first's DeleteDBInstance", make: mongoMake, first: mongo.delete, after: "DeleteDBInstance", finalStatus: "Released" },
  { name: "redis.Instance (purged), both at once", make: redisMake({ purgeRecycleBin: true }), first: redis.delete },
  { name: "redis.Instance (purged), the second after the first's DeleteInstance", make: redisMake({ purgeRecycleBin: true }), first: redis.delete, after: "DeleteInstance" },
  { name: "redis.Instance (purged), the second after the first's DestroyInstance", make: redisMake({ purgeRecycleBin: true }), first: redis.delete, after: "DestroyInstance" },
  { name: "redis.Instance (kept in the recycle bin), both at once", make: redisMake({}), first: redis.delete, finalStatus: "Released" },
];

describe("7. two destroys of the same instance in one process", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s: both end cleanly", async (_name, c) => {
    await env.reset();
    const made = await c.make();
    await env.admin.clearRequests();
    env.lines.length = 0;

    const one = c.first(made.id, made.outs);
    const outcomes: Promise<void>[] = [one];
    if (c.after) {
      await until(`the first destroy's ${c.after}`, async () => (await env.admin.requests({ action: c.after })).length > 0, 10_000, 5);
    }
    outcomes.push(c.second ? c.second(made) : c.first(made.id, made.outs));
    const settled = await Promise.allSettled(outcomes);
    const errors = settled.flatMap((s) => (s.status === "rejected" ? [(s.reason as Error).message] : []));
    expect(errors).toEqual([]);

    const left = (await env.admin.instances()).filter((i) => made.ids.includes(i.id)).map((i) => i.status);
    expect(left).toEqual(c.finalStatus ? [c.finalStatus] : []);
    // Nothing the user sees reads as a failure.
    const lines = made.ids.flatMap((id) => env.linesFor(id));
    expect(lines.filter((l) => /fail|error|warning|refused/i.test(l))).toEqual([]);
    // A release call that came back with an error reached nobody; the emulator may have refused the second one.
    for (const e of await env.admin.requests()) if (e.status !== 200 && !isDryRun(e)) expect(e.code, `${e.action} -> ${e.code}`).toMatch(/IncorrectInstanceStatus|OperationDenied\.DBInstanceStatus|IncorrectDBInstanceState|NotFound/);
  });
});
