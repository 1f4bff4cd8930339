// ECS RunInstances' whole launch surface through the real @alicloud/ecs20140526 client: every parameter as the SDK
// serializes it reaches the request log as sent (the password masked), is checked with the documented error code,
// and comes back from DescribeInstances where the real API reports it. ModifyInstanceAttribute's in-place changes.
import * as Ecs from "@alicloud/ecs20140526";
import { beforeEach, describe, expect, it } from "vitest";
import { useEmulator } from "../support/emulator";
import { defaultSecurityGroupId, defaultVpcId, defaultVSwitchId } from "../support/network";
import { ecsClient, sdkError } from "../support/sdk";

const REGION = "cn-hangzhou";
const VSW = defaultVSwitchId(`${REGION}-b`);
const SG = defaultSecurityGroupId(REGION);
/** A second security group in the default VPC, made after every reset (creates check that groups exist). */
let SG2 = "";
const PASSWORD = "Ecs-Pw-N3ver-Logged";
const USER_DATA = Buffer.from("#!/bin/sh\necho hello\n").toString("base64");

const t = useEmulator({ frozenClock: true });
const client = () => ecsClient(t.emu.url);

beforeEach(async () => {
  await t.admin.reset();
  SG2 = (await client().createSecurityGroup(new Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId: defaultVpcId(REGION) }))).body!.securityGroupId!;
});

const base = (extra: Partial<Ecs.RunInstancesRequest> = {}) =>
  new Ecs.RunInstancesRequest({ regionId: REGION, imageId: "ubuntu_22_04_x64_20G_alibase_20240101.vhd", instanceType: "ecs.g7.large", vSwitchId: VSW, securityGroupId: SG, ...extra });

async function run(extra: Partial<Ecs.RunInstancesRequest> = {}): Promise<string[]> {
  const res = await client().runInstances(base(extra));
  return res.body!.instanceIdSets!.instanceIdSet!;
}

async function describe1(id: string): Promise<Ecs.DescribeInstancesResponseBodyInstancesInstance> {
  const res = await client().describeInstances(new Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([id]) }));
  return res.body!.instances!.instance![0];
}

async function expectError(p: Promise<unknown>, code: string, status: number, message: string): Promise<void> {
  const e = await sdkError(p);
  expect({ code: e.code, statusCode: e.statusCode, message: e.message }).toEqual({ code, statusCode: status, message: `${code}: code: ${status}, ${message} request id: ${e.requestId}` });
}

/** The UTC minute `minutes` from the emulator's (frozen) now. */
async function minutesAhead(minutes: number): Promise<string> {
  const { now } = await t.admin.advance(0);
  const at = new Date(Date.parse(now) + minutes * 60_000);
  at.setUTCSeconds(0, 0);
  return at.toISOString().slice(0, 19) + "Z";
}

