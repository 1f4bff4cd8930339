// `up` and `destroy` for Node programs whose custom resources are all dynamic (pulumi-nodejs:dynamic…): the step
// logic of the Pulumi engine, reduced to what such programs need, over the real cmd/run (program.ts) and the real
// cmd/dynamic-provider (started and called through the test harness's ProviderProcess).
import { randomUUID } from "node:crypto";
import * as os from "node:os";
import * as path from "node:path";
import { Project as HarnessProject, ProviderCallError, type ProviderProcess } from "../../test/support/pulumi-harness";
import { DEFAULT_PROVIDER_TYPE, EventSink, nameOfUrn, stepMetadata, type LocalEngineEvent, type OpMap, type OpType } from "./events";
import { loadProject, loadStackConfig, programConfigEnv, providerConfigEnv, readEncryptionSalt, type ProjectInfo, type StackConfig } from "./project";
import { CancelledError, runProgram, type RegisterRequest, type RegisterReply } from "./program";
import { deleteInOrder, Semaphore, type DeleteResult } from "./schedule";
import { AlicloudDouble, ALICLOUD_PROVIDER_TYPE, servesType as doubleServes } from "../alicloud-double";
import { annotateSecrets, isSecret, maskSecrets, secret, StackSecrets, unwrapProps } from "./secrets";
import { decryptState, emptyState, readStateFile, StateWriter, type Props, type StateFile, type StateResource } from "./state";

export interface EngineOptions {
  /** The project directory (where Pulumi.yaml is). */
  cwd: string;
  stack: string;
  /** The JSON state file; created by the first `up`. */
  stateFile: string;
  /** How many resource operations run at once (`--parallel`). Default: 4 × CPUs, as the CLI. */
  parallel?: number;
  /** Keep deleting independent resources after a failed delete (`--continue-on-error`). */
  continueOnError?: boolean;
  /** Stack config overrides (`--config k=v`); keys without a namespace get the project's. */
  config?: Record<string, string>;
  /** Secret stack config overrides (`--secret k=v`, like `pulumi config set --secret`). */
  secrets?: Record<string, string>;
  /** Added to the environment of the program and of the provider process (credentials, endpoints). */
  env?: Record<string, string>;
  onEvent?: (e: LocalEngineEvent) => void;
  /** Deadline of each provider gRPC call. Default 30 min: above the provider's own 20 min delete deadline. */
  callTimeoutMs?: number;
  /** Deadline of the program run. Default 30 min. */
  programTimeoutMs?: number;
}

export interface StepFailureInfo {
  urn: string;
  type: string;
  op: OpType;
  message: string;
}

export interface EngineResult {
  command: "up" | "destroy";
  ok: boolean;
  project: string;
  stack: string;
  changes: OpMap;
  failures: StepFailureInfo[];
  /** A failure that is no resource's: the program, the config, the passphrase, the state file. */
  error?: string;
  /** Resources still in state after the run, the stack and its default provider excluded. */
  remaining: StateResource[];
  /** The stack's outputs, secrets masked. */
  outputs: Props;
  events: LocalEngineEvent[];
  durationMs: number;
}

const MINUTE = 60_000;
const STACK_TYPE = "pulumi:pulumi:Stack";
const DYNAMIC_TYPE_PREFIX = "pulumi-nodejs:dynamic";
const isProviderType = (type: string): boolean => type.startsWith("pulumi:providers:");

/** What a step needs of a provider: the dynamic provider process, or the test double of @pulumi/alicloud's. */
type StepProvider = Pick<ProviderProcess, "check" | "diff" | "create" | "update" | "delete">;

/** A step failure: reported under its resource, then the program is cancelled. */
class StepError extends Error {
  constructor(
    message: string,
    /** The engine's resource status: 1 partial failure (init errors), 2 unknown (maybe changed). */
    readonly status = 2,
  ) {
    super(message);
    this.name = "StepError";
  }
}

