// mongodb.Instance (a replica set) and mongodb.ShardingInstance (a sharded cluster): ApsaraDB for MongoDB,
// created or adopted, whose delete follows the documented release APIs (DeleteDBInstance for pay-as-you-go,
// DestroyInstance for expired subscriptions). Their create inputs are the API's parameters (params.ts).
import * as pulumi from "@pulumi/pulumi";
import { ownershipInput } from "../core/ownership";
import type { DeleteOptionArgs } from "../core/resource-args";
import * as instanceProvider from "./instance-provider";
import type { CreateDBInstanceParams, CreateShardingDBInstanceParams } from "./params";
import * as shardingProvider from "./sharding-instance-provider";

/** Inputs both kinds share: the delete options (no `force`, no "convert"), the region, tags. */
interface MongoArgs extends DeleteOptionArgs {
  regionId?: pulumi.Input<string>;
  /** "8.0", "7.0", "6.0", "5.0", "4.4", "4.2" or "4.0". */
  engineVersion?: pulumi.Input<string>;
  storageType?: pulumi.Input<"cloud_essd1" | "cloud_essd2" | "cloud_essd3" | "cloud_auto" | "local_ssd">;
  /** "PostPaid" (pay-as-you-go, default) or "PrePaid" (subscription, needs `period`). */
  chargeType?: pulumi.Input<"PostPaid" | "PrePaid">;
  /** Months: 1-9, 12, 24, 36 or 60 (PrePaid only). */
  period?: pulumi.Input<number>;
  /** Release protection; pay-as-you-go only; changed in place. */
  releaseProtection?: pulumi.Input<boolean>;
  /** Changed in place. */
  dbInstanceDescription?: pulumi.Input<string>;
  /** The root account's password; stored only as a secret input, never in outputs. Used at creation only. */
  accountPassword?: pulumi.Input<string>;
  /** Tags as a map; changed in place (TagResources / UntagResources). */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Every CreateDBInstance parameter, plus adopting with `dbInstanceId`. */
export interface InstanceArgs extends Omit<CreateDBInstanceParams, keyof MongoArgs>, MongoArgs {
  /** Adopt an existing instance (dds-…) instead of creating one. */
  dbInstanceId?: pulumi.Input<string>;
}

/** Every CreateShardingDBInstance parameter: `mongos: [{ class }]`, `replicaSet: [{ class, storage, readonlyReplicas }]`, `configServer: [{ class, storage }]`, … */
export interface ShardingInstanceArgs extends Omit<CreateShardingDBInstanceParams, keyof MongoArgs>, MongoArgs {
  /** Adopt an existing sharded cluster (dds-…) instead of creating one. */
  dbInstanceId?: pulumi.Input<string>;
}

const OUTPUTS = {
  timeToLiveEnds: undefined,
  dbInstanceId: undefined, regionId: undefined, chargeType: undefined, expireTime: undefined, lockMode: undefined, status: undefined,
  releaseProtection: undefined, onSubscription: undefined, overrideProtection: undefined, deleteTimeoutSeconds: undefined, adopted: undefined, schemaVersion: undefined,
  tags: undefined,
};

/** A secret input is encrypted in state; the provider keeps it out of the outputs. */
function mongoInputs(name: string, args: MongoArgs): Record<string, unknown> {
  const { accountPassword, ...rest } = args;
  const secret = accountPassword === undefined ? {} : { accountPassword: pulumi.secret(accountPassword) };
  return { ...OUTPUTS, ...rest, ...secret, ...ownershipInput(pulumi.getProject(), pulumi.getStack(), name) };
}

abstract class MongoResource extends pulumi.dynamic.Resource {
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
  declare readonly tags: pulumi.Output<Record<string, string>>;
}

export class Instance extends MongoResource {
  constructor(name: string, args: InstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(instanceProvider, name, mongoInputs(name, args), opts, "alicloud-release", "mongodb.Instance");
  }
}

export class ShardingInstance extends MongoResource {
  constructor(name: string, args: ShardingInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(shardingProvider, name, mongoInputs(name, args), opts, "alicloud-release", "mongodb.ShardingInstance");
  }
}