describe("RunInstances: the whole launch surface", () => {
  it("logs every parameter as the SDK sent it, masks the password, and DescribeInstances reports what the API reports", async () => {
    const autoRelease = await minutesAhead(120);
    const [id] = await run({
      securityGroupId: undefined,
      securityGroupIds: [SG, SG2],
      zoneId: `${REGION}-b`,
      instanceName: "app-1",
      description: "app tier",
      hostName: "app-1.internal",
      password: PASSWORD,
      keyPairName: "ci",
      userData: USER_DATA,
      internetChargeType: "PayByBandwidth",
      internetMaxBandwidthOut: 10,
      spotStrategy: "SpotWithPriceLimit",
      spotPriceLimit: 0.5,
      ramRoleName: "app-role",
      resourceGroupId: "rg-acfmapp0000000",
      autoReleaseTime: autoRelease,
      deploymentSetId: "ds-bp1app000000000",
      privateIpAddress: "172.16.0.10",
      systemDisk: new Ecs.RunInstancesRequestSystemDisk({ category: "cloud_essd", size: "100", performanceLevel: "PL0" }),
      dataDisk: [
        new Ecs.RunInstancesRequestDataDisk({ category: "cloud_essd", size: 200, deleteWithInstance: true, encrypted: "true" }),
        new Ecs.RunInstancesRequestDataDisk({ category: "cloud_auto", size: 50, deleteWithInstance: false, burstingEnabled: true }),
      ],
      tag: [new Ecs.RunInstancesRequestTag({ key: "team", value: "core" }), new Ecs.RunInstancesRequestTag({ key: "env", value: "" })],
    });

    const [entry] = await t.admin.requests({ action: "RunInstances" });
    expect(entry.status).toBe(200);
    expect(entry.params).toMatchObject({
      "SecurityGroupIds.1": SG, "SecurityGroupIds.2": SG2, ZoneId: `${REGION}-b`, InstanceName: "app-1", Description: "app tier",
      HostName: "app-1.internal", Password: "******", KeyPairName: "ci", UserData: USER_DATA, InternetChargeType: "PayByBandwidth",
      InternetMaxBandwidthOut: "10", SpotStrategy: "SpotWithPriceLimit", SpotPriceLimit: "0.5", RamRoleName: "app-role",
      ResourceGroupId: "rg-acfmapp0000000", AutoReleaseTime: autoRelease, DeploymentSetId: "ds-bp1app000000000", PrivateIpAddress: "172.16.0.10",
      "SystemDisk.Category": "cloud_essd", "SystemDisk.Size": "100", "SystemDisk.PerformanceLevel": "PL0",
      "DataDisk.1.Category": "cloud_essd", "DataDisk.1.Size": "200", "DataDisk.1.DeleteWithInstance": "true", "DataDisk.1.Encrypted": "true",
      "DataDisk.2.Category": "cloud_auto", "DataDisk.2.Size": "50", "DataDisk.2.DeleteWithInstance": "false", "DataDisk.2.BurstingEnabled": "true",
      "Tag.1.Key": "team", "Tag.1.Value": "core", "Tag.2.Key": "env", "Tag.2.Value": "",
    });

    const i = await describe1(id);
    expect(i).toMatchObject({
      instanceName: "app-1", description: "app tier", zoneId: `${REGION}-b`, hostName: "app-1.internal", keyPairName: "ci",
      internetChargeType: "PayByBandwidth", internetMaxBandwidthOut: 10, internetMaxBandwidthIn: 10,
      spotStrategy: "SpotWithPriceLimit", spotPriceLimit: 0.5, spotDuration: 1, spotInterruptionBehavior: "Terminate",
      resourceGroupId: "rg-acfmapp0000000", autoReleaseTime: autoRelease.slice(0, 16) + "Z", deploymentSetId: "ds-bp1app000000000",
      securityGroupIds: { securityGroupId: [SG, SG2] },
      vpcAttributes: { vSwitchId: VSW, privateIpAddress: { ipAddress: ["172.16.0.10"] } },
      tags: { tag: [{ tagKey: "team", tagValue: "core" }, { tagKey: "env", tagValue: "" }] },
      ioOptimized: true,
    });
    expect(i.publicIpAddress!.ipAddress).toHaveLength(1);
    expect(i.networkInterfaces!.networkInterface![0]).toMatchObject({ type: "Primary", primaryIpAddress: "172.16.0.10" });

    const ud = await client().describeUserData(new Ecs.DescribeUserDataRequest({ regionId: REGION, instanceId: id }));
    expect(ud.body!.userData).toBe(USER_DATA);
    const roles = await client().describeInstanceRamRole(new Ecs.DescribeInstanceRamRoleRequest({ regionId: REGION, instanceIds: JSON.stringify([id]) }));
    expect(roles.body!.instanceRamRoleSets!.instanceRamRoleSet).toEqual([expect.objectContaining({ instanceId: id, ramRoleName: "app-role" })]);

    // The password is nowhere: not in the log, not in the stored instance, not in any answer.
    const everything = JSON.stringify([await t.admin.requests(), await t.admin.instances(), i]);
    expect(everything).not.toContain(PASSWORD);
  });

  it("applies the documented defaults when nothing but the basics is given", async () => {
    const [id] = await run();
    const i = await describe1(id);
    expect(i).toMatchObject({
      hostName: `iZ${id.slice(2)}Z`, keyPairName: "", internetChargeType: "PayByTraffic", internetMaxBandwidthOut: 0, spotStrategy: "NoSpot",
      spotPriceLimit: 0, autoReleaseTime: "", resourceGroupId: "", deploymentSetId: "", publicIpAddress: { ipAddress: [] },
    });
    expect(i.vpcAttributes!.privateIpAddress!.ipAddress![0]).toMatch(/^172\.16\.\d+\.\d+$/);
  });

  it("numbers a batch: [begin,bits] names, UniqueSuffix, HostNames.N and consecutive private IPs", async () => {
    const ids = await run({ amount: 3, instanceName: "web-[1,2]", hostName: "node", uniqueSuffix: true, privateIpAddress: "10.0.0.254" });
    const got = await Promise.all(ids.map(describe1));
    expect(got.map((i) => i.instanceName)).toEqual(["web-01001", "web-02002", "web-03003"]);
    expect(got.map((i) => i.hostName)).toEqual(["node001", "node002", "node003"]);
    expect(got.map((i) => i.vpcAttributes!.privateIpAddress!.ipAddress![0])).toEqual(["10.0.0.254", "10.0.0.255", "10.0.1.0"]);

    const named = await run({ amount: 2, hostNames: ["alpha", "beta"] });
    expect((await Promise.all(named.map(describe1))).map((i) => i.hostName)).toEqual(["alpha", "beta"]);
  });

  it("takes the vSwitch and security groups from a Primary NetworkInterface.N", async () => {
    const [id] = await run({
      vSwitchId: undefined,
      securityGroupId: undefined,
      networkInterface: [
        new Ecs.RunInstancesRequestNetworkInterface({ instanceType: "Primary", vSwitchId: VSW, securityGroupIds: [SG, SG2], primaryIpAddress: "172.16.3.3" }),
        new Ecs.RunInstancesRequestNetworkInterface({ instanceType: "Secondary", vSwitchId: VSW, securityGroupId: SG, networkInterfaceName: "data" }),
      ],
    });
    const i = await describe1(id);
    expect(i.securityGroupIds!.securityGroupId).toEqual([SG, SG2]);
    expect(i.vpcAttributes).toMatchObject({ vSwitchId: VSW, privateIpAddress: { ipAddress: ["172.16.3.3"] } });
    expect(i.networkInterfaces!.networkInterface!.map((n) => n.type)).toEqual(["Primary", "Secondary"]);
    const [entry] = await t.admin.requests({ action: "RunInstances" });
    expect(entry.params).toMatchObject({
      "NetworkInterface.1.InstanceType": "Primary", "NetworkInterface.1.VSwitchId": VSW, "NetworkInterface.1.SecurityGroupIds.2": SG2,
      "NetworkInterface.2.NetworkInterfaceName": "data",
    });
  });

  it("keeps one answer per ClientToken without keeping the password, and refuses the token with another password", async () => {
    const first = await run({ clientToken: "launch-1", password: PASSWORD });
    expect(await run({ clientToken: "launch-1", password: PASSWORD })).toEqual(first);
    await expectError(client().runInstances(base({ clientToken: "launch-1", password: PASSWORD + "x" })), "IdempotentParameterMismatch", 400,
      "Request uses a client token in a previous request but is not identical to that request.");
    expect(await t.admin.instances("ecs")).toHaveLength(1);
  });
});

