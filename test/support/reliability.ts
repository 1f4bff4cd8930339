// Shared pieces of the reliability tests (test/reliability/): fault mixes, bounded parallelism, what the
// emulator's request log says about retries and about which instances a call touched, secret scanning, and
// the figures `npm run chaos` prints for the README.
import * as fs from "node:fs";
import type { FaultRule, RequestLogEntry } from "../../emulator";
import { seededRandom } from "../../emulator/core/faults";

export { seededRandom };

/** `npm run chaos` sets this: the long versions (more seeds, more rounds) run instead of the short ones. */
export const CHAOS = process.env.RELIABILITY_CHAOS === "1";

/** One fault of each kind the cloud's edge produces, before the action runs or after it (reply lost). */
export const FAULT_KINDS: { name: string; rule: Omit<FaultRule, "probability"> }[] = [
  { name: "Throttling.User", rule: { code: "Throttling.User" } },
  { name: "503 ServiceUnavailable", rule: { code: "ServiceUnavailable", status: 503 } },
  { name: "500 InternalError", rule: { code: "InternalError", status: 500 } },
  { name: "dropped connection", rule: { drop: true } },
  { name: "HTML 502 page", rule: { body: "html", status: 502 } },
  { name: "reply slower than the client timeout", rule: { latencyMs: 800 } },
  { name: "action ran, connection dropped (reply lost)", rule: { drop: true, phase: "after" } },
  { name: "action ran, reply slower than the client timeout", rule: { latencyMs: 800, phase: "after" } },
  { name: "action ran, answered 500 InternalError", rule: { code: "InternalError", status: 500, phase: "after" } },
];

/**
 * Every kind in FAULT_KINDS with the same overall chance, `rate` in total per request. The emulator tries the
 * rules of a phase in order and the first that fires wins, so each rule's probability is conditional on the
 * earlier ones not firing; "after" rules are only reached when no "before" rule fired.
 */
export function evenFaultRules(rate: number, extra: Partial<FaultRule> = {}): FaultRule[] {
  const q = rate / FAULT_KINDS.length;
  const before = FAULT_KINDS.filter((k) => (k.rule.phase ?? "before") === "before");
  const after = FAULT_KINDS.filter((k) => k.rule.phase === "after");
  const reachAfter = 1 - before.length * q;
  return [
    ...before.map((k, i) => ({ ...k.rule, ...extra, probability: q / (1 - i * q) })),
    ...after.map((k, i) => ({ ...k.rule, ...extra, probability: q / reachAfter / (1 - (i * q) / reachAfter) })),
  ];
}

/**
 * Each kind once, on the first requests that reach it: put before `evenFaultRules` so that a short run is sure to
 * meet every kind, whatever the random draws.
 */
export function oneOfEachFault(extra: Partial<FaultRule> = {}): FaultRule[] {
  return FAULT_KINDS.map((k) => ({ ...k.rule, ...extra, count: 1 }));
}

/** Runs `fn` over `items` with at most `parallel` in flight, like `pulumi destroy --parallel`. */
export async function pool<T, R>(items: T[], parallel: number, fn: (item: T, index: number) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: "fulfilled", value: await fn(items[i], i) };
      } catch (e) {
        results[i] = { status: "rejected", reason: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  return results;
}

/**
 * Attempts the client saw fail and therefore sent again: every injected fault (an error answer, a dropped
 * connection, an HTML page, a reply slower than the client timeout, a lost reply) and every flow-control or 5xx
 * answer. Each such attempt is followed by exactly one re-send of the same call, so this is the number of
 * request-log entries that are not first attempts. (Time-outs the client hits without an injected fault, under
 * load, are retried too but not visible here: the figure is a lower bound.)
 */
export function retriesIn(log: RequestLogEntry[]): number {
  return log.filter((e) => e.fault !== undefined || e.status === 0 || e.status >= 500 || /Throttling/.test(e.code ?? "")).length;
}

const MUTATING = /^(Stop|Start|Delete|Destroy|Modify|Run|Create)/;

/** The instance ids a request names, in any of the products' parameter shapes. */
export function idsOf(e: RequestLogEntry): string[] {
  const ids: string[] = [];
  for (const [k, v] of Object.entries(e.params)) {
    if (k === "InstanceId" || k === "DBInstanceId" || /^InstanceId\.\d+$/.test(k)) ids.push(v);
    else if (k === "InstanceIds") {
      try {
        const parsed: unknown = JSON.parse(v);
        if (Array.isArray(parsed)) ids.push(...parsed.map(String));
        else ids.push(...v.split(","));
      } catch {
        ids.push(...v.split(",").map((s) => s.trim()).filter(Boolean));
      }
    }
  }
  return ids;
}

/** Calls that change something (stop, release, modify, create), with the ids each names. */
/** The calls that change something: DryRun permission checks change nothing, so they are not listed. */
export function changeCalls(log: RequestLogEntry[]): { action: string; ids: string[]; status: number }[] {
  return log.filter((e) => e.action && MUTATING.test(e.action) && e.params.DryRun !== "true").map((e) => ({ action: e.action!, ids: idsOf(e), status: e.status }));
}

/** Every way a secret could be written down: as is, URL-encoded (both flavours), form-encoded, JSON-escaped, base64. */
export function secretForms(secret: string): string[] {
  const rfc3986 = encodeURIComponent(secret).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
  const forms = [
    secret,
    encodeURIComponent(secret),
    rfc3986,
    encodeURIComponent(secret).replace(/%20/g, "+"),
    encodeURIComponent(encodeURIComponent(secret)),
    JSON.stringify(secret).slice(1, -1),
    Buffer.from(secret).toString("base64"),
  ];
  return [...new Set(forms)];
}

/** `label: form` for each secret form found in `text`. */
export function leaks(text: string, secrets: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [label, secret] of Object.entries(secrets)) {
    for (const form of secretForms(secret)) if (text.includes(form)) found.push(`${label} as ${JSON.stringify(form)}`);
  }
  return found;
}

/** Peak resident memory of a process in MB (Linux /proc VmHWM), if it can be read. */
export function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Prints one set of figures and, under `npm run chaos`, appends it to the file the chaos runner reads
 * (RELIABILITY_FIGURES), so the README numbers come from one command.
 */
export function reportFigures(name: string, figures: Record<string, unknown>): void {
  const line = JSON.stringify({ name, ...figures });
  process.stdout.write(`reliability figures: ${line}\n`);
  const file = process.env.RELIABILITY_FIGURES;
  if (file) fs.appendFileSync(file, line + "\n");
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `test` until it holds; throws after `ms`. */
export async function until(what: string, test: () => Promise<boolean> | boolean, ms = 10_000, everyMs = 20): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
