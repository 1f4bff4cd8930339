// ECS create surface and updates in place: every RunInstances parameter sent with the API's wire names, tags and
// names changed in place (no RunInstances, no release, same id), the image change named as the replacement,
// refresh showing drift, and bad input refused before anything is created. Real SDK, emulator over HTTP.
import * as Ecs from "@alicloud/ecs20140526";
import { describe, expect, it } from "vitest";
import { OWNERSHIP_TAG_KEYS } from "../../provider/core/ownership";
import * as instance from "../../provider/ecs/instance-provider";
import * as instanceSet from "../../provider/ecs/instance-set-provider";
import { calls, useEmulatorForProvider } from "../support/provider-env";
import { defaultSecurityGroupId, defaultVSwitchId } from "../support/network";
import { secondSecurityGroup } from "../support/second-group";
import { ecsClient } from "../support/sdk";

const env = useEmulatorForProvider({ "ecs.pending": 1, "ecs.starting": 1 });
const PASSWORD = "Ecs-Pw-Never-Leak1";
const USER_DATA = "#!/bin/sh\necho hello > /tmp/hello\n";
const APP = {
  imageId: "ubuntu_22_04_x64",
  instanceType: "ecs.g7.large",
  vSwitchId: defaultVSwitchId(),
  securityGroupIds: [defaultSecurityGroupId(), "sg-app-second"] as string[],
  systemDisk: { category: "cloud_essd", size: 100, performanceLevel: "PL1" },
  dataDisk: [{ category: "cloud_essd", size: 200, deleteWithInstance: true, encrypted: true }],
  keyPairName: "ci",
  userData: USER_DATA,
  internetMaxBandwidthOut: 10,
  spotStrategy: "SpotAsPriceGo",
  hostName: "app-1",
  description: "app tier",
  instanceName: "app",
  password: PASSWORD,
  tags: { env: "ci", team: "web" },
  ownership: { project: "shop", stack: "ci-42", name: "app" },
};

/** A reset forgets the network a test made, so the second group is made again after each one. */
async function reset(): Promise<void> {
  await env.reset();
  APP.securityGroupIds[1] = await secondSecurityGroup(env.emu.url);
  await env.admin.clearRequests();
}

const params = async (action: string) => (await env.admin.requests({ product: "ecs", action })).map((r) => r.params);
const changes = async () => calls(await env.admin.requests({ product: "ecs" })).filter((c) => !c.startsWith("Describe"));

describe("ecs.Instance: the whole RunInstances surface", () => {
  it("sends every parameter under its wire name, tags with the ownership tags, and keeps the password out of outputs and lines", async () => {
    await reset();
    const { id, outs } = await instance.create(APP);
    const [p] = await params("RunInstances");
    expect(p).toMatchObject({
      ImageId: "ubuntu_22_04_x64",
      InstanceType: "ecs.g7.large",
      VSwitchId: defaultVSwitchId(),
      "SecurityGroupIds.1": defaultSecurityGroupId(),
      "SecurityGroupIds.2": APP.securityGroupIds[1],
      "SystemDisk.Category": "cloud_essd",
      "SystemDisk.Size": "100",
      "SystemDisk.PerformanceLevel": "PL1",
      "DataDisk.1.Category": "cloud_essd",
      "DataDisk.1.Size": "200",
      "DataDisk.1.DeleteWithInstance": "true",
      "DataDisk.1.Encrypted": "true",
      KeyPairName: "ci",
      UserData: Buffer.from(USER_DATA).toString("base64"),
      InternetMaxBandwidthOut: "10",
      SpotStrategy: "SpotAsPriceGo",
      HostName: "app-1",
      Description: "app tier",
      InstanceName: "app",
      Amount: "1",
    });
    const tags = Object.fromEntries(Object.keys(p).filter((k) => /^Tag\.\d+\.Key$/.test(k)).map((k) => [p[k], p[k.replace("Key", "Value")]]));
    expect(tags).toEqual({ env: "ci", team: "web", [OWNERSHIP_TAG_KEYS.project]: "shop", [OWNERSHIP_TAG_KEYS.stack]: "ci-42", [OWNERSHIP_TAG_KEYS.name]: "app" });
    expect(p.ClientToken).toBeTruthy();
    expect(outs).toMatchObject({ instanceId: id, status: "Running", tags: { env: "ci", team: "web" }, schemaVersion: 2 });
    expect(outs).not.toHaveProperty("password");
    expect(JSON.stringify(outs)).not.toContain(PASSWORD);
    expect(env.lines.join("\n")).not.toContain(PASSWORD);
    await instance.delete(id, outs!);
    expect(await env.admin.instance(id)).toBeUndefined();
  });

  it("accepts the size as a string too, as the SDK types it, and sends the same", async () => {
    await reset();
    const failures = (await instance.check({}, { ...APP, systemDisk: { category: "cloud_essd", size: "100" } })).failures;
    expect(failures).toEqual([]);
  });

  it("a set sends the parameters once per RunInstances call with its Amount", async () => {
    await reset();
    const { id, outs } = await instanceSet.create({ ...APP, amount: 2, password: undefined });
    const [p] = await params("RunInstances");
    expect(p).toMatchObject({ Amount: "2", "DataDisk.1.Size": "200", "SecurityGroupIds.2": APP.securityGroupIds[1] });
    expect((outs!.instanceIds as string[]).length).toBe(2);
    await instanceSet.delete(id, outs!);
  });
});

