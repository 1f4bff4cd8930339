export { Instance, ShardingInstance } from "./instance";
export type { InstanceArgs, ShardingInstanceArgs } from "./instance";
