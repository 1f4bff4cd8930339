// Tags on all three products through the real clients: TagResources / UntagResources / ListTagResources (ECS and
// R-KVStore SDKs, DDS through callApi), the tag service's documented limits and error codes, tags in each product's
// describe calls, and the Tag.N filters of ECS DescribeInstances, DDS DescribeDBInstances, R-KVStore DescribeInstances.
import * as Ecs from "@alicloud/ecs20140526";
import * as Kv from "@alicloud/r-kvstore20150101";
import { beforeEach, describe, expect, it } from "vitest";
import { useEmulator } from "../support/emulator";
import { defaultSecurityGroupId, defaultVpcId, defaultVSwitchId } from "../support/network";
import { ddsCall, ecsClient, kvClient, sdkError } from "../support/sdk";

const REGION = "cn-hangzhou";
const OTHER_REGION = "cn-shanghai";

const t = useEmulator({ frozenClock: true });
const ecs = () => ecsClient(t.emu.url);
const kv = () => kvClient(t.emu.url);
const dds = (action: string, query: Record<string, unknown>) => ddsCall(t.emu.url, action, query);

beforeEach(async () => {
  await t.admin.reset();
});

async function expectError(p: Promise<unknown>, code: string, status: number, message: string): Promise<void> {
  const e = await sdkError(p);
  expect({ code: e.code, statusCode: e.statusCode, message: e.message }).toEqual({ code, statusCode: status, message: `${code}: code: ${status}, ${message} request id: ${e.requestId}` });
}

const ERR = {
  notFound: ["InvalidResourceId.NotFound", 404, "The specified ResourceIds are not found in our records."],
  badType: ["InvalidResourceType.NotFound", 404, "The ResourceType provided does not exist in our records."],
  badKey: ["InvalidTagKey.Malformed", 400, "The specified Tag.n.Key is not valid."],
  badValue: ["InvalidTagValue.Malformed", 400, "The specified Tag.n.Value is not valid."],
  quota: ["OperationDenied.QuotaExceed", 400, "The quota of tags on resource is beyond permitted range."],
  tooMany: ["NumberExceed.Tags", 400, "The Tags parameter's number is exceed , Valid : 20"],
  tooManyIds: ["NumberExceed.ResourceIds", 400, "The ResourceIds parameter's number is exceed , Valid : 50"],
  duplicate: ["Duplicate.TagKey", 400, "The Tag.N.Key contain duplicate key."],
} as const;

const tagList = (n: number, prefix = "k") => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: `v${i}` }));

async function runEcs(regionId = REGION, tags: { key: string; value: string }[] = []): Promise<string> {
  const res = await ecs().runInstances(new Ecs.RunInstancesRequest({
    regionId, imageId: "ubuntu_22_04_x64_20G_alibase_20240101.vhd", instanceType: "ecs.g7.large",
    vSwitchId: defaultVSwitchId(`${regionId}-b`), securityGroupId: defaultSecurityGroupId(regionId),
    tag: tags.map((x) => new Ecs.RunInstancesRequestTag(x)),
  }));
  return res.body!.instanceIdSets!.instanceIdSet![0];
}

const ecsTag = (ids: string[], tags: { key: string; value: string }[], resourceType = "instance", regionId = REGION) =>
  ecs().tagResources(new Ecs.TagResourcesRequest({ regionId, resourceType, resourceId: ids, tag: tags.map((x) => new Ecs.TagResourcesRequestTag(x)) }));

const ecsTagsOf = async (id: string) => {
  const res = await ecs().describeInstances(new Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([id]) }));
  return res.body!.instances!.instance![0].tags!.tag!.map((x) => [x.tagKey, x.tagValue]);
};

