// R-KVStore error codes with the status and message the product answers with (alicloud-apis.md §3.3, §4.6).
// The API pages only link to the error centre, so the codes for a subscription instance and for release
// protection are our best reading of the docs (UNCERTAIN, see the README).
import { commonError } from "../core/errors";
import { ErrorTable } from "../core/product";

const common = (code: string): [number, string] => {
  const e = commonError(code);
  return [e.status, e.message];
};

export const KV_ERRORS: ErrorTable = {
  "InvalidInstanceId.NotFound": [404, "The specified instance is not found."],
  IncorrectDBInstanceState: [403, "Current DB instance state does not support this operation."],
  IncorrectDBInstanceType: [403, "Current DB instance type does not support this operation."],
  ChargeTypeViolation: [403, "The operation is not permitted due to charge type of the instance."],
  InstanceReleaseProtection: [403, "The operation is not permitted due to instance release protection."],
  // The R-KVStore error list gives api flow control as 403, unlike the gateway's 400.
  "Throttling.Api": [403, "Request was denied due to api flow control."],
  DryRunOperation: [400, "Request validation has been passed with DryRun flag set."],
  // CreateInstance's error table (the capital S is the documentation's).
  "InvalidPassword.Malformed": [400, 'The Specified parameter "Password" is not valid.'],
  IdempotentParameterMismatch: common("IdempotentParameterMismatch"),
  InvalidParameter: common("InvalidParameter"),
  MissingParameter: common("MissingParameter"),
  InternalError: common("InternalError"),
  ServiceUnavailable: common("ServiceUnavailable"),
};
