// The package as users get it: packed, installed into a fresh Pulumi project next to @pulumi/pulumi, its
// provider blob made by the real closure serializer, and driven through the real cmd/dynamic-provider
// process over gRPC against the emulator (over HTTP, with signatures).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorAdmin, RunningEmulator, startEmulator } from "../../emulator";
import { isDryRun } from "../support/provider-env";
import { cleanupHarness, createProject, dynamicType, packPackage, Project, ProviderCallError, ProviderProcess, secretEnvelope, urn } from "../support/pulumi-harness";

const TIME_SCALE = 0.01;
const REGION = "cn-hangzhou";
const LAUNCH = { imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vSwitchId: "vsw-default-cn-hangzhou-b", securityGroupId: "sg-default-cn-hangzhou" };
const ECS_TYPE = dynamicType("ecs.Instance", "alicloud-release");

let emu: RunningEmulator;
let admin: EmulatorAdmin;
let project: Project;
let provider: ProviderProcess;
const blobs: Record<string, string> = {};

function providerEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ALICLOUD_RELEASE_ENDPOINT: emu.url,
    ALIBABA_CLOUD_ACCESS_KEY_ID: "emulator",
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret",
    ALICLOUD_RELEASE_TIME_SCALE: String(TIME_SCALE),
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
    ...extra,
  };
}

beforeAll(async () => {
  emu = await startEmulator({ timeScale: TIME_SCALE, durations: { "ecs.pending": 1, "ecs.starting": 1, "dds.creating": 1, "dds.lockAfterExpiry": 100, "kv.creating": 1 } });
  admin = new EmulatorAdmin(emu.url);
  project = await createProject({ tarballs: [await packPackage()] });
  for (const subpath of ["ecs/instance-provider", "ecs/instance-set-provider", "mongodb/instance-provider", "redis/instance-provider"]) blobs[subpath] = await project.serializeProvider(subpath);
  provider = await project.startProvider(providerEnv());
}, 300_000);

afterAll(async () => {
  await provider?.close();
  await emu?.close();
  await cleanupHarness();
});

async function createEcs(name: string, props: Record<string, unknown>): Promise<{ id: string; outputs: Record<string, unknown> }> {
  const news = { __provider: blobs["ecs/instance-provider"], regionId: REGION, ...props };
  const checked = await provider.check(urn(ECS_TYPE, name), ECS_TYPE, {}, news);
  expect(checked.failures).toEqual([]);
  return provider.create(urn(ECS_TYPE, name), checked.inputs);
}