describe("ECS tags (ResourceType=instance)", () => {
  it("adds, overwrites, lists and removes tags; DescribeInstances shows them; the log shows each parameter", async () => {
    const id = await runEcs(REGION, [{ key: "team", value: "core" }]);
    await ecsTag([id], [{ key: "env", value: "prod" }, { key: "team", value: "platform" }]);
    expect(await ecsTagsOf(id)).toEqual([["team", "platform"], ["env", "prod"]]);
    const [entry] = await t.admin.requests({ action: "TagResources" });
    expect(entry.params).toEqual({ RegionId: REGION, ResourceType: "instance", "ResourceId.1": id, "Tag.1.Key": "env", "Tag.1.Value": "prod", "Tag.2.Key": "team", "Tag.2.Value": "platform" });

    const listed = await ecs().listTagResources(new Ecs.ListTagResourcesRequest({ regionId: REGION, resourceType: "instance", resourceId: [id] }));
    expect(listed.body!.tagResources!.tagResource!.map((r) => [r.resourceId, r.resourceType, r.tagKey, r.tagValue])).toEqual([
      [id, "instance", "team", "platform"], [id, "instance", "env", "prod"],
    ]);
    expect(listed.body!.nextToken).toBe("");

    await ecs().untagResources(new Ecs.UntagResourcesRequest({ regionId: REGION, resourceType: "instance", resourceId: [id], tagKey: ["team", "absent"] }));
    expect(await ecsTagsOf(id)).toEqual([["env", "prod"]]);
    await ecs().untagResources(new Ecs.UntagResourcesRequest({ regionId: REGION, resourceType: "instance", resourceId: [id], all: true }));
    expect(await ecsTagsOf(id)).toEqual([]);
  });

  it("filters DescribeInstances by Tag.N.Key / Tag.N.Value (a key alone matches any value)", async () => {
    const a = await runEcs(REGION, [{ key: "env", value: "prod" }, { key: "team", value: "core" }]);
    const b = await runEcs(REGION, [{ key: "env", value: "dev" }]);
    await runEcs(REGION);
    const find = async (tag: { key: string; value?: string }[]) => {
      const res = await ecs().describeInstances(new Ecs.DescribeInstancesRequest({ regionId: REGION, tag: tag.map((x) => new Ecs.DescribeInstancesRequestTag(x)) }));
      return res.body!.instances!.instance!.map((i) => i.instanceId).sort();
    };
    expect(await find([{ key: "env" }])).toEqual([a, b].sort());
    expect(await find([{ key: "env", value: "prod" }])).toEqual([a]);
    expect(await find([{ key: "env", value: "dev" }, { key: "team" }])).toEqual([]);
  });

  it("lists by tag across instances and pages with NextToken", async () => {
    const ids = [await runEcs(), await runEcs(), await runEcs()];
    for (const id of ids) await ecsTag([id], tagList(20));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await ecs().listTagResources(new Ecs.ListTagResourcesRequest({ regionId: REGION, resourceType: "instance", resourceId: ids, nextToken: token }));
      for (const r of res.body!.tagResources!.tagResource!) seen.push(`${r.resourceId}/${r.tagKey}`);
      token = res.body!.nextToken || undefined;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(60);

    const byTag = await ecs().listTagResources(new Ecs.ListTagResourcesRequest({ regionId: REGION, resourceType: "instance", tag: [new Ecs.ListTagResourcesRequestTag({ key: "k3", value: "v3" })] }));
    expect(byTag.body!.tagResources!.tagResource!.map((r) => [r.resourceId, r.tagKey])).toEqual(ids.map((id) => [id, "k3"]));
  });

  it("refuses what the tag service refuses, and changes nothing", async () => {
    const id = await runEcs(REGION, tagList(19, "old"));
    const other = await runEcs(OTHER_REGION);
    await expectError(ecsTag([id], tagList(2)), ...ERR.quota);
    await expectError(ecsTag([id], tagList(21)), ...ERR.tooMany);
    await expectError(ecsTag([id], [{ key: "aliyun:x", value: "v" }]), ...ERR.badKey);
    await expectError(ecsTag([id], [{ key: "acs:owner", value: "v" }]), ...ERR.badKey);
    await expectError(ecsTag([id], [{ key: "k".repeat(129), value: "v" }]), ...ERR.badKey);
    await expectError(ecsTag([id], [{ key: "link", value: "see https://x" }]), ...ERR.badValue);
    await expectError(ecsTag([id], [{ key: "k", value: "v".repeat(129) }]), ...ERR.badValue);
    await expectError(ecsTag([id], [{ key: "dup", value: "1" }, { key: "dup", value: "2" }]), ...ERR.duplicate);
    await expectError(ecsTag([id, "i-bp1doesnotexist000"], [{ key: "k", value: "v" }]), ...ERR.notFound);
    await expectError(ecsTag([other], [{ key: "k", value: "v" }]), ...ERR.notFound);
    await expectError(ecsTag([id], [{ key: "k", value: "v" }], "disk"), ...ERR.notFound);
    await expectError(ecsTag([id], [{ key: "k", value: "v" }], "INSTANCE"), ...ERR.badType);
    await expectError(ecsTag(Array.from({ length: 51 }, (_, n) => `i-bp1x${n}`), [{ key: "k", value: "v" }]), ...ERR.tooManyIds);
    expect(await ecsTagsOf(id)).toHaveLength(19);
  });
});

