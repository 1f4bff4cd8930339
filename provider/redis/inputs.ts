// redis.Instance inputs: validation for `check`, the outputs a delete needs, and the comparisons `diff` makes.
// Outputs keep the user's inputs as given (so diff compares like with like) minus the password, plus what the
// cloud says under their own names; every reader accepts outputs of any earlier shape.
import { Inputs, UNKNOWN } from "../core/dynamic";
import { CheckFailure, checkDeleteOptions, deleteOptionsFrom } from "../core/options";
import { REGION_PATTERN } from "../core/settings";
import { createFailures, createKeys, CreateAction, KvState } from "./api";
import { tagFailures, userTags } from "../core/tags";
import { RedisDeleteOptions } from "./release";
import { withoutSecrets } from "./secrets";

export const SCHEMA_VERSION = 1;
export const DEFAULT_CREATE_TIMEOUT_SECONDS = 1200;

const ENGINE_VERSIONS = ["2.8", "4.0", "5.0", "6.0", "7.0"];
const PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 60];
/** What differs between redis.Instance (CreateInstance) and redis.TairInstance (CreateTairInstance). */
export interface RedisVariant {
  kind: "redis.Instance" | "redis.TairInstance";
  action: CreateAction;
  /** Checks of what only this kind's create needs. */
  checkCreate(news: Inputs, push: (f: CheckFailure | undefined) => void): void;
}

/** Changed in place: ModifyInstanceAttribute (name, release protection) and TagResources / UntagResources. */
export const UPDATE_INPUTS = ["instanceName", "releaseProtection", "tags"];

/** Inputs that only a create uses: they make no sense with instanceId (adopt). Listed first: the historic ones. */
function createOnly(v: RedisVariant): string[] {
  const first = ["instanceClass", "capacity", "engineVersion", "chargeType", "period", "vSwitchId", "vpcId", "zoneId", "instanceName", "password"];
  return [...new Set([...first, ...createKeys(v.action), "releaseProtection", "createTimeoutSeconds"])];
}

/**
 * Create-time only and never compared: the password (rotate it on the instance), and `port`, which the outputs
 * use for the connection port the cloud reports.
 */
const NOT_COMPARED = ["password", "port"];

/** The cloud cannot change these in place (or this resource does not): a new instance is needed. */
export function replaceInputs(v: RedisVariant): string[] {
  const first = ["instanceClass", "capacity", "engineVersion", "period"];
  return [...new Set([...first, ...createKeys(v.action)])].filter((k) => !UPDATE_INPUTS.includes(k) && !NOT_COMPARED.includes(k) && k !== "chargeType");
}

const whole = (v: unknown, min: number, max: number): boolean => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

export const REDIS: RedisVariant = {
  kind: "redis.Instance",
  action: "CreateInstance",
  checkCreate(news, push) {
    if (news.instanceClass === undefined && news.capacity === undefined) {
      push({ property: "instanceClass", reason: 'give instanceClass (e.g. "redis.master.small.default") or capacity (MB) to create an instance, or instanceId to adopt one' });
    }
    const cap = news.capacity;
    if (known(cap) && !(typeof cap === "number" && Number.isInteger(cap) && cap > 0)) push({ property: "capacity", reason: `capacity must be a whole number of MB, got ${JSON.stringify(cap)}` });
    if (known(news.shardCount) && !whole(news.shardCount, 1, 256)) push({ property: "shardCount", reason: `shardCount must be a whole number from 1 to 256 (cluster instances: 2 to 256 shards), got ${JSON.stringify(news.shardCount)}` });
  },
};

export const TAIR_INSTANCE_TYPES = ["tair_rdb", "tair_scm", "tair_essd"];
export const TAIR_STORAGE_TYPES = ["essd_pl1", "essd_pl2", "essd_pl3"];

