// Real Pulumi programs end to end, as a user runs them: this repo packed and installed into a temporary project
// (`npm install <tarball> @pulumi/pulumi`), the programs run by the real cmd/run, their resources created and
// deleted by the real cmd/dynamic-provider, driven by the local engine (tools/local-engine), against the emulator,
// whose admin API says what is left. One installed project is shared by every test; the package upgrade runs last.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { evenFaultRules, FAULT_KINDS, oneOfEachFault } from "../support/reliability";
import { EmulatorAdmin, RunningEmulator, startEmulator } from "../../emulator";
import { buildTeardownReport } from "../../provider/automation/report";
import { destroy, up, type EngineOptions, type EngineResult, type LocalEngineEvent, type StateFile } from "../../tools/local-engine";
import { Crypter } from "../../tools/local-engine/secrets";
import { killTree, makeTempDir, run, trackChild } from "../support/harness-proc";
import { emulatorEnv, writeProgram } from "../support/programs";
import { leftoverNetwork, networkDeleteStats } from "../../tools/demo/network-deletes";
import { cleanupHarness, createProject, harnessTimings, packDirectory, packPackage, repoRoot, type Project } from "../support/pulumi-harness";
import { notReleased } from "../support/emulator";

const TIME_SCALE = 0.01;
const ALICLOUD_VERSION = "3.108.0";
const PASSPHRASE = "e2e-passphrase";
const REDIS_PASSWORD = "E2e-Redis-Pw-7f3a9c";
// The example creates its own network (VPC, vSwitches, security group) with @pulumi/alicloud, served by the double.
const EXAMPLE_CONFIG = { "alicloud:region": "cn-hangzhou", workerCount: "12" };
const LAUNCH = `{ imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vSwitchId: "vsw-default-cn-hangzhou-b", securityGroupId: "sg-default-cn-hangzhou" }`;
const ECS = "pulumi-nodejs:dynamic/alicloud-release:ecs.Instance";

let emu: RunningEmulator;
let admin: EmulatorAdmin;
let project: Project;
let tarball: string;
const timings: string[] = [];

const providerEnv = (extra: Record<string, string> = {}): Record<string, string> => emulatorEnv(emu.url, TIME_SCALE, PASSPHRASE, extra);

const program = (name: string, source: string): string => writeProgram(project.dir, name, source);

function options(cwd: string, stack: string, extra: Partial<EngineOptions> = {}): EngineOptions {
  return {
    cwd,
    stack,
    stateFile: path.join(cwd, ".state", `${stack}.json`),
    env: providerEnv(),
    parallel: 8,
    callTimeoutMs: 120_000,
    programTimeoutMs: 180_000,
    ...extra,
  };
}

async function timedRun(label: string, p: Promise<EngineResult>): Promise<EngineResult> {
  const t0 = Date.now();
  const r = await p;
  timings.push(`${label}: ${Date.now() - t0} ms`);
  return r;
}

const readState = (o: EngineOptions): StateFile => JSON.parse(fs.readFileSync(o.stateFile, "utf8")) as StateFile;
const names = (rs: { urn: string }[]): string[] => rs.map((r) => r.urn.slice(r.urn.lastIndexOf("::") + 2)).sort();
const deleteEvents = (events: LocalEngineEvent[], kind: "resourcePreEvent" | "resOutputsEvent"): Map<string, number> =>
  new Map(events.filter((e) => e[kind]?.metadata.op === "delete").map((e) => [e[kind]!.metadata.urn.split("::").pop()!, e.sequence]));

/** Everything the result said went wrong, for assertion messages. */
const why = (r: EngineResult): string => [r.error, ...r.failures.map((f) => `${f.urn}: ${f.message}`)].filter(Boolean).join("\n");

beforeAll(async () => {
  emu = await startEmulator({ timeScale: TIME_SCALE, durations: { "dds.creating": 60, "kv.creating": 60, "dds.lockAfterExpiry": 120 } });
  admin = new EmulatorAdmin(emu.url);
  tarball = await packPackage();
  project = await createProject({ tarballs: [tarball], name: "e2e", extraDeps: { "@pulumi/alicloud": ALICLOUD_VERSION } });
}, 300_000);