export function makeUrn(stack: string, project: string, parentUrn: string, type: string, name: string): string {
  const parentType = parentUrn ? parentUrn.split("::")[2] : "";
  const qualified = parentType && parentType !== STACK_TYPE ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The Go duration strings customTimeouts use ("1h30m", "90s"). */
function goDurationSeconds(d: string | undefined): number | undefined {
  if (!d) return undefined;
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s)/g;
  let m: RegExpExecArray | null;
  let matched = "";
  while ((m = re.exec(d))) {
    total += Number(m[1]) * { h: 3600, m: 60, s: 1, ms: 0.001 }[m[2] as "h" | "m" | "s" | "ms"];
    matched += m[0];
  }
  return matched === d && total > 0 ? Math.ceil(total) : undefined;
}

/** go-multierror's text, which is how the CLI shows a create's init errors (e.message is not shown). */
function initErrorText(reasons: string[]): string {
  if (reasons.length === 0) return "resource init failed";
  return `${reasons.length} error${reasons.length === 1 ? "" : "s"} occurred:\n${reasons.map((r) => `\t* ${r}`).join("\n")}`;
}

function checkFailureText(type: string, name: string, inputs: Props, failures: { property: string; reason: string }[]): string {
  return failures
    .map((f) =>
      f.property
        ? `${type} resource '${name}': property ${f.property} value ${JSON.stringify(maskSecrets(inputs[f.property]) ?? null)} has a problem: ${f.reason}`
        : `${type} resource '${name}' has a problem: ${f.reason}`,
    )
    .join("\n");
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Props)[k])}`).join(",")}}`;
  return JSON.stringify(v ?? null);
}

/** Instance ids a provider line may start with: the resource id, and the ids a set lists in its outputs (instanceIds). */
function idsOf(r: StateResource): string[] {
  const ids = r.id ? [r.id] : [];
  for (const [k, v] of Object.entries(unwrapProps(r.outputs))) {
    // instanceIds only: other id lists (securityGroupIds…) name what the instance uses, not it.
    if (k === "instanceIds" && Array.isArray(v)) for (const x of v) if (typeof x === "string") ids.push(x);
  }
  return ids;
}

/** State, config, provider process and event plumbing shared by `up` and `destroy`. */
class Deployment {
  readonly sink: EventSink;
  readonly started = Date.now();
  readonly changes: OpMap = {};
  readonly failures: StepFailureInfo[] = [];
  readonly parallel: number;
  private readonly idIndex = new Map<string, string>();
  private providerProcess?: Promise<ProviderProcess>;
  private alicloudDouble?: AlicloudDouble;
  /** URNs deleted in this run (or about to be): a resource deletedWith one of them needs no delete of its own. */
  readonly deletions = new Set<string>();
  private providerConfig: Record<string, string> = {};
  private pump?: NodeJS.Timeout;
  private pumped = { stdout: 0, stderr: 0 };
  writer!: StateWriter;
  stateSecrets!: StackSecrets;
  configSecrets!: StackSecrets;
  state!: StateFile;

  constructor(
    readonly command: "up" | "destroy",
    readonly opts: EngineOptions,
    readonly project: ProjectInfo,
  ) {
    this.sink = new EventSink(opts.onEvent);
    this.parallel = Math.max(1, opts.parallel ?? os.availableParallelism() * 4);
  }

  get stackName(): string {
    return `${this.project.name}-${this.opts.stack}`;
  }

  get env(): Record<string, string> {
    return this.opts.env ?? {};
  }

  /** Reads the state file (decrypting its secrets only when it has any) and prepares the writer. */
  async loadState(): Promise<void> {
    const stateFile = path.resolve(this.opts.stateFile);
    const doc = readStateFile(stateFile);
    if (doc && (doc.project !== this.project.name || doc.stack !== this.opts.stack)) {
      throw new Error(`${stateFile} holds stack ${doc.project}/${doc.stack}, not ${this.project.name}/${this.opts.stack}`);
    }
    const env = { ...process.env, ...this.env };
    const stackSalt = readEncryptionSalt(this.project, this.opts.stack);
    this.configSecrets = new StackSecrets(env, stackSalt);
    // One crypter when both use the same salt (the CLI's passphrase manager keeps the stack's salt in state too).
    const stateSalt = doc?.secretsProvider?.salt ?? stackSalt;
    this.stateSecrets = stateSalt === stackSalt ? this.configSecrets : new StackSecrets(env, stateSalt);
    this.state = doc ? await decryptState(doc, this.stateSecrets) : emptyState(this.project.name, this.opts.stack);
    this.writer = new StateWriter(stateFile, this.stateSecrets);
    for (const r of this.state.resources) this.index(r);
  }

