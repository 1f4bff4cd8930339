// R-KVStore codes answered by CreateInstance, DescribeInstanceAttribute, DescribeInstances,
// ModifyInstanceAttribute, DeleteInstance and DestroyInstance (alicloud-apis.md §3.3–§3.5, seed 004).
// The API pages link only to the error centre: the codes for a subscription (ChargeTypeViolation) and for
// release protection (InstanceReleaseProtection) are the emulator's best reading of the docs (UNCERTAIN).
import { COMMON_CATALOG, defineCatalog } from "../core/catalog";

export const KV_CATALOG = defineCatalog({
  "InvalidInstanceId.NotFound": { retry: "gone", meaning: "The instance does not exist (it was released and has left the recycle bin, or the id is wrong).", remedy: "Nothing: an instance that is gone counts as released." },
  IncorrectDBInstanceState: {
    retry: "transition",
    meaning: "The instance's current status does not allow this operation: a release needs a running (Normal) pay-as-you-go instance with no change in progress, and DestroyInstance needs an instance in the recycle bin.",
    remedy: "Retried while the instance is in a transitional status (Creating, Changing, Transforming, Migrating, …); otherwise check the instance's status in the Tair (Redis) console.",
  },
  IncorrectDBInstanceType: {
    retry: "fatal",
    meaning: "The operation is not supported for this kind of instance (for example a child of a Global Distributed Cache instance).",
    remedy: "If the instance belongs to a distributed instance, remove it from the distributed instance first; otherwise release it in the console.",
  },
  ChargeTypeViolation: {
    retry: "fatal",
    meaning: "The instance's billing method does not allow this: a subscription (PrePaid) instance cannot be released through the API before it expires.",
    remedy: "Set onSubscription: \"retain\" to drop it from Pulumi state and leave it until it expires, wait until it expires (it is released into the recycle bin automatically on day 31 after expiry), or ask for an early release with a support ticket.",
  },
  InstanceReleaseProtection: {
    retry: "fatal",
    meaning: "Release protection (InstanceReleaseProtection) is on for the instance.",
    remedy: "Set overrideProtection: true on the resource (and run `pulumi up`), or turn release protection off in the console, then destroy again.",
  },
  // R-KVStore answers api flow control with HTTP 403, unlike the gateway's 400; the handling is the same.
  "Throttling.Api": { retry: "throttle", meaning: "The R-KVStore API's flow control refused the request (HTTP 403 for this product).", remedy: "Retried automatically with backoff; if it persists, lower `pulumi destroy --parallel`." },
  IdempotentParameterMismatch: { retry: "fatal", meaning: "A CreateInstance Token was reused with different parameters.", remedy: "This is a bug in pulumi-alicloud-release; report it with the RequestId." },
  InvalidParameter: {
    retry: "fatal",
    meaning: "A parameter value was rejected (for a release: a GlobalInstanceId that does not match the instance's distributed instance; for ModifyInstanceAttribute: release protection on a subscription instance).",
    remedy: "Check the resource's inputs against the instance in the console; if they look right, report it with the RequestId.",
  },
  MissingParameter: COMMON_CATALOG.MissingParameter,
  InternalError: COMMON_CATALOG.InternalError,
  ServiceUnavailable: COMMON_CATALOG.ServiceUnavailable,
  DryRunOperation: { retry: "fatal", meaning: "A dry run passed.", remedy: "Nothing." },
}, "kvstore");

/** Statuses that change by themselves: a release refused with IncorrectDBInstanceState is retried in them. */
export const TRANSITIONAL_STATUSES = new Set([
  "Creating", "Changing", "Transforming", "Migrating", "Flushing", "BackupRecovering",
  "MinorVersionUpgrading", "MajorVersionUpgrading", "NetworkModifying", "SSLModifying",
]);

/** What to do when a release is refused in a status that will not change by itself. */
export function statusRemedy(status: string): string {
  switch (status) {
    case "Normal":
      return "The instance is Normal and did not enter the recycle bin, so no release is under way: check its pending tasks in the console, then run `pulumi destroy` again.";
    case "Inactive":
      return "The instance is Inactive (disabled for an overdue payment): settle the account in the Billing console, then destroy again; an overdue pay-as-you-go instance is also released automatically after it has been disabled for 15 days.";
    case "Unavailable":
    case "Error":
      return `The instance is ${status} and cannot be released through the API in this status: release it in the console or open a ticket with the RequestId.`;
    default:
      return `The instance is ${status}; check it in the console, then destroy again.`;
  }
}
