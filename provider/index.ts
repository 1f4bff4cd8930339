// pulumi-alicloud-release: Pulumi resources whose delete follows Alibaba Cloud's documented release APIs.
export * as ecs from "./ecs";
export * as mongodb from "./mongodb";
export * as redis from "./redis";
export { ReleaseError } from "./core/failure";
export type { DeleteOptions, OnSubscription } from "./core/options";
export type { DeleteOptionArgs, TimeToLiveArgs } from "./core/resource-args";
export { OWNERSHIP_TAG_KEYS } from "./core/ownership";
export { withRelease, releaseOf, type ReleaseArgs, type AlicloudResourceClass } from "./adopt";
