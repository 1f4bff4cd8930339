// The example stack (examples/ephemeral-env) as a least-privileged CI key runs it: the packed package installed into a
// temporary project, the program and its resources run by Pulumi's own runtime through the local engine, against the
// emulator with RAM. `up` runs under exactly docs/policies/up-and-destroy.json and `destroy` under exactly
// docs/policies/destroy.json (a subset of it, so the up-and-destroy policy covers the destroy too); a destroy under
// a policy without ecs:DeleteInstances fails naming it and stops no instance. The example's own network and its one
// @pulumi/alicloud instance are made by @pulumi/alicloud's provider (the test double here) with the same key: they need
// docs/policies/example-network.json besides, which is added to each policy as a separate statement set.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorAdmin, RunningEmulator, startEmulator } from "../../emulator";
import { notReleased } from "../support/emulator";
import { destroy, up, type EngineOptions, type EngineResult } from "../../tools/local-engine";
import { defaultSecurityGroupId, defaultVSwitchId } from "../support/network";
import { isDryRun } from "../support/provider-env";
import { cleanupHarness, createProject, packPackage, repoRoot, type Project } from "../support/pulumi-harness";

const TIME_SCALE = 0.01;
const CI = { accessKeyId: "ci-deployer", accessKeySecret: "ci-deployer-secret" };
const REGION = "cn-hangzhou";
const CONFIG = { "alicloud:region": REGION, vSwitchId: defaultVSwitchId(`${REGION}-h`), securityGroupId: defaultSecurityGroupId(), zoneId: `${REGION}-h`, workerCount: "3" };
interface PolicyDocument { Version: string; Statement: { Effect: string; Action: string[]; Resource: string }[] }
const policyFile = (name: string): PolicyDocument => JSON.parse(fs.readFileSync(path.join(repoRoot, "docs/policies", `${name}.json`), "utf8"));
/** This package's documented policy (less `without`), plus what the example's @pulumi/alicloud resources need. */
const policy = (name: string, without?: string): PolicyDocument => {
  const doc = policyFile(name);
  const own = doc.Statement.map((s) => ({ ...s, Action: s.Action.filter((a) => a !== without) }));
  return { ...doc, Statement: [...own, ...policyFile("example-network").Statement] };
};

let emu: RunningEmulator;
let admin: EmulatorAdmin;
let project: Project;

beforeAll(async () => {
  emu = await startEmulator({
    timeScale: TIME_SCALE,
    durations: { "dds.creating": 60, "kv.creating": 60, "dds.lockAfterExpiry": 120 },
    credentials: [{ accessKeyId: "emulator", accessKeySecret: "emulator-secret" }, { ...CI, policy: policy("up-and-destroy") }],
  });
  admin = new EmulatorAdmin(emu.url);
  project = await createProject({ tarballs: [await packPackage()], name: "ram", extraDeps: { "@pulumi/alicloud": "3.108.0" } });
}, 300_000);

afterAll(async () => {
  await emu?.close();
  await cleanupHarness();
});

function options(stack: string): EngineOptions {
  const cwd = path.join(project.dir, "programs", stack);
  fs.mkdirSync(cwd, { recursive: true });
  fs.writeFileSync(path.join(cwd, "Pulumi.yaml"), "name: ephemeral-env\nruntime: nodejs\n");
  fs.writeFileSync(path.join(cwd, "index.js"), fs.readFileSync(path.join(repoRoot, "examples/ephemeral-env/index.js"), "utf8"));
  return {
    cwd,
    stack,
    stateFile: path.join(cwd, ".state", `${stack}.json`),
    env: {
      ALICLOUD_RELEASE_ENDPOINT: emu.url,
      ALIBABA_CLOUD_ACCESS_KEY_ID: CI.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: CI.accessKeySecret,
      ALIBABA_CLOUD_REGION_ID: "",
      ALICLOUD_RELEASE_TIME_SCALE: String(TIME_SCALE),
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
      PULUMI_CONFIG_PASSPHRASE: "ram-passphrase",
    },
    config: CONFIG,
    secrets: { redisPassword: "Ram-E2e-Redis-Pw-1" },
    parallel: 8,
    callTimeoutMs: 120_000,
    programTimeoutMs: 180_000,
  };
}