export const TAIR: RedisVariant = {
  kind: "redis.TairInstance",
  action: "CreateTairInstance",
  checkCreate(news, push) {
    const t = news.instanceType;
    if (!TAIR_INSTANCE_TYPES.includes(t as string)) push({ property: "instanceType", reason: `instanceType must be one of ${TAIR_INSTANCE_TYPES.join(", ")} to create a Tair instance (or give instanceId to adopt one), got ${JSON.stringify(t)}` });
    if (!(typeof news.instanceClass === "string" && news.instanceClass !== "")) push({ property: "instanceClass", reason: `instanceClass is required to create a Tair instance (e.g. "tair.rdb.2g"), got ${JSON.stringify(news.instanceClass)}` });
    // CreateTairInstance documents both as required (a Tair instance is always in a VPC).
    for (const k of ["vpcId", "vSwitchId"]) if (news[k] === undefined) push({ property: k, reason: `${k} is required to create a Tair instance (CreateTairInstance needs VpcId and VSwitchId)` });
    if (known(news.shardCount) && !whole(news.shardCount, 1, 256)) push({ property: "shardCount", reason: `shardCount must be a whole number from 1 to 256 (cluster instances: 2 to 256 shards), got ${JSON.stringify(news.shardCount)}` });
    if (t === "tair_essd") {
      if (!whole(news.storage, 20, 64000)) push({ property: "storage", reason: `a tair_essd instance needs storage: a whole number of GB from 20 to 64000, got ${JSON.stringify(news.storage)}` });
      if (news.storageType !== undefined && !TAIR_STORAGE_TYPES.includes(news.storageType as string)) push({ property: "storageType", reason: `storageType must be one of ${TAIR_STORAGE_TYPES.join(", ")}, got ${JSON.stringify(news.storageType)}` });
    } else if (known(news.storage) && !whole(news.storage, 1, 64000)) push({ property: "storage", reason: `storage must be a whole number of GB, got ${JSON.stringify(news.storage)}` });
  },
};

/** What the engine sends for a value not known yet during preview (pulumi/runtime rpc.unknownValue). */
const known = (v: unknown): boolean => v !== undefined && v !== UNKNOWN;

const OTHER_PRODUCTS: [RegExp, string][] = [
  [/^i-/, "an ECS instance id: use ecs.Instance"],
  [/^dds-/, "a MongoDB instance id: use mongodb.Instance"],
];

function instanceIdFailure(value: unknown): CheckFailure | undefined {
  if (!known(value)) return undefined;
  if (typeof value === "string" && /^r-[a-z0-9]{6,40}$/.test(value)) return undefined;
  const other = typeof value === "string" ? OTHER_PRODUCTS.find(([p]) => p.test(value)) : undefined;
  return { property: "instanceId", reason: `instanceId must be a Tair (Redis) instance id like "r-bp1…", got ${JSON.stringify(value)}${other ? ` (${other[1]})` : ""}` };
}

