// ecs.Instance and ecs.InstanceSet: what users write in their Pulumi programs.
import * as pulumi from "@pulumi/pulumi";
import * as instanceProvider from "./instance-provider";
import * as instanceSetProvider from "./instance-set-provider";
import type { OnSubscription } from "../core/options";
import type { DeleteOptionArgs } from "../core/resource-args";

/** The shared delete options, plus what only ECS has: `force`, "convert", and the graceful-stop budget. */
export interface EcsDeleteOptionArgs extends Omit<DeleteOptionArgs, "onSubscription"> {
  /** Skip the graceful stop; release with Force=true. Default false. */
  force?: pulumi.Input<boolean>;
  /** An unexpired subscription: "fail" (default), "retain" (drop from state, keep running) or "convert" (to pay-as-you-go, then release). */
  onSubscription?: pulumi.Input<OnSubscription>;
  /** How long a graceful stop may take before it is forced (ForceStop). Default 300. */
  stopTimeoutSeconds?: pulumi.Input<number>;
}

interface LaunchArgs extends EcsDeleteOptionArgs {
  regionId?: pulumi.Input<string>;
  imageId?: pulumi.Input<string>;
  instanceType?: pulumi.Input<string>;
  vSwitchId?: pulumi.Input<string>;
  securityGroupId?: pulumi.Input<string>;
  instanceName?: pulumi.Input<string>;
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** "PostPaid" (pay-as-you-go, default) or "PrePaid" (subscription, needs `period` in months). */
  instanceChargeType?: pulumi.Input<"PostPaid" | "PrePaid">;
  period?: pulumi.Input<number>;
  /** Release protection; pay-as-you-go only. */
  deletionProtection?: pulumi.Input<boolean>;
}

export interface InstanceArgs extends LaunchArgs {
  /** Adopt an existing instance instead of creating one. */
  instanceId?: pulumi.Input<string>;
}

export interface InstanceSetArgs extends LaunchArgs {
  /** How many instances to create (RunInstances, up to 100 per call). */
  amount?: pulumi.Input<number>;
  /** Adopt existing instances instead of creating them. */
  instanceIds?: pulumi.Input<pulumi.Input<string>[]>;
}

const OUTPUTS = { regionId: undefined, instanceChargeType: undefined, status: undefined, expiredTime: undefined, deletionProtection: undefined, adopted: undefined, schemaVersion: undefined };

export class Instance extends pulumi.dynamic.Resource {
  declare readonly instanceId: pulumi.Output<string>;
  declare readonly regionId: pulumi.Output<string>;
  declare readonly instanceChargeType: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly expiredTime: pulumi.Output<string | null>;
  declare readonly deletionProtection: pulumi.Output<boolean>;

  constructor(name: string, args: InstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(instanceProvider, name, { ...OUTPUTS, instanceId: undefined, ...args }, opts, "alicloud-release", "ecs.Instance");
  }
}

export class InstanceSet extends pulumi.dynamic.Resource {
  declare readonly instanceIds: pulumi.Output<string[]>;
  declare readonly regionId: pulumi.Output<string>;
  declare readonly instanceChargeType: pulumi.Output<string>;
  declare readonly statuses: pulumi.Output<Record<string, string>>;
  declare readonly expiredTimes: pulumi.Output<Record<string, string | null>>;

  constructor(name: string, args: InstanceSetArgs, opts?: pulumi.CustomResourceOptions) {
    super(instanceSetProvider, name, { ...OUTPUTS, instanceIds: undefined, statuses: undefined, expiredTimes: undefined, ...args }, opts, "alicloud-release", "ecs.InstanceSet");
  }
}
