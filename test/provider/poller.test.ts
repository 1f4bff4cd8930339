// The shared poller: concurrent MongoDB and Redis deletes in one provider process poll through the products' list
// calls, one call serving many ids, instead of one describe per instance per poll.
import * as Kv from "@alicloud/r-kvstore20150101";
import { describe, expect, it } from "vitest";
import * as mongodb from "../../provider/mongodb/instance-provider";
import * as redis from "../../provider/redis/instance-provider";
import { defaultVpcId, defaultVSwitchId } from "../support/network";
import { useEmulatorForProvider } from "../support/provider-env";
import { ddsCall, kvClient } from "../support/sdk";

const REGION = "cn-hangzhou";
const N = 6;
const env = useEmulatorForProvider({ "dds.creating": 1, "kv.creating": 1 });
const net = { vpcId: defaultVpcId(), vSwitchId: defaultVSwitchId(`${REGION}-h`), zoneId: `${REGION}-h` };

async function mongoInstances(): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < N; i++) {
    const body = await ddsCall(env.emu.url, "CreateDBInstance", { RegionId: REGION, DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: 20, EngineVersion: "6.0", VpcId: net.vpcId, VSwitchId: net.vSwitchId, ZoneId: net.zoneId });
    ids.push(body.DBInstanceId as string);
  }
  await env.admin.advance(60);
  return ids;
}

async function redisInstances(n = N): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await kvClient(env.emu.url).createInstance(new Kv.CreateInstanceRequest({ regionId: REGION, instanceClass: "redis.master.small.default", ...net }));
    ids.push(res.body!.instanceId!);
  }
  await env.admin.advance(60);
  return ids;
}

describe("the shared poller", () => {
  it(`${N} concurrent MongoDB deletes: the release starts and waits on DescribeDBInstances calls shared by all of them`, async () => {
    await env.reset();
    const ids = await mongoInstances();
    await env.admin.clearRequests();
    await Promise.all(ids.map((id) => mongodb.delete(id, { dbInstanceId: id, regionId: REGION })));
    // Released: in the recycle bin, no longer described.
    for (const id of ids) expect(await env.admin.instance(id)).toMatchObject({ status: "Released" });
    const log = await env.admin.requests({ product: "dds" });
    expect(log.filter((e) => e.action === "DeleteDBInstance")).toHaveLength(N);
    const lists = log.filter((e) => e.action === "DescribeDBInstances");
    // One to start from, one to see them gone, one to find them in the recycle bin: far fewer than one per
    // instance per poll.
    expect(lists.length).toBeGreaterThanOrEqual(3);
    expect(lists.length).toBeLessThan(N);
    expect(lists.filter((e) => e.params.DBInstanceStatus === "Released").length).toBeLessThan(N);
    expect(log.filter((e) => e.action === "DescribeDBInstanceAttribute")).toEqual([]);
    expect(log.length).toBeLessThan(2 * N);
  });

  it(`${N} concurrent Redis deletes with purgeRecycleBin: the release starts and waits on DescribeInstances over many InstanceIds`, async () => {
    await env.reset();
    const ids = await redisInstances();
    await env.admin.clearRequests();
    await Promise.all(ids.map((id) => redis.delete(id, { instanceId: id, regionId: REGION, purgeRecycleBin: true })));
    for (const id of ids) expect(await env.admin.instance(id)).toBeUndefined();
    const log = await env.admin.requests({ product: "r-kvstore" });
    const lists = log.filter((e) => e.action === "DescribeInstances");
    // One list call names several instances: the polls of concurrent deletes were merged.
    const widest = Math.max(...lists.map((e) => e.params.InstanceIds.split(",").length));
    expect(widest).toBeGreaterThan(1);
    for (const e of lists) for (const id of e.params.InstanceIds.split(",")) expect(ids).toContain(id);
    expect(lists.length).toBeLessThan(2 * N);
    expect(log.filter((e) => e.action === "DescribeInstanceAttribute")).toEqual([]);
  });

  const MANY = 20;
  it(`${MANY} Redis deletes in flight together start from ⌈${MANY}/30⌉ list call, without DescribeInstanceAttribute`, async () => {
    await env.reset();
    const ids = await redisInstances(MANY);
    await env.admin.clearRequests();
    await Promise.all(ids.map((id) => redis.delete(id, { instanceId: id, regionId: REGION, purgeRecycleBin: true })));
    for (const id of ids) expect(await env.admin.instance(id)).toBeUndefined();
    const log = await env.admin.requests({ product: "r-kvstore" });
    // Before the first release, only the preflight: one list call per 30 ids (the live instances; the recycle bin is
    // asked only about ids not live).
    const preflight = log.slice(0, log.findIndex((e) => e.action === "DeleteInstance"));
    expect(preflight.map((e) => `${e.action}(${e.params.InstanceStatus ?? ""})`)).toEqual(Array(Math.ceil(MANY / 30)).fill("DescribeInstances()"));
    for (const e of preflight) expect(e.params.InstanceIds.split(",").sort()).toEqual([...ids].sort());
    expect(log.filter((e) => e.action === "DescribeInstanceAttribute")).toEqual([]);
    expect(log.filter((e) => e.action === "DeleteInstance")).toHaveLength(MANY);
    expect(log.filter((e) => e.action === "DestroyInstance")).toHaveLength(MANY);
    console.log(`${MANY} Redis deletes with purgeRecycleBin: ${log.length} R-KVStore calls, ${(log.length / MANY).toFixed(2)} per instance`);
  });
});