  async loadConfig(): Promise<StackConfig> {
    return loadStackConfig(this.project, this.opts.stack, { config: this.opts.config, secrets: this.opts.secrets }, this.configSecrets);
  }

  index(r: StateResource): void {
    for (const id of idsOf(r)) this.idIndex.set(id, r.urn);
  }

  count(op: OpType): void {
    this.changes[op] = (this.changes[op] ?? 0) + 1;
  }

  /** The default provider's inputs are the whole stack config, secrets marked, as the engine stores them. */
  providerEntry(config: StackConfig, old?: StateResource): StateResource {
    const inputs: Props = {};
    for (const [k, v] of Object.entries(config.values)) inputs[k] = config.secretKeys.includes(k) ? secret(v) : v;
    return {
      urn: `urn:pulumi:${this.opts.stack}::${this.project.name}::${DEFAULT_PROVIDER_TYPE}::default`,
      type: DEFAULT_PROVIDER_TYPE,
      custom: true,
      id: old?.id ?? randomUUID(),
      inputs,
      outputs: inputs,
      dependencies: [],
    };
  }

  /** Config for the provider's Configure: fully qualified keys, secrets decrypted (the provider accepts none). */
  setProviderConfig(entry: StateResource): void {
    this.providerConfig = unwrapProps(entry.inputs) as Record<string, string>;
  }

  /**
   * The provider that serves `type`: the dynamic provider process, or, for the alicloud types it knows, the test
   * double of @pulumi/alicloud's provider (tools/alicloud-double), configured from the same stack config.
   */
  async providerFor(type: string): Promise<StepProvider> {
    if (!doubleServes(type)) return this.provider();
    this.alicloudDouble ??= new AlicloudDouble({ env: { ...process.env, ...this.env }, config: this.providerConfig, log: (line) => this.sink.diagnostic("info", line) });
    return this.alicloudDouble;
  }

  provider(): Promise<ProviderProcess> {
    this.providerProcess ??= (async () => {
      // The engine starts pulumi-resource-pulumi-nodejs in the program's directory, with PULUMI_NODEJS_PROJECT and
      // PULUMI_CONFIG set, and sends Configure before any other call (the harness does both).
      const harness = new HarnessProject(this.project.pwd, this.project.name, undefined);
      const p = await harness.startProvider(
        { ...this.env, PULUMI_PROJECT: this.project.name, ...providerConfigEnv(this.providerConfig) },
        { config: this.providerConfig, callTimeoutMs: this.opts.callTimeoutMs ?? 30 * MINUTE },
      );
      this.pump = setInterval(() => this.pumpProviderOutput(p), 50);
      this.pump.unref();
      return p;
    })();
    return this.providerProcess;
  }

  /**
   * Provider stdout/stderr lines become stack diagnostics (info / info#err), as the CLI shows them since 3.146;
   * a line that starts with a known instance id is attributed to its resource in `progress`.
   */
  private pumpProviderOutput(p: ProviderProcess): void {
    for (const stream of ["stdout", "stderr"] as const) {
      const lines = p[stream];
      for (; this.pumped[stream] < lines.length; this.pumped[stream]++) {
        const line = lines[this.pumped[stream]];
        const m = /^([a-z][a-z0-9]*-[a-z0-9]+): (.*)$/.exec(line);
        const progress = m ? { id: m[1], message: m[2], urn: this.idIndex.get(m[1]) } : undefined;
        this.sink.diagnostic(stream === "stdout" ? "info" : "info#err", line, undefined, progress);
      }
    }
  }

  async closeProvider(): Promise<void> {
    if (!this.providerProcess) return;
    const starting = this.providerProcess;
    this.providerProcess = undefined;
    const p = await starting.catch(() => undefined);
    if (!p) return;
    await p.close();
    // After exit every line has been read: drain the rest, then stop polling.
    this.pumpProviderOutput(p);
    clearInterval(this.pump);
  }

