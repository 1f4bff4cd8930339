// The real programs as a user writes them, in TypeScript: an app server with disks, two security groups,
// a key pair and user data; a sharded MongoDB cluster and a Tair instance. Each type-checks against the installed
// package, runs `up` and `destroy` through the local engine (real cmd/run and cmd/dynamic-provider) against the
// emulator, whose request log shows every parameter as written, and whose admin API shows nothing left.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorAdmin, RunningEmulator, startEmulator } from "../../emulator";
import { destroy, up, type EngineOptions, type EngineResult } from "../../tools/local-engine";
import { run } from "../support/harness-proc";
import { secondSecurityGroup } from "../support/second-group";
import { defaultSecurityGroupId, defaultVpcId, defaultVSwitchId } from "../support/network";
import { cleanupHarness, createProject, packPackage, repoRoot, type Project } from "../support/pulumi-harness";

const TIME_SCALE = 0.01;

let emu: RunningEmulator;
let admin: EmulatorAdmin;
let project: Project;

const APP_SERVER = `
import * as pulumi from "@pulumi/pulumi";
import { ecs } from "pulumi-alicloud-release";

const cfg = new pulumi.Config();
const tags = { env: "ci", app: "shop" };
const userData = "#!/bin/sh\\necho ready > /tmp/ready\\n";
const app = new ecs.Instance("app", {
  imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vSwitchId: cfg.require("vSwitchId"),
  securityGroupIds: [cfg.require("sgA"), cfg.require("sgB")],
  systemDisk: { category: "cloud_essd", size: 100 },
  dataDisk: [{ category: "cloud_essd", size: 200, deleteWithInstance: true }],
  keyPairName: "ci", userData, internetMaxBandwidthOut: 10, spotStrategy: "SpotAsPriceGo", tags,
  password: cfg.requireSecret("password"),
});
export const appId = app.instanceId;
export const appTags = app.tags;
`;

const DATA_TIER = `
import * as pulumi from "@pulumi/pulumi";
import { mongodb, redis } from "pulumi-alicloud-release";

const cfg = new pulumi.Config();
const network = { vpcId: cfg.require("vpcId"), vSwitchId: cfg.require("vSwitchId"), zoneId: cfg.require("zoneId") };
const cluster = new mongodb.ShardingInstance("orders", {
  ...network, engineVersion: "7.0", storageType: "cloud_essd1",
  mongos: [{ class: "dds.mongos.mid" }, { class: "dds.mongos.mid" }],
  replicaSet: [{ class: "dds.shard.mid", storage: 40 }, { class: "dds.shard.mid", storage: 40, readonlyReplicas: 1 }],
  configServer: [{ class: "dds.cs.mid", storage: 20 }],
  accountPassword: cfg.requireSecret("password"), tags: { env: "ci" },
});
const tair = new redis.TairInstance("sessions", {
  ...network, instanceType: "tair_rdb", instanceClass: "tair.rdb.2g", shardCount: 2,
  password: cfg.requireSecret("password"), purgeRecycleBin: true, tags: { env: "ci" },
});
export const clusterId = cluster.dbInstanceId;
export const tairId = tair.instanceId;
`;

