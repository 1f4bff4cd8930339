// `npm start`: the whole lifecycle of examples/ephemeral-env against the local emulator, on a machine with no cloud
// account. It builds and installs what is needed, starts the emulator with time sped up, runs `up`, expires the
// subscriptions through the emulator's admin API, runs `destroy`, and prints what happened to every resource: the
// APIs it called (the emulator's request log), how long its delete took, and its final state. It exits 0 only when
// the emulator's admin API lists no instance at all afterwards (Redis included: the example purges its recycle bin).
//
// The engine is the Pulumi CLI through the Automation API when `pulumi` is on PATH, else the local engine
// (tools/local-engine); `--engine local|pulumi` forces one.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { EmulatorAdmin, type AdminInstance } from "../../emulator/admin-client";
import type { RequestLogEntry } from "../../emulator/core/server";
import { buildTeardownReport, isBookkeeping, type LeftResource, type ResourceReport } from "../../provider/automation/report";
import { killTree, trackChild } from "../../test/support/harness-proc";
import { repoRoot } from "../../test/support/pulumi-harness";
import { destroy as localDestroy, up as localUp } from "../local-engine";
import { buildIfStale, installExample, verifyBlob } from "./example-install";
import { alicloudEmulatorConfig } from "./alicloud-config";
import { leftoverNetwork, networkDeleteStats } from "./network-deletes";

// 0.01: a 300 s creation takes 3 s. The overrides keep the slowest waits short: creation of the databases and the
// expiry lock of the subscription MongoDB instance, which the provider waits for before DestroyInstance.
const TIME_SCALE = 0.01;
const DURATIONS = { "dds.creating": 60, "kv.creating": 60, "dds.lockAfterExpiry": 120 };
const STACK = "npm-start";
const PARALLEL = 8;
const PROJECT_CONFIG = { workerCount: "12" };
const REGION = "cn-hangzhou";

interface PhaseResult {
  ok: boolean;
  events: EngineEvent[];
  /** What the stack still holds (destroy only). */
  left: LeftResource[];
  error?: string;
}

