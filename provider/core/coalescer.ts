// Call coalescing. The engine sends every delete of a deployment to one provider process, concurrently; calls
// that can take many ids (StopInstances, DeleteInstances, DescribeInstances) are merged per key (region and
// flags) into batches of up to `maxBatch`, so 50 parallel deletes cost a handful of calls instead of 50×N.
//
// How long a batch waits for company is scaled to what waiting saves. While a key has only ever been called alone,
// a batch waits 50 ms at most (a lone delete pays nothing noticeable). Once batches of several have been seen, a
// batch waits up to `windowMs` for company, but goes as soon as it is as large as the previous batch of its key
// (deletes in flight together call together: the next wave's calls arrive together too, and nothing is gained by
// waiting longer). Windows are compressed by ALICLOUD_RELEASE_TIME_SCALE like every other wait: unscaled, a 50 ms
// window would be 1.25 s of emulated time at 0.04.
import { timeScale } from "./timing";

/** The longest a batch waits while its key has only been called alone. */
const ALONE_WINDOW_MS = 50;

export interface CoalescerOptions<Item, Result> {
  maxBatch: number;
  /** How long the first item of a batch waits for company at most (cloud ms). */
  windowMs: number;
  /** Runs one batch; returns one result or Error per item, in order. A throw fails the whole batch. */
  run: (key: string, items: Item[]) => Promise<(Result | Error)[]>;
}

interface Pending<Item, Result> {
  items: Item[];
  settle: { resolve: (r: Result) => void; reject: (e: unknown) => void }[];
  timer?: NodeJS.Timeout;
}

/** ALICLOUD_RELEASE_COALESCE=false turns merging off (each caller's batch runs alone), for comparison. */
export function coalescingEnabled(): boolean {
  return process.env.ALICLOUD_RELEASE_COALESCE !== "false";
}

export class Coalescer<Item, Result> {
  private readonly pending = new Map<string, Pending<Item, Result>>();
  /** Size of the last batch sent per key: a batch that reaches it goes at once. */
  private readonly lastSize = new Map<string, number>();

  constructor(private readonly o: CoalescerOptions<Item, Result>) {}

  /** Each item gets its own result; items submitted together by one caller always share batches. */
  submitAll(key: string, items: Item[]): Promise<Result>[] {
    if (!coalescingEnabled()) return this.runAlone(key, items);
    return items.map((item) => this.submit(key, item));
  }

  private submit(key: string, item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      let batch = this.pending.get(key);
      if (!batch) {
        batch = { items: [], settle: [] };
        this.pending.set(key, batch);
        const last = this.lastSize.get(key) ?? 1;
        const window = last > 1 ? this.o.windowMs : Math.min(this.o.windowMs, ALONE_WINDOW_MS);
        batch.timer = setTimeout(() => this.flush(key), window * timeScale());
      }
      batch.items.push(item);
      batch.settle.push({ resolve, reject });
      if (batch.items.length >= this.o.maxBatch) this.flush(key);
      // As large as last time: go after the callers already running in this turn of the event loop have joined.
      else if (batch.items.length > 1 && batch.items.length === this.lastSize.get(key)) setImmediate(() => this.pending.get(key) === batch && this.flush(key));
    });
  }

  private flush(key: string): void {
    const batch = this.pending.get(key);
    if (!batch) return;
    this.pending.delete(key);
    clearTimeout(batch.timer);
    this.lastSize.set(key, batch.items.length);
    void this.execute(key, batch.items, batch.settle);
  }

  private runAlone(key: string, items: Item[]): Promise<Result>[] {
    const promises: Promise<Result>[] = [];
    for (let i = 0; i < items.length; i += this.o.maxBatch) {
      const chunk = items.slice(i, i + this.o.maxBatch);
      const settle: Pending<Item, Result>["settle"] = [];
      for (let j = 0; j < chunk.length; j++) promises.push(new Promise<Result>((resolve, reject) => settle.push({ resolve, reject })));
      void this.execute(key, chunk, settle);
    }
    return promises;
  }

  private async execute(key: string, items: Item[], settle: Pending<Item, Result>["settle"]): Promise<void> {
    try {
      const results = await this.o.run(key, items);
      results.forEach((r, i) => (r instanceof Error ? settle[i].reject(r) : settle[i].resolve(r)));
    } catch (e) {
      for (const s of settle) s.reject(e);
    }
  }
}
