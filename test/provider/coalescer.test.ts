// Call coalescing: how long a batch waits for company. A key only ever called alone waits at most 50 ms; once waves
// of several have been seen, a batch waits up to its window but goes as soon as its wave has arrived.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Coalescer } from "../../provider/core/coalescer";

const HOUR = 3_600_000;

function recorder(windowMs: number): { c: Coalescer<string, string>; batches: string[][] } {
  const batches: string[][] = [];
  const c = new Coalescer<string, string>({
    maxBatch: 100,
    windowMs,
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
    // A window of an hour: only the 50 ms cap for keys never seen in company lets these finish.
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
