// Tags as Pulumi users write them (a map), checked against the documented rules, and the change an update makes:
// which keys to set (TagResources) and which to remove (UntagResources). Ownership tags are never the user's:
// they stay out of `tags` in outputs and are never removed.
import type { CheckFailure } from "./options";
import { isOwnershipTagKey } from "./ownership";

/** TagResources takes at most 20 tags per resource; the ownership tags use three of them. */
export const MAX_USER_TAGS = 17;

export type TagMap = Record<string, string>;

/** Tag rules shared by ECS, DDS and R-KVStore (TagResources): key 1-128 characters, value up to 128. */
export function tagFailures(value: unknown, property = "tags"): CheckFailure[] {
  if (value === undefined) return [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [{ property, reason: `${property} must be a map of tag keys to string values, like { env: "ci" }, got ${JSON.stringify(value)}` }];
  const failures: CheckFailure[] = [];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_USER_TAGS) failures.push({ property, reason: `at most ${MAX_USER_TAGS} tags (20 per instance, 3 of them are this package's ownership tags), got ${entries.length}` });
  for (const [k, v] of entries) {
    const where = `${property}.${k}`;
    if (k.length < 1 || k.length > 128) failures.push({ property: where, reason: `tag key ${JSON.stringify(k)} must be 1 to 128 characters` });
    else if (/^(aliyun|acs:)/i.test(k)) failures.push({ property: where, reason: `tag key ${JSON.stringify(k)} must not start with "aliyun" or "acs:" (reserved by Alibaba Cloud)` });
    else if (/https?:\/\//i.test(k)) failures.push({ property: where, reason: `tag key ${JSON.stringify(k)} must not contain "http://" or "https://"` });
    else if (isOwnershipTagKey(k)) failures.push({ property: where, reason: `tag key ${JSON.stringify(k)} is set by this package (ownership tags); remove it from tags` });
    if (typeof v !== "string") failures.push({ property: where, reason: `tag ${JSON.stringify(k)} must have a string value, got ${JSON.stringify(v)}` });
    else if (v.length > 128 || /https?:\/\//i.test(v)) failures.push({ property: where, reason: `tag ${JSON.stringify(k)}: the value must be at most 128 characters and must not contain "http://" or "https://"` });
  }
  return failures;
}

export function asTagMap(v: unknown): TagMap {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === "string")) as TagMap;
}

/** The cloud's tags without the ownership tags: what `tags` shows after a refresh. */
export function userTags(cloud: TagMap): TagMap {
  return Object.fromEntries(Object.entries(cloud).filter(([k]) => !isOwnershipTagKey(k)));
}

export interface TagChange {
  set: TagMap;
  remove: string[];
}

/** From the tags the instance has (as far as the outputs know) to the ones the program wants. */
export function tagChange(before: unknown, after: unknown): TagChange {
  const a = asTagMap(before);
  const b = asTagMap(after);
  const set = Object.fromEntries(Object.entries(b).filter(([k, v]) => a[k] !== v && !isOwnershipTagKey(k)));
  const remove = Object.keys(a).filter((k) => !(k in b) && !isOwnershipTagKey(k));
  return { set, remove };
}

export const isEmptyChange = (c: TagChange): boolean => Object.keys(c.set).length === 0 && c.remove.length === 0;
