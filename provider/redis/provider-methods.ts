// The dynamic-provider methods of redis.Instance. instance-provider.ts exports them; that module object is
// what `dynamic.Resource` serializes, as one `require(...)` line.
import * as pulumi from "@pulumi/pulumi";
import { randomUUID } from "node:crypto";
import { checkCredentials } from "../core/clients";
import { guard, InitFailure, Inputs } from "../core/dynamic";
import { ReleaseError } from "../core/failure";
import { progress } from "../core/progress";
import { resolveRegion } from "../core/settings";
import { Deadline, formatDuration } from "../core/timing";
import { waitFor } from "../core/waiter";
import * as api from "./api";
import { KvState } from "./api";
import { checkInputs, DEFAULT_CREATE_TIMEOUT_SECONDS, outputsFor, redisDeleteOptionsFrom, replacedKeys, updatedKeys } from "./inputs";
import { releaseRedisInstance } from "./release";

const KIND = "redis.Instance";
const READ_TIMEOUT_SECONDS = 120;

function tryRegion(explicit: unknown): string | undefined {
  try {
    return resolveRegion(typeof explicit === "string" ? explicit : undefined);
  } catch {
    return undefined;
  }
}

async function adopt(region: string, inputs: Inputs, deadline: Deadline): Promise<pulumi.dynamic.CreateResult> {
  const id = inputs.instanceId as string;
  const s = await api.describe(region, id, deadline, KIND);
  if (!s) {
    throw new ReleaseError(`${KIND}: cannot adopt ${id}: no such instance (DescribeInstanceAttribute answered InvalidInstanceId.NotFound in region ${region}). Check the id and regionId.`, "InvalidInstanceId.NotFound");
  }
  if (s.regionId && s.regionId !== region) {
    throw new ReleaseError(`${KIND}: cannot adopt ${id}: it is in region ${s.regionId}, not ${region}. Set regionId: "${s.regionId}".`, "InvalidRegionId.Mismatch");
  }
  if (s.status === "Released") progress(id, "adopted while in the recycle bin (Released): a destroy keeps it there, or destroys it with purgeRecycleBin: true");
  return { id, outs: outputsFor(inputs, region, s, true) };
}