describe("the stored provider", () => {
  it("is one require() of the installed package, small, with no credentials", () => {
    for (const [subpath, blob] of Object.entries(blobs)) {
      expect(blob).toContain(`require("pulumi-alicloud-release/${subpath}")`);
      expect(blob.match(/require\(/g)).toHaveLength(1);
      expect(blob.length).toBeLessThan(1024);
      expect(blob).not.toContain("emulator-secret");
      expect(blob).not.toContain("ALIBABA_CLOUD");
    }
  });
});

describe("the resource classes in a user's program", () => {
  it("register the documented type tokens, the one-line provider blob, and passwords as secrets", async () => {
    const { stdout } = await project.runNode(`
      const pulumi = require("@pulumi/pulumi");
      pulumi.runtime.setMocks({
        newResource: (a) => { console.log("SEEN " + JSON.stringify({ type: a.type, name: a.name, inputs: a.inputs })); return { id: a.name + "-id", state: a.inputs }; },
        call: (a) => a.inputs,
      }, "proj", "dev", false);
      const { ecs, mongodb, redis } = require("pulumi-alicloud-release");
      new ecs.Instance("web", { imageId: "img", instanceType: "t", vSwitchId: "vsw-default-cn-hangzhou-b", securityGroupId: "sg-default-cn-hangzhou" });
      new ecs.InstanceSet("pool", { amount: 3, imageId: "img", instanceType: "t", vSwitchId: "vsw-default-cn-hangzhou-b", securityGroupId: "sg-default-cn-hangzhou" });
      new mongodb.Instance("db", { engineVersion: "7.0", dbInstanceClass: "c", dbInstanceStorage: 20, accountPassword: "Mongo-Pw-123" });
      new redis.Instance("cache", { instanceClass: "c", password: "Redis-Pw-456" });`);
    const seen = Object.fromEntries(
      stdout.split("\n").filter((l) => l.startsWith("SEEN ")).map((l) => JSON.parse(l.slice(5)) as { type: string; name: string; inputs: Record<string, unknown> }).map((r) => [r.name, r]),
    );
    expect(Object.fromEntries(Object.values(seen).map((r) => [r.name, r.type]))).toEqual({
      web: "pulumi-nodejs:dynamic/alicloud-release:ecs.Instance",
      pool: "pulumi-nodejs:dynamic/alicloud-release:ecs.InstanceSet",
      db: "pulumi-nodejs:dynamic/alicloud-release:mongodb.Instance",
      cache: "pulumi-nodejs:dynamic/alicloud-release:redis.Instance",
    });
    expect(seen.web.inputs.__provider).toBe(blobs["ecs/instance-provider"]);
    expect(seen.pool.inputs.__provider).toBe(blobs["ecs/instance-set-provider"]);
    expect(seen.db.inputs.__provider).toBe(blobs["mongodb/instance-provider"]);
    expect(seen.cache.inputs.__provider).toBe(blobs["redis/instance-provider"]);
    // Marked secret by the class, so Pulumi encrypts them in state: the program's plain strings arrive wrapped.
    expect(seen.cache.inputs.password).toEqual(secretEnvelope("Redis-Pw-456"));
    expect(seen.db.inputs.accountPassword).toEqual(secretEnvelope("Mongo-Pw-123"));
  });
});

describe("ecs.Instance through the dynamic-provider process", () => {
  it("checks inputs and reports precise failures", async () => {
    const bad = await provider.check(urn(ECS_TYPE, "bad"), ECS_TYPE, {}, {
      __provider: blobs["ecs/instance-provider"],
      instanceId: "r-bp1notanecsinstance",
      onSubscription: "sometimes",
      deleteTimeoutSeconds: -5,
    });
    expect(bad.failures).toEqual([
      { property: "onSubscription", reason: 'onSubscription must be one of "fail", "retain", "convert", got "sometimes"' },
      { property: "deleteTimeoutSeconds", reason: "deleteTimeoutSeconds must be a whole number of seconds from 1 to 604800 (7 days), got -5" },
      { property: "instanceId", reason: 'instanceId must be an ECS instance id like "i-bp1…", got "r-bp1notanecsinstance"' },
    ]);
  });

  it("creates with RunInstances, keeps __provider in the outputs, and releases on delete (stop, then delete)", async () => {
    const { id, outputs } = await createEcs("web", LAUNCH);
    expect(id).toMatch(/^i-/);
    expect(outputs).toMatchObject({ instanceId: id, regionId: REGION, status: "Running", instanceChargeType: "PostPaid", schemaVersion: 2, force: false, onSubscription: "fail" });
    expect(outputs.__provider).toBe(blobs["ecs/instance-provider"]);
    await admin.clearRequests();
    await provider.delete(id, urn(ECS_TYPE, "web"), outputs);
    const log = (await admin.requests({ product: "ecs" })).filter((e) => e.action !== "DescribeInstances");
    // The release's permission check (DryRun) comes before the stop, the first change.
    expect(log.map((e) => `${e.action}${isDryRun(e) ? " (DryRun)" : ""}`)).toEqual(["DeleteInstances (DryRun)", "StopInstances", "DeleteInstances"]);
    expect(await admin.instance(id)).toBeUndefined();
    await provider.waitForLine("stderr", `${id}: released`);
  });

  it("shows a failed delete's full message as the gRPC error, and the instance stays", async () => {
    const { id, outputs } = await createEcs("protected", { ...LAUNCH, deletionProtection: true });
    const err = (await provider.delete(id, urn(ECS_TYPE, "protected"), outputs).catch((e: unknown) => e)) as ProviderCallError;
    expect(err).toBeInstanceOf(ProviderCallError);
    expect(err.grpcCode).toBe(2);
    expect(err.message).toBe(
      `ecs.Instance ${id}: not released; nothing was changed:\n  - ${id}: release protection (DeletionProtection) is on. Set overrideProtection: true (then \`pulumi up\`) to turn it off before release, or turn it off in the ECS console.`,
    );
    expect((await admin.instance(id))?.status).toBe("Running");
    // After `pulumi up` with overrideProtection the outputs say so, and the next destroy succeeds.
    await provider.delete(id, urn(ECS_TYPE, "protected"), { ...outputs, overrideProtection: true });
    expect(await admin.instance(id)).toBeUndefined();
  });

  it("never proposes a change for __provider alone, and updates delete options in place", async () => {
    // The same provider serialized by another package version: textually different, same module.
    const olds = { __provider: `${blobs["ecs/instance-provider"]}\n`, regionId: REGION, ...LAUNCH };
    const same = await provider.diff("i-x", urn(ECS_TYPE, "d"), olds, { ...olds, __provider: blobs["ecs/instance-provider"] });
    expect(same.changes).toBe("none");
    const opts = await provider.diff("i-x", urn(ECS_TYPE, "d"), olds, { ...olds, overrideProtection: true });
    expect(opts).toMatchObject({ changes: "some", replaces: [] });
    const replace = await provider.diff("i-x", urn(ECS_TYPE, "d"), olds, { ...olds, instanceType: "ecs.g7.xlarge" });
    expect(replace.replaces).toEqual(["instanceType"]);
  });

  it("adopting an instance that does not exist is a clear error and records nothing", async () => {
    const err = (await createEcs("ghost", { instanceId: "i-bp1doesnotexist0000" }).catch((e: unknown) => e)) as ProviderCallError;
    expect(err.message).toBe(`ecs.Instance: cannot adopt i-bp1doesnotexist0000: no such instance in region ${REGION} (DescribeInstances does not list it). Check the id and regionId.`);
    expect(err.initFailure).toBeUndefined();
  });

  it("keeps an instance that never became Running in state (init failure with __provider), and destroy releases it", async () => {
    await admin.faults([{ product: "ecs", action: "DescribeInstances", code: "Forbidden.RAM", count: 1 }]);
    const err = (await createEcs("half", LAUNCH).catch((e: unknown) => e)) as ProviderCallError;
    await admin.clearFaults();
    expect(err.initFailure?.id).toMatch(/^i-/);
    expect(err.initFailure?.properties.__provider).toBe(blobs["ecs/instance-provider"]);
    expect(err.initFailure?.reasons[0]).toContain("created but did not become Running");
    const id = err.initFailure!.id;
    await provider.delete(id, urn(ECS_TYPE, "half"), err.initFailure!.properties);
    expect(await admin.instance(id)).toBeUndefined();
  });

  it("uses alicloud:accessKey / alicloud:secretKey from stack config when the environment has no keys", async () => {
    const bare = await project.startProvider(providerEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: "", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "", ALIBABA_CLOUD_REGION_ID: "" }), {
      config: { "alicloud:accessKey": "emulator", "alicloud:secretKey": "emulator-secret", "alicloud:region": REGION },
    });
    try {
      const news = { __provider: blobs["ecs/instance-provider"], ...LAUNCH };
      const checked = await bare.check(urn(ECS_TYPE, "cfg"), ECS_TYPE, {}, news);
      const made = await bare.create(urn(ECS_TYPE, "cfg"), checked.inputs);
      expect(made.outputs.regionId).toBe(REGION);
      await bare.delete(made.id, urn(ECS_TYPE, "cfg"), made.outputs);
      expect(await admin.instance(made.id)).toBeUndefined();
      expect([...bare.stdout, ...bare.stderr].join("\n")).not.toContain("emulator-secret");
    } finally {
      await bare.close();
    }
  });

  it("says how to provide credentials when there are none", async () => {
    const bare = await project.startProvider(providerEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: "", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "", HOME: "/nonexistent" }));
    try {
      const err = (await bare.delete("i-bp1whatever0000", urn(ECS_TYPE, "x"), { __provider: blobs["ecs/instance-provider"], instanceId: "i-bp1whatever0000", regionId: REGION }).catch((e: unknown) => e)) as ProviderCallError;
      expect(err.message).toMatch(/^No Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET/);
    } finally {
      await bare.close();
    }
  });
});

