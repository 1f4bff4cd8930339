// ECS security groups (CreateSecurityGroup, DescribeSecurityGroups, DeleteSecurityGroup). They live in the VPC
// backend's network beside the vSwitches; a group cannot be deleted while any instance still names it, an ECS
// instance included until DescribeInstances no longer lists it.
import { invalid } from "../core/errors";
import { ActionContext, ActionHandler, newId, regionParam } from "../core/product";
import { instancesInSecurityGroup, network, Network, SecurityGroup } from "../vpc/model";
import { ecsError, throwIfDryRun } from "./errors";

const TYPES = ["normal", "enterprise"] as const;

const netOf = (ctx: ActionContext): Network => network(ctx.store, ctx.clock);

function render(ctx: ActionContext, g: SecurityGroup): Record<string, unknown> {
  const ecsCount = instancesInSecurityGroup(ctx.store, g.id).filter((i) => i.product === "ecs").length;
  return {
    SecurityGroupId: g.id,
    SecurityGroupName: g.name,
    Description: g.description,
    VpcId: g.vpcId,
    SecurityGroupType: g.type,
    CreationTime: ctx.clock.iso(g.createdAt),
    ServiceManaged: false,
    ResourceGroupId: g.resourceGroupId,
    EcsCount: ecsCount,
    // A normal group holds at most 2000 private IP addresses (ECS limits).
    AvailableInstanceAmount: Math.max(0, 2000 - ecsCount),
    RuleCount: 0,
    GroupToGroupRuleCount: 0,
    Tags: { Tag: g.tags.map((t) => ({ TagKey: t.Key, TagValue: t.Value })) },
  };
}

const CreateSecurityGroup: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionId = regionParam(p) as string;
  const vpcId = p.string("VpcId");
  const type = p.oneOf("SecurityGroupType", TYPES, "normal")!;
  const name = p.string("SecurityGroupName") ?? "";
  if (name !== "" && (name.length < 2 || name.length > 128 || /^https?:\/\//.test(name))) throw invalid("SecurityGroupName");
  const tags = p.tags(20);
  return ctx.tokens.run("ecs:CreateSecurityGroup", p.string("ClientToken"), p.raw, "ClientToken", () => {
    const net = netOf(ctx);
    if (vpcId !== undefined) {
      const vpc = net.vpcs.get(vpcId);
      if (!vpc || vpc.regionId !== regionId || vpc.goneAt !== undefined) throw ecsError("InvalidVpcId.NotFound");
    }
    throwIfDryRun(p);
    const now = ctx.clock.now();
    const id = newId("sg", regionId);
    net.securityGroups.set(id, {
      id, regionId, vpcId: vpcId ?? "", isDefault: false, createdAt: now, availableAt: now,
      name, description: p.string("Description") ?? "", type, resourceGroupId: p.string("ResourceGroupId") ?? "", tags,
    });
    return { SecurityGroupId: id };
  });
};

const DescribeSecurityGroups: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionId = regionParam(p) as string;
  const ids = p.jsonStringArray("SecurityGroupIds", 100);
  const one = p.string("SecurityGroupId");
  const vpcId = p.string("VpcId");
  const name = p.string("SecurityGroupName");
  const type = p.oneOf("SecurityGroupType", TYPES);
  const networkType = p.oneOf("NetworkType", ["vpc", "classic"] as const);
  const group = p.string("ResourceGroupId");
  const tags = p.tags(20);
  const pageNumber = p.int("PageNumber") ?? 1;
  if (pageNumber < 1) throw invalid("PageNumber");
  const pageSize = p.int("PageSize", [1, 50]) ?? 10;
  throwIfDryRun(p);
  const matches = [...netOf(ctx).securityGroups.values()].filter((g) =>
    g.regionId === regionId && (!ids || ids.includes(g.id)) && (one === undefined || g.id === one) &&
    (vpcId === undefined || g.vpcId === vpcId) && (name === undefined || g.name === name) && (type === undefined || g.type === type) &&
    (networkType === undefined || (networkType === "vpc") === (g.vpcId !== "")) && (group === undefined || g.resourceGroupId === group) &&
    tags.every((t) => g.tags.some((h) => h.Key === t.Key && (t.Value === "" || h.Value === t.Value))));
  const items = matches.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    RegionId: regionId,
    TotalCount: matches.length,
    PageNumber: pageNumber,
    PageSize: pageSize,
    SecurityGroups: { SecurityGroup: items.map((g) => render(ctx, g)) },
  };
};

const DeleteSecurityGroup: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionId = regionParam(p) as string;
  const id = p.required("SecurityGroupId");
  const net = netOf(ctx);
  const g = net.securityGroups.get(id);
  if (!g || g.regionId !== regionId) throw ecsError("InvalidSecurityGroupId.NotFound");
  throwIfDryRun(p);
  if (instancesInSecurityGroup(ctx.store, id).length > 0) throw ecsError("DependencyViolation");
  net.securityGroups.delete(id);
  return {};
};

export const SECURITY_GROUP_ACTIONS: Record<string, ActionHandler> = {
  CreateSecurityGroup,
  DescribeSecurityGroups,
  DeleteSecurityGroup,
};
