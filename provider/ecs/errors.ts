// ECS codes answered by StopInstance(s), DeleteInstance(s), DescribeInstances, ModifyInstanceAttribute and
// ModifyInstanceChargeType (alicloud-apis.md §1.3, §1.4, §1.9; seeds 001, 002).
import { defineCatalog } from "../core/catalog";

export const ECS_CATALOG = defineCatalog({
  "InvalidInstanceId.NotFound": { retry: "gone", meaning: "The instance does not exist (it was already released).", remedy: "Nothing: an instance that is gone counts as released." },
  "Forbidden.InstanceNotFound": { retry: "gone", meaning: "The instance does not exist for this account.", remedy: "Nothing: an instance that is gone counts as released." },
  IncorrectInstanceStatus: { retry: "transition", meaning: "The instance's current status does not allow this operation (release needs Stopped unless Force is used, and no transition may be in progress).", remedy: "Retried while the instance changes state; if it stays stuck, check the instance in the ECS console, or set force: true to release it without stopping." },
  "IncorrectInstanceStatus.Initializing": { retry: "transition", meaning: "The instance is still being created.", remedy: "Retried until it has started; if it stays in Pending, open a ticket with the RequestId." },
  "InvalidOperation.DeletionProtection": { retry: "fatal", meaning: "Release protection (DeletionProtection) is on for the instance.", remedy: "Set overrideProtection: true on the resource (and run `pulumi up`), or turn DeletionProtection off in the console, then destroy again." },
  InstanceLockedForSecurity: { retry: "fatal", meaning: "The instance is locked for security reasons.", remedy: "Resolve the security lock in the ECS console (or with Alibaba Cloud support), then destroy again." },
  ChargeTypeViolation: { retry: "fatal", meaning: "The instance's billing method does not allow this release: a subscription (PrePaid) instance can only be released after it expires, with TerminateSubscription.", remedy: "Use onSubscription: \"convert\" to switch it to pay-as-you-go first, \"retain\" to keep it and drop it from state, or wait until it expires." },
  "DependencyViolation.RouteEntry": { retry: "transition", meaning: "A VPC route entry still points at the instance.", remedy: "Retried until the deadline; delete the custom route entries that use this instance as next hop, then destroy again." },
  "DependencyViolation.SLBConfiguring": { retry: "transition", meaning: "A Server Load Balancer that uses the instance is being configured.", remedy: "Retried until the deadline; remove the instance from the load balancer's backend servers if it persists." },
  "InvalidOperation.NotInWhiteList": { retry: "fatal", meaning: "A parameter used is still in gray release for this account.", remedy: "Report it with the RequestId; the call needs a feature your account is not enabled for." },
  InstanceExpiredOrInArrears: { retry: "fatal", meaning: "The subscription has expired or the account is in arrears, so the instance cannot be changed.", remedy: "Renew the instance or settle the account; an expired subscription is released with TerminateSubscription (done automatically)." },
  DiskError: { retry: "transition", meaning: "A disk of the instance is in a state that does not allow stopping it.", remedy: "Retried until the deadline; check the instance's disks in the console." },
  "InstanceType.ParameterMismatch": { retry: "fatal", meaning: "The instance type needs ConfirmStop to stop (local disks).", remedy: "Set force: true to release without a graceful stop." },
  "InvalidInstanceId.NotSupport": { retry: "fatal", meaning: "The requested stop mode is not supported for this instance.", remedy: "Report it with the RequestId." },
  "InvalidParameter.KMSKeyId.KMSUnauthorized": { retry: "fatal", meaning: "ECS is not authorized to use the KMS key of the instance's disks.", remedy: "Grant ECS access to the KMS key, then destroy again." },
  "InvalidInstanceChargeType.ValueNotSupported": { retry: "fatal", meaning: "The charge type conversion is not possible for this instance.", remedy: "Check the instance's billing method in the console." },
  "InvalidStatus.NotFound": { retry: "fatal", meaning: "An unknown status filter was sent.", remedy: "Report it with the RequestId." },
  "InvalidInstanceIds.Malformed": { retry: "fatal", meaning: "The list of instance ids was rejected.", remedy: "Check the instance ids in the resource's outputs." },
  "QuotaExceed.Refund": { retry: "fatal", meaning: "This month's quota of subscription-to-pay-as-you-go conversions (refunds) is used up.", remedy: "Wait for next month, release the instance after it expires, or use onSubscription: \"retain\"." },
  DryRunOperation: { retry: "fatal", meaning: "A dry run passed.", remedy: "Nothing." },
  "DRYRUN.SUCCESS": { retry: "fatal", meaning: "A dry run passed.", remedy: "Nothing." },
}, "ecs");
