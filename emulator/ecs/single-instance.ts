// The older single-instance calls that many libraries still use: CreateInstance (one instance, left Stopped
// as documented, to be started with StartInstance) and DescribeInstanceAttribute (what the Go SDK's and other
// clients' "wait until Stopped" poll). Same instance model as RunInstances/DescribeInstances.
import { missing } from "../core/errors";
import { Params } from "../core/params";
import { ActionHandler, regionParam } from "../core/product";
import { Instance } from "../core/store";
import { findAnywhere, RunInstances } from "./actions";
import { ecsAttrs, Env } from "./model";
import { renderInstance } from "./render";

/** CreateInstance: Pending, then Stopped once the instance is built ("ecs.pending"); it never starts by itself. */
function buildStopped(env: Env, inst: Instance, from: number): void {
  env.store.cancel(inst.id, "boot");
  inst.status = "Pending";
  env.store.at(inst.id, from + env.clock.duration("ecs.pending"), "boot", (i) => {
    i.status = "Stopped";
  });
}

/**
 * CreateInstance is RunInstances for one instance, with its own defaults (Period 1 for a subscription, an
 * ImageFamily in place of ImageId), its own idempotency scope, reply ({InstanceId}) and end state (Stopped), so
 * that every launch parameter RunInstances validates is validated here the same way.
 */
const CreateInstance: ActionHandler = (ctx) => {
  const p = ctx.params;
  regionParam(p);
  p.required("InstanceType");
  if (!p.has("ImageId") && !p.has("ImageFamily")) throw missing("ImageId");
  // VPC only: the emulator has no classic network, so a create without a vSwitch cannot be placed.
  p.required("VSwitchId");
  p.required("SecurityGroupId");
  p.bool("AutoRenew");
  const launch: Record<string, string> = { ...p.raw, Amount: "1" };
  for (const name of ["ClientToken", "MinAmount", "AutoRenew", "ImageFamily"]) delete launch[name];
  launch.ImageId = p.string("ImageId") ?? (p.string("ImageFamily") as string);
  if (launch.InstanceChargeType === "PrePaid" && launch.Period === undefined) launch.Period = "1";

  return ctx.tokens.run("ecs:CreateInstance", p.string("ClientToken"), p.raw, "ClientToken", () => {
    const run = RunInstances({ ...ctx, params: new Params(launch) }) as { InstanceIdSets: { InstanceIdSet: string[] }; TradePrice: number; OrderId?: string };
    const id = run.InstanceIdSets.InstanceIdSet[0];
    buildStopped(ctx, findAnywhere(ctx, id), ctx.clock.now());
    return { InstanceId: id, TradePrice: run.TradePrice, ...(run.OrderId === undefined ? {} : { OrderId: run.OrderId }) };
  });
};

/** vCPUs from the size suffix of an instance type (ecs.g6.large → 2, ecs.g6.4xlarge → 16). */
function cpuOf(instanceType: string): number {
  const size = instanceType.split(".").pop() ?? "";
  if (size === "small") return 1;
  if (size === "large") return 2;
  const m = /^(\d*)xlarge$/.exec(size);
  return m ? 4 * Number(m[1] || 1) : 2;
}

/** MiB of memory from the family's documented ratio (c: 1:2, g: 1:4, r: 1:8; others 1:4). */
function memoryOf(instanceType: string, cpu: number): number {
  const family = instanceType.split(".")[1] ?? "";
  const perCpu = family.startsWith("c") ? 2 : family.startsWith("r") ? 8 : 4;
  return cpu * perCpu * 1024;
}

const DescribeInstanceAttribute: ActionHandler = (ctx) => {
  const inst = findAnywhere(ctx, ctx.params.required("InstanceId"));
  const a = ecsAttrs(inst);
  const listed = renderInstance(inst, ctx.clock);
  const cpu = cpuOf(a.InstanceType);
  return {
    InstanceId: inst.id,
    InstanceName: a.InstanceName,
    Description: a.Description,
    ImageId: a.ImageId,
    RegionId: inst.regionId,
    ZoneId: a.ZoneId,
    Cpu: cpu,
    Memory: memoryOf(a.InstanceType, cpu),
    InstanceType: a.InstanceType,
    Status: inst.status,
    HostName: listed.HostName,
    SerialNumber: "",
    InstanceNetworkType: "vpc",
    InternetChargeType: listed.InternetChargeType,
    InternetMaxBandwidthIn: listed.InternetMaxBandwidthIn,
    InternetMaxBandwidthOut: listed.InternetMaxBandwidthOut,
    CreationTime: listed.CreationTime,
    ExpiredTime: listed.ExpiredTime,
    InstanceChargeType: inst.chargeType,
    StoppedMode: a.StoppedMode,
    IoOptimized: "optimized",
    CreditSpecification: listed.CreditSpecification,
    ClusterId: "",
    VlanId: "",
    EnableJumboFrame: false,
    VpcAttributes: listed.VpcAttributes,
    SecurityGroupIds: { SecurityGroupId: [...a.SecurityGroupIds] },
    PublicIpAddress: listed.PublicIpAddress,
    InnerIpAddress: { IpAddress: [] },
    EipAddress: { AllocationId: "", IpAddress: "", Bandwidth: 0, InternetChargeType: "" },
    DedicatedHostAttribute: { DedicatedHostId: "", DedicatedHostName: "" },
    OperationLocks: { LockReason: a.OperationLocks.map((l) => ({ LockReason: l.LockReason })) },
  };
};

export const SINGLE_INSTANCE_ACTIONS: Record<string, ActionHandler> = { CreateInstance, DescribeInstanceAttribute };
