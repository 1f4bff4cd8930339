// `npm run bench [-- options]`: teardown at scale, against the anchors and the physical limit.
//
// For every scenario, parallelism P and strategy: set the scenario's instances up in the emulator (real API calls,
// no flow control, clock advanced until they run), reset the request log, turn flow control on, then time the
// teardown done by a separate provider process (bench/child.ts) with at most P deletes in flight. Figures come from
// the emulator's request log (calls, throttled answers), the provider process (wall time, failures, memory) and
// the emulator's own transition schedule (the physical limit, and where the time went).
import { ChildProcess, execFileSync, execSync, fork } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultDurations, RunningEmulator, startEmulator } from "../emulator";
import type { ChildJob, ChildReport, ChildSetup, Strategy } from "./child";
import { chartSvg, markdown } from "./report";
import type { Meta, RunGroup, RunResult } from "./results";
import { BenchResource, ecsOnly, instancesOf, Kind, Lifecycle, mixScenario, physicalLimit, resourcesOf, Scenario, scenarios, setUp } from "./scenarios";

// ---- options ------------------------------------------------------------------------------------------------------

type Mode = "full" | "quick" | "smoke";

interface Options {
  mode: Mode;
  /** A fixed time scale for every run (--time-scale), or undefined: each run's own (timeScaleFor). */
  timeScale?: number;
  /** The fastest time scale a run may use, and how many real seconds its physical limit must last at least. */
  fastestScale: number;
  minRealSeconds: number;
  rate: number;
  parallel: number[];
  strategies: Strategy[];
  out: string;
  only?: RegExp;
  loadPulumi: boolean;
}

const STRATEGIES: Strategy[] = ["shipped", "no-coalesce", "terraform"];
const ROOT = path.resolve(__dirname, "..", "..");

function usage(): string {
  return [
    "npm run bench [-- options]",
    "  --quick              smaller scenarios (48 instances, 2 sets of 50, 4 + 4 databases), P = 8 and 128 (about 2 minutes)",
    "  --smoke              one tiny scenario per strategy (< 20 s); exits non-zero on any failure",
    "  --time-scale S       one time scale for every run: emulator durations, poll intervals, backoff and flow-control",
    "                       window × S (default: each run's own, so that its physical limit lasts at least --min-real",
    "                       seconds and 10 ms per instance, never faster than 0.04 (quick 0.02, smoke 0.01) nor slower than real time)",
    "  --min-real S         real seconds a run's physical limit lasts at least (full 8, quick 4)",
    "  --rate R             flow control: R requests per cloud second per action and region (default 20)",
    "  --parallel 8,32,128,512  the engine's --parallel values (quick: 8,128)",
    "  --strategies a,b     shipped, no-coalesce, terraform (default: all three)",
    "  --only REGEX         only runs whose id matches",
    "  --no-pulumi          do not load @pulumi/pulumi into the provider process (quick and smoke do not, unless --pulumi)",
    "  --out DIR            where results.{md,json} and chart.svg go (full: docs/bench; quick: dist-bench/quick)",
    "  --report-only DIR    rewrite DIR/results.md and DIR/chart.svg from DIR/results.json, without running anything",
  ].join("\n");
}

