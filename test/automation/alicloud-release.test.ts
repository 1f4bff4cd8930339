// `alicloud-release` as a user runs it: the packed package installed into a temporary project, its `bin` run as a
// process against the emulator, on stacks made by real Pulumi programs through the local engine (tools/local-engine),
// whose state is exported in the `pulumi stack export` shape (tools/local-engine/export.ts) for --stack-file.
// What is asserted is what a user sees: the exit code, the JSON, the emulator's request log and what is left.
import * as Ecs from "@alicloud/ecs20140526";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EmulatorAdmin, RunningEmulator, startEmulator } from "../../emulator";
import type { PlanResult, StatusResult, SweepResult } from "../../provider/automation";
import { destroy, up, type EngineOptions } from "../../tools/local-engine";
import { exportStateFile } from "../../tools/local-engine/export";
import { trackChild } from "../support/harness-proc";
import { defaultSecurityGroupId, defaultVSwitchId } from "../support/network";
import { emulatorEnv, writeProgram } from "../support/programs";
import { cleanupHarness, createProject, packPackage, repoRoot, type Project } from "../support/pulumi-harness";
import { changeCalls } from "../support/reliability";
import { ecsClient } from "../support/sdk";
import { notReleased } from "../support/emulator";

const TIME_SCALE = 0.01;
const REGION = "cn-hangzhou";
const PASSPHRASE = "release-cli-passphrase";
const LAUNCH = { imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vSwitchId: defaultVSwitchId(), securityGroupId: defaultSecurityGroupId() };

let emu: RunningEmulator;
let admin: EmulatorAdmin;
let project: Project;

