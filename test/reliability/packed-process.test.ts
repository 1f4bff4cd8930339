// Reliability of the package as users run it: packed, installed in a fresh Pulumi project, the provider blob
// made by the real closure serializer, and driven through real `cmd/dynamic-provider` processes over gRPC, as
// the engine does, against the emulator (real HTTP, real signatures, STS credentials throughout).
//   1. a 200-instance destroy through one provider process while 20% of requests fail in every way the edge fails;
//   2. the provider process killed at chosen and random points of a destroy; a fresh process converges;
//   4. whatever the inputs, an error comes back as a gRPC error with a message (the guard);
//   5. no access key secret, STS token or password in state, outputs, errors, provider output or the emulator;
//   7. two provider processes releasing the same instance at once.
// `npm run chaos` runs the long versions (RELIABILITY_CHAOS=1) and collects the printed figures.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorAdmin, RequestLogEntry, RunningEmulator, startEmulator } from "../../emulator";
import { cleanupHarness, createProject, dynamicType, packPackage, Project, ProviderCallError, ProviderProcess, urn } from "../support/pulumi-harness";
import { CHAOS, changeCalls, evenFaultRules, leaks, oneOfEachFault, peakRssMb, pool, reportFigures, retriesIn, seededRandom, sleep, until } from "../support/reliability";
import { notReleased } from "../support/emulator";

const TIME_SCALE = 0.01;
const REGION = "cn-hangzhou";
/** Temporary (STS) credentials with characters that URL-encode, so an encoded leak would show too. */
const CRED = { accessKeyId: "STS.NT-reliability-key", accessKeySecret: "rel/Secret+Key=&% value!", securityToken: "CAIS+rel/Token=with&odd%chars" };
const REDIS_PASSWORD = "Rd5!Pa55+w0rd&x=y";
const MONGO_PASSWORD = "Mg0%Pa55#w0rd&z=";
const SECRETS = { accessKeySecret: CRED.accessKeySecret, securityToken: CRED.securityToken, redisPassword: REDIS_PASSWORD, mongoPassword: MONGO_PASSWORD };
const LAUNCH = { imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vSwitchId: "vsw-default-cn-hangzhou-b", securityGroupId: "sg-default-cn-hangzhou" };
const MONGO = { engineVersion: "7.0", dbInstanceClass: "dds.mongo.mid", dbInstanceStorage: 20, vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h", chargeType: "PostPaid", accountPassword: MONGO_PASSWORD };
const REDIS = { instanceClass: "redis.master.small.default", engineVersion: "7.0", vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h", password: REDIS_PASSWORD, purgeRecycleBin: true };
/** The client timeout of the destroying processes: a reply slower than this (faults use 800 ms) is lost. */
const HTTP_TIMEOUT_MS = 500;
const PARALLEL = 32;

const KINDS = {
  ecs: { type: dynamicType("ecs.Instance", "alicloud-release"), module: "ecs/instance-provider" },
  set: { type: dynamicType("ecs.InstanceSet", "alicloud-release"), module: "ecs/instance-set-provider" },
  mongo: { type: dynamicType("mongodb.Instance", "alicloud-release"), module: "mongodb/instance-provider" },
  redis: { type: dynamicType("redis.Instance", "alicloud-release"), module: "redis/instance-provider" },
} as const;
type Kind = keyof typeof KINDS;

let emu: RunningEmulator;
let admin: EmulatorAdmin;
let project: Project;
/** Creates everything (no faults while it does), and serves as one of the two processes in 7. */
let main: ProviderProcess;
const blobs: Record<string, string> = {};
/** Everything that must be free of secrets: every process started, every error, every state written. */
const processes: ProviderProcess[] = [];
const errorTexts: string[] = [];
const states: unknown[] = [];

function providerEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ALICLOUD_RELEASE_ENDPOINT: emu.url,
    ALIBABA_CLOUD_ACCESS_KEY_ID: CRED.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: CRED.accessKeySecret,
    ALIBABA_CLOUD_SECURITY_TOKEN: CRED.securityToken,
    ALICLOUD_RELEASE_TIME_SCALE: String(TIME_SCALE),
    ALICLOUD_RELEASE_HTTP_TIMEOUT_MS: String(HTTP_TIMEOUT_MS),
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
    ...extra,
  };
}