describe("ecs.InstanceSet through the dynamic-provider process", () => {
  it("creates 150 instances in two RunInstances calls and releases them in two DeleteInstances calls", async () => {
    const type = dynamicType("ecs.InstanceSet", "alicloud-release");
    const news = { __provider: blobs["ecs/instance-set-provider"], regionId: REGION, amount: 150, ...LAUNCH };
    const checked = await provider.check(urn(type, "pool"), type, {}, news);
    const made = await provider.create(urn(type, "pool"), checked.inputs);
    expect((made.outputs.instanceIds as string[]).length).toBe(150);
    expect((await admin.requests({ action: "RunInstances" })).slice(-2).map((e) => e.params.Amount)).toEqual(["100", "50"]);
    await admin.clearRequests();
    await provider.delete(made.id, urn(type, "pool"), made.outputs);
    expect((await admin.requests({ action: "DeleteInstances" })).filter((e) => !isDryRun(e)).length).toBe(2);
    expect((await admin.instances("ecs")).filter((i) => (made.outputs.instanceIds as string[]).includes(i.id))).toEqual([]);
  });
});

async function createVia(subpath: string, type: string, name: string, props: Record<string, unknown>): Promise<{ id: string; outputs: Record<string, unknown> }> {
  const news = { __provider: blobs[subpath], regionId: REGION, ...props };
  const checked = await provider.check(urn(type, name), type, {}, news);
  expect(checked.failures).toEqual([]);
  return provider.create(urn(type, name), checked.inputs);
}

