// The one client factory. Every SDK client is made here, per call, from settings read at call time, with
// our own timeouts (the SDK's are 3 s) and no SDK retries (the retry policy in retry.ts is the only one).
import Credential, { Config as CredentialConfig } from "@alicloud/credentials";
import Ecs from "@alicloud/ecs20140526";
import OpenApi, { $OpenApiUtil, OpenApiUtil } from "@alicloud/openapi-core";
import Kv from "@alicloud/r-kvstore20150101";
import * as $dara from "@darabonba/typescript";
import { ConfigurationError, currentStackConfig, endpointOverride } from "./settings";

/**
 * Read timeout: long enough for a slow answer, short enough that a lost reply is retried within the deadline.
 * ALICLOUD_RELEASE_HTTP_TIMEOUT_MS overrides it (slow links; tests of slow replies).
 */
function httpTimeoutMs(): number {
  const n = Number(process.env.ALICLOUD_RELEASE_HTTP_TIMEOUT_MS);
  return n > 0 && Number.isFinite(n) ? n : 15_000;
}
// httpx passes connectTimeout as the socket's idle timeout, so it must be as long as the read timeout.

const PUBLIC_ENDPOINTS = {
  ecs: (region: string) => `ecs.${region}.aliyuncs.com`,
  dds: (region: string) => `mongodb.${region}.aliyuncs.com`,
  kv: (region: string) => (region.startsWith("cn-") && region !== "cn-hongkong" ? "r-kvstore.aliyuncs.com" : `r-kvstore.${region}.aliyuncs.com`),
};

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
    ? new Credential(new CredentialConfig({ type: stack.securityToken ? "sts" : "access_key", accessKeyId: stack.accessKey, accessKeySecret: stack.secretKey, securityToken: stack.securityToken }))
    : new Credential();
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

function config(product: keyof typeof PUBLIC_ENDPOINTS, region: string): $OpenApiUtil.Config {
  const override = endpointOverride();
  return new $OpenApiUtil.Config({
    credential: credential(),
    regionId: region,
    endpoint: override?.host ?? PUBLIC_ENDPOINTS[product](region),
    protocol: override?.protocol ?? "https",
    readTimeout: httpTimeoutMs(),
    connectTimeout: httpTimeoutMs(),
  });
}

export function ecsClient(region: string): Ecs {
  return new Ecs(config("ecs", region));
}

export function kvClient(region: string): Kv {
  return new Kv(config("kv", region));
}

/** DDS has no npm SDK: its RPC calls go through openapi-core's generic callApi, version 2015-12-01. */
export interface DdsClient {
  call(action: string, query: Record<string, unknown>, runtime?: $dara.RuntimeOptions): Promise<Record<string, unknown>>;
}

export function ddsClient(region: string): DdsClient {
  const client = new OpenApi(config("dds", region));
  return {
    async call(action, query, runtime) {
      const params = new $OpenApiUtil.Params({
        action, version: "2015-12-01", protocol: "HTTPS", pathname: "/", method: "POST", authType: "AK", style: "RPC", reqBodyType: "formData", bodyType: "json",
      });
      const req = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) });
      const res = (await client.callApi(params, req, runtime ?? runtimeOptions())) as { body: Record<string, unknown> };
      return res.body;
    },
  };
}

/** Per-request timeouts: the configured one, cut to what is left of the operation's deadline (but ≥ 1 s). */
export function runtimeOptions(deadline?: { remainingMs(): number }): $dara.RuntimeOptions {
  const configured = httpTimeoutMs();
  const ms = deadline ? Math.max(Math.min(1000, configured), Math.min(configured, deadline.remainingMs())) : configured;
  return new $dara.RuntimeOptions({ readTimeout: ms, connectTimeout: ms });
}
