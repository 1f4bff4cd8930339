// The `alicloud-release` command. Flags are parsed with node:util parseArgs (built in, strict: an unknown flag or a
// missing value is a usage error). Results go to stdout (text, or one JSON document with --json); progress lines go
// to stderr. Exit codes: 0 nothing left or found, 1 something left or found, 2 usage or access error.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { destroy, DestroyResult } from "./destroy";
import { isUsageOrAccess, UsageError } from "./errors";
import { plan, PlanResult } from "./plan";
import { formatTeardownReport } from "./report";
import { status, StatusResult } from "./status";
import { sweep, SweepResult } from "./sweep";

const USAGE = `usage: alicloud-release <plan|sweep|destroy|status> [flags]

  plan      what \`destroy\` will do with each resource of this package, from live describe calls; changes nothing
  sweep     instances carrying the stack's ownership tags that its state does not hold (dry run unless --release)
  destroy   the Automation API destroy (continue-on-error, per-resource report), then a sweep of what it missed
  status    what the stack still has in the cloud and what still bills

common flags:
  --project P        the Pulumi project (ownership tag pulumi:project)
  --stack S          the stack (ownership tag pulumi:stack)
  --stack-file F     a \`pulumi stack export\` file instead of the Automation API (which needs the pulumi CLI)
  --cwd DIR          the project directory for the Automation API (default .)
  --backend URL      the Pulumi backend for the Automation API (default: PULUMI_BACKEND_URL / pulumi login)
  --region R         a region to search (repeatable; default every region the products are offered in)
  --json             one JSON document on stdout
sweep:
  --release          release what is found, through the same delete functions as \`pulumi destroy\`
  --exclude-id ID    never this instance (repeatable)
  --exclude-tag K[=V] never instances with this tag (repeatable)
  --older-than D     only instances created at least D ago (30m, 6h, 2d, 1w)
  --expired          only instances whose time-to-live passed (pulumi:expires-at tag, ECS AutoReleaseTime);
                     with --project alone, across every stack of the project
  --override-protection  --force  --purge-recycle-bin   delete options for what is released
destroy:
  --parallel N       deletes at once (default: this package's resources in the stack, at most 128)
  --skip-sweep       do not sweep for instances the state never held

exit codes: 0 nothing left or found, 1 something left or found, 2 usage or access error`;

const OPTIONS = {
  project: { type: "string" },
  stack: { type: "string" },
  "stack-file": { type: "string" },
  cwd: { type: "string" },
  backend: { type: "string" },
  region: { type: "string", multiple: true },
  json: { type: "boolean" },
  release: { type: "boolean" },
  "exclude-id": { type: "string", multiple: true },
  "exclude-tag": { type: "string", multiple: true },
  "older-than": { type: "string" },
  expired: { type: "boolean" },
  "override-protection": { type: "boolean" },
  force: { type: "boolean" },
  "purge-recycle-bin": { type: "boolean" },
  parallel: { type: "string" },
  "skip-sweep": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} satisfies ParseArgsConfig["options"];

const COMMAND_FLAGS: Record<string, string[]> = {
  plan: [],
  status: [],
  sweep: ["release", "exclude-id", "exclude-tag", "older-than", "expired", "override-protection", "force", "purge-recycle-bin"],
  destroy: ["parallel", "skip-sweep", "override-protection", "force", "purge-recycle-bin"],
};
const COMMON = ["project", "stack", "stack-file", "cwd", "backend", "region", "json", "help"];

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIo: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { multiple: true } ? string[] : (typeof OPTIONS)[K] extends { type: "boolean" } ? boolean : string };

function parse(argv: string[]): { command: string; v: Values } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0]);
  }
  const v = parsed.values as Values;
  const [command, ...extra] = parsed.positionals;
  if (v.help && !command) return { command: "help", v };
  if (!command) throw new UsageError("no command given");
  if (!(command in COMMAND_FLAGS)) throw new UsageError(`unknown command "${command}"`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const wrong = Object.keys(v).filter((k) => !COMMON.includes(k) && !COMMAND_FLAGS[command].includes(k));
  if (wrong.length > 0) throw new UsageError(`--${wrong[0]} is not a flag of ${command}`);
  if (command === "destroy") {
    if (v["stack-file"]) throw new UsageError("destroy runs through the Automation API: pass --stack (and --cwd, --backend), not --stack-file");
    if (!v.stack) throw new UsageError("destroy needs --stack (the Automation API selects the stack by name; --project defaults to Pulumi.yaml's)");
  } else if (command !== "sweep" && !v["stack-file"] && (!v.project || !v.stack)) throw new UsageError(`${command} needs --project and --stack, or --stack-file`);
  return { command, v };
}

function deleteOptions(v: Values) {
  return { overrideProtection: v["override-protection"] === true, force: v.force === true, purgeRecycleBin: v["purge-recycle-bin"] === true };
}

