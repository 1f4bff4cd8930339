// The seven @pulumi/alicloud resource types the double serves, each with terraform-provider-alicloud's create
// and delete (v1.285.0, the version pulumi-alicloud pins; delete functions quoted in anchors-providers.md and read in
// alicloud/resource_alicloud_{vpc,vswitch,security_group,instance,ecs_instance_set,mongodb_instance,kvstore_instance}.go).
// Inputs and outputs use the property names of @pulumi/alicloud's TypeScript types.
import { randomUUID } from "node:crypto";
import { incrementalWait, isExpected, needRetry, notFound, read, retryCall, sleep, tfError, waitForState, type Props, type TfContext } from "./tf";

export interface DoubleResource {
  /** Inputs a create needs (Check fails without them, naming the property). */
  required: string[];
  /** Inputs a change of which replaces the resource (ForceNew); a change of any other input is an update. */
  forceNew: string[];
  /** Default delete timeout in seconds (the resource's Timeouts block). */
  deleteTimeoutS: number;
  create(ctx: TfContext, inputs: Props): Promise<{ id: string; outputs: Props }>;
  delete(ctx: TfContext, id: string, outputs: Props, timeoutS: number): Promise<void>;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const tagList = (tags: unknown): { Key: string; Value: string }[] | undefined =>
  tags && typeof tags === "object" ? Object.entries(tags as Record<string, string>).map(([Key, Value]) => ({ Key, Value: String(Value) })) : undefined;
const first = <T>(v: unknown): T | undefined => (Array.isArray(v) ? (v[0] as T) : undefined);

// ---------------------------------------------------------------------------------------------------- network

async function vpcStatus(ctx: TfContext, id: string): Promise<string | undefined> {
  const r = await read(ctx, "Vpc", "DescribeVpcs", { RegionId: ctx.region, VpcId: id });
  return first<{ Status: string }>((r.Vpcs as { Vpc?: unknown })?.Vpc)?.Status;
}

async function vSwitchStatus(ctx: TfContext, id: string): Promise<string | undefined> {
  const r = await read(ctx, "Vpc", "DescribeVSwitches", { RegionId: ctx.region, VSwitchId: id });
  return first<{ Status: string }>((r.VSwitches as { VSwitch?: unknown })?.VSwitch)?.Status;
}

const network: Record<"Network" | "Switch" | "SecurityGroup", DoubleResource> = {
  // alicloud_vpc: Timeouts C 10 m / D 5 m.
  Network: {
    required: [],
    forceNew: ["cidrBlock", "resourceGroupId"],
    deleteTimeoutS: 300,
    async create(ctx, i) {
      const r = await ctx.rpc("Vpc", "CreateVpc", { RegionId: ctx.region, CidrBlock: str(i.cidrBlock), VpcName: str(i.vpcName) ?? str(i.name), Description: str(i.description), ClientToken: randomUUID() });
      const id = r.VpcId as string;
      await waitForState(ctx, { id, pending: [], target: ["Available"], timeoutS: 600, delayS: 0, refresh: () => vpcStatus(ctx, id) });
      return { id, outputs: { ...i, vpcName: str(i.vpcName) ?? str(i.name) ?? "", routerId: r.VRouterId, routeTableId: r.RouteTableId, status: "Available" } };
    },
    // resourceAliCloudVpcVpcDelete: DeleteVpc retried on DependencyViolation.VSwitch / .SecurityGroup /
    // IncorrectVpcStatus and NeedRetry with incrementalWait(3 s, 5 s); NotFound is success; then a wait (5 s delay)
    // until DescribeVpcs no longer lists it.
    async delete(ctx, id, _o, timeoutS) {
      const wait = incrementalWait(ctx, 3, 5);
      try {
        await retryCall(
          ctx, timeoutS, () => ctx.rpc("Vpc", "DeleteVpc", { RegionId: ctx.region, VpcId: id, ClientToken: randomUUID() }),
          (e) => isExpected(e, ["DependencyViolation.VSwitch", "DependencyViolation.SecurityGroup", "IncorrectVpcStatus"]) || needRetry(e), wait, `${id}: DeleteVpc`,
        );
      } catch (e) {
        if (isExpected(e, ["InvalidResource.NotFound"]) || notFound(e)) return;
        throw tfError(id, "DeleteVpc", e);
      }
      await waitForState(ctx, { id, pending: [], target: [], timeoutS, delayS: 5, refresh: () => vpcStatus(ctx, id) });
    },
  },
  // alicloud_vswitch: Timeouts C 5 m / D 10 m.
  Switch: {
    required: ["vpcId", "cidrBlock"],
    forceNew: ["vpcId", "cidrBlock", "zoneId", "availabilityZone"],
    deleteTimeoutS: 600,
    async create(ctx, i) {
      const zoneId = str(i.zoneId) ?? str(i.availabilityZone);
      const r = await ctx.rpc("Vpc", "CreateVSwitch", { RegionId: ctx.region, VpcId: str(i.vpcId), ZoneId: zoneId, CidrBlock: str(i.cidrBlock), VSwitchName: str(i.vswitchName) ?? str(i.name), Description: str(i.description), ClientToken: randomUUID() });
      const id = r.VSwitchId as string;
      await waitForState(ctx, { id, pending: [], target: ["Available"], timeoutS: 300, delayS: 0, refresh: () => vSwitchStatus(ctx, id) });
      return { id, outputs: { ...i, zoneId, availabilityZone: zoneId, vswitchName: str(i.vswitchName) ?? str(i.name) ?? "", status: "Available" } };
    },
    // resourceAliCloudVpcVswitchDelete: DeleteVSwitch retried on DependencyViolation (and 17 more codes) and
    // NeedRetry with incrementalWait(3 s, 5 s) for the delete timeout; NotFound is success; then a wait (no delay)
    // until DescribeVSwitches no longer lists it.
    async delete(ctx, id, _o, timeoutS) {
      const wait = incrementalWait(ctx, 3, 5);
      try {
        await retryCall(ctx, timeoutS, () => ctx.rpc("Vpc", "DeleteVSwitch", { RegionId: ctx.region, VSwitchId: id }), (e) => isExpected(e, VSWITCH_RETRY) || needRetry(e), wait, `${id}: DeleteVSwitch`);
      } catch (e) {
        if (isExpected(e, ["InvalidVswitchID.NotFound", "InvalidVSwitchId.NotFound"])) return;
        throw tfError(id, "DeleteVSwitch", e);
      }
      await waitForState(ctx, { id, pending: [], target: [""], timeoutS, delayS: 0, refresh: () => vSwitchStatus(ctx, id) });
    },
  },
  // alicloud_security_group: Timeouts C 5 m / D 10 m.
  SecurityGroup: {
    required: [],
    forceNew: ["vpcId", "securityGroupType", "resourceGroupId"],
    deleteTimeoutS: 600,
    async create(ctx, i) {
      const r = await ctx.rpc("Ecs", "CreateSecurityGroup", {
        RegionId: ctx.region, VpcId: str(i.vpcId), SecurityGroupName: str(i.securityGroupName) ?? str(i.name), Description: str(i.description),
        SecurityGroupType: str(i.securityGroupType), ClientToken: randomUUID(), Tag: tagList(i.tags),
      });
      return { id: r.SecurityGroupId as string, outputs: { ...i, securityGroupName: str(i.securityGroupName) ?? str(i.name) ?? "" } };
    },
    // resourceAliCloudEcsSecurityGroupDelete: DeleteSecurityGroup retried on DependencyViolation and NeedRetry with
    // incrementalWait(3 s, 5 s); NotFound is success; no wait afterwards.
    async delete(ctx, id, _o, timeoutS) {
      const wait = incrementalWait(ctx, 3, 5);
      try {
        await retryCall(
          ctx, timeoutS, () => ctx.rpc("Ecs", "DeleteSecurityGroup", { RegionId: ctx.region, SecurityGroupId: id }),
          (e) => isExpected(e, ["DependencyViolation"]) || needRetry(e), wait, `${id}: DeleteSecurityGroup`,
        );
      } catch (e) {
        if (notFound(e)) return;
        throw tfError(id, "DeleteSecurityGroup", e);
      }
    },
  },
};

const VSWITCH_RETRY = [
  "DependencyViolation", "DependencyViolation.SnatEntry", "DependencyViolation.MulticastDomain", "OperationConflict", "IncorrectRouteEntryStatus",
  "InternalError", "TaskConflict", "DependencyViolation.EnhancedNatgw", "DependencyViolation.RouteTable", "DependencyViolation.HaVip",
  "DeleteVSwitch.IncorrectStatus.cbnStatus", "SystemBusy", "IncorrectVSwitchStatus", "LastTokenProcessing", "OperationDenied.OtherSubnetProcessing",
  "DependencyViolation.SNAT", "DependencyViolation.NetworkAcl",
];

// -------------------------------------------------------------------------------------------------------- ECS

const ECS_STATUS_RETRY = ["IncorrectInstanceStatus", "DependencyViolation.RouteEntry", "IncorrectInstanceStatus.Initializing"];

async function ecsStatuses(ctx: TfContext, ids: string[]): Promise<Map<string, string>> {
  const r = await read(ctx, "Ecs", "DescribeInstances", { RegionId: ctx.region, InstanceIds: JSON.stringify(ids), PageSize: 100 });
  const list = ((r.Instances as { Instance?: { InstanceId: string; Status: string }[] })?.Instance ?? []);
  return new Map(list.map((x) => [x.InstanceId, x.Status]));
}

async function runInstances(ctx: TfContext, i: Props, amount: number, securityGroupIds: unknown): Promise<string[]> {
  const r = await ctx.rpc("Ecs", "RunInstances", {
    RegionId: ctx.region, ImageId: str(i.imageId), InstanceType: str(i.instanceType), VSwitchId: str(i.vswitchId), SecurityGroupIds: securityGroupIds,
    InstanceName: str(i.instanceName), Description: str(i.description), ZoneId: str(i.availabilityZone) ?? str(i.zoneId), Amount: amount,
    InstanceChargeType: str(i.instanceChargeType), Period: i.period, PeriodUnit: str(i.periodUnit), Tag: tagList(i.tags), ClientToken: randomUUID(),
  });
  const ids = (r.InstanceIdSets as { InstanceIdSet?: string[] })?.InstanceIdSet ?? [];
  // The create waits for Running (BuildStateConf, 5 s delay).
  await waitForState(ctx, {
    id: ids.join(","), pending: [], target: ["Running"], timeoutS: 600, delayS: 5,
    refresh: async () => {
      const s = await ecsStatuses(ctx, ids);
      return ids.every((x) => s.get(x) === "Running") ? "Running" : "Pending";
    },
  });
  return ids;
}

const ecs: Record<"Instance" | "EcsInstanceSet", DoubleResource> = {
  // alicloud_instance: Timeouts C 10 m / U 10 m / D 20 m.
  Instance: {
    required: ["imageId", "instanceType", "vswitchId", "securityGroups"],
    forceNew: ["vswitchId", "availabilityZone", "imageId", "instanceType", "instanceChargeType", "period", "securityGroups"],
    deleteTimeoutS: 1200,
    async create(ctx, i) {
      const [id] = await runInstances(ctx, i, 1, i.securityGroups);
      return { id, outputs: { ...i, status: "Running", instanceChargeType: str(i.instanceChargeType) ?? "PostPaid" } };
    },
    // resourceAliCloudInstanceDelete: DeleteInstance Force=true (no stop), retried on IncorrectInstanceStatus,
    // DependencyViolation.RouteEntry and IncorrectInstanceStatus.Initializing (SDK backoff only); NotFound is
    // success; then BuildStateConf(pending [Pending, Running, Stopped, Stopping], target [], delay 10 s) over
    // DescribeInstances until it is no longer listed.
    async delete(ctx, id, o, timeoutS) {
      if (o.instanceChargeType === "PrePaid" && o.forceDelete !== true) {
        throw new Error("Please convert 'PrePaid' instance to 'PostPaid' or set 'force_delete' as true before deleting 'PrePaid' instance.");
      }
      try {
        await retryCall(
          ctx, timeoutS, () => ctx.rpc("Ecs", "DeleteInstance", { InstanceId: id, Force: true }),
          (e) => isExpected(e, [...ECS_STATUS_RETRY, "Throttling", "LastTokenProcessing"]),
          // Only throttling sleeps (incrementalWait(1 s, 1 s)); the status codes retry on the SDK's backoff alone.
          async (e) => (isExpected(e, ["Throttling", "LastTokenProcessing"]) ? sleep(1000 * ctx.timeScale) : undefined),
        );
      } catch (e) {
        if (isExpected(e, ["InvalidInstanceId.NotFound", "Forbidden.InstanceNotFound"])) return;
        throw tfError(id, "DeleteInstance", e);
      }
      await waitForState(ctx, { id, pending: ["Pending", "Running", "Stopped", "Stopping"], target: [], timeoutS, delayS: 10, refresh: async () => (await ecsStatuses(ctx, [id])).get(id) });
    },
  },
  // alicloud_ecs_instance_set: Timeouts C 30 m / D 30 m (the delete uses the create timeout).
  EcsInstanceSet: {
    required: ["imageId", "instanceType", "vswitchId", "securityGroupIds"],
    forceNew: ["vswitchId", "zoneId", "imageId", "instanceType", "instanceChargeType", "amount", "securityGroupIds"],
    deleteTimeoutS: 1800,
    async create(ctx, i) {
      const amount = typeof i.amount === "number" ? i.amount : 1;
      const ids = await runInstances(ctx, i, amount, i.securityGroupIds);
      return { id: Buffer.from(JSON.stringify(ids)).toString("base64"), outputs: { ...i, amount, instanceIds: ids } };
    },
    // resourceAliCloudEcsInstanceSetDelete: one DeleteInstances (InstanceId.N, Force=true, one ClientToken for all
    // retries), retried with a constant 3 s sleep; InvalidInstanceIds.NotFound is success for the whole batch;
    // no wait at all: it returns as soon as the call is accepted.
    async delete(ctx, id, o) {
      const ids = Array.isArray(o.instanceIds) ? (o.instanceIds as string[]) : (JSON.parse(Buffer.from(id, "base64").toString()) as string[]);
      const token = randomUUID();
      try {
        await retryCall(
          ctx, 1800, () => ctx.rpc("Ecs", "DeleteInstances", { RegionId: ctx.region, InstanceId: ids, Force: true, ClientToken: token }),
          (e) => isExpected(e, ECS_STATUS_RETRY) || needRetry(e), () => sleep(3000 * ctx.timeScale),
        );
      } catch (e) {
        if (isExpected(e, ["InvalidInstanceIds.NotFound"])) return;
        throw tfError(id, "DeleteInstances", e);
      }
    },
  },
};

// ------------------------------------------------------------------------------------------ MongoDB and Redis

/** A DescribeXxxAttribute's first record, or undefined when the API answers NotFound (the instance is gone). */
async function attribute<T>(ctx: TfContext, product: "Dds" | "R-kvstore", action: string, params: Props, list: (r: Props) => unknown, notFoundCode: string): Promise<T | undefined> {
  try {
    return first<T>(list(await read(ctx, product, action, params)));
  } catch (e) {
    if (notFound(e, [notFoundCode])) return undefined;
    throw e;
  }
}

const ddsAttribute = (ctx: TfContext, id: string) =>
  attribute<{ DBInstanceStatus: string; ChargeType: string }>(ctx, "Dds", "DescribeDBInstanceAttribute", { DBInstanceId: id }, (r) => (r.DBInstances as { DBInstance?: unknown })?.DBInstance, "InvalidDBInstanceId.NotFound");
const kvAttribute = (ctx: TfContext, id: string) =>
  attribute<{ InstanceStatus: string; ChargeType: string }>(ctx, "R-kvstore", "DescribeInstanceAttribute", { InstanceId: id }, (r) => (r.Instances as { DBInstanceAttribute?: unknown })?.DBInstanceAttribute, "InvalidInstanceId.NotFound");

const data: Record<"mongodb" | "kvstore", DoubleResource> = {
  // alicloud_mongodb_instance: Timeouts C 30 m / U 120 m / D 30 m.
  mongodb: {
    required: ["engineVersion", "dbInstanceClass", "dbInstanceStorage"],
    forceNew: ["engineVersion", "zoneId", "vswitchId", "instanceChargeType", "storageEngine", "storageType"],
    deleteTimeoutS: 1800,
    async create(ctx, i) {
      const chargeType = str(i.instanceChargeType) ?? "PostPaid";
      const r = await ctx.rpc("Dds", "CreateDBInstance", {
        RegionId: ctx.region, EngineVersion: str(i.engineVersion), DBInstanceClass: str(i.dbInstanceClass), DBInstanceStorage: i.dbInstanceStorage,
        VSwitchId: str(i.vswitchId), VpcId: str(i.vpcId), ZoneId: str(i.zoneId), DBInstanceDescription: str(i.name), ChargeType: chargeType,
        Period: chargeType === "PrePaid" ? (i.period ?? 1) : undefined, AccountPassword: str(i.accountPassword), ClientToken: randomUUID(),
      });
      const id = r.DBInstanceId as string;
      await waitForState(ctx, { id, pending: [], target: ["Running"], timeoutS: 1800, delayS: 0, refresh: async () => (await ddsAttribute(ctx, id))?.DBInstanceStatus });
      const { accountPassword: _secret, ...outputs } = i;
      return { id, outputs: { ...outputs, instanceChargeType: chargeType } };
    },
    // resourceAliCloudMongoDBInstanceDelete: a pre-read whose NotFound is an error; PrePaid is skipped with a
    // [WARN] nobody sees; DeleteDBInstance retried on OperationDenied.DBInstanceStatus and NeedRetry (3 s); then a
    // wait (pending [Creating, Deleting], delay 1 m) until it is gone.
    async delete(ctx, id, _o, timeoutS) {
      const attr = await ddsAttribute(ctx, id);
      if (!attr) throw tfError(id, "DescribeDBInstanceAttribute", new Error(`[ERROR] Object ${id} not found`));
      if (attr.ChargeType === "PrePaid") {
        ctx.log(`[WARN] Cannot destroy resourceAlicloudMongoDBInstance ${id}. Because it is prepay type and the resources may remain.`);
        return;
      }
      try {
        await retryCall(
          ctx, timeoutS, () => ctx.rpc("Dds", "DeleteDBInstance", { DBInstanceId: id }),
          (e) => isExpected(e, ["OperationDenied.DBInstanceStatus"]) || needRetry(e), () => sleep(3000 * ctx.timeScale),
        );
      } catch (e) {
        if (notFound(e, ["InvalidDBInstanceId.NotFound"])) return;
        throw tfError(id, "DeleteDBInstance", e);
      }
      // As for Redis below: the emulator still describes a recycle-bin entry (Released); the real API's NotFound is
      // what this wait ends on, so Released counts as gone.
      await waitForState(ctx, {
        id, pending: ["Creating", "Deleting"], target: [], timeoutS, delayS: 60,
        refresh: async () => {
          const status = (await ddsAttribute(ctx, id))?.DBInstanceStatus;
          return status === "Released" ? undefined : status;
        },
      });
    },
  },
  // alicloud_kvstore_instance: Timeouts C 20 m / U 40 m / D 20 m.
  kvstore: {
    required: [],
    forceNew: ["zoneId", "availabilityZone", "vswitchId", "engineVersion", "instanceType", "paymentType", "instanceChargeType"],
    deleteTimeoutS: 1200,
    async create(ctx, i) {
      const chargeType = str(i.paymentType) ?? str(i.instanceChargeType) ?? "PostPaid";
      const r = await ctx.rpc("R-kvstore", "CreateInstance", {
        RegionId: ctx.region, InstanceClass: str(i.instanceClass), EngineVersion: str(i.engineVersion), VSwitchId: str(i.vswitchId), VpcId: str(i.vpcId),
        ZoneId: str(i.zoneId) ?? str(i.availabilityZone), InstanceName: str(i.dbInstanceName) ?? str(i.instanceName), Password: str(i.password), ChargeType: chargeType,
        Period: chargeType === "PrePaid" ? String(i.period ?? 1) : undefined, Token: randomUUID(),
      });
      const id = r.InstanceId as string;
      await waitForState(ctx, { id, pending: [], target: ["Normal"], timeoutS: 1200, delayS: 0, refresh: async () => (await kvAttribute(ctx, id))?.InstanceStatus });
      const { password: _secret, ...outputs } = i;
      return { id, outputs: { ...outputs, paymentType: chargeType } };
    },
    // resourceAliCloudKvstoreInstanceDelete: a pre-read whose NotFound is success; PrePaid is skipped with a [WARN];
    // DeleteInstance retried on NeedRetry (3 s); then a wait (delay 60 s, any state) until DescribeInstanceAttribute
    // answers NotFound. It never calls DestroyInstance, so the instance stays in the recycle bin.
    async delete(ctx, id, _o, timeoutS) {
      const attr = await kvAttribute(ctx, id);
      if (!attr) return;
      if (attr.ChargeType === "PrePaid") {
        ctx.log(`[WARN] Cannot destroy Subscription resource: alicloud_kvstore_instance ${id}. Terraform will remove this resource from the state file, however resources may remain.`);
        return;
      }
      try {
        await retryCall(ctx, timeoutS, () => ctx.rpc("R-kvstore", "DeleteInstance", { InstanceId: id, RegionId: ctx.region }), needRetry, () => sleep(3000 * ctx.timeScale));
      } catch (e) {
        if (notFound(e, ["InvalidInstanceId.NotFound"])) return;
        throw tfError(id, "DeleteInstance", e);
      }
      // The emulator still answers DescribeInstanceAttribute for a recycle-bin entry (status Released); the real
      // API answers NotFound, which is what this wait has targeted since 2025-04 (389c1994d). Released counts as
      // NotFound here, and the entry stays in the bin, as it does in the cloud.
      await waitForState(ctx, {
        id, pending: [], target: [], timeoutS, delayS: 60,
        refresh: async () => {
          const s = (await kvAttribute(ctx, id))?.InstanceStatus;
          return s === "Released" ? undefined : s;
        },
      });
    },
  },
};

/** Type token → behaviour. The tokens are those of @pulumi/alicloud 3.108.0 (its classes' __pulumiType). */
export const RESOURCES: Record<string, DoubleResource> = {
  "alicloud:vpc/network:Network": network.Network,
  "alicloud:vpc/switch:Switch": network.Switch,
  "alicloud:ecs/securityGroup:SecurityGroup": network.SecurityGroup,
  "alicloud:ecs/instance:Instance": ecs.Instance,
  "alicloud:ecs/ecsInstanceSet:EcsInstanceSet": ecs.EcsInstanceSet,
  "alicloud:mongodb/instance:Instance": data.mongodb,
  "alicloud:kvstore/instance:Instance": data.kvstore,
};
