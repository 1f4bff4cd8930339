// The "provider process": one Node process per deployment, as Pulumi runs the dynamic provider. It receives the
// resources to delete from the benchmark over IPC, calls each one's `delete(id, outputs)` with at most P in
// flight (the engine's --parallel: the next starts when one finishes), and reports timings, failures and the
// peak memory of this process.
//
// Strategies: "shipped" and "no-coalesce" call the provider modules' exported `delete` (the environment decides
// coalescing); "terraform" calls bench/terraform-model.ts. `experiment` applies a local, clearly labelled patch for
// what-if measurements; the reported figures of the three strategies never use one.
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Kind } from "./scenarios";

export type Strategy = "shipped" | "no-coalesce" | "terraform";

/** Given on the command line (JSON): the process loads its code before the resources exist. */
export interface ChildSetup {
  strategy: Strategy;
  timeScale: number;
  url: string;
  /** Load @pulumi/pulumi first, as the real dynamic-provider host does (its memory is part of the process). */
  loadPulumi: boolean;
  experiment?: Experiment;
}

/** Sent over IPC once the scenario is set up. */
export interface ChildJob {
  parallel: number;
  resources: { kind: Kind; id: string; outs: Record<string, unknown> }[];
}

export interface Experiment {
  /** Multiply the coalescing window (50 ms real) by the time scale, as poll intervals are. */
  scaleWindow?: boolean;
  /** Replace the waiters' first delay and cap (cloud ms); the growth stays 1.5. */
  poll?: { minDelayMs: number; maxDelayMs: number };
  /**
   * Do not describe again what was just described: reuse an ECS state younger than 1 cloud second when no
   * StopInstances/DeleteInstances was sent for the id since, and make the release wait's first poll after its first
   * delay instead of at once (the release takes seconds; a poll right after DeleteInstances never sees it gone).
   */
  noRepeatDescribes?: boolean;
  /**
   * Load each product's SDK only when a call of that product is made (what a lazy `require` in core/clients.ts
   * would do): an ECS-only teardown then never loads @alicloud/r-kvstore20150101. Emulated by resolving that module
   * to an empty stub, which is safe only for ECS-only runs (it is never called there).
   */
  lazyKvSdk?: boolean;
}

