// The benchmark must keep working as the provider changes: its smoke mode runs one tiny scenario through all
// three strategies and exits non-zero if any delete fails or any instance is left.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";

it("npm run bench -- --smoke releases everything with every strategy", () => {
  const root = path.resolve(__dirname, "../..");
  const run = spawnSync(process.execPath, [path.join(root, "bench/bench.js"), "--smoke"], { cwd: root, encoding: "utf8", timeout: 180_000 });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
}, 200_000);