  fail(op: OpType, r: { urn: string; type: string }, old: StateResource | undefined, next: StateResource | undefined, message: string, status: number, startedAt: number): void {
    this.failures.push({ urn: r.urn, type: r.type, op, message });
    this.sink.diagnostic("error", message, r.urn);
    this.sink.emit({ resOpFailedEvent: { metadata: stepMetadata(op, r.urn, r.type, old, next), status, steps: 0 }, durationMs: Date.now() - startedAt });
  }

  /**
   * Deletes one resource through the provider and takes it out of state (`remove`); on failure it stays, and the
   * error is shown under it. Never throws: the scheduler needs a yes or a no.
   */
  async deleteResource(r: StateResource, op: "delete" | "delete-replaced", remove: (r: StateResource) => Promise<void>): Promise<DeleteResult> {
    const t0 = Date.now();
    this.sink.emit({ resourcePreEvent: { metadata: stepMetadata(op, r.urn, r.type, r, undefined) } });
    // As DeleteStep.Apply: a protected resource is refused (not when it is the old copy of a replacement, which
    // the replace step has checked); retainOnDelete and a deletedWith resource deleted in the same run only leave
    // state, without a call to the provider.
    if (op === "delete" && r.protect) {
      const message =
        `resource "${r.urn}" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the \`protect\` flag from the resource ` +
        `in your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${r.urn}'\``;
      this.fail(op, r, r, undefined, message, 2, t0);
      return "refused";
    }
    try {
      const skip = r.retainOnDelete || (r.deletedWith !== undefined && this.deletions.has(r.deletedWith));
      if (r.custom && !isProviderType(r.type) && r.id && !skip) {
        if (!r.type.startsWith(DYNAMIC_TYPE_PREFIX) && !doubleServes(r.type)) throw new StepError(`${r.type} needs its provider plugin to be deleted, and the local engine runs dynamic providers only`);
        const provider = await this.providerFor(r.type);
        await provider.delete(r.id, r.urn, unwrapProps(r.outputs), unwrapProps(r.inputs), { timeout: r.deleteTimeoutSeconds });
      }
      await remove(r);
      this.count(op);
      this.sink.emit({ resOutputsEvent: { metadata: stepMetadata(op, r.urn, r.type, r, undefined) }, durationMs: Date.now() - t0 });
      return true;
    } catch (e) {
      this.fail(op, r, r, undefined, (e as Error).message, e instanceof StepError ? e.status : 2, t0);
      return false;
    }
  }

  /** Closes the provider first, so that its last lines are reported before the summary. */
  async summary(ok: boolean, remaining: StateResource[], outputs: Props, error?: string): Promise<EngineResult> {
    await this.closeProvider();
    const durationMs = Date.now() - this.started;
    this.sink.emit({
      summaryEvent: { maybeCorrupt: this.failures.length > 0, durationSeconds: Math.round(durationMs / 1000), resourceChanges: this.changes, policyPacks: {} },
    });
    this.sink.emit({ cancelEvent: {} });
    return {
      command: this.command,
      ok,
      project: this.project.name,
      stack: this.opts.stack,
      changes: this.changes,
      failures: this.failures,
      error,
      remaining,
      outputs: maskSecrets(outputs) as Props,
      events: this.sink.events,
      durationMs,
    };
  }
}

const userResources = (rs: StateResource[]): StateResource[] => rs.filter((r) => r.type !== STACK_TYPE && !isProviderType(r.type));

/** Provider entries still referenced by a resource in `rs` (the engine drops a default provider nothing uses). */
function usedProviders(rs: StateResource[], entries: StateResource[]): StateResource[] {
  return entries.filter((p) => rs.some((r) => r.provider === `${p.urn}::${p.id}`));
}

/** A failure before or around the steps (no project, bad passphrase…) still ends with a result, never a throw. */
async function guarded(command: "up" | "destroy", opts: EngineOptions, body: (d: Deployment) => Promise<EngineResult>): Promise<EngineResult> {
  let d: Deployment | undefined;
  try {
    d = new Deployment(command, opts, loadProject(opts.cwd));
    return await body(d);
  } catch (e) {
    const message = (e as Error).message;
    if (!d) {
      const failed = new Deployment(command, opts, { root: opts.cwd, name: "unknown", pwd: opts.cwd, entry: ".", typescript: false, nodeargs: [], defaults: {} });
      failed.sink.diagnostic("error", message);
      return failed.summary(false, [], {}, message);
    }
    d.sink.diagnostic("error", message);
    return d.summary(false, d.state ? userResources(d.state.resources) : [], {}, message);
  } finally {
    await d?.closeProvider();
  }
}

