// Turning whatever the SDK throws into one shape, and a failed release into one self-contained message:
// what failed (resource, instance, action), the code and HTTP status, what it means, what to do, RequestId.
import { Catalog, CatalogEntry, lookup, RetryClass } from "./catalog";
import { AccessDenied, accessDeniedFrom, deniedAction, denialLines, isDenialCode, Journal } from "./permissions";

export interface ApiFailure {
  /** The API error code, or Timeout / Network / BadReply / ServerError for failures without one. */
  code: string;
  statusCode?: number;
  requestId?: string;
  /** The service's own message, without the SDK's decorations. */
  serviceMessage: string;
  /** From the x-acs-retry-after header on flow control, in milliseconds. */
  retryAfterMs?: number;
  /** A RAM denial's AccessDeniedDetail. */
  accessDenied?: AccessDenied;
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
      accessDenied: accessDeniedFrom(err.data),
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

/** Runs a release with a journal, so that a RAM denial part-way says the phase and what had been changed. */
export async function journaled<T>(run: (journal: Journal) => Promise<T>): Promise<T> {
  const journal = new Journal();
  try {
    return await run(journal);
  } catch (e) {
    throw ReleaseError.explainDenial(e, journal);
  }
}

const COMMON_DENIAL: CatalogEntry = { retry: "fatal", meaning: "", remedy: "" };

/** A release step failed: thrown from `delete`, so its message is exactly what `pulumi destroy` shows. */
export class ReleaseError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly requestId?: string,
    /** Set when RAM denied the call: the action, as RAM names it. */
    readonly deniedAction?: string,
  ) {
    super(message);
    this.name = "ReleaseError";
  }

  /** A denial part-way through a release, with the phase and what had and had not been changed by then. */
  static explainDenial(e: unknown, journal: Journal): unknown {
    if (!(e instanceof ReleaseError) || !e.deniedAction) return e;
    return e.withLines(journal.lines());
  }

  /** The same error with more lines, before the RequestId (which stays last). */
  withLines(more: string[]): ReleaseError {
    const lines = this.message.split("\n");
    const at = lines.findIndex((l) => l.startsWith("  RequestId: "));
    lines.splice(at < 0 ? lines.length : at, 0, ...more.map((l) => `  ${l}`));
    return new ReleaseError(lines.join("\n"), this.code, this.requestId, this.deniedAction);
  }

  static fromApi(ctx: FailureContext, failure: ApiFailure, catalog: Catalog, note?: string): ReleaseError {
    const denied = failure.accessDenied || isDenialCode(failure.code) ? deniedAction(failure.accessDenied, ctx.action, catalog) : undefined;
    const entry = denied ? { ...COMMON_DENIAL, ...denialLines(denied, failure.accessDenied) } : (lookup(failure.code, catalog) ?? UNKNOWN);
    const status = failure.statusCode ? ` (HTTP ${failure.statusCode})` : "";
    const lines = [
      `${ctx.resource} ${ctx.ids.join(", ")}: ${ctx.action} failed with ${failure.code}${status}: ${failure.serviceMessage}`,
      `  What it means: ${entry.meaning}`,
      `  What to do: ${entry.remedy}`,
    ];
    if (note) lines.push(`  ${note}`);
    lines.push(`  RequestId: ${failure.requestId ?? "none (no reply from the service)"}`);
    return new ReleaseError(lines.join("\n"), failure.code, failure.requestId, denied);
  }

  /** A refusal decided before any change was made (protection, live subscription, bad outputs). */
  static refusal(ctx: Omit<FailureContext, "action">, code: string, what: string, remedy: string): ReleaseError {
    return new ReleaseError(`${ctx.resource} ${ctx.ids.join(", ")}: not released: ${what}\n  What to do: ${remedy}`, code);
  }

  /**
   * The state holds ids that are not this product's (another product's, or garbage): looked up, they would answer
   * not-found, which a release counts as success, dropping from state whatever the resource really managed. So
   * they are not looked up, and nothing is called.
   */
  static foreignIds(resource: string, ids: string[], product: string, code: string): ReleaseError {
    const [subject, what] =
      ids.length === 1
        ? [`${resource} ${ids[0]}`, `the stored id is not ${product} instance id, so it was not looked up`]
        : [resource, `the stored ids ${ids.join(", ")} are not ${product} instance ids, so they were not looked up`];
    return new ReleaseError(`${subject}: not released: ${what} (a not-found answer would wrongly count as released). Check the state.`, code);
  }

  /**
   * The state names one region, the API found the id in another. Calls that look an id up in every region
   * (DDS, R-KVStore) would otherwise release an instance the state does not describe; and counting it as gone
   * would drop from state an instance that still bills. So nothing is changed and the user decides.
   */
  static otherRegion(ctx: Omit<FailureContext, "action">, stateRegion: string, actualRegion: string): ReleaseError {
    return ReleaseError.refusal(
      ctx,
      "InvalidRegionId.Mismatch",
      `the state says region ${stateRegion}, but the instance is in region ${actualRegion}; nothing was changed.`,
      `if this is the instance the resource manages, set regionId: "${actualRegion}" (then \`pulumi up\`) and destroy again; otherwise remove the resource from state with \`pulumi state delete <urn>\`.`,
    );
  }
}