interface DemoEngine {
  readonly description: string;
  up(): Promise<PhaseResult>;
  destroy(): Promise<PhaseResult>;
  /** Text of the state as stored, to check that no secret is in clear (local engine only). */
  storedState?(): string;
  cleanup(): Promise<void>;
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;
const shortType = (type: string): string => type.slice(type.lastIndexOf(":") + 1);

function live(write: (s: string) => void): (e: EngineEvent & { durationMs?: number }) => void {
  return (e) => {
    const done = e.resOutputsEvent?.metadata;
    const failed = e.resOpFailedEvent?.metadata;
    const m = done ?? failed;
    if (!m || m.op === "same" || isBookkeeping(m.type)) return;
    const took = e.durationMs === undefined ? "" : ` (${secs(e.durationMs)})`;
    const id = m.new?.id || m.old?.id || "";
    write(`    ${failed ? "✗" : "✓"} ${m.op}${failed ? " FAILED" : ""}  ${shortType(m.type)} ${m.urn.slice(m.urn.lastIndexOf("::") + 2)} ${id.length > 30 ? "" : id}${took}\n`);
  };
}

function localEngine(env: Record<string, string>, redisPassword: string, write: (s: string) => void): DemoEngine {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ephemeral-env-demo-"));
  const stateFile = path.join(dir, `${STACK}.json`);
  const common = { cwd: repoRoot, stack: STACK, stateFile, env, parallel: PARALLEL, onEvent: live(write) };
  return {
    description: "the local engine (tools/local-engine: real cmd/run + cmd/dynamic-provider, no Pulumi CLI on PATH)",
    async up() {
      const r = await localUp({ ...common, config: { "alicloud:region": REGION, ...PROJECT_CONFIG }, secrets: { redisPassword } });
      return { ok: r.ok, events: r.events, left: [], error: r.error ?? r.failures.map((f) => f.message).join("\n") };
    },
    async destroy() {
      const r = await localDestroy({ ...common, continueOnError: true });
      return { ok: r.ok, events: r.events, left: r.remaining.map((x) => ({ urn: x.urn, type: x.type, id: x.id })), error: r.error };
    },
    storedState: () => fs.readFileSync(stateFile, "utf8"),
    async cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function pulumiEngine(env: Record<string, string>, redisPassword: string, write: (s: string) => void): Promise<DemoEngine> {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const { teardown } = await import("../../examples/automation/teardown");
  const backend = fs.mkdtempSync(path.join(os.tmpdir(), "ephemeral-env-backend-"));
  const envVars = { ...env, PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_SKIP_UPDATE_CHECK: "true" };
  const stack = await LocalWorkspace.createOrSelectStack({ stackName: STACK, workDir: repoRoot }, { envVars });
  await stack.setAllConfig({
    "alicloud:region": { value: REGION },
    ...Object.fromEntries(Object.entries({ ...PROJECT_CONFIG, ...alicloudEmulatorConfig(env.ALICLOUD_RELEASE_ENDPOINT) }).map(([k, value]) => [k, { value }])),
    redisPassword: { value: redisPassword, secret: true },
  });
  const onEvent = live(write);
  return {
    description: "the Pulumi CLI through the Automation API (file:// backend, passphrase secrets)",
    async up() {
      const events: EngineEvent[] = [];
      try {
        await stack.up({ parallel: PARALLEL, onEvent: (e) => (events.push(e), onEvent(e)) });
        return { ok: true, events, left: [] };
      } catch (e) {
        return { ok: false, events, left: [], error: (e as Error).message };
      }
    },
    async destroy() {
      const r = await teardown({ workDir: repoRoot, stack: STACK, envVars, parallel: PARALLEL, onEvent, regions: [REGION] });
      return { ok: !r.error && r.left.length === 0, events: r.events, left: r.left, error: r.error };
    },
    async cleanup() {
      // `stack rm` also deletes Pulumi.npm-start.yaml from the repository root; --force only when something is left.
      await stack.workspace.removeStack(STACK, { force: true }).catch(() => undefined);
      fs.rmSync(backend, { recursive: true, force: true });
    },
  };
}

async function startEmulator(): Promise<{ url: string; stop(): Promise<void> }> {
  const args = [path.join(repoRoot, "bin/alicloud-emulator.js"), "--port", "0", "--time-scale", String(TIME_SCALE)];
  for (const [k, v] of Object.entries(DURATIONS)) args.push("--duration", `${k}=${v}`);
  const child = trackChild(spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], detached: true }));
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => fail("no 'listening on' line within 15 s"), 15_000);
    const fail = (why: string): void => {
      clearTimeout(timer);
      killTree(child, "SIGKILL");
      reject(new Error(`the emulator did not start: ${why}\n${stderr}`));
    };
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => fail(`it exited with ${code}`));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => killTree(child, "SIGKILL"), 5_000);
        child.once("exit", () => (clearTimeout(timer), resolve()));
        killTree(child, "SIGTERM");
      }),
  };
}

