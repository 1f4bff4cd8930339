// The dynamic-provider methods shared by ecs.Instance (one instance) and ecs.InstanceSet (many as one
// resource). The modules instance-provider.ts and instance-set-provider.ts export them; those module objects
// are what `dynamic.Resource` serializes, as one `require(...)` line.
import { EcsModels as Ecs } from "./api";
import * as pulumi from "@pulumi/pulumi";
import { randomUUID } from "node:crypto";
import { checkCredentials, ecsClient } from "../core/clients";
import { changedSetKeys, definedOnly, dropUnknownFailures, guard, idFailure, InitFailure, Inputs } from "../core/dynamic";
import { ReleaseError } from "../core/failure";
import { CheckFailure, checkDeleteOptions, deleteOptionsFrom } from "../core/options";
import { progress } from "../core/progress";
import { withRetry } from "../core/retry";
import { REGION_PATTERN, resolveRegion } from "../core/settings";
import { Deadline, formatDuration } from "../core/timing";
import { waitFor } from "../core/waiter";
import * as api from "./api";
import { EcsInstanceState, MAX_IDS_PER_CALL } from "./api";
import { ECS_CATALOG } from "./errors";
import { DEFAULT_STOP_TIMEOUT_SECONDS, releaseEcsInstances } from "./release";

type Kind = "ecs.Instance" | "ecs.InstanceSet";

const SCHEMA_VERSION = 1;
const CREATE_TIMEOUT_SECONDS = 600;
const PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60];
/** Changing these needs a new instance. */
const REPLACE_KEYS = ["regionId", "imageId", "instanceType", "vSwitchId", "securityGroupId", "instanceChargeType", "period", "tags", "instanceId", "instanceIds", "amount"];
const CREATE_KEYS = ["imageId", "instanceType", "vSwitchId", "securityGroupId"];

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
  if (!adopting) {
    for (const k of CREATE_KEYS) if (!(typeof news[k] === "string" && news[k])) push({ property: k, reason: `${k} is required to create an instance (or give ${kind === "ecs.Instance" ? "instanceId" : "instanceIds"} to adopt existing ones)` });
  }
  const charge = news.instanceChargeType;
  if (charge !== undefined && charge !== "PostPaid" && charge !== "PrePaid") push({ property: "instanceChargeType", reason: `instanceChargeType must be "PostPaid" or "PrePaid", got ${JSON.stringify(charge)}` });
  if (charge === "PrePaid" && !PERIODS.includes(news.period as number)) push({ property: "period", reason: `a PrePaid instance needs period (months) in ${PERIODS.join(", ")}, got ${JSON.stringify(news.period)}` });
  if (news.deletionProtection !== undefined && typeof news.deletionProtection !== "boolean") push({ property: "deletionProtection", reason: "deletionProtection must be true or false" });
  if (news.deletionProtection === true && charge === "PrePaid") push({ property: "deletionProtection", reason: "deletionProtection applies only to pay-as-you-go (PostPaid) instances" });
  if (news.tags !== undefined) {
    const tags = news.tags;
    if (typeof tags !== "object" || tags === null || Array.isArray(tags) || Object.values(tags).some((v) => typeof v !== "string")) push({ property: "tags", reason: "tags must be a map of strings" });
    else if (Object.keys(tags).length > 20) push({ property: "tags", reason: "at most 20 tags" });
  }
  const st = news.stopTimeoutSeconds;
  if (st !== undefined && !(typeof st === "number" && Number.isInteger(st) && st >= 0 && st <= 86400)) push({ property: "stopTimeoutSeconds", reason: `stopTimeoutSeconds must be a whole number from 0 to 86400, got ${JSON.stringify(st)}` });
  if (news.instanceName !== undefined && typeof news.instanceName !== "string") push({ property: "instanceName", reason: "instanceName must be a string" });
  return failures;
}

function ecsDeleteOptions(o: Inputs): Inputs {
  return { ...deleteOptionsFrom(o), stopTimeoutSeconds: typeof o.stopTimeoutSeconds === "number" ? o.stopTimeoutSeconds : DEFAULT_STOP_TIMEOUT_SECONDS };
}

