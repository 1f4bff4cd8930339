// Real SDK clients pointed at an emulator, for conformance tests: ECS, R-KVStore and VPC through their npm
// SDKs, DDS through openapi-core's generic callApi (there is no DDS package on npm).
import Ecs from "@alicloud/ecs20140526";
import OpenApi, { $OpenApiUtil, OpenApiUtil } from "@alicloud/openapi-core";
import Kv from "@alicloud/r-kvstore20150101";
import Vpc from "@alicloud/vpc20160428";
import * as $dara from "@darabonba/typescript";

export type SignatureMode = "acs3" | "v1";

export interface ClientOptions {
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  signature?: SignatureMode;
  timeoutMs?: number;
}

export function sdkConfig(url: string, o: ClientOptions = {}): $OpenApiUtil.Config {
  const u = new URL(url);
  return new $OpenApiUtil.Config({
    accessKeyId: o.accessKeyId ?? "emulator",
    accessKeySecret: o.accessKeySecret ?? "emulator-secret",
    securityToken: o.securityToken,
    endpoint: u.host,
    protocol: "http",
    regionId: "cn-hangzhou",
    readTimeout: o.timeoutMs ?? 10000,
    connectTimeout: o.timeoutMs ?? 10000,
    signatureAlgorithm: o.signature === "v1" ? "v2" : undefined,
  });
}

export const ecsClient = (url: string, o?: ClientOptions): Ecs => new Ecs(sdkConfig(url, o));
export const kvClient = (url: string, o?: ClientOptions): Kv => new Kv(sdkConfig(url, o));
export const vpcClient = (url: string, o?: ClientOptions): Vpc => new Vpc(sdkConfig(url, o));

/** Any RPC call through openapi-core's generic callApi (how DDS is called: there is no DDS package on npm). */
export async function rpcCall(url: string, version: string, action: string, query: Record<string, unknown>, o?: ClientOptions): Promise<Record<string, unknown>> {
  const client = new OpenApi(sdkConfig(url, o));
  const params = new $OpenApiUtil.Params({
    action, version, protocol: "HTTPS", pathname: "/", method: "POST", authType: "AK", style: "RPC", reqBodyType: "formData", bodyType: "json",
  });
  const req = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) });
  const res = (await client.callApi(params, req, new $dara.RuntimeOptions({}))) as { body: Record<string, unknown> };
  return res.body;
}

/** A DDS (2015-12-01) call; returns the parsed body. */
export const ddsCall = (url: string, action: string, query: Record<string, unknown>, o?: ClientOptions): Promise<Record<string, unknown>> =>
  rpcCall(url, "2015-12-01", action, query, o);

/** The SDK error's fields that a test asserts on. */
export interface SdkErrorFields {
  code: string;
  statusCode: number;
  message: string;
  name: string;
  requestId?: string;
  retryAfter?: number;
  data?: Record<string, unknown>;
}

export async function sdkError(p: Promise<unknown>): Promise<SdkErrorFields> {
  try {
    await p;
  } catch (e) {
    const err = e as SdkErrorFields & { data?: { RequestId?: string } };
    return { code: err.code, statusCode: err.statusCode, message: err.message, name: err.name, requestId: err.data?.RequestId, retryAfter: err.retryAfter, data: err.data };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
