// What the ECS release lifecycle will do with one instance, decided from DescribeInstances alone before anything is
// changed. release.ts acts on it; `alicloud-release plan` reports it without acting.
import { DeleteOptions } from "../core/options";
import { EcsInstanceState } from "./api";

export type EcsDecision =
  | { kind: "refuse"; code: "InvalidOperation.DeletionProtection" | "ChargeTypeViolation"; reason: string }
  | { kind: "retain"; expiredTime?: string }
  | {
      kind: "release";
      /** overrideProtection turns release protection off first. */
      unprotect: boolean;
      /** onSubscription "convert": ModifyInstanceChargeType to pay-as-you-go first. */
      convert: boolean;
      /** An expired subscription: DeleteInstances with TerminateSubscription=true. */
      terminate: boolean;
      /** Graceful stop first (not with force, not when already stopped). */
      stop: boolean;
      /** Locked for security: released with its disks. */
      securityLocked: boolean;
    };

export function isExpired(s: EcsInstanceState, now = Date.now()): boolean {
  if (s.chargeType !== "PrePaid") return false;
  // The API reports an expired instance as Stopped with a "financial" lock; the expiry time says the same.
  if (s.lockReasons.includes("financial")) return true;
  const t = s.expiredTime ? Date.parse(s.expiredTime) : NaN;
  return Number.isFinite(t) && t <= now;
}

/** Every reason to refuse, in the order the messages list them (protection, then subscription). */
export function decideEcsRelease(s: EcsInstanceState, options: DeleteOptions, now = Date.now()): EcsDecision {
  const reasons: { code: "InvalidOperation.DeletionProtection" | "ChargeTypeViolation"; reason: string }[] = [];
  if (s.deletionProtection && !options.overrideProtection) {
    reasons.push({
      code: "InvalidOperation.DeletionProtection",
      reason: `${s.instanceId}: release protection (DeletionProtection) is on. Set overrideProtection: true (then \`pulumi up\`) to turn it off before release, or turn it off in the ECS console.`,
    });
  }
  const unexpiredSubscription = s.chargeType === "PrePaid" && !isExpired(s, now);
  if (unexpiredSubscription && options.onSubscription === "fail") {
    const until = s.expiredTime ?? "an unknown date";
    reasons.push({
      code: "ChargeTypeViolation",
      reason:
        `${s.instanceId}: subscription (PrePaid) instance that has not expired (expires ${until}); the API releases a subscription only after it expires. ` +
        `Choose onSubscription: "convert" (switch to pay-as-you-go with ModifyInstanceChargeType, refunding the unused time within the account's monthly refund quota, then release), ` +
        `"retain" (leave it running until it expires and drop it from Pulumi state), or wait until it expires.`,
    });
  }
  if (reasons.length > 0) return { kind: "refuse", code: reasons[0].code, reason: reasons.map((r) => r.reason).join("\n") };
  if (unexpiredSubscription && options.onSubscription === "retain") return { kind: "retain", expiredTime: s.expiredTime };
  return {
    kind: "release",
    unprotect: s.deletionProtection,
    convert: unexpiredSubscription,
    terminate: isExpired(s, now),
    stop: !options.force && s.status !== "Stopped",
    securityLocked: s.lockReasons.includes("security"),
  };
}