async function startProvider(extra: Record<string, string> = {}): Promise<ProviderProcess> {
  const p = await project.startProvider(providerEnv(extra), { callTimeoutMs: 10 * 60_000 });
  processes.push(p);
  return p;
}

/** A rejection, remembered for the secret scan. */
function remember(e: unknown): unknown {
  if (e instanceof ProviderCallError) {
    errorTexts.push(e.message);
    if (e.initFailure) states.push(e.initFailure);
  } else errorTexts.push(String(e));
  return e;
}

beforeAll(async () => {
  emu = await startEmulator({
    timeScale: TIME_SCALE,
    credentials: [CRED],
    seed: 20240601,
    durations: { "ecs.pending": 1, "ecs.starting": 1, "ecs.stopping": 5, "ecs.release": 5, "dds.creating": 1, "dds.deleting": 10, "kv.creating": 1, "kv.releasing": 5, "kv.destroying": 5 },
  });
  admin = new EmulatorAdmin(emu.url);
  project = await createProject({ tarballs: [await packPackage()] });
  for (const k of Object.values(KINDS)) blobs[k.module] = await project.serializeProvider(k.module);
  main = await startProvider();
}, 300_000);

afterAll(async () => {
  await cleanupHarness();
  await emu?.close();
});

// ---- the stack ------------------------------------------------------------------------------------------

interface Resource {
  kind: Kind;
  name: string;
  id: string;
  outputs: Record<string, unknown>;
  /** The instances it owns. */
  instanceIds: string[];
}

const urnOf = (r: { kind: Kind; name: string }): string => urn(KINDS[r.kind].type, r.name);

async function createOne(p: ProviderProcess, kind: Kind, name: string, props: Record<string, unknown>): Promise<Resource> {
  const { type, module } = KINDS[kind];
  const news = { __provider: blobs[module], regionId: REGION, ...props };
  const checked = await p.check(urn(type, name), type, {}, news);
  expect(checked.failures, `${kind} ${name}`).toEqual([]);
  const made = await p.create(urn(type, name), checked.inputs).catch((e: unknown) => Promise.reject(remember(e)));
  states.push(made.outputs);
  const instanceIds = kind === "set" ? (made.outputs.instanceIds as string[]) : [made.id];
  return { kind, name, id: made.id, outputs: made.outputs, instanceIds };
}

interface Shape {
  ecs: number;
  /** Instances in the one ecs.InstanceSet (0: none). */
  set: number;
  mongo: number;
  redis: number;
}

async function createStack(prefix: string, shape: Shape): Promise<Resource[]> {
  const todo: [Kind, string, Record<string, unknown>][] = [
    ...Array.from({ length: shape.ecs }, (_, i): [Kind, string, Record<string, unknown>] => ["ecs", `${prefix}-web-${i}`, LAUNCH]),
    ...(shape.set > 0 ? [["set", `${prefix}-pool`, { ...LAUNCH, amount: shape.set }] as [Kind, string, Record<string, unknown>]] : []),
    ...Array.from({ length: shape.mongo }, (_, i): [Kind, string, Record<string, unknown>] => ["mongo", `${prefix}-db-${i}`, MONGO]),
    ...Array.from({ length: shape.redis }, (_, i): [Kind, string, Record<string, unknown>] => ["redis", `${prefix}-cache-${i}`, REDIS]),
  ];
  const made = await pool(todo, PARALLEL, ([kind, name, props]) => createOne(main, kind, name, props));
  const failed = made.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
  expect(failed, "creating the stack").toEqual([]);
  return made.map((r) => (r as PromiseFulfilledResult<Resource>).value);
}

/** The stack's instances not released, in any state (the Redis recycle bin included; a released MongoDB replica set in its recycle bin is released). */
async function leftOf(stack: Resource[]): Promise<string[]> {
  const mine = new Set(stack.flatMap((r) => r.instanceIds));
  return notReleased((await admin.instances()).filter((i) => mine.has(i.id))).map((i) => `${i.id} (${i.status})`);
}

/** Reads the request log from where it was last read (the log is never cleared: the secret scan reads it all). */
class LogCursor {
  private seq = 0;
  static async now(): Promise<LogCursor> {
    const c = new LogCursor();
    await c.read();
    return c;
  }
  async read(): Promise<RequestLogEntry[]> {
    const entries = await admin.requests({ since: this.seq });
    if (entries.length) this.seq = entries[entries.length - 1].seq;
    return entries;
  }
}

