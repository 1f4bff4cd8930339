// ECS error codes with the HTTP status and message its API reference gives (alicloud-apis.md §1.3-§1.9; the
// 2021 API docs for StopInstance, DescribeInstances, ModifyInstanceChargeType, RunInstances and DeleteInstance).
// Where a doc only says "%s", the message is our own wording (noted in the report).
import { ApiError } from "../core/errors";
import { errorFrom, ErrorTable } from "../core/product";

export const ECS_ERRORS: ErrorTable = {
  "InvalidInstanceId.NotFound": [404, "The specified InstanceId does not exist."],
  InvalidParameter: [400, "The input parameter InstanceId is invalid."],
  IncorrectInstanceStatus: [403, "The current status of the resource does not support this operation."],
  "IncorrectInstanceStatus.Initializing": [403, "The specified instance status does not support this operation."],
  "InvalidOperation.DeletionProtection": [403, 'The operation is not allowed due to "%s" is protected by deletion protection.'],
  InstanceLockedForSecurity: [403, "The specified operation is denied as your instance is locked for security reasons."],
  ChargeTypeViolation: [403, "The operation is not permitted due to charge type of the instance."],
  "DependencyViolation.RouteEntry": [400, "Specified instance is used by route entry."],
  "DependencyViolation.SLBConfiguring": [400, "Specified operation is denied as your instance is using by another product."],
  "InvalidOperation.NotInWhiteList": [403, "The specified parameter is in gray release and is not available to your account."],
  InstanceExpiredOrInArrears: [403, "The specified operation is denied as your prepay instance is expired (prepay mode) or in arrears (afterpay mode)."],
  DiskError: [403, "IncorrectDiskStatus"],
  "InstanceType.ParameterMismatch": [403, "The input parameter ConfirmStop must be true when an instance have localstorage."],
  "InvalidInstanceId.NotSupport": [403, "Pre pay instance does not support this operation."],
  DryRunOperation: [400, "Request validation has been passed with DryRun flag set."],
  "DRYRUN.SUCCESS": [400, "This request is a dryrun request with successful result."],
  "InvalidStatus.NotFound": [404, "The specified Status is not found"],
  "InvalidInstanceChargeType.NotFound": [404, "The InstanceChargeType does not exist in our records"],
  "InvalidInstanceChargeType.ValueNotSupported": [400, "The instance charge type is already the specified value."],
  "InvalidLockReason.NotFound": [404, "The specified LockReason is not found"],
  "InvalidStatus.ValueNotSupported": [400, "The current status of the instance does not support this operation."],
  ExpiredInstance: [400, "The specified instance has expired."],
  "InvalidParameter.InstanceIds": [400, "The specified InstanceIds are invalid."],
  InstancesIdQuotaExceed: [400, "The maximum number of Instances is exceeded."],
  InvalidPeriod: [400, "The specified period is not valid."],
  "InvalidMinAmount.Malformed": [400, "The specified parameter MinAmount is not valid."],
  InternalError: [500, "The request processing has failed due to some unknown error."],
  OperationConflict: [409, "Request was denied due to conflict with a previous request."],
  "Forbidden.InstanceNotFound": [403, "The specified instance is not found."],
  // Security groups (CreateSecurityGroup / DeleteSecurityGroup API references).
  "InvalidSecurityGroupId.NotFound": [404, "The SecurityGroupId provided does not exist in our records."],
  DependencyViolation: [403, "There is still instance(s) in the specified security group."],
  "InvalidVpcId.NotFound": [404, "The specified VpcId does not exist."],
  "InvalidAutoReleaseTime.Malformed": [400, "The specified parameter autoReleaseTime is not valid."],
};

/** An ECS error; `arg` fills the `%s` of a templated message. */
export function ecsError(code: string, arg?: string): ApiError {
  const known = ECS_ERRORS[code];
  if (known && arg !== undefined && known[1].includes("%s")) return errorFrom(ECS_ERRORS, code, known[1].replace("%s", arg));
  return errorFrom(ECS_ERRORS, code);
}

/** An ECS error with a message of its own (same code and status). */
export function ecsErrorWith(code: string, message: string): ApiError {
  return errorFrom(ECS_ERRORS, code, message);
}