describe("mongodb.Instance through the dynamic-provider process", () => {
  const type = dynamicType("mongodb.Instance", "alicloud-release");
  const spec = { engineVersion: "7.0", dbInstanceClass: "dds.mongo.mid", dbInstanceStorage: 20, vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h" };

  it("releases a pay-as-you-go instance with DeleteDBInstance", async () => {
    const { id, outputs } = await createVia("mongodb/instance-provider", type, "orders", { ...spec, chargeType: "PostPaid" });
    expect(id).toMatch(/^dds-/);
    await admin.clearRequests();
    await provider.delete(id, urn(type, "orders"), outputs);
    expect((await admin.requests({ product: "dds" })).map((e) => e.action)).toContain("DeleteDBInstance");
    // Released into the recycle bin, where a replica set stays 7 days.
    expect(await admin.instance(id)).toMatchObject({ status: "Released", LockMode: "Released" });
  });

  it("waits for an expired subscription's lock, then destroys it with DestroyInstance", async () => {
    const { id, outputs } = await createVia("mongodb/instance-provider", type, "legacy", { ...spec, chargeType: "PrePaid", period: 1 });
    await admin.expire(id);
    await admin.clearRequests();
    await provider.delete(id, urn(type, "legacy"), outputs);
    const actions = (await admin.requests({ product: "dds" })).map((e) => e.action);
    expect(actions).toContain("DestroyInstance");
    expect(actions).not.toContain("DeleteDBInstance");
    expect(await admin.instance(id)).toBeUndefined();
  });

  it("refuses a live subscription with a message naming the expiry date and the choices", async () => {
    const { id, outputs } = await createVia("mongodb/instance-provider", type, "live", { ...spec, chargeType: "PrePaid", period: 1 });
    const err = (await provider.delete(id, urn(type, "live"), outputs).catch((e: unknown) => e)) as ProviderCallError;
    expect(err.message).toContain(`mongodb.Instance ${id}`);
    expect(err.message).toMatch(/expires \d{4}-\d{2}-\d{2}/);
    expect(err.message).toContain('onSubscription: "retain"');
    expect((await admin.instance(id))?.status).toBe("Running");
    await provider.delete(id, urn(type, "live"), { ...outputs, onSubscription: "retain" });
    expect((await admin.instance(id))?.status).toBe("Running");
  });
});

describe("redis.Instance through the dynamic-provider process", () => {
  const type = dynamicType("redis.Instance", "alicloud-release");
  const password = "Sup3r-Secret-Redis-pw";

  it("releases to the recycle bin and purges it with DestroyInstance; the password is nowhere", async () => {
    const { id, outputs } = await createVia("redis/instance-provider", type, "cache", {
      instanceClass: "redis.master.small.default", engineVersion: "7.0", vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h", chargeType: "PostPaid", password, purgeRecycleBin: true,
    });
    expect(id).toMatch(/^r-/);
    expect(JSON.stringify(outputs)).not.toContain(password);
    await admin.clearRequests();
    await provider.delete(id, urn(type, "cache"), outputs);
    const actions = (await admin.requests({ product: "r-kvstore" })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["DeleteInstance", "DestroyInstance"]));
    expect(await admin.instance(id)).toBeUndefined();
    expect([...provider.stdout, ...provider.stderr].join("\n")).not.toContain(password);
    expect(JSON.stringify(await admin.requests())).not.toContain(password);
  });

  it("keeps a released instance in the recycle bin by default and says until when", async () => {
    const { id, outputs } = await createVia("redis/instance-provider", type, "kept", { instanceClass: "redis.master.small.default", vSwitchId: "vsw-default-cn-hangzhou-h", zoneId: "cn-hangzhou-h" });
    await provider.delete(id, urn(type, "kept"), outputs);
    expect((await admin.instance(id))?.status).toBe("Released");
    const line = await provider.waitForLine("stderr", `${id}: kept in the recycle bin`);
    expect(line).toMatch(new RegExp(`^${id}: kept in the recycle bin \\(not running, not billed\\): recoverable until \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z \\(7 days, as in the console\\)`));
  });
});