function applyExperiment(x: Experiment, timeScale: number): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  if (x.lazyKvSdk) {
    const Module = require("node:module") as { _load: (request: string, ...rest: unknown[]) => unknown };
    const load = Module._load;
    Module._load = function (request: string, ...rest: unknown[]) {
      if (request === "@alicloud/r-kvstore20150101") return { __esModule: true, default: class {} };
      return load.call(this, request, ...rest);
    };
  }
  if (x.scaleWindow) {
    const { Coalescer } = require("../provider/core/coalescer") as typeof import("../provider/core/coalescer");
    const proto = Coalescer.prototype as unknown as { submit: (...a: unknown[]) => unknown };
    const original = proto.submit;
    proto.submit = function (this: { o: { windowMs: number }; __scaled?: boolean }, ...args: unknown[]) {
      if (!this.__scaled) {
        this.o = { ...this.o, windowMs: this.o.windowMs * timeScale };
        this.__scaled = true;
      }
      return original.apply(this, args);
    };
  }
  if (x.poll || x.noRepeatDescribes) {
    const waiter = require("../provider/core/waiter") as typeof import("../provider/core/waiter");
    const original = waiter.waitFor;
    const patched: typeof original = async (o) => {
      const opts = x.poll ? { ...o, minDelayMs: x.poll.minDelayMs, maxDelayMs: x.poll.maxDelayMs } : o;
      if (x.noRepeatDescribes && o.phase === "released") await new Promise((r) => setTimeout(r, (opts.minDelayMs ?? 2000) * timeScale));
      return original(opts);
    };
    (waiter as { waitFor: typeof original }).waitFor = patched;
  }
  if (x.noRepeatDescribes) {
    type Api = typeof import("../provider/ecs/api");
    const api = require("../provider/ecs/api") as Api;
    const cache = new Map<string, { state: import("../provider/ecs/api").EcsInstanceState | null; at: number }>();
    const ttl = 1000 * timeScale;
    const describe = api.describe;
    const stop = api.stop;
    const release = api.release;
    const patchable = api as { describe: Api["describe"]; stop: Api["stop"]; release: Api["release"] };
    patchable.describe = async (region, ids, deadline, resource) => {
      const now = Date.now();
      const hit = ids.every((id) => {
        const c = cache.get(`${region}|${id}`);
        return c !== undefined && now - c.at < ttl;
      });
      if (hit) return new Map(ids.map((id) => [id, cache.get(`${region}|${id}`)!.state]));
      const fresh = await describe(region, ids, deadline, resource);
      const at = Date.now();
      for (const [id, state] of fresh) cache.set(`${region}|${id}`, { state, at });
      return fresh;
    };
    patchable.stop = (region, ids, ...rest) => {
      for (const id of ids) cache.delete(`${region}|${id}`);
      return stop(region, ids, ...rest);
    };
    patchable.release = (region, ids, ...rest) => {
      for (const id of ids) cache.delete(`${region}|${id}`);
      return release(region, ids, ...rest);
    };
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

export interface ResourceResult {
  kind: Kind;
  id: string;
  /** Real ms since the process's epoch (Date.now()). */
  start: number;
  end: number;
  ok: boolean;
  error?: string;
}

export interface ChildReport {
  startedAt: number;
  endedAt: number;
  results: ResourceResult[];
  memory: { baselineRssMB: number; peakRssMB: number; peakHeapUsedMB: number; peakExternalMB: number };
  cpu: { userMs: number; systemMs: number };
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
}

type Delete = (id: string, outs: Record<string, unknown>) => Promise<void>;

const MB = 1024 * 1024;

function loadDeletes(strategy: Strategy, setup: ChildSetup): Record<Kind, Delete> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  if (strategy === "terraform") {
    const model = require("./terraform-model") as typeof import("./terraform-model");
    model.configureModel({ url: setup.url, timeScale: setup.timeScale });
    return model.TERRAFORM_DELETES as Record<Kind, Delete>;
  }
  return {
    "ecs.Instance": (require("../provider/ecs/instance-provider") as { delete: Delete }).delete,
    "ecs.InstanceSet": (require("../provider/ecs/instance-set-provider") as { delete: Delete }).delete,
    "mongodb.Instance": (require("../provider/mongodb/instance-provider") as { delete: Delete }).delete,
    "redis.Instance": (require("../provider/redis/instance-provider") as { delete: Delete }).delete,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

function load(setup: ChildSetup): Record<Kind, Delete> {
  if (setup.experiment) applyExperiment(setup.experiment, setup.timeScale);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (setup.loadPulumi) require("@pulumi/pulumi");
  return loadDeletes(setup.strategy, setup);
}

async function run(deletes: Record<Kind, Delete>, job: ChildJob): Promise<ChildReport> {
  if (global.gc) global.gc();
  const baselineRss = process.memoryUsage().rss;
  const peak = { rss: baselineRss, heap: 0, external: 0 };
  const sample = (): void => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
    peak.external = Math.max(peak.external, m.external + m.arrayBuffers);
  };
  const sampler = setInterval(sample, 20);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu0 = process.cpuUsage();

  const results: ResourceResult[] = new Array(job.resources.length);
  let next = 0;
  const startedAt = Date.now();
  const worker = async (): Promise<void> => {
    while (next < job.resources.length) {
      const i = next++;
      const r = job.resources[i];
      const start = Date.now();
      try {
        await deletes[r.kind](r.id, r.outs);
        results[i] = { kind: r.kind, id: r.id, start, end: Date.now(), ok: true };
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        results[i] = { kind: r.kind, id: r.id, start, end: Date.now(), ok: false, error: message.slice(0, 2000) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(job.parallel, job.resources.length) }, worker));
  const endedAt = Date.now();
  clearInterval(sampler);
  sample();
  loop.disable();
  const cpu = process.cpuUsage(cpu0);
  return {
    startedAt,
    endedAt,
    results,
    memory: { baselineRssMB: baselineRss / MB, peakRssMB: peak.rss / MB, peakHeapUsedMB: peak.heap / MB, peakExternalMB: peak.external / MB },
    cpu: { userMs: cpu.user / 1000, systemMs: cpu.system / 1000 },
    eventLoopDelayP99Ms: loop.percentile(99) / 1e6,
    eventLoopDelayMaxMs: loop.max / 1e6,
  };
}

const deletes = load(JSON.parse(process.argv[2]) as ChildSetup);
process.on("message", (job: ChildJob) => {
  run(deletes, job).then(
    (report) => process.send!({ type: "report", report }, () => process.exit(0)),
    (e: unknown) => process.send!({ type: "error", error: e instanceof Error ? e.stack ?? e.message : String(e) }, () => process.exit(1)),
  );
});
process.send!({ type: "ready" });
