// Tears down an ephemeral environment with the Pulumi Automation API and prints what happened to each resource.
//
//   PULUMI_CONFIG_PASSPHRASE=… npm run teardown -- --cwd <project dir> --stack <name> [--backend file:///path]
//       [--parallel N]
//
// It destroys the stack (continue-on-error: independent resources are still released when one fails), builds a
// report from the engine events (report.ts), then reads the stack back: the exit code is 1 when anything is left,
// 0 when the stack is empty. Needs the `pulumi` CLI on PATH, as the Automation API does; cloud credentials come from
// the environment (ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET), as the provider reads them.
import * as path from "node:path";
import { LocalWorkspace, type EngineEvent } from "@pulumi/pulumi/automation";
import { buildTeardownReport, formatTeardownReport, isBookkeeping, type LeftResource, type TeardownReport } from "./report";

export interface TeardownOptions {
  /** The project directory (Pulumi.yaml). */
  workDir: string;
  stackName: string;
  /** e.g. file:///var/pulumi-state; default: the workspace's (PULUMI_BACKEND_URL or `pulumi login`). */
  backendUrl?: string;
  parallel?: number;
  /** Passed to the CLI and through it to the provider process (credentials, ALICLOUD_RELEASE_ENDPOINT). */
  envVars?: Record<string, string>;
  onOutput?: (text: string) => void;
  onEvent?: (event: EngineEvent) => void;
}

export interface TeardownResult {
  report: TeardownReport;
  left: LeftResource[];
  /** The CLI's error, when destroy failed. */
  error?: string;
  events: EngineEvent[];
}

export async function teardown(o: TeardownOptions): Promise<TeardownResult> {
  const envVars = { ...o.envVars, ...(o.backendUrl ? { PULUMI_BACKEND_URL: o.backendUrl } : {}) };
  const env: NodeJS.ProcessEnv = { ...process.env, ...envVars };
  if (env.PULUMI_CONFIG_PASSPHRASE === undefined && !env.PULUMI_CONFIG_PASSPHRASE_FILE) {
    throw new Error("set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE): destroy decrypts the stack's config and state with it");
  }
  const stack = await LocalWorkspace.selectStack({ stackName: o.stackName, workDir: path.resolve(o.workDir) }, { envVars });
  const events: EngineEvent[] = [];
  let error: string | undefined;
  try {
    await stack.destroy({
      continueOnError: true,
      parallel: o.parallel,
      onOutput: o.onOutput,
      onEvent: (e) => {
        events.push(e);
        o.onEvent?.(e);
      },
    });
  } catch (e) {
    error = (e as Error).message;
  }
  const deployment = await stack.exportStack();
  const resources = ((deployment.deployment as { resources?: { urn: string; type: string; id?: string }[] }).resources ?? []);
  const left = resources.filter((r) => !isBookkeeping(r.type)).map((r) => ({ urn: r.urn, type: r.type, id: r.id }));
  return { report: buildTeardownReport(events, left), left, error, events };
}

function parseArgs(argv: string[]): TeardownOptions {
  const o: Partial<TeardownOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const v = argv[++i];
    if (v === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--cwd") o.workDir = v;
    else if (flag === "--stack") o.stackName = v;
    else if (flag === "--backend") o.backendUrl = v;
    else if (flag === "--parallel") o.parallel = Number(v);
    else throw new Error(`unknown argument ${flag}`);
  }
  if (!o.stackName) throw new Error("--stack is required");
  return { workDir: o.workDir ?? ".", stackName: o.stackName, backendUrl: o.backendUrl, parallel: o.parallel };
}

export async function main(argv: string[]): Promise<number> {
  let options: TeardownOptions;
  try {
    options = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`teardown: ${(e as Error).message}\nusage: npm run teardown -- --cwd <project> --stack <name> [--backend file:///path] [--parallel N]\n`);
    return 2;
  }
  const result = await teardown({ ...options, onOutput: (t) => process.stdout.write(t) });
  process.stdout.write(`\n${formatTeardownReport(result.report)}`);
  if (result.left.length) process.stdout.write(`  Left in the stack: ${result.left.map((l) => `${l.type} ${l.id ?? l.urn}`).join(", ")}\n`);
  return result.left.length === 0 && result.report.failed === 0 ? 0 : 1;
}