const cloudEnv = (extra: Record<string, string> = {}): Record<string, string> => emulatorEnv(emu.url, TIME_SCALE, PASSPHRASE, extra);

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The installed bin, as `npx alicloud-release …` runs it. */
function cli(args: string[], env: Record<string, string> = cloudEnv()): Promise<CliRun> {
  const bin = path.join(project.dir, "node_modules", ".bin", "alicloud-release");
  return new Promise((resolve, reject) => {
    const child = trackChild(spawn(bin, args, { cwd: project.dir, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] }));
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const jsonOf = <T>(r: CliRun): T => {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
};

const program = (name: string, source: string): string => writeProgram(project.dir, name, source);

function engine(cwd: string, stack: string, extra: Partial<EngineOptions> = {}): EngineOptions {
  return { cwd, stack, stateFile: path.join(cwd, ".state", `${stack}.json`), env: cloudEnv(), parallel: 8, callTimeoutMs: 120_000, programTimeoutMs: 180_000, ...extra };
}

const ownership = (projectName: string, stack: string, name: string) => ({ "pulumi:project": projectName, "pulumi:stack": stack, "pulumi:name": name });

async function runInstance(tags: Record<string, string>): Promise<string> {
  const res = await ecsClient(emu.url).runInstances(
    new Ecs.RunInstancesRequest({ regionId: REGION, ...LAUNCH, tag: Object.entries(tags).map(([key, value]) => new Ecs.RunInstancesRequestTag({ key, value })) }),
  );
  return res.body!.instanceIdSets!.instanceIdSet![0];
}

// Instances not released yet (a released MongoDB replica set waits in the recycle bin for 7 days).
const ids = async (): Promise<string[]> => notReleased(await admin.instances()).map((i) => i.id).sort();

beforeAll(async () => {
  emu = await startEmulator({ timeScale: TIME_SCALE, durations: { "dds.creating": 60, "kv.creating": 60, "dds.lockAfterExpiry": 120 } });
  admin = new EmulatorAdmin(emu.url);
  // @pulumi/alicloud: the example stack builds its network with it (served by the local engine's alicloud double).
  project = await createProject({ tarballs: [await packPackage()], name: "release-cli", extraDeps: { "@pulumi/alicloud": "3.108.0" } });
}, 300_000);

beforeEach(async () => {
  await admin.reset();
});

afterAll(async () => {
  await emu?.close();
  await cleanupHarness();
});

describe("sweep: what a lost create left behind", () => {
  it("finds the instance a create whose every reply was lost made, releases it and only it", async () => {
    // The resource class tags the instance with its project, stack and name (the ownership tags).
    const cwd = program("shop", `const { ecs } = require("pulumi-alicloud-release");
new ecs.Instance("web", { regionId: "${REGION}", ...${JSON.stringify(LAUNCH)} });
`);
    // Another stack's instance and an untagged one, which the sweep must never touch.
    const otherStack = await runInstance(ownership("shop", "pr-8", "web"));
    const untagged = await runInstance({});
    // Every RunInstances runs and its reply is lost; the engine gives up on the create, as a killed CI job would.
    await admin.faults([{ product: "ecs", action: "RunInstances", drop: true, phase: "after" }]);
    const o = engine(cwd, "pr-7", { callTimeoutMs: 6_000 });
    const created = await up(o);
    await admin.clearFaults();
    expect(created.ok).toBe(false);
    expect(created.remaining).toEqual([]);
    const attempts = await admin.requests({ product: "ecs", action: "RunInstances" });
    expect(attempts.length).toBeGreaterThan(1);
    const lost = (await ids()).filter((id) => id !== otherStack && id !== untagged);
    expect(lost).toHaveLength(1);

    const stackFile = exportStateFile(o.stateFile);
    const found = await cli(["sweep", "--stack-file", stackFile, "--region", REGION, "--json"]);
    expect(found.code, found.stderr).toBe(1);
    const dry = jsonOf<SweepResult>(found);
    expect(dry).toMatchObject({ project: "shop", stack: "pr-7", stackExists: true, released: [], clean: false });
    expect(dry.found.map((f) => [f.id, f.name, f.reason])).toEqual([[lost[0], "web", "not in the stack's state"]]);

    await admin.clearRequests();
    const swept = await cli(["sweep", "--stack-file", stackFile, "--region", REGION, "--release", "--json"]);
    expect(swept.code, swept.stderr).toBe(0);
    expect(jsonOf<SweepResult>(swept)).toMatchObject({ released: [lost[0]], failed: [], clean: true });
    expect(swept.stderr).toContain(`${lost[0]}: released`);
    expect(await ids()).toEqual([otherStack, untagged].sort());
    // Every call that changed something named the lost instance and nothing else.
    expect(changeCalls(await admin.requests()).flatMap((c) => c.ids).every((id) => id === lost[0])).toBe(true);

    const again = await cli(["sweep", "--stack-file", stackFile, "--region", REGION]);
    expect([again.code, again.stdout]).toEqual([0, expect.stringContaining("nothing found.")]);
  }, 240_000);

  it("takes the instances the state holds as the stack's, and honours exclusions by id and tag", async () => {
    const a = await runInstance({ ...ownership("shop", "gone", "a"), keep: "yes" });
    const b = await runInstance(ownership("shop", "gone", "b"));
    const file = path.join(project.dir, "gone.export.json");
    // A stack whose state no longer holds anything: every tagged instance is an orphan.
    fs.writeFileSync(file, JSON.stringify({ version: 3, deployment: { manifest: {}, resources: [] } }));
    const byTag = jsonOf<SweepResult>(await cli(["sweep", "--stack-file", file, "--project", "shop", "--stack", "gone", "--region", REGION, "--exclude-tag", "keep=yes", "--json"]));
    expect(byTag.found.map((f) => f.id)).toEqual([b]);
    expect(byTag.skipped).toEqual([{ id: a, why: "excluded by tag keep=yes" }]);
    const byId = jsonOf<SweepResult>(await cli(["sweep", "--stack-file", file, "--project", "shop", "--stack", "gone", "--region", REGION, "--exclude-id", b, "--json"]));
    expect(byId.found.map((f) => f.id)).toEqual([a]);
    const young = await cli(["sweep", "--stack-file", file, "--project", "shop", "--stack", "gone", "--region", REGION, "--older-than", "2h", "--json"]);
    expect([young.code, jsonOf<SweepResult>(young).found]).toEqual([0, []]);
  }, 60_000);
});

describe("plan: what destroy will do, resource by resource", () => {
  it("predicts the example stack's destroy with describe calls and dry runs only", async () => {
    const cwd = program("ephemeral-env", fs.readFileSync(path.join(repoRoot, "examples/ephemeral-env/index.js"), "utf8"));
    const config = { "alicloud:region": REGION, workerCount: "3", overrideProtection: "false" };
    const o = engine(cwd, "dev", { config, secrets: { redisPassword: "Plan-Redis-Pw-1" } });
    const created = await up(o);
    expect(created.ok, [created.error, ...created.failures.map((f) => f.message)].join("\n")).toBe(true);

    await admin.clearRequests();
    const run = await cli(["plan", "--stack-file", exportStateFile(o.stateFile), "--json"]);
    expect(run.code, run.stderr).toBe(1);
    const plan = jsonOf<PlanResult>(run);
    const planLog = await admin.requests();
    // Nothing changed: describes, and the ECS release calls only as dry runs.
    expect(planLog.filter((r) => !/^Describe/.test(r.action ?? "") && r.params.DryRun !== "true")).toEqual([]);
    expect(planLog.filter((r) => r.params.DryRun === "true").map((r) => [r.action, r.code])).toContainEqual(["DeleteInstances", "DRYRUN.SUCCESS"]);

    const byName = Object.fromEntries(plan.resources.map((r) => [r.name, r]));
    expect(Object.fromEntries(plan.resources.map((r) => [r.name, r.outcome]))).toEqual({
      bastion: "refuse", "build-runner": "release", web: "release", workers: "release", licensed: "refuse",
      "sessions-db": "release", "reporting-db": "refuse", cache: "release", "legacy-api-release": "release",
    });
    expect(byName.bastion.instances[0].detail).toContain("release protection (DeletionProtection) is on");
    const licensedExpiry = byName.licensed.instances[0].until!;
    expect(byName.licensed.instances[0].detail).toContain(`expires ${licensedExpiry}`);
    expect(byName["build-runner"].instances[0].steps).toEqual(["DeleteInstances Force=true"]);
    expect(byName.web.instances[0]).toMatchObject({ steps: ["StopInstances", "DeleteInstances"], typicalSeconds: 45, permissions: { StopInstances: "allowed", DeleteInstances: "allowed" } });
    expect(byName.cache.instances[0].steps).toEqual(["DeleteInstance", "DestroyInstance"]);
    expect(byName["sessions-db"].instances[0].steps).toEqual(["DeleteDBInstance"]);
    expect(plan.leavesSomething).toBe(true);

    await admin.clearRequests();
    const destroyed = await destroy({ ...o, continueOnError: true });
    const destroyLog = await admin.requests();
    const failed = destroyed.failures.map((f) => f.urn.split("::").pop()).sort();
    expect(failed).toEqual(plan.resources.filter((r) => r.leaves).map((r) => r.name).sort());
    // What the plan says is left keeps its network: with --continue-on-error nothing a failed resource depends on
    // is deleted, so the example's vSwitches, security group and VPC (@pulumi/alicloud) are not attempted.
    const left = destroyed.remaining.map((r) => r.urn.split("::").pop()).sort();
    expect(left).toEqual(["app-vsw", "bastion", "data-vsw", "licensed", "reporting-db", "sg", "vpc"]);
    // Each released instance went through the calls the plan named.
    for (const r of plan.resources.filter((x) => x.outcome === "release")) {
      for (const i of r.instances) {
        const actions = [...new Set(changeCalls(destroyLog).filter((c) => c.ids.includes(i.instanceId)).map((c) => c.action))];
        expect(actions, `${r.name} ${i.instanceId}`).toEqual(i.steps.map((s) => s.split(" ")[0]));
      }
    }
  }, 300_000);
});

describe("status: what still bills after a destroy", () => {
  it("names a subscription destroy retained, with its expiry", async () => {
    const cwd = program("billing", `const { ecs } = require("pulumi-alicloud-release");
const launch = { regionId: "${REGION}", ...${JSON.stringify(LAUNCH)} };
new ecs.Instance("licensed", { ...launch, instanceChargeType: "PrePaid", period: 1, onSubscription: "retain" });
new ecs.Instance("web", { ...launch });
`);
    const o = engine(cwd, "ci");
    expect((await up(o)).ok).toBe(true);
    const destroyed = await destroy({ ...o, continueOnError: true });
    expect(destroyed.ok).toBe(true);
    expect(destroyed.remaining).toEqual([]);
    const [licensed] = (await admin.instances()).filter((i) => i.chargeType === "PrePaid");

    const run = await cli(["status", "--stack-file", exportStateFile(o.stateFile), "--project", "billing", "--stack", "ci", "--region", REGION, "--json"]);
    expect(run.code, run.stderr).toBe(1);
    const status = jsonOf<StatusResult>(run);
    const expiry = (await ecsClient(emu.url).describeInstances(new Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([licensed.id]) }))).body!.instances!.instance![0].expiredTime;
    expect(status.entries).toEqual([expect.objectContaining({ id: licensed.id, name: "licensed", kind: "retained-subscription", billed: true, until: expiry })]);
    const text = await cli(["status", "--stack-file", exportStateFile(o.stateFile), "--region", REGION]);
    expect(text.stdout).toContain(`retained-subscription: ecs ${licensed.id} (${REGION}, licensed, Running): subscription retained (not in the state): paid until ${expiry}`);
  }, 240_000);
});

