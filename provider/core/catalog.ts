// The error catalog: every documented code the release calls can answer, with what it means in plain words,
// what the user should do, and how the retry policy treats it. Codes shared by every product are here;
// each product adds its own table (provider/<product>/errors.ts) through `defineCatalog`.

/**
 * How a failure is handled:
 * - throttle: flow control; back off (honouring the server's retry-after) and retry until the deadline.
 * - transient: the service or the network failed; retry with backoff until the deadline.
 * - transition: the resource is in a state that will change by itself; the lifecycle re-describes and retries.
 * - gone: the resource no longer exists; for a release this is success.
 * - fatal: retrying cannot help; fail with the remedy.
 */
export type RetryClass = "throttle" | "transient" | "transition" | "gone" | "fatal";

export interface CatalogEntry {
  meaning: string;
  remedy: string;
  retry: RetryClass;
}

export type Catalog = Record<string, CatalogEntry>;

export const COMMON_CATALOG: Catalog = {
  Throttling: { retry: "throttle", meaning: "Alibaba Cloud's flow control refused the request: too many calls in a short time.", remedy: "Retried automatically with backoff; if it persists, lower `pulumi destroy --parallel` or use an InstanceSet, which batches calls." },
  "Throttling.User": { retry: "throttle", meaning: "Your account exceeded the API's per-user flow control.", remedy: "Retried automatically with backoff; if it persists, lower `--parallel` or spread teardowns over time." },
  "Throttling.Api": { retry: "throttle", meaning: "The API's overall flow control refused the request.", remedy: "Retried automatically with backoff; if it persists, lower `--parallel`." },
  "Rejected.Throttling": { retry: "throttle", meaning: "The request was rejected by flow control.", remedy: "Retried automatically with backoff." },
  ServiceUnavailable: { retry: "transient", meaning: "The service failed temporarily (HTTP 503).", remedy: "Retried automatically; if it persists, check the Alibaba Cloud status page and run `pulumi destroy` again." },
  InternalError: { retry: "transient", meaning: "The service had an internal error.", remedy: "Retried automatically; if it persists, open a ticket with the RequestId." },
  LastTokenProcessing: { retry: "transient", meaning: "An earlier request with the same idempotency token is still being processed.", remedy: "Retried automatically with the same token." },
  OperationConflict: { retry: "transient", meaning: "The request conflicts with another request on the same resource.", remedy: "Retried automatically; make sure no other tool is changing the instance at the same time." },
  IdempotentParameterMismatch: { retry: "fatal", meaning: "An idempotency token was reused with different parameters.", remedy: "This is a bug in the caller; report it with the RequestId." },
  "InvalidAccessKeyId.NotFound": { retry: "fatal", meaning: "The AccessKey ID is not known to Alibaba Cloud.", remedy: "Check ALIBABA_CLOUD_ACCESS_KEY_ID (or alicloud:accessKey) and that the key was not deleted." },
  "InvalidAccessKeyId.Inactive": { retry: "fatal", meaning: "The AccessKey is disabled.", remedy: "Enable the key in the RAM console or use another one." },
  SignatureDoesNotMatch: { retry: "fatal", meaning: "The request signature did not match: the AccessKey secret is wrong.", remedy: "Check ALIBABA_CLOUD_ACCESS_KEY_SECRET (or alicloud:secretKey)." },
  "InvalidTimeStamp.Expired": { retry: "fatal", meaning: "This machine's clock differs from Alibaba Cloud's by more than 15 minutes.", remedy: "Synchronise the clock (NTP) and run the command again." },
  SignatureNonceUsed: { retry: "transient", meaning: "The request's nonce was seen before.", remedy: "Retried automatically with a new nonce." },
  "InvalidSecurityToken.Expired": { retry: "fatal", meaning: "The STS token has expired.", remedy: "Refresh the temporary credentials and run the command again." },
  "InvalidSecurityToken.MismatchWithAccessKey": { retry: "fatal", meaning: "The STS token does not belong to this AccessKey.", remedy: "Use the token issued together with the temporary AccessKey." },
  "Forbidden.RAM": { retry: "fatal", meaning: "The RAM user or role is not allowed to make this call.", remedy: "Grant the action in the RAM policy of the user or role (the message names it, from the answer's AccessDeniedDetail)." },
  Forbidden: { retry: "fatal", meaning: "The call is not allowed for this account.", remedy: "Check the account's RAM permissions." },
  "InvalidRegionId.NotFound": { retry: "fatal", meaning: "The region does not exist or the product is not offered there.", remedy: "Check regionId / ALIBABA_CLOUD_REGION_ID / alicloud:region." },
  MissingParameter: { retry: "fatal", meaning: "A required parameter was not sent.", remedy: "This is a bug in pulumi-alicloud-release; report it with the RequestId." },
  InvalidParameter: { retry: "fatal", meaning: "A parameter value was rejected.", remedy: "Check the resource's inputs; if they look right, report it with the RequestId." },
  "InvalidAction.NotFound": { retry: "fatal", meaning: "The endpoint does not know this API action.", remedy: "Check ALICLOUD_RELEASE_ENDPOINT: it must point at Alibaba Cloud or at the emulator." },
  InvalidVersion: { retry: "fatal", meaning: "The endpoint does not serve this API version.", remedy: "Check ALICLOUD_RELEASE_ENDPOINT." },
  // What a create answers about the network it names (RunInstances, CreateDBInstance, CreateInstance).
  "InvalidVSwitchId.NotFound": { retry: "fatal", meaning: "The vSwitch named by vSwitchId does not exist in this region.", remedy: "Check vSwitchId and the region; a vSwitch created in the same program must be passed as its output (vsw.id), so the instance is created after it." },
  "InvalidSecurityGroupId.NotFound": { retry: "fatal", meaning: "The security group named by securityGroupId does not exist in this region.", remedy: "Check securityGroupId and the region; pass a security group of the same program as its output (sg.id)." },
  "InvalidVpcId.NotFound": { retry: "fatal", meaning: "The VPC named by vpcId does not exist in this region.", remedy: "Check vpcId and the region." },
  "InvalidParameter.Mismatch": { retry: "fatal", meaning: "The vSwitch is not in the zone the instance is created in (or not in the security group's VPC).", remedy: "Give a vSwitch of the instance's zoneId, in the security group's VPC." },
};