async function faultsInjected(): Promise<number> {
  const res = await fetch(`${emu.url}/_emulator/faults`);
  return ((await res.json()) as { injected: number }).injected;
}

// ---- 1. faults ------------------------------------------------------------------------------------------

describe("1. a 200-instance destroy while 20% of requests fail", () => {
  const SHAPE: Shape = { ecs: 150, set: 30, mongo: 10, redis: 10 };
  // Coalescing off (ALICLOUD_RELEASE_COALESCE=false) makes every delete its own calls: five times the requests.
  const rounds = CHAOS
    ? [
        { seed: 1, rate: 0.2, coalesce: true },
        { seed: 2, rate: 0.2, coalesce: true },
        { seed: 3, rate: 0.2, coalesce: true },
        { seed: 4, rate: 0.3, coalesce: true },
        { seed: 5, rate: 0.2, coalesce: false },
      ]
    : [{ seed: 1, rate: 0.2, coalesce: true }];

  for (const round of rounds) {
    const title = `round ${round.seed}: ${Math.round(round.rate * 100)}% faults of every kind, P=${PARALLEL}${round.coalesce ? "" : ", coalescing off"}: 0 failed, 0 left, 0 false "deleted"`;
    it(title, async () => {
      const stack = await createStack(`f${round.seed}`, SHAPE);
      expect(stack.flatMap((r) => r.instanceIds)).toHaveLength(200);
      // One fresh process, as `pulumi destroy` starts one, so its peak memory is the destroy's.
      const destroyer = await startProvider(round.coalesce ? {} : { ALICLOUD_RELEASE_COALESCE: "false" });
      const cursor = await LogCursor.now();
      const injectedBefore = await faultsInjected();
      await admin.faults([...oneOfEachFault(), ...evenFaultRules(round.rate)]);
      const falseDeleted: string[] = [];
      const started = Date.now();
      const results = await pool(stack, PARALLEL, async (r) => {
        await destroyer.delete(r.id, urnOf(r), r.outputs).catch((e: unknown) => Promise.reject(remember(e)));
        // Resolved: every instance it owns must be gone now (Redis purged from the recycle bin too).
        const still = await leftOf([r]);
        if (still.length) falseDeleted.push(`${r.kind} ${r.name}: ${still.join(", ")}`);
      });
      const tookMs = Date.now() - started;
      await admin.clearFaults();
      // A slow reply's log entry is marked only when its delay ends, after the client gave up on it.
      await sleep(1000);
      const injected = (await faultsInjected()) - injectedBefore;
      const log = await cursor.read();
      const retries = retriesIn(log);
      const failed = results.flatMap((res, i) => (res.status === "rejected" ? [`${stack[i].kind} ${stack[i].name}: ${(res.reason as Error).message}`] : []));
      const left = await leftOf(stack);
      const figures = {
        resources: stack.length, instances: 200, parallel: PARALLEL, faultRate: round.rate, coalescing: round.coalesce, requests: log.length, faultsInjected: injected, retries,
        failed: failed.length, left: left.length, falseDeleted: falseDeleted.length, seconds: Math.round(tookMs / 100) / 10, providerPeakRssMb: peakRssMb(destroyer.pid),
      };
      reportFigures(`destroy under faults (round ${round.seed})`, figures);
      await destroyer.close();

      expect(failed).toEqual([]);
      expect(left).toEqual([]);
      expect(falseDeleted).toEqual([]);
      // The mix really hit the destroy, at roughly the rate asked for. (A held request that then runs can meet an
      // "after" fault too: two faults, one failed attempt, so retries can be a little below faults injected.)
      expect(injected).toBeGreaterThan(log.length * round.rate * 0.5);
      expect(retries).toBeGreaterThan(injected * 0.9);
      const kinds = new Set(log.map((e) => e.fault).filter(Boolean).map((f) => (f!.startsWith("latency") ? "latency" : f)));
      for (const k of ["Throttling.User", "ServiceUnavailable", "InternalError", "drop", "html", "latency"]) expect(kinds, `fault kind ${k}`).toContain(k);
    }, CHAOS ? 600_000 : 240_000);
  }
});

