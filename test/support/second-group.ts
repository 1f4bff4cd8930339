// A second security group in the default VPC, for programs that name two. Once the emulator checks that named
// groups exist (the network issue), it is created with CreateSecurityGroup; an emulator without that call accepts
// any group id, so a fixed one is used there.
import * as Ecs from "@alicloud/ecs20140526";
import { defaultVpcId, DEFAULT_REGION } from "./network";
import { ecsClient, sdkError } from "./sdk";

export async function secondSecurityGroup(emulatorUrl: string): Promise<string> {
  const req = new Ecs.CreateSecurityGroupRequest({ regionId: DEFAULT_REGION, vpcId: defaultVpcId(), securityGroupName: "app-second" });
  try {
    return (await ecsClient(emulatorUrl).createSecurityGroup(req)).body!.securityGroupId!;
  } catch (e) {
    const err = await sdkError(Promise.reject(e));
    if (err.code !== "InvalidAction.NotFound") throw e;
    return "sg-app-second";
  }
}