// ------------------------------------------------------------------------------------------------------ up

export function up(opts: EngineOptions): Promise<EngineResult> {
  return guarded("up", opts, (d) => new Update(d).run());
}

class Update {
  private readonly registered: StateResource[] = [];
  private readonly registeredByUrn = new Map<string, StateResource>();
  private readonly oldByUrn = new Map<string, StateResource>();
  /** Old resources superseded by a registration (same, update, or moved to pendingDeletes by a replace). */
  private readonly consumed = new Set<StateResource>();
  private readonly pendingDeletes: StateResource[] = [];
  private readonly deleted = new Set<StateResource>();
  private readonly slots: Semaphore;
  private providerEntry!: StateResource;
  /** Default providers of the alicloud double, by URN (one per @pulumi/alicloud version, as the engine's). */
  private readonly doubleProviders = new Map<string, StateResource>();
  private cancelled = false;
  private stackOutputs: Props = {};

  constructor(private readonly d: Deployment) {
    this.slots = new Semaphore(d.parallel);
  }

  async run(): Promise<EngineResult> {
    const d = this.d;
    await d.loadState();
    const config = await d.loadConfig();
    for (const r of d.state.resources) {
      if (r.pendingDelete) this.pendingDeletes.push(r);
      else if (r.type === ALICLOUD_PROVIDER_TYPE) this.doubleProviders.set(r.urn, r);
      else if (!isProviderType(r.type)) this.oldByUrn.set(r.urn, r);
    }
    const oldProvider = d.state.resources.find((r) => r.type === DEFAULT_PROVIDER_TYPE);
    this.providerEntry = d.providerEntry(config, oldProvider);
    d.setProviderConfig(this.providerEntry);
    d.sink.emit({ preludeEvent: { config: Object.fromEntries(Object.entries(config.values).map(([k, v]) => [k, config.secretKeys.includes(k) ? "[secret]" : v])) } });
    // Loading @pulumi/pulumi and the provider package takes seconds: start the provider while the program starts.
    // A start failure is reported by the first step that needs it.
    if (d.state.resources.some((r) => r.custom) || !d.state.resources.length) d.provider().catch(() => undefined);

    const run = await runProgram({
      project: d.project,
      stack: d.opts.stack,
      parallel: d.parallel,
      timeoutMs: d.opts.programTimeoutMs ?? 30 * MINUTE,
      env: { ...d.env, ...programConfigEnv(config) },
      handlers: {
        registerResource: (req) => this.register(req),
        registerResourceOutputs: (urn, outputs) => {
          const r = this.registeredByUrn.get(urn);
          if (r) r.outputs = outputs;
          if (r?.type === STACK_TYPE) this.stackOutputs = outputs;
          void this.save();
        },
        log: (severity, message, urn) => {
          // After a cancellation the SDK reports each cancelled registration; the engine shows none of them.
          if (this.cancelled && message.includes("Resource monitor is terminating")) return;
          if (severity !== "debug") d.sink.diagnostic(severity, message, urn || undefined);
        },
      },
      onOutput: (stream, line) => {
        if (this.cancelled && line.includes("Resource monitor is terminating")) return;
        d.sink.diagnostic(stream === "stdout" ? "info" : "info#err", line);
      },
    });

    const programOk = run.exitCode === 0 && !run.timedOut;
    if (!programOk && !this.cancelled) {
      const why = run.timedOut
        ? `the program did not finish within ${Math.round((d.opts.programTimeoutMs ?? 30 * MINUTE) / 1000)} s and was killed`
        : run.exitCode === 32
          ? undefined // cmd/run already logged an actionable message
          : `Program exited with non-zero exit code: ${run.exitCode ?? run.signal}`;
      if (why) d.sink.diagnostic("error", why, this.stackUrn());
    }
    let ok = programOk && !this.cancelled;
    if (ok) {
      // Resources the program no longer declares, and old copies of replaced ones: deleted last, in reverse order.
      const targets = [...[...this.oldByUrn.values()].filter((r) => !this.consumed.has(r)), ...this.pendingDeletes];
      for (const r of targets) d.deletions.add(r.urn);
      const outcome = await deleteInOrder(targets, { parallel: d.parallel, continueOnError: !!d.opts.continueOnError }, (r) =>
        d.deleteResource(r, r.pendingDelete ? "delete-replaced" : "delete", async (x) => {
          this.deleted.add(x);
          await this.save();
        }),
      );
      ok = outcome.failed.length === 0 && outcome.skipped.length === 0;
    }
    if (!ok && this.cancelled) d.sink.diagnostic("error", "update failed", this.stackUrn());
    await this.save();
    return d.summary(ok, userResources(this.snapshot().resources), this.stackOutputs);
  }

