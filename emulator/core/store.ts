// One store for every product's instances, with a state-transition manager in the manner of moto's: a
// transitional state schedules its successor at a virtual time, and every request first settles whatever
// has come due. Nothing runs on timers, so state only moves when someone looks, and advancing the clock
// by an hour plays out an hour of chained transitions in order.

export type ProductName = "ecs" | "dds" | "r-kvstore" | "vpc";

export interface Instance {
  id: string;
  product: ProductName;
  regionId: string;
  /** The product's own status field value (ECS Status, DDS DBInstanceStatus, R-KVStore InstanceStatus). */
  status: string;
  chargeType: "PostPaid" | "PrePaid";
  /** Subscription expiry, virtual ms (undefined for pay-as-you-go). */
  expireTime?: number;
  /** Product-specific attributes, shaped as the product's Describe call returns them. */
  attrs: Record<string, unknown>;
  /** An error code that release calls answer with until the virtual time `until` (admin "dependency"). */
  blockedBy?: { code: string; until: number };
}

interface Scheduled {
  at: number;
  seq: number;
  id: string;
  label: string;
  effect: (instance: Instance, at: number) => void;
}

export class Store {
  private readonly instances = new Map<string, Instance>();
  private schedule: Scheduled[] = [];
  private seq = 0;
  /** What a product keeps beside the instances (the VPC backend's network), cleared with them. */
  private readonly sides = new Map<string, unknown>();

  add(instance: Instance): Instance {
    this.instances.set(instance.id, instance);
    return instance;
  }

  get(id: string): Instance | undefined {
    return this.instances.get(id);
  }

  remove(id: string): void {
    this.instances.delete(id);
    this.cancel(id);
  }

  all(product?: ProductName): Instance[] {
    const list = [...this.instances.values()];
    return product ? list.filter((i) => i.product === product) : list;
  }

  clear(): void {
    this.instances.clear();
    this.schedule = [];
    this.sides.clear();
  }

  /** The product state kept under `key`, made by `create` on first use. */
  side<T>(key: string, create: () => T): T {
    if (!this.sides.has(key)) this.sides.set(key, create());
    return this.sides.get(key) as T;
  }

  /** Run `effect` on the instance at virtual time `at` (if it still exists then). */
  at(id: string, at: number, label: string, effect: (instance: Instance, at: number) => void): void {
    this.schedule.push({ at, seq: this.seq++, id, label, effect });
  }

  /** Drop the instance's pending transitions, optionally only those with the given label. */
  cancel(id: string, label?: string): void {
    this.schedule = this.schedule.filter((s) => s.id !== id || (label !== undefined && s.label !== label));
  }

  pending(id: string): { label: string; at: number }[] {
    return this.schedule.filter((s) => s.id === id).map(({ label, at }) => ({ label, at }));
  }

  /** Apply every transition due by `now`, earliest first; effects may schedule further transitions. */
  settle(now: number): void {
    for (;;) {
      const due = this.schedule.filter((s) => s.at <= now);
      if (due.length === 0) return;
      due.sort((a, b) => a.at - b.at || a.seq - b.seq);
      // Apply only the transitions up to the first effect that schedules something new before `now`,
      // so chained transitions interleave in time order with the rest.
      this.schedule = this.schedule.filter((s) => s.at > now);
      for (let i = 0; i < due.length; i++) {
        const s = due[i];
        const before = this.seq;
        const instance = this.instances.get(s.id);
        if (instance) s.effect(instance, s.at);
        if (this.seq !== before && this.schedule.some((n) => n.seq >= before && n.at <= now && n.at < (due[i + 1]?.at ?? Infinity))) {
          this.schedule.push(...due.slice(i + 1));
          break;
        }
      }
    }
  }
}
