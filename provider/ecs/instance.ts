// ecs.Instance and ecs.InstanceSet: what users write in their Pulumi programs. The launch inputs are every
// RunInstances parameter of the official SDK's request model (`@alicloud/ecs20140526`), derived from it so an SDK
// upgrade brings new parameters along, minus what the provider owns (region resolution, Amount, MinAmount,
// ClientToken, DryRun, the Tag list: `tags` is a map, Pulumi's convention).
import type * as Ecs from "@alicloud/ecs20140526";
import * as pulumi from "@pulumi/pulumi";
import type { ModelInput } from "../core/model-input";
import type { OnSubscription } from "../core/options";
import { ownershipInput } from "../core/ownership";
import type { DeleteOptionArgs } from "../core/resource-args";
import * as instanceProvider from "./instance-provider";
import * as instanceSetProvider from "./instance-set-provider";

/** The shared delete options, plus what only ECS has: `force`, "convert", and the graceful-stop budget. */
export interface EcsDeleteOptionArgs extends Omit<DeleteOptionArgs, "onSubscription"> {
  /** Skip the graceful stop; release with Force=true. Default false. */
  force?: pulumi.Input<boolean>;
  /** An unexpired subscription: "fail" (default), "retain" (drop from state, keep running) or "convert" (to pay-as-you-go, then release). */
  onSubscription?: pulumi.Input<OnSubscription>;
  /** How long a graceful stop may take before it is forced (ForceStop). Default 300. */
  stopTimeoutSeconds?: pulumi.Input<number>;
}

/** The SDK types the disk size and `encrypted` as strings; numbers and booleans are accepted and sent as the API expects. */
export type SystemDiskArgs = Omit<ModelInput<Ecs.RunInstancesRequestSystemDisk>, "size" | "encrypted"> & {
  size?: pulumi.Input<number | string>;
  encrypted?: pulumi.Input<boolean | string>;
};
export type DataDiskArgs = Omit<ModelInput<Ecs.RunInstancesRequestDataDisk>, "encrypted"> & { encrypted?: pulumi.Input<boolean | string> };

/** RunInstances parameters the provider owns or shapes itself. */
type Owned = "regionId" | "amount" | "minAmount" | "clientToken" | "dryRun" | "tag" | "ownerId" | "ownerAccount" | "resourceOwnerId" | "resourceOwnerAccount" | "systemDisk" | "dataDisk" | "instanceChargeType";

/** Every other RunInstances parameter, under the SDK model's camelCase names and nesting. */
export type RunInstancesArgs = Omit<ModelInput<Ecs.RunInstancesRequest>, Owned>;

interface LaunchArgs extends RunInstancesArgs, EcsDeleteOptionArgs {
  regionId?: pulumi.Input<string>;
  systemDisk?: pulumi.Input<SystemDiskArgs>;
  dataDisk?: pulumi.Input<pulumi.Input<DataDiskArgs>[]>;
  /** Tags as a map; changed in place (TagResources / UntagResources). */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** "PostPaid" (pay-as-you-go, default) or "PrePaid" (subscription, needs `period` in months). */
  instanceChargeType?: pulumi.Input<"PostPaid" | "PrePaid">;
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

const OUTPUTS = {
  timeToLiveEnds: undefined,
  regionId: undefined, instanceChargeType: undefined, status: undefined, expiredTime: undefined, deletionProtection: undefined, adopted: undefined, schemaVersion: undefined,
  tags: undefined, zoneId: undefined, instanceName: undefined, hostName: undefined, securityGroupIds: undefined, vSwitchId: undefined,
};

/** The password is always a secret input (encrypted in state); the provider never writes it to outputs. */
function launchInputs(name: string, args: LaunchArgs): Record<string, unknown> {
  const password = args.password === undefined ? undefined : pulumi.secret(args.password);
  return { ...args, password, ...ownershipInput(pulumi.getProject(), pulumi.getStack(), name) };
}

export class Instance extends pulumi.dynamic.Resource {
  declare readonly instanceId: pulumi.Output<string>;
  declare readonly regionId: pulumi.Output<string>;
  declare readonly instanceChargeType: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly expiredTime: pulumi.Output<string | null>;
  declare readonly deletionProtection: pulumi.Output<boolean>;
  declare readonly tags: pulumi.Output<Record<string, string>>;
  declare readonly zoneId: pulumi.Output<string>;
  declare readonly instanceName: pulumi.Output<string>;
  declare readonly hostName: pulumi.Output<string>;
  declare readonly securityGroupIds: pulumi.Output<string[]>;
  declare readonly vSwitchId: pulumi.Output<string>;

  constructor(name: string, args: InstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(instanceProvider, name, { ...OUTPUTS, instanceId: undefined, ...launchInputs(name, args) }, opts, "alicloud-release", "ecs.Instance");
  }
}

export class InstanceSet extends pulumi.dynamic.Resource {
  declare readonly instanceIds: pulumi.Output<string[]>;
  declare readonly regionId: pulumi.Output<string>;
  declare readonly instanceChargeType: pulumi.Output<string>;
  declare readonly statuses: pulumi.Output<Record<string, string>>;
  declare readonly expiredTimes: pulumi.Output<Record<string, string | null>>;
  declare readonly tags: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: InstanceSetArgs, opts?: pulumi.CustomResourceOptions) {
    super(instanceSetProvider, name, { ...OUTPUTS, instanceIds: undefined, statuses: undefined, expiredTimes: undefined, ...launchInputs(name, args) }, opts, "alicloud-release", "ecs.InstanceSet");
  }
}
