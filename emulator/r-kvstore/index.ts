// Redis / Tair (R-KVStore, 2015-01-01): pay-as-you-go release into the recycle bin, destroy from the bin, and a
// subscription's expiry timeline (alicloud-apis.md §3).
import { APSARADB_CENTRAL_REGIONS, endpointHost, ProductBackend } from "../core/product";
import { KV_ACTIONS, KV_RELEASE_ACTIONS } from "./actions";
import { KV_ERRORS } from "./errors";
import { inRecycleBin, KV_DURATIONS, scheduleExpiry } from "./lifecycle";

export function rKvStoreBackend(): ProductBackend {
  return {
    name: "r-kvstore",
    productCode: "R-kvstore",
    version: "2015-01-01",
    hostId: "r-kvstore.aliyuncs.com",
    regionalHostId: endpointHost("r-kvstore", APSARADB_CENTRAL_REGIONS),
    durations: KV_DURATIONS,
    errors: KV_ERRORS,
    actions: KV_ACTIONS,
    releaseActions: KV_RELEASE_ACTIONS,
    expire(instance, { clock, store }) {
      if (instance.chargeType !== "PrePaid") throw new Error(`${instance.id} is not a subscription (PrePaid) instance`);
      if (inRecycleBin(instance)) throw new Error(`${instance.id} is already released (in the recycle bin)`);
      scheduleExpiry(store, clock, instance, clock.now());
    },
    lock() {
      throw new Error("R-KVStore instances have no operation locks; use expire (an expired subscription turns Inactive)");
    },
  };
}
