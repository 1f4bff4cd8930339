// ECS calls around an instance's launch data: its tags (TagResources / UntagResources / ListTagResources with
// ResourceType=instance) and what DescribeInstances does not show (DescribeUserData, DescribeInstanceRamRole).
import { ActionHandler, regionParam } from "../core/product";
import { fromEcsTags, tagActions, toEcsTags } from "../core/tags";
import { ecsError } from "./errors";
import { ecsAttrs } from "./model";

/** Every ResourceType the ECS tag calls document; only instances exist here, so other ids are not found. */
const ECS_RESOURCE_TYPES = [
  "instance", "disk", "snapshot", "image", "securitygroup", "volume", "eni", "ddh", "ddhcluster", "keypair", "launchtemplate",
  "reservedinstance", "snapshotpolicy", "elasticityassurance", "capacityreservation", "command", "invocation", "activation", "managedinstance",
];

const tagged = tagActions({
  product: "ecs",
  resourceTypes: ECS_RESOURCE_TYPES,
  instanceType: "instance",
  listedType: "instance",
  getTags: (inst) => fromEcsTags(ecsAttrs(inst).Tags),
  setTags: (inst, tags) => {
    ecsAttrs(inst).Tags = toEcsTags(tags);
  },
});

const DescribeUserData: ActionHandler = (ctx) => {
  const regionId = regionParam(ctx.params) as string;
  const inst = ctx.store.get(ctx.params.required("InstanceId"));
  if (!inst || inst.product !== "ecs" || inst.regionId !== regionId) throw ecsError("InvalidInstanceId.NotFound");
  return { RegionId: regionId, InstanceId: inst.id, UserData: ecsAttrs(inst).UserData ?? "" };
};

const DescribeInstanceRamRole: ActionHandler = (ctx) => {
  const regionId = regionParam(ctx.params) as string;
  const ids = ctx.params.jsonStringArray("InstanceIds", 100);
  const role = ctx.params.string("RamRoleName");
  const sets = ctx.store
    .all("ecs")
    .filter((i) => i.regionId === regionId && (!ids || ids.includes(i.id)))
    .filter((i) => (ecsAttrs(i).RamRoleName ?? "") !== "" && (role === undefined || ecsAttrs(i).RamRoleName === role))
    .map((i) => ({ InstanceId: i.id, RamRoleName: ecsAttrs(i).RamRoleName! }));
  return { RegionId: regionId, TotalCount: sets.length, InstanceRamRoleSets: { InstanceRamRoleSet: sets } };
};

export const ECS_INSTANCE_DATA_ACTIONS: Record<string, ActionHandler> = {
  TagResources: tagged.TagResources,
  UntagResources: tagged.UntagResources,
  ListTagResources: tagged.ListTagResources,
  DescribeUserData,
  DescribeInstanceRamRole,
};
