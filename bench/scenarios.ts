// The teardown scenarios, how their instances are set up in the emulator, the outputs the provider's create would
// have stored for them, and the physical limit of tearing each one down.
import * as EcsSdk from "@alicloud/ecs20140526";
import * as KvSdk from "@alicloud/r-kvstore20150101";
import { randomUUID } from "node:crypto";
import { EmulatorServer } from "../emulator";
import { dds, ecs, kv } from "./sdk";

export type Kind = "ecs.Instance" | "ecs.InstanceSet" | "mongodb.Instance" | "redis.Instance";

export interface Group {
  kind: Kind;
  /** Resources (Pulumi resources) of this kind. */
  resources: number;
  /** Cloud instances per resource (an InstanceSet holds many). */
  perResource: number;
}

export interface Scenario {
  id: string;
  title: string;
  /** In dispatch order: the engine hands resources to the provider in this order. */
  groups: Group[];
}

export interface BenchResource {
  kind: Kind;
  /** The Pulumi resource id. */
  id: string;
  /** The outputs the provider's create stored; delete sees only these. */
  outs: Record<string, unknown>;
  instanceIds: string[];
}

export const REGION = "cn-hangzhou";

const ecsGroup = (resources: number): Group => ({ kind: "ecs.Instance", resources, perResource: 1 });
const setGroup = (resources: number, size: number): Group => ({ kind: "ecs.InstanceSet", resources, perResource: size });
const mongoGroup = (resources: number): Group => ({ kind: "mongodb.Instance", resources, perResource: 1 });
const redisGroup = (resources: number): Group => ({ kind: "redis.Instance", resources, perResource: 1 });

export interface Sizes {
  ecs: number;
  sets: number;
  setSize: number;
  db: number;
}

export function scenarios(sizes: Sizes): Scenario[] {
  const { ecs: n, sets, setSize, db } = sizes;
  return [
    { id: `ecs-${n}`, title: `${n} ecs.Instance`, groups: [ecsGroup(n)] },
    { id: `sets-${sets}x${setSize}`, title: `${sets} ecs.InstanceSet of ${setSize}`, groups: [setGroup(sets, setSize)] },
    { id: `db-${db}+${db}`, title: `${db} mongodb.Instance + ${db} redis.Instance (purgeRecycleBin)`, groups: [mongoGroup(db), redisGroup(db)] },
    { ...mixScenario(sizes), id: "mix", title: `all of the above together (${n + sets + 2 * db} resources)` },
  ];
}

/** Every kind together: longest deletes first (MongoDB, Redis, sets, then single instances), the same order for every strategy. */
export function mixScenario(sizes: Sizes): Scenario {
  const { ecs: n, sets, setSize, db } = sizes;
  const instances = n + sets * setSize + 2 * db;
  return {
    id: `mix-${instances}`,
    title: `mix of ${instances} instances: ${n} ecs.Instance, ${sets} ecs.InstanceSet of ${setSize}, ${db} + ${db} databases (${n + sets + 2 * db} resources)`,
    groups: [mongoGroup(db), redisGroup(db), setGroup(sets, setSize), ecsGroup(n)],
  };
}

export const ecsOnly = (n: number): Scenario => ({ id: `ecs-${n}`, title: `${n} ecs.Instance`, groups: [ecsGroup(n)] });

export const instancesOf = (s: Scenario): number => s.groups.reduce((a, g) => a + g.resources * g.perResource, 0);
export const resourcesOf = (s: Scenario): number => s.groups.reduce((a, g) => a + g.resources, 0);

// ---- setup -------------------------------------------------------------------------------------------------

/** Setup calls are retried on transport failures (an idle keep-alive socket the server closed at the same moment). */
async function transportRetry<T>(f: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await f();
    } catch (e) {
      const err = e as { data?: unknown; message?: string };
      if (attempt >= 4 || err.data !== undefined) throw e;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}

// The emulator's default network of the region (one VPC, a vSwitch per zone, one security group): ECS in zone b,
// the databases in zone h, as test/support/network.ts names them.
const NET = { vpcId: `vpc-default-${REGION}`, ecsVSwitchId: `vsw-default-${REGION}-b`, dbVSwitchId: `vsw-default-${REGION}-h`, dbZoneId: `${REGION}-h`, securityGroupId: `sg-default-${REGION}` };
const LAUNCH = { imageId: "ubuntu_22_04_x64_20G_alibase_20240101.vhd", instanceType: "ecs.g7.large", vSwitchId: NET.ecsVSwitchId, securityGroupId: NET.securityGroupId };

async function runInstances(url: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  const calls: Promise<void>[] = [];
  for (let left = count; left > 0; left -= 100) {
    const amount = Math.min(100, left);
    // One ClientToken per call, reused by its retries: a retried call returns the same instances.
    const req = new EcsSdk.RunInstancesRequest({ regionId: REGION, ...LAUNCH, amount, instanceChargeType: "PostPaid", clientToken: randomUUID() });
    calls.push(transportRetry(() => ecs(url, REGION).runInstances(req)).then((r) => void ids.push(...(r.body?.instanceIdSets?.instanceIdSet ?? []))));
  }
  await Promise.all(calls);
  if (ids.length !== count) throw new Error(`setup: RunInstances made ${ids.length} instances, wanted ${count}`);
  return ids;
}

