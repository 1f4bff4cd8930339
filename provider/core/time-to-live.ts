// Time-to-live: `expiresAt` (an ISO time) or `timeToLive` ("4h", "30m", "2d", "1h30m") on every resource. ECS hands
// it to the cloud (AutoReleaseTime), which releases the instance itself; MongoDB and Redis carry it as the tag
// `pulumi:expires-at` that `alicloud-release sweep --expired` acts on. Durations use the same units as
// `sweep --older-than`. The resolved time is stored in the outputs as `expiresAt`, so a relative `timeToLive`
// does not slide forward at every `up`: it is computed at create, and again only when it is changed.
import type { CheckFailure } from "./options";
import { isoSecond } from "./timing";

export const TTL_KEYS = ["expiresAt", "timeToLive"] as const;

/** The output holding the resolved end of the time-to-live (ISO to the second). */
export const TTL_ENDS = "timeToLiveEnds";

/** What a kind does with its time-to-live: product rules for check, and how a changed one is applied in place. */
export interface TimeToLiveSupport {
  /** Failures of the product's own rules, given the resolved end. */
  check?(news: Record<string, unknown>, ends: string): CheckFailure[];
  /** Set the new end on the instance(s), or cancel it (undefined). */
  apply(id: string, outs: Record<string, unknown>, ends: string | undefined): Promise<void>;
}

/** The tag MongoDB and Redis instances carry (ECS too has its AutoReleaseTime). */
export const EXPIRES_AT_TAG_KEY = "pulumi:expires-at";

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "90m", "4h", "2d", "1h30m" → milliseconds; undefined when it is not such a duration. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  const parts = /^(\d+[smhdw])+$/.test(t) ? t.match(/\d+[smhdw]/g) : null;
  if (!parts) return undefined;
  const ms = parts.reduce((sum, p) => sum + Number(p.slice(0, -1)) * UNITS[p.slice(-1)], 0);
  return ms > 0 ? ms : undefined;
}

/** ISO-8601 to the second, as the APIs take times. */

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function ttlFailures(news: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const { expiresAt, timeToLive } = news;
  if (expiresAt !== undefined && timeToLive !== undefined) failures.push({ property: "timeToLive", reason: "give expiresAt (a time) or timeToLive (a duration), not both" });
  if (expiresAt !== undefined && !(typeof expiresAt === "string" && ISO.test(expiresAt) && Number.isFinite(Date.parse(expiresAt)))) {
    failures.push({ property: "expiresAt", reason: `expiresAt must be an ISO-8601 time with a zone, like "2026-12-24T18:00:00Z", got ${JSON.stringify(expiresAt)}` });
  }
  if (timeToLive !== undefined && !(typeof timeToLive === "string" && parseDuration(timeToLive) !== undefined)) {
    failures.push({ property: "timeToLive", reason: `timeToLive must be a duration like "30m", "4h", "2d" or "1h30m", got ${JSON.stringify(timeToLive)}` });
  }
  return failures;
}

/** The expiry the inputs ask for, resolved against `now` (ISO to the second); undefined without a time-to-live. */
export function resolveExpiresAt(inputs: Record<string, unknown>, now = Date.now()): string | undefined {
  if (typeof inputs.expiresAt === "string" && inputs.expiresAt) return isoSecond(Date.parse(inputs.expiresAt));
  const ms = typeof inputs.timeToLive === "string" ? parseDuration(inputs.timeToLive) : undefined;
  return ms === undefined ? undefined : isoSecond(now + ms);
}

/** The time-to-live inputs that differ: set, changed or removed (removing it cancels it). */
export function ttlChanges(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  return TTL_KEYS.filter((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
}

/** The tag MongoDB and Redis (and ECS, for sweep and status) carry from create on. */
export function expiryTag(inputs: Record<string, unknown>): Record<string, string> {
  return typeof inputs[TTL_ENDS] === "string" ? { [EXPIRES_AT_TAG_KEY]: inputs[TTL_ENDS] as string } : {};
}
