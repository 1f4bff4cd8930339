// DDS codes answered by DescribeDBInstanceAttribute, ModifyDBInstanceAttribute, DeleteDBInstance, DestroyInstance
// and CreateDBInstance (alicloud-apis.md §2.2-§2.6; seed 000). Flow control, 5xx, RAM and signature codes are
// common to every product and live in core/catalog.ts.
import { defineCatalog } from "../core/catalog";

const GONE = { retry: "gone", meaning: "The instance does not exist (it was already released).", remedy: "Nothing: an instance that is gone counts as released." } as const;

/** The status conflicts: DDS refuses a release while the instance is busy with something else. */
export const STATUS_CONFLICT_CODES = ["OperationDenied.DBInstanceStatus", "IncorrectDBInstanceState"];

export const DDS_CATALOG = defineCatalog({
  // Three spellings appear in the DDS docs for the same answer; which one each call uses is not documented.
  "InvalidDBInstanceId.NotFound": GONE,
  "InvalidDbInstanceId.NotFound": GONE,
  "InvalidInstanceId.NotFound": GONE,
  ChargeTypeViolation: {
    retry: "fatal",
    meaning: "The instance's billing method does not allow this call: DeleteDBInstance releases only pay-as-you-go (PostPaid) instances, DestroyInstance only expired subscription (PrePaid) ones, and release protection applies only to pay-as-you-go instances.",
    remedy: "Check the instance's billing method in the MongoDB console (it may have been converted since it was created) and run `pulumi destroy` again; an unexpired subscription can be kept with onSubscription: \"retain\".",
  },
  GadInstanceNotSupport: {
    retry: "fatal",
    meaning: "The instance is a member of a Global Active Database (GAD) cluster, which cannot be released on its own.",
    remedy: "Remove the instance from its Global Active Database cluster (or release the cluster) in the MongoDB console, then run `pulumi destroy` again.",
  },
  InstanceReleaseProtection: {
    retry: "fatal",
    meaning: "Release protection (DBInstanceReleaseProtection) is on for the instance.",
    remedy: "Set overrideProtection: true on the resource (and run `pulumi up`), or set releaseProtection: false, or turn release protection off in the console, then destroy again.",
  },
  "OperationDenied.DBInstanceStatus": {
    retry: "transition",
    meaning: "The instance's current status does not allow the operation (a release needs Running, with no change, restart or switchover in progress).",
    remedy: "Retried while the instance changes state; if it stays in one status, check the instance in the MongoDB console.",
  },
  IncorrectDBInstanceState: {
    retry: "transition",
    meaning: "The instance's current state does not support the operation.",
    remedy: "Retried while the instance changes state; if it stays in one status, check the instance in the MongoDB console.",
  },
  IncorrectDBInstanceLockMode: {
    retry: "fatal",
    meaning: "The instance's lock mode (LockMode) does not allow the operation: DestroyInstance needs the expiry lock (LockByExpiration); a manual, disk-quota or restoration lock blocks releases.",
    remedy: "Check LockMode in the MongoDB console: lift a manual or disk-quota lock, or wait for the expiry lock of an expired subscription, then run `pulumi destroy` again.",
  },
  IncorrectDBInstanceType: {
    retry: "fatal",
    meaning: "The operation is not supported for this kind of instance (architecture or storage type).",
    remedy: "Release the instance in the MongoDB console, then remove it from state with `pulumi state delete`.",
  },
  MissingDBInstanceId: { retry: "fatal", meaning: "The call was sent without an instance id.", remedy: "This is a bug in pulumi-alicloud-release; report it with the RequestId." },
  IdempotentParameterMismatch: {
    retry: "fatal",
    meaning: "A ClientToken was reused with different parameters.",
    remedy: "This is a bug in pulumi-alicloud-release (each call gets its own token); report it with the RequestId.",
  },
  "InvalidRegion.NotFound": { retry: "fatal", meaning: "The region does not exist or ApsaraDB for MongoDB is not offered there.", remedy: "Check regionId / ALIBABA_CLOUD_REGION_ID / alicloud:region." },
  QuotaExceed: { retry: "fatal", meaning: "The account's quota of pay-as-you-go MongoDB instances is used up.", remedy: "Release unused instances or ask for a higher quota in the Quota Center." },
  QuotaNotEnough: { retry: "fatal", meaning: "There is not enough quota in this zone.", remedy: "Choose another zone (zoneId and vSwitchId) or ask for a higher quota." },
  InsufficientResourceCapacity: { retry: "fatal", meaning: "The zone has no capacity for this instance class now.", remedy: "Choose another zone or instance class, or try again later." },
  InsufficientBalance: { retry: "fatal", meaning: "The account's balance does not cover the order.", remedy: "Top up the account, then run `pulumi up` again." },
}, "dds");