async function createMongo(url: string, count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const query = { RegionId: REGION, DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: 20, EngineVersion: "6.0", ChargeType: "PostPaid", VpcId: NET.vpcId, VSwitchId: NET.dbVSwitchId, ZoneId: NET.dbZoneId, ClientToken: randomUUID() };
      const body = await transportRetry(() => dds(url, REGION).call("CreateDBInstance", query));
      return String(body.DBInstanceId);
    }),
  );
}

async function createRedis(url: string, count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const req = new KvSdk.CreateInstanceRequest({ regionId: REGION, instanceClass: "redis.master.small.default", chargeType: "PostPaid", vpcId: NET.vpcId, vSwitchId: NET.dbVSwitchId, zoneId: NET.dbZoneId, token: randomUUID() });
      const res = await transportRetry(() => kv(url, REGION).createInstance(req));
      return res.body!.instanceId!;
    }),
  );
}

export interface SetupOptions {
  /** deleteTimeoutSeconds stored in the outputs (the provider's default, 1200 s, times the time scale). */
  deleteTimeoutSeconds: number;
  /** The ECS resources' `force` input (release with Force=true, no graceful stop). */
  force?: boolean;
}

/**
 * Creates the scenario's instances through the real APIs (no rate limits yet), advances the emulator's clock until
 * they are all Running / Normal, and returns the resources with the outputs their create would have stored.
 */
export async function setUp(server: EmulatorServer, url: string, s: Scenario, o: SetupOptions): Promise<BenchResource[]> {
  const common = { regionId: REGION, schemaVersion: 1, deleteTimeoutSeconds: o.deleteTimeoutSeconds, onSubscription: "fail", overrideProtection: false, force: o.force === true };
  const made = await Promise.all(
    s.groups.map(async (g): Promise<BenchResource[]> => {
      switch (g.kind) {
        case "ecs.Instance": {
          const ids = await runInstances(url, g.resources);
          return ids.map((id) => ({
            kind: g.kind, id, instanceIds: [id],
            outs: { ...LAUNCH, ...common, instanceId: id, instanceChargeType: "PostPaid", adopted: false, stopTimeoutSeconds: 300, status: "Running", deletionProtection: false },
          }));
        }
        case "ecs.InstanceSet": {
          const ids = await runInstances(url, g.resources * g.perResource);
          return Array.from({ length: g.resources }, (_, i) => {
            const mine = ids.slice(i * g.perResource, (i + 1) * g.perResource);
            return {
              kind: g.kind, id: mine.join(","), instanceIds: mine,
              outs: { ...LAUNCH, ...common, amount: g.perResource, instanceIds: mine, instanceChargeType: "PostPaid", adopted: false, stopTimeoutSeconds: 300 },
            };
          });
        }
        case "mongodb.Instance": {
          const ids = await createMongo(url, g.resources);
          return ids.map((id) => ({ kind: g.kind, id, instanceIds: [id], outs: { ...common, dbInstanceId: id, chargeType: "PostPaid", engineVersion: "6.0", dbInstanceClass: "dds.mongo.mid", dbInstanceStorage: 20 } }));
        }
        case "redis.Instance": {
          const ids = await createRedis(url, g.resources);
          return ids.map((id) => ({ kind: g.kind, id, instanceIds: [id], outs: { ...common, instanceId: id, chargeType: "PostPaid", instanceClass: "redis.master.small.default", purgeRecycleBin: true } }));
        }
      }
    }),
  );
  // ECS: Pending 10 s + Starting 15 s; DDS: Creating 300 s; R-KVStore: Creating 120 s (virtual seconds).
  server.clock.advance(310);
  server.store.settle(server.clock.now());
  const resources = made.flat();
  for (const r of resources) {
    for (const id of r.instanceIds) {
      const inst = server.store.get(id);
      if (!inst || !["Running", "Normal"].includes(inst.status)) throw new Error(`setup: ${id} is ${inst?.status ?? "missing"}, not running`);
    }
  }
  return resources;
}

// ---- the physical limit ----------------------------------------------------------------------------------------

/**
 * What a delete does in the cloud, which decides its limit: the provider's default lifecycle (ECS graceful stop
 * then release; Redis purged from the recycle bin), the provider with `force: true` (ECS released with
 * Force=true, no stop), or the Terraform model's (ECS Force=true release; Redis left in the recycle bin).
 */
export type Lifecycle = "provider" | "provider-force" | "terraform";

export type Durations = Record<string, number>;

/**
 * Transition time of one resource's release, in cloud seconds:
 * - provider: ECS graceful stop then release (stopping + release), MongoDB deleting, Redis release into the
 *   recycle bin then DestroyInstance (releasing + destroying);
 * - terraform: ECS Force=true release (release), MongoDB deleting, Redis release into the recycle bin (releasing).
 */