async function createNew(region: string, inputs: Inputs): Promise<pulumi.dynamic.CreateResult> {
  const timeout = typeof inputs.createTimeoutSeconds === "number" ? inputs.createTimeoutSeconds : DEFAULT_CREATE_TIMEOUT_SECONDS;
  const deadline = Deadline.seconds(timeout);
  const started = Date.now();
  const chargeType = inputs.chargeType === "PrePaid" ? "PrePaid" : "PostPaid";
  const id = await api.createInstance(
    region,
    {
      instanceClass: inputs.instanceClass as string | undefined,
      capacity: inputs.capacity as number | undefined,
      engineVersion: inputs.engineVersion as string | undefined,
      chargeType,
      period: inputs.period as number | undefined,
      vpcId: inputs.vpcId as string | undefined,
      vSwitchId: inputs.vSwitchId as string | undefined,
      zoneId: inputs.zoneId as string | undefined,
      instanceName: inputs.instanceName as string | undefined,
      password: inputs.password as string | undefined,
    },
    randomUUID(),
    deadline,
    KIND,
  );
  progress(id, "created (CreateInstance); waiting for Normal");
  let last: KvState = { instanceId: id, status: "Unknown", chargeType, releaseProtection: false };
  try {
    const { state } = await waitFor({
      deadline,
      phase: "running (Normal)",
      subject: `${KIND} ${id}`,
      minDelayMs: 5000,
      maxDelayMs: 20000,
      poll: async () => {
        const s = await api.describe(region, id, deadline, KIND);
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
      await api.modifyAttributes(region, id, { releaseProtection: true }, deadline, KIND);
      progress(id, "release protection turned on");
      last = (await api.describe(region, id, deadline, KIND)) ?? last;
    }
    progress(id, `running (Normal) after ${formatDuration(Date.now() - started)}`);
    return { id, outs: outputsFor(inputs, region, last, false) };
  } catch (e) {
    // Keep the instance in state so that `pulumi destroy` releases it.
    const message = `${KIND} ${id}: created but did not become ready: ${(e as Error).message}`;
    throw new InitFailure(message, id, { ...outputsFor(inputs, region, last, false), __provider: inputs.__provider }, [message]);
  }
}

export function redisProviderMethods() {
  const check = guard(async (_olds: Inputs, news: Inputs): Promise<pulumi.dynamic.CheckResult> => {
    return { inputs: news, failures: checkInputs(news) };
  });

  const create = guard(async (inputs: Inputs): Promise<pulumi.dynamic.CreateResult> => {
    await checkCredentials();
    const region = resolveRegion(inputs.regionId as string | undefined);
    if (typeof inputs.instanceId === "string") return adopt(region, inputs, Deadline.seconds(READ_TIMEOUT_SECONDS));
    return createNew(region, inputs);
  });

  const diff = guard(async (_id: string, olds: Inputs, news: Inputs): Promise<pulumi.dynamic.DiffResult> => {
    const replaces = replacedKeys(olds, news, tryRegion(news.regionId));
    const updates = updatedKeys(olds, news);
    return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
  });

  const update = guard(async (id: string, olds: Inputs, news: Inputs): Promise<pulumi.dynamic.UpdateResult> => {
    const region = typeof olds.regionId === "string" ? olds.regionId : resolveRegion(news.regionId as string | undefined);
    const instanceId = typeof olds.instanceId === "string" ? olds.instanceId : id;
    const deadline = Deadline.seconds(READ_TIMEOUT_SECONDS);
    await checkCredentials();
    const change: { releaseProtection?: boolean; instanceName?: string } = {};
    const changed = updatedKeys(olds, news);
    if (changed.includes("releaseProtection")) change.releaseProtection = news.releaseProtection === true;
    if (changed.includes("instanceName") && typeof news.instanceName === "string") change.instanceName = news.instanceName;
    if (Object.keys(change).length > 0) await api.modifyAttributes(region, instanceId, change, deadline, KIND);
    const s = await api.describe(region, instanceId, deadline, KIND);
    if (!s) throw new ReleaseError(`${KIND} ${instanceId}: the instance no longer exists; run \`pulumi refresh\` to drop it from state.`, "InvalidInstanceId.NotFound");
    return { outs: outputsFor(news, region, s, olds.adopted === true) };
  });

  const read = guard(async (id: string, props: Inputs): Promise<pulumi.dynamic.ReadResult> => {
    const region = typeof props.regionId === "string" ? props.regionId : resolveRegion();
    const instanceId = typeof props.instanceId === "string" ? props.instanceId : id;
    // A recycle-bin entry is still read: it exists (recoverable) until destroyed, and a destroy can purge it.
    const s = await api.describe(region, instanceId, Deadline.seconds(READ_TIMEOUT_SECONDS), KIND);
    if (!s) return {};
    return { id, props: outputsFor(props, region, s, props.adopted === true) };
  });

  const del = guard(async (id: string, outs: Inputs): Promise<void> => {
    const instanceId = typeof outs.instanceId === "string" && outs.instanceId ? outs.instanceId : id;
    if (!instanceId) throw new ReleaseError(`${KIND} ${id}: the stored state has no instance id, so nothing can be released. Check the instance in the console.`, "MissingInstanceId");
    if (!/^r-/.test(instanceId)) throw ReleaseError.foreignIds(KIND, [instanceId], "a Tair (Redis)", "MissingInstanceId");
    const region = typeof outs.regionId === "string" ? outs.regionId : resolveRegion();
    await checkCredentials();
    await releaseRedisInstance({ resource: KIND, regionId: region, instanceId, options: redisDeleteOptionsFrom(outs) });
  });

  return { check, create, diff, update, read, delete: del };
}
