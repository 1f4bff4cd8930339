// redis.Instance (CreateInstance) and redis.TairInstance (CreateTairInstance), declared once: every create
// parameter of the official SDK's request model, which inputs change in place (name and release protection:
// ModifyInstanceAttribute; tags: TagResources / UntagResources), the rest replacing; create or adopt, read,
// update, and the one release lifecycle (release.ts: DeleteInstance → recycle bin → kept, or DestroyInstance).
import { randomUUID } from "node:crypto";
import { checkCredentials } from "../core/clients";
import { InitFailure, Inputs } from "../core/dynamic";
import { CreateOutcome, KindDeclaration } from "../core/kind";
import { ReleaseError } from "../core/failure";
import { progress } from "../core/progress";
import { resolveRegion } from "../core/settings";
import { Deadline, formatDuration } from "../core/timing";
import { waitFor } from "../core/waiter";
import * as api from "./api";
import { KvState } from "./api";
import { checkInputs, DEFAULT_CREATE_TIMEOUT_SECONDS, outputsFor, redisDeleteOptionsFrom, REDIS, RedisVariant, replaceInputs, SCHEMA_VERSION, TAIR, UPDATE_INPUTS } from "./inputs";
import { EXPIRES_AT_TAG_KEY, ownershipTags } from "../core/ownership";
import { isEmptyChange, TagChange, tagChange, userTags } from "../core/tags";
import { SECRET_INPUTS } from "./secrets";
import { releaseRedisInstance } from "./release";

const READ_TIMEOUT_SECONDS = 120;

async function applyTags(region: string, id: string, c: TagChange, deadline: Deadline, resource: string): Promise<void> {
  await api.untagInstance(region, id, c.remove, deadline, resource);
  await api.tagInstance(region, id, c.set, deadline, resource);
}

