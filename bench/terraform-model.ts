// A model of how terraform-provider-alicloud (v1.285.0, the version pulumi-alicloud bridges) deletes these
// resources, after /work/shared/docs/anchors-providers.md §0–§5 and the provider's source: the same calls, the same
// retry decisions, sleeps, first delays and polling intervals, made with the real Alibaba Cloud SDK clients against
// the emulator. Every wait is in cloud seconds and runs `timeScale` times faster, like the emulator's transitions.
//
// What it models (cloud seconds):
// - resource.Retry (plugin SDK v1 helper/resource/wait.go): attempt at 0, then after 0.5, 1, 2, 4, 8, 10, 10 … s
//   (MinTimeout 500 ms, doubling, capped at 10 s), no jitter, until the timeout; a retryable error from the last
//   attempt is the error returned.
// - BuildStateConf (alicloud/common.go): sleep `delay`, refresh at once, then after 3, 6, 10, 10 … s (MinTimeout 3 s,
//   doubling, capped at 10 s). Target [] means "done when the refresh finds nothing". A state outside a non-empty
//   Pending list fails at once ("unexpected state"); a refresh error fails at once.
// - incrementalWait(first, inc): first call sleeps `first`, every later call `inc` (the declared-inside bug: constant).
// - NeedRetry: any code matching /Throttling/, ServiceUnavailable, Rejected.Throttling, a 5xx, a transport error.
// - IsExpectedErrors: old Go SDK errors (ECS instance: client.WithEcsClient) match on code equality or a substring
//   of the message; tea errors (RpcPost: the set, MongoDB, KVStore) on code equality, expected-code-has-prefix-code
//   or a substring of the error data.
// - alicloud_instance: DeleteInstance(Force=true), retried with no extra sleep on IncorrectInstanceStatus,
//   DependencyViolation.RouteEntry, IncorrectInstanceStatus.Initializing; with incrementalWait(1 s, 1 s) on
//   Throttling / LastTokenProcessing (old-SDK matching: "Throttling.User — Request was denied due to user flow
//   control." matches neither, so it is NOT retried: the delete fails); not found counts as done. Then
//   BuildStateConf(Pending [Pending, Running, Stopped, Stopping], delay 10 s, timeout 20 m) over DescribeInstance,
//   which retries only code "Throttling" exactly (IsThrottling), with incrementalWait(1 s, 1 s), for 10 m.
// - alicloud_ecs_instance_set: DeleteInstances(InstanceId.N, Force=true, ClientToken), retried on
//   IncorrectInstanceStatus* / DependencyViolation.RouteEntry / NeedRetry with a 3 s sleep, within the *create*
//   timeout (30 m); no wait afterwards.
// - alicloud_mongodb_instance: DescribeDBInstanceAttribute pre-read (NeedRetry, incrementalWait(3 s, 3 s), 5 m; not
//   found is an error); PrePaid is skipped; DeleteDBInstance retried on NeedRetry or OperationDenied.DBInstanceStatus
//   with 3 s sleeps within 30 m; then BuildStateConf(Pending [Creating, Deleting], delay 1 m, timeout 30 m).
// - alicloud_kvstore_instance: DescribeInstanceAttribute pre-read (not found = done); PrePaid skipped; DeleteInstance
//   retried on NeedRetry with 3 s sleeps within 20 m; then BuildStateConf(Pending [], delay 60 s, timeout 20 m) until
//   DescribeInstanceAttribute answers not found.
//
// What it simplifies (see also the report):
// - KVStore: the emulator keeps describing a recycle-bin instance (status Released) for its 7-day retention, so
//   the literal "wait for NotFound" would time out after 20 m on every instance. The model counts Released as done
//   (what the 2024-04 … 2025-04 code targeted, and what the cloud must answer for the 2025 code to finish). The
//   instance stays in the recycle bin: Terraform never calls DestroyInstance.
// - Describe calls in waits are one per instance and per poll, as in the provider; the pre-read of the ECS
//   instance resource's `Read` before delete (refresh) is not modelled (`pulumi destroy` without --refresh).
// - The Go SDK's own transport retries are modelled only as "a failure without an API answer is retried up to 3
//   times at once" (transport); the emulator sends no 5xx here.
// - Error wrapping, logging and the 30 s grace period of a timed-out wait are left out.
// - Timeouts are scaled like every other wait.
import * as EcsSdk from "@alicloud/ecs20140526";
import * as KvSdk from "@alicloud/r-kvstore20150101";
import { randomUUID } from "node:crypto";
import { dds, ecs, kv, runtime, SdkFailure, sdkFailure } from "./sdk";

