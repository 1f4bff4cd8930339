export { Instance, InstanceSet } from "./instance";
export type { InstanceArgs, InstanceSetArgs, DeleteOptionArgs, EcsDeleteOptionArgs } from "./instance";
