// Turning whatever the SDK throws into one shape, and a failed release into one self-contained message:
// what failed (resource, instance, action), the code and HTTP status, what it means, what to do, RequestId.
import { Catalog, CatalogEntry, lookup, RetryClass } from "./catalog";

export interface ApiFailure {
  /** The API error code, or Timeout / Network / BadReply / ServerError for failures without one. */
  code: string;
  statusCode?: number;
  requestId?: string;
  /** The service's own message, without the SDK's decorations. */
  serviceMessage: string;
  /** From the x-acs-retry-after header on flow control, in milliseconds. */
  retryAfterMs?: number;
}

/**
 * The HTTP layer appends the full request URL to transport errors, and RPC calls carry every parameter in its
 * query string (a Redis password included): no message leaves here with a query string in it.
 */
export function withoutQueryStrings(text: string): string {
  return text.replace(/(https?:\/\/[^\s?]*)\?\S*/g, "$1?(query omitted)");
}

export function asApiFailure(e: unknown): ApiFailure {
  const err = (e ?? {}) as {
    name?: string; code?: unknown; statusCode?: number; message?: string; retryAfter?: number;
    data?: { RequestId?: string; Message?: string; Code?: string };
  };
  const name = err.name ?? "";
  const message = withoutQueryStrings(typeof err.message === "string" ? err.message : String(e));
  if (["ClientError", "ServerError", "ThrottlingError", "AlibabaCloudError", "ResponseError"].includes(name) && typeof err.code === "string" && err.code !== "undefined") {
    return {
      code: err.code,
      statusCode: err.statusCode,
      requestId: err.data?.RequestId,
      serviceMessage: err.data?.Message ?? message,
      retryAfterMs: typeof err.retryAfter === "number" && err.retryAfter > 0 ? err.retryAfter : undefined,
    };
  }
  if (name === "RequestTimeoutError" || /Timeout\(\d+\)/.test(message)) return { code: "Timeout", serviceMessage: message };
  if (name === "SyntaxError") return { code: "BadReply", serviceMessage: `unparseable reply (${message})` };
  if (typeof err.statusCode === "number" && err.statusCode >= 500) return { code: "ServerError", statusCode: err.statusCode, serviceMessage: message };
  if (/ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up|network/i.test(message) || typeof err.code === "string") {
    return { code: "Network", serviceMessage: message };
  }
  return { code: "Unknown", serviceMessage: message };
}

export function retryClassOf(failure: ApiFailure, catalog: Catalog): RetryClass {
  const entry = lookup(failure.code, catalog);
  if (entry) return entry.retry;
  if (failure.statusCode !== undefined && failure.statusCode >= 500) return "transient";
  return "fatal";
}

export interface FailureContext {
  /** e.g. "ecs.Instance" */
  resource: string;
  /** Instance id(s) concerned. */
  ids: string[];
  action: string;
}

const UNKNOWN: CatalogEntry = {
  retry: "fatal",
  meaning: "Alibaba Cloud returned an error code this provider does not know.",
  remedy: "Look the code up in the Alibaba Cloud error center (https://api.aliyun.com/troubleshoot) with the RequestId.",
};

/** A release step failed: thrown from `delete`, so its message is exactly what `pulumi destroy` shows. */
export class ReleaseError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = "ReleaseError";
  }

  static fromApi(ctx: FailureContext, failure: ApiFailure, catalog: Catalog, note?: string): ReleaseError {
    const entry = lookup(failure.code, catalog) ?? UNKNOWN;
    const status = failure.statusCode ? ` (HTTP ${failure.statusCode})` : "";
    const lines = [
      `${ctx.resource} ${ctx.ids.join(", ")}: ${ctx.action} failed with ${failure.code}${status}: ${failure.serviceMessage}`,
      `  What it means: ${entry.meaning}`,
      `  What to do: ${entry.remedy}`,
    ];
    if (note) lines.push(`  ${note}`);
    lines.push(`  RequestId: ${failure.requestId ?? "none (no reply from the service)"}`);
    return new ReleaseError(lines.join("\n"), failure.code, failure.requestId);
  }

  /** A refusal decided before any change was made (protection, live subscription, bad outputs). */
  static refusal(ctx: Omit<FailureContext, "action">, code: string, what: string, remedy: string): ReleaseError {
    return new ReleaseError(`${ctx.resource} ${ctx.ids.join(", ")}: not released: ${what}\n  What to do: ${remedy}`, code);
  }
}
