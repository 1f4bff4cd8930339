// Time-to-live on the resources: ECS hands it to the cloud (RunInstances AutoReleaseTime; ModifyInstanceAutoReleaseTime
// when it changes, in place), and the emulator's clock releases the instance with no call from us. MongoDB and
// Redis carry the pulumi:expires-at tag, which `sweep --expired` acts on. The provider's own code in-process, the
// real SDK clients against the emulator over HTTP.
import * as Ecs from "@alicloud/ecs20140526";
import * as Kv from "@alicloud/r-kvstore20150101";
import { beforeEach, describe, expect, it } from "vitest";
import { EXPIRES_AT_TAG_KEY, sweep } from "../../provider/automation";
import { ownershipInput } from "../../provider/core/ownership";
import * as ecsInstance from "../../provider/ecs/instance-provider";
import * as redis from "../../provider/redis/instance-provider";
import { defaultSecurityGroupId, defaultVSwitchId } from "../support/network";
import { useEmulatorForProvider } from "../support/provider-env";
import { changeCalls, sleep } from "../support/reliability";
import { ecsClient, kvClient } from "../support/sdk";

const env = useEmulatorForProvider({ "ecs.pending": 1, "ecs.starting": 1, "kv.creating": 1, "kv.releasing": 2, "kv.destroying": 2 });
const REGION = "cn-hangzhou";
const LAUNCH = { regionId: REGION, imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vSwitchId: defaultVSwitchId(), securityGroupId: defaultSecurityGroupId() };
const REDIS = { regionId: REGION, instanceClass: "redis.master.small.default", engineVersion: "7.0", vSwitchId: defaultVSwitchId(`${REGION}-h`), zoneId: `${REGION}-h`, purgeRecycleBin: true };

beforeEach(async () => {
  await env.reset();
});

async function autoReleaseTime(id: string): Promise<string | undefined> {
  const res = await ecsClient(env.emu.url).describeInstances(new Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([id]) }));
  const i = res.body?.instances?.instance?.[0];
  return i ? (i.autoReleaseTime ?? "") : undefined;
}

const minute = (iso: string): string => iso.slice(0, 16) + "Z";

describe("ECS: the cloud enforces the time-to-live", () => {
  it("releases an instance whose time-to-live passed, with no call from us", async () => {
    const made = await ecsInstance.create({ ...LAUNCH, timeToLive: "2h", ...ownershipInput("ttl", "ci", "web") });
    const id = made.id;
    const ends = made.outs!.timeToLiveEnds as string;
    expect(Date.parse(ends) - Date.now()).toBeGreaterThan(2 * 3_600_000 - 60_000);
    expect(await autoReleaseTime(id)).toBe(minute(ends));
    const created = (await env.admin.requests({ action: "RunInstances" }))[0];
    expect(created.params.AutoReleaseTime).toBe(ends);

    await env.admin.clearRequests();
    await env.admin.advance(2 * 3600 + 120);
    expect(await autoReleaseTime(id)).toBeUndefined();
    // Only our DescribeInstances: the cloud released it by itself.
    expect((await env.admin.requests()).map((r) => r.action)).toEqual(["DescribeInstances"]);
  });

  it("changes the auto-release time in place when the time-to-live changes", async () => {
    // The emulator's clock is ahead of ours by what the test above advanced it: times far enough ahead for both.
    const inputs = { ...LAUNCH, timeToLive: "6h", ...ownershipInput("ttl", "ci", "web") };
    const made = await ecsInstance.create(inputs);
    const news = { ...inputs, timeToLive: undefined, expiresAt: new Date(Date.now() + 9 * 3_600_000).toISOString() };
    const diff = await ecsInstance.diff(made.id, made.outs!, news);
    expect(diff.replaces).toEqual([]);
    expect(diff.changes).toBe(true);
    await env.admin.clearRequests();
    const updated = await ecsInstance.update(made.id, made.outs!, news);
    expect(changeCalls(await env.admin.requests()).map((c) => c.action)).toEqual(["ModifyInstanceAutoReleaseTime"]);
    expect(await autoReleaseTime(made.id)).toBe(minute(updated.outs!.timeToLiveEnds as string));
    expect(updated.outs!.timeToLiveEnds).toBe(new Date(Date.parse(news.expiresAt)).toISOString().slice(0, 19) + "Z");
    // Unchanged on the next up: a relative time-to-live does not slide.
    expect((await ecsInstance.diff(made.id, updated.outs!, news)).changes).toBe(false);
  });

  it("refuses what the cloud would refuse, before anything is created", async () => {
    const check = async (extra: Record<string, unknown>) => (await ecsInstance.check({}, { ...LAUNCH, ...extra })).failures?.map((f) => f.reason) ?? [];
    expect(await check({ timeToLive: "10m" })).toEqual([expect.stringContaining("at least 30 minutes")]);
    expect(await check({ timeToLive: "4h", instanceChargeType: "PrePaid", period: 1 })).toEqual([expect.stringContaining("pay-as-you-go")]);
    expect(await check({ timeToLive: "soon" })).toEqual([expect.stringContaining('timeToLive must be a duration like "30m"')]);
    expect(await check({ timeToLive: "4h", expiresAt: "2030-01-01T00:00:00Z" })).toEqual(["give expiresAt (a time) or timeToLive (a duration), not both"]);
    expect(await env.admin.instances()).toEqual([]);
  });
});

describe("Redis: the expiry tag and a scheduled sweep", () => {
  it("tags the instance with its expiry, which sweep --expired releases once passed", async () => {
    const made = await redis.create({ ...REDIS, password: "Ttl-Redis-Pw-1", timeToLive: "2s", ...ownershipInput("ttl", "ci", "cache") });
    const ends = made.outs!.timeToLiveEnds as string;
    const res = await kvClient(env.emu.url).describeInstances(new Kv.DescribeInstancesRequest({ regionId: REGION, instanceIds: made.id }));
    const tags = Object.fromEntries((res.body!.instances!.KVStoreInstance![0].tags?.tag ?? []).map((t) => [t.key, t.value]));
    expect(tags[EXPIRES_AT_TAG_KEY]).toBe(ends);
    expect(made.outs!.tags ?? {}).not.toHaveProperty(EXPIRES_AT_TAG_KEY);

    expect((await sweep({ project: "ttl", expired: true, regions: [REGION] })).found).toEqual([]);
    await sleep(Math.max(0, Date.parse(ends) - Date.now()) + 1100);
    const swept = await sweep({ project: "ttl", expired: true, regions: [REGION], release: true, deleteOptions: { purgeRecycleBin: true } });
    expect(swept.released).toEqual([made.id]);
    expect(await env.admin.instances()).toEqual([]);
  });
});