// ---- 2. crashes -----------------------------------------------------------------------------------------

const TRIGGERS = ["after a stop", "after a release call", "in the middle of a batch", "after a purge", "at a random moment"] as const;
type Trigger = (typeof TRIGGERS)[number];

/** Resolves when the moment has come, judged from the emulator's request log (entries appear as requests arrive). */
async function moment(trigger: Trigger, round: number, cursor: LogCursor, random: () => number): Promise<string> {
  if (trigger === "at a random moment") {
    const ms = Math.round(random() * 400);
    await sleep(ms);
    return `${ms} ms into the destroy`;
  }
  // Each product's release call in turn, round after round.
  const releaseCalls = ["ecs:DeleteInstances", "dds:DeleteDBInstance", "r-kvstore:DeleteInstance"];
  const wanted = releaseCalls[round % releaseCalls.length];
  const match = (e: RequestLogEntry): boolean => {
    switch (trigger) {
      case "after a stop":
        return e.action === "StopInstances";
      case "after a release call":
        return `${e.product}:${e.action}` === wanted;
      case "in the middle of a batch":
        return (e.action === "StopInstances" || e.action === "DeleteInstances") && (changeCalls([e])[0]?.ids.length ?? 0) >= 10;
      case "after a purge":
        return e.product === "r-kvstore" && e.action === "DestroyInstance";
    }
  };
  let seen: RequestLogEntry | undefined;
  await until(`the destroy to reach "${trigger}"`, async () => Boolean((seen = (await cursor.read()).find(match))), 20_000, 10);
  return `${seen!.product}:${seen!.action} (log #${seen!.seq})`;
}

describe("2. the provider process killed in the middle of a destroy", () => {
  const seeds = Array.from({ length: CHAOS ? 20 : 5 }, (_, i) => i + 1);
  const SHAPE: Shape = { ecs: 6, set: 12, mongo: 2, redis: 2 };
  let spare: ProviderProcess | undefined;
  const figures: Record<string, unknown>[] = [];

  afterAll(() => {
    if (figures.length) reportFigures("destroy after a crash", { rounds: figures.length, converged: figures.filter((f) => f.left === 0).length, details: figures });
  });

  for (const seed of seeds) {
    const trigger = TRIGGERS[(seed - 1) % TRIGGERS.length];
    it(`seed ${seed}: killed ${trigger}; a second destroy from a fresh process converges`, async () => {
      const random = seededRandom(seed);
      const stack = await createStack(`c${seed}`, SHAPE);
      const victim = spare ?? (await startProvider());
      spare = undefined;
      const cursor = await LogCursor.now();

      // First destroy: every delete in flight at once, as the engine sends them.
      const outcome: { ok: boolean; at: number; error?: ProviderCallError }[] = [];
      const first = pool(stack, PARALLEL, async (r, i) => {
        try {
          await victim.delete(r.id, urnOf(r), r.outputs);
          outcome[i] = { ok: true, at: Date.now() };
        } catch (e) {
          remember(e);
          outcome[i] = { ok: false, at: Date.now(), error: e as ProviderCallError };
        }
      });
      const when = await moment(trigger, Math.floor((seed - 1) / TRIGGERS.length), cursor, random);
      await sleep(Math.round(random() * 40));
      const killedAt = Date.now();
      await victim.kill();
      await first;

      // A delete the engine saw succeed is gone from state; the others are what the second destroy gets.
      const unexpected = outcome.flatMap((o, i) => (!o.ok && (o.at < killedAt || o.error?.grpcCode === 2) ? [`${stack[i].name}: ${o.error?.message}`] : []));
      expect(unexpected, `seed ${seed}: errors that were not the kill`).toEqual([]);
      const remaining = stack.filter((_, i) => !outcome[i].ok);

      const fresh = await startProvider();
      const started = Date.now();
      const second = await pool(remaining, PARALLEL, (r) => fresh.delete(r.id, urnOf(r), r.outputs).catch((e: unknown) => Promise.reject(remember(e))));
      const failed = second.flatMap((res, i) => (res.status === "rejected" ? [`${remaining[i].name}: ${(res.reason as Error).message}`] : []));
      const left = await leftOf(stack);
      figures.push({ seed, trigger, killedAt: when, doneBeforeKill: stack.length - remaining.length, secondDestroy: remaining.length, secondDestroySeconds: (Date.now() - started) / 1000, failed: failed.length, left: left.length });
      spare = fresh;

      expect(failed, `seed ${seed} (${trigger}, ${when}): second destroy`).toEqual([]);
      expect(left, `seed ${seed} (${trigger}, ${when}): left behind`).toEqual([]);
    }, 120_000);
  }

  afterAll(async () => {
    await spare?.close();
  });
});

