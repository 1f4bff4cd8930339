// The shapes of the benchmark's results (results.json), shared by the runner (run.ts) and the report (report.ts).
import type { ChildReport, Strategy } from "./child";
import type { Lifecycle } from "./scenarios";

export type RunGroup = "main" | "force" | "memory" | "sweep" | "scale" | "compression" | "smoke";

export interface Meta {
  date: string;
  mode: string;
  command: string;
  /** One time scale for every run (--time-scale), or absent: each run's own (RunResult.timeScale). */
  timeScale?: number;
  /** Without --time-scale: the fastest scale a run may use, and the real seconds its limit lasts at least. */
  fastestScale?: number;
  minRealSeconds?: number;
  rate: number;
  parallel: number[];
  node: string;
  cpus: number;
  cpuModel: string;
  git: { commit: string; dirty: string[] };
  durations: Record<string, number>;
  realSeconds: number;
  loadPulumi: boolean;
  moduleCosts: { modules: string; rssMB: number }[];
}

export interface RunResult {
  id: string;
  group: RunGroup;
  scenario: string;
  scenarioTitle: string;
  strategy: Strategy;
  experiment?: string;
  parallel: number;
  resources: number;
  instances: number;
  lifecycle: Lifecycle;
  /** This run's time scale (absent in results written before it was chosen per run: Meta.timeScale). */
  timeScale?: number;
  /** Cloud seconds (real seconds / time scale). */
  wallSeconds: number;
  wallRealSeconds: number;
  limit: { seconds: number; transitionSeconds: number; apiSeconds: number; minCalls: number; minCallsAtP: number };
  ratio: number;
  /** Cloud seconds until the last instance reached the state the delete promises (gone; TF Redis: recycle bin). */
  settledSeconds?: number;
  calls: number;
  callsAccepted: number;
  callsPerInstance: number;
  callsByAction: Record<string, number>;
  throttled: number;
  otherErrors: Record<string, number>;
  failed: number;
  failedByThrottling: number;
  failures: string[];
  notReleased: number;
  memory: ChildReport["memory"];
  providerCpuSeconds: number;
  emulatorCpuSeconds: number;
  eventLoopDelayP99Ms: number;
  /** The whole machine's CPU use during the teardown (all processes, all cores), 0–1: others' work shows here. */
  machineBusy?: number;
  /** Processes other than the benchmark's keep the machine busy: load average at the start and the end. */
  loadAverage: [number, number];
  /** Mean cloud seconds per resource: before the first change, between transitions, after the last, in transitions. */
  profile: { lead: number; gaps: number; tail: number; transitions: number; total: number; resources: number };
}
