// The "provider process": one Node process per deployment, as Pulumi runs the dynamic provider. It receives the
// resources to delete from the benchmark over IPC, calls each one's `delete(id, outputs)` with at most P in
// flight (the engine's --parallel: the next starts when one finishes), and reports timings, failures and the
// peak memory of this process.
//
// Strategies: "shipped" and "no-coalesce" call the provider modules' exported `delete` (the environment decides
// coalescing); "terraform" calls bench/terraform-model.ts. `emptyProvider` loads no provider module at all: the
// memory floor every dynamic provider pays (Node and @pulumi/pulumi), measured the same way.
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
  emptyProvider?: boolean;
}

/** Sent over IPC once the scenario is set up. */
export interface ChildJob {
  parallel: number;
  resources: { kind: Kind; id: string; outs: Record<string, unknown> }[];
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
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (setup.loadPulumi) require("@pulumi/pulumi");
  if (setup.emptyProvider) return {} as Record<Kind, Delete>;
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

/**
 * The provider loads the Alibaba Cloud SDK runtime on its first call (lazy loading). That is a fixed cost of each
 * process, about 0.3 s of real time on a quiet machine, which the time scale would magnify 25× inside the measured
 * teardown: load it before the clock starts, as a process that has served a preview or a refresh already has.
 */
function warmUp(setup: ChildSetup, job: ChildJob): void {
  if (setup.strategy === "terraform" || setup.emptyProvider || job.resources.length === 0) return;
  /* eslint-disable @typescript-eslint/no-require-imports */
  require("@darabonba/typescript");
  require("@alicloud/openapi-core");
  require("@alicloud/credentials");
  /* eslint-enable @typescript-eslint/no-require-imports */
}

const setup = JSON.parse(process.argv[2]) as ChildSetup;
const deletes = load(setup);
process.on("message", (job: ChildJob) => {
  warmUp(setup, job);
  run(deletes, job).then(
    (report) => process.send!({ type: "report", report }, () => process.exit(0)),
    (e: unknown) => process.send!({ type: "error", error: e instanceof Error ? e.stack ?? e.message : String(e) }, () => process.exit(1)),
  );
});
process.send!({ type: "ready" });
