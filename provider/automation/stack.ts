// A stack's resources of this package, from a `pulumi stack export` file or from the Automation API (which runs the
// Pulumi CLI). Only what the commands need is read: each resource's URN, type, id and outputs. Secret values are
// never decrypted: none of the fields read here (ids, region, delete options) is secret.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { idsFromOutputs } from "../ecs/declaration";
import { UsageError } from "./errors";

/** The type token of this package's resources: dynamic resources registered under the "alicloud-release" module. */
export const TYPE_PREFIX = "pulumi-nodejs:dynamic/alicloud-release:";

export const RESOURCE_KINDS = ["ecs.Instance", "ecs.InstanceSet", "mongodb.Instance", "mongodb.ShardingInstance", "redis.Instance", "redis.TairInstance"] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export type Product = "ecs" | "mongodb" | "redis";

export const productOf = (kind: ResourceKind): Product => kind.split(".")[0] as Product;

export interface StackResource {
  urn: string;
  name: string;
  kind: ResourceKind;
  product: Product;
  /** The resource id the engine holds (a set's is its first instance and a count). */
  id: string;
  /** Where its instances are (outputs.regionId; undefined in outputs older than the region output). */
  regionId?: string;
  /** The instance ids a destroy releases. */
  instanceIds: string[];
  outputs: Record<string, unknown>;
}

export interface StackSnapshot {
  project: string;
  stack: string;
  /** False when the stack does not exist (any more): every tagged instance is then an orphan. */
  exists: boolean;
  resources: StackResource[];
  /** Every resource in the state (the stack and providers excluded), this package's or not. */
  total: number;
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Plaintext secrets are JSON in `plaintext`; encrypted ones (`ciphertext`) become undefined. */
function unwrap(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrap);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (SECRET_SIG in o) {
      if (typeof o.plaintext === "string") {
        try {
          return unwrap(JSON.parse(o.plaintext));
        } catch {
          return undefined;
        }
      }
      return undefined;
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrap(x)]));
  }
  return v;
}

const nameOf = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

/** urn:pulumi:<stack>::<project>::<type>::<name> */
export function parseUrn(urn: string): { stack: string; project: string } | undefined {
  const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
  return m ? { stack: m[1], project: m[2] } : undefined;
}

interface RawResource {
  urn?: unknown;
  type?: unknown;
  id?: unknown;
  outputs?: unknown;
  delete?: unknown;
}

/** The `deployment` of `pulumi stack export` ({version, deployment: {manifest, resources}}), or the deployment itself. */
export function snapshotFromDeployment(doc: unknown, expect: { project?: string; stack?: string }, source: string): StackSnapshot {
  const top = doc as { deployment?: { resources?: unknown; manifest?: unknown }; resources?: unknown; manifest?: unknown } | null;
  const deployment = top && typeof top === "object" && top.deployment && typeof top.deployment === "object" ? top.deployment : top;
  // A deployment has a manifest; an empty stack's export has no resources list at all.
  const raw = deployment?.resources ?? (deployment?.manifest ? [] : undefined);
  if (!deployment || typeof deployment !== "object" || !Array.isArray(raw)) {
    throw new UsageError(`${source} is not a \`pulumi stack export\` file: it has no deployment.resources list`);
  }
  const list = raw as RawResource[];
  const owners = list.map((r) => (typeof r.urn === "string" ? parseUrn(r.urn) : undefined)).find(Boolean);
  const project = owners?.project ?? expect.project;
  const stack = owners?.stack ?? expect.stack;
  if (owners && ((expect.project && expect.project !== owners.project) || (expect.stack && expect.stack !== owners.stack))) {
    throw new UsageError(`${source} holds stack "${owners.stack}" of project "${owners.project}", not ${expect.stack ? `stack "${expect.stack}" of ` : ""}project "${expect.project}"`);
  }
  if (!project || !stack) throw new UsageError(`${source} holds no resources, so it does not say which project and stack it is: pass --project and --stack`);
  const resources: StackResource[] = [];
  let total = 0;
  for (const r of list) {
    if (typeof r.urn !== "string" || typeof r.type !== "string") continue;
    if (r.type === "pulumi:pulumi:Stack" || r.type.startsWith("pulumi:providers:")) continue;
    total++;
    if (!r.type.startsWith(TYPE_PREFIX) || r.delete === true) continue;
    const kind = r.type.slice(TYPE_PREFIX.length) as ResourceKind;
    if (!(RESOURCE_KINDS as readonly string[]).includes(kind)) continue;
    const outputs = (unwrap(r.outputs) ?? {}) as Record<string, unknown>;
    const id = typeof r.id === "string" ? r.id : "";
    const instanceIds =
      kind === "ecs.Instance" || kind === "ecs.InstanceSet"
        ? idsFromOutputs(id, outputs)
        : [String((productOf(kind) === "mongodb" ? outputs.dbInstanceId : outputs.instanceId) ?? id)].filter(Boolean);
    resources.push({
      urn: r.urn, name: nameOf(r.urn), kind, product: productOf(kind), id,
      regionId: typeof outputs.regionId === "string" && outputs.regionId ? outputs.regionId : undefined,
      instanceIds, outputs,
    });
  }
  return { project, stack, exists: true, resources, total };
}