describe("DDS tags (ResourceType=INSTANCE)", () => {
  async function createDds(extra: Record<string, unknown> = {}): Promise<string> {
    const body = await dds("CreateDBInstance", {
      RegionId: REGION, DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: 20, EngineVersion: "6.0",
      VpcId: defaultVpcId(REGION), VSwitchId: defaultVSwitchId(`${REGION}-h`), ...extra,
    });
    return body.DBInstanceId as string;
  }
  const attrTags = async (id: string) => {
    const body = await dds("DescribeDBInstanceAttribute", { DBInstanceId: id });
    return (body.DBInstances as { DBInstance: { Tags: { Tag: { Key: string; Value: string }[] } }[] }).DBInstance[0].Tags.Tag;
  };

  it("creates with Tag.N, tags and untags in place, and shows tags in both describe calls", async () => {
    const id = await createDds({ Tag: [{ Key: "team", Value: "core" }] });
    expect(await attrTags(id)).toEqual([{ Key: "team", Value: "core" }]);
    await dds("TagResources", { RegionId: REGION, ResourceType: "INSTANCE", ResourceId: [id], Tag: [{ Key: "env", Value: "prod" }] });
    expect(await attrTags(id)).toEqual([{ Key: "team", Value: "core" }, { Key: "env", Value: "prod" }]);

    const listed = await dds("ListTagResources", { RegionId: REGION, ResourceType: "INSTANCE", ResourceId: [id] });
    expect(listed).toMatchObject({
      NextToken: "",
      TagResources: { TagResource: [
        { ResourceId: id, ResourceType: "ALIYUN::DDS::INSTANCE", TagKey: "team", TagValue: "core" },
        { ResourceId: id, ResourceType: "ALIYUN::DDS::INSTANCE", TagKey: "env", TagValue: "prod" },
      ] },
    });

    const other = await createDds();
    const filtered = await dds("DescribeDBInstances", { RegionId: REGION, Tag: [{ Key: "env", Value: "prod" }] });
    expect((filtered.DBInstances as { DBInstance: { DBInstanceId: string; Tags: unknown }[] }).DBInstance.map((i) => [i.DBInstanceId, i.Tags])).toEqual([
      [id, { Tag: [{ Key: "team", Value: "core" }, { Key: "env", Value: "prod" }] }],
    ]);
    const all = await dds("DescribeDBInstances", { RegionId: REGION });
    expect((all.DBInstances as { DBInstance: unknown[] }).DBInstance).toHaveLength(2);
    expect(other).not.toBe(id);

    await dds("UntagResources", { RegionId: REGION, ResourceType: "INSTANCE", ResourceId: [id], TagKey: ["team"] });
    expect(await attrTags(id)).toEqual([{ Key: "env", Value: "prod" }]);
    const [entry] = await t.admin.requests({ action: "UntagResources" });
    expect(entry.params).toEqual({ RegionId: REGION, ResourceType: "INSTANCE", "ResourceId.1": id, "TagKey.1": "team" });
  });

  it("refuses the lower-case resource type, unknown ids, bad tags and a create with a malformed tag", async () => {
    const id = await createDds();
    await expectError(dds("TagResources", { RegionId: REGION, ResourceType: "instance", ResourceId: [id], Tag: [{ Key: "k", Value: "v" }] }), ...ERR.badType);
    await expectError(dds("TagResources", { RegionId: REGION, ResourceType: "INSTANCE", ResourceId: ["dds-bp1nothere"], Tag: [{ Key: "k", Value: "v" }] }), ...ERR.notFound);
    await expectError(dds("TagResources", { RegionId: REGION, ResourceType: "INSTANCE", ResourceId: [id], Tag: [{ Key: "aliyun-x", Value: "v" }] }), ...ERR.badKey);
    await expectError(createDds({ Tag: [{ Key: "acs:x", Value: "v" }] }), ...ERR.badKey);
    expect(await t.admin.instances("dds")).toHaveLength(1);
  });
});

