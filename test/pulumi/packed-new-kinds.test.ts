// mongodb.ShardingInstance and redis.TairInstance as users get them: the packed package installed into a fresh
// Pulumi project, their provider blobs made by the real closure serializer, and create / delete driven through
// the real cmd/dynamic-provider process over gRPC against the emulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorAdmin, RunningEmulator, startEmulator } from "../../emulator";
import { cleanupHarness, createProject, dynamicType, packPackage, Project, ProviderProcess, secretEnvelope, urn } from "../support/pulumi-harness";
import { defaultVpcId, defaultVSwitchId } from "../support/network";

const TIME_SCALE = 0.01;
const REGION = "cn-hangzhou";
const SUBPATHS = ["mongodb/sharding-instance-provider", "redis/tair-instance-provider"];

let emu: RunningEmulator;
let admin: EmulatorAdmin;
let project: Project;
let provider: ProviderProcess;
const blobs: Record<string, string> = {};

beforeAll(async () => {
  emu = await startEmulator({ timeScale: TIME_SCALE, durations: { "dds.creating": 1, "kv.creating": 1 } });
  admin = new EmulatorAdmin(emu.url);
  project = await createProject({ tarballs: [await packPackage()] });
  for (const subpath of SUBPATHS) blobs[subpath] = await project.serializeProvider(subpath);
  provider = await project.startProvider({
    ALICLOUD_RELEASE_ENDPOINT: emu.url,
    ALIBABA_CLOUD_ACCESS_KEY_ID: "emulator",
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret",
    ALICLOUD_RELEASE_TIME_SCALE: String(TIME_SCALE),
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
  });
}, 300_000);

afterAll(async () => {
  await provider?.close();
  await emu?.close();
  await cleanupHarness();
});

async function createVia(subpath: string, type: string, name: string, props: Record<string, unknown>): Promise<{ id: string; outputs: Record<string, unknown> }> {
  const checked = await provider.check(urn(type, name), type, {}, { __provider: blobs[subpath], regionId: REGION, ...props });
  expect(checked.failures).toEqual([]);
  return provider.create(urn(type, name), checked.inputs);
}

