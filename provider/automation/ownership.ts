// The ownership tags every instance this package creates carries, and the expiry tag of a time-to-live. sweep and
// status find a stack's instances by these tags only: an instance without them is never touched.
// The keys are defined once, in provider/core/ownership.ts, where the creates set them.
import { OWNERSHIP_TAG_KEYS } from "../core/ownership";

export { OWNERSHIP_TAG_KEYS };
/** ISO time after which `sweep --expired` releases the instance (MongoDB, Redis; ECS uses the cloud's AutoReleaseTime). */
export { EXPIRES_AT_TAG_KEY } from "../core/time-to-live";

/** The tag filter for one stack (or, without a stack, every stack of the project). */
export function ownershipFilter(project: string, stack?: string): Record<string, string> {
  return { [OWNERSHIP_TAG_KEYS.project]: project, ...(stack ? { [OWNERSHIP_TAG_KEYS.stack]: stack } : {}) };
}

/** Checked again on every listed instance, whatever the API's filter did. */
export function carriesOwnership(tags: Record<string, string>, filter: Record<string, string>): boolean {
  return Object.entries(filter).every(([k, v]) => tags[k] === v);
}