/** Tair (Redis) password rules: 8–32 characters, at least three kinds. Never echoes the value. */
function passwordFailure(value: unknown): CheckFailure | undefined {
  if (!known(value)) return undefined;
  const rule = "8 to 32 characters with at least three of: uppercase letters, lowercase letters, digits, and special characters !@#$%^&*()_+-=";
  if (typeof value !== "string") return { property: "password", reason: `password must be a string of ${rule}` };
  if (!/^[A-Za-z0-9!@#$%^&*()_+\-=]{8,32}$/.test(value)) return { property: "password", reason: `password must be ${rule} (no other characters); the given value does not qualify (not shown)` };
  const kinds = [/[A-Z]/, /[a-z]/, /[0-9]/, /[!@#$%^&*()_+\-=]/].filter((r) => r.test(value)).length;
  if (kinds < 3) return { property: "password", reason: `password must be ${rule}; the given value has only ${kinds} kind(s) (not shown)` };
  return undefined;
}

export function checkInputs(news: Inputs, v: RedisVariant = REDIS): CheckFailure[] {
  const failures: CheckFailure[] = checkDeleteOptions(news, ["fail", "retain"]).map((f) =>
    f.property === "onSubscription" && news.onSubscription === "convert"
      ? { property: "onSubscription", reason: 'onSubscription "convert" is not available for Tair (Redis): a subscription instance cannot be converted and released through the API. Use "fail" (default) or "retain".' }
      : f,
  );
  const push = (f: CheckFailure | undefined): void => void (f && failures.push(f));
  const str = (k: string, pattern: RegExp, what: string): void => {
    const v = news[k];
    if (known(v) && !(typeof v === "string" && pattern.test(v))) push({ property: k, reason: `${k} must be ${what}, got ${JSON.stringify(v)}` });
  };
  const bool = (k: string): void => {
    if (known(news[k]) && typeof news[k] !== "boolean") push({ property: k, reason: `${k} must be true or false, got ${JSON.stringify(news[k])}` });
  };

  if (news.force !== undefined) push({ property: "force", reason: "force applies only to ECS instances: a Tair (Redis) release (DeleteInstance) has no force flag. Remove it." });
  str("regionId", REGION_PATTERN, 'a region id like "cn-hangzhou"');
  push(instanceIdFailure(news.instanceId));
  bool("purgeRecycleBin");
  for (const f of tagFailures(news.tags)) push(f);

  if (news.instanceId !== undefined) {
    for (const k of createOnly(v)) {
      if (news[k] !== undefined) push({ property: k, reason: `${k} applies only to an instance this resource creates; with instanceId (adopting an existing instance) remove it` });
    }
    return failures;
  }

  v.checkCreate(news, push);
  const skip = ["capacity", "shardCount", "storage", "period", "password", "instanceName", "engineVersion", "zoneId", "vpcId", "vSwitchId", "instanceClass", "chargeType", "instanceType"];
  for (const f of createFailures(v.action, Object.fromEntries(Object.entries(news).filter(([k, x]) => known(x) && createKeys(v.action).includes(k) && !skip.includes(k))))) push(f);
  str("instanceClass", /^[a-z][a-z0-9]*(\.[a-z0-9-]+)+$/, 'an instance class like "redis.master.small.default"');
  const ev = news.engineVersion;
  if (known(ev) && !ENGINE_VERSIONS.includes(ev as string)) push({ property: "engineVersion", reason: `engineVersion must be one of ${ENGINE_VERSIONS.map((v) => `"${v}"`).join(", ")}, got ${JSON.stringify(ev)}` });
  const charge = news.chargeType;
  if (known(charge) && charge !== "PostPaid" && charge !== "PrePaid") push({ property: "chargeType", reason: `chargeType must be "PostPaid" or "PrePaid", got ${JSON.stringify(charge)}` });
  if (charge === "PrePaid" && news.period !== UNKNOWN && !PERIODS.includes(news.period as number)) push({ property: "period", reason: `a PrePaid instance needs period (months) in ${PERIODS.join(", ")}, got ${news.period === undefined ? "none" : JSON.stringify(news.period)}` });
  if (charge !== "PrePaid" && known(charge) && news.period !== undefined) push({ property: "period", reason: 'period applies only to chargeType "PrePaid" (a subscription)' });
  str("vSwitchId", /^vsw-[a-z0-9][a-z0-9-]*$/, 'a vSwitch id like "vsw-bp1…"');
  str("vpcId", /^vpc-[a-z0-9][a-z0-9-]*$/, 'a VPC id like "vpc-bp1…"');
  str("zoneId", /^[a-z]{2,}(-[a-z0-9]+)+$/, 'a zone id like "cn-hangzhou-h"');
  const region = news.regionId;
  if (typeof news.zoneId === "string" && known(news.zoneId) && typeof region === "string" && REGION_PATTERN.test(region) && !news.zoneId.startsWith(`${region}-`)) {
    push({ property: "zoneId", reason: `zoneId "${news.zoneId}" is not a zone of region "${region}"` });
  }
  str("instanceName", /^\p{L}[^\s@/:="<>{}[\]]{1,79}$/u, '2 to 80 characters, starting with a letter, without spaces or @ / : = " < > { [ ] }');
  push(passwordFailure(news.password));
  bool("releaseProtection");
  if (news.releaseProtection === true && charge === "PrePaid") push({ property: "releaseProtection", reason: "releaseProtection applies only to pay-as-you-go (PostPaid) instances" });
  const ct = news.createTimeoutSeconds;
  if (known(ct) && !(typeof ct === "number" && Number.isInteger(ct) && ct >= 1 && ct <= 86400)) push({ property: "createTimeoutSeconds", reason: `createTimeoutSeconds must be a whole number from 1 to 86400, got ${JSON.stringify(ct)}` });
  return failures;
}

/** Delete options from outputs of any version; unknown values fall back to the safe defaults. */
export function redisDeleteOptionsFrom(outs: Inputs): RedisDeleteOptions {
  const base = deleteOptionsFrom(outs);
  return { ...base, force: false, onSubscription: base.onSubscription === "retain" ? "retain" : "fail", purgeRecycleBin: outs.purgeRecycleBin === true };
}

export function outputsFor(inputs: Inputs, region: string, s: KvState, adopted: boolean, cloudWins = false): Inputs {
  const o = redisDeleteOptionsFrom(inputs);
  const { tags, ...rest } = s.view ?? {};
  const view = Object.fromEntries(Object.entries({ ...rest, tags: userTags((tags as Record<string, string>) ?? {}) }).filter(([, x]) => x !== undefined));
  return {
    ...(cloudWins ? { ...withoutSecrets(inputs), ...view } : withoutSecrets(inputs)),
    schemaVersion: SCHEMA_VERSION,
    instanceId: s.instanceId,
    regionId: region,
    chargeType: s.chargeType,
    endTime: s.endTime ?? null,
    instanceStatus: s.status,
    instanceReleaseProtection: s.releaseProtection,
    globalInstanceId: s.globalInstanceId ?? null,
    connectionDomain: s.connectionDomain ?? null,
    port: s.port ?? null,
    adopted,
    onSubscription: o.onSubscription,
    overrideProtection: o.overrideProtection,
    deleteTimeoutSeconds: o.deleteTimeoutSeconds,
    purgeRecycleBin: o.purgeRecycleBin,
  };
}