describe("the two new kinds in a user's program", () => {
  it("store one require() of their own module, register their type tokens, mark passwords secret and carry the ownership input", async () => {
    for (const subpath of SUBPATHS) {
      expect(blobs[subpath]).toContain(`require("pulumi-alicloud-release/${subpath}")`);
      expect(blobs[subpath].match(/require\(/g)).toHaveLength(1);
    }
    const { stdout } = await project.runNode(`
      const pulumi = require("@pulumi/pulumi");
      pulumi.runtime.setMocks({
        newResource: (a) => { console.log("SEEN " + JSON.stringify({ type: a.type, name: a.name, inputs: a.inputs })); return { id: a.name + "-id", state: a.inputs }; },
        call: (a) => a.inputs,
      }, "shop", "ci-42", false);
      const { mongodb, redis, OWNERSHIP_TAG_KEYS } = require("pulumi-alicloud-release");
      console.log("KEYS " + JSON.stringify(OWNERSHIP_TAG_KEYS));
      new mongodb.ShardingInstance("cluster", { engineVersion: "7.0", mongos: [{ class: "dds.mongos.mid" }, { class: "dds.mongos.mid" }],
        replicaSet: [{ class: "dds.shard.mid", storage: 20 }, { class: "dds.shard.mid", storage: 20, readonlyReplicas: 1 }],
        configServer: [{ class: "dds.cs.mid", storage: 20 }], accountPassword: "Mongo-Pw-123" });
      new redis.TairInstance("tair", { instanceType: "tair_rdb", instanceClass: "tair.rdb.2g", shardCount: 2, password: "Tair-Pw-456" });`);
    const lines = stdout.split("\n");
    expect(JSON.parse(lines.find((l) => l.startsWith("KEYS "))!.slice(5))).toEqual({ project: "pulumi:project", stack: "pulumi:stack", name: "pulumi:name" });
    const seen = Object.fromEntries(lines.filter((l) => l.startsWith("SEEN ")).map((l) => JSON.parse(l.slice(5)) as { type: string; name: string; inputs: Record<string, unknown> }).map((r) => [r.name, r]));
    expect(seen.cluster.type).toBe("pulumi-nodejs:dynamic/alicloud-release:mongodb.ShardingInstance");
    expect(seen.tair.type).toBe("pulumi-nodejs:dynamic/alicloud-release:redis.TairInstance");
    expect(seen.cluster.inputs.__provider).toBe(blobs["mongodb/sharding-instance-provider"]);
    expect(seen.tair.inputs.__provider).toBe(blobs["redis/tair-instance-provider"]);
    expect(seen.cluster.inputs.accountPassword).toEqual(secretEnvelope("Mongo-Pw-123"));
    expect(seen.tair.inputs.password).toEqual(secretEnvelope("Tair-Pw-456"));
    expect(seen.cluster.inputs.ownership).toEqual({ project: "shop", stack: "ci-42", name: "cluster" });
    expect(seen.tair.inputs.ownership).toEqual({ project: "shop", stack: "ci-42", name: "tair" });
  });
});

describe("mongodb.ShardingInstance through the dynamic-provider process", () => {
  const type = dynamicType("mongodb.ShardingInstance", "alicloud-release");

  it("creates with CreateShardingDBInstance and releases with DeleteDBInstance", async () => {
    const { id, outputs } = await createVia("mongodb/sharding-instance-provider", type, "cluster", {
      engineVersion: "7.0", vSwitchId: defaultVSwitchId("cn-hangzhou-h"), zoneId: "cn-hangzhou-h",
      mongos: [{ class: "dds.mongos.mid" }, { class: "dds.mongos.mid" }],
      replicaSet: [{ class: "dds.shard.mid", storage: 20 }, { class: "dds.shard.mid", storage: 20 }],
      configServer: [{ class: "dds.cs.mid", storage: 20 }],
    });
    expect(id).toMatch(/^dds-/);
    expect(outputs).toMatchObject({ dbInstanceId: id, status: "Running", chargeType: "PostPaid" });
    const [create] = await admin.requests({ product: "dds", action: "CreateShardingDBInstance" });
    expect(create.params).toMatchObject({ "Mongos.2.Class": "dds.mongos.mid", "ReplicaSet.2.Storage": "20", "ConfigServer.1.Class": "dds.cs.mid" });
    await admin.clearRequests();
    await provider.delete(id, urn(type, "cluster"), outputs);
    expect((await admin.requests({ product: "dds" })).map((e) => e.action)).toContain("DeleteDBInstance");
    // Released: gone, or in the DDS recycle bin (not running, not billed, recoverable for 7 days).
    expect((await admin.instance(id))?.status ?? "gone").toMatch(/^(gone|Released)$/);
  });
});

describe("redis.TairInstance through the dynamic-provider process", () => {
  const type = dynamicType("redis.TairInstance", "alicloud-release");

  it("creates with CreateTairInstance, releases to the recycle bin and purges it", async () => {
    const password = "Tair-Secret-pw-789";
    const { id, outputs } = await createVia("redis/tair-instance-provider", type, "tair", {
      instanceType: "tair_essd", instanceClass: "tair.essd.standard.xlarge", storage: 40, storageType: "essd_pl1", vpcId: defaultVpcId(), vSwitchId: defaultVSwitchId("cn-hangzhou-h"), zoneId: "cn-hangzhou-h", password, purgeRecycleBin: true,
    });
    expect(id).toMatch(/^r-/);
    expect(JSON.stringify(outputs)).not.toContain(password);
    const [create] = await admin.requests({ product: "r-kvstore", action: "CreateTairInstance" });
    expect(create.params).toMatchObject({ InstanceType: "tair_essd", Storage: "40", StorageType: "essd_pl1" });
    await admin.clearRequests();
    await provider.delete(id, urn(type, "tair"), outputs);
    expect((await admin.requests({ product: "r-kvstore" })).map((e) => e.action)).toEqual(expect.arrayContaining(["DeleteInstance", "DestroyInstance"]));
    expect(await admin.instance(id)).toBeUndefined();
    expect([...provider.stdout, ...provider.stderr].join("\n")).not.toContain(password);
  });
});