beforeEach(async () => {
  await admin.reset();
});

afterAll(async () => {
  const setup = harnessTimings.filter((t) => !t.label.startsWith("provider"));
  console.log(["e2e timings:", ...setup.map((t) => `  ${t.label}: ${t.ms} ms`), ...timings.map((t) => `  ${t}`)].join("\n"));
  await emu?.close();
  await cleanupHarness();
});

describe("examples/ephemeral-env through the local engine", () => {
  it("up creates the whole environment; destroy releases every instance, dependents first, and keeps no secret in clear", async () => {
    const cwd = program("ephemeral-env", fs.readFileSync(path.join(repoRoot, "examples/ephemeral-env/index.js"), "utf8"));
    const o = options(cwd, "dev", { config: EXAMPLE_CONFIG, secrets: { redisPassword: REDIS_PASSWORD } });

    const created = await timedRun("example up", up(o));
    expect(created.ok, why(created)).toBe(true);
    expect(names(created.remaining)).toEqual([
      "app-vsw", "bastion", "build-runner", "cache", "data-vsw", "legacy-api", "legacy-api-release", "licensed", "reporting-db", "sessions-db", "sg", "vpc", "web", "workers",
    ]);
    expect(created.outputs.workerIds).toHaveLength(12);
    const live = await admin.instances();
    expect(live.filter((i) => i.product === "ecs")).toHaveLength(17);
    // Every instance sits in the stack's own network.
    const network = await admin.network({ includeDefault: false });
    expect(network.vSwitches.flatMap((v) => v.usedBy).sort()).toEqual(live.map((i) => i.id).sort());
    expect(live.filter((i) => i.product === "dds")).toHaveLength(2);
    expect(live.filter((i) => i.product === "r-kvstore")).toHaveLength(1);

    // The state as stored: secrets encrypted (the secret config and the Redis password input), blobs one require().
    const stateText = fs.readFileSync(o.stateFile, "utf8");
    expect(stateText).not.toContain(REDIS_PASSWORD);
    const cache = readState(o).resources.find((r) => r.urn.endsWith("::cache"))!;
    expect(cache.inputs.password).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: expect.stringMatching(/^v1:/) });
    expect(cache.outputs.__provider).toContain('require("pulumi-alicloud-release/redis/instance-provider")');
    expect((cache.outputs.__provider as string).match(/require\(/g)).toHaveLength(1);

    for (const i of live.filter((x) => x.chargeType === "PrePaid")) await admin.expire(i.id);
    await admin.clearRequests();
    const destroyed = await timedRun("example destroy", destroy({ ...o, continueOnError: true }));
    expect(destroyed.ok, why(destroyed)).toBe(true);
    expect(notReleased(await admin.instances())).toEqual([]);
    expect(await leftoverNetwork(admin)).toEqual([]);
    expect(readState(o).resources).toEqual([]);
    // Every instance was gone before its network was touched: each network delete succeeded on its first call.
    const net = networkDeleteStats(await admin.requests());
    expect(net.deletes.map((d) => `${d.action} ${d.answers.join(",")}`).sort()).toEqual(["DeleteSecurityGroup OK", "DeleteVSwitch OK", "DeleteVSwitch OK", "DeleteVpc OK"]);
    expect(net.dependencyViolations).toBe(0);

    // web and the workers depend on the cache and sessions-db: their deletes end before the databases' start.
    const started = deleteEvents(destroyed.events, "resourcePreEvent");
    const ended = deleteEvents(destroyed.events, "resOutputsEvent");
    for (const app of ["web", "workers"]) for (const db of ["cache", "sessions-db"]) expect(ended.get(app)!).toBeLessThan(started.get(db)!);

    // The teardown report works on these events as on the CLI's: every resource deleted, provider lines attributed.
    const report = buildTeardownReport(destroyed.events);
    expect(report).toMatchObject({ ok: true, deleted: 14, failed: 0 });
    expect(report.resources.find((r) => r.name === "bastion")!.progress).toContain("release protection turned off (overrideProtection)");
    expect(report.resources.find((r) => r.name === "workers")!.ids).toHaveLength(12);
    expect(report.resources.find((r) => r.name === "cache")!.progress.join("\n")).toMatch(/DestroyInstance/);
    expect(JSON.stringify(destroyed.events)).not.toContain(REDIS_PASSWORD);
  }, 240_000);
});

