// redis.Instance inputs: validation for `check`, the outputs a delete needs, and the comparisons `diff` makes.
// Outputs keep the user's inputs as given (so diff compares like with like) minus the password, plus what the
// cloud says under their own names; every reader accepts outputs of any earlier shape.
import { Inputs, UNKNOWN } from "../core/dynamic";
import { CheckFailure, checkDeleteOptions, deleteOptionsFrom } from "../core/options";
import { REGION_PATTERN } from "../core/settings";
import { KvState } from "./api";
import { RedisDeleteOptions } from "./release";
import { withoutSecrets } from "./secrets";

export const SCHEMA_VERSION = 1;
export const DEFAULT_CREATE_TIMEOUT_SECONDS = 1200;

const ENGINE_VERSIONS = ["2.8", "4.0", "5.0", "6.0", "7.0"];
const PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 60];
/** Inputs that only a create uses: they make no sense with instanceId (adopt). */
const CREATE_ONLY = ["instanceClass", "capacity", "engineVersion", "chargeType", "period", "vSwitchId", "vpcId", "zoneId", "instanceName", "password", "releaseProtection", "createTimeoutSeconds"];
/** The cloud cannot change these in place (or this resource does not): a new instance is needed. */
export const REPLACE_INPUTS = ["instanceClass", "capacity", "engineVersion", "period", "vSwitchId", "vpcId", "zoneId"];

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

export function checkInputs(news: Inputs): CheckFailure[] {
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

  if (news.instanceId !== undefined) {
    for (const k of CREATE_ONLY) {
      if (news[k] !== undefined) push({ property: k, reason: `${k} applies only to an instance this resource creates; with instanceId (adopting an existing instance) remove it` });
    }
    return failures;
  }

  if (news.instanceClass === undefined && news.capacity === undefined) {
    push({ property: "instanceClass", reason: 'give instanceClass (e.g. "redis.master.small.default") or capacity (MB) to create an instance, or instanceId to adopt one' });
  }
  str("instanceClass", /^[a-z][a-z0-9]*(\.[a-z0-9-]+)+$/, 'an instance class like "redis.master.small.default"');
  const cap = news.capacity;
  if (known(cap) && !(typeof cap === "number" && Number.isInteger(cap) && cap > 0)) push({ property: "capacity", reason: `capacity must be a whole number of MB, got ${JSON.stringify(cap)}` });
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

export function outputsFor(inputs: Inputs, region: string, s: KvState, adopted: boolean): Inputs {
  const o = redisDeleteOptionsFrom(inputs);
  return {
    ...withoutSecrets(inputs),
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

/** Keys whose change needs a new instance; `newRegion` is the region news resolve to, if known. */
export function replacedKeys(olds: Inputs, news: Inputs, newRegion: string | undefined): string[] {
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const keys = REPLACE_INPUTS.filter((k) => olds.adopted !== true && !same(olds[k], news[k]));
  if (newRegion !== undefined && typeof olds.regionId === "string" && newRegion !== olds.regionId) keys.push("regionId");
  // Outputs always carry the instance id; only an adopted one was an input.
  if (!same(olds.adopted === true ? olds.instanceId : undefined, news.instanceId)) keys.push("instanceId");
  if (olds.adopted !== true && news.instanceId === undefined && (olds.chargeType ?? "PostPaid") !== (news.chargeType ?? "PostPaid")) keys.push("chargeType");
  return keys;
}

/** Keys that update in place: attributes ModifyInstanceAttribute changes, and delete options. */
export function updatedKeys(olds: Inputs, news: Inputs): string[] {
  const keys: string[] = [];
  if ((olds.instanceName ?? null) !== (news.instanceName ?? null)) keys.push("instanceName");
  if ((olds.releaseProtection === true) !== (news.releaseProtection === true)) keys.push("releaseProtection");
  const a = redisDeleteOptionsFrom(olds);
  const b = redisDeleteOptionsFrom(news);
  for (const k of ["onSubscription", "overrideProtection", "deleteTimeoutSeconds", "purgeRecycleBin"] as const) if (a[k] !== b[k]) keys.push(k);
  return keys;
}
