// alicloud-release destroy (pulumi-alicloud-release/automation) with the real Pulumi CLI (Automation API, file:// backend, passphrase secrets)
// on the example stack installed from the packed tarball. The Automation API runs the `pulumi` binary, which is
// not installable here (it downloads from get.pulumi.com): these tests run only where `pulumi` is on PATH, and say
// so in their names. The report they print is tested on recorded events in teardown-report.test.ts.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorAdmin, RunningEmulator, startEmulator } from "../../emulator";
import { destroy as teardown } from "../../provider/automation";
import { cleanupHarness, createProject, makeTempDir, packPackage, repoRoot, type Project } from "../support/pulumi-harness";
import { alicloudEmulatorConfig } from "../../tools/demo/alicloud-config";
import { notReleased } from "../support/emulator";

const hasPulumi = spawnSync("pulumi", ["version"], { stdio: "ignore" }).status === 0;
const STACK = "e2e";
const PASSPHRASE = "automation-e2e";

let emu: RunningEmulator;
let admin: EmulatorAdmin;
let project: Project;
let envVars: Record<string, string>;

beforeAll(async () => {
  if (!hasPulumi) return;
  emu = await startEmulator({ timeScale: 0.01, durations: { "dds.creating": 60, "kv.creating": 60, "dds.lockAfterExpiry": 120 } });
  admin = new EmulatorAdmin(emu.url);
  project = await createProject({ tarballs: [await packPackage()], name: "ephemeral-env", extraDeps: { "@pulumi/alicloud": "3.108.0" } });
  fs.copyFileSync(path.join(repoRoot, "examples/ephemeral-env/index.js"), path.join(project.dir, "index.js"));
  envVars = {
    ALICLOUD_RELEASE_ENDPOINT: emu.url,
    ALIBABA_CLOUD_ACCESS_KEY_ID: "emulator",
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret",
    ALICLOUD_RELEASE_TIME_SCALE: "0.01",
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
    PULUMI_BACKEND_URL: `file://${makeTempDir("backend")}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
}, 300_000);

afterAll(async () => {
  await emu?.close();
  await cleanupHarness();
});

async function upExample(overrideProtection: boolean): Promise<void> {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const stack = await LocalWorkspace.createOrSelectStack({ stackName: STACK, workDir: project.dir }, { envVars });
  await stack.setAllConfig({
    "alicloud:region": { value: "cn-hangzhou" },
    // The example's network comes from @pulumi/alicloud's real provider plugin here, pointed at the emulator.
    ...Object.fromEntries(Object.entries(alicloudEmulatorConfig(emu.url)).map(([k, value]) => [k, { value }])),
    workerCount: { value: "3" },
    overrideProtection: { value: String(overrideProtection) },
    redisPassword: { value: "Automation-Redis-Pw-1", secret: true },
  });
  await stack.up({ parallel: 8 });
  for (const i of (await admin.instances()).filter((x) => x.chargeType === "PrePaid")) await admin.expire(i.id);
}

describe("alicloud-release destroy (Automation API)", () => {
  it("refuses to start without a passphrase, which destroy needs to decrypt the stack", async () => {
    const saved = { p: process.env.PULUMI_CONFIG_PASSPHRASE, f: process.env.PULUMI_CONFIG_PASSPHRASE_FILE };
    delete process.env.PULUMI_CONFIG_PASSPHRASE;
    delete process.env.PULUMI_CONFIG_PASSPHRASE_FILE;
    try {
      await expect(teardown({ workDir: ".", stack: "any" })).rejects.toThrow(hasPulumi ? /set PULUMI_CONFIG_PASSPHRASE/ : /needs the Pulumi CLI/);
    } finally {
      if (saved.p !== undefined) process.env.PULUMI_CONFIG_PASSPHRASE = saved.p;
      if (saved.f !== undefined) process.env.PULUMI_CONFIG_PASSPHRASE_FILE = saved.f;
    }
  });

  it.skipIf(!hasPulumi)("reports a failed delete and what was left, then releases everything once fixed (skipped: needs the pulumi CLI on PATH)", async () => {
    await upExample(false);
    const failed = await teardown({ workDir: project.dir, stack: STACK, envVars, parallel: 8, regions: ["cn-hangzhou"] });
    // The bastion is left, and so is the network it still holds (its vSwitch, security group and VPC).
    expect(failed.left.map((l) => l.urn.split("::").pop()).sort()).toEqual(["app-vsw", "bastion", "sg", "vpc"]);
    const bastion = failed.report.resources.find((r) => r.name === "bastion")!;
    expect(bastion.status).toBe("failed");
    expect(bastion.error).toContain("release protection (DeletionProtection) is on");
    expect(failed.report.ok).toBe(false);

    await upExample(true);
    const fixed = await teardown({ workDir: project.dir, stack: STACK, envVars, parallel: 8, regions: ["cn-hangzhou"] });
    expect(fixed.left).toEqual([]);
    expect(fixed.report.ok).toBe(true);
    expect(fixed.report.resources.find((r) => r.name === "bastion")!.progress).toContain("release protection turned off (overrideProtection)");
    expect(notReleased(await admin.instances())).toEqual([]);
  }, 240_000);
});