describe("ecs.Instance: updates in place and replacements", () => {
  it("changes tags with TagResources / UntagResources and names with ModifyInstanceAttribute: no RunInstances, no release, same id", async () => {
    await reset();
    const made = await instance.create(APP);
    await env.admin.clearRequests();
    const news = { ...APP, tags: { env: "prod", owner: "ops" }, instanceName: "app-renamed", hostName: "app-2", description: "renamed" };
    const d = await instance.diff(made.id, made.outs!, news);
    expect(d).toMatchObject({ changes: true, replaces: [] });
    expect(Object.keys(d.detailedDiff).sort()).toEqual(["description", "hostName", "instanceName", "tags"]);
    const updated = await instance.update(made.id, made.outs!, news);
    expect(await changes()).toEqual(["ModifyInstanceAttribute", "UntagResources", "TagResources"]);
    const [modify] = await params("ModifyInstanceAttribute");
    expect(modify).toMatchObject({ InstanceId: made.id, InstanceName: "app-renamed", HostName: "app-2", Description: "renamed" });
    const [untag] = await params("UntagResources");
    expect(untag).toMatchObject({ ResourceType: "instance", "ResourceId.1": made.id, "TagKey.1": "team" });
    expect(Object.values(untag)).not.toContain(OWNERSHIP_TAG_KEYS.project);
    const [tag] = await params("TagResources");
    expect(tag).toMatchObject({ "ResourceId.1": made.id, "Tag.1.Key": "env", "Tag.1.Value": "prod", "Tag.2.Key": "owner", "Tag.2.Value": "ops" });
    expect(updated.outs).toMatchObject({ instanceId: made.id, tags: { env: "prod", owner: "ops" }, instanceName: "app-renamed" });
    const read = await instance.read(made.id, updated.outs!);
    expect(read.props).toMatchObject({ instanceId: made.id, tags: { env: "prod", owner: "ops" }, instanceName: "app-renamed", hostName: "app-2" });
    await instance.delete(made.id, updated.outs!);
  });

  it("a new image replaces the instance, and the diff says imageId forces it", async () => {
    const outs = { ...APP, password: undefined, instanceId: "i-bp1abcdefabcdefabcd", regionId: "cn-hangzhou", adopted: false };
    const d = await instance.diff("i-bp1abcdefabcdefabcd", outs, { ...APP, imageId: "debian_12_x64" });
    expect(d).toMatchObject({ changes: true, replaces: ["imageId"] });
    expect(d.detailedDiff.imageId).toEqual({ kind: "updateReplace", inputDiff: true });
    const disk = await instance.diff("i-bp1abcdefabcdefabcd", outs, { ...APP, dataDisk: [{ category: "cloud_essd", size: 300 }] });
    expect(disk.replaces).toEqual(["dataDisk"]);
  });

  it("refresh shows what changed outside Pulumi, and an instance released outside it reads as gone", async () => {
    await reset();
    const made = await instance.create({ ...APP, password: undefined });
    const ecs = ecsClient(env.emu.url);
    await ecs.modifyInstanceAttribute(new Ecs.ModifyInstanceAttributeRequest({ instanceId: made.id, instanceName: "renamed-in-console", description: "console" }));
    const read = await instance.read(made.id, made.outs!);
    expect(read.props).toMatchObject({ instanceName: "renamed-in-console", description: "console", imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", status: "Running" });
    // The next `pulumi up` puts the program's name back in place.
    const d = await instance.diff(made.id, read.props!, { ...APP, password: undefined });
    expect(d).toMatchObject({ changes: true, replaces: [] });
    expect(d.detailedDiff).toHaveProperty("instanceName");
    await ecs.deleteInstance(new Ecs.DeleteInstanceRequest({ instanceId: made.id, force: true }));
    await env.admin.advance(60);
    expect(await instance.read(made.id, made.outs!)).toEqual({});
  });
});

describe("ecs.Instance: bad input is refused before anything is created", () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["an unknown disk category", { systemDisk: { category: "cloud_fast", size: 40 } }, "systemDisk.category", /^systemDisk.category must be one of cloud, .*cloud_essd.*, got "cloud_fast"$/],
    ["a negative data disk size", { dataDisk: [{ category: "cloud_essd", size: -5 }] }, "dataDisk[0].size", /^dataDisk\[0\].size must be a whole number of GiB/],
    ["a malformed tag", { tags: { "acs:owner": "me" } }, "tags.acs:owner", /must not start with "aliyun" or "acs:"/],
    ["a tag that is not a string", { tags: { env: 3 } }, "tags.env", /must have a string value, got 3/],
    ["a password that breaks the rules", { password: "short" }, "password", /^password must be 8 to 30 characters .* \(the given value, not shown, has 5 characters and 1 of the four kinds\)$/],
    ["a parameter RunInstances does not have", { systemDisk: { category: "cloud_essd", sizeGb: 40 } }, "systemDisk.sizeGb", /^systemDisk.sizeGb is not a parameter of this call$/],
    ["one and several security groups", { securityGroupId: defaultSecurityGroupId() }, "securityGroupIds", /not both/],
  ])("%s", async (_what, change, property, reason) => {
    await reset();
    const { failures } = await instance.check({}, { ...APP, ...change });
    expect(failures).toContainEqual({ property, reason: expect.stringMatching(reason) });
    expect(JSON.stringify(failures)).not.toContain(PASSWORD);
    expect(await env.admin.requests({ product: "ecs" })).toEqual([]);
  });
});
