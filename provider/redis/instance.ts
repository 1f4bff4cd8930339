// redis.Instance: a Tair (Redis) instance (R-KVStore) whose destroy follows the documented release procedure.
import * as pulumi from "@pulumi/pulumi";
import type { DeleteOptionArgs } from "../core/resource-args";
import * as instanceProvider from "./instance-provider";

/** The shared delete options (no `force`, no "convert": Redis has neither), plus the recycle-bin choice. */
export interface InstanceArgs extends DeleteOptionArgs {
  regionId?: pulumi.Input<string>;
  /** Adopt an existing instance ("r-…") instead of creating one; then give no creation inputs. */
  instanceId?: pulumi.Input<string>;

  /** e.g. "redis.master.small.default"; or give `capacity`. */
  instanceClass?: pulumi.Input<string>;
  /** Memory in MB, instead of instanceClass. */
  capacity?: pulumi.Input<number>;
  /** "2.8", "4.0", "5.0" (the service default), "6.0" or "7.0". */
  engineVersion?: pulumi.Input<string>;
  /** "PostPaid" (pay-as-you-go, default) or "PrePaid" (subscription, needs `period` in months). */
  chargeType?: pulumi.Input<"PostPaid" | "PrePaid">;
  period?: pulumi.Input<number>;
  vpcId?: pulumi.Input<string>;
  vSwitchId?: pulumi.Input<string>;
  zoneId?: pulumi.Input<string>;
  instanceName?: pulumi.Input<string>;
  /**
   * The instance password, used by CreateInstance only. Always stored as a secret input and never in the
   * outputs; a later change is not applied (rotate it in the console).
   */
  password?: pulumi.Input<string>;
  /** Release protection; pay-as-you-go only. Turned on right after the instance runs. */
  releaseProtection?: pulumi.Input<boolean>;
  /** How long a create may take to reach Normal. Default 1200. */
  createTimeoutSeconds?: pulumi.Input<number>;

  /**
   * After the release, destroy the recycle-bin entry and its backups at once (DestroyInstance). Default false:
   * it stays in the recycle bin, recoverable for 7 days, as in the console.
   */
  purgeRecycleBin?: pulumi.Input<boolean>;
}

const OUTPUTS = {
  schemaVersion: undefined, chargeType: undefined, endTime: undefined, instanceStatus: undefined, instanceReleaseProtection: undefined,
  globalInstanceId: undefined, connectionDomain: undefined, port: undefined, adopted: undefined,
};

export class Instance extends pulumi.dynamic.Resource {
  declare readonly instanceId: pulumi.Output<string>;
  declare readonly regionId: pulumi.Output<string>;
  declare readonly chargeType: pulumi.Output<string>;
  /** Subscription expiry, or null. */
  declare readonly endTime: pulumi.Output<string | null>;
  /** Normal, Creating, …, Released (in the recycle bin). */
  declare readonly instanceStatus: pulumi.Output<string>;
  declare readonly instanceReleaseProtection: pulumi.Output<boolean>;
  declare readonly connectionDomain: pulumi.Output<string | null>;
  declare readonly port: pulumi.Output<number | null>;

  constructor(name: string, args: InstanceArgs, opts?: pulumi.CustomResourceOptions) {
    // A plain-string password would otherwise be written to state in clear text with the inputs.
    const password = args.password === undefined ? undefined : pulumi.secret(args.password);
    super(instanceProvider, name, { ...OUTPUTS, instanceId: undefined, ...args, password }, opts, "alicloud-release", "redis.Instance");
  }
}
