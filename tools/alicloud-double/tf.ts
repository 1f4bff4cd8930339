// The pieces of terraform-provider-alicloud (through pulumi-alicloud's bridge) that its deletes are made of, as
// /work/shared/docs/anchors-providers.md §0 describes them: RpcPost (one generic RPC call per product and
// version), resource.Retry (0.5 → 1 → 2 → 4 → 8 → 10 s between attempts, capped), incrementalWait (the first call
// sleeps `first`, every later one `inc`), BuildStateConf (a delay, then polls 3, 6, 10, 10 … s apart until the
// target or the timeout) and DefaultErrorMsg. Every wait is multiplied by the emulator's time scale.
import OpenApi, { $OpenApiUtil, OpenApiUtil } from "@alicloud/openapi-core";
import * as $dara from "@darabonba/typescript";
import Credential, { Config as CredentialConfig } from "@alicloud/credentials";
import { asApiFailure, type ApiFailure } from "../../provider/core/failure";

export type Props = Record<string, unknown>;

export interface TfContext {
  region: string;
  /** ALICLOUD_RELEASE_TIME_SCALE: 0.01 makes a 10 s wait 100 ms, as the emulator's clock runs. */
  timeScale: number;
  rpc(product: Product, action: string, params: Props): Promise<Props>;
  log(line: string): void;
}

export const PRODUCTS = { Ecs: "2014-05-26", Vpc: "2016-04-28", Dds: "2015-12-01", "R-kvstore": "2015-01-01" } as const;
export type Product = keyof typeof PRODUCTS;

/** An API error as terraform-provider-alicloud sees it (code and message), thrown by rpc(). */
export class TfApiError extends Error {
  constructor(
    readonly action: string,
    readonly failure: ApiFailure,
  ) {
    super(`${failure.code}: ${failure.serviceMessage}`);
    this.name = "TfApiError";
  }
  get code(): string {
    return this.failure.code;
  }
}

/** The RpcPost of the Terraform provider: any product, any action, over the official openapi-core client. */
export function makeRpc(env: NodeJS.ProcessEnv, region: string): TfContext["rpc"] {
  const raw = env.ALICLOUD_RELEASE_ENDPOINT;
  if (!raw) throw new Error("the alicloud double talks to the emulator only: set ALICLOUD_RELEASE_ENDPOINT");
  const url = new URL(raw.includes("://") ? raw : `http://${raw}`);
  const credential = new Credential(
    new CredentialConfig({ type: "access_key", accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? "emulator", accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? "emulator-secret" }),
  );
  const client = new OpenApi(new $OpenApiUtil.Config({ credential, regionId: region, endpoint: url.host, protocol: url.protocol.replace(":", ""), readTimeout: 15_000, connectTimeout: 15_000 }));
  return async (product, action, params) => {
    const p = new $OpenApiUtil.Params({ action, version: PRODUCTS[product], protocol: "HTTPS", pathname: "/", method: "POST", authType: "AK", style: "RPC", reqBodyType: "formData", bodyType: "json" });
    // Lists become Key.N and objects Key.N.Field, as the Go SDK's RpcPost sends them.
    const query = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== null));
    try {
      const res = (await client.callApi(p, new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) }), new $dara.RuntimeOptions({ readTimeout: 15_000, connectTimeout: 15_000 }))) as { body: Props };
      return res.body;
    } catch (e) {
      throw new TfApiError(action, asApiFailure(e));
    }
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** IsExpectedErrors: the code, or a code that starts with one of them, or a message that mentions one (its looseness). */
export function isExpected(e: unknown, codes: string[]): boolean {
  if (!(e instanceof TfApiError)) return false;
  return codes.some((c) => e.code === c || e.code.startsWith(c) || e.failure.serviceMessage.includes(c));
}

/**
 * NeedRetry: throttling, ServiceUnavailable, 5xx and transport errors. Its `^code: 5\d\d` match on the Go SDK's
 * message also retries a gateway's HTML error page (502/503/504), which the Node SDK reports as an unparseable reply
 * (BadReply) without the status.
 */
export function needRetry(e: unknown): boolean {
  if (!(e instanceof TfApiError)) return false;
  const { code, statusCode } = e.failure;
  return /Throttling/.test(code) || code === "ServiceUnavailable" || code === "Timeout" || code === "Network" || code === "ServerError" || code === "BadReply" || (statusCode ?? 0) >= 500;
}

/** NotFoundError: 404, or a NotFound code. */
export function notFound(e: unknown, codes: string[] = []): boolean {
  return e instanceof TfApiError && (e.failure.statusCode === 404 || codes.includes(e.code) || /NotFound/.test(e.code));
}

