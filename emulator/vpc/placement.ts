// The one check every instance create makes of the network it names (ECS RunInstances, DDS CreateDBInstance,
// R-KVStore CreateInstance): the vSwitch and security groups exist in the region, the vSwitch is Available and
// in the zone asked for, the groups are in the vSwitch's VPC. The instance takes its zone and VPC from the
// vSwitch when the request does not give them.
import { Clock } from "../core/clock";
import { Store } from "../core/store";
import { createNetworkError } from "./errors";
import { network, vSwitchStatus } from "./model";

export interface NetworkRequest {
  vSwitchId?: string;
  zoneId?: string;
  vpcId?: string;
  securityGroupIds?: string[];
  /** Secondary network interfaces (ECS NetworkInterface.N): their vSwitch and groups are checked the same way. */
  interfaces?: { VSwitchId?: string; SecurityGroupIds: string[] }[];
}

export interface Placement {
  /** The request's zone, else the vSwitch's; undefined when neither names one (the product picks its default). */
  zoneId?: string;
  vpcId?: string;
  vSwitchId?: string;
  securityGroupIds: string[];
}

export function networkOf(env: { store: Store; clock: Clock }, regionId: string, req: NetworkRequest): Placement {
  const now = env.clock.now();
  const net = network(env.store, env.clock);
  const groups = req.securityGroupIds ?? [];
  let vpcId = req.vpcId;
  let zoneId = req.zoneId;
  if (req.vSwitchId !== undefined) {
    const vsw = net.vSwitches.get(req.vSwitchId);
    if (!vsw || vsw.regionId !== regionId) throw createNetworkError("InvalidVSwitchId.NotFound");
    if (vSwitchStatus(vsw, now) !== "Available") throw createNetworkError("IncorrectVSwitchStatus");
    if (zoneId !== undefined && zoneId !== vsw.zoneId) throw createNetworkError("InvalidParameter.Mismatch");
    if (vpcId !== undefined && vpcId !== vsw.vpcId) throw createNetworkError("InvalidParameter.Mismatch", "Specified virtual switch is not in the specified VPC.");
    vpcId = vsw.vpcId;
    zoneId = vsw.zoneId;
  } else if (vpcId !== undefined) {
    const vpc = net.vpcs.get(vpcId);
    if (!vpc || vpc.regionId !== regionId || vpc.goneAt !== undefined) throw createNetworkError("InvalidVpcId.NotFound");
  }
  for (const id of groups) {
    const sg = net.securityGroups.get(id);
    if (!sg || sg.regionId !== regionId) throw createNetworkError("InvalidSecurityGroupId.NotFound");
    if (vpcId !== undefined && sg.vpcId !== vpcId) throw createNetworkError("InvalidParameter.Mismatch", "Specified security group and virtual switch are not in the same VPC.");
  }
  for (const eni of req.interfaces ?? []) {
    const placed = networkOf(env, regionId, { vSwitchId: eni.VSwitchId, vpcId, securityGroupIds: eni.SecurityGroupIds });
    if (zoneId !== undefined && placed.zoneId !== undefined && placed.zoneId !== zoneId) throw createNetworkError("InvalidParameter.Mismatch");
  }
  return { zoneId, vpcId, vSwitchId: req.vSwitchId, securityGroupIds: groups };
}
