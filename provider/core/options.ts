// Delete options shared by every resource of this package. They are inputs, copied into the outputs, because
// delete sees only outputs; reading them back tolerates any shape an earlier version wrote (missing → default).

export type OnSubscription = "fail" | "retain" | "convert";

export interface DeleteOptions {
  /** Skip the graceful stop and release at once (ECS Force=true). */
  force: boolean;
  /** What to do with a subscription that has not expired: fail (default), retain (drop from state), convert. */
  onSubscription: OnSubscription;
  /** Turn deletion/release protection off right before releasing. */
  overrideProtection: boolean;
  /** One deadline for the whole delete. */
  deleteTimeoutSeconds: number;
}

export const DEFAULT_DELETE_OPTIONS: DeleteOptions = { force: false, onSubscription: "fail", overrideProtection: false, deleteTimeoutSeconds: 1200 };

export const MAX_DELETE_TIMEOUT_SECONDS = 7 * 24 * 3600;

export interface CheckFailure {
  property: string;
  reason: string;
}

/** Validation for `check`: precise reasons, never a throw. */
export function checkDeleteOptions(inputs: Record<string, unknown>, allowed: readonly OnSubscription[]): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const flag of ["force", "overrideProtection"] as const) {
    if (inputs[flag] !== undefined && typeof inputs[flag] !== "boolean") failures.push({ property: flag, reason: `${flag} must be true or false, got ${JSON.stringify(inputs[flag])}` });
  }
  const on = inputs.onSubscription;
  if (on !== undefined && !(allowed as readonly unknown[]).includes(on)) {
    failures.push({ property: "onSubscription", reason: `onSubscription must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${JSON.stringify(on)}` });
  }
  const t = inputs.deleteTimeoutSeconds;
  if (t !== undefined && !(typeof t === "number" && Number.isInteger(t) && t >= 1 && t <= MAX_DELETE_TIMEOUT_SECONDS)) {
    failures.push({ property: "deleteTimeoutSeconds", reason: `deleteTimeoutSeconds must be a whole number of seconds from 1 to ${MAX_DELETE_TIMEOUT_SECONDS} (7 days), got ${JSON.stringify(t)}` });
  }
  return failures;
}

/** From outputs of any version: unknown or missing values fall back to the safe defaults. */
export function deleteOptionsFrom(outputs: Record<string, unknown>): DeleteOptions {
  const on = outputs.onSubscription;
  const t = outputs.deleteTimeoutSeconds;
  return {
    force: outputs.force === true,
    onSubscription: on === "retain" || on === "convert" ? on : "fail",
    overrideProtection: outputs.overrideProtection === true,
    deleteTimeoutSeconds: typeof t === "number" && t >= 1 && t <= MAX_DELETE_TIMEOUT_SECONDS ? t : DEFAULT_DELETE_OPTIONS.deleteTimeoutSeconds,
  };
}

export function deleteOptionsOutputs(inputs: Record<string, unknown>): DeleteOptions {
  return deleteOptionsFrom(inputs);
}
