#!/usr/bin/env node
// `npm run bench`: build bench/, provider/ and emulator/ into dist-bench/ when a source changed (type-checked with
// bench/tsconfig.json; --smoke only transpiles, to stay within its time budget), then run bench/run.ts.
// Plain CommonJS so that it runs before anything is compiled.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const out = path.join(root, "dist-bench");
const stamp = path.join(out, ".build-stamp");

function sources() {
  const files = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) files.push(p);
    }
  };
  for (const d of ["provider", "emulator", "bench"]) walk(path.join(root, d));
  return files;
}

function build(typeCheck) {
  const files = sources();
  const newest = Math.max(...files.map((f) => fs.statSync(f).mtimeMs), fs.statSync(path.join(root, "bench", "tsconfig.json")).mtimeMs);
  let last = { mtime: 0, checked: false };
  try {
    last = { mtime: fs.statSync(stamp).mtimeMs, checked: fs.readFileSync(stamp, "utf8").trim() === "checked" };
  } catch {
    // never built
  }
  if (last.mtime >= newest && (last.checked || !typeCheck)) return;
  if (typeCheck) {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "bench", "tsconfig.json")], { cwd: root, stdio: "inherit" });
  } else {
    const ts = require("typescript");
    const { config } = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
    const options = ts.convertCompilerOptionsFromJson(config.compilerOptions, root).options;
    for (const f of files) {
      const js = ts.transpileModule(fs.readFileSync(f, "utf8"), { compilerOptions: { ...options, sourceMap: false, declaration: false }, fileName: f }).outputText;
      const target = path.join(out, path.relative(root, f)).replace(/\.ts$/, ".js");
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, js);
    }
  }
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(stamp, typeCheck ? "checked\n" : "transpiled\n");
}

build(!process.argv.includes("--smoke"));
require(path.join(out, "bench", "run.js"));
