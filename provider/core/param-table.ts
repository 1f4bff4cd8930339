// Request parameters of an API that has no SDK model (DDS has no npm SDK): declared once as a table of
// camelCase input names → the API's wire names and kinds. The Pulumi input types are derived from the table,
// check reads it, and the wire query is built from it (lists of objects become ReplicaSet.1.Class etc.).
import type * as pulumi from "@pulumi/pulumi";
import type { CheckFailure } from "./options";

export type ParamKind = "string" | "number" | "boolean" | "string[]" | { list: ParamTable };
export interface ParamSpec {
  wire: string;
  kind: ParamKind;
}
export type ParamTable = Readonly<Record<string, ParamSpec>>;

type ScalarOf<K> = K extends "string" ? string : K extends "number" ? number : K extends "boolean" ? boolean : K extends "string[]" ? string[] : never;

/** The Pulumi inputs a table describes, every one optional. */
export type TableInput<T extends ParamTable> = {
  -readonly [P in keyof T]?: T[P]["kind"] extends { list: infer L extends ParamTable } ? pulumi.Input<pulumi.Input<TableInput<L>>[]> : pulumi.Input<ScalarOf<T[P]["kind"]>>;
};

export function tableFailures(table: ParamTable, value: Record<string, unknown>, path = "", keys: readonly string[] = Object.keys(table)): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const k of keys) {
    const v = value[k];
    const spec = table[k];
    if (v === undefined || !spec) continue;
    const where = path ? `${path}.${k}` : k;
    const kind = spec.kind;
    if (typeof kind === "object") {
      if (!Array.isArray(v)) failures.push({ property: where, reason: `${where} must be a list of objects, got ${JSON.stringify(v)}` });
      else
        v.forEach((item, i) => {
          const at = `${where}[${i}]`;
          if (typeof item !== "object" || item === null || Array.isArray(item)) return void failures.push({ property: at, reason: `${at} must be an object, got ${JSON.stringify(item)}` });
          for (const extra of Object.keys(item).filter((x) => !(x in kind.list))) failures.push({ property: `${at}.${extra}`, reason: `${at}.${extra} is not a parameter of this call (known: ${Object.keys(kind.list).join(", ")})` });
          failures.push(...tableFailures(kind.list, item as Record<string, unknown>, at));
        });
      continue;
    }
    const ok =
      kind === "string" ? ["string", "number"].includes(typeof v) : kind === "number" ? typeof v === "number" && Number.isFinite(v) : kind === "boolean" ? typeof v === "boolean" : Array.isArray(v) && v.every((x) => typeof x === "string");
    if (!ok) failures.push({ property: where, reason: `${where} must be ${kind === "string[]" ? "a list of strings" : `a ${kind}`}, got ${JSON.stringify(v)}` });
  }
  return failures;
}

/** The wire query: top-level names as the API spells them, lists of objects as Name.N.Field (openapi-core flattens). */
export function toWire(table: ParamTable, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(table)) {
    const v = value[k];
    if (v === undefined) continue;
    const kind = spec.kind;
    if (typeof kind === "object" && Array.isArray(v)) out[spec.wire] = v.map((item) => toWire(kind.list, item as Record<string, unknown>));
    else if (kind === "string[]" && Array.isArray(v)) out[spec.wire] = v.join(",");
    else out[spec.wire] = v;
  }
  return out;
}
