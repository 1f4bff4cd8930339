// mongodb.Instance: an ApsaraDB for MongoDB replica set, created or adopted, whose delete follows the documented
// release APIs (DeleteDBInstance for pay-as-you-go, DestroyInstance for expired subscriptions).
import * as pulumi from "@pulumi/pulumi";
import type { DeleteOptionArgs } from "../core/resource-args";
import * as instanceProvider from "./instance-provider";

/** The shared delete options; no `force` (DeleteDBInstance has no such flag) and no "convert". */
export interface InstanceArgs extends DeleteOptionArgs {
  /** Adopt an existing instance (dds-…) instead of creating one. */
  dbInstanceId?: pulumi.Input<string>;
  regionId?: pulumi.Input<string>;
  /** "8.0", "7.0", "6.0", "5.0", "4.4", "4.2" or "4.0". */
  engineVersion?: pulumi.Input<string>;
  /** e.g. "dds.mongo.mid". */
  dbInstanceClass?: pulumi.Input<string>;
  /** GB, at least 10. */
  dbInstanceStorage?: pulumi.Input<number>;
  storageType?: pulumi.Input<"cloud_essd1" | "cloud_essd2" | "cloud_essd3" | "cloud_auto" | "local_ssd">;
  /** Nodes of the replica set: 3 (default), 5 or 7. */
  replicationFactor?: pulumi.Input<number>;
  zoneId?: pulumi.Input<string>;
  vpcId?: pulumi.Input<string>;
  vSwitchId?: pulumi.Input<string>;
  dbInstanceDescription?: pulumi.Input<string>;
  /** "PostPaid" (pay-as-you-go, default) or "PrePaid" (subscription, needs `period`). */
  chargeType?: pulumi.Input<"PostPaid" | "PrePaid">;
  /** Months: 1-9, 12, 24, 36 or 60 (PrePaid only). */
  period?: pulumi.Input<number>;
  /** Release protection; pay-as-you-go only. */
  releaseProtection?: pulumi.Input<boolean>;
  /** The root account's password; stored only as a secret input, never in outputs. Used at creation only. */
  accountPassword?: pulumi.Input<string>;
}

const OUTPUTS = {
  dbInstanceId: undefined, regionId: undefined, chargeType: undefined, expireTime: undefined, lockMode: undefined, status: undefined,
  releaseProtection: undefined, onSubscription: undefined, overrideProtection: undefined, deleteTimeoutSeconds: undefined, adopted: undefined, schemaVersion: undefined,
};

export class Instance extends pulumi.dynamic.Resource {
  declare readonly dbInstanceId: pulumi.Output<string>;
  declare readonly regionId: pulumi.Output<string>;
  declare readonly chargeType: pulumi.Output<string>;
  declare readonly expireTime: pulumi.Output<string | null>;
  declare readonly lockMode: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly releaseProtection: pulumi.Output<boolean>;
  declare readonly onSubscription: pulumi.Output<"fail" | "retain">;
  declare readonly overrideProtection: pulumi.Output<boolean>;
  declare readonly deleteTimeoutSeconds: pulumi.Output<number>;
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: InstanceArgs, opts?: pulumi.CustomResourceOptions) {
    const { accountPassword, ...rest } = args;
    // A secret input is encrypted in state; the provider keeps it out of the outputs.
    const secret = accountPassword === undefined ? {} : { accountPassword: pulumi.secret(accountPassword) };
    super(instanceProvider, name, { ...OUTPUTS, ...rest, ...secret }, opts, "alicloud-release", "mongodb.Instance");
  }
}