export interface ModelEnv {
  url: string;
  timeScale: number;
}

let env: ModelEnv = { url: "", timeScale: 1 };

export function configureModel(e: ModelEnv): void {
  env = e;
}

/** Sleep cloud seconds. */
const sleepCloud = (s: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, s * 1000 * env.timeScale)));
const cloudNow = (): number => Date.now() / 1000 / env.timeScale;

class Retryable extends Error {
  constructor(readonly failure: unknown) {
    super("retryable");
  }
}

/** A delete that failed, as Terraform would report it (the error text, with the API code). */
export class TerraformDeleteError extends Error {
  constructor(readonly resource: string, readonly action: string, readonly failure: SdkFailure | undefined, text?: string) {
    super(text ?? `Resource ${resource} ${action} Failed!!! ${failure?.code ?? "?"}: ${failure?.message ?? ""}`);
    this.name = "TerraformDeleteError";
  }
}

/** helper/resource.Retry. */
async function retry<T>(timeoutS: number, f: () => Promise<T>): Promise<T> {
  const start = cloudNow();
  let wait = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await f();
    } catch (e) {
      if (!(e instanceof Retryable)) throw e;
      wait = attempt === 0 ? 0.5 : Math.min(wait * 2, 10);
      if (cloudNow() - start + wait > timeoutS) throw e.failure;
      await sleepCloud(wait);
    }
  }
}

/** BuildStateConf(...).WaitForState(); `refresh` returns the state, or null when the resource is gone. */
async function waitForState(o: { pending: string[]; delayS: number; timeoutS: number; refresh: () => Promise<string | null>; subject: string }): Promise<void> {
  const start = cloudNow();
  await sleepCloud(o.delayS);
  let gap = 0;
  for (;;) {
    const state = await o.refresh();
    if (state === null) return;
    if (o.pending.length > 0 && !o.pending.includes(state)) {
      throw new TerraformDeleteError(o.subject, "WaitForState", undefined, `${o.subject}: unexpected state '${state}', wanted target ''.`);
    }
    gap = gap === 0 ? 3 : Math.min(gap * 2, 10);
    if (cloudNow() - start + gap > o.timeoutS) {
      throw new TerraformDeleteError(o.subject, "WaitForState", undefined, `${o.subject}: timeout while waiting for state to become '' (last state: '${state}', timeout: ${o.timeoutS}s)`);
    }
    await sleepCloud(gap);
  }
}

function incrementalWait(firstS: number, incS: number): () => Promise<void> {
  let count = 1;
  return async () => {
    // waitTime is declared inside the closure: every call after the first sleeps only `inc`.
    await sleepCloud(count === 1 ? firstS : incS);
    count++;
  };
}

const THROTTLING = /Throttling/;

function needRetry(f: SdkFailure): boolean {
  if (f.code === undefined) return true; // transport errors ("Post https://…")
  if (f.code === "ServiceUnavailable" || f.code === "Rejected.Throttling" || THROTTLING.test(f.code)) return true;
  return f.status !== undefined && f.status >= 500;
}

/** IsExpectedErrors for old Go SDK errors (errors.ServerError). */
const expectedOld = (f: SdkFailure, codes: string[]): boolean => codes.some((c) => f.code === c || f.message.includes(c));
/** IsExpectedErrors for tea SDK errors. */
const expectedTea = (f: SdkFailure, codes: string[]): boolean => codes.some((c) => f.code === c || (f.code !== undefined && c.startsWith(f.code)) || f.data.includes(c));

const ECS_NOT_FOUND = ["InvalidInstanceId.NotFound", "Forbidden.InstanceNotFound"];

/** The Go SDK's AutoRetry: a call that got no API answer (connection reset, timeout) is sent again, up to 3 times. */
async function transport<T>(f: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await f();
    } catch (e) {
      if (attempt >= 3 || sdkFailure(e).code !== undefined) throw e;
    }
  }
}

// ---- alicloud_instance ------------------------------------------------------------------------------------------