export function redisKind(v: RedisVariant): KindDeclaration {
let replaceKeys: string[] | undefined;
async function adopt(region: string, inputs: Inputs, deadline: Deadline): Promise<CreateOutcome> {
  const id = inputs.instanceId as string;
  const s = await api.describe(region, id, deadline, v.kind);
  if (!s) {
    throw new ReleaseError(`${v.kind}: cannot adopt ${id}: no such instance (DescribeInstanceAttribute answered InvalidInstanceId.NotFound in region ${region}). Check the id and regionId.`, "InvalidInstanceId.NotFound");
  }
  if (s.regionId && s.regionId !== region) {
    throw new ReleaseError(`${v.kind}: cannot adopt ${id}: it is in region ${s.regionId}, not ${region}. Set regionId: "${s.regionId}".`, "InvalidRegionId.Mismatch");
  }
  if (s.status === "Released") progress(id, "adopted while in the recycle bin (Released): a destroy keeps it there, or destroys it with purgeRecycleBin: true");
  // Adopted instances are not re-tagged with ownership tags; the program's own tags apply.
  if (inputs.tags !== undefined) {
    const c = tagChange(userTags((s.view?.tags as Record<string, string>) ?? {}), inputs.tags);
    if (!isEmptyChange(c)) await applyTags(region, id, c, deadline, v.kind);
  }
  return { id, outs: outputsFor(inputs, region, s, true) };
}

async function createNew(region: string, inputs: Inputs): Promise<CreateOutcome> {
  const timeout = typeof inputs.createTimeoutSeconds === "number" ? inputs.createTimeoutSeconds : DEFAULT_CREATE_TIMEOUT_SECONDS;
  const deadline = Deadline.seconds(timeout);
  const started = Date.now();
  const chargeType = inputs.chargeType === "PrePaid" ? "PrePaid" : "PostPaid";
  const keys = api.createKeys(v.action);
  const params: Inputs = Object.fromEntries(Object.entries(inputs).filter(([k, x]) => keys.includes(k) && x !== undefined));
  params.chargeType = chargeType;
  if (chargeType !== "PrePaid") delete params.period;
  if (params.vSwitchId && params.networkType === undefined && keys.includes("networkType")) params.networkType = "VPC";
  const tags = { ...(inputs.tags as Record<string, string> | undefined), ...ownershipTags(inputs) };
  const id = await api.createInstance(region, v.action, params, tags, randomUUID(), deadline, v.kind);
  progress(id, `created (${v.action}); waiting for Normal`);
  let last: KvState = { instanceId: id, status: "Unknown", chargeType, releaseProtection: false };
  try {
    const { state } = await waitFor({
      deadline,
      phase: "running (Normal)",
      subject: `${v.kind} ${id}`,
      minDelayMs: 5000,
      maxDelayMs: 20000,
      poll: async () => {
        const s = await api.describe(region, id, deadline, v.kind);
        if (s) last = s;
        return s;
      },
      done: (s) => s?.status === "Normal",
      // Not found is not fatal here: a new instance may take a moment to be described.
      abort: (s) => s?.status === "Error" || s?.status === "Released",
      describe: (s) => s?.status ?? "not found",
    });
    if (state?.status !== "Normal") throw new Error(`status ${state?.status ?? "not found"}`);
    if (inputs.releaseProtection === true) {
      // CreateInstance has no such parameter: protection is turned on as soon as the instance runs.
      await api.modifyAttributes(region, id, { releaseProtection: true }, deadline, v.kind);
      progress(id, "release protection turned on");
      last = (await api.describe(region, id, deadline, v.kind)) ?? last;
    }
    progress(id, `running (Normal) after ${formatDuration(Date.now() - started)}`);
    return { id, outs: outputsFor(inputs, region, last, false) };
  } catch (e) {
    // Keep the instance in state so that `pulumi destroy` releases it.
    const message = `${v.kind} ${id}: created but did not become ready: ${(e as Error).message}`;
    throw new InitFailure(message, id, outputsFor(inputs, region, last, false), [message]);
  }
}

  return {
  name: v.kind,
  schemaVersion: SCHEMA_VERSION,
  adoptKey: "instanceId",
  check: (news) => checkInputs(news, v),
  // Read from the SDK's request model: computed on first use, so loading the module loads no SDK.
  get replaceKeys() {
    return (replaceKeys ??= replaceInputs(v));
  },
  defaults: { chargeType: "PostPaid", releaseProtection: false },
  updateKeys: UPDATE_INPUTS,
  deleteOptions: (o) => {
    const { onSubscription, overrideProtection, deleteTimeoutSeconds, purgeRecycleBin } = redisDeleteOptionsFrom(o);
    return { onSubscription, overrideProtection, deleteTimeoutSeconds, purgeRecycleBin };
  },
  secretInputs: SECRET_INPUTS,

  async create(inputs) {
    await checkCredentials();
    const region = resolveRegion(inputs.regionId as string | undefined);
    if (typeof inputs.instanceId === "string") return adopt(region, inputs, Deadline.seconds(READ_TIMEOUT_SECONDS));
    return createNew(region, inputs);
  },

  async update(id, olds, news, changed) {
    const region = typeof olds.regionId === "string" ? olds.regionId : resolveRegion(news.regionId as string | undefined);
    const instanceId = typeof olds.instanceId === "string" ? olds.instanceId : id;
    const deadline = Deadline.seconds(READ_TIMEOUT_SECONDS);
    await checkCredentials();
    const change: { releaseProtection?: boolean; instanceName?: string } = {};
    if (changed.includes("releaseProtection")) change.releaseProtection = news.releaseProtection === true;
    if (changed.includes("instanceName") && typeof news.instanceName === "string") change.instanceName = news.instanceName;
    if (Object.keys(change).length > 0) await api.modifyAttributes(region, instanceId, change, deadline, v.kind);
    if (changed.includes("tags")) await applyTags(region, instanceId, tagChange(olds.tags, news.tags), deadline, v.kind);
    const s = await api.describe(region, instanceId, deadline, v.kind);
    if (!s) throw new ReleaseError(`${v.kind} ${instanceId}: the instance no longer exists; run \`pulumi refresh\` to drop it from state.`, "InvalidInstanceId.NotFound");
    return outputsFor(news, region, s, olds.adopted === true);
  },

  // No auto-release in the R-KVStore API: the expiry is the pulumi:expires-at tag, which `alicloud-release sweep --expired` acts on.
  timeToLive: {
    async apply(id, outs, ends) {
      const region = typeof outs.regionId === "string" ? outs.regionId : resolveRegion();
      const instanceId = typeof outs.instanceId === "string" ? outs.instanceId : id;
      await checkCredentials();
      await applyTags(region, instanceId, ends ? { set: { [EXPIRES_AT_TAG_KEY]: ends }, remove: [] } : { set: {}, remove: [EXPIRES_AT_TAG_KEY] }, Deadline.seconds(READ_TIMEOUT_SECONDS), v.kind);
    },
  },

  async read(id, props) {
    const region = typeof props.regionId === "string" ? props.regionId : resolveRegion();
    const instanceId = typeof props.instanceId === "string" ? props.instanceId : id;
    // A recycle-bin entry is still read: it exists (recoverable) until destroyed, and a destroy can purge it.
    const s = await api.describe(region, instanceId, Deadline.seconds(READ_TIMEOUT_SECONDS), v.kind);
    if (!s) return undefined;
    return outputsFor(props, region, s, props.adopted === true, true);
  },

  async delete(id, outs) {
    const instanceId = typeof outs.instanceId === "string" && outs.instanceId ? outs.instanceId : id;
    if (!instanceId) throw new ReleaseError(`${v.kind} ${id}: the stored state has no instance id, so nothing can be released. Check the instance in the console.`, "MissingInstanceId");
    if (!/^r-/.test(instanceId)) throw ReleaseError.foreignIds(v.kind, [instanceId], "a Tair (Redis)", "MissingInstanceId");
    const region = typeof outs.regionId === "string" ? outs.regionId : resolveRegion();
    await checkCredentials();
    await releaseRedisInstance({ resource: v.kind, regionId: region, instanceId, options: redisDeleteOptionsFrom(outs) });
  },
};
}

export const redisDeclaration = redisKind(REDIS);
export const tairDeclaration = redisKind(TAIR);
