export { Instance } from "./instance";
export type { InstanceArgs, MongoDeleteOptionArgs } from "./instance";
