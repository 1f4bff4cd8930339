import { ProductBackend } from "../core/product";

// STUB: to be replaced by the real backend.
export function rKvStoreBackend(): ProductBackend {
  return {
    name: "r-kvstore",
    productCode: "R-kvstore",
    version: "2015-01-01",
    hostId: "r-kvstore.aliyuncs.com",
    durations: {},
    errors: {},
    actions: {},
    releaseActions: [],
    expire() {},
    lock() {},
  };
}
