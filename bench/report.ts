// results.md (tables) and chart.svg (hand-written SVG, no dependencies) from the benchmark's results.
import type { Meta, RunResult } from "./results";


const STRATEGY_LABEL: Record<string, string> = {
  shipped: "(a) provider as shipped",
  "no-coalesce": "(b) provider, ALICLOUD_RELEASE_COALESCE=false",
  terraform: "(c) Terraform model",
};

const f = (n: number | undefined, d = 1): string => (n === undefined || !Number.isFinite(n) ? "—" : n.toFixed(d));
const int = (n: number): string => String(Math.round(n));

const TEXT_COLUMNS = new Set(["strategy", "scenario", "modules", "run", "load avg (start → end)", "goal", "measured", "status"]);

function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map((h) => (TEXT_COLUMNS.has(h) ? "---" : "---:"))), ...rows.map(line)].join("\n");
}

function mainRow(r: RunResult): string[] {
  return [
    String(r.parallel),
    r.experiment ? `${STRATEGY_LABEL[r.strategy]} + ${r.experiment}` : STRATEGY_LABEL[r.strategy],
    f(r.wallSeconds),
    f(r.limit.seconds),
    `${f(r.ratio, 2)}×`,
    f(r.settledSeconds),
    int(r.calls),
    f(r.callsPerInstance, 2),
    int(r.limit.minCallsAtP),
    int(r.throttled),
    r.failed > 0 ? `**${r.failed}** (${r.failedByThrottling} throttling)` : "0",
    f(r.memory.peakRssMB, 0),
    f(r.memory.peakHeapUsedMB, 0),
  ];
}

const MAIN_HEADERS = ["P", "strategy", "wall (s)", "limit (s)", "wall ÷ limit", "settled (s)", "API calls", "calls / instance", "fewest calls at P", "throttled", "failed", "peak RSS (MB)", "peak heap (MB)"];

