// The one client factory. Every API call is made here, per call, from settings read at call time, with our own
// timeouts (the SDK's are 3 s), no SDK retries (the retry policy in retry.ts is the only one), and at the pace of
// the one pacer (pacer.ts), whatever path it takes: the generic `callApi` below or a full SDK client.
//
// SDKs load only when a product is first called: everything here is `require`d inside the function that needs it,
// and the release calls go through openapi-core's generic callApi with the SDK's own request and response model
// classes, each loaded from its own file (`sdkModels`), so a teardown never loads an SDK's 1.5 MB client module.
// Elsewhere the SDK packages are imported with `import type` only.
import type Credential from "@alicloud/credentials";
import type Ecs from "@alicloud/ecs20140526";
import type OpenApi from "@alicloud/openapi-core";
import type { $OpenApiUtil } from "@alicloud/openapi-core";
import type Kv from "@alicloud/r-kvstore20150101";
import type * as $dara from "@darabonba/typescript";
import { paced } from "./pacer";
import { ConfigurationError, currentStackConfig, endpointOverride } from "./settings";

/* eslint-disable @typescript-eslint/no-require-imports */
const core = (): typeof import("@alicloud/openapi-core") => require("@alicloud/openapi-core");
const dara = (): typeof import("@darabonba/typescript") => require("@darabonba/typescript");
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Read timeout: long enough for a slow answer, short enough that a lost reply is retried within the deadline.
 * ALICLOUD_RELEASE_HTTP_TIMEOUT_MS overrides it (slow links; tests of slow replies).
 */
function httpTimeoutMs(): number {
  const n = Number(process.env.ALICLOUD_RELEASE_HTTP_TIMEOUT_MS);
  return n > 0 && Number.isFinite(n) ? n : 15_000;
}
// httpx passes connectTimeout as the socket's idle timeout, so it must be as long as the read timeout.

export type Product = "ecs" | "dds" | "kv";