function outputsFor(kind: Kind, inputs: Inputs, region: string, states: EcsInstanceState[], adopted: boolean): Inputs {
  const first = states[0];
  const common = {
    ...inputs,
    schemaVersion: SCHEMA_VERSION,
    regionId: region,
    instanceChargeType: first?.chargeType ?? inputs.instanceChargeType ?? "PostPaid",
    adopted,
    ...ecsDeleteOptions(inputs),
  };
  if (kind === "ecs.Instance") {
    return definedOnly({ ...common, instanceId: first.instanceId, status: first.status, expiredTime: first.expiredTime ?? null, deletionProtection: first.deletionProtection });
  }
  return definedOnly({
    ...common,
    instanceIds: states.map((s) => s.instanceId),
    statuses: Object.fromEntries(states.map((s) => [s.instanceId, s.status])),
    expiredTimes: Object.fromEntries(states.map((s) => [s.instanceId, s.expiredTime ?? null])),
  });
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

async function runInstances(region: string, inputs: Inputs, amount: number, deadline: Deadline, kind: Kind): Promise<string[]> {
  const ids: string[] = [];
  for (let left = amount; left > 0; left -= MAX_IDS_PER_CALL) {
    const n = Math.min(MAX_IDS_PER_CALL, left);
    // One token per RunInstances call, reused by its retries: a retry after a lost reply returns the same ids.
    const clientToken = randomUUID();
    const tags = Object.entries((inputs.tags as Record<string, string> | undefined) ?? {}).map(([key, value]) => new Ecs.RunInstancesRequestTag({ key, value }));
    const req = new Ecs.RunInstancesRequest({
      regionId: region,
      imageId: inputs.imageId as string,
      instanceType: inputs.instanceType as string,
      vSwitchId: inputs.vSwitchId as string,
      securityGroupId: inputs.securityGroupId as string,
      instanceName: inputs.instanceName as string | undefined,
      instanceChargeType: (inputs.instanceChargeType as string | undefined) ?? "PostPaid",
      period: inputs.instanceChargeType === "PrePaid" ? (inputs.period as number) : undefined,
      periodUnit: inputs.instanceChargeType === "PrePaid" ? "Month" : undefined,
      deletionProtection: inputs.deletionProtection === true ? true : undefined,
      amount: n,
      tag: tags.length ? tags : undefined,
      clientToken,
    });
    const res = await withRetry((rt) => ecsClient(region).runInstancesWithOptions(req, rt), {
      deadline, catalog: ECS_CATALOG, context: { resource: kind, ids: ["(new)"], action: "RunInstances" },
    });
    ids.push(...(res.body?.instanceIdSets?.instanceIdSet ?? []));
  }
  return ids;
}

export function ecsProviderMethods(kind: Kind) {
  const check = guard(async (olds: Inputs, news: Inputs): Promise<pulumi.dynamic.CheckResult> => {
    return { inputs: news, failures: dropUnknownFailures(news, checkInputs(kind, news)) };
  });

  const create = guard(async (inputs: Inputs): Promise<pulumi.dynamic.CreateResult> => {
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
      return { id: resourceId(kind, adoptIds), outs: outputsFor(kind, inputs, region, list, true) };
    }
    const amount = kind === "ecs.Instance" ? 1 : (inputs.amount as number);
    const ids = await runInstances(region, inputs, amount, deadline, kind);
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
      throw new InitFailure(message, id, { ...outputsFor(kind, inputs, region, known, false), __provider: inputs.__provider }, [message]);
    }
  });

  const diff = guard(async (_id: string, olds: Inputs, news: Inputs): Promise<pulumi.dynamic.DiffResult> => {
    const replaces = changedSetKeys(olds, news, REPLACE_KEYS);
    const updates = [
      ...changedSetKeys(olds, news, ["deletionProtection", "instanceName"]),
      // Removing a delete option from the program restores its default: that is a change too.
      ...(JSON.stringify(ecsDeleteOptions(olds)) !== JSON.stringify(ecsDeleteOptions(news)) ? ["deleteOptions"] : []),
    ];
    return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
  });

  const update = guard(async (id: string, olds: Inputs, news: Inputs): Promise<pulumi.dynamic.UpdateResult> => {
    const region = (olds.regionId as string) ?? resolveRegion(news.regionId as string | undefined);
    const ids = idsFromOutputs(id, olds);
    const deadline = Deadline.seconds(CREATE_TIMEOUT_SECONDS);
    const cloudChange = changedSetKeys(olds, news, ["deletionProtection", "instanceName"]);
    if (cloudChange.length > 0) {
      await checkCredentials();
      for (const i of ids) {
        const req = new Ecs.ModifyInstanceAttributeRequest({
          instanceId: i,
          deletionProtection: cloudChange.includes("deletionProtection") ? news.deletionProtection === true : undefined,
          instanceName: cloudChange.includes("instanceName") ? (news.instanceName as string | undefined) : undefined,
        });
        await withRetry((rt) => ecsClient(region).modifyInstanceAttributeWithOptions(req, rt), {
          deadline, catalog: ECS_CATALOG, context: { resource: kind, ids: [i], action: "ModifyInstanceAttribute" },
        });
      }
    }
    const states = await api.describe(region, ids, deadline, kind);
    const list = ids.map((i) => states.get(i) ?? { instanceId: i, regionId: region, status: "Released", chargeType: "PostPaid", deletionProtection: false, lockReasons: [] });
    return { outs: outputsFor(kind, { ...olds, ...news }, region, list, olds.adopted === true) };
  });

  const read = guard(async (id: string, props: Inputs): Promise<pulumi.dynamic.ReadResult> => {
    const region = (props.regionId as string) ?? resolveRegion();
    const ids = idsFromOutputs(id, props);
    const states = await api.describe(region, ids, Deadline.seconds(120), kind);
    const present = ids.map((i) => states.get(i)).filter((s): s is EcsInstanceState => Boolean(s));
    if (present.length === 0) return {};
    return { id, props: outputsFor(kind, props, region, present, props.adopted === true) };
  });

  const del = guard(async (id: string, outs: Inputs): Promise<void> => {
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
  });

  return { check, create, diff, update, read, delete: del };
}
