// Call coalescing. The engine sends every delete of a deployment to one provider process, concurrently; calls
// that can take many ids (StopInstances, DeleteInstances, DescribeInstances) are merged per key (region and
// flags) into batches of up to `maxBatch`, so 50 parallel deletes cost a handful of calls instead of 50×N.
//
// How long a batch waits for company. Deletes in flight together move in waves: their next calls come within a
// few milliseconds of each other (one reply resolves them all, or replies paced a call apart). So a batch goes
//   - when it is full (`maxBatch`): the wave goes on in the next batch;
//   - soon after the wave is complete: as many items as the previous wave of its key, counting the full batches
//     already sent in this one (a wave of 128 is 100 + 28; expecting a batch of 28, as a last-batch rule would,
//     splits the next wave of 128 into 28s), and nobody has joined for a few real milliseconds;
//   - when no item has come for `quietMs`: a smaller wave than last time, or the first of its key;
//   - at the latest `windowMs` after its first item.
// A timer that fires a millisecond later than its neighbours (a busy event loop spreads a wave's timers) thus
// still joins its wave, and a lone delete waits only the quiet period. Every wait is in cloud ms, compressed by
// ALICLOUD_RELEASE_TIME_SCALE like every other wait (unscaled, a 50 ms window would be 1.25 s of emulated time at
// 0.04), but never below a few real milliseconds.
import { timeScale } from "./timing";

/** The quiet period when the caller does not set one (cloud ms): a few pacer intervals. */
const DEFAULT_QUIET_MS = 150;
/**
 * Real ms a batch waits at least, whatever the time scale: a busy event loop fires the timers of one wave a few
 * milliseconds apart, and compressing time does not make it faster.
 */
const MIN_REAL_WAIT_MS = 5;

/** Cloud ms → real ms to wait, never less than MIN_REAL_WAIT_MS. */
const realWait = (cloudMs: number): number => Math.max(MIN_REAL_WAIT_MS, cloudMs * timeScale());

export interface CoalescerOptions<Item, Result> {
  maxBatch: number;
  /** How long the first item of a batch waits for company at most (cloud ms). */
  windowMs: number;
  /** A batch goes once no item has joined for this long (cloud ms; at most windowMs). */
  quietMs?: number;
  /** Runs one batch; returns one result or Error per item, in order. A throw fails the whole batch. */
  run: (key: string, items: Item[]) => Promise<(Result | Error)[]>;
}

interface Pending<Item, Result> {
  items: Item[];
  settle: { resolve: (r: Result) => void; reject: (e: unknown) => void }[];
}

interface KeyState<Item, Result> {
  batch?: Pending<Item, Result>;
  /** Items of the current wave already sent in full batches. */
  sent: number;
  /** Items of the previous wave (0 before the first). */
  lastWave: number;
  quiet?: NodeJS.Timeout;
  cap?: NodeJS.Timeout;
}

/** ALICLOUD_RELEASE_COALESCE=false turns merging off (each caller's batch runs alone), for comparison. */
export function coalescingEnabled(): boolean {
  return process.env.ALICLOUD_RELEASE_COALESCE !== "false";
}

export class Coalescer<Item, Result> {
  private readonly keys = new Map<string, KeyState<Item, Result>>();

  constructor(private readonly o: CoalescerOptions<Item, Result>) {}

  /** Each item gets its own result; items submitted together by one caller always share batches. */
  submitAll(key: string, items: Item[]): Promise<Result>[] {
    if (!coalescingEnabled()) return this.runAlone(key, items);
    return items.map((item) => this.submit(key, item));
  }

  private submit(key: string, item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const st = this.keys.get(key) ?? { sent: 0, lastWave: 0 };
      this.keys.set(key, st);
      if (!st.batch) {
        st.batch = { items: [], settle: [] };
        if (!st.cap) st.cap = setTimeout(() => this.endWave(key), realWait(this.o.windowMs));
      }
      const batch = st.batch;
      batch.items.push(item);
      batch.settle.push({ resolve, reject });
      if (batch.items.length >= this.o.maxBatch) {
        st.sent += batch.items.length;
        st.batch = undefined;
        void this.execute(key, batch);
      }
      // A complete wave goes after the shortest wait (its callers' timers may still be firing, a millisecond
      // apart); an incomplete one after the quiet period. Either is counted from the last caller that joined.
      const complete = st.lastWave > 1 && st.sent + (st.batch?.items.length ?? 0) >= st.lastWave;
      clearTimeout(st.quiet);
      st.quiet = setTimeout(() => this.endWave(key), complete ? MIN_REAL_WAIT_MS : realWait(Math.min(this.o.quietMs ?? DEFAULT_QUIET_MS, this.o.windowMs)));
    });
  }

  /** Sends what waits and remembers the wave's size; the next item starts a new wave. */
  private endWave(key: string): void {
    const st = this.keys.get(key);
    if (!st) return;
    clearTimeout(st.quiet);
    clearTimeout(st.cap);
    const batch = st.batch;
    const total = st.sent + (batch?.items.length ?? 0);
    if (total > 0) st.lastWave = total;
    st.sent = 0;
    st.batch = st.quiet = st.cap = undefined;
    if (batch) void this.execute(key, batch);
  }

  private runAlone(key: string, items: Item[]): Promise<Result>[] {
    const promises: Promise<Result>[] = [];
    for (let i = 0; i < items.length; i += this.o.maxBatch) {
      const chunk = items.slice(i, i + this.o.maxBatch);
      const settle: Pending<Item, Result>["settle"] = [];
      for (let j = 0; j < chunk.length; j++) promises.push(new Promise<Result>((resolve, reject) => settle.push({ resolve, reject })));
      void this.execute(key, { items: chunk, settle });
    }
    return promises;
  }

  private async execute(key: string, { items, settle }: Pending<Item, Result>): Promise<void> {
    try {
      const results = await this.o.run(key, items);
      results.forEach((r, i) => (r instanceof Error ? settle[i].reject(r) : settle[i].resolve(r)));
    } catch (e) {
      for (const s of settle) s.reject(e);
    }
  }
}
