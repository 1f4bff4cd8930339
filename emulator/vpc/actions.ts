// The VPC (2016-04-28) actions: VPCs and vSwitches from create to delete. Deletes refuse while something still
// uses the resource (the documented DependencyViolation codes) and are asynchronous: the resource shows
// Deleting (VPC) or Pending (vSwitch) until it is gone.
import { invalid } from "../core/errors";
import { ActionContext, ActionHandler, newId, regionParam } from "../core/product";
import { Params } from "../core/params";
import { vpcError } from "./errors";
import {
  cidrContains, cidrOverlaps, instancesInVpc, instancesInVSwitch, network, Network, parseCidr, VSwitch, vSwitchStatus, Vpc,
  vpcStatus, zonesOf,
} from "./model";
import { renderVpc, renderVSwitch } from "./render";

const MAX_VSWITCHES_PER_VPC = 150;

function throwIfDryRun(p: Params): void {
  if (p.bool("DryRun")) throw vpcError("DryRunOperation");
}

/** PageNumber from 1, PageSize 1–50 (default 10). */
function page<T>(list: T[], p: Params): { items: T[]; PageNumber: number; PageSize: number; TotalCount: number } {
  const pageNumber = p.int("PageNumber") ?? 1;
  if (pageNumber < 1) throw invalid("PageNumber");
  const pageSize = p.int("PageSize", [1, 50]) ?? 10;
  return { items: list.slice((pageNumber - 1) * pageSize, pageNumber * pageSize), PageNumber: pageNumber, PageSize: pageSize, TotalCount: list.length };
}

const hasTags = (have: { Key: string; Value: string }[], want: { Key: string; Value: string }[]): boolean =>
  want.every((t) => have.some((h) => h.Key === t.Key && (t.Value === "" || h.Value === t.Value)));

/** A live VPC (not being deleted) by id, in the region when one is given. */
function findVpc(net: Network, id: string, regionId: string | undefined): Vpc {
  const vpc = net.vpcs.get(id);
  if (!vpc || (regionId !== undefined && vpc.regionId !== regionId)) throw vpcError("InvalidVpcId.NotFound");
  return vpc;
}

function findVSwitch(net: Network, id: string, regionId: string | undefined): VSwitch {
  const vsw = net.vSwitches.get(id);
  if (!vsw || (regionId !== undefined && vsw.regionId !== regionId)) throw vpcError("InvalidVSwitchId.NotFound");
  return vsw;
}

const netOf = (ctx: ActionContext): Network => network(ctx.store, ctx.clock);

// ---- VPCs -----------------------------------------------------------------------------------------------

const CreateVpc: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionId = regionParam(p) as string;
  const cidrText = p.string("CidrBlock") ?? "172.16.0.0/12";
  const cidr = parseCidr(cidrText);
  if (!cidr || cidr.prefix < 8 || cidr.prefix > 28) throw vpcError("InvalidCidrBlock.Malformed");
  const tags = p.tags(20);
  return ctx.tokens.run("vpc:CreateVpc", p.string("ClientToken"), p.raw, "ClientToken", () => {
    throwIfDryRun(p);
    const now = ctx.clock.now();
    const id = newId("vpc", regionId);
    const vpc: Vpc = {
      id, regionId, isDefault: false, createdAt: now, availableAt: now + ctx.clock.duration("vpc.vpcCreating"),
      name: p.string("VpcName") ?? "", description: p.string("Description") ?? "", cidrBlock: cidrText,
      vRouterId: newId("vrt", regionId), routeTableId: newId("vtb", regionId), resourceGroupId: p.string("ResourceGroupId") ?? "", tags,
    };
    netOf(ctx).vpcs.set(id, vpc);
    return { VpcId: id, VRouterId: vpc.vRouterId, RouteTableId: vpc.routeTableId, ResourceGroupId: vpc.resourceGroupId };
  });
};

const DescribeVpcs: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionId = regionParam(p) as string;
  const ids = p.string("VpcId")?.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (ids && ids.length > 20) throw invalid("VpcId");
  const isDefault = p.has("IsDefault") ? p.bool("IsDefault") : undefined;
  const name = p.string("VpcName");
  const group = p.string("ResourceGroupId");
  const tags = p.tags(20);
  throwIfDryRun(p);
  const net = netOf(ctx);
  const matches = [...net.vpcs.values()].filter((v) =>
    v.regionId === regionId && (!ids || ids.includes(v.id)) && (isDefault === undefined || v.isDefault === isDefault) &&
    (name === undefined || v.name === name) && (group === undefined || v.resourceGroupId === group) && hasTags(v.tags, tags));
  const { items, ...paging } = page(matches, p);
  return { ...paging, Vpcs: { Vpc: items.map((v) => renderVpc(v, net, ctx.clock)) } };
};

const DescribeVpcAttribute: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionId = regionParam(p) as string;
  const net = netOf(ctx);
  const vpc = findVpc(net, p.required("VpcId"), regionId);
  return { ...renderVpc(vpc, net, ctx.clock), CloudResources: { CloudResourceSetType: [] }, ClassicLinkEnabled: false };
};

