// ECS conformance: every action through the real @alicloud/ecs20140526 client, under both signature methods,
// with virtual time driven by the admin API (alicloud-apis.md §1).
import * as Ecs from "@alicloud/ecs20140526";
import { useEmulator } from "../support/emulator";
import { beforeEach, describe, expect, it } from "vitest";
import { ecsBackend } from "../../emulator/ecs";
import { defaultSecurityGroupId, defaultVSwitchId } from "../support/network";
import { ecsClient, sdkError, SignatureMode } from "../support/sdk";

const REGION = "cn-hangzhou";
const OTHER_REGION = "cn-shanghai";
const POSTPAID_EXPIRED = "2099-12-31T15:59Z";
const MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/;

// Frozen: virtual time moves only when a test advances it, so durations are exact.
const t = useEmulator({ frozenClock: true });

beforeEach(async () => {
  await t.admin.reset();
});

/** Asserts the SDK error: code, HTTP status and the documented message, as the SDK formats it (§4.5). */
async function expectError(p: Promise<unknown>, code: string, status: number, message: string): Promise<void> {
  const e = await sdkError(p);
  expect({ code: e.code, statusCode: e.statusCode }).toEqual({ code, statusCode: status });
  expect(e.message).toBe(`${code}: code: ${status}, ${message} request id: ${e.requestId}`);
}

const missingMsg = (p: string) => `The input parameter "${p}" that is mandatory for processing this request is not supplied.`;
const invalidMsg = (p: string) => `The specified parameter ${p} is not valid.`;
const MSG = {
  notFound: "The specified InstanceId does not exist.",
  status: "The current status of the resource does not support this operation.",
  initializing: "The specified instance status does not support this operation.",
  chargeType: "The operation is not permitted due to charge type of the instance.",
  arrears: "The specified operation is denied as your prepay instance is expired (prepay mode) or in arrears (afterpay mode).",
  security: "The specified operation is denied as your instance is locked for security reasons.",
  dryRun: "Request validation has been passed with DryRun flag set.",
  dryRunSuccess: "This request is a dryrun request with successful result.",
  dpOnlyPostPaid: "DeletionProtection is only supported for pay-as-you-go instances.",
};

