// pulumi-alicloud-release: Pulumi resources whose delete follows Alibaba Cloud's documented release APIs.
export * as ecs from "./ecs";
export { ReleaseError } from "./core/failure";
export type { DeleteOptions, OnSubscription } from "./core/options";
