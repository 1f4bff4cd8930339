// Text output close to the CLI's non-interactive display: a line per step as it starts and ends, then the
// "Diagnostics:" section (errors under their resource, provider and program output under the stack), the stack
// outputs, the resource counts and the duration.
import type { EngineResult } from "./engine";
import { nameOfUrn, type LocalEngineEvent, type OpType } from "./events";

const OPS: Partial<Record<OpType, { symbol: string; doing: string; done: string; summary: string }>> = {
  create: { symbol: "+ ", doing: "creating", done: "created", summary: "created" },
  update: { symbol: "~ ", doing: "updating", done: "updated", summary: "updated" },
  delete: { symbol: "- ", doing: "deleting", done: "deleted", summary: "deleted" },
  same: { symbol: "  ", doing: "", done: "", summary: "unchanged" },
  replace: { symbol: "+-", doing: "replacing", done: "replaced", summary: "replaced" },
  "create-replacement": { symbol: "++", doing: "creating replacement", done: "created replacement", summary: "" },
  "delete-replaced": { symbol: "--", doing: "deleting original", done: "deleted original", summary: "" },
};

const seconds = (ms: number | undefined): string => (ms === undefined ? "" : ` (${(ms / 1000).toFixed(1)}s)`);

/** The resource's own type: the URN's qualified type after its parents' types. */
const typeOfUrn = (urn: string): string => {
  const qualified = urn.split("::")[2] ?? urn;
  return qualified.slice(qualified.lastIndexOf("$") + 1);
};

function indent(message: string, first: string, rest = "      "): string {
  const lines = message.replace(/\n$/, "").split("\n");
  return lines.map((l, i) => (i === 0 ? first : rest) + l).join("\n");
}

export class Display {
  /** Diagnostics per resource (or the stack), in order of first appearance. */
  private readonly diagnostics = new Map<string, { title: string; lines: string[] }>();

  constructor(
    private readonly write: (text: string) => void,
    private readonly stackName: string,
  ) {}

  private group(urn: string | undefined): { title: string; lines: string[] } {
    // The stack's own diagnostics and the provider's lines (which have no URN) are one section, as in the CLI.
    if (urn && typeOfUrn(urn) === "pulumi:pulumi:Stack") urn = undefined;
    const key = urn ?? "";
    let g = this.diagnostics.get(key);
    if (!g) {
      const title = urn ? `${typeOfUrn(urn)} (${nameOfUrn(urn)}):` : `pulumi:pulumi:Stack (${this.stackName}):`;
      g = { title, lines: [] };
      this.diagnostics.set(key, g);
    }
    return g;
  }

  onEvent(e: LocalEngineEvent): void {
    if (e.resourcePreEvent) {
      const m = e.resourcePreEvent.metadata;
      const op = OPS[m.op];
      if (op && m.op !== "same") this.write(` ${op.symbol} ${m.type} ${nameOfUrn(m.urn)} ${op.doing}\n`);
    } else if (e.resOutputsEvent) {
      const m = e.resOutputsEvent.metadata;
      const op = OPS[m.op];
      if (op && m.op !== "same") this.write(` ${op.symbol} ${m.type} ${nameOfUrn(m.urn)} ${op.done}${seconds(e.durationMs)}\n`);
    } else if (e.resOpFailedEvent) {
      const m = e.resOpFailedEvent.metadata;
      const op = OPS[m.op];
      this.write(` ${op?.symbol ?? "  "} ${m.type} ${nameOfUrn(m.urn)} **${op?.doing || m.op} failed**${seconds(e.durationMs)}\n`);
    } else if (e.diagnosticEvent) {
      const d = e.diagnosticEvent;
      const prefix = d.prefix ?? "";
      const text = indent(d.message, `${prefix}`, " ".repeat(prefix.length));
      const g = this.group(d.urn);
      g.lines.push(text);
      const where = d.urn ? `${typeOfUrn(d.urn)} ${nameOfUrn(d.urn)}` : `pulumi:pulumi:Stack ${this.stackName}`;
      this.write(indent(text, `    ${where} `, "        ") + "\n");
    }
  }

  finish(result: EngineResult): void {
    const out: string[] = [];
    if (this.diagnostics.size) {
      out.push("", "Diagnostics:");
      for (const g of this.diagnostics.values()) {
        out.push(`  ${g.title}`);
        for (const l of g.lines) out.push(indent(l, "    ", "    "));
        out.push("");
      }
    }
    const outputs = Object.entries(result.outputs);
    if (outputs.length) {
      out.push("Outputs:");
      const width = Math.max(...outputs.map(([k]) => k.length));
      for (const [k, v] of outputs) out.push(`    ${`${k}:`.padEnd(width + 2)}${JSON.stringify(v)}`);
      out.push("");
    }
    out.push("Resources:");
    for (const [op, n] of Object.entries(result.changes)) {
      const o = OPS[op as OpType];
      if (n && o?.summary) out.push(`    ${o.symbol === "  " ? "" : `${o.symbol.trim()} `}${n} ${o.summary}`);
    }
    if (result.failures.length) out.push(`    ${result.failures.length} errored`);
    if (result.remaining.length && result.command === "destroy") out.push(`    ${result.remaining.length} left in state`);
    out.push("", `Duration: ${(result.durationMs / 1000).toFixed(1)}s`, "");
    this.write(out.join("\n"));
  }
}