describe.each(["acs3", "v1"] as const)("ECS with %s signatures", (signature: SignatureMode) => {
  const client = () => ecsClient(t.emu.url, { signature });

  async function run(extra: Partial<Ecs.RunInstancesRequest> = {}): Promise<string[]> {
    // The region's default network, in the zone asked for.
    const region = extra.regionId ?? REGION;
    const network = { vSwitchId: defaultVSwitchId(extra.zoneId ?? `${region}-b`), securityGroupId: defaultSecurityGroupId(region) };
    const res = await client().runInstances(
      new Ecs.RunInstancesRequest({ regionId: REGION, imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", ...network, ...extra }),
    );
    return res.body!.instanceIdSets!.instanceIdSet!;
  }

  /** Instances created and advanced to Running. */
  async function running(extra: Partial<Ecs.RunInstancesRequest> = {}): Promise<string[]> {
    const ids = await run(extra);
    await t.admin.advance(25);
    return ids;
  }

  async function stopped(extra: Partial<Ecs.RunInstancesRequest> = {}): Promise<string> {
    const [id] = await running(extra);
    await client().stopInstance(new Ecs.StopInstanceRequest({ instanceId: id, forceStop: true }));
    await t.admin.advance(3);
    return id;
  }

  async function describe1(id: string, regionId = REGION): Promise<Ecs.DescribeInstancesResponseBodyInstancesInstance | undefined> {
    const res = await client().describeInstances(new Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([id]) }));
    return res.body!.instances!.instance![0];
  }

  const statusOf = async (id: string) => (await describe1(id))?.status;

  const deleteInstance = (id: string, o: Partial<Ecs.DeleteInstanceRequest> = {}) =>
    client().deleteInstance(new Ecs.DeleteInstanceRequest({ instanceId: id, ...o }));

  const deleteInstances = (ids: string[], o: Partial<Ecs.DeleteInstancesRequest> = {}) =>
    client().deleteInstances(new Ecs.DeleteInstancesRequest({ regionId: REGION, instanceId: ids, ...o }));

  const stopInstances = (ids: string[], o: Partial<Ecs.StopInstancesRequest> = {}) =>
    client().stopInstances(new Ecs.StopInstancesRequest({ regionId: REGION, instanceId: ids, ...o }));

  const chargeType = (ids: string[], o: Partial<Ecs.ModifyInstanceChargeTypeRequest> = {}) =>
    client().modifyInstanceChargeType(new Ecs.ModifyInstanceChargeTypeRequest({ regionId: REGION, instanceIds: JSON.stringify(ids), ...o }));

  // ---- RunInstances ---------------------------------------------------------------------------------

  describe("RunInstances", () => {
    it("creates Pending instances that become Starting after ecs.pending and Running after ecs.starting", async () => {
      const res = await client().runInstances(
        new Ecs.RunInstancesRequest({
          regionId: REGION, imageId: "img-1", instanceType: "ecs.g7.large", vSwitchId: "vsw-default-cn-hangzhou-b", securityGroupId: "sg-default-cn-hangzhou",
          amount: 2, instanceName: "web", description: "front end", tag: [new Ecs.RunInstancesRequestTag({ key: "env", value: "test" })],
        }),
      );
      const ids = res.body!.instanceIdSets!.instanceIdSet!;
      expect(ids).toHaveLength(2);
      for (const id of ids) expect(id).toMatch(/^i-bp1[a-z0-9]{17}$/);
      expect(res.body!.orderId).toBeUndefined();
      expect(typeof res.body!.tradePrice).toBe("number");

      const first = (await describe1(ids[0]))!;
      expect(first).toMatchObject({
        instanceId: ids[0], instanceName: "web", description: "front end", regionId: REGION, zoneId: `${REGION}-b`, status: "Pending",
        instanceType: "ecs.g7.large", imageId: "img-1", instanceChargeType: "PostPaid", expiredTime: POSTPAID_EXPIRED, startTime: "",
        deletionProtection: false, stoppedMode: "Not-applicable", recyclable: false, spotStrategy: "NoSpot", internetChargeType: "PayByTraffic",
        vpcAttributes: { vpcId: "vpc-default-cn-hangzhou", vSwitchId: "vsw-default-cn-hangzhou-b" },
        securityGroupIds: { securityGroupId: ["sg-default-cn-hangzhou"] },
        tags: { tag: [{ tagKey: "env", tagValue: "test" }] },
        operationLocks: { lockReason: [] },
      });
      expect(first.creationTime).toMatch(MINUTE);

      await t.admin.advance(9);
      expect(await statusOf(ids[0])).toBe("Pending");
      await t.admin.advance(1);
      expect(await statusOf(ids[0])).toBe("Starting");
      await t.admin.advance(14);
      expect(await statusOf(ids[1])).toBe("Starting");
      await t.admin.advance(1);
      const now = await describe1(ids[1]);
      expect(now!.status).toBe("Running");
      expect(now!.startTime).toMatch(MINUTE);
    });

    it("answers MissingParameter for each required parameter", async () => {
      const full = { regionId: REGION, imageId: "img", instanceType: "ecs.t", vSwitchId: "vsw-default-cn-hangzhou-b", securityGroupId: "sg-default-cn-hangzhou" };
      for (const [field, param] of [["regionId", "RegionId"], ["imageId", "ImageId"], ["instanceType", "InstanceType"], ["vSwitchId", "VSwitchId"], ["securityGroupId", "SecurityGroupId"]] as const) {
        const req = new Ecs.RunInstancesRequest({ ...full, [field]: undefined });
        await expectError(client().runInstances(req), "MissingParameter", 400, missingMsg(param));
      }
      expect(await t.admin.instances("ecs")).toHaveLength(0);
    });

    it("validates Amount, MinAmount, charge type, Period and DeletionProtection", async () => {
      await expectError(run({ amount: 0 }), "InvalidParameter", 400, invalidMsg("Amount"));
      await expectError(run({ amount: 101 }), "InvalidParameter", 400, invalidMsg("Amount"));
      await expectError(run({ amount: 2, minAmount: 3 }), "InvalidMinAmount.Malformed", 400, "The specified parameter MinAmount is not valid.");
      await expectError(run({ instanceChargeType: "Spot" }), "InvalidInstanceChargeType.NotFound", 404, "The InstanceChargeType does not exist in our records");
      await expectError(run({ instanceChargeType: "PrePaid" }), "MissingParameter", 400, missingMsg("Period"));
      await expectError(run({ instanceChargeType: "PrePaid", period: 10 }), "InvalidPeriod", 400, "The specified period is not valid.");
      await expectError(run({ instanceChargeType: "PrePaid", period: 5, periodUnit: "Week" }), "InvalidPeriod", 400, "The specified period is not valid.");
      await expectError(run({ instanceChargeType: "PrePaid", period: 1, deletionProtection: true }), "InvalidParameter", 400, MSG.dpOnlyPostPaid);
      expect(await t.admin.instances("ecs")).toHaveLength(0);
      expect(await run({ amount: 100, minAmount: 1 })).toHaveLength(100);
    });

    it("answers DryRunOperation for a valid dry run and creates nothing", async () => {
      await expectError(run({ dryRun: true }), "DryRunOperation", 400, MSG.dryRun);
      expect(await t.admin.instances("ecs")).toHaveLength(0);
    });

    it("creates subscriptions with an OrderId and an ExpiredTime Period months (or weeks) ahead", async () => {
      const before = Date.parse((await t.admin.health()).time);
      const res = await client().runInstances(
        new Ecs.RunInstancesRequest({ regionId: REGION, imageId: "img", instanceType: "ecs.t", vSwitchId: "vsw-default-cn-hangzhou-b", securityGroupId: "sg-default-cn-hangzhou", instanceChargeType: "PrePaid", period: 2 }),
      );
      expect(res.body!.orderId).toMatch(/^\d{15}$/);
      const inst = (await describe1(res.body!.instanceIdSets!.instanceIdSet![0]))!;
      expect(inst.instanceChargeType).toBe("PrePaid");
      const expected = new Date(before);
      expected.setUTCMonth(expected.getUTCMonth() + 2);
      expect(Math.abs(Date.parse(inst.expiredTime!) - expected.getTime())).toBeLessThanOrEqual(120_000);
      expect(inst.expiredTime).toMatch(MINUTE);

      const [weekly] = await run({ instanceChargeType: "PrePaid", period: 4, periodUnit: "Week" });
      const w = (await describe1(weekly))!;
      expect(Math.abs(Date.parse(w.expiredTime!) - (before + 28 * 86_400_000))).toBeLessThanOrEqual(120_000);
    });

    it("returns the first answer again for a repeated ClientToken and refuses the token with other parameters", async () => {
      const first = await run({ clientToken: "tok-run-1", amount: 2 });
      const again = await run({ clientToken: "tok-run-1", amount: 2 });
      expect(again).toEqual(first);
      expect(await t.admin.instances("ecs")).toHaveLength(2);
      await expectError(run({ clientToken: "tok-run-1", amount: 3 }), "IdempotentParameterMismatch", 400, "Request uses a client token in a previous request but is not identical to that request.");
      expect(await t.admin.instances("ecs")).toHaveLength(2);
      const log = await t.admin.requests({ action: "RunInstances" });
      expect(log.map((r) => r.params.ClientToken)).toEqual(["tok-run-1", "tok-run-1", "tok-run-1"]);
    });
  });

  // ---- DescribeInstances / DescribeInstanceStatus -----------------------------------------------------

  describe("DescribeInstances", () => {
    const list = async (o: Partial<Ecs.DescribeInstancesRequest>) =>
      (await client().describeInstances(new Ecs.DescribeInstancesRequest({ regionId: REGION, pageSize: 100, ...o }))).body!;

    it("filters by InstanceIds, leaves out unknown ids and returns nothing for an empty array", async () => {
      const ids = await run({ amount: 3 });
      const body = await list({ instanceIds: JSON.stringify([ids[0], ids[2], "i-bp1doesnotexist000"]) });
      expect(body.totalCount).toBe(2);
      expect(body.instances!.instance!.map((i) => i.instanceId)).toEqual([ids[0], ids[2]]);
      expect((await list({ instanceIds: "[]" })).instances!.instance).toEqual([]);
      expect((await list({})).totalCount).toBe(3);
    });

    it("rejects malformed or oversized InstanceIds", async () => {
      await expectError(list({ instanceIds: "i-abc" }), "InvalidInstanceIds.Malformed", 400, "The specified parameter InstanceIds is not valid.");
      const ids101 = Array.from({ length: 101 }, (_, n) => `i-bp1${n}`);
      const e = await sdkError(list({ instanceIds: JSON.stringify(ids101) }));
      expect([e.code, e.statusCode]).toEqual(["InvalidInstanceIds.Malformed", 400]);
      const ids100 = Array.from({ length: 100 }, (_, n) => `i-bp1${n}`);
      expect((await list({ instanceIds: JSON.stringify(ids100) })).totalCount).toBe(0);
    });

    it("never lists instances of another region", async () => {
      const [here] = await run();
      const [there] = await run({ regionId: OTHER_REGION });
      expect((await list({})).instances!.instance!.map((i) => i.instanceId)).toEqual([here]);
      expect(await describe1(there)).toBeUndefined();
      expect((await describe1(there, OTHER_REGION))!.regionId).toBe(OTHER_REGION);
      await expectError(list({ regionId: "cn-nowhere" }), "InvalidRegionId.NotFound", 404, "The specified RegionId does not exist.");
      await expectError(client().describeInstances(new Ecs.DescribeInstancesRequest({})), "MissingParameter", 400, missingMsg("RegionId"));
    });

    it("filters by Status, InstanceChargeType, LockReason, InstanceName wildcard, tag and exact fields", async () => {
      const [a] = await running({ instanceName: "web-1", tag: [new Ecs.RunInstancesRequestTag({ key: "team", value: "blue" })] });
      const [b] = await run({ instanceName: "db-1", instanceChargeType: "PrePaid", period: 1, zoneId: `${REGION}-h` });
      await t.admin.lock(a, "security");
      const ids = async (o: Partial<Ecs.DescribeInstancesRequest>) => (await list(o)).instances!.instance!.map((i) => i.instanceId);
      expect(await ids({ status: "Running" })).toEqual([a]);
      expect(await ids({ status: "Pending" })).toEqual([b]);
      expect(await ids({ status: "Stopped" })).toEqual([]);
      expect(await ids({ instanceChargeType: "PrePaid" })).toEqual([b]);
      expect(await ids({ instanceChargeType: "PostPaid" })).toEqual([a]);
      expect(await ids({ lockReason: "security" })).toEqual([a]);
      expect(await ids({ lockReason: "financial" })).toEqual([]);
      expect(await ids({ instanceName: "web-*" })).toEqual([a]);
      expect(await ids({ instanceName: "*-1" })).toEqual([a, b]);
      expect(await ids({ instanceName: "web" })).toEqual([]);
      expect(await ids({ tag: [new Ecs.DescribeInstancesRequestTag({ key: "team", value: "blue" })] })).toEqual([a]);
      expect(await ids({ tag: [new Ecs.DescribeInstancesRequestTag({ key: "team", value: "red" })] })).toEqual([]);
      expect(await ids({ zoneId: `${REGION}-h` })).toEqual([b]);
      expect(await ids({ vpcId: "vpc-default-cn-hangzhou" })).toEqual([a, b]);
      expect(await ids({ securityGroupId: "sg-other" })).toEqual([]);
    });

    it("rejects unknown Status, InstanceChargeType and LockReason values, and answers a dry run", async () => {
      await expectError(list({ status: "Deleted" }), "InvalidStatus.NotFound", 404, "The specified Status is not found");
      await expectError(list({ instanceChargeType: "Spot" }), "InvalidInstanceChargeType.NotFound", 404, "The InstanceChargeType does not exist in our records");
      await expectError(list({ lockReason: "overdue" }), "InvalidLockReason.NotFound", 404, "The specified LockReason is not found");
      await expectError(list({ dryRun: true }), "DryRunOperation", 400, MSG.dryRun);
    });

    it("pages by PageNumber/PageSize and by NextToken/MaxResults", async () => {
      const created = await run({ amount: 25 });
      const page = async (n: number, size?: number) =>
        (await client().describeInstances(new Ecs.DescribeInstancesRequest({ regionId: REGION, pageNumber: n, pageSize: size }))).body!;
      const p1 = await page(1);
      expect([p1.totalCount, p1.pageNumber, p1.pageSize, p1.instances!.instance!.length]).toEqual([25, 1, 10, 10]);
      const p3 = await page(3);
      expect(p3.instances!.instance!.map((i) => i.instanceId)).toEqual(created.slice(20));
      expect(p3.nextToken).toBe("");
      expect((await page(4)).instances!.instance).toEqual([]);
      expect((await page(1, 100)).instances!.instance!.length).toBe(25);
      await expectError(page(1, 101), "InvalidParameter", 400, invalidMsg("PageSize"));
      await expectError(page(0), "InvalidParameter", 400, invalidMsg("PageNumber"));

      const seen: string[] = [];
      let token: string | undefined;
      let calls = 0;
      do {
        const body = (await client().describeInstances(new Ecs.DescribeInstancesRequest({ regionId: REGION, maxResults: 5, nextToken: token }))).body!;
        // MaxResults below 10 is raised to 10.
        expect(body.instances!.instance!.length).toBe(calls < 2 ? 10 : 5);
        seen.push(...body.instances!.instance!.map((i) => i.instanceId!));
        token = body.nextToken || undefined;
        calls++;
      } while (token);
      expect(calls).toBe(3);
      expect(seen).toEqual(created);
      await expectError(
        client().describeInstances(new Ecs.DescribeInstancesRequest({ regionId: REGION, maxResults: 101 })),
        "InvalidParameter", 400, invalidMsg("MaxResults"),
      );
      await expectError(
        client().describeInstances(new Ecs.DescribeInstancesRequest({ regionId: REGION, nextToken: "not-a-token" })),
        "InvalidParameter", 400, invalidMsg("NextToken"),
      );
    });
  });

  describe("DescribeInstanceStatus", () => {
    const statuses = (o: Partial<Ecs.DescribeInstanceStatusRequest>) =>
      client().describeInstanceStatus(new Ecs.DescribeInstanceStatusRequest({ regionId: REGION, ...o }));

    it("lists {InstanceId, Status} by InstanceId.N and ZoneId, paged up to 50", async () => {
      const ids = await run({ amount: 12 });
      const [zoned] = await run({ zoneId: `${REGION}-k` });
      await run({ regionId: OTHER_REGION });
      const all = (await statuses({})).body!;
      expect([all.totalCount, all.pageNumber, all.pageSize, all.instanceStatuses!.instanceStatus!.length]).toEqual([13, 1, 10, 10]);
      expect(all.instanceStatuses!.instanceStatus![0]).toEqual(expect.objectContaining({ instanceId: ids[0], status: "Pending" }));
      const two = (await statuses({ instanceId: [ids[3], ids[5]] })).body!;
      expect(two.instanceStatuses!.instanceStatus!.map((s) => s.instanceId)).toEqual([ids[3], ids[5]]);
      expect((await statuses({ zoneId: `${REGION}-k` })).body!.instanceStatuses!.instanceStatus!.map((s) => s.instanceId)).toEqual([zoned]);
      expect((await statuses({ pageNumber: 2, pageSize: 5 })).body!.instanceStatuses!.instanceStatus!.map((s) => s.instanceId)).toEqual(ids.slice(5, 10));
      expect((await statuses({ pageSize: 50 })).body!.instanceStatuses!.instanceStatus!.length).toBe(13);
      await expectError(statuses({ pageSize: 51 }), "InvalidParameter", 400, invalidMsg("PageSize"));
      await expectError(statuses({ pageNumber: 0 }), "InvalidParameter", 400, invalidMsg("PageNumber"));
      const ids101 = Array.from({ length: 101 }, (_, n) => `i-bp1${n}`);
      await expectError(statuses({ instanceId: ids101 }), "InvalidParameter", 400, invalidMsg("InstanceId.101"));
      await expectError(client().describeInstanceStatus(new Ecs.DescribeInstanceStatusRequest({})), "MissingParameter", 400, missingMsg("RegionId"));
    });
  });

  // ---- StartInstance / StopInstance / StopInstances ---------------------------------------------------

  describe("StartInstance", () => {
    const startI = (id: string, o: Partial<Ecs.StartInstanceRequest> = {}) => client().startInstance(new Ecs.StartInstanceRequest({ instanceId: id, ...o }));

    it("starts a Stopped instance: Starting, then Running after ecs.starting", async () => {
      const id = await stopped();
      await expectError(startI(id, { dryRun: true }), "DryRunOperation", 400, MSG.dryRun);
      expect(await statusOf(id)).toBe("Stopped");
      await startI(id);
      expect(await statusOf(id)).toBe("Starting");
      await t.admin.advance(14);
      expect(await statusOf(id)).toBe("Starting");
      await t.admin.advance(1);
      expect(await statusOf(id)).toBe("Running");
    });

    it("refuses other states, unknown ids, security locks and expired subscriptions", async () => {
      const [pending] = await run();
      await expectError(startI(pending), "IncorrectInstanceStatus", 403, MSG.status);
      await t.admin.advance(25);
      await expectError(startI(pending), "IncorrectInstanceStatus", 403, MSG.status);
      await expectError(startI("i-bp1doesnotexist000"), "InvalidInstanceId.NotFound", 404, MSG.notFound);

      const locked = await stopped();
      await t.admin.lock(locked, "security");
      await expectError(startI(locked), "InstanceLockedForSecurity", 403, MSG.security);

      const [sub] = await running({ instanceChargeType: "PrePaid", period: 1 });
      await t.admin.expire(sub);
      await expectError(startI(sub), "InstanceExpiredOrInArrears", 403, MSG.arrears);
    });
  });

  describe("StopInstance", () => {
    const stopI = (id: string, o: Partial<Ecs.StopInstanceRequest> = {}) => client().stopInstance(new Ecs.StopInstanceRequest({ instanceId: id, ...o }));

    it("stops gracefully in ecs.stopping and forcibly in ecs.forceStopping", async () => {
      const [graceful, forced] = await running({ amount: 2 });
      await stopI(graceful);
      await stopI(forced, { forceStop: true, confirmStop: true });
      expect(await statusOf(graceful)).toBe("Stopping");
      expect(await statusOf(forced)).toBe("Stopping");
      await t.admin.advance(3);
      expect(await statusOf(forced)).toBe("Stopped");
      expect(await statusOf(graceful)).toBe("Stopping");
      await t.admin.advance(16);
      expect(await statusOf(graceful)).toBe("Stopping");
      await t.admin.advance(1);
      expect(await statusOf(graceful)).toBe("Stopped");
    });

    it("escalates a graceful stop in progress when ForceStop=true comes, and ignores a second graceful stop", async () => {
      const [id, other] = await running({ amount: 2 });
      await stopI(id);
      await stopI(other);
      await t.admin.advance(5);
      await stopI(other); // graceful again: success, nothing changes
      await stopI(id, { forceStop: true });
      expect((await t.admin.instance(id))!.pending).toEqual([expect.objectContaining({ transition: "stop" })]);
      await t.admin.advance(3);
      expect(await statusOf(id)).toBe("Stopped");
      expect(await statusOf(other)).toBe("Stopping");
      await t.admin.advance(11);
      expect(await statusOf(other)).toBe("Stopping");
      await t.admin.advance(1);
      expect(await statusOf(other)).toBe("Stopped");
    });

    it("records StoppedMode: StopCharging only for pay-as-you-go", async () => {
      const [postpaid] = await running();
      const [prepaid] = await running({ instanceChargeType: "PrePaid", period: 1 });
      const [plain] = await running();
      await stopI(postpaid, { stoppedMode: "StopCharging", forceStop: true });
      await stopI(prepaid, { stoppedMode: "StopCharging", forceStop: true });
      await stopI(plain, { forceStop: true });
      await t.admin.advance(3);
      expect((await describe1(postpaid))!.stoppedMode).toBe("StopCharging");
      expect((await describe1(prepaid))!.stoppedMode).toBe("KeepCharging");
      expect((await describe1(plain))!.stoppedMode).toBe("KeepCharging");
      await expectError(stopI(plain, { stoppedMode: "Hibernate" }), "InvalidParameter", 400, invalidMsg("StoppedMode"));
    });

    it("refuses Pending (Initializing), Starting and Stopped instances, unknown ids and expired subscriptions; allows security locks", async () => {
      const [id] = await run();
      await expectError(stopI(id), "IncorrectInstanceStatus.Initializing", 403, MSG.initializing);
      await t.admin.advance(10);
      await expectError(stopI(id), "IncorrectInstanceStatus", 403, MSG.status);
      await t.admin.advance(15);
      await expectError(stopI(id, { dryRun: true }), "DryRunOperation", 400, MSG.dryRun);
      expect(await statusOf(id)).toBe("Running");
      await t.admin.lock(id, "security");
      await stopI(id, { forceStop: true });
      await t.admin.advance(3);
      await expectError(stopI(id), "IncorrectInstanceStatus", 403, MSG.status);
      await expectError(stopI("i-bp1doesnotexist000"), "InvalidInstanceId.NotFound", 404, MSG.notFound);

      const [sub] = await running({ instanceChargeType: "PrePaid", period: 1 });
      await t.admin.expire(sub);
      await expectError(stopI(sub), "InstanceExpiredOrInArrears", 403, MSG.arrears);
    });
  });

  describe("StopInstances", () => {
    it("stops every instance and reports each one's previous and current status", async () => {
      const ids = await running({ amount: 2 });
      const res = await stopInstances(ids, { forceStop: true });
      expect(res.body!.instanceResponses!.instanceResponse!.map((r) => ({ ...r }))).toEqual(
        ids.map((id) => ({ instanceId: id, code: "200", message: "success", previousStatus: "Running", currentStatus: "Stopping" })),
      );
      await t.admin.advance(3);
      expect(await statusOf(ids[1])).toBe("Stopped");
    });

    it("AllTogether fails the whole batch with the first failure and changes nothing", async () => {
      const [runningId] = await running();
      const [pendingId] = await run();
      await expectError(stopInstances([runningId, pendingId]), "IncorrectInstanceStatus.Initializing", 403, MSG.initializing);
      await expectError(stopInstances([runningId, "i-bp1doesnotexist000"], { batchOptimization: "AllTogether" }), "InvalidInstanceId.NotFound", 404, MSG.notFound);
      expect(await statusOf(runningId)).toBe("Running");
      const [elsewhere] = await running({ regionId: OTHER_REGION });
      await expectError(stopInstances([elsewhere]), "InvalidInstanceId.NotFound", 404, MSG.notFound);
    });

    it("SuccessFirst stops what it can and reports each failure", async () => {
      const [runningId] = await running();
      const [pendingId] = await run();
      const res = await stopInstances([runningId, pendingId, "i-bp1doesnotexist000"], { batchOptimization: "SuccessFirst" });
      expect(res.body!.instanceResponses!.instanceResponse!.map((r) => [r.instanceId, r.code, r.message, r.previousStatus, r.currentStatus])).toEqual([
        [runningId, "200", "success", "Running", "Stopping"],
        [pendingId, "IncorrectInstanceStatus.Initializing", MSG.initializing, "Pending", "Pending"],
        ["i-bp1doesnotexist000", "InvalidInstanceId.NotFound", MSG.notFound, "", ""],
      ]);
    });

    it("answers DRYRUN.SUCCESS for a dry run and enforces 1..100 ids and RegionId", async () => {
      const ids = await running();
      await expectError(stopInstances(ids, { dryRun: true, batchOptimization: "SuccessFirst" }), "DRYRUN.SUCCESS", 400, MSG.dryRunSuccess);
      expect(await statusOf(ids[0])).toBe("Running");
      await expectError(stopInstances([]), "MissingParameter", 400, missingMsg("InstanceId.N"));
      const unknown100 = Array.from({ length: 100 }, (_, n) => `i-bp1unknown${n}`);
      const res = await stopInstances(unknown100, { batchOptimization: "SuccessFirst" });
      expect(res.body!.instanceResponses!.instanceResponse!.every((r) => r.code === "InvalidInstanceId.NotFound")).toBe(true);
      expect(res.body!.instanceResponses!.instanceResponse).toHaveLength(100);
      await expectError(stopInstances([...unknown100, "i-bp1one-more"]), "InvalidParameter", 400, invalidMsg("InstanceId.101"));
      await expectError(stopInstances(ids, { regionId: undefined }), "MissingParameter", 400, missingMsg("RegionId"));
      await expectError(stopInstances(ids, { batchOptimization: "Whatever" }), "InvalidParameter", 400, invalidMsg("BatchOptimization"));
    });
  });

  // ---- DeleteInstance ---------------------------------------------------------------------------------

  describe("DeleteInstance", () => {
    it("releases a Stopped instance: still listed with its status for ecs.release, then gone", async () => {
      const id = await stopped();
      await deleteInstance(id);
      expect(await statusOf(id)).toBe("Stopped");
      expect((await t.admin.instance(id))!.releasing).toBe(true);
      await deleteInstance(id); // already releasing: accepted again, nothing changes
      expect((await t.admin.instance(id))!.pending.map((x) => x.transition)).toEqual(["release"]);
      await t.admin.advance(9);
      expect(await statusOf(id)).toBe("Stopped");
      await t.admin.advance(1);
      expect(await describe1(id)).toBeUndefined();
      await expectError(deleteInstance(id), "InvalidInstanceId.NotFound", 404, MSG.notFound);
      const log = await t.admin.requests({ action: "DeleteInstance" });
      expect(log.map((r) => [r.status, r.params.RegionId])).toEqual([[200, undefined], [200, undefined], [404, undefined]]);
    });

    it("needs Force=true for Running, Starting and Stopping instances and refuses Pending ones", async () => {
      const [id] = await run();
      await expectError(deleteInstance(id, { force: true }), "IncorrectInstanceStatus.Initializing", 403, MSG.initializing);
      await t.admin.advance(10);
      await expectError(deleteInstance(id), "IncorrectInstanceStatus", 403, MSG.status);
      await t.admin.advance(15);
      await expectError(deleteInstance(id), "IncorrectInstanceStatus", 403, MSG.status);
      await client().stopInstance(new Ecs.StopInstanceRequest({ instanceId: id, forceStop: true }));
      await expectError(deleteInstance(id), "IncorrectInstanceStatus", 403, MSG.status);
      await deleteInstance(id, { force: true });
      await deleteInstance(id); // already releasing: no status check any more
      // The release supersedes the stop (due in 3 s): the instance keeps its status until it is gone.
      expect((await t.admin.instance(id))!.pending.map((x) => x.transition)).toEqual(["release"]);
      await t.admin.advance(9);
      expect(await statusOf(id)).toBe("Stopping");
      await t.admin.advance(1);
      expect(await describe1(id)).toBeUndefined();

      const [starting] = await run();
      await t.admin.advance(10);
      await deleteInstance(starting, { force: true });
      await t.admin.advance(10);
      expect(await describe1(starting)).toBeUndefined();
    });

    it("Force=true with ForceStop=false shuts a Running instance down gracefully first (ecs.gracefulRelease)", async () => {
      const [graceful, forced] = await running({ amount: 2 });
      await deleteInstance(graceful, { force: true, forceStop: false });
      await deleteInstance(forced, { force: true });
      expect(await statusOf(graceful)).toBe("Stopping");
      expect(await statusOf(forced)).toBe("Running");
      await t.admin.advance(10);
      expect(await describe1(forced)).toBeUndefined();
      await t.admin.advance(49);
      expect(await statusOf(graceful)).toBe("Stopping");
      await t.admin.advance(1);
      expect(await describe1(graceful)).toBeUndefined();
    });

    it("checks id shape, existence and DryRun before anything else", async () => {
      await expectError(deleteInstance("bogus"), "InvalidParameter", 400, "The input parameter InstanceId is invalid.");
      await expectError(deleteInstance("i-bp1doesnotexist000"), "InvalidInstanceId.NotFound", 404, MSG.notFound);
      const [id] = await run();
      await expectError(deleteInstance(id, { dryRun: true }), "DryRunOperation", 400, MSG.dryRun);
      await expectError(client().deleteInstance(new Ecs.DeleteInstanceRequest({})), "MissingParameter", 400, missingMsg("InstanceId"));
    });

    it("refuses protected instances and unexpired subscriptions; TerminateSubscription releases an expired one", async () => {
      const [protectedId] = await running({ deletionProtection: true });
      await expectError(
        deleteInstance(protectedId, { force: true }),
        "InvalidOperation.DeletionProtection", 403, `The operation is not allowed due to "${protectedId}" is protected by deletion protection.`,
      );
      await client().modifyInstanceAttribute(new Ecs.ModifyInstanceAttributeRequest({ instanceId: protectedId, deletionProtection: false }));
      await deleteInstance(protectedId, { force: true });

      const [sub] = await running({ instanceChargeType: "PrePaid", period: 1 });
      await expectError(deleteInstance(sub, { force: true }), "ChargeTypeViolation", 403, MSG.chargeType);
      await expectError(deleteInstance(sub, { force: true, terminateSubscription: true }), "ChargeTypeViolation", 403, MSG.chargeType);
      await t.admin.expire(sub);
      await expectError(deleteInstance(sub), "ChargeTypeViolation", 403, MSG.chargeType);
      await deleteInstance(sub, { terminateSubscription: true });
      await t.admin.advance(10);
      expect(await describe1(sub)).toBeUndefined();
    });

    it("answers the admin dependency block until it clears", async () => {
      const [a, b] = await running({ amount: 2 });
      await t.admin.dependency(a, "DependencyViolation.RouteEntry", 30);
      await t.admin.dependency(b, "DependencyViolation.SLBConfiguring", 30);
      await expectError(deleteInstance(a, { force: true }), "DependencyViolation.RouteEntry", 400, "Specified instance is used by route entry.");
      await expectError(deleteInstance(b, { force: true }), "DependencyViolation.SLBConfiguring", 400, "Specified operation is denied as your instance is using by another product.");
      await t.admin.advance(29);
      await expectError(deleteInstance(a, { force: true }), "DependencyViolation.RouteEntry", 400, "Specified instance is used by route entry.");
      await t.admin.advance(1);
      await deleteInstance(a, { force: true });
      await deleteInstance(b, { force: true });
      expect((await t.admin.instance(a))!.releasing).toBe(true);
    });

    it("releases a security-locked instance together with its disks", async () => {
      const [locked, plain] = await running({ amount: 2 });
      await t.admin.lock(locked, "security");
      await deleteInstance(locked, { force: true });
      await deleteInstance(plain, { force: true });
      expect((await t.admin.instance(locked))!.disksReleasedWithInstance).toBe(true);
      expect((await t.admin.instance(plain))!.disksReleasedWithInstance).toBe(false);
    });

    it("finds an instance of any region without a RegionId", async () => {
      const id = await stopped({ regionId: OTHER_REGION });
      expect(id).toMatch(/^i-bp1/);
      expect(await describe1(id)).toBeUndefined();
      await deleteInstance(id);
      expect((await describe1(id, OTHER_REGION))!.status).toBe("Stopped");
      await t.admin.advance(10);
      expect(await describe1(id, OTHER_REGION)).toBeUndefined();
    });
  });

  // ---- DeleteInstances --------------------------------------------------------------------------------

  describe("DeleteInstances", () => {
    it("releases every instance, or none when one of them may not be released", async () => {
      const [a, b] = await running({ amount: 2 });
      const stoppedId = await stopped();
      await expectError(deleteInstances([stoppedId, a]), "IncorrectInstanceStatus", 403, MSG.status);
      await expectError(deleteInstances([stoppedId, "i-bp1doesnotexist000"]), "InvalidInstanceId.NotFound", 404, MSG.notFound);
      const [elsewhere] = await run({ regionId: OTHER_REGION });
      await expectError(deleteInstances([stoppedId, elsewhere], { force: true }), "InvalidInstanceId.NotFound", 404, MSG.notFound);
      for (const id of [a, b, stoppedId]) expect((await t.admin.instance(id))!.releasing).toBe(false);

      await deleteInstances([a, b, stoppedId], { force: true });
      expect(await statusOf(a)).toBe("Running");
      await t.admin.advance(10);
      for (const id of [a, b, stoppedId]) expect(await describe1(id)).toBeUndefined();
    });

    it("applies the DeleteInstance rules: protection, subscriptions, Pending, dependency blocks", async () => {
      const [prot] = await running({ deletionProtection: true });
      await expectError(deleteInstances([prot], { force: true }), "InvalidOperation.DeletionProtection", 403, `The operation is not allowed due to "${prot}" is protected by deletion protection.`);
      const [sub] = await running({ instanceChargeType: "PrePaid", period: 1 });
      await expectError(deleteInstances([sub], { force: true }), "ChargeTypeViolation", 403, MSG.chargeType);
      await t.admin.expire(sub);
      await deleteInstances([sub], { terminateSubscription: true });
      const [pending] = await run();
      await expectError(deleteInstances([pending], { force: true }), "IncorrectInstanceStatus.Initializing", 403, MSG.initializing);
      await t.admin.advance(25);
      await t.admin.dependency(pending, "DependencyViolation.RouteEntry", 5);
      await expectError(deleteInstances([pending], { force: true }), "DependencyViolation.RouteEntry", 400, "Specified instance is used by route entry.");
      await t.admin.advance(5);
      await deleteInstances([pending], { force: true });
    });

    it("treats a repeated ClientToken as the same request and refuses it with other parameters", async () => {
      const [a, b] = await running({ amount: 2 });
      await deleteInstances([a], { force: true, clientToken: "tok-del-1" });
      await t.admin.advance(10);
      expect(await describe1(a)).toBeUndefined();
      // Re-evaluating would answer NotFound; the token returns the first answer instead.
      await deleteInstances([a], { force: true, clientToken: "tok-del-1" });
      await expectError(deleteInstances([b], { force: true, clientToken: "tok-del-1" }), "IdempotentParameterMismatch", 400, "Request uses a client token in a previous request but is not identical to that request.");
      expect((await t.admin.instance(b))!.releasing).toBe(false);
      await expectError(deleteInstances([a], { force: true }), "InvalidInstanceId.NotFound", 404, MSG.notFound);
    });

    it("answers DRYRUN.SUCCESS for a dry run and enforces RegionId and 1..100 ids", async () => {
      const ids = await running();
      await expectError(deleteInstances(ids, { dryRun: true, force: true }), "DRYRUN.SUCCESS", 400, MSG.dryRunSuccess);
      expect((await t.admin.instance(ids[0]))!.releasing).toBe(false);
      await expectError(deleteInstances(ids, { regionId: undefined }), "MissingParameter", 400, missingMsg("RegionId"));
      await expectError(deleteInstances([]), "MissingParameter", 400, missingMsg("InstanceId.N"));
      const many = Array.from({ length: 101 }, (_, n) => `i-bp1many${n}`);
      await expectError(deleteInstances(many), "InvalidParameter", 400, invalidMsg("InstanceId.101"));
      const hundred = await run({ amount: 100 });
      await t.admin.advance(25);
      await deleteInstances(hundred, { force: true });
      await t.admin.advance(10);
      expect(await t.admin.instances("ecs")).toHaveLength(1);
    });
  });

  // ---- ModifyInstanceAttribute / ModifyInstanceChargeType ----------------------------------------------

  describe("ModifyInstanceAttribute", () => {
    it("changes name, description and release protection; never keeps a password", async () => {
      const [id] = await running();
      await client().modifyInstanceAttribute(
        new Ecs.ModifyInstanceAttributeRequest({ instanceId: id, instanceName: "renamed", description: "new text", deletionProtection: true, password: "Sup3r-s3cret!" }),
      );
      expect(await describe1(id)).toMatchObject({ instanceName: "renamed", description: "new text", deletionProtection: true });
      expect(JSON.stringify(await t.admin.instance(id))).not.toContain("Sup3r-s3cret!");
      const [entry] = await t.admin.requests({ action: "ModifyInstanceAttribute" });
      expect(entry.params.Password).toBe("******");
    });

    it("refuses release protection on subscriptions and unknown ids", async () => {
      const [sub] = await run({ instanceChargeType: "PrePaid", period: 1 });
      const modify = (o: Partial<Ecs.ModifyInstanceAttributeRequest>) => client().modifyInstanceAttribute(new Ecs.ModifyInstanceAttributeRequest(o));
      await expectError(modify({ instanceId: sub, deletionProtection: true }), "InvalidParameter", 400, MSG.dpOnlyPostPaid);
      await modify({ instanceId: sub, deletionProtection: false, instanceName: "sub" });
      expect((await describe1(sub))!.instanceName).toBe("sub");
      await expectError(modify({ instanceId: "i-bp1doesnotexist000", instanceName: "x" }), "InvalidInstanceId.NotFound", 404, MSG.notFound);
    });
  });

  describe("ModifyInstanceChargeType", () => {
    it("converts a subscription to pay-as-you-go, after which it can be force-deleted (the Terraform path)", async () => {
      const [sub] = await running({ instanceChargeType: "PrePaid", period: 1 });
      const res = await chargeType([sub], { instanceChargeType: "PostPaid", autoPay: true, isDetailFee: true });
      expect(res.body!.orderId).toMatch(/^\d{15}$/);
      expect(res.body!.feeOfInstances!.feeOfInstance!.map((f) => f.instanceId)).toEqual([sub]);
      expect(await describe1(sub)).toMatchObject({ instanceChargeType: "PostPaid", expiredTime: POSTPAID_EXPIRED });
      await deleteInstance(sub, { force: true });
      await t.admin.advance(10);
      expect(await describe1(sub)).toBeUndefined();
    });

    it("converts pay-as-you-go to a subscription of Period months", async () => {
      const [id] = await running();
      const before = Date.parse((await t.admin.health()).time);
      await chargeType([id], { period: 3 });
      const inst = (await describe1(id))!;
      expect(inst.instanceChargeType).toBe("PrePaid");
      const expected = new Date(before);
      expected.setUTCMonth(expected.getUTCMonth() + 3);
      expect(Math.abs(Date.parse(inst.expiredTime!) - expected.getTime())).toBeLessThanOrEqual(120_000);
      await expectError(chargeType([id], { period: 3, periodUnit: "Week" }), "InvalidParameter", 400, invalidMsg("PeriodUnit"));
    });

    it("refuses the current charge type, expired subscriptions, transitional states and bad InstanceIds", async () => {
      const [post] = await running();
      const [sub] = await running({ instanceChargeType: "PrePaid", period: 1 });
      const notSupported = "The instance charge type is already the specified value.";
      await expectError(chargeType([post], { instanceChargeType: "PostPaid" }), "InvalidInstanceChargeType.ValueNotSupported", 400, notSupported);
      await expectError(chargeType([sub]), "InvalidInstanceChargeType.ValueNotSupported", 400, notSupported);
      await expectError(chargeType([sub, post], { instanceChargeType: "PostPaid" }), "InvalidInstanceChargeType.ValueNotSupported", 400, notSupported);
      expect((await describe1(sub))!.instanceChargeType).toBe("PrePaid");
      await expectError(chargeType([sub], { instanceChargeType: "PostPaid", dryRun: true }), "DryRunOperation", 400, MSG.dryRun);
      await expectError(chargeType(["i-bp1doesnotexist000"], { instanceChargeType: "PostPaid" }), "InvalidInstanceId.NotFound", 404, MSG.notFound);
      const [pending] = await run();
      await expectError(chargeType([pending], { period: 1 }), "InvalidStatus.ValueNotSupported", 400, "The current status of the instance does not support this operation.");
      await t.admin.expire(sub);
      await expectError(chargeType([sub], { instanceChargeType: "PostPaid" }), "ExpiredInstance", 400, "The specified instance has expired.");
      await expectError(chargeType([sub], { instanceChargeType: "Spot" }), "InvalidParameter", 400, invalidMsg("InstanceChargeType"));
      await expectError(
        client().modifyInstanceChargeType(new Ecs.ModifyInstanceChargeTypeRequest({ regionId: REGION, instanceIds: "i-1,i-2" })),
        "InvalidParameter.InstanceIds", 400, "The specified InstanceIds are invalid.",
      );
      const ids21 = Array.from({ length: 21 }, (_, n) => `i-bp1x${n}`);
      await expectError(chargeType(ids21), "InstancesIdQuotaExceed", 400, "The maximum number of Instances is exceeded.");
      await expectError(chargeType([post], { period: 11 }), "InvalidPeriod", 400, "The specified period is not valid.");
    });

    it("returns the same order for a repeated ClientToken", async () => {
      const [sub] = await running({ instanceChargeType: "PrePaid", period: 1 });
      const first = await chargeType([sub], { instanceChargeType: "PostPaid", clientToken: "tok-ct-1" });
      const again = await chargeType([sub], { instanceChargeType: "PostPaid", clientToken: "tok-ct-1" });
      expect(again.body!.orderId).toBe(first.body!.orderId);
      await expectError(chargeType([sub], { instanceChargeType: "PostPaid" }), "InvalidInstanceChargeType.ValueNotSupported", 400, "The instance charge type is already the specified value.");
    });
  });

  // ---- admin hooks ------------------------------------------------------------------------------------

  describe("expiry and locks", () => {
    it("expire: a Running subscription is Stopped at once, with a financial lock and KeepCharging", async () => {
      const [sub] = await run({ instanceChargeType: "PrePaid", period: 1 });
      await t.admin.advance(10);
      expect(await statusOf(sub)).toBe("Starting");
      const view = await t.admin.expire(sub);
      expect(view.pending).toEqual([]);
      const inst = (await describe1(sub))!;
      expect(inst).toMatchObject({ status: "Stopped", stoppedMode: "KeepCharging", operationLocks: { lockReason: [{ lockReason: "financial", lockMsg: "The instance has expired." }] } });
      expect(Date.parse(inst.expiredTime!)).toBeLessThanOrEqual(Date.parse((await t.admin.health()).time));
      await t.admin.advance(60);
      expect(await statusOf(sub)).toBe("Stopped");
      const listed = await client().describeInstances(new Ecs.DescribeInstancesRequest({ regionId: REGION, lockReason: "financial" }));
      expect(listed.body!.instances!.instance!.map((i) => i.instanceId)).toEqual([sub]);
    });

    it("a subscription expires by itself at its ExpiredTime", async () => {
      const [sub] = await running({ instanceChargeType: "PrePaid", period: 1, periodUnit: "Week" });
      await t.admin.advance(7 * 86_400 - 60);
      expect(await statusOf(sub)).toBe("Running");
      await t.admin.advance(60);
      expect(await describe1(sub)).toMatchObject({ status: "Stopped", operationLocks: { lockReason: [{ lockReason: "financial" }] } });
    });

    it("lock: adds a documented reason once and refuses unknown reasons", async () => {
      const [id] = await run();
      await t.admin.lock(id, "Recycling");
      await t.admin.lock(id, "Recycling");
      expect((await describe1(id))!.operationLocks!.lockReason!.map((l) => l.lockReason)).toEqual(["Recycling"]);
      await expect(t.admin.lock(id, "overdue")).rejects.toThrow(/409 unknown ECS lock reason "overdue"/);
      await expect(t.admin.expire(id)).rejects.toThrow(/409/);
    });
  });
});

