// Resource tags as the three products serve them: Tag.N on the create calls, Tag.N filters on the describe
// calls, and TagResources / UntagResources / ListTagResources. All three products front the same tag service,
// so the rules and error codes live here once (ECS ListTagResources / TagResources error tables); each product
// only says how its instances are found and what its ResourceType values are.
import { createHash } from "node:crypto";
import { ApiError, invalid } from "./errors";
import { ActionContext, ActionHandler, ErrorTable, errorFrom, regionParam } from "./product";
import { Params } from "./params";
import { Instance, ProductName } from "./store";

export interface Tag {
  Key: string;
  Value: string;
}

/** At most this many tags on one resource, and in one request. */
export const MAX_TAGS = 20;
const MAX_RESOURCE_IDS = 50;
const MAX_TAG_LENGTH = 128;
const PAGE_SIZE = 50;

export const TAG_ERRORS: ErrorTable = {
  "MissingParameter.ResourceType": [404, "The parameter - ResourceType should not be null"],
  "MissingParameter.Tags": [404, "The parameter - Tags should not be null"],
  "NumberExceed.ResourceIds": [400, "The ResourceIds parameter's number is exceed , Valid : 50"],
  "NumberExceed.Tags": [400, "The Tags parameter's number is exceed , Valid : 20"],
  "Duplicate.TagKey": [400, "The Tag.N.Key contain duplicate key."],
  "InvalidResourceId.NotFound": [404, "The specified ResourceIds are not found in our records."],
  "InvalidResourceType.NotFound": [404, "The ResourceType provided does not exist in our records."],
  "InvalidTagKey.Malformed": [400, "The specified Tag.n.Key is not valid."],
  "InvalidTagValue.Malformed": [400, "The specified Tag.n.Value is not valid."],
  "OperationDenied.QuotaExceed": [400, "The quota of tags on resource is beyond permitted range."],
  // The docs name the code for a Tag.N.Value without its key; the message is ours.
  "InvalidParameter.TagValue": [400, "The specified parameter Tag.N.Value is not valid without Tag.N.Key."],
};

const tagError = (code: string): ApiError => errorFrom(TAG_ERRORS, code);

const URL_IN = /https?:\/\//i;

function checkKey(key: string): void {
  if (key.length === 0 || key.length > MAX_TAG_LENGTH || /^(aliyun|acs:)/i.test(key) || URL_IN.test(key)) throw tagError("InvalidTagKey.Malformed");
}

function checkValue(value: string): void {
  if (value.length > MAX_TAG_LENGTH || URL_IN.test(value)) throw tagError("InvalidTagValue.Malformed");
}