// ---- 4. the guard ---------------------------------------------------------------------------------------

describe("4. whatever arrives, an error comes back as a gRPC error with a message", () => {
  const blob = (k: Kind) => blobs[KINDS[k].module];
  const u = (k: Kind, name: string) => urn(KINDS[k].type, name);
  const ghost = "i-bp1doesnotexist0000";
  const cases: [string, () => Promise<unknown>][] = [
    ["ECS create with no launch parameters (check skipped)", () => main.create(u("ecs", "g1"), { __provider: blob("ecs"), regionId: REGION })],
    ["ECS set create with amount \"many\" (check skipped)", () => main.create(u("set", "g2"), { __provider: blob("set"), regionId: REGION, ...LAUNCH, amount: "many" })],
    ["ECS create adopting an id that is an object", () => main.create(u("ecs", "g3"), { __provider: blob("ecs"), regionId: REGION, instanceId: { nested: [1, 2] } })],
    ["ECS delete of outputs with no id at all", () => main.delete("", u("ecs", "g4"), { __provider: blob("ecs") })],
    ["ECS delete with instanceIds an object and regionId a number", () => main.delete("", u("set", "g5"), { __provider: blob("set"), instanceIds: { a: 1 }, regionId: 5 })],
    ["ECS delete with a region id made of path characters", () => main.delete(ghost, u("ecs", "g6"), { __provider: blob("ecs"), instanceId: ghost, regionId: "../../etc" })],
    ["ECS delete with absurd timeouts in the outputs", () => main.delete(ghost, u("ecs", "g7"), { __provider: blob("ecs"), instanceId: ghost, regionId: REGION, deleteTimeoutSeconds: 1e308, stopTimeoutSeconds: -1e9, force: "yes" })],
    ["ECS set delete of 2500 ids that do not exist", () => main.delete("x", u("set", "g8"), { __provider: blob("set"), regionId: REGION, instanceIds: Array.from({ length: 2500 }, (_, i) => `i-bp1absent${String(i).padStart(8, "0")}`) })],
    ["ECS read of outputs whose ids are not strings", () => main.read("i-x", u("ecs", "g9"), { __provider: blob("ecs"), instanceIds: [1, {}, null], regionId: REGION })],
    ["ECS update of garbage", () => main.update("i-x", u("ecs", "g10"), { __provider: blob("ecs"), regionId: [] }, { __provider: blob("ecs"), deletionProtection: "maybe", instanceName: 7 })],
    ["ECS diff of garbage", () => main.diff("i-x", u("ecs", "g11"), { __provider: blob("ecs"), tags: "x" }, { __provider: blob("ecs"), tags: [[["deep"]]] })],
    ["ECS check of deeply nested nonsense", () => main.check(u("ecs", "g12"), KINDS.ecs.type, {}, { __provider: blob("ecs"), tags: { a: { b: { c: [1] } } }, amount: -1, instanceId: "", regionId: "" })],
    ["MongoDB create with negative storage (check skipped)", () => main.create(u("mongo", "g13"), { __provider: blob("mongo"), regionId: REGION, ...MONGO, dbInstanceStorage: -1 })],
    ["MongoDB delete of another product's id", () => main.delete("r-bp1notmongo00000", u("mongo", "g14"), { __provider: blob("mongo"), dbInstanceId: "r-bp1notmongo00000", regionId: REGION })],
    ["MongoDB update of an instance that does not exist", () => main.update("dds-bp1absent000000", u("mongo", "g15"), { __provider: blob("mongo"), dbInstanceId: "dds-bp1absent000000", regionId: REGION }, { __provider: blob("mongo"), releaseProtection: true })],
    ["Redis create with a password that is an object (check skipped)", () => main.create(u("redis", "g16"), { __provider: blob("redis"), regionId: REGION, ...REDIS, password: { not: "a string" } })],
    ["Redis delete with no id", () => main.delete("", u("redis", "g17"), { __provider: blob("redis"), instanceId: 42 })],
    ["Redis read with a region that is a list", () => main.read("r-bp1absent000000", u("redis", "g18"), { __provider: blob("redis"), regionId: ["cn-hangzhou"] })],
    ["Redis create in a region id that does not exist", () => main.create(u("redis", "g19"), { __provider: blob("redis"), ...REDIS, regionId: "xx-nowhere-1" })],
    ["Redis update of an instance that does not exist", () => main.update("r-bp1absent000000", u("redis", "g20"), { __provider: blob("redis"), instanceId: "r-bp1absent000000", regionId: REGION }, { __provider: blob("redis"), releaseProtection: true })],
  ];

  it.each(cases)("%s", async (_name, call) => {
    const outcome = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    if (outcome === undefined) return;
    remember(outcome);
    expect(outcome).toBeInstanceOf(ProviderCallError);
    const e = outcome as ProviderCallError;
    expect(e.grpcCodeName).toBe("UNKNOWN");
    expect(e.message.trim().length).toBeGreaterThan(10);
    expect(e.message).not.toMatch(/^(undefined|null|\[object Object\])$|unexpected failure: undefined/);
    // Self-contained: it names the resource (or says what configuration is missing), never a bare API answer.
    expect(e.message).toMatch(/^(ecs\.Instance|ecs\.InstanceSet|mongodb\.Instance|redis\.Instance|No Alibaba Cloud)/);
  });

  it("the process is still serving afterwards", async () => {
    expect((await main.getPluginInfo()).version).toBeTruthy();
    expect(main.stderr.join("\n")).not.toMatch(/UnhandledPromiseRejection|unhandled/i);
  });
});