// ---- the backend's tables -------------------------------------------------------------------------------

describe("ECS backend tables", () => {
  const backend = ecsBackend();

  it("declares the durations with their defaults", () => {
    expect(Object.fromEntries(Object.entries(backend.durations).map(([k, v]) => [k, v.seconds]))).toEqual({
      "ecs.pending": 10, "ecs.starting": 15, "ecs.stopping": 20, "ecs.forceStopping": 3, "ecs.release": 10, "ecs.gracefulRelease": 60,
    });
    expect(backend.releaseActions).toEqual(["DeleteInstance", "DeleteInstances"]);
  });

  it("lists every documented error code with its status", () => {
    const expected: Record<string, number> = {
      "InvalidInstanceId.NotFound": 404, InvalidParameter: 400, IncorrectInstanceStatus: 403, "IncorrectInstanceStatus.Initializing": 403,
      "InvalidOperation.DeletionProtection": 403, InstanceLockedForSecurity: 403, ChargeTypeViolation: 403, "DependencyViolation.RouteEntry": 400,
      "DependencyViolation.SLBConfiguring": 400, "InvalidOperation.NotInWhiteList": 403, InstanceExpiredOrInArrears: 403, DiskError: 403,
      "InstanceType.ParameterMismatch": 403, "InvalidInstanceId.NotSupport": 403, DryRunOperation: 400, "DRYRUN.SUCCESS": 400,
      "InvalidStatus.NotFound": 404, "InvalidInstanceChargeType.NotFound": 404, "InvalidInstanceChargeType.ValueNotSupported": 400,
      "InvalidLockReason.NotFound": 404, InternalError: 500, OperationConflict: 409, "Forbidden.InstanceNotFound": 403,
    };
    for (const [code, status] of Object.entries(expected)) expect([code, backend.errors[code]?.[0]]).toEqual([code, status]);
  });

  it("serves the table-only codes with their documented status and message through injected faults", async () => {
    const c = ecsClient(t.emu.url);
    const cases: [string, string][] = [
      ["InvalidOperation.NotInWhiteList", "DeleteInstances"],
      ["DiskError", "StopInstance"],
      ["InstanceType.ParameterMismatch", "StopInstance"],
      ["InvalidInstanceId.NotSupport", "StopInstance"],
      ["InternalError", "DeleteInstance"],
      ["OperationConflict", "RunInstances"],
      ["Forbidden.InstanceNotFound", "DescribeInstances"],
    ];
    for (const [code, action] of cases) {
      await t.admin.faults([{ product: "ecs", action, code, count: 1 }]);
      const call =
        action === "DeleteInstances" ? c.deleteInstances(new Ecs.DeleteInstancesRequest({ regionId: REGION, instanceId: ["i-bp1x"] }))
        : action === "StopInstance" ? c.stopInstance(new Ecs.StopInstanceRequest({ instanceId: "i-bp1x" }))
        : action === "DeleteInstance" ? c.deleteInstance(new Ecs.DeleteInstanceRequest({ instanceId: "i-bp1x" }))
        : action === "RunInstances" ? c.runInstances(new Ecs.RunInstancesRequest({ regionId: REGION }))
        : c.describeInstances(new Ecs.DescribeInstancesRequest({ regionId: REGION }));
      const [status, message] = backend.errors[code];
      await expectError(call, code, status, message);
    }
  });
});