describe("examples/ephemeral-env destroyed under injected faults", () => {
  it("with 20% of requests failing in every way the cloud's edge fails, destroy releases everything and reports no false success", async () => {
    const cwd = program("ephemeral-chaos", fs.readFileSync(path.join(repoRoot, "examples/ephemeral-env/index.js"), "utf8"));
    // Replies slower than the client timeout need a short one: 800 ms latency faults against a 500 ms timeout.
    const o = options(cwd, "chaos", { config: EXAMPLE_CONFIG, secrets: { redisPassword: REDIS_PASSWORD }, env: providerEnv({ ALICLOUD_RELEASE_HTTP_TIMEOUT_MS: "500" }) });
    const created = await timedRun("chaos up", up(o));
    expect(created.ok, why(created)).toBe(true);
    for (const i of (await admin.instances()).filter((x) => x.chargeType === "PrePaid")) await admin.expire(i.id);
    await admin.clearRequests();
    await admin.faults([...oneOfEachFault(), ...evenFaultRules(0.2)]);
    const destroyed = await timedRun("chaos destroy", destroy({ ...o, continueOnError: true }));
    const faults = (await (await fetch(`${emu.url}/_emulator/faults`)).json()) as { injected: number };
    await admin.clearFaults();
    expect(destroyed.ok, why(destroyed)).toBe(true);
    expect(destroyed.failures).toEqual([]);
    expect(readState(o).resources).toEqual([]);
    expect(notReleased(await admin.instances())).toEqual([]);
    expect(await leftoverNetwork(admin)).toEqual([]);
    expect(faults.injected).toBeGreaterThanOrEqual(FAULT_KINDS.length);
    timings.push(`chaos destroy: ${faults.injected} faults injected, ${(await admin.requests()).length} requests`);
  }, 180_000);
});