// ---- 7. two processes -----------------------------------------------------------------------------------

describe("7. two provider processes releasing the same instance at once", () => {
  let other: ProviderProcess;
  beforeAll(async () => {
    other = await startProvider();
  });
  afterAll(async () => {
    await other?.close();
  });

  const cases: [string, Kind, Record<string, unknown>][] = [
    ["ecs.Instance", "ecs", LAUNCH],
    ["ecs.Instance with force", "ecs", { ...LAUNCH, force: true }],
    ["ecs.InstanceSet", "set", { ...LAUNCH, amount: 5 }],
    ["mongodb.Instance", "mongo", MONGO],
    ["redis.Instance, purged", "redis", REDIS],
    ["redis.Instance, kept in the recycle bin", "redis", { ...REDIS, purgeRecycleBin: false }],
  ];

  it.each(cases)("%s: both destroys end cleanly", async (_name, kind, props) => {
    const r = await createOne(main, kind, `twice-${kind}-${Math.random().toString(36).slice(2, 8)}`, props);
    const both = await Promise.allSettled([main.delete(r.id, urnOf(r), r.outputs), other.delete(r.id, urnOf(r), r.outputs)]);
    const errors = both.flatMap((b) => (b.status === "rejected" ? [String(remember(b.reason))] : []));
    expect(errors).toEqual([]);
    const left = notReleased((await admin.instances()).filter((i) => r.instanceIds.includes(i.id)));
    if (props.purgeRecycleBin === false) expect(left.map((i) => i.status)).toEqual(["Released"]);
    else expect(left).toEqual([]);
    for (const p of [main, other]) expect(p.stderr.filter((l) => r.instanceIds.some((id) => l.startsWith(`${id}:`))).join("\n")).not.toMatch(/failed|error/i);
  });
});

// ---- 5. secrets -----------------------------------------------------------------------------------------

