export { Instance, InstanceSet } from "./instance";
export type { InstanceArgs, InstanceSetArgs, EcsDeleteOptionArgs } from "./instance";
