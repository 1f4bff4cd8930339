// withRelease: one line for a program written with @pulumi/alicloud. It creates the alicloud resource as before,
// marked retainOnDelete (so its own provider never deletes it), plus a companion resource of this package that
// adopts the instance by id and releases it on destroy with the documented procedure, waiting until it is gone.
// @pulumi/alicloud is never loaded here: its classes are recognised by their type token, structurally.
import * as pulumi from "@pulumi/pulumi";
import * as ecs from "./ecs";
import * as mongodb from "./mongodb";
import * as redis from "./redis";

/** The delete options of the companion (this package's resource options; creation inputs make no sense here). */
export type ReleaseArgs = Pick<ecs.InstanceArgs, "force" | "onSubscription" | "overrideProtection" | "stopTimeoutSeconds" | "deleteTimeoutSeconds"> &
  Pick<redis.InstanceArgs, "purgeRecycleBin"> & {
    /**
     * Marks the companion retainOnDelete: it releases nothing any more, so that after one `pulumi up` the line can
     * go back to `new alicloud…(…)` without releasing the instance (the alicloud resource's provider owns it again).
     */
    detach?: boolean;
  };

/** What withRelease needs of an @pulumi/alicloud resource class: a constructor, and its type token at run time. */
export interface AlicloudResourceClass<Args, R extends pulumi.CustomResource> {
  new (name: string, args: Args, opts?: pulumi.CustomResourceOptions): R;
}

type DataOnSubscription = pulumi.Input<"fail" | "retain">;
type Companion = ecs.Instance | ecs.InstanceSet | mongodb.Instance | redis.Instance;

const companions = new WeakMap<pulumi.CustomResource, Companion>();

/** The type tokens withRelease knows, and the companion that releases each. */
const KINDS: Record<string, (name: string, r: pulumi.CustomResource, release: ReleaseArgs, opts: pulumi.CustomResourceOptions) => Companion> = {
  "alicloud:ecs/instance:Instance": (name, r, release, opts) => {
    const { purgeRecycleBin: _p, ...args } = release;
    return new ecs.Instance(name, { ...args, instanceId: r.id }, opts);
  },
  "alicloud:ecs/ecsInstanceSet:EcsInstanceSet": (name, r, release, opts) => {
    const { purgeRecycleBin: _p, ...args } = release;
    return new ecs.InstanceSet(name, { ...args, instanceIds: (r as unknown as { instanceIds: pulumi.Output<string[]> }).instanceIds }, opts);
  },
  "alicloud:mongodb/instance:Instance": (name, r, release, opts) => {
    const { overrideProtection, deleteTimeoutSeconds, onSubscription } = release;
    // "convert" is ECS-only: the companion's own check rejects it with its message.
    return new mongodb.Instance(name, { overrideProtection, deleteTimeoutSeconds, onSubscription: onSubscription as DataOnSubscription, dbInstanceId: r.id }, opts);
  },
  "alicloud:kvstore/instance:Instance": (name, r, release, opts) => {
    const { overrideProtection, deleteTimeoutSeconds, onSubscription, purgeRecycleBin } = release;
    return new redis.Instance(name, { overrideProtection, deleteTimeoutSeconds, onSubscription: onSubscription as DataOnSubscription, purgeRecycleBin, instanceId: r.id }, opts);
  },
};

export const RELEASABLE_TYPES = Object.keys(KINDS);

function typeToken(cls: unknown): string | undefined {
  const t = (cls as { __pulumiType?: unknown }).__pulumiType;
  return typeof t === "string" ? t : undefined;
}

/**
 * Creates `new Class(name, args, {...opts, retainOnDelete: true})` and a companion `<name>-release` of this package
 * that adopts its instance(s) and releases them on destroy, replacement or removal. Returns the alicloud resource,
 * so the rest of the program is unchanged:
 *
 *     const vm = new alicloud.ecs.Instance("vm", {...});              // before
 *     const vm = withRelease(alicloud.ecs.Instance, "vm", {...});      // after
 *
 * Classes: alicloud.ecs.Instance, alicloud.ecs.EcsInstanceSet, alicloud.mongodb.Instance, alicloud.kvstore.Instance.
 */
export function withRelease<Args, R extends pulumi.CustomResource>(
  cls: AlicloudResourceClass<Args, R>,
  name: string,
  args: Args,
  opts: pulumi.CustomResourceOptions = {},
  release: ReleaseArgs = {},
): R {
  const type = typeToken(cls);
  const make = type ? KINDS[type] : undefined;
  if (!make) {
    throw new Error(`withRelease(${name}): ${type ?? "this class"} is not one withRelease knows; it takes ${RELEASABLE_TYPES.join(", ")} (from @pulumi/alicloud)`);
  }
  const resource = new cls(name, args, { ...opts, retainOnDelete: true });
  // The companion depends on the resource through its id, so destroy releases the instance before anything the
  // alicloud resource depends on (its vSwitch, its security group) is deleted. It is as protected as the resource.
  const { detach, ...releaseArgs } = release;
  const companion = make(`${name}-release`, resource, releaseArgs, { parent: opts.parent, protect: opts.protect, dependsOn: resource, retainOnDelete: detach === true });
  companions.set(resource, companion);
  return resource;
}

/** The companion withRelease made for `resource`: its outputs say what was adopted (instanceId(s), status…). */
export function releaseOf(resource: pulumi.CustomResource): Companion | undefined {
  return companions.get(resource);
}
