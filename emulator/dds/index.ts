// ApsaraDB for MongoDB (product Dds, version 2015-12-01): replica-set instances from CreateDBInstance to
// release, with subscription expiry and LockMode (alicloud-apis.md §2).
import { APSARADB_CENTRAL_REGIONS, endpointHost, ProductBackend } from "../core/product";
import { DDS_ACTIONS } from "./actions";
import { DDS_ERRORS } from "./errors";
import { expireNow, lockFor } from "./lifecycle";

export function ddsBackend(): ProductBackend {
  return {
    name: "dds",
    productCode: "Dds",
    version: "2015-12-01",
    hostId: "mongodb.aliyuncs.com",
    regionalHostId: endpointHost("mongodb", APSARADB_CENTRAL_REGIONS),
    durations: {
      "dds.creating": { seconds: 300, what: "CreateDBInstance: DBInstanceStatus Creating → Running" },
      "dds.deleting": { seconds: 60, what: "DeleteDBInstance: Deleting → released (InvalidDBInstanceId.NotFound), a replica set into the recycle bin" },
      "dds.destroying": { seconds: 60, what: "DestroyInstance: Deleting → gone" },
      "dds.recycleBinRetention": { seconds: 604800, what: "a released pay-as-you-go replica set stays in the recycle bin (7 days), then it is gone" },
      "dds.lockAfterExpiry": {
        seconds: 600,
        what: "subscription expired → LockMode LockByExpiration (docs disagree: at once or on day 16)",
      },
    },
    errors: DDS_ERRORS,
    actions: DDS_ACTIONS,
    releaseActions: ["DeleteDBInstance", "DestroyInstance"],
    expire(instance, ctx) {
      expireNow(ctx.store, ctx.clock, instance);
    },
    lock(instance, reason, ctx) {
      lockFor(ctx.store, instance, reason);
    },
  };
}
