#!/usr/bin/env node
// `npm run chaos`: the long versions of the reliability tests (test/reliability/, RELIABILITY_CHAOS=1) — five
// 200-instance destroys under 20–30% injected faults (one with call coalescing off), the provider process killed
// in 20 destroys (20 seeds), and the short tests too — then the figures they reported, for the README.
// Extra arguments go to vitest (e.g. `npm run chaos -- -t "killed"`).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const vitest = path.join(path.dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
const figuresFile = path.join(os.tmpdir(), `reliability-figures-${process.pid}.jsonl`);
fs.rmSync(figuresFile, { force: true });

const started = Date.now();
const run = spawnSync(process.execPath, [vitest, "run", "test/reliability", "--reporter=default", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, RELIABILITY_CHAOS: "1", RELIABILITY_FIGURES: figuresFile },
});

const figures = fs.existsSync(figuresFile)
  ? fs.readFileSync(figuresFile, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l))
  : [];
fs.rmSync(figuresFile, { force: true });

const out = [];
out.push("", `Reliability figures (npm run chaos, ${Math.round((Date.now() - started) / 1000)} s in all, ${os.cpus().length} CPUs, Node ${process.version})`, "");
const rounds = figures.filter((f) => f.name.startsWith("destroy under faults"));
if (rounds.length) {
  out.push("| Round | Instances (resources) | Fault rate | Coalescing | Requests | Faults injected | Retries | Failed | Left | False \"deleted\" | Time | Provider peak RSS |");
  out.push("|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const f of rounds) {
    out.push(`| ${f.name.replace(/.*round /, "").replace(")", "")} | ${f.instances} (${f.resources}) | ${Math.round(f.faultRate * 100)}% | ${f.coalescing ? "on" : "off"} | ${f.requests} | ${f.faultsInjected} | ${f.retries} | ${f.failed} | ${f.left} | ${f.falseDeleted} | ${f.seconds} s | ${f.providerPeakRssMb ?? "?"} MB |`);
  }
  out.push("");
}
const crash = figures.find((f) => f.name === "destroy after a crash");
if (crash) {
  const byTrigger = new Map();
  for (const d of crash.details) {
    const t = byTrigger.get(d.trigger) ?? { rounds: 0, converged: 0, secondDestroy: 0 };
    t.rounds++;
    if (d.left === 0 && d.failed === 0) t.converged++;
    t.secondDestroy += d.secondDestroy;
    byTrigger.set(d.trigger, t);
  }
  out.push(`Provider process killed mid-destroy: ${crash.converged}/${crash.rounds} second destroys converged (nothing left, no error).`, "");
  out.push("| Killed | Rounds | Converged | Resources left to the second destroy (total) |", "|---|---|---|---|");
  for (const [trigger, t] of byTrigger) out.push(`| ${trigger} | ${t.rounds} | ${t.converged} | ${t.secondDestroy} |`);
  out.push("");
}
const secrets = figures.find((f) => f.name === "secret scan");
if (secrets) {
  out.push("Secret scan (access key secret, STS token, Redis password, MongoDB password; raw, URL-, form-, JSON-, base64-encoded):");
  for (const [k, v] of Object.entries(secrets)) if (k !== "name") out.push(`  - ${k}: ${v}`);
  out.push("");
}
if (figures.length === 0) out.push("No figures were reported (did the tests run?).");
process.stdout.write(out.join("\n") + "\n");
process.exit(run.status ?? 1);