  private stackUrn(): string {
    return makeUrn(this.d.opts.stack, this.d.project.name, "", STACK_TYPE, this.d.stackName);
  }

  /** Registered resources first (in order), then old ones not (yet) superseded, then old copies awaiting deletion. */
  private snapshot(): StateFile {
    const rest = this.d.state.resources.filter((r) => !isProviderType(r.type) && !r.pendingDelete && !this.consumed.has(r) && !this.deleted.has(r));
    const pending = this.pendingDeletes.filter((r) => !this.deleted.has(r));
    const all = [...this.registered, ...rest, ...pending];
    const providers = usedProviders(all, [this.providerEntry, ...this.doubleProviders.values()]);
    const [root, ...others] = all[0]?.type === STACK_TYPE ? all : [undefined, ...all];
    const resources = [...(root ? [root] : []), ...providers, ...others.filter((r): r is StateResource => !!r)];
    return { ...this.d.state, resources };
  }

  private save(): Promise<void> {
    return this.d.writer.save(this.snapshot());
  }

  /** The default provider of @pulumi/alicloud resources (the double), `default_<version>` as the engine names it. */
  private doubleProvider(version: string): StateResource {
    const name = `default${version ? `_${version.replace(/[.-]/g, "_")}` : ""}`;
    const urn = `urn:pulumi:${this.d.opts.stack}::${this.d.project.name}::${ALICLOUD_PROVIDER_TYPE}::${name}`;
    let entry = this.doubleProviders.get(urn);
    if (!entry) {
      entry = { ...this.providerEntry, urn, type: ALICLOUD_PROVIDER_TYPE, id: randomUUID() };
      if (version) entry.inputs = { ...entry.inputs, version };
      this.doubleProviders.set(urn, entry);
    }
    return entry;
  }

  private record(r: StateResource): void {
    this.registered.push(r);
    this.registeredByUrn.set(r.urn, r);
    this.d.index(r);
  }

  private async register(req: RegisterRequest): Promise<RegisterReply> {
    const d = this.d;
    if (this.cancelled) throw new CancelledError();
    const urn = makeUrn(d.opts.stack, d.project.name, req.parent, req.type, req.name);
    const t0 = Date.now();
    const old = this.oldByUrn.get(urn);
    const next: StateResource = {
      urn,
      type: req.type,
      custom: req.custom,
      inputs: req.object,
      outputs: {},
      dependencies: req.dependencies,
      parent: req.parent || undefined,
      protect: req.protect || undefined,
      retainOnDelete: req.retainOnDelete || undefined,
      deletedWith: req.deletedWith,
    };
    try {
      if (this.registeredByUrn.has(urn)) throw new StepError(`Duplicate resource URN '${urn}'; try giving it a unique name`);
      for (const option of req.unsupported) d.sink.diagnostic("warning", `the local engine ignores the ${option} option of this resource`, urn);
      if (!req.custom) return this.component(next, old);
      if (!(req.type.startsWith(DYNAMIC_TYPE_PREFIX) || doubleServes(req.type)) || req.provider) {
        throw new StepError(`${req.type}${req.provider ? " with an explicit provider" : ""} needs a provider plugin; the local engine runs dynamic providers (pulumi.dynamic.Resource) only`);
      }
      const release = await this.slots.acquire();
      try {
        return await this.customStep(req, next, old, t0);
      } finally {
        release();
      }
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      if (!(e instanceof StepFailed)) d.fail(old ? "update" : "create", next, old, next, (e as Error).message, e instanceof StepError ? e.status : 2, t0);
      this.cancelled = true;
      await this.save();
      throw new CancelledError();
    }
  }