export function markdown(meta: Meta, runs: RunResult[]): string {
  const out: string[] = [];
  const d = meta.durations;
  out.push(`# Teardown benchmark: results`);
  out.push("");
  out.push(`Generated ${meta.date} by \`${meta.command}\` (${meta.mode} mode) in ${f(meta.realSeconds / 60)} min real on ${meta.cpus} × ${meta.cpuModel}, Node ${meta.node}, commit ${meta.git.commit}${meta.git.dirty.length ? ` with uncommitted changes in ${meta.git.dirty.length} provider/emulator files` : ""}.`);
  out.push("");
  if (!meta.loadPulumi) out.push("The provider process did **not** load @pulumi/pulumi here (quick/smoke default): its memory figures leave out the ~90 MB the real dynamic-provider host adds.\n");
  out.push(`All times are **cloud seconds**: real seconds ÷ the time scale (${scaleText(meta)}). The emulator's transitions, the provider's poll intervals and backoff (ALICLOUD_RELEASE_TIME_SCALE), the Terraform model's sleeps and the flow-control window are all compressed by that factor; flow control admits ${meta.rate} requests per cloud second per action and region (Throttling.User with x-acs-retry-after beyond that).`);
  if (meta.timeScale === undefined) {
    out.push("");
    out.push("Why each run has its own time scale: compression speeds up the cloud and every wait of the provider, but not the CPU the provider and the emulator spend per call, which the cloud's real latency would hide. At 0.04 a tenth of a second of CPU counts as 2.5 cloud seconds, so a run whose limit lasts one real second measures the machine, not the teardown. Each run is therefore compressed only as far as its physical limit still lasts the minimum real time above; the *compression check* at the end runs the same P = 512 teardowns at the fastest scale, for comparison.");
  }
  out.push("");
  out.push(`Transition durations (emulator defaults, cloud seconds): ECS graceful stop ${d["ecs.stopping"]}, ECS release ${d["ecs.release"]}, MongoDB deleting ${d["dds.deleting"]}, Redis release into the recycle bin ${d["kv.releasing"]}, Redis DestroyInstance ${d["kv.destroying"]}.`);
  out.push("");
  out.push("## The physical limit");
  out.push("");
  out.push("```");
  out.push("limit = T_transitions + T_api");
  out.push("T_transitions = makespan of P delete slots over the resources' transition times, in dispatch order");
  out.push("              = ceil(N / P) × D   for N identical resources (= D when P ≥ N)");
  out.push("T_api         = max over products of  Σ_phases ceil(I / B) / r");
  out.push("```");
  out.push("");
  out.push(`N resources, P = --parallel, D = one resource's transition time, I = instances, B = ids one call takes (100 for ECS StopInstances/DeleteInstances/DescribeInstances, 1 for the DDS and R-KVStore release calls, 100 for DDS DescribeDBInstances, 30 for R-KVStore DescribeInstances), r = ${meta.rate} requests/s.`);
  out.push(`D depends on what the delete does: the provider stops ECS instances gracefully then releases them (D = ${d["ecs.stopping"]} + ${d["ecs.release"]} s) and purges Redis from the recycle bin (D = ${d["kv.releasing"]} + ${d["kv.destroying"]} s); the Terraform model releases ECS with Force=true (D = ${d["ecs.release"]} s) and leaves Redis in the recycle bin (D = ${d["kv.releasing"]} s). MongoDB is D = ${d["dds.deleting"]} s for both. Each strategy's ratio is to the limit of its own lifecycle.`);
  out.push("");
  out.push("Columns: *wall* = first delete started → last delete returned (what `pulumi destroy` waits for); *settled* = until the cloud actually finished the last release (the Terraform set delete returns before its instances are gone); *API calls* = every request the emulator answered during the teardown, throttled answers included; *fewest calls at P* = Σ ceil(N/P) × Σ_phases ceil(min(P,N)·k/B), the minimum when a call can only batch deletes in flight together (k instances per resource); *failed* = resources whose delete failed; *peak RSS/heap* = the provider process (for the Terraform model: the Node process running the model, not terraform-provider-alicloud).");
  out.push("");

  out.push(...goals(runs));

  const main = runs.filter((r) => r.group === "main" || r.group === "smoke");
  const scenarioIds = [...new Set(main.map((r) => r.scenario))];
  for (const sid of scenarioIds) {
    const rows = main.filter((r) => r.scenario === sid).sort((a, b) => a.parallel - b.parallel);
    out.push(`## ${rows[0].scenarioTitle} (${rows[0].resources} resources, ${rows[0].instances} instances)`);
    out.push("");
    out.push(table(MAIN_HEADERS, rows.map(mainRow)));
    out.push("");
  }

  const force = runs.filter((r) => r.group === "force");
  if (force.length) {
    out.push(`## Like for like: the provider with \`force: true\` (${force[0].scenarioTitle})`);
    out.push("");
    out.push("The same Force=true release as the Terraform model, no graceful stop (a user setting of the shipped provider, not a patch); its limit is the release alone.");
    out.push("");
    out.push(table(MAIN_HEADERS, force.sort((a, b) => a.parallel - b.parallel).map(mainRow)));
    out.push("");
  }

  const floorRun = runs.find((r) => r.scenario === "floor");
  const mem = runs.filter((r) => r.group === "memory" && r.scenario !== "floor");
  if (mem.length || floorRun) {
    out.push("## Memory");
    out.push("");
    if (floorRun) {
      out.push(`**The floor**: the same provider process with an empty provider (no provider module loaded, nothing deleted; ${meta.loadPulumi ? "Node + @pulumi/pulumi, as the dynamic-provider host loads it" : "Node alone: this mode does not load @pulumi/pulumi"}): peak RSS **${f(floorRun.memory.peakRssMB, 0)} MB**. Each teardown's peak RSS over the floor:`);
      out.push("");
      const over = runs.filter((r) => r.scenario !== "floor" && r.strategy !== "terraform" && r.group !== "smoke" && r.group !== "compression" && (r.instances >= 1000 || r.group === "memory"));
      out.push(table(["run", "instances", "peak RSS (MB)", "over the floor (MB)", "RSS before the first delete (MB)"],
        over.map((r) => [r.id, String(r.instances), f(r.memory.peakRssMB, 0), f(r.memory.peakRssMB - floorRun.memory.peakRssMB, 0), f(r.memory.baselineRssMB, 0)])));
      out.push("");
    }
    if (mem.length) {
      out.push("### 1,000 ecs.Instance");
      out.push("");
      out.push(table(MAIN_HEADERS, mem.map(mainRow)));
      out.push("");
    }
  }
  if (meta.moduleCosts.length) {
    const bare = meta.moduleCosts[0].rssMB;
    out.push("### What the process holds before any delete");
    out.push("");
    out.push("RSS of a fresh `node` after requiring the modules and a GC:");
    out.push("");
    out.push(table(["modules", "RSS (MB)", "over node alone (MB)"], meta.moduleCosts.map((m) => [m.modules, f(m.rssMB, 0), f(m.rssMB - bare, 0)])));
    out.push("");
  }

  const ecsSweep = runs.filter((r) => /^ecs-\d+$/.test(r.scenario) && r.parallel === 128 && !r.experiment).sort((a, b) => a.instances - b.instances || ORDER.indexOf(a.strategy) - ORDER.indexOf(b.strategy));
  if (ecsSweep.length) {
    out.push("## ecs.Instance teardown against N (P = 128)");
    out.push("");
    out.push(table(["N", "strategy", "wall (s)", "limit (s)", "wall ÷ limit", "API calls", "calls / instance", "throttled", "failed"],
      ecsSweep.map((r) => [String(r.instances), STRATEGY_LABEL[r.strategy], f(r.wallSeconds), f(r.limit.seconds), `${f(r.ratio, 2)}×`, int(r.calls), f(r.callsPerInstance, 2), int(r.throttled), String(r.failed)])));
    out.push("");
  }
  const scale = chartPoints(runs);
  if (scale.length) {
    out.push(`## Everything together against N (P = ${scale[0].parallel}; the chart)`);
    out.push("");
    out.push(table(["N", "strategy", "wall (s)", "limit (s)", "wall ÷ limit", "API calls", "calls / instance", "throttled", "failed", "peak RSS (MB)"],
      scale.map((r) => [String(r.instances), STRATEGY_LABEL[r.strategy], f(r.wallSeconds), f(r.limit.seconds), `${f(r.ratio, 2)}×`, int(r.calls), f(r.callsPerInstance, 2), int(r.throttled), r.failed > 0 ? `**${r.failed}**` : "0", f(r.memory.peakRssMB, 0)])));
    out.push("");
    out.push("![wall time, API calls and memory against N](chart.svg)");
    out.push("");
  }

  out.push("## Where the time goes (mean per resource, cloud seconds)");
  out.push("");
  out.push("*lead*: delete start → first state-changing call processed (describe, coalescing window, throttling); *transitions*: the cloud's own work; *gaps*: a transition's end → the next call (poll interval, detection, the next call); *tail*: the last transition's end → delete returned (the last poll).");
  out.push("");
  out.push(table(["scenario", "P", "strategy", "lead", "transitions", "gaps", "tail", "total", "overhead %"],
    runs.filter((r) => r.profile.resources > 0).map((r) => [
      r.scenario, String(r.parallel), r.experiment ? `${r.strategy}+${r.experiment}` : r.strategy,
      f(r.profile.lead), f(r.profile.transitions), f(r.profile.gaps), f(r.profile.tail), f(r.profile.total),
      // A negative tail: the delete returned before the cloud finished (the Terraform set delete does not wait).
      r.profile.tail < 0 ? "returns before the release ends" : `${f((100 * (r.profile.total - r.profile.transitions)) / r.profile.total, 0)}%`,
    ])));
  out.push("");
  const compression = runs.filter((r) => r.group === "compression");
  if (compression.length) {
    out.push("## Compression check: the same teardowns at the fastest time scale");
    out.push("");
    out.push("The shipped provider at P = 512, each run beside the same run at its own time scale above. The difference is the machine's CPU counted in compressed time (the CPU table shows how much there was).");
    out.push("");
    const twin = (r: RunResult): RunResult | undefined => runs.find((x) => x.group === "main" && x.scenario === r.scenario && x.strategy === r.strategy && x.parallel === r.parallel && !x.experiment);
    out.push(table(["run", "time scale", "wall ÷ limit", "real (s)", "provider CPU (s)", "at its own scale", "its time scale"],
      compression.map((r) => [r.id, String(r.timeScale), `${f(r.ratio, 2)}×`, f(r.wallRealSeconds), f(r.providerCpuSeconds), twin(r) ? `${f(twin(r)!.ratio, 2)}×` : "—", String(twin(r)?.timeScale ?? "—")])));
    out.push("");
  }
  out.push("## API calls by action");
  out.push("");
  for (const r of runs.filter((x) => x.group === "main" || x.group === "smoke")) {
    out.push(`- ${r.id}: ${Object.entries(r.callsByAction).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ")}${Object.keys(r.otherErrors).length ? `; other errors: ${Object.entries(r.otherErrors).map(([k, v]) => `${k} ×${v}`).join(", ")}` : ""}`);
  }
  out.push("");
  const failures = runs.filter((r) => r.failed > 0);
  if (failures.length) {
    out.push("## Failures (first few per run)");
    out.push("");
    for (const r of failures) {
      out.push(`- ${r.id}: ${r.failed} failed`);
      for (const x of r.failures.slice(0, 2)) out.push(`  - \`${x.replace(/`/g, "'").slice(0, 300)}\``);
    }
    out.push("");
  }
  out.push("## CPU (was the machine the bottleneck?)");
  out.push("");
  out.push("Provider process and emulator CPU seconds over the teardown's real seconds; *machine busy* is every process on the machine (others' builds and tests included), all cores.");
  out.push("");
  out.push(table(["run", "time scale", "real (s)", "provider CPU (s)", "emulator CPU (s)", "machine busy", "load avg (start → end)", "event-loop p99 (ms)"],
    runs.map((r) => [r.id, String(r.timeScale ?? meta.timeScale ?? "—"), f(r.wallRealSeconds), f(r.providerCpuSeconds), f(r.emulatorCpuSeconds), r.machineBusy === undefined ? "—" : `${f(100 * r.machineBusy, 0)}%`, `${f(r.loadAverage?.[0], 1)} → ${f(r.loadAverage?.[1], 1)}`, f(r.eventLoopDelayP99Ms, 0)])));
  out.push("");
  return out.join("\n");
}

