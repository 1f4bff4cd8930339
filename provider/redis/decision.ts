// What the Tair (Redis) release lifecycle (release.ts) will do with one instance, from one describe (the release's
// list item, or DescribeInstanceAttribute, which `alicloud-release plan` reports from without acting), with the same
// rules and periods. Release protection not known (the list does not return it) is left to DeleteInstance to refuse.
import { KvState, RELEASED } from "./api";
import { EXPIRED_RELEASE_DAYS, RECYCLE_BIN_DAYS, RedisDeleteOptions } from "./release";

const DAY_MS = 86_400_000;

export type RedisDecision =
  | { kind: "gone" }
  /** Already in the recycle bin: kept (recoverable) or, with purgeRecycleBin, DestroyInstance. */
  | { kind: "in-recycle-bin"; purge: boolean }
  /** `releasedByServiceAt`: an expired subscription, which the service releases into the bin then. */
  | { kind: "refuse"; code: "InstanceReleaseProtection" | "ChargeTypeViolation"; reason: string; expired?: boolean; releasedByServiceAt?: number }
  | { kind: "retain"; endTime?: string; expired: boolean }
  /** DeleteInstance into the recycle bin, then kept or purged. */
  | { kind: "release"; unprotect: boolean; purge: boolean };

/** When the service releases an expired subscription into the recycle bin (day 31 after expiry). */
export function serviceReleaseTime(endTime: string | undefined): number | undefined {
  const end = endTime ? Date.parse(endTime) : NaN;
  return Number.isFinite(end) ? end + EXPIRED_RELEASE_DAYS * DAY_MS : undefined;
}

/** A recycle-bin entry is kept this long after it entered the bin. */
export function recycleBinUntil(enteredAt: number): number {
  return enteredAt + RECYCLE_BIN_DAYS * DAY_MS;
}

/** `expired`: what the lifecycle also asks the service (DescribeInstances Expired=true), when known. */
export function decideRedisRelease(s: KvState | null, options: RedisDeleteOptions, expired?: boolean, now = Date.now()): RedisDecision {
  if (!s) return { kind: "gone" };
  if (s.status === RELEASED) return { kind: "in-recycle-bin", purge: options.purgeRecycleBin };
  const retain = options.onSubscription === "retain";
  if (s.chargeType === "PrePaid") {
    const end = s.endTime ? Date.parse(s.endTime) : NaN;
    const isExpired = s.status === "Inactive" || expired === true || (Number.isFinite(end) && end <= now);
    if (retain) return { kind: "retain", endTime: s.endTime, expired: isExpired };
    if (!isExpired) return { kind: "refuse", code: "ChargeTypeViolation", reason: `subscription (PrePaid) that has not expired (expires ${s.endTime ?? "an unknown date"}); the API cannot release it before expiry` };
    return { kind: "refuse", code: "ChargeTypeViolation", reason: `expired subscription not yet in the recycle bin: the service releases it on day 31 after expiry`, expired: true, releasedByServiceAt: serviceReleaseTime(s.endTime) };
  }
  if (s.releaseProtection && !options.overrideProtection) {
    return { kind: "refuse", code: "InstanceReleaseProtection", reason: "release protection (InstanceReleaseProtection) is on and overrideProtection is not set" };
  }
  return { kind: "release", unprotect: s.releaseProtection === true, purge: options.purgeRecycleBin };
}
