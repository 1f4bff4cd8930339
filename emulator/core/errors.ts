// The cloud's error answer: a code, its documented HTTP status and message. Product-specific codes live in
// each product's folder; the gateway codes shared by every product are listed once here.

export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Extra response headers, e.g. x-acs-retry-after on flow control. */
    readonly headers: Record<string, string> = {},
    /** Extra members of the error body, e.g. AccessDeniedDetail on a RAM denial. */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Gateway (POP) and common codes, with the status and message the docs give (alicloud-apis.md §1.9, §4.6). */
const COMMON: Record<string, [number, string]> = {
  "InvalidAccessKeyId.NotFound": [404, "Specified access key is not found."],
  "InvalidAccessKeyId.Inactive": [400, "Specified access key is disabled."],
  SignatureDoesNotMatch: [400, "Specified signature is not matched with our calculation."],
  IncompleteSignature: [400, "The request signature does not conform to Aliyun standards."],
  SignatureNonceUsed: [400, "Specified signature nonce was used already."],
  InvalidSignatureMethod: [400, "Specified signature method is not valid."],
  "InvalidTimeStamp.Expired": [400, "Specified time stamp or date value is expired."],
  "InvalidTimeStamp.Format": [400, "Specified time stamp or date value is not well formatted."],
  MissingParameter: [400, 'The input parameter "%s" that is mandatory for processing this request is not supplied.'],
  InvalidParameter: [400, "The specified parameter %s is not valid."],
  "InvalidAction.NotFound": [404, "Specified api is not found, please check your url and method."],
  InvalidVersion: [400, "Specified parameter Version is not valid."],
  UnsupportedHTTPMethod: [403, "This http method is not supported."],
  "Throttling.User": [400, "Request was denied due to user flow control."],
  "Throttling.Api": [400, "Request was denied due to api flow control."],
  Throttling: [400, "Request was denied due to flow control."],
  "InvalidRegionId.NotFound": [404, "The specified RegionId does not exist."],
  IdempotentParameterMismatch: [400, "Request uses a client token in a previous request but is not identical to that request."],
  LastTokenProcessing: [403, "The last token request is processing."],
  InternalError: [500, "The request processing has failed due to some unknown error, exception or failure."],
  ServiceUnavailable: [503, "The request has failed due to a temporary failure of the server."],
  RequestEntityTooLarge: [413, "The request body is larger than the service accepts."],
  "Forbidden.RAM": [403, "User not authorized to operate on the specified resource, or this API doesn't support RAM."],
};

export function commonError(code: string, message?: string, arg?: string): ApiError {
  const known = COMMON[code];
  if (!known) return new ApiError(code, 400, message ?? code);
  const text = message ?? (arg !== undefined ? known[1].replace("%s", arg) : known[1].replace(' "%s"', "").replace(" %s", ""));
  return new ApiError(code, known[0], text);
}

/** A gateway code's [status, message], repeated in a product's table so that it can be injected as a fault. */
export function commonEntry(code: string): [number, string] {
  const e = commonError(code);
  return [e.status, e.message];
}

export function commonErrorStatus(code: string): number | undefined {
  return COMMON[code]?.[0];
}

export const missing = (param: string): ApiError => commonError("MissingParameter", undefined, param);
export const invalid = (param: string): ApiError => commonError("InvalidParameter", undefined, param);
