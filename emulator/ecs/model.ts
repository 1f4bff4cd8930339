// The ECS instance: its attributes, its scheduled lifecycle (alicloud-apis.md §1.1) and the checks that stop
// and release calls make. Checks are "planned": they throw the API error or return the change to make, so a
// batch call can check every instance before it changes any (all-or-nothing).
import { Clock } from "../core/clock";
import { throwIfBlocked } from "../core/product";
import { Instance, Store } from "../core/store";
import { ECS_ERRORS, ecsError } from "./errors";
import { LaunchAttrs } from "./launch-params";

export const STATUSES = ["Pending", "Running", "Starting", "Stopping", "Stopped"] as const;
export const CHARGE_TYPES = ["PostPaid", "PrePaid"] as const;
export const STOPPED_MODES = ["StopCharging", "KeepCharging"] as const;
export const LOCK_REASONS = ["financial", "security", "Recycling", "dedicatedhostfinancial", "refunded"] as const;

export type StoppedMode = (typeof STOPPED_MODES)[number];

/** What a running pay-as-you-go instance reports (seen in a real config snapshot). */
export const NOT_APPLICABLE = "Not-applicable";

/** ExpiredTime of pay-as-you-go instances (§1.2). */
export const POSTPAID_EXPIRED_TIME = "2099-12-31T15:59Z";

const LOCK_MSG: Record<string, string> = {
  financial: "The instance has expired.",
  security: "The instance is locked for security reasons.",
  Recycling: "The spot instance is about to be released.",
  dedicatedhostfinancial: "The dedicated host has expired.",
  refunded: "The instance has been refunded.",
};

export interface OperationLock {
  LockReason: string;
  LockMsg: string;
}

// A type alias (not an interface) so that it fits Instance.attrs' index signature.
export type EcsAttrs = {
  InstanceName: string;
  Description: string;
  ImageId: string;
  InstanceType: string;
  ZoneId: string;
  VSwitchId: string;
  VpcId: string;
  SecurityGroupIds: string[];
  Tags: { TagKey: string; TagValue: string }[];
  DeletionProtection: boolean;
  OperationLocks: OperationLock[];
  StoppedMode: string;
  /** ISO-8601 to the second; rendered to the minute. */
  CreationTime: string;
  /** Empty until the instance first reaches Running. */
  StartTime: string;
  /** An accepted release is under way; the instance stays listed until it is gone. */
  releasing: boolean;
  /** Released under a security lock, which releases disks even with DeleteWithInstance=false (§1.2). */
  disksReleasedWithInstance: boolean;
  // Launch parameters (RunInstances); optional so that instances made by other create calls need not set them.
  /** Virtual ms when the service releases the instance by itself (auto-release.ts); undefined: never. */
  AutoReleaseTime?: number;
} & Partial<LaunchAttrs>;

/** What lifecycle code needs; both ActionContext and AdminContext provide it. */
export interface Env {
  clock: Clock;
  store: Store;
}

export const ecsAttrs = (inst: Instance): EcsAttrs => inst.attrs as EcsAttrs;

export const hasLock = (inst: Instance, reason: string): boolean => ecsAttrs(inst).OperationLocks.some((l) => l.LockReason === reason);

export const isExpired = (inst: Instance, now: number): boolean =>
  inst.chargeType === "PrePaid" && inst.expireTime !== undefined && inst.expireTime <= now;

/** Expired subscription, or a financial lock (overdue pay-as-you-go): InstanceExpiredOrInArrears. */
export const inArrears = (inst: Instance, now: number): boolean => isExpired(inst, now) || hasLock(inst, "financial");

// ---- scheduled lifecycle ----------------------------------------------------------------------------

/** Transitions that a release or an expiry supersedes ("release" itself is never cancelled). */
const LIFECYCLE_LABELS = ["boot", "start", "stop", "expiry"];

function cancelLifecycle(store: Store, id: string): void {
  for (const label of LIFECYCLE_LABELS) store.cancel(id, label);
}

function scheduleRunning(env: Env, inst: Instance, from: number): void {
  env.store.at(inst.id, from + env.clock.duration("ecs.starting"), "start", (i, at) => {
    i.status = "Running";
    ecsAttrs(i).StartTime = env.clock.iso(at);
  });
}

/** RunInstances: Pending → Starting → Running. */
export function boot(env: Env, inst: Instance, from: number): void {
  inst.status = "Pending";
  env.store.at(inst.id, from + env.clock.duration("ecs.pending"), "boot", (i, at) => {
    i.status = "Starting";
    scheduleRunning(env, i, at);
  });
}

