// Injected faults, so that retry, timeout and crash handling can be tested against a server that misbehaves
// the way the cloud's edge does: error answers, slow answers, dropped connections and HTML pages from a proxy.
import { ProductName } from "./store";

export interface FaultRule {
  product?: ProductName;
  action?: string;
  /** Answer with this error code (its documented status unless `status` is given). */
  code?: string;
  status?: number;
  message?: string;
  /** Chance per matching request, 0..1 (default 1). */
  probability?: number;
  /** How many times the rule fires before it is used up (default: unlimited). */
  count?: number;
  /** Added delay before the answer (real milliseconds). */
  latencyMs?: number;
  /** Close the connection without answering. */
  drop?: boolean;
  /** "html": answer 502 with a proxy's HTML page instead of JSON. */
  body?: "html";
  /** When the fault strikes: before the action runs (default) or after it ran, losing its reply. */
  phase?: "before" | "after";
}

export interface FaultDecision {
  rule: FaultRule;
}

/** Deterministic PRNG (mulberry32) so a fault scenario replays identically from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function validateFaultRule(rule: unknown): FaultRule {
  if (typeof rule !== "object" || rule === null || Array.isArray(rule)) throw new Error("each fault rule must be an object");
  const r = rule as Record<string, unknown>;
  const known = ["product", "action", "code", "status", "message", "probability", "count", "latencyMs", "drop", "body", "phase"];
  for (const k of Object.keys(r)) if (!known.includes(k)) throw new Error(`unknown fault rule field "${k}"`);
  if (r.product !== undefined && !["ecs", "dds", "r-kvstore", "vpc"].includes(String(r.product))) throw new Error(`unknown product "${String(r.product)}"`);
  if (r.probability !== undefined && !(typeof r.probability === "number" && r.probability >= 0 && r.probability <= 1)) throw new Error("probability must be a number from 0 to 1");
  if (r.count !== undefined && !(Number.isInteger(r.count) && (r.count as number) >= 0)) throw new Error("count must be a non-negative integer");
  if (r.latencyMs !== undefined && !(typeof r.latencyMs === "number" && r.latencyMs >= 0 && r.latencyMs <= 600000)) throw new Error("latencyMs must be 0..600000");
  if (r.status !== undefined && !(Number.isInteger(r.status) && (r.status as number) >= 400 && (r.status as number) <= 599)) throw new Error("status must be an HTTP error status 400..599");
  if (r.body !== undefined && r.body !== "html") throw new Error('body must be "html"');
  if (r.phase !== undefined && r.phase !== "before" && r.phase !== "after") throw new Error('phase must be "before" or "after"');
  if (r.code === undefined && r.latencyMs === undefined && r.drop !== true && r.body === undefined) {
    throw new Error("a fault rule needs an effect: code, latencyMs, drop or body");
  }
  return r as FaultRule;
}

export class Faults {
  private rules: { rule: FaultRule; left: number }[] = [];
  injected = 0;

  constructor(private readonly random: () => number) {}

  set(rules: FaultRule[]): void {
    this.rules = rules.map((rule) => ({ rule, left: rule.count ?? Infinity }));
  }

  clear(): void {
    this.rules = [];
  }

  list(): (FaultRule & { remaining: number | null })[] {
    return this.rules.map(({ rule, left }) => ({ ...rule, remaining: Number.isFinite(left) ? left : null }));
  }

  /** The first rule that matches this request and fires, if any. */
  pick(product: ProductName, action: string, phase: "before" | "after"): FaultRule | undefined {
    for (const entry of this.rules) {
      const { rule } = entry;
      if ((rule.phase ?? "before") !== phase) continue;
      if (rule.product && rule.product !== product) continue;
      if (rule.action && rule.action !== action) continue;
      if (entry.left <= 0) continue;
      if (this.random() >= (rule.probability ?? 1)) continue;
      entry.left--;
      this.injected++;
      return rule;
    }
    return undefined;
  }
}
