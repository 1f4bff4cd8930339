// ecs.Instance (one instance) and ecs.InstanceSet (many as one resource), declared once: every RunInstances
// parameter as the SDK models it, which of them change in place (ModifyInstanceAttribute; tags through
// TagResources / UntagResources), the rest replacing; create or adopt, read, update, and the release lifecycle.
import { randomUUID } from "node:crypto";
import { checkCredentials } from "../core/clients";
import { idFailure, InitFailure, Inputs } from "../core/dynamic";
import { ReleaseError } from "../core/failure";
import { KindDeclaration } from "../core/kind";
import { CheckFailure, checkDeleteOptions, deleteOptionsFrom } from "../core/options";
import { ownershipTags, OWNERSHIP_INPUT } from "../core/ownership";
import { progress } from "../core/progress";
import { passwordFailure } from "../core/secrets";
import { REGION_PATTERN, resolveRegion } from "../core/settings";
import { isEmptyChange, tagChange, tagFailures, userTags } from "../core/tags";
import { parseDuration, TTL_ENDS } from "../core/time-to-live";
import { Deadline, formatDuration } from "../core/timing";
import { waitFor } from "../core/waiter";
import * as api from "./api";
import { AttributeChange, EcsInstanceState, MAX_IDS_PER_CALL } from "./api";
import { DEFAULT_STOP_TIMEOUT_SECONDS, releaseEcsInstances } from "./release";

type Kind = "ecs.Instance" | "ecs.InstanceSet";

const SCHEMA_VERSION = 2;
const CREATE_TIMEOUT_SECONDS = 600;
const PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60];
/** Changed in place by ModifyInstanceAttribute. */
const ATTRIBUTE_KEYS = ["instanceName", "hostName", "description", "deletionProtection"] as const;
/** Create-time only, never compared: a new password is not applied (rotate it on the instance). */
const SECRET_KEYS = ["password"];
/** Not RunInstances parameters, but inputs of this package. */
const OWN_KEYS = ["tags", "instanceId", "instanceIds", "amount", OWNERSHIP_INPUT];

