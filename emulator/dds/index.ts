import { ProductBackend } from "../core/product";

// STUB: to be replaced by the real backend.
export function ddsBackend(): ProductBackend {
  return {
    name: "dds",
    productCode: "Dds",
    version: "2015-12-01",
    hostId: "mongodb.aliyuncs.com",
    durations: {},
    errors: {},
    actions: {},
    releaseActions: [],
    expire() {},
    lock() {},
  };
}
