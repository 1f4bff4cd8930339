// The R-KVStore instance record and its timed life: Creating → Normal, a manual release into the recycle bin
// and out of it, and a subscription's expiry (days 1–15 still Normal, 16–30 Inactive, 31–37 Released in the
// bin, destroyed on day 38).
import { Clock, DurationTable } from "../core/clock";
import { Instance, Store } from "../core/store";

export const KV_DURATIONS: DurationTable = {
  "kv.creating": { seconds: 120, what: "CreateInstance: Creating → Normal" },
  "kv.releasing": { seconds: 20, what: "DeleteInstance: accepted → Released in the recycle bin" },
  "kv.recycleBinRetention": { seconds: 604800, what: "a manually released instance stays in the recycle bin (7 days), then it is gone" },
  "kv.destroying": { seconds: 10, what: "DestroyInstance: accepted → gone" },
  "kv.inactiveAfterExpiry": { seconds: 1296000, what: "subscription expiry → Inactive (days 1–15 after expiry it keeps running)" },
  "kv.releasedAfterExpiry": { seconds: 2592000, what: "subscription expiry → Released in the recycle bin (day 31)" },
  "kv.purgedAfterExpiry": { seconds: 3196800, what: "subscription expiry → destroyed, gone (day 38)" },
};

/** The fields the Describe calls return, as stored in `Instance.attrs` (never a password). */
export interface KvAttrs {
  InstanceName: string;
  /** DescribeInstances' category: Redis, Memcache, or Tair for CreateTairInstance's instances. */
  InstanceType: "Redis" | "Memcache" | "Tair";
  /** CreateTairInstance's InstanceType (tair_rdb / tair_scm / tair_essd); no describe field carries it. */
  TairSeries?: string;
  Storage?: number;
  StorageType?: string;
  ShardType?: string;
  EngineVersion: string;
  InstanceClass: string;
  Capacity: number;
  Bandwidth: number;
  Connections: number;
  QPS: number;
  Config: string;
  NodeType: string;
  ArchitectureType: "standard" | "cluster" | "rwsplit";
  EditionType: "Community" | "Enterprise";
  ShardCount?: number;
  Port: number;
  ConnectionDomain: string;
  PrivateIp: string;
  UserName: string;
  NetworkType: string;
  ZoneId: string;
  SecondaryZoneId: string;
  ResourceGroupId: string;
  ReadOnlyCount?: number;
  ReplicaCount?: number;
  SlaveReadOnlyCount?: number;
  SlaveReplicaCount?: number;
  VpcId: string;
  VSwitchId: string;
  GlobalInstanceId: string;
  InstanceReleaseProtection: boolean;
  Tags: { Key: string; Value: string }[];
  CreateTime: string;
  /** When the instance entered the recycle bin. */
  DestroyTime?: string;
  /** DeleteInstance accepted; the instance moves to the bin when `kv.releasing` has passed. */
  releasing?: boolean;
  /** DestroyInstance accepted; the instance is gone when `kv.destroying` has passed. */
  destroying?: boolean;
}

export const kvAttrs = (instance: Instance): KvAttrs => instance.attrs as unknown as KvAttrs;

/** In the recycle bin: released, by hand or by expiry. */
export const inRecycleBin = (instance: Instance): boolean => instance.status === "Released";

export function scheduleCreated(store: Store, clock: Clock, instance: Instance): void {
  store.at(instance.id, clock.now() + clock.duration("kv.creating"), "created", (inst) => {
    if (inst.status === "Creating") inst.status = "Normal";
  });
}

function moveToBin(store: Store, clock: Clock, instance: Instance, at: number, purgeAt: number): void {
  const a = kvAttrs(instance);
  instance.status = "Released";
  a.DestroyTime = clock.iso(at, "second");
  delete a.releasing;
  store.at(instance.id, purgeAt, "purged", (inst) => store.remove(inst.id));
}

export function scheduleRelease(store: Store, clock: Clock, instance: Instance): void {
  kvAttrs(instance).releasing = true;
  store.at(instance.id, clock.now() + clock.duration("kv.releasing"), "released", (inst, at) =>
    moveToBin(store, clock, inst, at, at + clock.duration("kv.recycleBinRetention")),
  );
}

export function scheduleDestroy(store: Store, clock: Clock, instance: Instance): void {
  kvAttrs(instance).destroying = true;
  store.at(instance.id, clock.now() + clock.duration("kv.destroying"), "destroyed", (inst) => store.remove(inst.id));
}

const EXPIRY_LABELS = ["expired-inactive", "expired-released"];

/**
 * A subscription's expiry chain, each step timed from the expiry itself (a later step never runs before an
 * earlier one, even with overridden durations).
 */
export function scheduleExpiry(store: Store, clock: Clock, instance: Instance, expiredAt: number): void {
  for (const label of EXPIRY_LABELS) store.cancel(instance.id, label);
  instance.expireTime = expiredAt;
  const inactiveAt = expiredAt + clock.duration("kv.inactiveAfterExpiry");
  store.at(instance.id, inactiveAt, "expired-inactive", (inst, at) => {
    if (!inRecycleBin(inst)) inst.status = "Inactive";
    const releasedAt = Math.max(at, expiredAt + clock.duration("kv.releasedAfterExpiry"));
    store.at(inst.id, releasedAt, "expired-released", (inst2, at2) => {
      if (inRecycleBin(inst2)) return;
      moveToBin(store, clock, inst2, at2, Math.max(at2, expiredAt + clock.duration("kv.purgedAfterExpiry")));
    });
  });
}
