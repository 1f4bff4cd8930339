// Timed transitions of a DDS instance and its LockMode. DBInstanceStatus has no locked or expired value
// (alicloud-apis.md §2.1): expiry shows only in ExpireTime and, some time later, LockMode.
import { Clock } from "../core/clock";
import { Instance, Store } from "../core/store";

export type LockMode = "Unlock" | "ManualLock" | "LockByExpiration" | "LockByRestoration" | "LockByDiskQuota" | "Released";

const LOCK_BY_EXPIRY = "lock-by-expiration";

/** Admin lock reasons → LockMode. */
const LOCK_REASONS: Record<string, LockMode> = {
  expiration: "LockByExpiration",
  manual: "ManualLock",
  security: "ManualLock",
  restoration: "LockByRestoration",
  diskquota: "LockByDiskQuota",
};

export function lockModeOf(instance: Instance): LockMode {
  return instance.attrs.LockMode as LockMode;
}

export function setLockMode(instance: Instance, mode: LockMode): void {
  instance.attrs.LockMode = mode;
}

/** The subscription locks `dds.lockAfterExpiry` after its expiry (the docs disagree on how long, §2.7). */
export function scheduleExpiryLock(store: Store, clock: Clock, instance: Instance): void {
  if (instance.expireTime === undefined) return;
  store.cancel(instance.id, LOCK_BY_EXPIRY);
  store.at(instance.id, instance.expireTime + clock.duration("dds.lockAfterExpiry"), LOCK_BY_EXPIRY, (inst) => {
    if (lockModeOf(inst) !== "Released") setLockMode(inst, "LockByExpiration");
  });
}

export function expireNow(store: Store, clock: Clock, instance: Instance): void {
  instance.expireTime = clock.now();
  scheduleExpiryLock(store, clock, instance);
}

export function lockFor(store: Store, instance: Instance, reason: string): void {
  const mode = LOCK_REASONS[reason];
  if (!mode) throw new Error(`unknown DDS lock reason "${reason}"; use one of ${Object.keys(LOCK_REASONS).join(", ")}`);
  if (mode === "LockByExpiration") store.cancel(instance.id, LOCK_BY_EXPIRY);
  setLockMode(instance, mode);
}

/** Creating → Running after `dds.creating`. */
export function scheduleCreated(store: Store, clock: Clock, instance: Instance): void {
  store.at(instance.id, clock.now() + clock.duration("dds.creating"), "created", (inst) => {
    if (inst.status === "Creating") inst.status = "Running";
  });
}

/** Deleting now, gone after the named duration; every other pending transition is dropped. */
export function startRelease(store: Store, clock: Clock, instance: Instance, duration: "dds.deleting" | "dds.destroying"): void {
  store.cancel(instance.id);
  instance.status = "Deleting";
  store.at(instance.id, clock.now() + clock.duration(duration), "released", (inst, at) => {
    if (duration === "dds.deleting" && keptInRecycleBin(inst)) moveToRecycleBin(store, clock, inst, at);
    else store.remove(inst.id);
  });
}

// ---- the recycle bin ------------------------------------------------------------------------------------

/** Standalone instance classes: mdb.single.* (4.2 and later), dds.sn*.* and the historical dds.n2.small.1. */
export const isStandalone = (instance: Instance): boolean => /^(mdb\.single\.|dds\.s?n\d)/.test(String(instance.attrs.DBInstanceClass));

/** A sharded cluster on local disks (StorageType local_ssd). */
const isLocalDiskCluster = (instance: Instance): boolean => instance.attrs.DBInstanceType === "sharding" && instance.attrs.StorageType === "local_ssd";

/**
 * A released (DeleteDBInstance) pay-as-you-go replica set or sharded cluster stays in the recycle bin for 7 days;
 * a standalone instance and a local-disk sharded cluster do not (the docs: they cannot be restored from the bin).
 * TDE is not emulated.
 */
export const keptInRecycleBin = (instance: Instance): boolean => instance.chargeType === "PostPaid" && !isStandalone(instance) && !isLocalDiskCluster(instance);

/** In the recycle bin: released, not described by DescribeDBInstanceAttribute any more, listed on request. */
export const inRecycleBin = (instance: Instance): boolean => instance.status === RECYCLED;

/** DBInstanceStatus (and LockMode) of a recycle-bin entry, as DescribeDBInstances lists it. */
export const RECYCLED = "Released";

function moveToRecycleBin(store: Store, clock: Clock, instance: Instance, at: number): void {
  instance.status = RECYCLED;
  setLockMode(instance, "Released");
  instance.attrs.DestroyTime = clock.iso(at, "second");
  store.at(instance.id, at + clock.duration("dds.recycleBinRetention"), "purged", (inst) => store.remove(inst.id));
}
