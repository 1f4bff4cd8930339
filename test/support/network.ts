// The emulator's default network (issue 12): every region starts with one VPC, one vSwitch per zone and one
// security group, with these fixed ids. Instance creates check that the vSwitch and security groups they name
// exist, so tests name these (or create their own network).
export const DEFAULT_REGION = "cn-hangzhou";

export function defaultVpcId(regionId: string = DEFAULT_REGION): string {
  return `vpc-default-${regionId}`;
}

/** Zone ids are the region id and a letter; ECS instances default to zone b, MongoDB and Redis to zone h. */
export function defaultVSwitchId(zoneId: string = `${DEFAULT_REGION}-b`): string {
  return `vsw-default-${zoneId}`;
}

export function defaultSecurityGroupId(regionId: string = DEFAULT_REGION): string {
  return `sg-default-${regionId}`;
}