describe("the command's contract", () => {
  it("exits 2 with a clear message for usage and access errors, 0 when nothing is left", async () => {
    const file = path.join(project.dir, "empty.export.json");
    fs.writeFileSync(file, JSON.stringify({ version: 3, deployment: { manifest: {}, resources: [] } }));
    const cases: [string[], Record<string, string> | undefined, RegExp][] = [
      [["sweep", "--bogus"], undefined, /Unknown option '--bogus'/],
      [["launch"], undefined, /unknown command "launch"/],
      [["plan", "--project", "p"], undefined, /plan needs --project and --stack, or --stack-file/],
      [["sweep", "--stack-file", file, "--project", "p", "--stack", "s", "--region", "mars-1"], undefined, /unknown region "mars-1"/],
      [["status", "--stack-file", path.join(project.dir, "missing.json")], undefined, /cannot read the stack export file .*missing\.json: ENOENT/],
      [["status", "--stack-file", path.join(project.dir, "package.json"), "--project", "p", "--stack", "s"], undefined, /is not a `pulumi stack export` file/],
      [["status", "--project", "p", "--stack", "s"], undefined, /needs the Pulumi CLI/],
      [["destroy", "--project", "p", "--stack", "s"], undefined, /destroy needs the Pulumi CLI/],
      [["destroy", "--stack-file", file], undefined, /destroy runs through the Automation API: pass --stack/],
      [["sweep", "--stack-file", file, "--project", "p", "--stack", "s", "--region", REGION], cloudEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: "", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "", ALIBABA_CLOUD_CREDENTIALS_FILE: "/nonexistent", HOME: "/nonexistent" }), /No Alibaba Cloud credentials/],
      [["sweep", "--stack-file", file, "--project", "p", "--stack", "s", "--region", REGION], cloudEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: "someone-else" }), /InvalidAccessKeyId/],
    ];
    for (const [args, env, message] of cases) {
      const r = await cli(args, env);
      expect([args.join(" "), r.code, r.stdout]).toEqual([args.join(" "), 2, ""]);
      expect(r.stderr).toMatch(message);
    }
    const clean = await cli(["status", "--stack-file", file, "--project", "p", "--stack", "s", "--region", REGION, "--json"]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(jsonOf<StatusResult>(clean)).toMatchObject({ project: "p", stack: "s", entries: [], billed: 0 });
    const help = await cli(["--help"]);
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining("usage: alicloud-release <plan|sweep|destroy|status>")]);
  }, 120_000);

  it("is importable, typed, from pulumi-alicloud-release/automation", async () => {
    const r = await project.runNode(`const a = require("pulumi-alicloud-release/automation");
console.log(JSON.stringify(["plan", "sweep", "destroy", "status", "buildTeardownReport", "formatTeardownReport", "main"].map((k) => typeof a[k])), a.defaultParallel(500), a.defaultParallel(9));`);
    expect(r.stdout.trim()).toBe(`${JSON.stringify(Array(7).fill("function"))} 128 9`);
    expect(fs.existsSync(path.join(project.dir, "node_modules/pulumi-alicloud-release/dist/provider/automation/index.d.ts"))).toBe(true);
  });
});