describe("failed deletes", () => {
  const source = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { ecs } = require("pulumi-alicloud-release");
const cfg = new pulumi.Config();
const launch = ${LAUNCH};
new ecs.Instance("plain", { ...launch });
new ecs.Instance("guarded", { ...launch, deletionProtection: true, overrideProtection: cfg.getBoolean("overrideProtection") ?? false });
`;

  it("a failed delete shows its full message under the resource and keeps it; once overrideProtection is set by `up`, destroy succeeds", async () => {
    const cwd = program("protected", source);
    const o = options(cwd, "dev", { config: { "alicloud:region": "cn-hangzhou" } });
    // One step at a time, so that the state lists plain, then guarded (steps are recorded as they complete).
    const created = await timedRun("protected up", up({ ...o, parallel: 1 }));
    expect(created.ok, why(created)).toBe(true);
    const guarded = created.remaining.find((r) => r.urn.endsWith("::guarded"))!;
    const plain = created.remaining.find((r) => r.urn.endsWith("::plain"))!;

    // Without --continue-on-error the first failure stops the run: with one delete at a time, guarded (registered
    // last, so deleted first) fails and plain is never attempted.
    const stopped = await timedRun("protected destroy (stops at the failure)", destroy({ ...o, parallel: 1 }));
    expect(stopped.ok).toBe(false);
    expect(stopped.failures.map((f) => f.urn.split("::").pop())).toEqual(["guarded"]);
    expect(names(stopped.remaining)).toEqual(["guarded", "plain"]);
    expect((await admin.instance(plain.id!))?.status).toBe("Running");

    // Through the CLI, with --continue-on-error: plain is released, guarded's error is printed as the CLI prints it.
    const cli = await runCli(["destroy", "--cwd", cwd, "--stack", "dev", "--state", o.stateFile, "--continue-on-error", "--call-timeout", "120"], o.env!);
    expect(cli.code, cli.stdout + cli.stderr).toBe(255);
    const message =
      `ecs.Instance ${guarded.id}: not released; nothing was changed:\n  - ${guarded.id}: release protection (DeletionProtection) is on. ` +
      "Set overrideProtection: true (then `pulumi up`) to turn it off before release, or turn it off in the ECS console.";
    const diagnostics = cli.stdout.slice(cli.stdout.indexOf("\nDiagnostics:\n"));
    expect(diagnostics).toContain(`  ${ECS} (guarded):\n    error: ${message.split("\n")[0]}\n`);
    expect(diagnostics).toContain(message.split("\n")[1].trim());
    // The provider's stderr (its progress lines and the error's stack) is shown under the stack, as by the CLI.
    expect(diagnostics).toMatch(new RegExp(`  pulumi:pulumi:Stack \\(protected-dev\\):\\n(    .*\\n)*    ${plain.id}: released`));
    expect(cli.stdout).toMatch(/- 1 deleted/);
    expect(await admin.instance(plain.id!)).toBeUndefined();
    expect((await admin.instance(guarded.id!))?.status).toBe("Running");
    expect(names(readState(o).resources.filter((r) => r.type === ECS))).toEqual(["guarded"]);

    // The fix is a stack change: `up` records overrideProtection in the outputs (and recreates plain), then destroy.
    const fixed = await timedRun("protected up (overrideProtection)", up({ ...o, config: { ...o.config, overrideProtection: "true" } }));
    expect(fixed.ok, why(fixed)).toBe(true);
    expect(fixed.changes).toMatchObject({ update: 1, create: 1 });
    const again = await timedRun("protected destroy (after the fix)", destroy(o));
    expect(again.ok, why(again)).toBe(true);
    expect(notReleased(await admin.instances())).toEqual([]);
    expect(readState(o).resources).toEqual([]);
  }, 150_000);

  it("a create that failed half-way is kept in state with its instance, and destroy releases it", async () => {
    const cwd = program(
      "half",
      `"use strict";
const { ecs, redis } = require("pulumi-alicloud-release");
new redis.Instance("cache", { instanceClass: "redis.master.small.default", vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h", purgeRecycleBin: true });
new ecs.Instance("half", ${LAUNCH});
`,
    );
    const o = options(cwd, "dev", { config: { "alicloud:region": "cn-hangzhou" } });
    // RunInstances succeeds; the wait for Running is refused once: the instance exists but the create fails.
    await admin.faults([{ product: "ecs", action: "DescribeInstances", code: "Forbidden.RAM", count: 1 }]);
    const failed = await timedRun("half up", up(o));
    await admin.clearFaults();
    expect(failed.ok).toBe(false);
    const failure = failed.failures.find((f) => f.urn.endsWith("::half"))!;
    expect(failure.message).toMatch(/^1 error occurred:\n\t\* .*created but did not become Running/);
    const half = readState(o).resources.find((r) => r.urn.endsWith("::half"))!;
    expect(half.id).toMatch(/^i-/);
    expect(half.initErrors).toHaveLength(1);
    expect(half.outputs.__provider).toContain("require(");
    expect(await admin.instance(half.id!)).toBeDefined();

    const destroyed = await timedRun("half destroy", destroy(o));
    expect(destroyed.ok, why(destroyed)).toBe(true);
    expect(notReleased(await admin.instances())).toEqual([]);
  }, 120_000);
});

describe("stack config", () => {
  it("reads Pulumi.<stack>.yaml like the CLI: secure values decrypted with the passphrase and passed to the provider's Configure", async () => {
    const cwd = program("configured", `"use strict";\nconst { ecs } = require("pulumi-alicloud-release");\nmodule.exports = { id: new ecs.Instance("vm", ${LAUNCH}).instanceId };\n`);
    const { crypter, state } = await Crypter.create(PASSPHRASE);
    fs.writeFileSync(
      path.join(cwd, "Pulumi.dev.yaml"),
      `encryptionsalt: ${state}\nconfig:\n  alicloud:region: cn-hangzhou\n  alicloud:accessKey: emulator\n  alicloud:secretKey:\n    secure: ${crypter.encrypt("emulator-secret")}\n`,
    );
    // No credentials in the environment: only the decrypted stack config can authenticate the provider's calls.
    const o = options(cwd, "dev", { env: providerEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: "", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "" }) });

    const wrong = await up({ ...o, env: { ...o.env, PULUMI_CONFIG_PASSPHRASE: "not-it" } });
    expect(wrong.ok).toBe(false);
    expect(wrong.error).toBe("incorrect passphrase");

    const created = await timedRun("configured up", up(o));
    expect(created.ok, why(created)).toBe(true);
    expect((await admin.instance(created.outputs.id as string))?.regionId).toBe("cn-hangzhou");
    expect(fs.readFileSync(o.stateFile, "utf8")).not.toContain("emulator-secret");
    const destroyed = await timedRun("configured destroy", destroy(o));
    expect(destroyed.ok, why(destroyed)).toBe(true);
    expect(notReleased(await admin.instances())).toEqual([]);
  }, 120_000);
});

describe("package upgrade between up and destroy", () => {
  it("destroy runs the newly installed version for resources created by the old one", async () => {
    const cwd = program(
      "upgrade",
      `"use strict";
const { ecs, mongodb } = require("pulumi-alicloud-release");
new ecs.Instance("vm", ${LAUNCH});
new mongodb.Instance("db", { engineVersion: "7.0", dbInstanceClass: "dds.mongo.mid", dbInstanceStorage: 20, vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h" });
`,
    );
    const o = options(cwd, "dev", { config: { "alicloud:region": "cn-hangzhou" } });
    const created = await timedRun("upgrade up", up(o));
    expect(created.ok, why(created)).toBe(true);
    const blobBefore = readState(o).resources.find((r) => r.urn.endsWith("::vm"))!.outputs.__provider;

    // The next release: the packed package with its version bumped, and a line that says which version loaded.
    const dir = makeTempDir("upgrade");
    await run("tar", ["-xzf", tarball, "-C", dir], { cwd: dir, timeoutMs: 60_000 });
    const pkgDir = path.join(dir, "package");
    const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")) as { version: string };
    const [major, minor, patch] = pkg.version.split(/[.-]/).map(Number);
    const next = `${major}.${minor}.${patch + 1}`;
    fs.writeFileSync(path.join(pkgDir, "package.json"), JSON.stringify({ ...pkg, version: next }, null, 2));
    fs.appendFileSync(
      path.join(pkgDir, "dist/provider/ecs/instance-provider.js"),
      `\nprocess.stderr.write("pulumi-alicloud-release " + require("../../../package.json").version + " loaded\\n");\n`,
    );
    await project.install(await packDirectory(pkgDir));
    const installed = await project.runNode(`process.stdout.write(require("pulumi-alicloud-release/package.json").version)`);
    expect(installed.stdout).toBe(next);

    const destroyed = await timedRun("upgrade destroy", destroy(o));
    expect(destroyed.ok, why(destroyed)).toBe(true);
    const lines = destroyed.events.flatMap((e) => (e.diagnosticEvent && !e.diagnosticEvent.urn ? [e.diagnosticEvent.message.trim()] : []));
    expect(lines).toContain(`pulumi-alicloud-release ${next} loaded`);
    expect(blobBefore).toContain('require("pulumi-alicloud-release/ecs/instance-provider")');
    expect(notReleased(await admin.instances())).toEqual([]);
  }, 180_000);
});

/** The local engine's CLI, as a user runs it: its exit code and its output. */
function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = trackChild(
    spawn(process.execPath, [path.join(repoRoot, "tools/local-engine/cli.js"), ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true }),
  );
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    // The CLI compiles tools/ on first use (about 10 s), then destroys.
    const timer = setTimeout(() => killTree(child, "SIGKILL"), 120_000);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
