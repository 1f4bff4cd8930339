// What the MongoDB release lifecycle (release.ts) will do with one instance, from DescribeDBInstanceAttribute alone,
// using the same predicates (isExpired, the expiry lock). `alicloud-release plan` reports it without acting.
import { DeleteOptions } from "../core/options";
import { DdsInstanceState, Gone, isGone } from "./api";

export const EXPIRY_LOCK = "LockByExpiration";

/** The API keeps a subscription Running after expiry: only ExpireTime and, later, LockMode say so. */
export function isExpired(s: DdsInstanceState, now = Date.now()): boolean {
  if (s.chargeType !== "PrePaid") return false;
  if (s.lockMode === EXPIRY_LOCK) return true;
  const t = s.expireTime ? Date.parse(s.expireTime) : NaN;
  return Number.isFinite(t) && t <= now;
}

export type MongoDecision =
  | { kind: "gone"; why: string }
  | { kind: "releasing" }
  | { kind: "refuse"; code: "InstanceReleaseProtection" | "ChargeTypeViolation"; reason: string }
  | { kind: "retain"; expireTime?: string }
  | { kind: "release"; action: "DeleteDBInstance"; unprotect: boolean }
  /** An expired subscription: DestroyInstance once under the expiry lock; `waitForLock` when it is not yet. */
  | { kind: "release"; action: "DestroyInstance"; waitForLock: boolean; expireTime?: string };

export function decideMongoRelease(s: DdsInstanceState | Gone, options: DeleteOptions, now = Date.now()): MongoDecision {
  if (isGone(s)) return { kind: "gone", why: s.gone };
  if (s.status === "Deleting") return { kind: "releasing" };
  if (s.chargeType === "PrePaid") {
    if (!isExpired(s, now)) {
      if (options.onSubscription === "retain") return { kind: "retain", expireTime: s.expireTime };
      return { kind: "refuse", code: "ChargeTypeViolation", reason: `subscription (PrePaid) that has not expired (expires ${s.expireTime ?? "an unknown date"}); onSubscription: "retain" would leave it running and drop it from state` };
    }
    return { kind: "release", action: "DestroyInstance", waitForLock: s.lockMode !== EXPIRY_LOCK, expireTime: s.expireTime };
  }
  if (s.releaseProtection && !options.overrideProtection) {
    return { kind: "refuse", code: "InstanceReleaseProtection", reason: "release protection (DBInstanceReleaseProtection) is on and overrideProtection is not set" };
  }
  return { kind: "release", action: "DeleteDBInstance", unprotect: s.releaseProtection };
}