  private async component(next: StateResource, old: StateResource | undefined): Promise<RegisterReply> {
    const op: OpType = old ? "same" : "create";
    next.outputs = old?.outputs ?? {};
    if (old) this.consumed.add(old);
    this.d.sink.emit({ resourcePreEvent: { metadata: stepMetadata(op, next.urn, next.type, old, next) } });
    this.record(next);
    this.d.count(op);
    this.d.sink.emit({ resOutputsEvent: { metadata: stepMetadata(op, next.urn, next.type, old, next) }, durationMs: 0 });
    await this.save();
    return { urn: next.urn, outputs: {} };
  }

  private async customStep(req: RegisterRequest, next: StateResource, old: StateResource | undefined, t0: number): Promise<RegisterReply> {
    const d = this.d;
    const provider = await d.providerFor(req.type);
    if (this.cancelled) throw new CancelledError();
    const entry = doubleServes(req.type) ? this.doubleProvider(req.version) : this.providerEntry;
    next.provider = `${entry.urn}::${entry.id}`;
    next.deleteTimeoutSeconds = goDurationSeconds(req.deleteTimeout);
    let news = req.object;
    if (old && req.ignoreChanges.length) {
      news = { ...news };
      for (const k of req.ignoreChanges) {
        if (k.includes(".") || k.includes("[")) d.sink.diagnostic("warning", `the local engine applies ignoreChanges to top-level properties only, not ${k}`, next.urn);
        else if (k in old.inputs) news[k] = old.inputs[k];
        else delete news[k];
      }
    }
    const checked = await provider.check(next.urn, req.type, unwrapProps(old?.inputs ?? {}), unwrapProps(news));
    if (checked.failures.length) throw new StepError(checkFailureText(req.type, req.name, unwrapProps(news), checked.failures));
    next.inputs = annotateSecrets(checked.inputs, news);

    let op: OpType = "create";
    let deleteBeforeReplace = req.deleteBeforeReplace;
    if (old?.id && old.initErrors?.length) op = "update"; // a partially created resource is always updated
    else if (old?.id) {
      const diff = await provider.diff(old.id, next.urn, unwrapProps(old.outputs), unwrapProps(next.inputs), unwrapProps(old.inputs));
      // DIFF_UNKNOWN: the engine compares the inputs itself.
      const changed = diff.changes === "some" || (diff.changes === "unknown" && canonical(unwrapProps(old.inputs)) !== canonical(unwrapProps(next.inputs)));
      op = diff.replaces.length ? "replace" : changed ? "update" : "same";
      deleteBeforeReplace ||= diff.deleteBeforeReplace;
      // As the step generator: a resource protected before and after cannot be replaced (unprotecting and replacing
      // in one update is allowed).
      if (op === "replace" && old.protect && next.protect) {
        throw new StepError(
          `unable to replace resource "${next.urn}"\nas it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``,
        );
      }
    }

    if (op === "same") {
      next.id = old!.id;
      next.outputs = old!.outputs;
      next.initErrors = undefined;
      this.consumed.add(old!);
      d.sink.emit({ resourcePreEvent: { metadata: stepMetadata("same", next.urn, next.type, old, next) } });
      this.record(next);
      d.count("same");
      d.sink.emit({ resOutputsEvent: { metadata: stepMetadata("same", next.urn, next.type, old, next) }, durationMs: Date.now() - t0 });
      await this.save();
      return { urn: next.urn, id: next.id, outputs: next.outputs };
    }

    if (op === "replace") {
      d.count("replace");
      if (deleteBeforeReplace) {
        this.consumed.add(old!);
        d.deletions.add(old!.urn);
        const ok = await d.deleteResource(old!, "delete-replaced", async (x) => {
          this.deleted.add(x);
          await this.save();
        });
        if (ok !== true) throw new StepFailed();
      } else {
        // Create the replacement first; the old copy is deleted after the program, with the other deletes.
        this.consumed.add(old!);
        old!.pendingDelete = true;
        this.pendingDeletes.push(old!);
      }
      return this.create(provider, next, "create-replacement", undefined, req, t0);
    }
    if (op === "create") return this.create(provider, next, "create", undefined, req, t0);
    return this.create(provider, next, "update", old, req, t0);
  }

  /** Create or update, recording partially created resources (init errors) so that destroy can release them. */
  private async create(provider: StepProvider, next: StateResource, op: OpType, old: StateResource | undefined, req: RegisterRequest, t0: number): Promise<RegisterReply> {
    const d = this.d;
    d.sink.emit({ resourcePreEvent: { metadata: stepMetadata(op, next.urn, next.type, old, next) } });
    const secretOutputs = (outputs: Props): Props => {
      const out = annotateSecrets(outputs, next.inputs);
      for (const k of req.additionalSecretOutputs) if (out[k] !== undefined && !isSecret(out[k])) out[k] = secret(out[k]);
      return out;
    };
    try {
      if (op === "update") {
        const res = await provider.update(old!.id!, next.urn, unwrapProps(old!.outputs), unwrapProps(next.inputs), unwrapProps(old!.inputs));
        next.id = old!.id;
        next.outputs = secretOutputs(res.outputs);
      } else {
        const res = await provider.create(next.urn, unwrapProps(next.inputs));
        next.id = res.id;
        next.outputs = secretOutputs(res.outputs);
      }
    } catch (e) {
      const init = e instanceof ProviderCallError ? e.initFailure : undefined;
      if (init) {
        next.id = init.id;
        next.outputs = secretOutputs(init.properties);
        next.initErrors = init.reasons;
        if (old) this.consumed.add(old);
        this.record(next);
        d.count(op);
        d.fail(op, next, old, next, initErrorText(init.reasons), 1, t0);
      } else {
        d.fail(op, next, old, next, (e as Error).message, 2, t0);
      }
      throw new StepFailed();
    }
    if (old) this.consumed.add(old);
    this.record(next);
    d.count(op);
    d.sink.emit({ resOutputsEvent: { metadata: stepMetadata(op, next.urn, next.type, old, next) }, durationMs: Date.now() - t0 });
    await this.save();
    return { urn: next.urn, id: next.id, outputs: next.outputs };
  }
}

/** A failure already reported (events emitted): the caller only cancels. */
class StepFailed extends Error {
  constructor() {
    super("step failed");
    this.name = "StepFailed";
  }
}

// ------------------------------------------------------------------------------------------------- destroy

export function destroy(opts: EngineOptions): Promise<EngineResult> {
  return guarded("destroy", opts, async (d) => {
    await d.loadState();
    // As the engine does on destroy, the provider is configured from the config stored with it in state (the
    // config of the last `up`), not from the current stack config (pulumi/pulumi#7370).
    const providerEntry = d.state.resources.find((r) => r.type === DEFAULT_PROVIDER_TYPE) ?? d.state.resources.find((r) => r.type === ALICLOUD_PROVIDER_TYPE);
    if (providerEntry) d.setProviderConfig(providerEntry);
    else d.setProviderConfig(d.providerEntry(await d.loadConfig()));
    d.sink.emit({ preludeEvent: { config: maskSecrets(providerEntry?.inputs ?? {}) as Record<string, string> } });

    const alive = new Set(d.state.resources);
    const save = (): Promise<void> => {
      const left = d.state.resources.filter((r) => alive.has(r));
      // The default provider goes once nothing it manages is left; the stack goes with the last resource.
      const used = usedProviders(left, left.filter((r) => isProviderType(r.type)));
      const resources = left.filter((r) => !isProviderType(r.type) || used.includes(r));
      return d.writer.save({ ...d.state, resources });
    };
    const targets = d.state.resources.filter((r) => !isProviderType(r.type));
    for (const r of targets) d.deletions.add(r.urn);
    const outcome = await deleteInOrder(targets, { parallel: d.parallel, continueOnError: !!d.opts.continueOnError }, (r) =>
      d.deleteResource(r, "delete", async (x) => {
        alive.delete(x);
        await save();
      }),
    );
    await save();
    const remaining = userResources(d.state.resources.filter((r) => alive.has(r)));
    const ok = outcome.failed.length === 0 && outcome.skipped.length === 0;
    return d.summary(ok, remaining, {});
  });
}

export { nameOfUrn };
