// sweep --expired: instances whose time-to-live (the pulumi:expires-at tag) has passed are released, across every
// stack of a project when no stack is named; instances not yet expired, without the tag or of another project stay.
// The automation functions in-process, the real SDK clients against the emulator over HTTP.
import * as Kv from "@alicloud/r-kvstore20150101";
import { beforeEach, describe, expect, it } from "vitest";
import { EXPIRES_AT_TAG_KEY, sweep, UsageError } from "../../provider/automation";
import { defaultVSwitchId } from "../support/network";
import { useEmulatorForProvider } from "../support/provider-env";
import { changeCalls } from "../support/reliability";
import { ddsCall, kvClient } from "../support/sdk";

const env = useEmulatorForProvider({ "kv.creating": 1, "kv.releasing": 2, "kv.destroying": 2, "dds.creating": 1, "dds.deleting": 2 });
const REGION = "cn-hangzhou";

beforeEach(async () => {
  await env.reset();
});

async function redis(tags: Record<string, string>): Promise<string> {
  const res = await kvClient(env.emu.url).createInstance(
    new Kv.CreateInstanceRequest({
      regionId: REGION, instanceClass: "redis.master.small.default", engineVersion: "7.0", vSwitchId: defaultVSwitchId(`${REGION}-h`), zoneId: `${REGION}-h`,
      tag: Object.entries(tags).map(([key, value]) => new Kv.CreateInstanceRequestTag({ key, value })),
    }),
  );
  return res.body!.instanceId!;
}

async function mongo(tags: Record<string, string>): Promise<string> {
  const tagQuery = Object.fromEntries(Object.entries(tags).flatMap(([k, v], n) => [[`Tag.${n + 1}.Key`, k], [`Tag.${n + 1}.Value`, v]]));
  const body = await ddsCall(env.emu.url, "CreateDBInstance", { RegionId: REGION, DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: 20, EngineVersion: "7.0", ZoneId: `${REGION}-h`, VSwitchId: defaultVSwitchId(`${REGION}-h`), ...tagQuery });
  return body.DBInstanceId as string;
}

const owned = (project: string, stack: string, expiresAt?: string) => ({
  "pulumi:project": project, "pulumi:stack": stack, "pulumi:name": "cache", ...(expiresAt ? { [EXPIRES_AT_TAG_KEY]: expiresAt } : {}),
});

describe("sweep --expired", () => {
  it("releases every stack's instances past their time-to-live, and nothing else", async () => {
    const past = new Date(Date.now() - 3_600_000).toISOString();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const expiredA = await redis(owned("shop", "pr-1", past));
    const expiredB = await redis(owned("shop", "pr-2", past));
    const notYet = await redis(owned("shop", "pr-3", future));
    const noTtl = await redis(owned("shop", "pr-4"));
    const otherProject = await redis(owned("blog", "pr-1", past));
    const untagged = await redis({ [EXPIRES_AT_TAG_KEY]: past });
    const expiredDb = await mongo(owned("shop", "pr-1", past));
    const notYetDb = await mongo(owned("shop", "pr-1", future));
    await env.admin.advance(5);

    const dry = await sweep({ project: "shop", expired: true, regions: [REGION] });
    expect(dry.found.map((f) => f.id).sort()).toEqual([expiredA, expiredB, expiredDb].sort());
    expect(dry.found[0].reason).toBe(`time-to-live passed (${past})`);
    expect(dry.skipped.map((s) => [s.id, s.why]).sort()).toEqual([notYet, noTtl, notYetDb].map((id) => [id, "time-to-live not passed (or none)"]).sort());
    expect(dry.clean).toBe(false);

    await env.admin.clearRequests();
    const done = await sweep({ project: "shop", expired: true, regions: [REGION], release: true, deleteOptions: { purgeRecycleBin: true } });
    expect(done).toMatchObject({ failed: [], clean: true });
    expect(done.released.sort()).toEqual([expiredA, expiredB, expiredDb].sort());
    // Released MongoDB replica sets stay recoverable in the recycle bin (not billed) for 7 days.
    const left = (await env.admin.instances()).filter((i) => i.status !== "Released");
    expect(left.map((i) => i.id).sort()).toEqual([notYet, noTtl, otherProject, untagged, notYetDb].sort());
    const touched = new Set(changeCalls(await env.admin.requests()).flatMap((c) => c.ids));
    expect([...touched].sort()).toEqual([expiredA, expiredB, expiredDb].sort());
  });

  it("needs a stack unless it sweeps expired instances", async () => {
    await expect(sweep({ project: "shop", regions: [REGION] })).rejects.toThrow(UsageError);
    await expect(sweep({ project: "shop", stack: "s", regions: ["nowhere-9"] })).rejects.toThrow(/unknown region "nowhere-9"/);
    await expect(sweep({ project: "shop", stack: "s", regions: [REGION], olderThan: "soon" })).rejects.toThrow(/--older-than "soon" is not a duration/);
  });
});
