// redis.Instance: a Tair (Redis) instance (R-KVStore) whose destroy follows the documented release procedure.
// Its create inputs are every CreateInstance parameter of the official SDK's request model
// (`@alicloud/r-kvstore20150101`); redis.TairInstance's are CreateTairInstance's.
import type * as Kv from "@alicloud/r-kvstore20150101";
import * as pulumi from "@pulumi/pulumi";
import type { ModelInput } from "../core/model-input";
import { ownershipInput } from "../core/ownership";
import type { DeleteOptionArgs } from "../core/resource-args";
import * as instanceProvider from "./instance-provider";
import * as tairProvider from "./tair-instance-provider";

/** Create parameters the provider owns: region resolution, idempotency tokens, dry runs, the Tag list. */
type Owned = "regionId" | "token" | "clientToken" | "dryRun" | "tag" | "ownerId" | "ownerAccount" | "resourceOwnerId" | "resourceOwnerAccount" | "securityToken";

/** The shared delete options (no `force`, no "convert": Redis has neither), plus the recycle-bin choice. */
interface CommonArgs extends DeleteOptionArgs {
  regionId?: pulumi.Input<string>;
  /** Adopt an existing instance ("r-…") instead of creating one; then give no creation inputs. */
  instanceId?: pulumi.Input<string>;
  /** "PostPaid" (pay-as-you-go, default) or "PrePaid" (subscription, needs `period` in months). */
  chargeType?: pulumi.Input<"PostPaid" | "PrePaid">;
  period?: pulumi.Input<number>;
  /** Changed in place (ModifyInstanceAttribute). */
  instanceName?: pulumi.Input<string>;
  /** The instance password, used at creation only; always a secret input, never in outputs. */
  password?: pulumi.Input<string>;
  /** Release protection; pay-as-you-go only. Turned on right after the instance runs; changed in place. */
  releaseProtection?: pulumi.Input<boolean>;
  /** How long a create may take to reach Normal. Default 1200. */
  createTimeoutSeconds?: pulumi.Input<number>;
  /** Tags as a map; changed in place (TagResources / UntagResources). */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * After the release, destroy the recycle-bin entry and its backups at once (DestroyInstance). Default false:
   * it stays in the recycle bin, recoverable for 7 days, as in the console.
   */
  purgeRecycleBin?: pulumi.Input<boolean>;
}

/** Every CreateTairInstance parameter: `instanceType` tair_rdb / tair_scm / tair_essd, `instanceClass`, `shardCount`, `storage`, `storageType`, … */
export interface TairInstanceArgs extends Omit<ModelInput<Kv.CreateTairInstanceRequest>, Owned | keyof CommonArgs>, CommonArgs {}

/** Every CreateInstance parameter, plus the inputs below. */
export interface InstanceArgs extends Omit<ModelInput<Kv.CreateInstanceRequest>, Owned | keyof CommonArgs | keyof LegacyArgs>, CommonArgs, LegacyArgs {}

/** The inputs of the first version, typed as they were. */
interface LegacyArgs {
  /** e.g. "redis.master.small.default"; or give `capacity`. */
  instanceClass?: pulumi.Input<string>;
  /** Memory in MB, instead of instanceClass. */
  capacity?: pulumi.Input<number>;
  /** "2.8", "4.0", "5.0" (the service default), "6.0" or "7.0". */
  engineVersion?: pulumi.Input<string>;
  vpcId?: pulumi.Input<string>;
  vSwitchId?: pulumi.Input<string>;
  zoneId?: pulumi.Input<string>;

}

const OUTPUTS = {
  timeToLiveEnds: undefined,
  schemaVersion: undefined, chargeType: undefined, endTime: undefined, instanceStatus: undefined, instanceReleaseProtection: undefined,
  globalInstanceId: undefined, connectionDomain: undefined, port: undefined, adopted: undefined, tags: undefined,
};

/** A plain-string password would otherwise be written to state in clear text with the inputs. */
function redisInputs(name: string, args: CommonArgs): Record<string, unknown> {
  const password = args.password === undefined ? undefined : pulumi.secret(args.password);
  return { ...OUTPUTS, instanceId: undefined, ...args, password, ...ownershipInput(pulumi.getProject(), pulumi.getStack(), name) };
}

abstract class RedisResource extends pulumi.dynamic.Resource {
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
  declare readonly tags: pulumi.Output<Record<string, string>>;
}

export class Instance extends RedisResource {
  constructor(name: string, args: InstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(instanceProvider, name, redisInputs(name, args), opts, "alicloud-release", "redis.Instance");
  }
}

/** A Tair instance (CreateTairInstance); the same release lifecycle as redis.Instance. */
export class TairInstance extends RedisResource {
  constructor(name: string, args: TairInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(tairProvider, name, redisInputs(name, args), opts, "alicloud-release", "redis.TairInstance");
  }
}