// https://help.aliyun.com/document_detail/25499.html (RunInstances): SystemDisk.Category and DataDisk.N.Category.
export const SYSTEM_DISK_CATEGORIES = ["cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry"];
export const DATA_DISK_CATEGORIES = [...SYSTEM_DISK_CATEGORIES, "ephemeral_ssd", "elastic_ephemeral_disk_standard", "elastic_ephemeral_disk_premium"];
const PERFORMANCE_LEVELS = ["PL0", "PL1", "PL2", "PL3"];
/** RunInstances Password: 8-30 characters, three kinds, these specials. */
const ECS_PASSWORD = { min: 8, max: 30, chars: /^[A-Za-z0-9()`~!@#$%^&*\-_+=|{}[\]:;'<>,.?/]+$/, specials: "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/", kinds: 3 };

/** RunInstances keys that replace the instance when changed (everything but the in-place ones). */
let replaceKeysMemo: string[] | undefined;
function replaceKeys(): string[] {
  replaceKeysMemo ??= [...api.runInstancesKeys().filter((k) => !(ATTRIBUTE_KEYS as readonly string[]).includes(k) && !SECRET_KEYS.includes(k)), "amount"];
  return replaceKeysMemo;
}

const given = (v: unknown): boolean => v !== undefined;
const wholeInRange = (v: unknown, min: number, max: number): boolean => {
  const n = typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) && n >= min && n <= max;
};

function diskFailures(news: Inputs): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const sys = news.systemDisk as Record<string, unknown> | undefined;
  if (sys && typeof sys === "object") {
    if (given(sys.category) && !SYSTEM_DISK_CATEGORIES.includes(sys.category as string)) failures.push({ property: "systemDisk.category", reason: `systemDisk.category must be one of ${SYSTEM_DISK_CATEGORIES.join(", ")}, got ${JSON.stringify(sys.category)}` });
    if (given(sys.size) && !wholeInRange(sys.size, 20, 2048)) failures.push({ property: "systemDisk.size", reason: `systemDisk.size must be a whole number of GiB from 20 to 2048, got ${JSON.stringify(sys.size)}` });
    if (given(sys.performanceLevel) && !PERFORMANCE_LEVELS.includes(sys.performanceLevel as string)) failures.push({ property: "systemDisk.performanceLevel", reason: `systemDisk.performanceLevel must be one of ${PERFORMANCE_LEVELS.join(", ")}, got ${JSON.stringify(sys.performanceLevel)}` });
  }
  const data = news.dataDisk;
  if (Array.isArray(data)) {
    if (data.length > 16) failures.push({ property: "dataDisk", reason: `at most 16 data disks, got ${data.length}` });
    data.forEach((d: Record<string, unknown>, i) => {
      if (!d || typeof d !== "object") return;
      const at = `dataDisk[${i}]`;
      if (given(d.category) && !DATA_DISK_CATEGORIES.includes(d.category as string)) failures.push({ property: `${at}.category`, reason: `${at}.category must be one of ${DATA_DISK_CATEGORIES.join(", ")}, got ${JSON.stringify(d.category)}` });
      if (given(d.size) && !wholeInRange(d.size, 1, 65536)) failures.push({ property: `${at}.size`, reason: `${at}.size must be a whole number of GiB (at least 1; the category sets the upper limit), got ${JSON.stringify(d.size)}` });
      if (!given(d.size) && !given(d.snapshotId)) failures.push({ property: `${at}.size`, reason: `${at} needs a size (GiB) or a snapshotId` });
      if (given(d.performanceLevel) && !PERFORMANCE_LEVELS.includes(d.performanceLevel as string)) failures.push({ property: `${at}.performanceLevel`, reason: `${at}.performanceLevel must be one of ${PERFORMANCE_LEVELS.join(", ")}, got ${JSON.stringify(d.performanceLevel)}` });
    });
  }
  return failures;
}

function checkInputs(kind: Kind, news: Inputs): CheckFailure[] {
  const failures: CheckFailure[] = [...checkDeleteOptions(news, ["fail", "retain", "convert"])];
  const push = (f: CheckFailure | undefined): void => void (f && failures.push(f));
  if (news.regionId !== undefined && !(typeof news.regionId === "string" && REGION_PATTERN.test(news.regionId))) {
    push({ property: "regionId", reason: `regionId must be a region id like "cn-hangzhou", got ${JSON.stringify(news.regionId)}` });
  }
  const adopting = kind === "ecs.Instance" ? news.instanceId !== undefined : news.instanceIds !== undefined;
  if (kind === "ecs.Instance") push(idFailure("instanceId", news.instanceId, "i", "an ECS"));
  if (kind === "ecs.InstanceSet") {
    if (news.instanceIds !== undefined) {
      const ids = news.instanceIds;
      if (!Array.isArray(ids) || ids.length === 0) push({ property: "instanceIds", reason: "instanceIds must be a non-empty list of ECS instance ids" });
      else {
        ids.forEach((id, i) => push(idFailure(`instanceIds[${i}]`, id, "i", "an ECS")));
        const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
        if (dup.length) push({ property: "instanceIds", reason: `instanceIds lists ${[...new Set(dup)].join(", ")} more than once` });
      }
      if (news.amount !== undefined) push({ property: "amount", reason: "give either amount (create instances) or instanceIds (adopt instances), not both" });
    } else if (!(typeof news.amount === "number" && Number.isInteger(news.amount) && news.amount >= 1 && news.amount <= 1000)) {
      push({ property: "amount", reason: `amount must be a whole number from 1 to 1000, got ${JSON.stringify(news.amount)}` });
    }
  }
  const params = launchParams(news);
  failures.push(...api.runInstancesFailures(params));
  if (!adopting && !given(news.launchTemplateId) && !given(news.launchTemplateName)) {
    const need = (k: string, ok: boolean): void => {
      if (!ok) push({ property: k, reason: `${k} is required to create an instance (or give ${kind === "ecs.Instance" ? "instanceId" : "instanceIds"} to adopt existing ones)` });
    };
    need("imageId", (typeof news.imageId === "string" && news.imageId !== "") || given(news.imageFamily));
    need("instanceType", typeof news.instanceType === "string" && news.instanceType !== "");
    need("vSwitchId", typeof news.vSwitchId === "string" && news.vSwitchId !== "");
    need("securityGroupId", (typeof news.securityGroupId === "string" && news.securityGroupId !== "") || (Array.isArray(news.securityGroupIds) && news.securityGroupIds.length > 0));
  }
  if (given(news.securityGroupId) && given(news.securityGroupIds)) push({ property: "securityGroupIds", reason: "give securityGroupId (one group) or securityGroupIds (several), not both" });
  if (Array.isArray(news.securityGroupIds) && news.securityGroupIds.length > 10) push({ property: "securityGroupIds", reason: `at most 10 security groups, got ${news.securityGroupIds.length}` });
  failures.push(...diskFailures(news));
  const charge = news.instanceChargeType;
  if (charge !== undefined && charge !== "PostPaid" && charge !== "PrePaid") push({ property: "instanceChargeType", reason: `instanceChargeType must be "PostPaid" or "PrePaid", got ${JSON.stringify(charge)}` });
  if (charge === "PrePaid" && (news.periodUnit ?? "Month") === "Month" && !PERIODS.includes(news.period as number)) push({ property: "period", reason: `a PrePaid instance needs period (months) in ${PERIODS.join(", ")}, got ${JSON.stringify(news.period)}` });
  if (news.deletionProtection !== undefined && typeof news.deletionProtection !== "boolean") push({ property: "deletionProtection", reason: "deletionProtection must be true or false" });
  if (news.deletionProtection === true && charge === "PrePaid") push({ property: "deletionProtection", reason: "deletionProtection applies only to pay-as-you-go (PostPaid) instances" });
  const spot = news.spotStrategy;
  if (given(spot) && !["NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo"].includes(spot as string)) push({ property: "spotStrategy", reason: `spotStrategy must be "NoSpot", "SpotWithPriceLimit" or "SpotAsPriceGo", got ${JSON.stringify(spot)}` });
  if (spot === "SpotWithPriceLimit" && !given(news.spotPriceLimit)) push({ property: "spotPriceLimit", reason: 'spotStrategy "SpotWithPriceLimit" needs spotPriceLimit (the highest hourly price)' });
  const bw = news.internetMaxBandwidthOut;
  if (given(bw) && !wholeInRange(bw, 0, 100)) push({ property: "internetMaxBandwidthOut", reason: `internetMaxBandwidthOut must be a whole number of Mbit/s from 0 to 100, got ${JSON.stringify(bw)}` });
  if (given(news.userData) && !(typeof news.userData === "string" && userDataBase64(news.userData).length <= 32768)) push({ property: "userData", reason: "userData must be a string of at most 32 KB once Base64-encoded" });
  failures.push(...tagFailures(news.tags));
  push(passwordFailure("password", news.password, ECS_PASSWORD));
  const st = news.stopTimeoutSeconds;
  if (st !== undefined && !(typeof st === "number" && Number.isInteger(st) && st >= 0 && st <= 86400)) push({ property: "stopTimeoutSeconds", reason: `stopTimeoutSeconds must be a whole number from 0 to 86400, got ${JSON.stringify(st)}` });
  if (news.instanceName !== undefined && typeof news.instanceName !== "string") push({ property: "instanceName", reason: "instanceName must be a string" });
  return failures;
}

/** The API takes UserData Base64-encoded; text that is not Base64 already is encoded (as Terraform does). */
export function userDataBase64(v: string): string {
  const isBase64 = v.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(v) && Buffer.from(v, "base64").toString("base64") === v;
  return isBase64 ? v : Buffer.from(v, "utf8").toString("base64");
}

/** The RunInstances parameters among the inputs (delete options and this package's own keys left out). */
function launchParams(inputs: Inputs): Inputs {
  const keys = new Set(api.runInstancesKeys());
  return Object.fromEntries(Object.entries(inputs).filter(([k, v]) => keys.has(k) && v !== undefined && !OWN_KEYS.includes(k)));
}

function ecsDeleteOptions(o: Inputs): Inputs {
  return { ...deleteOptionsFrom(o), stopTimeoutSeconds: typeof o.stopTimeoutSeconds === "number" ? o.stopTimeoutSeconds : DEFAULT_STOP_TIMEOUT_SECONDS };
}

/** The cloud's view under the input names; `tags` without the ownership tags. */
function cloudView(s: EcsInstanceState | undefined): Inputs {
  if (!s?.view) return {};
  const { tags, ...rest } = s.view;
  return { ...rest, tags: userTags((tags as Record<string, string>) ?? {}) };
}

function outputsFor(kind: Kind, inputs: Inputs, region: string, states: EcsInstanceState[], adopted: boolean, cloudWins = false): Inputs {
  const first = states[0];
  const view = cloudView(first);
  const common = {
    ...(cloudWins ? { ...inputs, ...view } : { ...view, ...inputs }),
    schemaVersion: SCHEMA_VERSION,
    regionId: region,
    instanceChargeType: first?.chargeType ?? inputs.instanceChargeType ?? "PostPaid",
    adopted,
    ...ecsDeleteOptions(inputs),
  };
  if (kind === "ecs.Instance") {
    return { ...common, instanceId: first.instanceId, status: first.status, expiredTime: first.expiredTime ?? null, deletionProtection: first.deletionProtection };
  }
  return {
    ...common,
    instanceIds: states.map((s) => s.instanceId),
    statuses: Object.fromEntries(states.map((s) => [s.instanceId, s.status])),
    expiredTimes: Object.fromEntries(states.map((s) => [s.instanceId, s.expiredTime ?? null])),
  };
}

/** The ids a delete must release, from outputs of any version (and the resource id as the last resort). */
export function idsFromOutputs(id: string, outs: Inputs): string[] {
  if (Array.isArray(outs.instanceIds)) return outs.instanceIds.filter((x): x is string => typeof x === "string");
  if (typeof outs.instanceId === "string") return [outs.instanceId];
  // A set's short id names only its first instance: without the outputs' list nothing can be released safely.
  if (SET_ID.test(id)) return [];
  // Version 0.1.0 joined every id of a set into the resource id.
  return id.split(",").map((s) => s.trim()).filter(Boolean);
}

const SET_ID = /\+\d+$/;

/**
 * A set's resource id: its first instance and how many more ("i-bp1…+149"). Stable, and short: joining every
 * id made a 23 KB id at 1,000 instances, repeated in every event and CLI line. Delete reads the outputs' list.
 */
export function resourceId(kind: Kind, ids: string[]): string {
  return kind === "ecs.Instance" || ids.length === 1 ? ids[0] : `${ids[0]}+${ids.length - 1}`;
}

async function launch(kind: Kind, region: string, inputs: Inputs, amount: number, deadline: Deadline): Promise<string[]> {
  const params = launchParams(inputs);
  if (typeof params.userData === "string") params.userData = userDataBase64(params.userData);
  if (params.instanceChargeType === undefined) params.instanceChargeType = "PostPaid";
  if (params.instanceChargeType === "PrePaid" && params.periodUnit === undefined) params.periodUnit = "Month";
  if (params.instanceChargeType !== "PrePaid") delete params.period;
  // The time-to-live: the cloud releases the instance itself then (RunInstances AutoReleaseTime).
  if (typeof inputs[TTL_ENDS] === "string") params.autoReleaseTime = inputs[TTL_ENDS];
  if (params.deletionProtection !== true) delete params.deletionProtection;
  const tags = { ...(inputs.tags as Record<string, string> | undefined), ...ownershipTags(inputs) };
  const secrets = typeof inputs.password === "string" ? [inputs.password] : [];
  const ids: string[] = [];
  for (let left = amount; left > 0; left -= MAX_IDS_PER_CALL) {
    const n = Math.min(MAX_IDS_PER_CALL, left);
    ids.push(...(await api.runInstances(region, { params, tags, amount: n, clientToken: randomUUID(), secrets }, deadline, kind)));
  }
  return ids;
}

/** Tags and attributes from what the outputs say the instances have to what the program asks for. */
async function applyChanges(kind: Kind, region: string, ids: string[], olds: Inputs, news: Inputs, changed: readonly string[], deadline: Deadline): Promise<void> {
  const attrs: AttributeChange = {};
  for (const k of ATTRIBUTE_KEYS) if (changed.includes(k) && news[k] !== undefined) (attrs as Record<string, unknown>)[k] = news[k];
  if (Object.keys(attrs).length > 0) for (const i of ids) await api.modifyAttributes(region, i, attrs, deadline, kind);
  if (changed.includes("tags")) {
    const c = tagChange(olds.tags, news.tags);
    if (!isEmptyChange(c)) {
      await api.untagInstances(region, ids, c.remove, deadline, kind);
      await api.tagInstances(region, ids, c.set, deadline, kind);
    }
  }
}

/** AutoReleaseTime is for pay-as-you-go only and must be at least 30 minutes ahead (RunInstances, ModifyInstanceAutoReleaseTime). */
function timeToLiveFailures(news: Inputs): CheckFailure[] {
  if (news.instanceChargeType === "PrePaid") {
    return [{ property: "timeToLive", reason: "a time-to-live needs a pay-as-you-go (PostPaid) instance: ECS refuses an auto-release time for subscriptions" }];
  }
  if (news.autoReleaseTime !== undefined) return [{ property: "autoReleaseTime", reason: "give autoReleaseTime or expiresAt/timeToLive, not both" }];
  const ms = typeof news.timeToLive === "string" ? parseDuration(news.timeToLive) : undefined;
  if (ms !== undefined && ms < 30 * 60_000) return [{ property: "timeToLive", reason: `ECS releases an instance automatically at least 30 minutes ahead: timeToLive must be at least "30m", got ${JSON.stringify(news.timeToLive)}` }];
  return [];
}

export function ecsDeclaration(kind: Kind): KindDeclaration {
  return {
    name: kind,
    schemaVersion: SCHEMA_VERSION,
    adoptKey: kind === "ecs.Instance" ? "instanceId" : "instanceIds",
    check: (news) => checkInputs(kind, news),
    get replaceKeys() {
      return [...replaceKeys(), "securityGroupId"];
    },
    updateKeys: [...ATTRIBUTE_KEYS, "tags"],
    deleteOptions: ecsDeleteOptions,
    secretInputs: SECRET_KEYS,

    async create(inputs) {
      await checkCredentials();
      const region = resolveRegion(inputs.regionId as string | undefined);
      const deadline = Deadline.seconds(CREATE_TIMEOUT_SECONDS);
      const adoptIds = kind === "ecs.Instance" ? (inputs.instanceId ? [inputs.instanceId as string] : undefined) : (inputs.instanceIds as string[] | undefined);
      if (adoptIds) {
        const states = await api.describe(region, adoptIds, deadline, kind);
        const missing = adoptIds.filter((id) => !states.get(id));
        if (missing.length) {
          throw new ReleaseError(`${kind}: cannot adopt ${missing.join(", ")}: no such instance in region ${region} (DescribeInstances does not list it). Check the id and regionId.`, "InvalidInstanceId.NotFound");
        }
        const list = adoptIds.map((id) => states.get(id)!);
        // Adopted instances are not re-tagged with ownership tags; the program's own tags and attributes apply.
        const view = cloudView(list[0]);
        const changed = [...ATTRIBUTE_KEYS, "tags"].filter((k) => inputs[k] !== undefined && JSON.stringify(inputs[k]) !== JSON.stringify(view[k] ?? (k === "deletionProtection" ? list[0].deletionProtection : undefined)));
        if (changed.length) {
          await applyChanges(kind, region, adoptIds, view, inputs, changed, deadline);
          const after = await api.describe(region, adoptIds, deadline, kind);
          return { id: resourceId(kind, adoptIds), outs: outputsFor(kind, inputs, region, adoptIds.map((id) => after.get(id) ?? states.get(id)!), true) };
        }
        return { id: resourceId(kind, adoptIds), outs: outputsFor(kind, inputs, region, list, true) };
      }
      const amount = kind === "ecs.Instance" ? 1 : (inputs.amount as number);
      const ids = await launch(kind, region, inputs, amount, deadline);
      const id = resourceId(kind, ids);
      for (const i of ids) progress(i, "created (RunInstances); waiting for Running");
      try {
        const { state } = await waitFor({
          deadline, phase: "running", subject: `${kind} ${id}`, minDelayMs: 2000, maxDelayMs: 10000,
          poll: () => api.describe(region, ids, deadline, kind),
          done: (m) => [...m.values()].every((s) => s?.status === "Running"),
          abort: (m) => [...m.values()].some((s) => !s || s.status === "Stopping" || s.status === "Stopped"),
          describe: (m) => [...m.values()].map((s) => s?.status ?? "missing").join(", "),
        });
        const states = ids.map((i) => state.get(i));
        if (states.some((s) => s?.status !== "Running")) throw new Error(`instances did not reach Running: ${states.map((s, n) => `${ids[n]}=${s?.status ?? "missing"}`).join(", ")}`);
        return { id, outs: outputsFor(kind, inputs, region, states as EcsInstanceState[], false) };
      } catch (e) {
        // Keep the instances in state so that `pulumi destroy` releases them.
        const known = ids.map((i) => ({ instanceId: i, regionId: region, status: "Unknown", chargeType: (inputs.instanceChargeType as string) ?? "PostPaid", deletionProtection: inputs.deletionProtection === true, lockReasons: [] }));
        const message = `${kind} ${id}: created but did not become Running: ${(e as Error).message}`;
        throw new InitFailure(message, id, outputsFor(kind, inputs, region, known, false), [message]);
      }
    },

    async read(id, props) {
      const region = (props.regionId as string) ?? resolveRegion();
      const ids = idsFromOutputs(id, props);
      const states = await api.describe(region, ids, Deadline.seconds(120), kind);
      const present = ids.map((i) => states.get(i)).filter((s): s is EcsInstanceState => Boolean(s));
      if (present.length === 0) return undefined;
      return outputsFor(kind, props, region, present, props.adopted === true, true);
    },

    async update(id, olds, news, changed) {
      const region = (olds.regionId as string) ?? resolveRegion(news.regionId as string | undefined);
      const ids = idsFromOutputs(id, olds);
      const deadline = Deadline.seconds(CREATE_TIMEOUT_SECONDS);
      if (changed.some((k) => (ATTRIBUTE_KEYS as readonly string[]).includes(k) || k === "tags")) {
        await checkCredentials();
        await applyChanges(kind, region, ids, olds, news, changed, deadline);
      }
      const states = await api.describe(region, ids, deadline, kind);
      const list = ids.map((i) => states.get(i) ?? { instanceId: i, regionId: region, status: "Released", chargeType: "PostPaid", deletionProtection: false, lockReasons: [] });
      return outputsFor(kind, { ...olds, ...news }, region, list, olds.adopted === true);
    },

    timeToLive: {
      check: (news) => timeToLiveFailures(news),
      async apply(id, outs, ends) {
        const region = (outs.regionId as string) ?? resolveRegion();
        await checkCredentials();
        const deadline = Deadline.seconds(CREATE_TIMEOUT_SECONDS);
        for (const i of idsFromOutputs(id, outs)) await api.modifyAutoReleaseTime(region, i, ends, deadline, kind);
      },
    },

    async delete(id, outs) {
      const ids = idsFromOutputs(id, outs);
      if (ids.length === 0) throw new ReleaseError(`${kind} ${id}: the stored state has no instance id, so nothing can be released. Check the instance in the console.`, "MissingInstanceId");
      const foreign = ids.filter((i) => !/^i-/.test(i));
      if (foreign.length > 0) throw ReleaseError.foreignIds(kind, foreign, "an ECS", "MissingInstanceId");
      const region = typeof outs.regionId === "string" ? outs.regionId : resolveRegion();
      await checkCredentials();
      const options = deleteOptionsFrom(outs);
      const stopTimeoutSeconds = typeof outs.stopTimeoutSeconds === "number" ? outs.stopTimeoutSeconds : DEFAULT_STOP_TIMEOUT_SECONDS;
      const started = Date.now();
      const outcome = await releaseEcsInstances({ resource: kind, regionId: region, instanceIds: ids, options, stopTimeoutSeconds });
      if (kind === "ecs.InstanceSet") progress(`${kind} ${ids.length} instances`, `released ${outcome.released.length}, already gone ${outcome.alreadyGone.length}, retained ${outcome.retained.length} (${formatDuration(Date.now() - started)})`);
    },
  };
}
