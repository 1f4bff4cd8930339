export { Instance, InstanceSet } from "./instance";
export type { InstanceArgs, InstanceSetArgs, EcsDeleteOptionArgs, SystemDiskArgs, DataDiskArgs, RunInstancesArgs } from "./instance";
