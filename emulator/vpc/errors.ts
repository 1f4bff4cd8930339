// VPC (2016-04-28) error codes with the status and message of the API reference's error tables (DeleteVpc,
// DeleteVSwitch, CreateVSwitch, DescribeVSwitches), and the codes that instance creates answer when the network
// they name is missing or does not fit (ECS RunInstances' table; DDS and R-KVStore answer the same, our choice).
import { ApiError, commonEntry } from "../core/errors";
import { errorFrom, ErrorTable } from "../core/product";

export const VPC_ERRORS: ErrorTable = {
  "InvalidVpcId.NotFound": [404, "Specified VPC does not exist."],
  "Forbidden.VpcNotFound": [400, "Specified VPC can not found."],
  "InvalidVSwitchId.NotFound": [404, "VSwitch not exist."],
  // DeleteVSwitch: anything still in the vSwitch (instances, ENIs, HaVips).
  DependencyViolation: [400, "Specified object has dependent resources."],
  // DeleteVpc: what is still in the VPC.
  "DependencyViolation.VSwitch": [400, "Specified object has dependent resources"],
  "DependencyViolation.SecurityGroup": [400, "Specified object has dependent resources SecurityGroup."],
  "DependencyViolation.Instance": [400, "Specified object has dependent resources"],
  IncorrectVpcStatus: [400, "Current VPC status does not support this operation."],
  IncorrectVSwitchStatus: [400, "vpc subnet status not working."],
  "InvalidCidrBlock.Malformed": [400, "Specified CIDR block is not valid."],
  "InvalidCidrBlock.Overlapped": [400, "Specified CIDR block overlapped with other subnets."],
  InvalidParameter: [400, "Specified CIDR block is not valid in VPC."],
  ResourceNotAvailable: [400, "Resource you requested is not available in this region or zone."],
  "QuotaExceeded.VSwitch": [400, "Virtual switch quota exceeded."],
  // Retried by terraform-provider-alicloud's network deletes; here only injected as faults.
  TaskConflict: [400, "The operation is too frequent, TaskConflict."],
  "OperationDenied.OtherSubnetProcessing": [400, "other subnet is processing."],
  DryRunOperation: [400, "Request validation has been passed with DryRun flag set."],
  IdempotentParameterMismatch: commonEntry("IdempotentParameterMismatch"),
  MissingParameter: commonEntry("MissingParameter"),
  InternalError: commonEntry("InternalError"),
  ServiceUnavailable: commonEntry("ServiceUnavailable"),
};

export const vpcError = (code: string, message?: string): ApiError => errorFrom(VPC_ERRORS, code, message);

/** What an instance create (RunInstances, CreateDBInstance, CreateInstance) answers about the network it names. */
export const CREATE_NETWORK_ERRORS: ErrorTable = {
  "InvalidVSwitchId.NotFound": [404, "Specified virtual switch does not exist."],
  "InvalidSecurityGroupId.NotFound": [404, "The SecurityGroupId provided does not exist in our records."],
  "InvalidVpcId.NotFound": [404, "Specified VPC does not exist."],
  "InvalidParameter.Mismatch": [400, "Specified virtual switch is not in the specified zone."],
  IncorrectVSwitchStatus: [400, "The current status of virtual switch does not support this operation."],
};

export const createNetworkError = (code: string, message?: string): ApiError => errorFrom(CREATE_NETWORK_ERRORS, code, message);
