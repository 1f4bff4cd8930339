// Call coalescing: how long a batch waits for company. A batch goes when it is full, when its wave is as large as
// the key's previous wave (full batches of the wave counted), or when nobody has joined for the quiet period; never
// later than its window.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Coalescer } from "../../provider/core/coalescer";

const HOUR = 3_600_000;

function recorder(windowMs: number, quietMs?: number): { c: Coalescer<string, string>; batches: string[][] } {
  const batches: string[][] = [];
  const c = new Coalescer<string, string>({
    maxBatch: 100,
    windowMs,
    quietMs,
    run: async (_key, items) => {
      batches.push(items);
      return items.map((i) => `done ${i}`);
    },
  });
  return { c, batches };
}

describe("coalescer", () => {
  const saved = process.env.ALICLOUD_RELEASE_TIME_SCALE;
  beforeEach(() => void delete process.env.ALICLOUD_RELEASE_TIME_SCALE);
  afterEach(() => (saved === undefined ? delete process.env.ALICLOUD_RELEASE_TIME_SCALE : (process.env.ALICLOUD_RELEASE_TIME_SCALE = saved)));

  it("merges the callers of one turn into one batch, and a lone caller does not wait out a long window", async () => {
    // A window of an hour: only the quiet period (150 ms by default) lets these finish.
    const { c, batches } = recorder(HOUR);
    const first = await Promise.all(["a", "b", "c"].flatMap((id) => c.submitAll("r1", [id])));
    expect(first).toEqual(["done a", "done b", "done c"]);
    expect(batches).toEqual([["a", "b", "c"]]);
    expect(await Promise.all(c.submitAll("r2", ["z"]))).toEqual(["done z"]);
    expect(await Promise.all(c.submitAll("r2", ["y"]))).toEqual(["done y"]);
  });

  it("once a wave of several has been seen, the next wave goes as soon as it is complete, not after the window", async () => {
    const { c, batches } = recorder(HOUR);
    await Promise.all(["a", "b", "c", "d"].flatMap((id) => c.submitAll("r", [id])));
    // The window is now the hour; the wave of four still goes at once, callers arriving in separate turns included.
    const wave: Promise<string>[] = [];
    for (const id of ["e", "f", "g", "h"]) {
      wave.push(...c.submitAll("r", [id]));
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(wave)).toEqual(["done e", "done f", "done g", "done h"]);
    expect(batches).toEqual([["a", "b", "c", "d"], ["e", "f", "g", "h"]]);
  });

  it("a wave larger than one batch is remembered whole: 128 callers go as 100 + 28 again, not in batches of 28", async () => {
    const { c, batches } = recorder(HOUR, 100);
    const ids = (wave: string): string[] => Array.from({ length: 128 }, (_, i) => `${wave}${i}`);
    await Promise.all(ids("a").flatMap((id) => c.submitAll("r", [id])));
    // The next wave arrives in three turns of the event loop (timers that fire a little apart).
    const second = ids("b");
    const wave: Promise<string>[] = [];
    for (const part of [second.slice(0, 20), second.slice(20, 90), second.slice(90)]) {
      for (const id of part) wave.push(...c.submitAll("r", [id]));
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(wave);
    expect(batches.map((b) => b.length)).toEqual([100, 28, 100, 28]);
    expect(batches[3]).toEqual(second.slice(100));
  });

  it("a wave smaller than the last goes once nobody has joined for the quiet period, not after the window", async () => {
    const { c, batches } = recorder(HOUR, 100);
    await Promise.all(["a", "b", "c", "d"].flatMap((id) => c.submitAll("r", [id])));
    // Two callers where four came last time, a turn apart: they still share one batch.
    const wave = c.submitAll("r", ["e"]);
    await new Promise((r) => setTimeout(r, 20));
    wave.push(...c.submitAll("r", ["f"]));
    expect(await Promise.all(wave)).toEqual(["done e", "done f"]);
    expect(batches).toEqual([["a", "b", "c", "d"], ["e", "f"]]);
  });

  it("with coalescing off, each caller's ids go alone", async () => {
    process.env.ALICLOUD_RELEASE_COALESCE = "false";
    try {
      const { c, batches } = recorder(HOUR);
      await Promise.all(["a", "b"].flatMap((id) => c.submitAll("r", [id])));
      expect(batches).toEqual([["a"], ["b"]]);
    } finally {
      delete process.env.ALICLOUD_RELEASE_COALESCE;
    }
  });
});