/** Failures that are not API answers. */
export const TRANSPORT_CATALOG: Catalog = {
  Timeout: { retry: "transient", meaning: "No reply within the client timeout.", remedy: "Retried automatically; check the network path to the endpoint if it persists." },
  Network: { retry: "transient", meaning: "The connection failed or was dropped before a reply.", remedy: "Retried automatically; check the network path to the endpoint if it persists." },
  BadReply: { retry: "transient", meaning: "The endpoint answered with something that is not an API reply (for example a proxy's HTML error page).", remedy: "Retried automatically; check proxies between you and the endpoint if it persists." },
  ServerError: { retry: "transient", meaning: "The endpoint answered with a server error (HTTP 5xx).", remedy: "Retried automatically." },
};

const RAM_SERVICES = new WeakMap<Catalog, string>();

/** A product's catalog; `ramService` is its RAM service code (ecs, dds, kvstore), for naming denied actions. */
export function defineCatalog(entries: Catalog, ramService?: string): Catalog {
  if (ramService) RAM_SERVICES.set(entries, ramService);
  return entries;
}

export function ramServiceOf(catalog: Catalog): string | undefined {
  return RAM_SERVICES.get(catalog);
}

/** Product codes first, then the common ones; codes containing "Throttling" are always flow control. */
export function lookup(code: string, productCatalog: Catalog = {}): CatalogEntry | undefined {
  const entry = productCatalog[code] ?? COMMON_CATALOG[code] ?? TRANSPORT_CATALOG[code];
  if (entry) return entry;
  if (code.includes("Throttling")) return COMMON_CATALOG.Throttling;
  return undefined;
}
