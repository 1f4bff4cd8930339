// Real Alibaba Cloud SDK clients pointed at the emulator, for the benchmark's setup and for the Terraform model
// (ECS and R-KVStore through their npm SDKs, DDS through openapi-core's generic callApi, as the provider does).
// One client per product and region, kept for the process (as terraform-provider-alicloud keeps its clients),
// with no SDK retries: every retry is the caller's.
import Ecs from "@alicloud/ecs20140526";
import OpenApi, { $OpenApiUtil, OpenApiUtil } from "@alicloud/openapi-core";
import Kv from "@alicloud/r-kvstore20150101";
import * as $dara from "@darabonba/typescript";

export const CREDENTIAL = { accessKeyId: "emulator", accessKeySecret: "emulator-secret" };

function config(url: string, region: string): $OpenApiUtil.Config {
  const u = new URL(url);
  return new $OpenApiUtil.Config({
    ...CREDENTIAL,
    endpoint: u.host,
    protocol: u.protocol === "https:" ? "https" : "http",
    regionId: region,
    // terraform-provider-alicloud's client_read_timeout / client_connect_timeout default to 60 s.
    readTimeout: 60_000,
    connectTimeout: 60_000,
  });
}

const cache = new Map<string, unknown>();

function cached<T>(key: string, make: () => T): T {
  let c = cache.get(key) as T | undefined;
  if (!c) cache.set(key, (c = make()));
  return c;
}

export const ecs = (url: string, region: string): Ecs => cached(`ecs|${url}|${region}`, () => new Ecs(config(url, region)));
export const kv = (url: string, region: string): Kv => cached(`kv|${url}|${region}`, () => new Kv(config(url, region)));

export interface Rpc {
  call(action: string, query: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export function dds(url: string, region: string): Rpc {
  return cached(`dds|${url}|${region}`, () => {
    const client = new OpenApi(config(url, region));
    return {
      async call(action: string, query: Record<string, unknown>) {
        const params = new $OpenApiUtil.Params({
          action, version: "2015-12-01", protocol: "HTTPS", pathname: "/", method: "POST", authType: "AK", style: "RPC", reqBodyType: "formData", bodyType: "json",
        });
        const sent = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
        const req = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(sent) });
        const res = (await client.callApi(params, req, new $dara.RuntimeOptions({}))) as { body: Record<string, unknown> };
        return res.body;
      },
    };
  });
}

export const runtime = (): $dara.RuntimeOptions => new $dara.RuntimeOptions({});

/** What a failed SDK call tells: the API code (undefined for transport failures), its message, HTTP status. */
export interface SdkFailure {
  code?: string;
  message: string;
  data: string;
  status?: number;
}

export function sdkFailure(e: unknown): SdkFailure {
  const err = (e ?? {}) as { code?: unknown; message?: unknown; statusCode?: unknown; data?: Record<string, unknown> };
  const apiCode = typeof err.code === "string" && err.code !== "undefined" && err.data !== undefined ? err.code : undefined;
  return {
    code: apiCode,
    message: typeof err.data?.Message === "string" ? err.data.Message : String(err.message ?? e),
    data: err.data ? JSON.stringify(err.data) : "",
    status: typeof err.statusCode === "number" ? err.statusCode : undefined,
  };
}