/** EcsService.DescribeInstance: one DescribeInstances per instance; only code "Throttling" is retried. */
async function describeEcsInstance(region: string, id: string): Promise<string | null> {
  const wait = incrementalWait(1, 1);
  const req = new EcsSdk.DescribeInstancesRequest({ regionId: region, instanceIds: JSON.stringify([id]) });
  const res = await retry(600, async () => {
    try {
      return await transport(() => ecs(env.url, region).describeInstancesWithOptions(req, runtime()));
    } catch (e) {
      const f = sdkFailure(e);
      if (f.code === "Throttling") {
        await wait();
        throw new Retryable(e);
      }
      throw new TerraformDeleteError(id, "DescribeInstances", f);
    }
  });
  const list = res.body?.instances?.instance ?? [];
  return list.length === 0 ? null : list[0].status ?? "Unknown";
}

export async function deleteEcsInstance(id: string, outs: Record<string, unknown>): Promise<void> {
  const region = String(outs.regionId);
  const timeout = 20 * 60;
  const wait = incrementalWait(1, 1);
  const req = new EcsSdk.DeleteInstanceRequest({ instanceId: id, force: true });
  try {
    await retry(timeout, async () => {
      try {
        await transport(() => ecs(env.url, region).deleteInstanceWithOptions(req, runtime()));
      } catch (e) {
        const f = sdkFailure(e);
        if (expectedOld(f, ["IncorrectInstanceStatus", "DependencyViolation.RouteEntry", "IncorrectInstanceStatus.Initializing"])) throw new Retryable(e);
        if (expectedOld(f, ["Throttling", "LastTokenProcessing"])) {
          await wait();
          throw new Retryable(e);
        }
        throw e;
      }
    });
  } catch (e) {
    const f = sdkFailure(e);
    if (expectedOld(f, ECS_NOT_FOUND)) return;
    throw new TerraformDeleteError(id, "DeleteInstance", f);
  }
  await waitForState({
    subject: id,
    pending: ["Pending", "Running", "Stopped", "Stopping"],
    delayS: 10,
    timeoutS: timeout,
    refresh: () => describeEcsInstance(region, id),
  });
}

// ---- alicloud_ecs_instance_set ------------------------------------------------------------------------------------

export async function deleteEcsInstanceSet(id: string, outs: Record<string, unknown>): Promise<void> {
  const region = String(outs.regionId);
  const ids = (outs.instanceIds as string[]) ?? id.split(",");
  const req = new EcsSdk.DeleteInstancesRequest({ regionId: region, instanceId: ids, force: true, clientToken: randomUUID() });
  try {
    // The delete path uses the *create* timeout (30 m by default).
    await retry(30 * 60, async () => {
      try {
        await transport(() => ecs(env.url, region).deleteInstancesWithOptions(req, runtime()));
      } catch (e) {
        const f = sdkFailure(e);
        if (expectedTea(f, ["IncorrectInstanceStatus", "DependencyViolation.RouteEntry", "IncorrectInstanceStatus.Initializing"]) || needRetry(f)) {
          await sleepCloud(3);
          throw new Retryable(e);
        }
        throw e;
      }
    });
  } catch (e) {
    const f = sdkFailure(e);
    if (expectedTea(f, ["InvalidInstanceIds.NotFound"])) return;
    throw new TerraformDeleteError(id, "DeleteInstances", f);
  }
  // No wait: returns as soon as the call is accepted.
}

// ---- alicloud_mongodb_instance --------------------------------------------------------------------------------------

class NotFound extends Error {}

async function describeMongo(region: string, id: string): Promise<{ status: string; chargeType: string }> {
  const wait = incrementalWait(3, 3);
  let body: Record<string, unknown>;
  try {
    body = await retry(5 * 60, async () => {
      try {
        return await transport(() => dds(env.url, region).call("DescribeDBInstanceAttribute", { DBInstanceId: id }));
      } catch (e) {
        if (needRetry(sdkFailure(e))) {
          await wait();
          throw new Retryable(e);
        }
        throw e;
      }
    });
  } catch (e) {
    const f = sdkFailure(e);
    if (expectedTea(f, ["InvalidDBInstanceId.NotFound"])) throw new NotFound(id);
    throw new TerraformDeleteError(id, "DescribeDBInstanceAttribute", f);
  }
  const list = ((body.DBInstances as Record<string, unknown> | undefined)?.DBInstance ?? []) as Record<string, unknown>[];
  const item = list.find((i) => i.DBInstanceId === id);
  if (!item) throw new NotFound(id);
  return { status: String(item.DBInstanceStatus), chargeType: String(item.ChargeType) };
}