const PUBLIC_ENDPOINTS: Record<Product, (region: string) => string> = {
  ecs: (region: string) => `ecs.${region}.aliyuncs.com`,
  dds: (region: string) => `mongodb.${region}.aliyuncs.com`,
  kv: (region: string) => (region.startsWith("cn-") && region !== "cn-hongkong" ? "r-kvstore.aliyuncs.com" : `r-kvstore.${region}.aliyuncs.com`),
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
const credentials = (): typeof import("@alicloud/credentials") => require("@alicloud/credentials");

let cachedCredential: { key: string; credential: Credential } | undefined;

/**
 * The environment's default chain when it has keys (or a profile/role is configured), else the stack's
 * alicloud:accessKey/secretKey. Stack keys win over the chain's profile and metadata providers only when the
 * environment has no keys, so `pulumi destroy` with fresh environment credentials never uses stale state.
 */
function credential(): Credential {
  const stack = currentStackConfig();
  const envHasKeys = Boolean(process.env.ALIBABA_CLOUD_ACCESS_KEY_ID && process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
  const useStack = !envHasKeys && Boolean(stack.accessKey && stack.secretKey);
  const key = useStack ? `stack:${stack.accessKey}:${stack.secretKey}:${stack.securityToken ?? ""}` : `chain:${process.env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? ""}:${process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? ""}`;
  if (cachedCredential?.key === key) return cachedCredential.credential;
  const made = useStack
    ? new (credentials().default)(new (credentials().Config)({ type: stack.securityToken ? "sts" : "access_key", accessKeyId: stack.accessKey, accessKeySecret: stack.secretKey, securityToken: stack.securityToken }))
    : new (credentials().default)();
  cachedCredential = { key, credential: made };
  return made;
}

/** Fails early, with the ways to provide credentials, instead of an SDK stack trace. */
export async function checkCredentials(): Promise<void> {
  try {
    await credential().getCredential();
  } catch (e) {
    throw new ConfigurationError(
      "No Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (or a profile / RAM role for @alicloud/credentials), " +
        `or \`pulumi config set alicloud:accessKey …\` and \`pulumi config set --secret alicloud:secretKey …\`. (${(e as Error).message})`,
    );
  }
}

function config(product: Product, region: string): $OpenApiUtil.Config {
  const override = endpointOverride();
  return new (core().$OpenApiUtil.Config)({
    credential: credential(),
    regionId: region,
    endpoint: override?.host ?? PUBLIC_ENDPOINTS[product](region),
    protocol: override?.protocol ?? "https",
    readTimeout: httpTimeoutMs(),
    connectTimeout: httpTimeoutMs(),
  });
}

/** The service name the pacer and the emulator know each product by, and its API version. */
const API: Record<Product, { service: string; version: string }> = {
  ecs: { service: "ecs", version: "2014-05-26" },
  dds: { service: "dds", version: "2015-12-01" },
  kv: { service: "r-kvstore", version: "2015-01-01" },
};

/** Every call of this client waits for its (product, action, region) token and reports its answer to the pacer. */
function pacedClient<C extends OpenApi>(client: C, product: Product, region: string): C {
  const call = client.callApi.bind(client);
  client.callApi = (params, request, runtime) => paced(API[product].service, params.action ?? "?", region, () => call(params, request, runtime));
  return client;
}

/** The full ECS SDK client (create and update surfaces); loads the SDK on first use. */
export function ecsClient(region: string): Ecs {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EcsClient = (require("@alicloud/ecs20140526") as typeof import("@alicloud/ecs20140526")).default;
  return pacedClient(new EcsClient(config("ecs", region)), "ecs", region);
}

/** The full R-KVStore SDK client (create and update surfaces); loads the SDK on first use. */
export function kvClient(region: string): Kv {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const KvClient = (require("@alicloud/r-kvstore20150101") as typeof import("@alicloud/r-kvstore20150101")).default;
  return pacedClient(new KvClient(config("kv", region)), "kv", region);
}

/**
 * One RPC call, as the SDK's `<action>WithOptions` method makes it (same parameters, signature and body), without
 * loading the SDK's client: `request` is an SDK request model (or a plain PascalCase map) and the reply is cast into
 * `response`, an SDK response model, as the SDK does.
 */
export async function callApi<R extends $dara.Model>(product: Product, region: string, action: string, request: $dara.Model | Record<string, unknown>, response: R, runtime?: $dara.RuntimeOptions): Promise<R> {
  return dara().cast(await rawCall(product, region, action, request, runtime), response);
}

/** The reply as it came: { body, headers, statusCode }, the body PascalCase JSON. */
async function rawCall(product: Product, region: string, action: string, request: $dara.Model | Record<string, unknown>, runtime?: $dara.RuntimeOptions): Promise<{ body: Record<string, unknown> }> {
  const { $OpenApiUtil: U, OpenApiUtil, default: OpenApiClient } = core();
  const client = pacedClient(new OpenApiClient(config(product, region)), product, region);
  const params = new U.Params({
    action, version: API[product].version, protocol: "HTTPS", pathname: "/", method: "POST", authType: "AK", style: "RPC", reqBodyType: "formData", bodyType: "json",
  });
  const req = new U.OpenApiRequest({ query: OpenApiUtil.query(request) });
  return (await client.callApi(params, req, runtime ?? runtimeOptions())) as { body: Record<string, unknown> };
}

/** DDS has no npm SDK: its calls answer PascalCase JSON, handed over as it came. */
export interface DdsClient {
  call(action: string, query: Record<string, unknown>, runtime?: $dara.RuntimeOptions): Promise<Record<string, unknown>>;
}

export function ddsClient(region: string): DdsClient {
  return { call: async (action, query, runtime) => (await rawCall("dds", region, action, query, runtime)).body };
}

/**
 * An SDK package's model classes, each `require`d from its own file (dist/models/<Name>.js) on first use, so that
 * using DescribeInstancesRequest does not load the package's client and its 3,000 other models. A name without a
 * file of its own (a nested class) falls back to the package itself.
 */
export function sdkModels<M extends object>(pkg: string): M {
  const loaded = new Map<string, unknown>();
  return new Proxy({} as M, {
    get(_target, name) {
      if (typeof name !== "string") return undefined;
      if (!loaded.has(name)) loaded.set(name, loadModel(pkg, name));
      return loaded.get(name);
    },
  });
}

function loadModel(pkg: string, name: string): unknown {
  /* eslint-disable @typescript-eslint/no-require-imports */
  try {
    return (require(`${pkg}/dist/models/${name}`) as Record<string, unknown>)[name];
  } catch (e) {
    if ((e as { code?: string }).code !== "MODULE_NOT_FOUND") throw e;
    return (require(pkg) as Record<string, unknown>)[name];
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Per-request timeouts: the configured one, cut to what is left of the operation's deadline (but ≥ 1 s). */
export function runtimeOptions(deadline?: { remainingMs(): number }): $dara.RuntimeOptions {
  const configured = httpTimeoutMs();
  const ms = deadline ? Math.max(Math.min(1000, configured), Math.min(configured, deadline.remainingMs())) : configured;
  return new (dara().RuntimeOptions)({ readTimeout: ms, connectTimeout: ms });
}