export function readStackFile(file: string, expect: { project?: string; stack?: string }): StackSnapshot {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read the stack export file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not JSON (${(e as Error).message}); create it with \`pulumi stack export --file ${path.basename(file)}\``);
  }
  return snapshotFromDeployment(doc, expect, file);
}

export function hasPulumiCli(): boolean {
  return spawnSync("pulumi", ["version"], { stdio: "ignore" }).status === 0;
}

export interface AutomationStackOptions {
  project: string;
  stack: string;
  /** The project directory (Pulumi.yaml); default the current directory. */
  workDir?: string;
  /** e.g. file:///var/pulumi-state; default the workspace's (PULUMI_BACKEND_URL or `pulumi login`). */
  backendUrl?: string;
  envVars?: Record<string, string>;
}

export function requirePulumiCli(what: string): void {
  if (!hasPulumiCli()) {
    throw new UsageError(
      `${what} needs the Pulumi CLI (\`pulumi\` on PATH; https://www.pulumi.com/docs/install/), because the Automation API runs it` +
        (what === "destroy" ? "." : "; or pass --stack-file with the output of `pulumi stack export`."),
    );
  }
}

/** Through the Automation API. A stack that does not exist gives `exists: false` (sweep then treats every tagged instance as an orphan). */
export async function readStackViaAutomation(o: AutomationStackOptions): Promise<StackSnapshot> {
  requirePulumiCli("reading the stack");
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const envVars = { ...o.envVars, ...(o.backendUrl ? { PULUMI_BACKEND_URL: o.backendUrl } : {}) };
  const ws = await LocalWorkspace.create({ workDir: path.resolve(o.workDir ?? "."), envVars });
  const stacks = await ws.listStacks();
  if (!stacks.some((s) => s.name === o.stack || s.name.endsWith(`/${o.stack}`))) {
    return { project: o.project, stack: o.stack, exists: false, resources: [], total: 0 };
  }
  const deployment = await ws.exportStack(o.stack);
  return snapshotFromDeployment(deployment, { project: o.project, stack: o.stack }, `stack ${o.stack}`);
}

export interface StackSourceOptions extends Partial<AutomationStackOptions> {
  stackFile?: string;
}

/** From the export file when given, else the Automation API; a missing stack is an error unless `allowMissing`. */
export async function loadStack(o: StackSourceOptions, allowMissing = false): Promise<StackSnapshot> {
  if (o.stackFile) return readStackFile(o.stackFile, { project: o.project, stack: o.stack });
  if (!o.project || !o.stack) throw new UsageError("pass --project and --stack (the stack's ownership tags), or --stack-file");
  const snap = await readStackViaAutomation({ ...o, project: o.project, stack: o.stack });
  if (!snap.exists && !allowMissing) throw new UsageError(`no stack named "${o.stack}" in ${path.resolve(o.workDir ?? ".")} (check --stack, --cwd and the backend)`);
  return snap;
}