/** StartInstance: Stopped → Starting → Running. */
export function start(env: Env, inst: Instance): void {
  inst.status = "Starting";
  ecsAttrs(inst).StoppedMode = NOT_APPLICABLE;
  scheduleRunning(env, inst, env.clock.now());
}

/** A subscription expires by itself at its ExpiredTime, as the admin `expire` makes it do at once. */
export function scheduleExpiry(env: Env, inst: Instance): void {
  env.store.cancel(inst.id, "expiry");
  if (inst.chargeType !== "PrePaid" || inst.expireTime === undefined) return;
  env.store.at(inst.id, inst.expireTime, "expiry", (i, at) => expireAt(env, i, at));
}

/** The API reports an expired instance as Stopped with a financial lock (§1.1, §1.2). */
export function expireAt(env: Env, inst: Instance, at: number): void {
  cancelLifecycle(env.store, inst.id);
  inst.expireTime = at;
  inst.status = "Stopped";
  addLock(inst, "financial");
  ecsAttrs(inst).StoppedMode = "KeepCharging";
}

export function addLock(inst: Instance, reason: string): void {
  if (!(LOCK_REASONS as readonly string[]).includes(reason)) {
    throw new Error(`unknown ECS lock reason "${reason}"; expected one of ${LOCK_REASONS.join(", ")}`);
  }
  if (!hasLock(inst, reason)) ecsAttrs(inst).OperationLocks.push({ LockReason: reason, LockMsg: LOCK_MSG[reason] });
}

// ---- planned changes --------------------------------------------------------------------------------

export type Change = () => void;

export interface StopOptions {
  force: boolean;
  stoppedMode?: StoppedMode;
}

/** StopInstance(s): Running → Stopping → Stopped; a forced stop of a Stopping instance cuts its wait short. */
export function planStop(env: Env, inst: Instance, o: StopOptions): Change {
  const a = ecsAttrs(inst);
  const now = env.clock.now();
  if (a.releasing) throw ecsError("IncorrectInstanceStatus");
  if (inArrears(inst, now)) throw ecsError("InstanceExpiredOrInArrears");
  const due = now + env.clock.duration(o.force ? "ecs.forceStopping" : "ecs.stopping");
  const stopAt = (at: number) => env.store.at(inst.id, at, "stop", (i) => (i.status = "Stopped"));
  switch (inst.status) {
    case "Pending":
      throw ecsError("IncorrectInstanceStatus.Initializing");
    case "Running":
      return () => {
        inst.status = "Stopping";
        // StopCharging needs pay-as-you-go; otherwise the instance simply stops, keeping its charges (§1.3).
        a.StoppedMode = inst.chargeType === "PostPaid" && o.stoppedMode === "StopCharging" ? "StopCharging" : "KeepCharging";
        stopAt(due);
      };
    case "Stopping":
      return () => {
        if (!o.force) return;
        const scheduled = env.store.pending(inst.id).find((p) => p.label === "stop");
        if (scheduled && scheduled.at <= due) return;
        env.store.cancel(inst.id, "stop");
        stopAt(due);
      };
    default:
      throw ecsError("IncorrectInstanceStatus");
  }
}

export interface ReleaseOptions {
  force: boolean;
  forceStop: boolean;
  terminateSubscription: boolean;
}

/** DeleteInstance(s), in the documented check order (§1.4); a repeated release is a no-op. */
export function planRelease(env: Env, inst: Instance, o: ReleaseOptions): Change {
  const a = ecsAttrs(inst);
  const now = env.clock.now();
  if (a.releasing) return () => {};
  throwIfBlocked(ECS_ERRORS, inst, now);
  if (a.DeletionProtection) throw ecsError("InvalidOperation.DeletionProtection", inst.id);
  if (inst.chargeType === "PrePaid" && !(isExpired(inst, now) && o.terminateSubscription)) throw ecsError("ChargeTypeViolation");
  if (inst.status === "Pending") throw ecsError("IncorrectInstanceStatus.Initializing");
  if (inst.status !== "Stopped" && !o.force) throw ecsError("IncorrectInstanceStatus");
  return () => {
    cancelLifecycle(env.store, inst.id);
    a.releasing = true;
    if (hasLock(inst, "security")) a.disksReleasedWithInstance = true;
    // Force=true, ForceStop=false shuts the OS down before releasing, which takes minutes (§1.1).
    const graceful = o.force && !o.forceStop && inst.status === "Running";
    if (graceful) inst.status = "Stopping";
    const after = env.clock.duration(graceful ? "ecs.gracefulRelease" : "ecs.release");
    env.store.at(inst.id, now + after, "release", (i) => env.store.remove(i.id));
  };
}