function positiveInt(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} must be a whole number ≥ 1, got ${JSON.stringify(raw)}`);
  return n;
}

export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let command: string;
  let v: Values;
  try {
    ({ command, v } = parse(argv));
  } catch (e) {
    io.stderr(`alicloud-release: ${(e as Error).message}\n(alicloud-release --help lists the commands and flags)\n`);
    return 2;
  }
  if (command === "help" || v.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const progress = (line: string): void => io.stderr(`${line}\n`);
  const source = { project: v.project, stack: v.stack, stackFile: v["stack-file"], workDir: v.cwd, backendUrl: v.backend };
  try {
    if (command === "plan") {
      const r = await plan({ ...source, onProgress: progress });
      io.stdout(v.json ? json(r) : formatPlan(r));
      return r.leavesSomething ? 1 : 0;
    }
    if (command === "sweep") {
      const r = await sweep({
        ...source, regions: v.region, release: v.release === true, excludeIds: v["exclude-id"], excludeTags: v["exclude-tag"],
        olderThan: v["older-than"], expired: v.expired === true, deleteOptions: deleteOptions(v), onProgress: progress,
      });
      io.stdout(v.json ? json(r) : formatSweep(r, v.release === true));
      return r.clean ? 0 : 1;
    }
    if (command === "status") {
      const r = await status({ ...source, regions: v.region, onProgress: progress });
      io.stdout(v.json ? json(r) : formatStatus(r));
      return r.entries.length === 0 ? 0 : 1;
    }
    const r = await destroy({
      project: v.project, stack: v.stack!, workDir: v.cwd, backendUrl: v.backend, parallel: positiveInt("parallel", v.parallel), regions: v.region,
      skipSweep: v["skip-sweep"] === true, sweepDeleteOptions: deleteOptions(v), onProgress: progress, onOutput: (t) => io.stderr(t),
    });
    io.stdout(v.json ? json({ ...r, events: undefined }) : formatDestroy(r));
    return r.ok ? 0 : 1;
  } catch (e) {
    // Usage, credentials, access, a missing stack, an unreadable file, or the API not answering: nothing judged.
    io.stderr(`alicloud-release ${command}: ${isUsageOrAccess(e) ? "" : "failed: "}${(e as Error).message}\n`);
    return 2;
  }
}

const json = (r: unknown): string => `${JSON.stringify(r, null, 2)}\n`;

const OUTCOME_WORDS: Record<string, string> = {
  release: "released", refuse: "REFUSED", retain: "retained (left billing)", "wait-for-lock": "waits for the expiry lock", "recycle-bin": "kept in the recycle bin",
  gone: "already gone", releasing: "already being released", denied: "DENIED (credentials)",
};

export function formatPlan(r: PlanResult): string {
  const out = [`Plan for destroying ${r.project}/${r.stack}`, ""];
  for (const res of r.resources) {
    out.push(`  ${res.leaves ? "✗" : "✓"} ${res.kind} ${res.name} (${res.regionId}): ${OUTCOME_WORDS[res.outcome]}`);
    for (const i of res.instances) {
      const took = i.typicalSeconds ? `, usually ~${i.typicalSeconds}s` : "";
      const steps = i.steps.length ? ` [${i.steps.join(" → ")}]` : "";
      const perms = i.permissions ? ` (dry run: ${Object.entries(i.permissions).map(([a, c]) => `${a} ${c}`).join(", ")})` : "";
      out.push(`      ${i.instanceId}: ${OUTCOME_WORDS[i.outcome]}${steps}${took} — ${i.detail}${perms}`);
    }
  }
  if (r.otherResources > 0) out.push("", `  ${r.otherResources} resource(s) of other packages are not judged here.`);
  out.push("", r.leavesSomething ? "  destroy would leave something behind: see ✗ above." : "  destroy would release everything.");
  return `${out.join("\n")}\n`;
}

export function formatSweep(r: SweepResult, release: boolean): string {
  const who = r.stack ? `${r.project}/${r.stack}` : `every stack of ${r.project}`;
  const out = [`Sweep of ${who} in ${r.regions.length} region(s)${r.stack && !r.stackExists ? " (the stack does not exist: every tagged instance is an orphan)" : ""}`, ""];
  for (const f of r.found) {
    const state = release ? (r.released.includes(f.id) ? "released" : "NOT released") : "found";
    out.push(`  ${state}: ${f.product} ${f.id} (${f.regionId}${f.name ? `, ${f.name}` : ""}, ${f.status}, ${f.chargeType}, created ${f.createdAt ?? "?"}): ${f.reason}`);
  }
  for (const f of r.failed) out.push(`  error releasing ${f.id}: ${f.error.split("\n").join("\n      ")}`);
  for (const s of r.skipped) out.push(`  left alone: ${s.id}: ${s.why}`);
  out.push("", r.found.length === 0 ? "  nothing found." : release ? `  ${r.released.length} released, ${r.failed.length} failed.` : `  ${r.found.length} found; run again with --release to release them.`);
  return `${out.join("\n")}\n`;
}

export function formatStatus(r: StatusResult): string {
  const out = [`Status of ${r.project}/${r.stack}${r.stackExists ? "" : " (no such stack in the state)"}`, ""];
  for (const e of r.entries) out.push(`  ${e.billed ? "$" : " "} ${e.kind}: ${e.product} ${e.id} (${e.regionId}${e.name ? `, ${e.name}` : ""}, ${e.status}): ${e.detail}`);
  out.push("", r.entries.length === 0 ? "  nothing in the cloud." : `  ${r.entries.length} instance(s) in the cloud, ${r.billed} billed ($).`);
  return `${out.join("\n")}\n`;
}

export function formatDestroy(r: DestroyResult): string {
  let text = formatTeardownReport(r.report);
  if (r.left.length) text += `  Left in the stack: ${r.left.map((l) => `${l.type} ${l.id ?? l.urn}`).join(", ")}\n`;
  if (r.sweep) text += `\n${formatSweep(r.sweep, true)}`;
  return text;
}