/** The N of every `Tag.N.Key` / `Tag.N.Value` in the request, in order. */
function tagIndexes(raw: Record<string, string>, prefix: string): number[] {
  const re = new RegExp(`^${prefix.replace(".", "\\.")}\\.(\\d+)\\.(Key|Value)$`);
  const found = new Set<number>();
  for (const k of Object.keys(raw)) {
    const m = re.exec(k);
    if (m) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * `Tag.N.Key` / `Tag.N.Value` of a create or TagResources call, checked as the tag service checks them: at most
 * 20, keys non-empty, unique, at most 128 characters, not starting with `aliyun` or `acs:`, no URLs in either.
 * A value may be empty; a key present with an empty value (`Tag.1.Value=`) keeps the empty value.
 */
export function parseTags(params: Params, prefix = "Tag", tooMany: ApiError = tagError("NumberExceed.Tags")): Tag[] {
  const indexes = tagIndexes(params.raw, prefix);
  if (indexes.length > MAX_TAGS || indexes.some((n) => n < 1 || n > MAX_TAGS)) throw tooMany;
  const tags: Tag[] = [];
  for (const n of indexes) {
    const key = params.raw[`${prefix}.${n}.Key`];
    const value = params.raw[`${prefix}.${n}.Value`] ?? "";
    if (key === undefined) throw tagError("InvalidTagKey.Malformed");
    checkKey(key);
    checkValue(value);
    if (tags.some((t) => t.Key === key)) throw tagError("Duplicate.TagKey");
    tags.push({ Key: key, Value: value });
  }
  return tags;
}

/**
 * The `Tag.N` filter of a describe call: an instance matches when it carries every key given, with the given
 * value when one is given (a key alone matches any value).
 */
export function tagFilter(params: Params): (tags: readonly Tag[]) => boolean {
  const wanted: { key: string; value?: string }[] = [];
  const indexes = tagIndexes(params.raw, "Tag");
  if (indexes.length > MAX_TAGS) throw tagError("NumberExceed.Tags");
  for (const n of indexes) {
    const key = params.string(`Tag.${n}.Key`);
    const value = params.string(`Tag.${n}.Value`);
    if (key === undefined) {
      if (value !== undefined) throw tagError("InvalidParameter.TagValue");
      continue;
    }
    wanted.push({ key, value });
  }
  return (tags) => wanted.every((w) => tags.some((t) => t.Key === w.key && (w.value === undefined || t.Value === w.value)));
}

/** Merge `add` into `current`: same keys take the new value; more than 20 in all is refused. */
export function mergeTags(current: readonly Tag[], add: readonly Tag[]): Tag[] {
  const out = current.map((t) => ({ ...t }));
  for (const t of add) {
    const same = out.find((x) => x.Key === t.Key);
    if (same) same.Value = t.Value;
    else out.push({ ...t });
  }
  if (out.length > MAX_TAGS) throw tagError("OperationDenied.QuotaExceed");
  return out;
}

/**
 * What a product tells the tag actions about itself. An unknown id gets the tag service's
 * InvalidResourceId.NotFound, not the product's own not-found code.
 */
export interface TaggedProduct {
  product: ProductName;
  /** ResourceType values the request may carry (case-sensitive, as documented). */
  resourceTypes: readonly string[];
  /** The one of them that names the instances the emulator has; ids of the other types are never found. */
  instanceType: string;
  /** ResourceType as ListTagResources answers it. */
  listedType: string;
  getTags(instance: Instance): Tag[];
  setTags(instance: Instance, tags: Tag[]): void;
}

function resourceType(p: Params, spec: TaggedProduct): string {
  const type = p.string("ResourceType");
  if (type === undefined) throw tagError("MissingParameter.ResourceType");
  if (!spec.resourceTypes.includes(type)) throw tagError("InvalidResourceType.NotFound");
  return type;
}

function resourceIds(p: Params, required: boolean): string[] {
  const ids = p.repeatList("ResourceId", 10_000);
  if (ids.length > MAX_RESOURCE_IDS) throw tagError("NumberExceed.ResourceIds");
  if (required && ids.length === 0) throw invalid("ResourceId");
  return [...new Set(ids)];
}

function findAll(ctx: ActionContext, spec: TaggedProduct, type: string, regionId: string, ids: string[]): Instance[] {
  return ids.map((id) => {
    const inst = type === spec.instanceType ? ctx.store.get(id) : undefined;
    if (!inst || inst.product !== spec.product || inst.regionId !== regionId) {
      throw tagError("InvalidResourceId.NotFound");
    }
    return inst;
  });
}

const TOKEN_PREFIX = "list-tag-resources:";

function encodeToken(offset: number): string {
  return createHash("md5").update(TOKEN_PREFIX).digest("hex").slice(0, 8) + Buffer.from(String(offset)).toString("hex");
}

function decodeToken(token: string): number {
  const head = createHash("md5").update(TOKEN_PREFIX).digest("hex").slice(0, 8);
  const tail = token.startsWith(head) ? token.slice(head.length) : "";
  const text = /^[0-9a-f]+$/.test(tail) ? Buffer.from(tail, "hex").toString("utf8") : "";
  if (!/^\d+$/.test(text)) throw invalid("NextToken");
  return Number(text);
}

/** TagResources / UntagResources / ListTagResources for one product. */
export function tagActions(spec: TaggedProduct): Record<string, ActionHandler> {
  const TagResources: ActionHandler = (ctx) => {
    const p = ctx.params;
    const regionId = regionParam(p) as string;
    const type = resourceType(p, spec);
    const ids = resourceIds(p, true);
    const tags = parseTags(p);
    if (tags.length === 0) throw tagError("MissingParameter.Tags");
    const found = findAll(ctx, spec, type, regionId, ids);
    // All-or-nothing: every resource is checked against the quota before any is changed.
    const merged = found.map((inst) => mergeTags(spec.getTags(inst), tags));
    found.forEach((inst, i) => spec.setTags(inst, merged[i]));
    return {};
  };

  const UntagResources: ActionHandler = (ctx) => {
    const p = ctx.params;
    const regionId = regionParam(p) as string;
    const type = resourceType(p, spec);
    const ids = resourceIds(p, true);
    const keys = p.repeatList("TagKey", 10_000);
    if (keys.length > MAX_TAGS) throw tagError("NumberExceed.Tags");
    const all = p.bool("All");
    const found = findAll(ctx, spec, type, regionId, ids);
    // All=true only counts when no TagKey.N is given; with neither, nothing is removed.
    if (keys.length === 0 && !all) return {};
    for (const inst of found) spec.setTags(inst, keys.length > 0 ? spec.getTags(inst).filter((t) => !keys.includes(t.Key)) : []);
    return {};
  };

  const ListTagResources: ActionHandler = (ctx) => {
    const p = ctx.params;
    const regionId = regionParam(p) as string;
    const type = resourceType(p, spec);
    const ids = resourceIds(p, false);
    const filter = tagFilter(p);
    const filterKeys = tagIndexes(p.raw, "Tag").map((n) => p.string(`Tag.${n}.Key`)).filter((k): k is string => k !== undefined);
    if (ids.length === 0 && filterKeys.length === 0) throw tagError("MissingParameter.Tags");
    const offset = p.has("NextToken") ? decodeToken(p.required("NextToken")) : 0;
    const candidates = type !== spec.instanceType ? [] : ids.length > 0
      ? ids.map((id) => ctx.store.get(id)).filter((i): i is Instance => i !== undefined && i.product === spec.product && i.regionId === regionId)
      : ctx.store.all(spec.product).filter((i) => i.regionId === regionId);
    const rows: { ResourceId: string; ResourceType: string; TagKey: string; TagValue: string }[] = [];
    for (const inst of candidates) {
      const tags = spec.getTags(inst);
      if (!filter(tags)) continue;
      // Asked by tag, the answer lists the matching tags; asked by id only, every tag of the resource.
      for (const t of tags) {
        if (filterKeys.length > 0 && !filterKeys.includes(t.Key)) continue;
        rows.push({ ResourceId: inst.id, ResourceType: spec.listedType, TagKey: t.Key, TagValue: t.Value });
      }
    }
    const page = rows.slice(offset, offset + PAGE_SIZE);
    const next = offset + PAGE_SIZE < rows.length ? encodeToken(offset + PAGE_SIZE) : "";
    return { NextToken: next, TagResources: { TagResource: page } };
  };

  return { TagResources, UntagResources, ListTagResources };
}

/** ECS describes tags as TagKey / TagValue; DDS and R-KVStore as Key / Value. */
export const toEcsTags = (tags: readonly Tag[]): { TagKey: string; TagValue: string }[] => tags.map((t) => ({ TagKey: t.Key, TagValue: t.Value }));
export const fromEcsTags = (tags: readonly { TagKey: string; TagValue: string }[]): Tag[] => tags.map((t) => ({ Key: t.TagKey, Value: t.TagValue }));