function parseArgs(argv: string[]): Options {
  const has = (f: string): boolean => argv.includes(f);
  const value = (f: string): string | undefined => {
    const i = argv.indexOf(f);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (has("--help") || has("-h")) {
    console.log(usage());
    process.exit(0);
  }
  const mode: Mode = has("--smoke") ? "smoke" : has("--quick") ? "quick" : "full";
  const fixed = value("--time-scale");
  const timeScale = fixed !== undefined ? Number(fixed) : mode === "smoke" ? 0.01 : undefined;
  const fastestScale = mode === "full" ? 0.04 : mode === "quick" ? 0.02 : 0.01;
  const minRealSeconds = Number(value("--min-real") ?? (mode === "full" ? 8 : 4));
  const rate = Number(value("--rate") ?? 20);
  const parallel = (value("--parallel") ?? (mode === "smoke" ? "8" : mode === "quick" ? "8,128" : "8,32,128,512")).split(",").map(Number);
  const strategies = (value("--strategies") ?? STRATEGIES.join(",")).split(",") as Strategy[];
  if (timeScale !== undefined && !(timeScale > 0 && timeScale <= 1)) throw new Error("--time-scale must be in (0, 1]");
  if (!(minRealSeconds > 0)) throw new Error("--min-real must be positive");
  if (!(rate > 0)) throw new Error("--rate must be positive");
  if (parallel.some((p) => !(Number.isInteger(p) && p >= 1))) throw new Error("--parallel takes whole numbers ≥ 1");
  for (const s of strategies) if (!STRATEGIES.includes(s)) throw new Error(`unknown strategy ${s}; use ${STRATEGIES.join(", ")}`);
  const out = path.resolve(ROOT, value("--out") ?? (mode === "full" ? "docs/bench" : mode === "quick" ? "dist-bench/quick" : "dist-bench/smoke"));
  const only = value("--only");
  return { mode, timeScale, fastestScale, minRealSeconds, rate, parallel, strategies, out, only: only ? new RegExp(only) : undefined, loadPulumi: mode === "full" ? !has("--no-pulumi") : has("--pulumi") };
}

// ---- the plan --------------------------------------------------------------------------------------------------------

interface Run {
  id: string;
  group: RunGroup;
  scenario: Scenario;
  strategy: Strategy;
  parallel: number;
  /** The ECS resources' `force: true` input (a user setting of the shipped provider, not a patch). */
  force?: boolean;
  /** The memory floor: the same provider process with no provider module loaded and nothing to delete. */
  floor?: boolean;
  /** A time scale of its own (the compression check), whatever timeScaleFor would choose. */
  timeScale?: number;
}

function plan(o: Options): Run[] {
  const runs: Run[] = [];
  const add = (group: RunGroup, scenario: Scenario, strategy: Strategy, parallel: number, force?: boolean, timeScale?: number): void => {
    const id = `${scenario.id}/${strategy}${force ? "+force" : ""}/P${parallel}${timeScale ? `@${timeScale}` : ""}`;
    if (o.only && !o.only.test(id)) return;
    if (!o.strategies.includes(strategy)) return;
    runs.push({ id, group, scenario, strategy, parallel, force, timeScale });
  };
  const floor = (): void => {
    const id = "floor/empty-provider";
    if (!o.only || o.only.test(id)) runs.push({ id, group: "memory", scenario: { id: "floor", title: "empty provider (the floor)", groups: [] }, strategy: "shipped", parallel: 1, floor: true });
  };
  if (o.mode === "smoke") {
    const tiny: Scenario = {
      id: "smoke",
      title: "4 ecs.Instance + 1 ecs.InstanceSet of 4 + 1 mongodb.Instance + 1 redis.Instance",
      groups: [
        { kind: "mongodb.Instance", resources: 1, perResource: 1 },
        { kind: "redis.Instance", resources: 1, perResource: 1 },
        { kind: "ecs.InstanceSet", resources: 1, perResource: 4 },
        { kind: "ecs.Instance", resources: 4, perResource: 1 },
      ],
    };
    for (const p of o.parallel) for (const s of STRATEGIES) add("smoke", tiny, s, p);
    return runs;
  }
  const sizes = o.mode === "full" ? { ecs: 500, sets: 5, setSize: 100, db: 20 } : { ecs: 48, sets: 2, setSize: 50, db: 4 };
  floor();
  for (const sc of scenarios(sizes)) for (const p of o.parallel) for (const s of STRATEGIES) add("main", sc, s, p);
  if (o.mode === "full") {
    // Like for like with the Terraform model's Force=true release: the provider with `force: true`.
    for (const p of o.parallel) add("force", ecsOnly(500), "shipped", p, true);
    // Memory at 1,000 instances, at P = 128 and unbounded (the whole stack in flight at once).
    for (const s of STRATEGIES) add("memory", ecsOnly(1000), s, 128);
    add("memory", ecsOnly(1000), "shipped", 1000);
    // The N sweep of ecs.Instance at P = 128 (N = 500 and 1000 come from the runs above).
    for (const n of [50, 100, 250]) for (const s of STRATEGIES) add("sweep", ecsOnly(n), s, 128);
    // The mix against N at P = 512, up to 2,000 instances in one provider process (N = 1,040 is the main mix).
    for (const size of [{ ecs: 125, sets: 1, setSize: 100, db: 5 }, { ecs: 250, sets: 2, setSize: 100, db: 10 }, { ecs: 1000, sets: 8, setSize: 100, db: 100 }]) {
      for (const s of STRATEGIES) add("scale", mixScenario(size), s, 512);
    }
    // The compression check: the shipped provider at P = 512 at the fastest time scale, where the machine's CPU
    // becomes part of what is measured (compare with the same runs above, at their own scale).
    if (!o.timeScale) for (const sc of [ecsOnly(500), scenarios(sizes)[3]]) add("compression", sc, "shipped", 512, undefined, o.fastestScale);
  } else {
    for (const n of [16]) for (const s of STRATEGIES) add("sweep", ecsOnly(n), s, 128);
    for (const s of STRATEGIES) add("scale", mixScenario({ ecs: 96, sets: 2, setSize: 50, db: 8 }), s, 128);
  }
  return runs;
}

// ---- measuring one run ------------------------------------------------------------------------------------------------

interface Transition {
  id: string;
  label: string;
  /** Virtual ms: when the call that started it was processed, and when it completes. */
  calledAt: number;
  at: number;
}

/** Labels of the transitions a release schedules (setup's boot/start/created are earlier and ignored). */
const RELEASE_LABELS = new Set(["stop", "release", "released", "destroyed"]);

/** Jiffies of the whole machine (all CPUs) from /proc/stat: busy and total; undefined off Linux. */
function cpuTimes(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3] + (v[4] ?? 0);
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

function lifecycleOf(strategy: Strategy, force: boolean | undefined): Lifecycle {
  return strategy === "terraform" ? "terraform" : force ? "provider-force" : "provider";
}

/** The transition that ends a delete of this kind, per lifecycle. */
function finalLabel(kind: Kind, lifecycle: Lifecycle): string {
  if (kind === "mongodb.Instance") return "released";
  if (kind === "redis.Instance") return lifecycle === "terraform" ? "released" : "destroyed";
  return "release";
}

/**
 * The time scale of a run. Compressing time compresses the cloud's transitions and every wait of the provider, but
 * not the CPU the provider and the emulator spend on each call: at 0.04, 0.1 s of CPU is 2.5 cloud seconds. A
 * benchmark of the strategy must keep that small against the limit, so each run is compressed only as far as its
 * physical limit still lasts `minRealSeconds` of real time (never slower than real time itself). The Terraform model
 * runs at the scale of the provider's run of the same scenario and P, so the two see the same cloud.
 */
const REAL_MS_PER_INSTANCE = 10;

function timeScaleFor(r: Run, o: Options, durations: Record<string, number>): number {
  if (r.timeScale !== undefined) return r.timeScale;
  if (o.timeScale !== undefined) return o.timeScale;
  if (r.floor) return o.fastestScale;
  const limit = physicalLimit(r.scenario, lifecycleOf("shipped", r.force), r.parallel, o.rate, durations).seconds;
  // About 2 ms of CPU per instance goes into a teardown (provider and emulator): allow five times that in real time.
  const realSeconds = Math.max(o.minRealSeconds, REAL_MS_PER_INSTANCE * instancesOf(r.scenario) / 1000);
  const scale = Math.min(1, Math.max(o.fastestScale, realSeconds / limit));
  return Number(scale.toPrecision(2));
}

class Bench {
  private emu!: RunningEmulator;
  private scale = NaN;
  private transitions: Transition[] = [];
  private readonly arrivals = new WeakMap<object, number>();
  private readonly durations: Record<string, number>;
  private readonly logDir: string;

  constructor(private readonly o: Options) {
    this.durations = Object.fromEntries(Object.entries(defaultDurations()).map(([k, v]) => [k, v.seconds]));
    this.logDir = path.join(ROOT, "dist-bench", "logs");
    mkdirSync(this.logDir, { recursive: true });
  }

  /** An emulator at the run's time scale (a new one when the scale changes; state is reset for every run anyway). */
  private async emulatorAt(scale: number): Promise<void> {
    if (scale === this.scale) return;
    if (this.emu) await this.emu.close();
    this.scale = scale;
    this.emu = await startEmulator({ timeScale: scale });
    // Keep every request of a run in the log (the default keeps the last 200,000).
    (this.emu.server as unknown as { options: { maxLogEntries?: number } }).options.maxLogEntries = 5_000_000;
    // The log's times are whole seconds (as the API formats them): keep each request's real arrival for the call log.
    const log = this.emu.server.log;
    log.push = (...entries) => {
      for (const e of entries) this.arrivals.set(e, Date.now());
      return Array.prototype.push.apply(log, entries);
    };
    const store = this.emu.server.store;
    const at = store.at.bind(store);
    store.at = (id, when, label, effect) => {
      if (RELEASE_LABELS.has(label)) this.transitions.push({ id, label, calledAt: this.emu.server.clock.now(), at: when });
      return at(id, when, label, effect);
    };
  }

  async stop(): Promise<void> {
    if (this.emu) await this.emu.close();
  }

  private reset(): void {
    const s = this.emu.server;
    s.store.clear();
    s.tokens.clear();
    s.faults.clear();
    this.emu.server.rateLimits.clear();
    s.log.length = 0;
    this.transitions = [];
  }

  private spawn(setup: ChildSetup, logFile: string): { child: ChildProcess; lines: () => number; tail: () => string[]; ready: Promise<void> } {
    const strategy = setup.strategy;
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("ALICLOUD_RELEASE_") && !k.startsWith("ALIBABA_CLOUD_")) env[k] = v;
    Object.assign(env, {
      ALICLOUD_RELEASE_ENDPOINT: this.emu.url,
      ALICLOUD_RELEASE_TIME_SCALE: String(setup.timeScale),
      ALIBABA_CLOUD_ACCESS_KEY_ID: "emulator",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret",
      ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
    });
    if (strategy === "no-coalesce") env.ALICLOUD_RELEASE_COALESCE = "false";
    const child = fork(path.join(__dirname, "child.js"), [JSON.stringify(setup)], { env, execArgv: ["--expose-gc"], stdio: ["ignore", "pipe", "pipe", "ipc"] });
    const ready = new Promise<void>((resolve, reject) => {
      child.once("message", (m: { type: string }) => (m.type === "ready" ? resolve() : reject(new Error(`provider process: ${JSON.stringify(m)}`))));
      child.once("exit", (code) => reject(new Error(`provider process exited with ${code} before it was ready\n${last.join("\n")}`)));
    });
    const log = createWriteStream(logFile);
    let count = 0;
    const last: string[] = [];
    const onData = (chunk: Buffer): void => {
      log.write(chunk);
      const text = chunk.toString("utf8");
      for (const line of text.split("\n")) {
        if (!line) continue;
        count++;
        last.push(line);
        if (last.length > 40) last.shift();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", () => log.end());
    ready.catch(() => undefined); // awaited later; keep an early crash from being an unhandled rejection
    return { child, lines: () => count, tail: () => last, ready };
  }

  async run(r: Run): Promise<RunResult> {
    const scale = timeScaleFor(r, this.o, this.durations);
    await this.emulatorAt(scale);
    const s = this.emu.server;
    this.reset();
    // The provider process loads its code while the scenario is set up.
    const logFile = path.join(this.logDir, `${r.id.replace(/[^A-Za-z0-9.+-]+/g, "_")}.log`);
    const setup: ChildSetup = { strategy: r.strategy, timeScale: scale, url: this.emu.url, loadPulumi: this.o.loadPulumi, emptyProvider: r.floor };
    const { child, tail, ready } = this.spawn(setup, logFile);
    const deleteTimeoutSeconds = Math.max(1, 1200 * scale);
    const resources: BenchResource[] = await setUp(s, this.emu.url, r.scenario, { deleteTimeoutSeconds, force: r.force });
    await ready;
    const instances = resources.flatMap((x) => x.instanceIds);
    // Setup done: clean request log, flow control on.
    s.log.length = 0;
    this.transitions = [];
    this.emu.server.rateLimits.set({ "*:*": this.o.rate });
    const emulatorCpu0 = process.cpuUsage();
    const machine0 = cpuTimes();
    const load0 = os.loadavg()[0];
    const offset = s.clock.now() - Date.now();

    const job: ChildJob = { parallel: r.parallel, resources: resources.map(({ kind, id, outs }) => ({ kind, id, outs })) };
    const report = await new Promise<ChildReport>((resolve, reject) => {
      child.send(job);
      child.on("message", (m: { type: string; report?: ChildReport; error?: string }) => {
        if (m.type === "report") resolve(m.report!);
        else if (m.type === "error") reject(new Error(`provider process failed: ${m.error}\n${tail().join("\n")}`));
      });
      child.on("exit", (code) => {
        if (code !== 0) reject(new Error(`provider process exited with ${code}\n${tail().join("\n")}`));
      });
    });
    await new Promise((r2) => (child.exitCode === null ? child.once("exit", r2) : r2(undefined)));
    const emulatorCpu = process.cpuUsage(emulatorCpu0);
    const machine1 = cpuTimes();
    this.emu.server.rateLimits.clear();
    const result = this.measure(r, resources, instances, report, offset, (emulatorCpu.user + emulatorCpu.system) / 1e6);
    this.writeCallLog(logFile.replace(/\.log$/, ".calls.tsv"), report.startedAt);
    if (machine0 && machine1 && machine1.total > machine0.total) result.machineBusy = (machine1.busy - machine0.busy) / (machine1.total - machine0.total);
    result.loadAverage = [load0, os.loadavg()[0]];
    return result;
  }

  /** One line per request, for reading a run afterwards: cloud seconds since the teardown started, call, ids, answer. */
  private writeCallLog(file: string, startedAt: number): void {
    const idsOf = (p: Record<string, string>): number => {
      const list = p.InstanceIds ?? p.DBInstanceIds;
      if (list) return list.startsWith("[") ? (JSON.parse(list) as unknown[]).length : list.split(",").length;
      return Object.keys(p).filter((k) => /^InstanceId(\.\d+)?$|^DBInstanceId$/.test(k)).length;
    };
    const lines = this.emu.server.log.map((e) => {
      const at = (((this.arrivals.get(e) ?? NaN) - startedAt) / 1000 / this.scale).toFixed(2);
      return [at, `${e.product}:${e.action}${e.params.DryRun === "true" ? "(DryRun)" : ""}`, idsOf(e.params), e.code ?? e.status].join("\t");
    });
    writeFileSync(file, lines.join("\n") + "\n");
  }

  private measure(r: Run, resources: BenchResource[], instances: string[], report: ChildReport, offset: number, emulatorCpuSeconds: number): RunResult {
    const s = this.emu.server;
    const scale = this.scale;
    const cloud = (realMs: number): number => realMs / 1000 / scale;
    const lifecycle = lifecycleOf(r.strategy, r.force);

    // Calls, from the emulator's request log.
    const log = s.log;
    const byAction: Record<string, number> = {};
    const otherErrors: Record<string, number> = {};
    let throttled = 0;
    for (const e of log) {
      const key = `${e.product}:${e.action}`;
      byAction[key] = (byAction[key] ?? 0) + 1;
      if (e.code === "Throttling.User") throttled++;
      else if (e.code) otherErrors[`${key} ${e.code}`] = (otherErrors[`${key} ${e.code}`] ?? 0) + 1;
    }

    // Failures.
    const failedResults = report.results.filter((x) => !x.ok);
    const failures = failedResults.map((x) => `${x.kind} ${x.id.slice(0, 40)}: ${x.error?.split("\n")[0] ?? "?"}`);

    // What the cloud went through, from the transition schedule.
    const byInstance = new Map<string, Transition[]>();
    for (const t of this.transitions) {
      const list = byInstance.get(t.id) ?? [];
      list.push(t);
      byInstance.set(t.id, list);
    }
    let settledAt = -Infinity;
    let notReleased = 0;
    s.store.settle(s.clock.now());
    for (const res of resources) {
      const final = finalLabel(res.kind, lifecycle);
      for (const id of res.instanceIds) {
        const done = (byInstance.get(id) ?? []).filter((t) => t.label === final).at(-1);
        if (!done) {
          notReleased++;
          continue;
        }
        settledAt = Math.max(settledAt, done.at - offset);
      }
    }
    // Mean per-resource profile: lead (before the first state change), gaps (between one transition's end and the
    // next call), tail (after the last transition until the delete returned), transitions (the cloud's own time).
    const prof = { lead: 0, gaps: 0, tail: 0, transitions: 0, total: 0, resources: 0 };
    report.results.forEach((res, i) => {
      if (!res.ok) return;
      const steps = new Map<string, { calledAt: number; at: number }>();
      for (const id of resources[i].instanceIds) {
        for (const t of byInstance.get(id) ?? []) {
          const prev = steps.get(t.label);
          steps.set(t.label, { calledAt: Math.min(prev?.calledAt ?? Infinity, t.calledAt - offset), at: Math.max(prev?.at ?? -Infinity, t.at - offset) });
        }
      }
      const ordered = [...steps.values()].sort((a, b) => a.calledAt - b.calledAt);
      if (ordered.length === 0) return;
      prof.resources++;
      prof.lead += cloud(ordered[0].calledAt - res.start);
      for (let k = 1; k < ordered.length; k++) prof.gaps += cloud(ordered[k].calledAt - ordered[k - 1].at);
      prof.tail += cloud(res.end - ordered[ordered.length - 1].at);
      prof.transitions += ordered.reduce((a, t) => a + cloud(t.at - t.calledAt), 0);
      prof.total += cloud(res.end - res.start);
    });
    if (prof.resources > 0) for (const k of ["lead", "gaps", "tail", "transitions", "total"] as const) prof[k] /= prof.resources;

    const wallReal = report.endedAt - report.startedAt;
    const limit = physicalLimit(r.scenario, lifecycle, r.parallel, this.o.rate, this.durations);
    const wallSeconds = cloud(wallReal);
    const calls = log.length;
    return {
      id: r.id,
      group: r.group,
      scenario: r.scenario.id,
      scenarioTitle: r.scenario.title,
      strategy: r.strategy,
      experiment: r.floor ? "empty provider" : r.force ? "force: true" : undefined,
      parallel: r.parallel,
      resources: resourcesOf(r.scenario),
      instances: instancesOf(r.scenario),
      lifecycle,
      timeScale: scale,
      wallSeconds,
      wallRealSeconds: wallReal / 1000,
      limit,
      ratio: wallSeconds / limit.seconds,
      settledSeconds: Number.isFinite(settledAt) ? cloud(settledAt - report.startedAt) : undefined,
      calls,
      callsAccepted: calls - throttled,
      callsPerInstance: calls / instancesOf(r.scenario),
      callsByAction: byAction,
      throttled,
      otherErrors,
      failed: failedResults.length,
      failedByThrottling: failedResults.filter((x) => /Throttling/.test(x.error ?? "")).length,
      failures: failures.slice(0, 5),
      notReleased,
      memory: report.memory,
      providerCpuSeconds: (report.cpu.userMs + report.cpu.systemMs) / 1000,
      emulatorCpuSeconds,
      eventLoopDelayP99Ms: report.eventLoopDelayP99Ms,
      loadAverage: [0, 0],
      profile: prof,
    };
  }
}

// ---- main ------------------------------------------------------------------------------------------------------------

function gitDescribe(): { commit: string; dirty: string[] } {
  try {
    const commit = execSync("git rev-parse --short HEAD", { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    const dirty = execSync("git status --porcelain -- provider emulator", { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] }).toString().split("\n").map((l) => l.trim()).filter(Boolean);
    return { commit, dirty };
  } catch {
    return { commit: "unknown", dirty: [] };
  }
}

/** RSS of a fresh Node process after requiring each module set (and a GC), in MB: the fixed cost of the code. */
function moduleCosts(): { modules: string; rssMB: number }[] {
  const dist = (m: string): string => path.join(__dirname, "..", "provider", m);
  const sets: [string, string[]][] = [
    ["node alone", []],
    ["@pulumi/pulumi (the dynamic-provider host loads it)", ["@pulumi/pulumi"]],
    ["@alicloud/ecs20140526", ["@alicloud/ecs20140526"]],
    ["@alicloud/r-kvstore20150101", ["@alicloud/r-kvstore20150101"]],
    ["@alicloud/openapi-core", ["@alicloud/openapi-core"]],
    ["@alicloud/credentials", ["@alicloud/credentials"]],
    ["provider ecs/instance-provider (core/clients.ts loads every SDK)", [dist("ecs/instance-provider")]],
    ["@pulumi/pulumi + all four provider modules", ["@pulumi/pulumi", dist("ecs/instance-provider"), dist("ecs/instance-set-provider"), dist("mongodb/instance-provider"), dist("redis/instance-provider")]],
  ];
  return sets.map(([modules, reqs]) => {
    const code = `${reqs.map((r) => `require(${JSON.stringify(r)});`).join("")}global.gc();process.stdout.write(String(process.memoryUsage().rss));`;
    try {
      return { modules, rssMB: Number(execFileSync(process.execPath, ["--expose-gc", "-e", code], { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] }).toString()) / 1024 / 1024 };
    } catch {
      return { modules, rssMB: NaN };
    }
  });
}

function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : "—";
}

/** `--report-only DIR`: write results.md and chart.svg again from DIR/results.json (no runs). */
function reportOnly(dir: string): void {
  const { meta, runs } = JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8")) as { meta: Meta; runs: RunResult[] };
  writeFileSync(path.join(dir, "results.md"), markdown(meta, runs));
  writeFileSync(path.join(dir, "chart.svg"), chartSvg(meta, runs));
  console.log(`bench: wrote ${path.relative(ROOT, dir) || "."}/results.md and chart.svg from results.json`);
}

async function main(): Promise<void> {
  const argv0 = process.argv.slice(2);
  const ro = argv0.indexOf("--report-only");
  if (ro >= 0) return reportOnly(path.resolve(ROOT, argv0[ro + 1] ?? "docs/bench"));
  const o = parseArgs(argv0);
  const runs = plan(o);
  const bench = new Bench(o);
  const started = Date.now();
  const results: RunResult[] = [];
  let failed = false;
  const argv = process.argv.slice(2).join(" ");
  const scales = o.timeScale !== undefined ? `time scale ${o.timeScale}` : `each run's time scale so that its limit lasts ≥ ${o.minRealSeconds} s real (${o.fastestScale}–1)`;
  console.log(`bench: ${runs.length} runs, mode ${o.mode}, ${scales}, ${o.rate} requests per cloud second per action and region`);
  try {
    for (const [i, r] of runs.entries()) {
      const t0 = Date.now();
      let res: RunResult;
      try {
        res = await bench.run(r);
      } catch (e) {
        failed = true;
        console.error(`[${i + 1}/${runs.length}] ${r.id}: ${(e as Error).message}`);
        continue;
      }
      results.push(res);
      console.log(
        `[${i + 1}/${runs.length}] ${r.id.padEnd(44)} wall ${fmt(res.wallSeconds).padStart(7)} s (${fmt(res.ratio, 2)}× limit ${fmt(res.limit.seconds)} s)` +
          `  calls ${String(res.calls).padStart(6)} (${fmt(res.callsPerInstance, 2)}/inst, ${res.throttled} throttled)  failed ${res.failed}` +
          `  rss ${fmt(res.memory.peakRssMB, 0)} MB  [${fmt((Date.now() - t0) / 1000)} s real, machine ${fmt(100 * (res.machineBusy ?? NaN), 0)}% busy, load ${fmt(res.loadAverage[1], 1)}]`,
      );
      if (res.failed > 0) for (const f of res.failures) console.log(`      ${f}`);
    }
  } finally {
    await bench.stop();
  }
  const meta = {
    date: new Date().toISOString(),
    mode: o.mode,
    command: `npm run bench${argv ? ` -- ${argv}` : ""}`,
    timeScale: o.timeScale,
    fastestScale: o.fastestScale,
    minRealSeconds: o.minRealSeconds,
    rate: o.rate,
    parallel: o.parallel,
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "?",
    git: gitDescribe(),
    durations: Object.fromEntries(Object.entries(defaultDurations()).filter(([k]) => /^(ecs\.(stopping|release)|dds\.deleting|kv\.(releasing|destroying))$/.test(k)).map(([k, v]) => [k, v.seconds])),
    realSeconds: (Date.now() - started) / 1000,
    loadPulumi: o.loadPulumi,
    moduleCosts: o.mode === "full" ? moduleCosts() : [],
  };
  mkdirSync(o.out, { recursive: true });
  writeFileSync(path.join(o.out, "results.json"), JSON.stringify({ meta, runs: results }, null, 2) + "\n");
  writeFileSync(path.join(o.out, "results.md"), markdown(meta, results));
  writeFileSync(path.join(o.out, "chart.svg"), chartSvg(meta, results));
  console.log(`bench: done in ${fmt(meta.realSeconds)} s real; wrote ${path.relative(ROOT, o.out)}/results.{md,json} and chart.svg`);

  if (o.mode === "smoke") {
    const problems: string[] = [];
    if (failed || results.length !== runs.length) problems.push("a run did not complete");
    for (const r of results) {
      if (r.failed > 0) problems.push(`${r.id}: ${r.failed} failed resources: ${r.failures.join("; ")}`);
      if (r.notReleased > 0) problems.push(`${r.id}: ${r.notReleased} instances not released`);
      if (r.calls === 0) problems.push(`${r.id}: no API calls recorded`);
    }
    if (problems.length > 0) {
      console.error(`bench --smoke FAILED:\n  ${problems.join("\n  ")}`);
      process.exit(1);
    }
    console.log("bench --smoke: ok");
  } else if (failed) {
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
