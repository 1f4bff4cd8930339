"use strict";
// The tools (local engine, npm start demo, automation example) are TypeScript compiled by tools/tsconfig.json into
// tools/.build, outside the published package. The entry scripts call this first so that a fresh clone works after
// `npm ci` and an edited source is never run stale: tsc runs only when some input is newer than the last build.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const repo = path.resolve(__dirname, "..");
const outDir = path.join(__dirname, ".build");
const stamp = path.join(outDir, ".built");
// Everything the tools compile or import: their own sources, the harness they reuse, the emulator admin client.
const inputs = ["tools/local-engine", "tools/alicloud-double", "tools/demo", "bench/mixed-stack.ts", "examples/automation", "test/support", "emulator", "provider", "tools/tsconfig.json", "tsconfig.json"];

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return p.endsWith(".ts") || p.endsWith(".json") ? st.mtimeMs : 0;
  let newest = 0;
  for (const e of fs.readdirSync(p)) if (e !== "node_modules" && e !== ".build") newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

function ensureBuilt() {
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  const newest = Math.max(...inputs.map((i) => newestMtime(path.join(repo, i))));
  if (built >= newest) return;
  let tsc;
  try {
    tsc = require.resolve("typescript/bin/tsc", { paths: [repo] });
  } catch {
    process.stderr.write("tools: TypeScript is missing; run `npm ci` in the repository first.\n");
    process.exit(2);
  }
  const started = Date.now();
  process.stderr.write("tools: compiling tools/ (first run, or a source changed)…");
  const res = spawnSync(process.execPath, [tsc, "-p", path.join(__dirname, "tsconfig.json")], { cwd: repo, stdio: ["ignore", "inherit", "inherit"], timeout: 5 * 60_000 });
  if (res.status !== 0) {
    process.stderr.write(`\ntools: compiling tools/ failed (tsc exited ${res.status ?? res.signal}).\n`);
    process.exit(2);
  }
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(stamp, `${new Date().toISOString()} ${Date.now() - started} ms\n`);
  process.stderr.write(` done in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
}

/** Compiles if needed, then requires `<repo-relative module>` from the build, e.g. "tools/local-engine/main". */
function requireBuilt(mod) {
  ensureBuilt();
  return require(path.join(outDir, mod));
}

module.exports = { ensureBuilt, requireBuilt, outDir };