export async function deleteMongo(id: string, outs: Record<string, unknown>): Promise<void> {
  const region = String(outs.regionId);
  const timeout = 30 * 60;
  // Pre-read: a not-found answer here is an error, not success.
  const s = await describeMongo(region, id).catch((e: unknown) => {
    if (e instanceof NotFound) throw new TerraformDeleteError(id, "DescribeDBInstanceAttribute", undefined, `${id}: MongoDB:Instance not found (pre-read)`);
    throw e;
  });
  if (s.chargeType === "PrePaid") return; // [WARN] Cannot destroy … and dropped from state.
  try {
    await retry(timeout, async () => {
      try {
        await transport(() => dds(env.url, region).call("DeleteDBInstance", { DBInstanceId: id }));
      } catch (e) {
        const f = sdkFailure(e);
        if (needRetry(f) || expectedTea(f, ["OperationDenied.DBInstanceStatus"])) {
          await sleepCloud(3);
          throw new Retryable(e);
        }
        throw e;
      }
    });
  } catch (e) {
    const f = sdkFailure(e);
    if (expectedTea(f, ["InvalidDBInstanceId.NotFound"])) return;
    throw new TerraformDeleteError(id, "DeleteDBInstance", f);
  }
  await waitForState({
    subject: id,
    pending: ["Creating", "Deleting"],
    delayS: 60,
    timeoutS: timeout,
    refresh: async () => {
      try {
        return (await describeMongo(region, id)).status;
      } catch (e) {
        if (e instanceof NotFound) return null;
        throw e;
      }
    },
  });
}

// ---- alicloud_kvstore_instance ------------------------------------------------------------------------------------

async function describeKv(region: string, id: string): Promise<{ status: string; chargeType: string } | null> {
  const wait = incrementalWait(3, 3);
  const req = new KvSdk.DescribeInstanceAttributeRequest({ instanceId: id });
  try {
    const res = await retry(5 * 60, async () => {
      try {
        return await transport(() => kv(env.url, region).describeInstanceAttributeWithOptions(req, runtime()));
      } catch (e) {
        if (needRetry(sdkFailure(e))) {
          await wait();
          throw new Retryable(e);
        }
        throw e;
      }
    });
    const a = (res.body?.instances?.DBInstanceAttribute ?? []).find((x) => x.instanceId === id);
    return a ? { status: a.instanceStatus ?? "Unknown", chargeType: a.chargeType ?? "PostPaid" } : null;
  } catch (e) {
    const f = sdkFailure(e);
    if (expectedTea(f, ["InvalidInstanceId.NotFound"])) return null;
    throw new TerraformDeleteError(id, "DescribeInstanceAttribute", f);
  }
}

export async function deleteRedis(id: string, outs: Record<string, unknown>): Promise<void> {
  const region = String(outs.regionId);
  const timeout = 20 * 60;
  const s = await describeKv(region, id);
  if (!s) return;
  if (s.chargeType === "PrePaid") return; // [WARN] Cannot destroy Subscription resource … and dropped from state.
  const req = new KvSdk.DeleteInstanceRequest({ instanceId: id });
  try {
    await retry(timeout, async () => {
      try {
        await transport(() => kv(env.url, region).deleteInstanceWithOptions(req, runtime()));
      } catch (e) {
        if (needRetry(sdkFailure(e))) {
          await sleepCloud(3);
          throw new Retryable(e);
        }
        throw e;
      }
    });
  } catch (e) {
    const f = sdkFailure(e);
    if (expectedTea(f, ["InvalidInstanceId.NotFound"])) return;
    throw new TerraformDeleteError(id, "DeleteInstance", f);
  }
  await waitForState({
    subject: id,
    pending: [],
    delayS: 60,
    timeoutS: timeout,
    // Simplification (see the header): Released (in the recycle bin) counts as gone.
    refresh: async () => {
      const now = await describeKv(region, id);
      return now === null || now.status === "Released" ? null : now.status;
    },
  });
}

export const TERRAFORM_DELETES: Record<string, (id: string, outs: Record<string, unknown>) => Promise<void>> = {
  "ecs.Instance": deleteEcsInstance,
  "ecs.InstanceSet": deleteEcsInstanceSet,
  "mongodb.Instance": deleteMongo,
  "redis.Instance": deleteRedis,
};
