// `alicloud-release destroy`: the Automation API teardown of an ephemeral environment. It destroys the stack with
// continue-on-error (independent resources are still released when one fails), builds a per-resource report from
// the engine events (report.ts), reads the stack back, then sweeps the stack's ownership tags for instances the
// state never held (a lost create reply, a killed `up`) and releases them. Needs the Pulumi CLI, as the Automation
// API runs it; the provider reads cloud credentials from the environment it is given.
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { UsageError } from "./errors";
import { buildTeardownReport, isBookkeeping, type LeftResource, type TeardownReport } from "./report";
import { snapshotFromDeployment, requirePulumiCli, TYPE_PREFIX } from "./stack";
import { sweep, SweepDeleteOptions, SweepResult } from "./sweep";

/** Destroying more at once than this stops paying off (README, "Teardown at scale"). */
export const MAX_DEFAULT_PARALLEL = 128;

/** As many deletes at once as the stack has resources of this package, up to 128 (Pulumi's default is 4 × CPUs). */
export function defaultParallel(resourceCount: number): number {
  return Math.max(1, Math.min(resourceCount, MAX_DEFAULT_PARALLEL));
}

export interface DestroyOptions {
  project?: string;
  stack: string;
  /** The project directory (Pulumi.yaml). Default: the current directory. */
  workDir?: string;
  /** e.g. file:///var/pulumi-state; default the workspace's (PULUMI_BACKEND_URL or `pulumi login`). */
  backendUrl?: string;
  /** Default: defaultParallel(this package's resources in the stack). */
  parallel?: number;
  /** Passed to the CLI and through it to the provider process (credentials, ALICLOUD_RELEASE_ENDPOINT). */
  envVars?: Record<string, string>;
  /** Regions the sweep after the destroy searches; default every region. */
  regions?: string[];
  /** Skip the sweep of instances the state never held. */
  skipSweep?: boolean;
  sweepDeleteOptions?: SweepDeleteOptions;
  onOutput?: (text: string) => void;
  onEvent?: (event: EngineEvent) => void;
  onProgress?: (line: string) => void;
}

export interface DestroyResult {
  report: TeardownReport;
  left: LeftResource[];
  parallel: number;
  /** The CLI's error, when destroy failed. */
  error?: string;
  events: EngineEvent[];
  /** What the sweep after the destroy found and released. */
  sweep?: SweepResult;
  /** Nothing left in the stack, nothing failed, nothing the sweep could not release. */
  ok: boolean;
}

type Deployment = { resources?: { urn: string; type: string; id?: string }[] };

export async function destroy(o: DestroyOptions): Promise<DestroyResult> {
  requirePulumiCli("destroy");
  const envVars = { ...o.envVars, ...(o.backendUrl ? { PULUMI_BACKEND_URL: o.backendUrl } : {}) };
  const env: NodeJS.ProcessEnv = { ...process.env, ...envVars };
  if (env.PULUMI_CONFIG_PASSPHRASE === undefined && !env.PULUMI_CONFIG_PASSPHRASE_FILE) {
    throw new UsageError("set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE): destroy decrypts the stack's config and state with it");
  }
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  let stack;
  try {
    stack = await LocalWorkspace.selectStack({ stackName: o.stack, workDir: path.resolve(o.workDir ?? ".") }, { envVars });
  } catch (e) {
    throw new UsageError(`cannot select stack "${o.stack}" in ${path.resolve(o.workDir ?? ".")}: ${(e as Error).message.split("\n")[0]}`);
  }
  const before = (await stack.exportStack()).deployment as Deployment;
  const ours = (before.resources ?? []).filter((r) => r.type.startsWith(TYPE_PREFIX)).length;
  const parallel = o.parallel ?? defaultParallel(ours);
  o.onProgress?.(`destroying ${o.stack}: ${ours} resource${ours === 1 ? "" : "s"} of this package, --parallel ${parallel}`);

  const events: EngineEvent[] = [];
  let error: string | undefined;
  try {
    await stack.destroy({
      continueOnError: true,
      parallel,
      onOutput: o.onOutput,
      onEvent: (e) => {
        events.push(e);
        o.onEvent?.(e);
      },
    });
  } catch (e) {
    error = (e as Error).message;
  }
  const after = await stack.exportStack();
  const resources = (after.deployment as Deployment).resources ?? [];
  const left = resources.filter((r) => !isBookkeeping(r.type)).map((r) => ({ urn: r.urn, type: r.type, id: r.id }));
  const report = buildTeardownReport(events, left);

  let swept: SweepResult | undefined;
  if (!o.skipSweep) {
    const project = o.project ?? (await stack.workspace.projectSettings()).name;
    const snapshot = snapshotFromDeployment(after, { project, stack: o.stack }, `stack ${o.stack}`);
    // The sweep runs in this process: it sees the environment the provider was given (credentials, endpoint).
    const saved = Object.fromEntries(Object.keys(o.envVars ?? {}).map((k) => [k, process.env[k]]));
    Object.assign(process.env, o.envVars);
    try {
      swept = await sweep({ project, stack: o.stack, snapshot, regions: o.regions, release: true, deleteOptions: o.sweepDeleteOptions, onProgress: o.onProgress });
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  }
  const ok = left.length === 0 && report.failed === 0 && (swept?.clean ?? true);
  return { report, left, parallel, error, events, sweep: swept, ok };
}
