// ECS error codes with the HTTP status and message its API reference gives (alicloud-apis.md §1.3-§1.9; the
// 2021 API docs for StopInstance, DescribeInstances, ModifyInstanceChargeType, RunInstances and DeleteInstance).
// Where a doc only says "%s", the message is our own wording (noted in the report).
import { ApiError } from "../core/errors";
import { errorFrom, ErrorTable } from "../core/product";
import { Params } from "../core/params";

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
  // RunInstances / ModifyInstanceAttribute launch parameters (RunInstances API reference, error codes).
  InvalidTagCount: [400, "The specified tags are beyond the permitted range."],
  "InvalidInstanceName.Malformed": [400, 'The specified parameter "InstanceName" is not valid.'],
  "InvalidDescription.Malformed": [400, 'The specified parameter "Description" is not valid.'],
  "InvalidHostName.Malformed": [400, 'The specified parameter "HostName" is not valid.'],
  "InvalidPassword.Malformed": [400, 'The specified parameter "Password" is not valid.'],
  "InvalidPasswordParam.Mismatch": [400, "The input password should be null when passwdInherit is true."],
  "InvalidUserData.Base64FormatInvalid": [400, "The specified UserData is not valid"],
  "InvalidUserData.SizeExceeded": [400, 'The specified parameter "UserData" exceeds the size.'],
  "InvalidSystemDiskCategory.ValueNotSupported": [400, 'The specified parameter "SystemDisk.Category" is not valid.'],
  "InvalidSystemDiskSize.ValueNotSupported": [400, "The specified parameter SystemDisk.Size is invalid"],
  "InvalidDataDiskCategory.ValueNotSupported": [400, 'The specified parameter "DataDisk.n.Category" is not valid.'],
  "InvalidDataDiskSize.ValueNotSupported": [400, "The specified DataDisk.n.Size beyond the permitted range, or the capacity of snapshot exceeds the size limit of the specified disk category."],
  "InstanceDiskNumber.LimitExceed": [400, "The total number of specified disk in an instance exceeds."],
  "InvalidPerformanceLevel.Malformed": [400, "The specified parameter DataDisk.n.PerformanceLevel is not valid."],
  "InvalidDiskName.Malformed": [400, 'The specified parameter "SyatemDisk.DiskName or DataDisk.n.DiskName" is not valid.'],
  "InvalidDiskDescription.Malformed": [400, 'The specified parameter "SyatemDisk.DiskDescription or DataDisk.n.Description" is not valid.'],
  "InvalidDataDevice.Malformed": [400, 'The specified parameter "DataDisk.n.Device" is not valid.'],
  "InvalidEncrypted.NotMatchKmsKeyId": [400, "The specified parameter Encrypted must be true when KmsKeyId is not empty."],
  "InvalidInternetChargeType.ValueNotSupported": [400, "The specified InternetChargeType is not valid."],
  "InvalidInternetMaxBandwidthOut.Malformed": [400, "The specified parameter internetMaxBandwidthOut is not valid."],
  "InvalidInternetMaxBandwidthIn.Malformed": [400, "The specified parameter internetMaxBandwidthIn is not valid."],
  InvalidSpotStrategy: [400, "The specified SpotStrategy is not valid."],
  InvalidSpotPriceLimit: [400, "The specified SpotPriceLimitis not valid."],
  InvalidSpotDuration: [400, "The specified SpotDuration is not valid."],
  InvalidSpotPrepaid: [400, "The specified Spot type is not support PrePay Instance."],
  // Documented as "%s"; the message is ours.
  InvalidSpotInterruptionBehavior: [400, "The specified SpotInterruptionBehavior is not valid."],
  "InvalidPrivateIpAddress.Malformed": [400, "Specified private IP address is malformed."],
  "InvalidParameter.Conflict": [400, "The specified parameters conflict."],
  "InvalidParam.NetworkInterface": [400, "The specified parameter NetworkInterface is not valid."],
  "InvalidIoOptimizedValue.ValueNotSupported": [400, "IoOptimized value not supported."],
  "InvalidParameter.CreditSpecification": [400, "The specified CreditSpecification is not supported in this region."],
  "InvalidParam.Tenancy": [400, "The specified Tenancy is invalid."],
  "InvalidAutoRenewPeriod.ValueNotSupported": [400, "The specified autoRenewPeriod is invalid."],
  "InvalidLaunchTemplate.NotFound": [404, "The specified launch template does not exist."],
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

/** DryRun=true: the request passed every check; answer so instead of acting. */
export function throwIfDryRun(params: Params, code: "DryRunOperation" | "DRYRUN.SUCCESS" = "DryRunOperation"): void {
  if (params.bool("DryRun")) throw ecsError(code);
}