const ORDER = ["shipped", "no-coalesce", "terraform"];

function scaleText(meta: Meta): string {
  if (meta.timeScale !== undefined) return String(meta.timeScale);
  return `each run's own: as fast as ${meta.fastestScale} but no faster than lets its physical limit last ${meta.minRealSeconds} real seconds and 10 ms per instance, at most 1 (real time); the CPU table lists them`;
}

/** The issue's goals, each measured from this result set: what was asked, what was measured, met or not. */
function goals(all: RunResult[]): string[] {
  // The compression check repeats runs at another time scale: it is shown on its own, not counted twice here.
  const runs = all.filter((r) => r.group !== "compression");
  const shipped = runs.filter((r) => r.strategy === "shipped" && !r.experiment && r.group !== "smoke" && r.instances > 0);
  if (shipped.length === 0) return [];
  const rows: string[][] = [];
  const range = (xs: number[], d = 2, unit = "×"): string => (xs.length ? `${f(Math.min(...xs), d)}–${f(Math.max(...xs), d)}${unit}` : "—");
  const verdict = (ok: boolean): string => (ok ? "met" : "**missed**");
  const main = shipped.filter((r) => r.group === "main" || r.group === "scale");
  const ratios = main.map((r) => r.ratio);
  rows.push(["shipped within 1.15× of the physical limit, every scenario and P", range(ratios), verdict(ratios.every((x) => x <= 1.15))]);
  for (const sid of [...new Set(main.map((r) => r.scenario))]) {
    const mine = main.filter((r) => r.scenario === sid).sort((a, b) => a.parallel - b.parallel);
    rows.push([`  ${mine[0].scenarioTitle}`, mine.map((r) => `P${r.parallel} ${f(r.ratio, 2)}×`).join(", "), verdict(mine.every((r) => r.ratio <= 1.15))]);
  }
  const ecs = shipped.filter((r) => /^(ecs-\d+|sets-)/.test(r.scenario) && !r.experiment);
  const callRatios = ecs.map((r) => r.calls / r.limit.minCallsAtP);
  rows.push(["ECS calls ≤ 1.5× the fewest possible at P", `${range(callRatios)} (${ecs.map((r) => `${r.scenario} P${r.parallel}: ${r.calls}/${r.limit.minCallsAtP}`).slice(0, 8).join("; ")}${ecs.length > 8 ? "; …" : ""})`, verdict(callRatios.every((x) => x <= 1.5))]);
  const db = shipped.filter((r) => /^db-/.test(r.scenario));
  rows.push(["MongoDB + Redis ≤ 3 calls per instance", db.map((r) => `P${r.parallel} ${f(r.callsPerInstance, 2)}`).join(", "), verdict(db.every((r) => r.callsPerInstance <= 3))]);
  const off = runs.filter((r) => r.strategy === "no-coalesce" && r.group !== "smoke" && r.instances > 0);
  const share = off.map((r) => (100 * r.throttled) / Math.max(1, r.calls));
  const p512 = off.filter((r) => r.parallel >= 512);
  rows.push(["coalescing off: throttled answers < 1 % of calls, no delete fails", `${range(share, 2, " %")} over ${off.length} runs (P ≥ 512: ${range(p512.map((r) => (100 * r.throttled) / Math.max(1, r.calls)), 2, " %")}); ${off.reduce((a, r) => a + r.throttled, 0)} throttled of ${off.reduce((a, r) => a + r.calls, 0)} calls; failed ${off.reduce((a, r) => a + r.failed, 0)}`, verdict(share.every((x) => x < 1) && off.every((r) => r.failed === 0))]);
  const allShipped = runs.filter((r) => r.strategy !== "terraform" && r.instances > 0);
  rows.push(["provider (a, b): no throttled answer provoked, nothing failed", `shipped: ${shipped.reduce((a, r) => a + r.throttled, 0)} throttled, ${shipped.reduce((a, r) => a + r.failed, 0)} failed; all provider runs: ${allShipped.reduce((a, r) => a + r.failed, 0)} failed`, verdict(allShipped.every((r) => r.failed === 0))]);
  const floor = runs.find((r) => r.scenario === "floor");
  if (floor) {
    const ecsMem = shipped.filter((r) => /^ecs-1000$/.test(r.scenario));
    const mixMem = shipped.filter((r) => /^mix/.test(r.scenario) && r.instances >= 1000);
    const over = (r: RunResult): number => r.memory.peakRssMB - floor.memory.peakRssMB;
    rows.push([`peak RSS within 50 MB of the floor (${f(floor.memory.peakRssMB, 0)} MB), 1,000 ecs.Instance`, ecsMem.map((r) => `P${r.parallel}: +${f(over(r), 0)} MB`).join(", ") || "—", ecsMem.length ? verdict(ecsMem.every((r) => over(r) <= 50)) : "—"]);
    rows.push(["peak RSS within 80 MB of the floor, the mix (≥ 1,000 instances)", mixMem.map((r) => `${r.instances} P${r.parallel}: +${f(over(r), 0)} MB`).join(", ") || "—", mixMem.length ? verdict(mixMem.every((r) => over(r) <= 80)) : "—"]);
  }
  const big = shipped.filter((r) => r.group === "scale" && r.instances >= 2000);
  if (big.length) rows.push(["2,000-instance mix at P = 512: one provider process, nothing failed", big.map((r) => `${r.instances} instances: ${f(r.wallSeconds, 0)} s (${f(r.ratio, 2)}×), ${r.calls} calls, ${r.failed} failed, ${f(r.memory.peakRssMB, 0)} MB`).join("; "), verdict(big.every((r) => r.failed === 0))]);
  return ["## Goals (issue 14), from this run", "", table(["goal", "measured", "status"], rows), ""];
}