describe("5. no secret anywhere", () => {
  it("state, outputs, errors, provider output and the emulator's log and instances carry no secret, in any encoding", async () => {
    // Its own traffic, so that the test proves something when run alone: every product created, updated, read,
    // failed half-way, retried after lost replies, failed outright, and destroyed.
    const redis = await createOne(main, "redis", "secret-cache", REDIS);
    states.push((await main.update(redis.id, urnOf(redis), redis.outputs, { ...redis.outputs, ...REDIS, instanceName: "renamed-cache" })).outputs);
    states.push((await main.read(redis.id, urnOf(redis), redis.outputs)).outputs);
    const mongo = await createOne(main, "mongo", "secret-db", MONGO);
    states.push((await main.update(mongo.id, urnOf(mongo), mongo.outputs, { ...mongo.outputs, ...MONGO, dbInstanceDescription: "renamed" })).outputs);
    states.push((await main.read(mongo.id, urnOf(mongo), mongo.outputs)).outputs);

    // Lost replies on the creates that carry a password: retried with the same token.
    await admin.faults([
      { product: "r-kvstore", action: "CreateInstance", drop: true, phase: "after", count: 1 },
      { product: "dds", action: "CreateDBInstance", drop: true, phase: "after", count: 1 },
    ]);
    const redis2 = await createOne(main, "redis", "secret-cache-2", REDIS);
    const mongo2 = await createOne(main, "mongo", "secret-db-2", MONGO);

    // Created, then the wait fails: the init failure's properties are state too.
    await admin.faults([
      { product: "r-kvstore", action: "DescribeInstanceAttribute", code: "Forbidden.RAM", count: 1 },
      { product: "dds", action: "DescribeDBInstanceAttribute", code: "Forbidden.RAM", count: 1 },
    ]);
    const halfRedis = (await createOne(main, "redis", "secret-half-cache", REDIS).catch((e: unknown) => e)) as ProviderCallError;
    const halfMongo = (await createOne(main, "mongo", "secret-half-db", MONGO).catch((e: unknown) => e)) as ProviderCallError;
    expect(halfRedis.initFailure?.id).toMatch(/^r-/);
    expect(halfMongo.initFailure?.id).toMatch(/^dds-/);

    // Creates that fail outright after transport failures, whose messages the HTTP layer builds from the URL.
    await admin.faults([{ product: "r-kvstore", action: "CreateInstance", drop: true }]);
    const dropped = (await createOne(main, "redis", "secret-fail-cache", { ...REDIS, createTimeoutSeconds: 2 }).catch((e: unknown) => e)) as ProviderCallError;
    expect(dropped.message).toContain("CreateInstance failed with Network");
    await admin.faults([{ product: "r-kvstore", action: "CreateInstance", latencyMs: 1500 }]);
    const slow = (await createOne(main, "redis", "secret-slow-cache", { ...REDIS, createTimeoutSeconds: 2 }).catch((e: unknown) => e)) as ProviderCallError;
    expect(slow.message).toContain("CreateInstance failed with Timeout");
    await admin.faults([{ product: "dds", action: "CreateDBInstance", code: "InvalidParameter", message: "The specified parameter AccountPassword is not valid." }]);
    const refused = (await createOne(main, "mongo", "secret-fail-db", MONGO).catch((e: unknown) => e)) as ProviderCallError;
    expect(refused.message).toContain("CreateDBInstance failed with InvalidParameter");
    await admin.clearFaults();
    await sleep(1600); // the slow CreateInstance still runs in the emulator; let it finish before cleaning up

    const made = [redis, mongo, redis2, mongo2];
    for (const r of made) await main.delete(r.id, urnOf(r), r.outputs);
    for (const half of [halfRedis, halfMongo]) await main.delete(half.initFailure!.id, urn(KINDS[half.initFailure!.id.startsWith("r-") ? "redis" : "mongo"].type, "half"), half.initFailure!.properties);

    // The provider really signed with the STS token (the emulator refuses the key without it).
    const signed = await admin.requests({ product: "r-kvstore", action: "CreateInstance" });
    expect(signed.some((e) => e.status === 200)).toBe(true);

    const haystacks: Record<string, string> = {
      "state and outputs (create, update, read, init failures)": JSON.stringify(states),
      "error messages": errorTexts.join("\n"),
      "provider stdout and stderr": processes.map((p) => [...p.stdout, ...p.stderr].join("\n")).join("\n"),
      "emulator request log": JSON.stringify(await admin.requests()),
      "emulator instances view": JSON.stringify(await admin.instances()),
    };
    expect(states.length).toBeGreaterThan(5);
    expect(errorTexts.length).toBeGreaterThan(3);
    for (const [where, text] of Object.entries(haystacks)) expect(leaks(text, SECRETS), where).toEqual([]);
    reportFigures("secret scan", Object.fromEntries(Object.entries(haystacks).map(([k, v]) => [k, `${v.length} chars, 0 leaks`])));
  }, 120_000);
});
