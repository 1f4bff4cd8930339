// ECS auto-release on the emulator's clock: ModifyInstanceAutoReleaseTime and RunInstances AutoReleaseTime, their
// documented parameters and errors, and the release the service itself makes when the time passes (no call).
import * as Ecs from "@alicloud/ecs20140526";
import { beforeEach, describe, expect, it } from "vitest";
import { useEmulator } from "../support/emulator";
import { defaultSecurityGroupId, defaultVSwitchId } from "../support/network";
import { ecsClient, sdkError } from "../support/sdk";

const REGION = "cn-hangzhou";
const t = useEmulator({ frozenClock: true });
const client = () => ecsClient(t.emu.url);

beforeEach(async () => {
  await t.admin.reset();
});

async function run(extra: Partial<Ecs.RunInstancesRequest> = {}): Promise<string> {
  const res = await client().runInstances(
    new Ecs.RunInstancesRequest({ regionId: REGION, imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vSwitchId: defaultVSwitchId(), securityGroupId: defaultSecurityGroupId(), ...extra }),
  );
  return res.body!.instanceIdSets!.instanceIdSet![0];
}

async function describeOne(id: string): Promise<Ecs.DescribeInstancesResponseBodyInstancesInstance | undefined> {
  const res = await client().describeInstances(new Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([id]) }));
  return res.body!.instances!.instance![0];
}

const isoIn = async (seconds: number): Promise<string> => {
  const { now } = await t.admin.advance(0);
  return new Date(Date.parse(now) + seconds * 1000).toISOString().slice(0, 19) + "Z";
};

const modify = (instanceId: string, autoReleaseTime?: string) =>
  client().modifyInstanceAutoReleaseTime(new Ecs.ModifyInstanceAutoReleaseTimeRequest({ regionId: REGION, instanceId, autoReleaseTime }));

describe("ECS auto-release", () => {
  it("releases an instance when its AutoReleaseTime passes, with no call from anyone", async () => {
    const id = await run();
    await t.admin.advance(30);
    const at = await isoIn(3600);
    await modify(id, at);
    expect((await describeOne(id))?.autoReleaseTime).toBe(at.slice(0, 16) + "Z");
    await t.admin.clearRequests();

    await t.admin.advance(3600 - 120);
    expect((await describeOne(id))?.status).toBe("Running");
    await t.admin.advance(240);
    expect(await describeOne(id)).toBeUndefined();
    expect(await t.admin.instance(id)).toBeUndefined();
    // Only our two DescribeInstances calls: nothing asked for the release.
    expect((await t.admin.requests()).map((r) => r.action)).toEqual(["DescribeInstances", "DescribeInstances"]);
  });

  it("takes AutoReleaseTime at RunInstances too, and ignores release protection as the docs say", async () => {
    const id = await run({ autoReleaseTime: await isoIn(1860), deletionProtection: true });
    await t.admin.advance(1860 + 60);
    expect(await describeOne(id)).toBeUndefined();
  });

  it("cancels the auto-release when AutoReleaseTime is left out", async () => {
    const id = await run({ autoReleaseTime: await isoIn(1860) });
    await modify(id);
    expect((await describeOne(id))?.autoReleaseTime).toBe("");
    await t.admin.advance(7200);
    expect((await describeOne(id))?.status).toBe("Running");
  });

  it("answers the documented errors", async () => {
    const id = await run();
    const sub = await run({ instanceChargeType: "PrePaid", period: 1, periodUnit: "Month" });
    const malformed = "The specified parameter autoReleaseTime is not valid.";
    for (const bad of ["tomorrow", "2026-13-01T00:00:00Z", await isoIn(600), await isoIn(4 * 366 * 86400)]) {
      const e = await sdkError(modify(id, bad));
      expect([e.code, e.statusCode, e.message.includes(malformed)]).toEqual(["InvalidAutoReleaseTime.Malformed", 400, true]);
    }
    expect((await sdkError(modify(sub, await isoIn(3600)))).code).toBe("ChargeTypeViolation");
    expect((await sdkError(modify("i-bp1doesnotexist00000", await isoIn(3600)))).code).toBe("InvalidInstanceId.NotFound");
    expect((await sdkError(run({ instanceChargeType: "PrePaid", period: 1, periodUnit: "Month", autoReleaseTime: await isoIn(3600) }))).code).toBe("ChargeTypeViolation");
  });

  it("drops the seconds: the time is taken as the start of its minute", async () => {
    const id = await run();
    const at = await isoIn(3600 + 37);
    await modify(id, at);
    const minute = new Date(Math.floor(Date.parse(at) / 60_000) * 60_000).toISOString().slice(0, 16) + "Z";
    expect((await describeOne(id))?.autoReleaseTime).toBe(minute);
  });
});