/** The mixed scenarios (every kind together) at the largest P they were run at, one point per strategy and N. */
function chartPoints(runs: RunResult[]): RunResult[] {
  const mix = runs.filter((r) => /^mix(-\d+)?$/.test(r.scenario) && !r.experiment);
  const p = Math.max(...mix.map((r) => r.parallel));
  return mix.filter((r) => r.parallel === p).sort((a, b) => a.instances - b.instances || ORDER.indexOf(a.strategy) - ORDER.indexOf(b.strategy));
}

// ---- chart.svg ---------------------------------------------------------------------------------------------------------

const COLORS: Record<string, string> = { shipped: "#1f77b4", "no-coalesce": "#ff7f0e", terraform: "#d62728" };

export function chartSvg(meta: Meta, runs: RunResult[]): string {
  const points = chartPoints(runs);
  const W = 1140;
  const H = 440;
  const panelW = 290;
  const panelH = 280;
  const top = 70;
  const lefts = [70, 440, 810];
  const floorRss = runs.find((r) => r.scenario === "floor")?.memory.peakRssMB;
  const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">Tearing down N instances of every kind (ECS, InstanceSets, MongoDB, Redis) with --parallel ${points[0]?.parallel ?? "?"} (flow control ${meta.rate} req/s per action)</text>`);
  parts.push(`<text x="${W / 2}" y="40" text-anchor="middle" fill="#555">cloud seconds (emulator time scale ${meta.timeScale ?? points.map((p) => p.timeScale).filter((x, i, a) => a.indexOf(x) === i).join(", ")}); reproduce: ${esc(meta.command)}</text>`);
  if (points.length === 0) {
    parts.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no mixed runs in this result set</text></svg>`);
    return parts.join("\n") + "\n";
  }
  const ns = [...new Set(points.map((p) => p.instances))].sort((a, b) => a - b);
  const xLog = (n: number, left: number): number => {
    const lo = Math.log10(ns[0]);
    const hi = Math.log10(ns[ns.length - 1]);
    return left + (hi === lo ? panelW / 2 : ((Math.log10(n) - lo) / (hi - lo)) * panelW);
  };
  const strategies = ["shipped", "no-coalesce", "terraform"].filter((s) => points.some((p) => p.strategy === s));

  const panel = (idx: number, title: string, value: (r: RunResult) => number, log: boolean, extra?: { label: string; values: [number, number][]; dash: string }[]): void => {
    const left = lefts[idx];
    const vals = points.map(value).concat((extra ?? []).flatMap((e) => e.values.map((v) => v[1]))).filter((v) => v > 0);
    let lo = log ? Math.pow(10, Math.floor(Math.log10(Math.min(...vals)))) : 0;
    let hi = log ? Math.pow(10, Math.ceil(Math.log10(Math.max(...vals)))) : niceCeil(Math.max(...vals));
    if (lo === hi) hi = lo * 10;
    if (!log) lo = 0;
    const y = (v: number): number => top + panelH - (log ? (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo)) * panelH;
    parts.push(`<text x="${left + panelW / 2}" y="${top - 12}" text-anchor="middle" font-weight="bold">${esc(title)}</text>`);
    parts.push(`<rect x="${left}" y="${top}" width="${panelW}" height="${panelH}" fill="none" stroke="#999"/>`);
    const ticks = log ? decades(lo, hi) : linearTicks(hi);
    for (const t of ticks) {
      parts.push(`<line x1="${left}" x2="${left + panelW}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/>`);
      parts.push(`<text x="${left - 6}" y="${y(t) + 4}" text-anchor="end">${t >= 1000 ? `${t / 1000}k` : t}</text>`);
    }
    for (const n of ns) {
      parts.push(`<line x1="${xLog(n, left)}" x2="${xLog(n, left)}" y1="${top}" y2="${top + panelH}" stroke="#eee"/>`);
      parts.push(`<text x="${xLog(n, left)}" y="${top + panelH + 16}" text-anchor="middle">${n}</text>`);
    }
    parts.push(`<text x="${left + panelW / 2}" y="${top + panelH + 34}" text-anchor="middle">N instances (log scale)</text>`);
    for (const e of extra ?? []) {
      const pts = e.values.map(([n, v]) => `${xLog(n, left).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
      parts.push(`<polyline points="${pts}" fill="none" stroke="#2ca02c" stroke-width="1.5" stroke-dasharray="${e.dash}"/>`);
    }
    for (const s of strategies) {
      const mine = points.filter((p) => p.strategy === s);
      const pts = mine.map((p) => `${xLog(p.instances, left).toFixed(1)},${y(value(p)).toFixed(1)}`).join(" ");
      parts.push(`<polyline points="${pts}" fill="none" stroke="${COLORS[s]}" stroke-width="2"/>`);
      for (const p of mine) {
        const failed = p.failed > 0;
        parts.push(`<circle cx="${xLog(p.instances, left).toFixed(1)}" cy="${y(value(p)).toFixed(1)}" r="${failed ? 5 : 3.5}" fill="${failed ? "white" : COLORS[s]}" stroke="${COLORS[s]}" stroke-width="2"><title>${esc(`${STRATEGY_LABEL[s]}, N=${p.instances}: ${f(value(p), 1)}${failed ? `, ${p.failed} failed` : ""}`)}</title></circle>`);
      }
    }
  };

  const limitLine = (lifecycle: string): [number, number][] =>
    ns.map((n) => [n, points.find((p) => p.instances === n && p.lifecycle === lifecycle)?.limit.seconds ?? NaN] as [number, number]).filter((v) => Number.isFinite(v[1]));
  panel(0, "wall time of the teardown (cloud s, log scale)", (r) => r.wallSeconds, true, [
    { label: "limit (provider lifecycle)", values: limitLine("provider"), dash: "6 3" },
    { label: "limit (Terraform lifecycle)", values: limitLine("terraform"), dash: "2 3" },
  ]);
  panel(1, "API calls (log scale)", (r) => r.calls, true);
  panel(2, "provider peak RSS (MB)", (r) => r.memory.peakRssMB, false, floorRss === undefined ? [] : [{ label: "floor", values: ns.map((n) => [n, floorRss] as [number, number]), dash: "4 4" }]);

  // Legend.
  let lx = 70;
  const ly = H - 30;
  for (const s of strategies) {
    parts.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${COLORS[s]}" stroke-width="2"/><text x="${lx + 30}" y="${ly + 4}">${esc(STRATEGY_LABEL[s])}</text>`);
    lx += 30 + STRATEGY_LABEL[s].length * 6.6 + 30;
  }
  parts.push(`<text x="70" y="${H - 8}" fill="#555">green dashed: physical limit (long dashes: provider lifecycle; short: Terraform's); in the memory panel, the floor (empty provider). Hollow points: some deletes failed.</text>`);
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

function niceCeil(v: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function linearTicks(hi: number): number[] {
  const step = niceCeil(hi / 5);
  const out: number[] = [];
  for (let t = 0; t <= hi + 1e-9; t += step) out.push(Math.round(t * 100) / 100);
  return out;
}

function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let t = lo; t <= hi * 1.0001; t *= 10) out.push(t);
  return out;
}