export function transitionSeconds(kind: Kind, lifecycle: Lifecycle, d: Durations): number {
  switch (kind) {
    case "ecs.Instance":
    case "ecs.InstanceSet":
      return lifecycle === "provider" ? d["ecs.stopping"] + d["ecs.release"] : d["ecs.release"];
    case "mongodb.Instance":
      return d["dds.deleting"];
    case "redis.Instance":
      return lifecycle === "terraform" ? d["kv.releasing"] : d["kv.releasing"] + d["kv.destroying"];
  }
}

/** Makespan of P slots taking the resources in dispatch order, each as soon as a slot is free (list scheduling). */
export function makespan(durations: number[], parallel: number): number {
  const slots = new Array<number>(Math.min(parallel, durations.length)).fill(0);
  for (const d of durations) {
    let i = 0;
    for (let j = 1; j < slots.length; j++) if (slots[j] < slots[i]) i = j;
    slots[i] += d;
  }
  return Math.max(0, ...slots);
}

interface Phase {
  action: string;
  /** Ids one call can take. */
  batch: number;
}

/** The call phases a release cannot do without, per product, with the most ids each API takes. */
function phases(kind: Kind, lifecycle: Lifecycle): { product: string; phases: Phase[] } {
  switch (kind) {
    case "ecs.Instance":
    case "ecs.InstanceSet":
      return {
        product: "ecs",
        phases: lifecycle === "provider"
          ? [{ action: "StopInstances", batch: 100 }, { action: "DescribeInstances", batch: 100 }, { action: "DeleteInstances", batch: 100 }, { action: "DescribeInstances", batch: 100 }]
          : [{ action: "DeleteInstances", batch: 100 }, { action: "DescribeInstances", batch: 100 }],
      };
    case "mongodb.Instance":
      return { product: "dds", phases: [{ action: "DeleteDBInstance", batch: 1 }, { action: "DescribeDBInstances", batch: 100 }] };
    case "redis.Instance":
      return {
        product: "r-kvstore",
        phases: lifecycle !== "terraform"
          ? [{ action: "DeleteInstance", batch: 1 }, { action: "DescribeInstances", batch: 30 }, { action: "DestroyInstance", batch: 1 }, { action: "DescribeInstances", batch: 30 }]
          : [{ action: "DeleteInstance", batch: 1 }, { action: "DescribeInstances", batch: 30 }],
      };
  }
}

export interface Limit {
  /** Cloud seconds. */
  seconds: number;
  transitionSeconds: number;
  apiSeconds: number;
  /** Fewest calls that can do the work (⌈ids/batch⌉ per phase), all instances in one batch per phase. */
  minCalls: number;
  /**
   * Fewest calls with only P deletes in flight: a call can only batch the ids of deletes that are in flight
   * together, so each wave of P resources needs its own calls: Σ_groups ⌈R/P⌉ × Σ_phases ⌈min(P,R)·k/B⌉.
   */
  minCallsAtP: number;
}

/**
 * limit = T_transitions + T_api
 *   T_transitions = makespan of P slots over the resources' transition times, in dispatch order
 *                 = ⌈N/P⌉ · D for N identical resources (D when P ≥ N);
 *   T_api         = max over products of Σ_phases ⌈I/B⌉ / r: the fewest calls of each phase (B ids per call;
 *                   100 for ECS, 1 for the single-id DDS/R-KVStore release calls) at r requests per second.
 * Products have separate flow-control budgets, hence the max; phases of one product are summed.
 */
export function physicalLimit(s: Scenario, lifecycle: Lifecycle, parallel: number, rate: number, d: Durations): Limit {
  const durations: number[] = [];
  for (const g of s.groups) for (let i = 0; i < g.resources; i++) durations.push(transitionSeconds(g.kind, lifecycle, d));
  const trans = makespan(durations, parallel);
  const byProduct = new Map<string, number>();
  let minCalls = 0;
  const instances = new Map<string, { kind: Kind; n: number }>();
  for (const g of s.groups) {
    const key = `${g.kind}`;
    const prev = instances.get(key);
    instances.set(key, { kind: g.kind, n: (prev?.n ?? 0) + g.resources * g.perResource });
  }
  // ECS instances of both kinds share the ECS phases (and can share calls).
  const merged = new Map<string, { kind: Kind; n: number }>();
  for (const v of instances.values()) {
    const key = phases(v.kind, lifecycle).product;
    merged.set(key, { kind: v.kind, n: (merged.get(key)?.n ?? 0) + v.n });
  }
  for (const [product, v] of merged) {
    let calls = 0;
    for (const p of phases(v.kind, lifecycle).phases) calls += Math.ceil(v.n / p.batch);
    minCalls += calls;
    byProduct.set(product, calls / rate);
  }
  const api = Math.max(0, ...byProduct.values());
  let minCallsAtP = 0;
  for (const g of s.groups) {
    const waves = Math.ceil(g.resources / parallel);
    const ids = Math.min(parallel, g.resources) * g.perResource;
    for (const p of phases(g.kind, lifecycle).phases) minCallsAtP += waves * Math.ceil(ids / p.batch);
  }
  return { seconds: trans + api, transitionSeconds: trans, apiSeconds: api, minCalls, minCallsAtP };
}