const DeleteVpc: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionId = regionParam(p, false);
  const id = p.required("VpcId");
  // ForceDelete only removes resources the emulator does not model (route tables, ACLs), so it changes nothing.
  p.bool("ForceDelete");
  return ctx.tokens.run("vpc:DeleteVpc", p.string("ClientToken"), p.raw, "ClientToken", () => {
    const net = netOf(ctx);
    const vpc = findVpc(net, id, regionId);
    throwIfDryRun(p);
    const now = ctx.clock.now();
    if (vpcStatus(vpc, now) !== "Available") throw vpcError("IncorrectVpcStatus");
    if ([...net.vSwitches.values()].some((v) => v.vpcId === id)) throw vpcError("DependencyViolation.VSwitch");
    if ([...net.securityGroups.values()].some((g) => g.vpcId === id)) throw vpcError("DependencyViolation.SecurityGroup");
    if (instancesInVpc(ctx.store, id).length > 0) throw vpcError("DependencyViolation.Instance");
    vpc.goneAt = now + ctx.clock.duration("vpc.vpcDeleting");
    return {};
  });
};

// ---- vSwitches ------------------------------------------------------------------------------------------

const CreateVSwitch: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionParamValue = regionParam(p, false);
  const zoneId = p.required("ZoneId");
  const cidrText = p.required("CidrBlock");
  const vpcId = p.required("VpcId");
  const tags = p.tags(20);
  return ctx.tokens.run("vpc:CreateVSwitch", p.string("ClientToken"), p.raw, "ClientToken", () => {
    const net = netOf(ctx);
    const vpc = findVpc(net, vpcId, regionParamValue);
    const now = ctx.clock.now();
    if (vpcStatus(vpc, now) !== "Available") throw vpcError("IncorrectVpcStatus");
    if (!zonesOf(vpc.regionId).includes(zoneId)) throw vpcError("ResourceNotAvailable");
    const cidr = parseCidr(cidrText);
    if (!cidr || cidr.prefix < 16 || cidr.prefix > 29) throw vpcError("InvalidCidrBlock.Malformed");
    if (!cidrContains(parseCidr(vpc.cidrBlock)!, cidr)) throw vpcError("InvalidParameter");
    const siblings = [...net.vSwitches.values()].filter((v) => v.vpcId === vpcId);
    if (siblings.some((v) => cidrOverlaps(parseCidr(v.cidrBlock)!, cidr))) throw vpcError("InvalidCidrBlock.Overlapped");
    if (siblings.length >= MAX_VSWITCHES_PER_VPC) throw vpcError("QuotaExceeded.VSwitch");
    throwIfDryRun(p);
    const id = newId("vsw", vpc.regionId);
    net.vSwitches.set(id, {
      id, regionId: vpc.regionId, vpcId, zoneId, isDefault: false, createdAt: now, availableAt: now + ctx.clock.duration("vpc.vSwitchCreating"),
      name: p.string("VSwitchName") ?? "", description: p.string("Description") ?? "", cidrBlock: cidrText, resourceGroupId: vpc.resourceGroupId, tags,
    });
    return { VSwitchId: id };
  });
};

const DescribeVSwitches: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionId = regionParam(p, false);
  const vpcId = p.string("VpcId");
  const vSwitchId = p.string("VSwitchId");
  const zoneId = p.string("ZoneId");
  const name = p.string("VSwitchName");
  const group = p.string("ResourceGroupId");
  const isDefault = p.has("IsDefault") ? p.bool("IsDefault") : undefined;
  const tags = p.tags(20);
  throwIfDryRun(p);
  const net = netOf(ctx);
  if (vpcId !== undefined && !net.vpcs.has(vpcId)) throw vpcError("Forbidden.VpcNotFound");
  const matches = [...net.vSwitches.values()].filter((v) =>
    (regionId === undefined || v.regionId === regionId) && (vpcId === undefined || v.vpcId === vpcId) &&
    (vSwitchId === undefined || v.id === vSwitchId) && (zoneId === undefined || v.zoneId === zoneId) &&
    (name === undefined || v.name === name) && (group === undefined || v.resourceGroupId === group) &&
    (isDefault === undefined || v.isDefault === isDefault) && hasTags(v.tags, tags));
  const { items, ...paging } = page(matches, p);
  return { ...paging, VSwitches: { VSwitch: items.map((v) => renderVSwitch(v, net, ctx.store, ctx.clock)) } };
};

const DescribeVSwitchAttributes: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionId = regionParam(p, false);
  const net = netOf(ctx);
  return renderVSwitch(findVSwitch(net, p.required("VSwitchId"), regionId), net, ctx.store, ctx.clock);
};

const DeleteVSwitch: ActionHandler = (ctx) => {
  const p = ctx.params;
  const regionId = regionParam(p, false);
  const net = netOf(ctx);
  const vsw = findVSwitch(net, p.required("VSwitchId"), regionId);
  throwIfDryRun(p);
  const now = ctx.clock.now();
  if (vSwitchStatus(vsw, now) !== "Available") throw vpcError("IncorrectVSwitchStatus");
  if (instancesInVSwitch(ctx.store, vsw.id).length > 0) throw vpcError("DependencyViolation");
  vsw.goneAt = now + ctx.clock.duration("vpc.vSwitchDeleting");
  return {};
};

export const VPC_ACTIONS: Record<string, ActionHandler> = {
  CreateVpc,
  DescribeVpcs,
  DescribeVpcAttribute,
  DeleteVpc,
  CreateVSwitch,
  DescribeVSwitches,
  DescribeVSwitchAttributes,
  DeleteVSwitch,
};
