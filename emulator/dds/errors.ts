// DDS error codes with the HTTP status and message its API reference and error appendix give
// (alicloud-apis.md §2.2, §2.4-§2.6; D-MDB21 Appendix/Error codes.md). Gateway codes such as
// MissingParameter come from core/errors.ts; the ones repeated here can also be injected as faults.
import { ErrorTable } from "../core/product";

export const DDS_ERRORS: ErrorTable = {
  ChargeTypeViolation: [400, "The operation is not permitted due to charge type of the instance."],
  GadInstanceNotSupport: [400, "GAD Instance doesn't support the operation."],
  InstanceReleaseProtection: [403, "The operation is not permitted due to instance release protection."],
  // The docs name the code without a status; 403 as the other "not permitted" refusals (UNCERTAIN).
  "OperationDenied.DBInstanceStatus": [403, "The operation is not permitted due to status of instance."],
  IncorrectDBInstanceState: [400, "Current DB instance state does not support this operation."],
  IncorrectDBInstanceLockMode: [400, "Current DB instance lock mode does not support this operation."],
  IncorrectDBInstanceType: [400, "Current DB instance type does not support this operation."],
  MissingDBInstanceId: [400, "DBInstanceId is mandatory for this action."],
  // Three spellings of "not found" appear in DDS docs; the emulator answers with the first, the others exist
  // so that a provider's not-found handling can be tested against each through fault injection.
  "InvalidDBInstanceId.NotFound": [404, "The specified instance does not exist."],
  "InvalidDbInstanceId.NotFound": [404, "Specified instance does not exist."],
  "InvalidInstanceId.NotFound": [404, "The InstanceId provided does not exist in our records."],
  IdempotentParameterMismatch: [400, "Request uses a client token in a previous request but is not identical to that request."],
  QuotaExceed: [400, "Living afterpay instances quota exceeded."],
  QuotaNotEnough: [400, "Quota not enough in this zone."],
  InsufficientResourceCapacity: [400, "There is insufficient capacity available for the requested instance."],
  InsufficientBalance: [400, "Your account does not have enough balance."],
  InvalidParameter: [400, "The specified parameter is not valid."],
  "Forbidden.RAM": [403, "User not authorized to operate on the specified resource, or this API doesn't support RAM."],
  InternalError: [500, "The request processing has failed due to some unknown error."],
  ServiceUnavailable: [503, "The request has failed due to a temporary failure of the server."],
};