describe("RunInstances: bad launch parameters get the documented error and create nothing", () => {
  const cases: [string, Partial<Ecs.RunInstancesRequest> | (() => Promise<Partial<Ecs.RunInstancesRequest>>), string, number, string][] = [
    ["an unknown system disk category", { systemDisk: new Ecs.RunInstancesRequestSystemDisk({ category: "cloud_floppy" }) },
      "InvalidSystemDiskCategory.ValueNotSupported", 400, 'The specified parameter "SystemDisk.Category" is not valid.'],
    ["a system disk too small for its category", { systemDisk: new Ecs.RunInstancesRequestSystemDisk({ category: "cloud_essd", size: "10" }) },
      "InvalidSystemDiskSize.ValueNotSupported", 400, "The specified parameter SystemDisk.Size is invalid"],
    ["a negative system disk size", { systemDisk: new Ecs.RunInstancesRequestSystemDisk({ size: "-40" }) },
      "InvalidSystemDiskSize.ValueNotSupported", 400, "The specified parameter SystemDisk.Size is invalid"],
    ["an unknown data disk category", { dataDisk: [new Ecs.RunInstancesRequestDataDisk({ category: "tape", size: 100 })] },
      "InvalidDataDiskCategory.ValueNotSupported", 400, 'The specified parameter "DataDisk.n.Category" is not valid.'],
    ["a data disk beyond its category's range", { dataDisk: [new Ecs.RunInstancesRequestDataDisk({ category: "cloud", size: 4000 })] },
      "InvalidDataDiskSize.ValueNotSupported", 400, "The specified DataDisk.n.Size beyond the permitted range, or the capacity of snapshot exceeds the size limit of the specified disk category."],
    ["a PL2 ESSD below 461 GiB", { dataDisk: [new Ecs.RunInstancesRequestDataDisk({ category: "cloud_essd", performanceLevel: "PL2", size: 100 })] },
      "InvalidDataDiskSize.ValueNotSupported", 400, "The specified DataDisk.n.Size beyond the permitted range, or the capacity of snapshot exceeds the size limit of the specified disk category."],
    ["an unknown performance level", { dataDisk: [new Ecs.RunInstancesRequestDataDisk({ category: "cloud_essd", performanceLevel: "PL9", size: 100 })] },
      "InvalidPerformanceLevel.Malformed", 400, "The specified parameter DataDisk.n.PerformanceLevel is not valid."],
    ["17 data disks", { dataDisk: Array.from({ length: 17 }, () => new Ecs.RunInstancesRequestDataDisk({ category: "cloud_essd", size: 20 })) },
      "InstanceDiskNumber.LimitExceed", 400, "The total number of specified disk in an instance exceeds."],
    ["a KMS key on an unencrypted disk", { dataDisk: [new Ecs.RunInstancesRequestDataDisk({ category: "cloud_essd", size: 20, KMSKeyId: "key-1" })] },
      "InvalidEncrypted.NotMatchKmsKeyId", 400, "The specified parameter Encrypted must be true when KmsKeyId is not empty."],
    ["SecurityGroupId and SecurityGroupIds.N together", { securityGroupIds: [SG2] },
      "InvalidParameter.Conflict", 400, "The parameters SecurityGroupId and SecurityGroupIds.N cannot be specified at the same time."],
    ["a password of two character kinds", { password: "alllowercase1" }, "InvalidPassword.Malformed", 400, 'The specified parameter "Password" is not valid.'],
    ["a password too short", { password: "Ab1!" }, "InvalidPassword.Malformed", 400, 'The specified parameter "Password" is not valid.'],
    ["a password with a character outside the set", { password: "Abcdef12\u00e9" }, "InvalidPassword.Malformed", 400, 'The specified parameter "Password" is not valid.'],
    ["a password with PasswordInherit", { password: PASSWORD, passwordInherit: true }, "InvalidPasswordParam.Mismatch", 400, "The input password should be null when passwdInherit is true."],
    ["a spot strategy that does not exist", { spotStrategy: "SpotCheap" }, "InvalidSpotStrategy", 400, "The specified SpotStrategy is not valid."],
    ["spot on a subscription", { spotStrategy: "SpotAsPriceGo", instanceChargeType: "PrePaid", period: 1 }, "InvalidSpotPrepaid", 400, "The specified Spot type is not support PrePay Instance."],
    ["UserData that is not Base64", { userData: "not base64!" }, "InvalidUserData.Base64FormatInvalid", 400, "The specified UserData is not valid"],
    ["UserData over 32 KB", { userData: Buffer.alloc(32 * 1024 + 1, 97).toString("base64") }, "InvalidUserData.SizeExceeded", 400, 'The specified parameter "UserData" exceeds the size.'],
    ["outbound bandwidth over 100", { internetMaxBandwidthOut: 101 }, "InvalidInternetMaxBandwidthOut.Malformed", 400, "The specified parameter internetMaxBandwidthOut is not valid."],
    ["an unknown internet charge type", { internetChargeType: "PayByHour" }, "InvalidInternetChargeType.ValueNotSupported", 400, "The specified InternetChargeType is not valid."],
    ["a malformed AutoReleaseTime", { autoReleaseTime: "tomorrow" }, "InvalidAutoReleaseTime.Malformed", 400, "The specified parameter autoReleaseTime is not valid."],
    ["an AutoReleaseTime less than 30 minutes ahead", async () => ({ autoReleaseTime: await minutesAhead(10) }),
      "InvalidAutoReleaseTime.Malformed", 400, "The specified parameter autoReleaseTime is not valid."],
    ["an AutoReleaseTime more than three years ahead", async () => ({ autoReleaseTime: await minutesAhead(4 * 366 * 24 * 60) }),
      "InvalidAutoReleaseTime.Malformed", 400, "The specified parameter autoReleaseTime is not valid."],
    ["21 tags", { tag: Array.from({ length: 21 }, (_, n) => new Ecs.RunInstancesRequestTag({ key: `k${n}`, value: "v" })) },
      "InvalidTagCount", 400, "The specified tags are beyond the permitted range."],
    ["a tag key starting with aliyun", { tag: [new Ecs.RunInstancesRequestTag({ key: "aliyun-owner", value: "v" })] },
      "InvalidTagKey.Malformed", 400, "The specified Tag.n.Key is not valid."],
    ["a hostname starting with a hyphen", { hostName: "-web" }, "InvalidHostName.Malformed", 400, 'The specified parameter "HostName" is not valid.'],
    ["a hostname with consecutive dots", { hostName: "web..internal" }, "InvalidHostName.Malformed", 400, 'The specified parameter "HostName" is not valid.'],
    ["a Windows hostname over 15 characters", { imageId: "win2022_64_dtc_en-us_40G_alibase.vhd", hostName: "a-very-long-windows-name" },
      "InvalidHostName.Malformed", 400, 'The specified parameter "HostName" is not valid.'],
    ["HostName and HostNames.N together", { hostName: "a1", hostNames: ["b1"] },
      "InvalidParameter.Conflict", 400, "HostName and HostNames.N cannot be specified at the same time."],
    ["an instance name starting with a digit", { instanceName: "1web" }, "InvalidInstanceName.Malformed", 400, 'The specified parameter "InstanceName" is not valid.'],
    ["a description starting with http://", { description: "http://example.com" }, "InvalidDescription.Malformed", 400, 'The specified parameter "Description" is not valid.'],
    ["a malformed private IP", { privateIpAddress: "10.0.0.300" }, "InvalidPrivateIpAddress.Malformed", 400, "Specified private IP address is malformed."],
    ["a launch template that does not exist", { imageId: undefined, launchTemplateId: "lt-bp1nothere000000" },
      "InvalidLaunchTemplate.NotFound", 404, "The specified launch template lt-bp1nothere000000 does not exist."],
  ];

  it.each(cases)("%s", async (_what, extra, code, status, message) => {
    const req = typeof extra === "function" ? await extra() : extra;
    await expectError(client().runInstances(base(req)), code, status, message);
    expect(await t.admin.instances("ecs")).toEqual([]);
  });
});

