import { ProductBackend } from "../core/product";

// STUB: to be replaced by the real backend.
export function ecsBackend(): ProductBackend {
  return {
    name: "ecs",
    productCode: "Ecs",
    version: "2014-05-26",
    hostId: "ecs.aliyuncs.com",
    durations: {},
    errors: {},
    actions: {},
    releaseActions: [],
    expire() {},
    lock() {},
  };
}
