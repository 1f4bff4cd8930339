// Ownership tags: every instance this package creates carries the Pulumi project, stack and resource name, so a
// sweep can find what a stack made even when its state lost it (a create whose reply never came, a deleted stack).
// The keys are defined here and nowhere else; the resource classes pass the values as a hidden input, because a
// dynamic provider's create does not see the resource's URN.

export const OWNERSHIP_TAG_KEYS = {
  project: "pulumi:project",
  stack: "pulumi:stack",
  name: "pulumi:name",
} as const;

import { EXPIRES_AT_TAG_KEY, expiryTag } from "./time-to-live";

export { EXPIRES_AT_TAG_KEY };

/** The hidden input the resource classes set (not part of any Args type). */
export const OWNERSHIP_INPUT = "ownership";

export interface Ownership {
  project: string;
  stack: string;
  name: string;
}

/** Tags this package sets itself: never the user's `tags`, never removed by a tag update. */
export function isOwnershipTagKey(key: string): boolean {
  return (Object.values(OWNERSHIP_TAG_KEYS) as string[]).includes(key) || key === EXPIRES_AT_TAG_KEY;
}

/**
 * The tags to add on create, from the hidden input (none when it is absent, e.g. a provider called directly), and
 * the time-to-live's expiry tag when the resource has one.
 */
export function ownershipTags(inputs: Record<string, unknown>): Record<string, string> {
  const o = inputs[OWNERSHIP_INPUT] as Partial<Ownership> | undefined;
  if (!o || typeof o !== "object") return expiryTag(inputs);
  const tags: Record<string, string> = expiryTag(inputs);
  for (const k of ["project", "stack", "name"] as const) if (typeof o[k] === "string" && o[k]) tags[OWNERSHIP_TAG_KEYS[k]] = o[k] as string;
  return tags;
}

/** What the resource classes add to the inputs. */
export function ownershipInput(project: string, stack: string, name: string): Record<string, Ownership> {
  return { [OWNERSHIP_INPUT]: { project, stack, name } };
}
