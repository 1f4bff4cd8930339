// A teardown report built from engine events alone (no I/O), so that it works on events recorded from the Pulumi
// CLI through the Automation API and on the local engine's events (tools/local-engine), and can be tested on
// recorded fixtures.
//
// What the events give (automation/events.d.ts):
//   resourcePreEvent  metadata.op "delete" | "delete-replaced": a delete started; metadata.old holds id and outputs
//   resOutputsEvent   same op: the delete finished
//   resOpFailedEvent  same op: the delete failed; the message is the diagnosticEvent with that urn, severity error
//   diagnosticEvent   no urn, severity info / info#err: a line the dynamic provider printed; this package starts
//                     every line with the instance id, which is how lines are attributed to resources here
//   summaryEvent      resourceChanges, durationSeconds
// The CLI stamps events in whole seconds; the local engine adds `durationMs` to outputs and failures.
import type { EngineEvent } from "@pulumi/pulumi/automation";

export type DeleteStatus = "deleted" | "failed" | "unfinished" | "not attempted";

export interface ResourceReport {
  urn: string;
  type: string;
  name: string;
  /** The resource id, and the instance ids a set holds (outputs.instanceIds). */
  ids: string[];
  status: DeleteStatus;
  durationMs?: number;
  /** The error the engine showed under the resource. */
  error?: string;
  /** The provider's lines about this resource's instances, without the id prefix when there is one id. */
  progress: string[];
}

export interface TeardownReport {
  resources: ResourceReport[];
  deleted: number;
  failed: number;
  /** Resources still in the stack that no delete was attempted for (e.g. blocked by a failed dependent). */
  notAttempted: number;
  /** Stack-level lines no resource claims: stack traces, program output, other plugins. */
  unattributed: string[];
  durationSeconds?: number;
  /** True when every resource was deleted and none is left. */
  ok: boolean;
}

/** What is still in the stack after the run (from `stack.exportStack()`), to show what was never attempted. */
export interface LeftResource {
  urn: string;
  type: string;
  id?: string;
}

const DELETE_OPS = new Set(["delete", "delete-replaced"]);

/** The stack and the providers are bookkeeping, not cloud resources. */
export function isBookkeeping(type: string): boolean {
  return type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");
}

/** Messages may carry ANSI colours or the CLI's own colour directives ("<{%fg 1%}>"), depending on --color. */
// eslint-disable-next-line no-control-regex
const stripColors = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, "").replace(/<\{%[^%]*%\}>/g, "");

const nameOf = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

/** A set's instance ids (outputs.instanceIds: its own id joins them), else the resource id. */
function idsOf(old: { id?: string; outputs?: Record<string, unknown> } | undefined): string[] {
  // Only instanceIds: other lists of ids in the outputs (securityGroupIds…) name what the instance uses, not it.
  const lists = Object.entries(old?.outputs ?? {}).filter(([k, v]) => k === "instanceIds" && Array.isArray(v));
  const ids = lists.flatMap(([, v]) => (v as unknown[]).filter((x): x is string => typeof x === "string"));
  return ids.length ? [...new Set(ids)] : old?.id ? [old.id] : [];
}

type Timed = EngineEvent & { durationMs?: number };

export function buildTeardownReport(events: EngineEvent[], left: LeftResource[] = []): TeardownReport {
  const byUrn = new Map<string, ResourceReport & { startedAt?: number }>();
  const owner = new Map<string, ResourceReport>();
  const errors = new Map<string, string[]>();
  const providerLines: string[] = [];
  let durationSeconds: number | undefined;

  for (const e of events as Timed[]) {
    const pre = e.resourcePreEvent?.metadata;
    const done = e.resOutputsEvent?.metadata;
    const failed = e.resOpFailedEvent?.metadata;
    if (pre && DELETE_OPS.has(pre.op) && !isBookkeeping(pre.type)) {
      const r = { urn: pre.urn, type: pre.type, name: nameOf(pre.urn), ids: idsOf(pre.old), status: "unfinished" as DeleteStatus, progress: [], startedAt: e.timestamp };
      byUrn.set(pre.urn, r);
      for (const id of r.ids) owner.set(id, r);
    }
    for (const [m, status] of [[done, "deleted"], [failed, "failed"]] as const) {
      const r = m && DELETE_OPS.has(m.op) ? byUrn.get(m.urn) : undefined;
      if (!r) continue;
      r.status = status;
      r.durationMs = e.durationMs ?? (r.startedAt !== undefined ? Math.round((e.timestamp - r.startedAt) * 1000) : undefined);
    }
    const d = e.diagnosticEvent;
    if (d) {
      const message = stripColors(d.message).replace(/\n+$/, "");
      if (d.urn && d.severity === "error") errors.set(d.urn, [...(errors.get(d.urn) ?? []), message]);
      else if (!d.urn && (d.severity === "info" || d.severity === "info#err")) providerLines.push(...message.split("\n"));
    }
    if (e.summaryEvent) durationSeconds = e.summaryEvent.durationSeconds;
  }

  const unattributed: string[] = [];
  for (const line of providerLines) {
    const m = /^(\S+): (.*)$/.exec(line);
    const r = m ? owner.get(m[1]) : undefined;
    if (r) r.progress.push(r.ids.length > 1 ? line : m![2]);
    else if (line.trim()) unattributed.push(line);
  }

  const resources: ResourceReport[] = [...byUrn.values()].map(({ startedAt: _unused, ...r }) => ({ ...r, error: errors.get(r.urn)?.join("\n") }));
  for (const l of left) {
    if (isBookkeeping(l.type) || byUrn.has(l.urn)) continue;
    resources.push({ urn: l.urn, type: l.type, name: nameOf(l.urn), ids: l.id ? [l.id] : [], status: "not attempted", progress: [] });
  }
  const count = (s: DeleteStatus): number => resources.filter((r) => r.status === s).length;
  const stillThere = new Set(left.filter((l) => !isBookkeeping(l.type)).map((l) => l.urn));
  return {
    resources,
    deleted: count("deleted"),
    failed: count("failed"),
    notAttempted: count("not attempted"),
    unattributed,
    durationSeconds,
    ok: resources.every((r) => r.status === "deleted") && stillThere.size === 0,
  };
}

const shortType = (type: string): string => type.slice(type.lastIndexOf(":") + 1);

export function formatTeardownReport(report: TeardownReport): string {
  const out: string[] = ["Teardown report", ""];
  for (const r of report.resources) {
    const took = r.durationMs === undefined ? "" : ` in ${(r.durationMs / 1000).toFixed(1)}s`;
    const ids = r.ids.length > 3 ? `${r.ids.length} instances` : r.ids.join(", ");
    out.push(`  ${r.status === "deleted" ? "✓" : "✗"} ${shortType(r.type)} ${r.name} (${ids || "no id"}): ${r.status}${took}`);
    for (const p of r.progress) out.push(`      ${p}`);
    if (r.error) out.push(...r.error.split("\n").map((l, i) => `      ${i === 0 ? "error: " : "       "}${l}`));
  }
  out.push(
    "",
    `  ${report.deleted} deleted, ${report.failed} failed, ${report.notAttempted} not attempted` +
      (report.durationSeconds === undefined ? "" : `, ${report.durationSeconds}s`),
    report.ok ? "  Everything was released." : "  Something was left behind: see above.",
  );
  return `${out.join("\n")}\n`;
}
