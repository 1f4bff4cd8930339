export { Instance, TairInstance } from "./instance";
export type { InstanceArgs, TairInstanceArgs } from "./instance";