/** incrementalWait(first, inc): its `waitTime` lives inside the closure, so only the first sleep is `first`. */
export function incrementalWait(ctx: TfContext, firstS: number, incS: number): () => Promise<void> {
  let calls = 0;
  return () => sleep((calls++ === 0 ? firstS : incS) * 1000 * ctx.timeScale);
}

/**
 * resource.Retry(timeout, f): f returns "retry" with the error to try again; the gaps between attempts back off
 * 0.5 → 10 s. On timeout the last error is returned (thrown).
 */
export async function retry(ctx: TfContext, timeoutS: number, f: () => Promise<"done" | { retry: unknown }>): Promise<void> {
  const deadline = Date.now() + timeoutS * 1000 * ctx.timeScale;
  let gapS = 0.5;
  for (;;) {
    const r = await f();
    if (r === "done") return;
    if (Date.now() >= deadline) throw r.retry;
    await sleep(gapS * 1000 * ctx.timeScale);
    gapS = Math.min(10, gapS * 2);
  }
}

/**
 * The delete functions' one shape: resource.Retry around one call; an error `retryable` accepts sleeps `pause`
 * (their incrementalWait or constant sleep; none for ECS's own codes) and retries, any other ends the retry.
 * `logAs` names the call in the provider lines a retried answer produces.
 */
export function retryCall(
  ctx: TfContext,
  timeoutS: number,
  call: () => Promise<unknown>,
  retryable: (e: unknown) => boolean,
  pause: (e: unknown) => Promise<void> = async () => undefined,
  logAs?: string,
): Promise<void> {
  return retry(ctx, timeoutS, async () => {
    try {
      await call();
      return "done";
    } catch (e) {
      if (!retryable(e)) throw e;
      if (logAs) ctx.log(`${logAs} answered ${e instanceof TfApiError ? e.code : (e as Error).message}; retrying`);
      await pause(e);
      return { retry: e };
    }
  });
}

/** A describe call as the provider's Describe* functions make it: retried on NeedRetry for up to 5 min. */
export async function read(ctx: TfContext, product: Product, action: string, params: Props): Promise<Props> {
  let out: Props = {};
  await retryCall(ctx, 300, async () => (out = await ctx.rpc(product, action, params)), needRetry, () => sleep(1000 * ctx.timeScale));
  return out;
}

/**
 * BuildStateConf(pending, target, timeout, delay, refresh).WaitForState(): after `delay`, refresh; undefined means
 * the resource is gone. Done when the state is in target (or gone with target []); a state outside pending and
 * target fails at once when pending is not empty.
 */
export async function waitForState(
  ctx: TfContext,
  o: { id: string; pending: string[]; target: string[]; timeoutS: number; delayS: number; refresh: () => Promise<string | undefined> },
): Promise<void> {
  const deadline = Date.now() + o.timeoutS * 1000 * ctx.timeScale;
  await sleep(o.delayS * 1000 * ctx.timeScale);
  let gapS = 3;
  let last = "";
  for (;;) {
    const state = await o.refresh();
    if (state === undefined && (o.target.length === 0 || o.target.includes(""))) return;
    if (state !== undefined) {
      last = state;
      if (o.target.includes(state)) return;
      if (o.pending.length && !o.pending.includes(state)) throw new Error(`unexpected state '${state}', wanted target '${o.target.join(", ")}'. last error: %!s(<nil>)`);
    }
    if (Date.now() >= deadline) throw new Error(`timeout while waiting for state to become '${o.target.join(", ")}' (last state: '${last}', timeout: ${formatDuration(o.timeoutS)})`);
    await sleep(gapS * 1000 * ctx.timeScale);
    gapS = Math.min(10, gapS * 2);
  }
}

function formatDuration(s: number): string {
  const m = Math.floor(s / 60);
  return `${m ? `${m}m` : ""}${s % 60}s`;
}

/** DefaultErrorMsg, "Resource %s %s Failed!!! %s", with the SDK error's code, message and RequestId. */
export function tfError(id: string, action: string, e: unknown): Error {
  if (e instanceof TfApiError) {
    const f = e.failure;
    return new Error(`Resource ${id} ${action} Failed!!! [SDK alibaba-cloud-sdk-go ERROR]:\nSDK.ServerError\nErrorCode: ${f.code}\nRecommend: \nRequestId: ${f.requestId ?? ""}\nMessage: ${f.serviceMessage}`);
  }
  return new Error(`Resource ${id} ${action} Failed!!! ${(e as Error).message}`);
}