describe("R-KVStore tags (ResourceType=INSTANCE)", () => {
  async function createKv(tags: { key: string; value: string }[] = []): Promise<string> {
    const res = await kv().createInstance(new Kv.CreateInstanceRequest({
      regionId: REGION, instanceClass: "redis.master.small.default", vpcId: defaultVpcId(REGION), vSwitchId: defaultVSwitchId(`${REGION}-h`),
      tag: tags.map((x) => new Kv.CreateInstanceRequestTag(x)),
    }));
    return res.body!.instanceId!;
  }
  const kvTagsOf = async (id: string) => {
    const res = await kv().describeInstanceAttribute(new Kv.DescribeInstanceAttributeRequest({ instanceId: id }));
    return res.body!.instances!.DBInstanceAttribute![0].tags!.tag!.map((x) => [x.key, x.value]);
  };

  it("tags, lists, filters and untags through the SDK", async () => {
    const id = await createKv([{ key: "team", value: "core" }]);
    const other = await createKv();
    await kv().tagResources(new Kv.TagResourcesRequest({ regionId: REGION, resourceType: "INSTANCE", resourceId: [id], tag: [new Kv.TagResourcesRequestTag({ key: "env", value: "prod" })] }));
    expect(await kvTagsOf(id)).toEqual([["team", "core"], ["env", "prod"]]);

    const listed = await kv().listTagResources(new Kv.ListTagResourcesRequest({ regionId: REGION, resourceType: "INSTANCE", tag: [new Kv.ListTagResourcesRequestTag({ key: "env" })] }));
    expect(listed.body!.tagResources!.tagResource!.map((r) => [r.resourceId, r.resourceType, r.tagKey, r.tagValue])).toEqual([[id, "ALIYUN::KVSTORE::INSTANCE", "env", "prod"]]);

    const filtered = await kv().describeInstances(new Kv.DescribeInstancesRequest({ regionId: REGION, tag: [new Kv.DescribeInstancesRequestTag({ key: "env", value: "prod" })] }));
    expect(filtered.body!.instances!.KVStoreInstance!.map((i) => i.instanceId)).toEqual([id]);
    expect(other).not.toBe(id);

    await kv().untagResources(new Kv.UntagResourcesRequest({ regionId: REGION, resourceType: "INSTANCE", resourceId: [id], all: true }));
    expect(await kvTagsOf(id)).toEqual([]);
  });

  it("refuses a quota overrun and an unknown id", async () => {
    const id = await createKv(tagList(20, "old"));
    await expectError(kv().tagResources(new Kv.TagResourcesRequest({ regionId: REGION, resourceType: "INSTANCE", resourceId: [id], tag: [new Kv.TagResourcesRequestTag({ key: "one", value: "more" })] })), ...ERR.quota);
    await expectError(kv().tagResources(new Kv.TagResourcesRequest({ regionId: REGION, resourceType: "INSTANCE", resourceId: ["r-bp1nothere"], tag: [new Kv.TagResourcesRequestTag({ key: "k", value: "v" })] })), ...ERR.notFound);
    await expectError(createKv(tagList(21)), ...ERR.tooMany);
    expect(await kvTagsOf(id)).toHaveLength(20);
  });
});
