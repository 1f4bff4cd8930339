// Errors of the alicloud-release commands that end with exit code 2 (usage or access), as opposed to findings
// (exit code 1: something left or found).
import { ConfigurationError } from "../core/settings";
import { ReleaseError } from "../core/failure";

/** Bad flags, a missing stack, an unreadable export file, no Pulumi CLI where one is needed. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Codes that mean the credentials cannot do this at all: retrying or going on would not help. */
const ACCESS_CODE = /^(InvalidAccessKeyId|SignatureDoesNotMatch|InvalidSecurityToken|Forbidden|NoPermission|IncompleteSignature|InvalidAccessKeySecret|UnauthorizedOperation)/;

export function isAccessCode(code: string): boolean {
  return ACCESS_CODE.test(code);
}

export function isAccessFailure(e: unknown): boolean {
  return e instanceof ReleaseError && isAccessCode(e.code ?? "");
}

/** Exit code 2 for usage, configuration (credentials, endpoint) and access errors. */
export function isUsageOrAccess(e: unknown): boolean {
  return e instanceof UsageError || e instanceof ConfigurationError || isAccessFailure(e);
}