/** A TypeScript program inside the installed project: type-checked and compiled with the repo's tsc. */
async function program(name: string, source: string): Promise<string> {
  const dir = path.join(project.dir, "programs", name);
  fs.mkdirSync(path.join(dir, "src"), { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n`);
  fs.writeFileSync(path.join(dir, "src", "index.ts"), source);
  const tsconfig = { compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node", rootDir: "src", outDir: ".", skipLibCheck: true, types: [] }, files: ["src/index.ts"] };
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
  await run(process.execPath, [path.join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { cwd: dir, timeoutMs: 120_000 });
  return dir;
}

function options(cwd: string, config: Record<string, string>): EngineOptions {
  return {
    cwd,
    stack: "ci",
    stateFile: path.join(cwd, ".state", "ci.json"),
    env: {
      ALICLOUD_RELEASE_ENDPOINT: emu.url,
      ALIBABA_CLOUD_ACCESS_KEY_ID: "emulator",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret",
      ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
      ALICLOUD_RELEASE_TIME_SCALE: String(TIME_SCALE),
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
      PULUMI_CONFIG_PASSPHRASE: "real-programs",
    },
    config,
    secrets: { password: "Real-Pr0grams-Pw" },
    parallel: 4,
    callTimeoutMs: 120_000,
    programTimeoutMs: 180_000,
  };
}

const why = (r: EngineResult): string => [r.error, ...r.failures.map((f) => `${f.urn}: ${f.message}`)].filter(Boolean).join("\n");

beforeAll(async () => {
  emu = await startEmulator({ timeScale: TIME_SCALE, durations: { "dds.creating": 30, "kv.creating": 30 } });
  admin = new EmulatorAdmin(emu.url);
  project = await createProject({ tarballs: [await packPackage()], name: "real-programs" });
}, 300_000);

afterAll(async () => {
  await emu?.close();
  await cleanupHarness();
});

describe("real programs through the local engine", () => {
  it("the app server type-checks, comes up with every parameter as written, tagged with its owner, and is released", async () => {
    const cwd = await program("app-server", APP_SERVER);
    const SECOND_GROUP = await secondSecurityGroup(emu.url);
    const o = options(cwd, { vSwitchId: defaultVSwitchId(), sgA: defaultSecurityGroupId(), sgB: SECOND_GROUP });
    const created = await up(o);
    expect(created.ok, why(created)).toBe(true);
    const [run] = (await admin.requests({ product: "ecs", action: "RunInstances" })).map((r) => r.params);
    expect(run).toMatchObject({
      "SystemDisk.Category": "cloud_essd", "SystemDisk.Size": "100", "DataDisk.1.Category": "cloud_essd", "DataDisk.1.Size": "200", "DataDisk.1.DeleteWithInstance": "true",
      "SecurityGroupIds.1": defaultSecurityGroupId(), "SecurityGroupIds.2": SECOND_GROUP, KeyPairName: "ci", UserData: Buffer.from("#!/bin/sh\necho ready > /tmp/ready\n").toString("base64"),
      InternetMaxBandwidthOut: "10", SpotStrategy: "SpotAsPriceGo",
    });
    const tagValues = Object.fromEntries(Object.keys(run).filter((k) => /^Tag\.\d+\.Key$/.test(k)).map((k) => [run[k], run[k.replace("Key", "Value")]]));
    expect(tagValues).toEqual({ env: "ci", app: "shop", "pulumi:project": "app-server", "pulumi:stack": "ci", "pulumi:name": "app" });
    expect(created.outputs.appTags).toEqual({ env: "ci", app: "shop" });
    expect(fs.readFileSync(o.stateFile, "utf8")).not.toContain("Real-Pr0grams-Pw");
    expect((await admin.instances()).filter((i) => i.product === "ecs")).toHaveLength(1);

    const destroyed = await destroy(o);
    expect(destroyed.ok, why(destroyed)).toBe(true);
    expect(await admin.instances()).toEqual([]);
  }, 240_000);

  it("a sharded MongoDB cluster and a Tair instance type-check, come up, and are released with nothing left", async () => {
    await admin.reset();
    const cwd = await program("data-tier", DATA_TIER);
    const o = options(cwd, { vpcId: defaultVpcId(), vSwitchId: defaultVSwitchId("cn-hangzhou-h"), zoneId: "cn-hangzhou-h" });
    const created = await up(o);
    expect(created.ok, why(created)).toBe(true);
    const [shard] = (await admin.requests({ product: "dds", action: "CreateShardingDBInstance" })).map((r) => r.params);
    expect(shard).toMatchObject({ "Mongos.2.Class": "dds.mongos.mid", "ReplicaSet.2.ReadonlyReplicas": "1", "ConfigServer.1.Storage": "20", "Tag.1.Key": "env" });
    const [tair] = (await admin.requests({ product: "r-kvstore", action: "CreateTairInstance" })).map((r) => r.params);
    expect(tair).toMatchObject({ InstanceType: "tair_rdb", InstanceClass: "tair.rdb.2g", ShardCount: "2" });
    expect(String(created.outputs.clusterId)).toMatch(/^dds-/);
    expect(String(created.outputs.tairId)).toMatch(/^r-/);

    const destroyed = await destroy(o);
    expect(destroyed.ok, why(destroyed)).toBe(true);
    // Nothing runs or bills: the Tair instance is purged; the cluster may sit in the DDS recycle bin (Released).
    expect((await admin.instances()).filter((i) => i.status !== "Released")).toEqual([]);
    expect((await admin.instances()).filter((i) => i.product !== "dds")).toEqual([]);
  }, 240_000);
});