describe("ModifyInstanceAttribute", () => {
  const modify = (req: Partial<Ecs.ModifyInstanceAttributeRequest>) => client().modifyInstanceAttribute(new Ecs.ModifyInstanceAttributeRequest(req));

  it("changes name, hostname, description and protection in place; the password is checked and never kept", async () => {
    const [id] = await run({ instanceName: "before", hostName: "before-host", description: "old text" });
    await modify({ instanceId: id, instanceName: "after", hostName: "after-host", description: "new text", deletionProtection: true, password: PASSWORD });
    const i = await describe1(id);
    expect(i).toMatchObject({ instanceId: id, instanceName: "after", hostName: "after-host", description: "new text", deletionProtection: true });
    const [entry] = await t.admin.requests({ action: "ModifyInstanceAttribute" });
    expect(entry.params).toMatchObject({ InstanceId: id, InstanceName: "after", HostName: "after-host", Description: "new text", DeletionProtection: "true", Password: "******" });
    expect(JSON.stringify(await t.admin.instances())).not.toContain(PASSWORD);
  });

  it("refuses malformed values with the documented codes and changes nothing", async () => {
    const [id] = await run({ instanceName: "keep", hostName: "keep-host" });
    await expectError(modify({ instanceId: id, hostName: "bad_host" }), "InvalidHostName.Malformed", 400, 'The specified parameter "HostName" is not valid.');
    await expectError(modify({ instanceId: id, instanceName: "x" }), "InvalidInstanceName.Malformed", 400, 'The specified parameter "InstanceName" is not valid.');
    await expectError(modify({ instanceId: id, password: "weak" }), "InvalidPassword.Malformed", 400, 'The specified parameter "Password" is not valid.');
    await expectError(modify({ instanceId: id, instanceName: "new-name", description: "h" }), "InvalidDescription.Malformed", 400, 'The specified parameter "Description" is not valid.');
    expect(await describe1(id)).toMatchObject({ instanceName: "keep", hostName: "keep-host" });
  });
});