const why = (r: EngineResult): string => [r.error, ...r.failures.map((f) => `${f.urn}: ${f.message}`)].filter(Boolean).join("\n");

describe("examples/ephemeral-env under the documented RAM policies", () => {
  it("up passes under up-and-destroy.json and destroy under destroy.json, with every call allowed", async () => {
    const o = options("least-privilege");
    await admin.setPolicy(CI.accessKeyId, policy("up-and-destroy"));
    const created = await up(o);
    expect(created.ok, why(created)).toBe(true);
    // 4 network resources, 8 of this package's (2 of them subscriptions), the @pulumi/alicloud instance and its companion.
    expect(created.remaining).toHaveLength(14);
    for (const i of (await admin.instances()).filter((x) => x.chargeType === "PrePaid")) await admin.expire(i.id);

    await admin.setPolicy(CI.accessKeyId, policy("destroy"));
    const destroyed = await destroy({ ...o, continueOnError: true });
    expect(destroyed.ok, why(destroyed)).toBe(true);
    expect(notReleased(await admin.instances())).toEqual([]);
    // Every call of both runs was allowed: no denial anywhere in the log.
    expect((await admin.requests()).filter((e) => e.code === "Forbidden.RAM")).toEqual([]);
  }, 240_000);

  it("destroy without ecs:DeleteInstances fails naming it, before any instance is stopped or unprotected; with the policy restored it completes", async () => {
    const o = options("no-delete");
    await admin.setPolicy(CI.accessKeyId, policy("up-and-destroy"));
    const created = await up({ ...o, config: { ...CONFIG, subscriptions: "false" } });
    expect(created.ok, why(created)).toBe(true);
    const ecsIds = (await admin.instances("ecs")).map((i) => i.id);
    await admin.clearRequests();

    const reduced = policy("destroy", "ecs:DeleteInstances");
    await admin.setPolicy(CI.accessKeyId, reduced);
    const destroyed = await destroy({ ...o, config: { ...CONFIG, subscriptions: "false" }, continueOnError: true });
    expect(destroyed.ok).toBe(false);
    // Every ECS resource failed with the denied action named and the statement to add; nothing else failed.
    const failed = destroyed.failures.map((f) => f.urn.split("::").pop()).sort();
    expect(failed).toEqual(["bastion", "build-runner", "legacy-api-release", "web", "workers"]);
    for (const f of destroyed.failures) {
      expect(f.message).toContain("RAM denied ecs:DeleteInstances");
      expect(f.message).toContain('{"Effect":"Allow","Action":["ecs:DeleteInstances"],"Resource":"*"}');
      expect(f.message).toContain("Changed before the denial: nothing.");
    }
    const log = await admin.requests({ product: "ecs" });
    // The others were stopped by none of their calls: their release's DryRun was denied before the stop. The
    // build-runner (force) has no stop: its real DeleteInstances, the first change, is the call denied.
    const buildRunner = destroyed.failures.find((f) => f.urn.endsWith("::build-runner"))!;
    expect(buildRunner.message).toContain("Phase: releasing (DeleteInstances).");
    expect(log.filter((e) => !isDryRun(e) && e.action !== "DescribeInstances").map((e) => `${e.action} -> ${e.code ?? e.status}`)).toEqual(["DeleteInstances -> Forbidden.RAM"]);
    expect((await admin.instances("ecs")).map((i) => [i.id, i.status]).sort()).toEqual(ecsIds.map((id) => [id, "Running"]).sort());
    // The bastion's protection was not turned off: the check comes before any change.
    expect((await admin.instances("ecs")).filter((i) => i.DeletionProtection === true)).toHaveLength(1);

    // With the documented policy, the same destroy completes.
    await admin.setPolicy(CI.accessKeyId, policy("destroy"));
    const again = await destroy({ ...o, config: { ...CONFIG, subscriptions: "false" }, continueOnError: true });
    expect(again.ok, why(again)).toBe(true);
    expect(notReleased(await admin.instances())).toEqual([]);
  }, 240_000);
});