/** The request log's calls about one resource: any parameter naming one of its instance ids. */
function callsFor(ids: string[], log: RequestLogEntry[]): string {
  const counts = new Map<string, number>();
  for (const e of log) {
    if (!e.action || !Object.values(e.params).some((v) => ids.some((id) => v.includes(id)))) continue;
    const label = e.status === 200 ? e.action : `${e.action}→${e.code ?? e.status}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([a, n]) => (n > 1 ? `${a} ×${n}` : a)).join(", ") || "none";
}

function finalState(ids: string[], after: AdminInstance[]): string {
  const still = after.filter((i) => ids.includes(i.id));
  if (still.length === 0) return ids.length > 1 ? `all ${ids.length} gone` : "gone";
  return `STILL THERE: ${still.map((i) => `${i.id} ${i.status}`).join(", ")}`;
}

function resourceLines(r: ResourceReport, log: RequestLogEntry[], after: AdminInstance[]): string[] {
  const took = r.durationMs === undefined ? "" : ` in ${secs(r.durationMs)}`;
  const ids = r.ids.length > 2 ? `${r.ids.length} instances` : r.ids.join(", ");
  const lines = [`  ${r.status === "deleted" ? "✓" : "✗"} ${shortType(r.type)} ${r.name} (${ids}): ${r.status}${took}`];
  lines.push(`      APIs:     ${callsFor(r.ids, log)}`);
  const shown = r.progress.slice(0, 6);
  if (shown.length) lines.push(`      provider: ${shown.join("\n                ")}${r.progress.length > shown.length ? `\n                … ${r.progress.length - shown.length} more lines` : ""}`);
  if (r.error) lines.push(`      error:    ${r.error.split("\n").join("\n                ")}`);
  lines.push(`      final:    ${finalState(r.ids, after)}`);
  return lines;
}

function parseArgs(argv: string[]): { engine?: "local" | "pulumi" } {
  const i = argv.indexOf("--engine");
  if (i < 0) return {};
  const v = argv[i + 1];
  if (v !== "local" && v !== "pulumi") throw new Error(`--engine takes local or pulumi, got ${v}`);
  return { engine: v };
}

export async function main(argv: string[]): Promise<number> {
  const write = (s: string): void => void process.stdout.write(s);
  const started = Date.now();
  const timings: [string, number, string?][] = [];
  const timed = async <T>(label: string, fn: () => Promise<T>, note?: (r: T) => string | undefined): Promise<T> => {
    const t0 = Date.now();
    const r = await fn();
    timings.push([label, Date.now() - t0, note?.(r)]);
    return r;
  };
  const { engine: forced } = parseArgs(argv);
  const exampleDir = path.join(repoRoot, "examples/ephemeral-env");

  write("ephemeral-env demo: up and destroy against the local Alibaba Cloud emulator\n\n");
  await timed("build", () => buildIfStale(repoRoot), (rebuilt) => (rebuilt ? "rebuilt" : "up to date"));
  const install = await timed("install example", () => installExample(repoRoot, exampleDir), (r) => (r.action === "none" ? "up to date" : r.action));
  if (install.action !== "none") write(`  examples/ephemeral-env: pulumi-alicloud-release ${install.action} from this repository\n`);
  const [, emulator] = await Promise.all([timed("provider blob check", () => verifyBlob(exampleDir)), timed("emulator start", startEmulator)]);
  write(`  provider blob: one require("pulumi-alicloud-release/…") of the installed package\n  emulator: ${emulator.url} (time scale ${TIME_SCALE})\n`);
  const admin = new EmulatorAdmin(emulator.url);

  const hasPulumi = spawnSync("pulumi", ["version"], { stdio: "ignore" }).status === 0;
  const usePulumi = forced ? forced === "pulumi" : hasPulumi;
  if (usePulumi && !hasPulumi) throw new Error("--engine pulumi: no `pulumi` on PATH");
  const redisPassword = `Demo-${randomBytes(9).toString("base64url")}`;
  const env = {
    ALICLOUD_RELEASE_ENDPOINT: emulator.url,
    ALIBABA_CLOUD_ACCESS_KEY_ID: "emulator",
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret",
    ALICLOUD_RELEASE_TIME_SCALE: String(TIME_SCALE),
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "ephemeral-env-demo",
  };
  const engine = usePulumi ? await pulumiEngine(env, redisPassword, write) : localEngine(env, redisPassword, write);
  write(`  engine: ${engine.description}\n\n`);

  let exitCode = 1;
  try {
    write(`pulumi up (stack ${STACK}):\n`);
    const up = await timed("up", () => engine.up());
    if (!up.ok) write(`  up failed: ${up.error ?? "see above"}\n`);
    const created = up.events.filter((e) => e.resOutputsEvent && ["create", "same"].includes(e.resOutputsEvent.metadata.op) && !isBookkeeping(e.resOutputsEvent.metadata.type)).length;

    let secretCheck = "not applicable (the Pulumi CLI encrypts state with the passphrase)";
    const stored = engine.storedState?.();
    if (stored !== undefined) secretCheck = stored.includes(redisPassword) ? "FAILED: the Redis password is in the state file in clear" : "the Redis password is stored encrypted, never in clear";

    // Subscriptions cannot be released before they expire: age them through the admin API, as time would.
    const prepaid = await timed("expire subscriptions", async () => {
      const list = (await admin.instances()).filter((i) => i.chargeType === "PrePaid");
      for (const i of list) await admin.expire(i.id);
      return list;
    });
    write(`\nexpired through the emulator admin API: ${prepaid.map((i) => `${i.id} (${i.product})`).join(", ") || "nothing"}\n\npulumi destroy:\n`);
    await admin.clearRequests();
    const destroyed = await timed("destroy", () => engine.destroy());
    const log = await admin.requests();
    const after = await admin.instances();
    const net = networkDeleteStats(log);
    const vpcDeleted = destroyed.events.find((e) => e.resOutputsEvent?.metadata.type === "alicloud:vpc/network:Network");
    const networkLeft = await leftoverNetwork(admin);
    const report = buildTeardownReport(destroyed.events, destroyed.left);

    write("\nPer resource (destroy):\n");
    for (const r of report.resources) write(`${resourceLines(r, log, after).join("\n")}\n`);
    if (destroyed.error && !report.resources.some((r) => r.error)) write(`  destroy error: ${destroyed.error}\n`);

    const byProduct = (p: AdminInstance["product"]): number => after.filter((i) => i.product === p).length;
    // A released MongoDB replica set stays in the recycle bin (Released) for 7 days: released, not billed.
    const inBin = after.filter((i) => i.product === "dds" && i.status === "Released");
    const unreleased = after.filter((i) => !inBin.includes(i));
    const everythingReleased = unreleased.length === 0 && networkLeft.length === 0;
    const networkFirstTry = net.deletes.length > 0 && net.firstCallOk === net.deletes.length && net.dependencyViolations === 0;
    const ok = up.ok && report.ok && everythingReleased && networkFirstTry && !secretCheck.startsWith("FAILED");
    timings.push(["total", Date.now() - started]);
    write(
      [
        "",
        "Summary:",
        `  engine:   ${usePulumi ? "Pulumi CLI (Automation API)" : "local engine (no `pulumi` on PATH)"}`,
        `  up:       ${up.ok ? "ok" : "FAILED"}, ${created} resources`,
        `  destroy:  ${report.deleted} deleted, ${report.failed} failed, ${report.notAttempted} not attempted; ${log.length} API calls`,
        `  state:    ${secretCheck}`,
        `  emulator: ${byProduct("ecs")} ECS, ${byProduct("dds")} MongoDB, ${byProduct("r-kvstore")} Redis instances, ${networkLeft.length} network resources left` +
          (everythingReleased ? " — everything was released" : ` — NOT released: ${[...unreleased.map((i) => `${i.id} ${i.status}`), ...networkLeft].join(", ")}`) +
          (inBin.length ? ` (${inBin.length} MongoDB in the recycle bin, recoverable for 7 days)` : ""),
        `  network:  ${net.firstCallOk} of ${net.deletes.length} network deletes (vSwitch, security group, VPC) succeeded on the first call; ` +
          `${net.dependencyViolations} DependencyViolation answers, ${net.retries} retries` +
          (vpcDeleted && destroyed.events.length ? `; the VPC was gone ${secs((vpcDeleted.timestamp - destroyed.events[0].timestamp) * 1000)} after destroy started` : ""),
        `  timings:  ${timings.map(([l, ms, note]) => `${l} ${secs(ms)}${note ? ` (${note})` : ""}`).join(", ")}`,
        "",
        ok ? "OK: everything the stack created was released.\n" : "FAILED: see above.\n",
      ].join("\n"),
    );
    exitCode = ok ? 0 : 1;
  } finally {
    await engine.cleanup();
    await emulator.stop();
  }
  return exitCode;
}
