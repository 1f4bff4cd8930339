// Programmatic entry point: `startEmulator()` from "pulumi-alicloud-release/emulator".
import { Clock, DurationTable } from "./core/clock";
import { ProductBackend } from "./core/product";
import { EmulatorServer } from "./core/server";
import { Credential } from "./core/signature";
import { ddsBackend } from "./dds";
import { ecsBackend } from "./ecs";
import { rKvStoreBackend } from "./r-kvstore";
import { vpcBackend } from "./vpc";

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Multiplies every transitional duration (0.01 makes a 30 s stop last 0.3 s). Default 1. */
  timeScale?: number;
  /** Accepted key pairs; default emulator / emulator-secret. */
  credentials?: Credential[];
  /** Overrides of the default durations, in seconds at time scale 1, e.g. {"ecs.stopping": 5}. */
  durations?: Record<string, number>;
  /** Seed of the fault injector's random numbers. */
  seed?: number;
  /** Start with virtual time frozen: it moves only through the admin API (deterministic tests). */
  frozenClock?: boolean;
  /** Every region starts with a default VPC, a vSwitch per zone and a security group (default true). */
  defaultNetwork?: boolean;
}

export interface RunningEmulator {
  url: string;
  port: number;
  /** The server itself, for in-process tests and benchmarks. */
  server: EmulatorServer;
  close(): Promise<void>;
}

export const DEFAULT_CREDENTIAL: Credential = { accessKeyId: "emulator", accessKeySecret: "emulator-secret" };

export function products(options: { defaultNetwork?: boolean } = {}): ProductBackend[] {
  return [ecsBackend(), ddsBackend(), rKvStoreBackend(), vpcBackend({ defaultNetwork: options.defaultNetwork })];
}

/** Every default duration of every product, prefixed by product ("ecs.stopping"). */
export function defaultDurations(): DurationTable {
  return Object.assign({}, ...products().map((p) => p.durations)) as DurationTable;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const backends = products({ defaultNetwork: options.defaultNetwork });
  const table = defaultDurations();
  const seconds: Record<string, number> = {};
  for (const [name, spec] of Object.entries(table)) seconds[name] = spec.seconds;
  for (const [name, value] of Object.entries(options.durations ?? {})) {
    if (!(name in table)) throw new Error(`unknown duration "${name}"; known: ${Object.keys(table).join(", ")}`);
    if (!(typeof value === "number" && value >= 0 && Number.isFinite(value))) throw new Error(`duration ${name} must be a non-negative number of seconds`);
    seconds[name] = value;
  }
  const clock = new Clock(options.timeScale ?? 1, seconds);
  if (options.frozenClock) clock.setFrozen(true);
  const server = new EmulatorServer({
    products: backends,
    credentials: options.credentials?.length ? options.credentials : [DEFAULT_CREDENTIAL],
    clock,
    seed: options.seed ?? 1,
  });
  const port = await server.listen(options.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  return { url, port, server, close: () => server.close() };
}

export { EmulatorServer } from "./core/server";
export type { RequestLogEntry } from "./core/server";
export type { FaultRule } from "./core/faults";
export type { Credential } from "./core/signature";
export { EmulatorAdmin } from "./admin-client";
export type { AdminInstance, AdminNetwork } from "./admin-client";
