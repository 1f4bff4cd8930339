/**
 * Pulumi runtime harness: runs a package through Pulumi's own Node runtime pieces the way a user's
 * installation would, without the Pulumi CLI (see shared/docs/pulumi-dynamic.md §3 and §4.2).
 *
 *   packPackage(): Promise<string>
 *       `npm run build` + `npm pack` of this repo, once per test process; returns the .tgz path.
 *   packDirectory(dir, destDir?): Promise<string>
 *       `npm pack` of any package directory (e.g. a throwaway fake package written by a test).
 *   listTarball(tgz): Promise<string[]>
 *       Paths inside a tarball, without npm's "package/" prefix.
 *   createProject({ tarballs, name?, extraDeps? }): Promise<Project>
 *       A temp dir with package.json + Pulumi.yaml where `npm install --prefer-offline <tarballs>
 *       @pulumi/pulumi@<repo's version>` was run. Share one Project across the tests of a file.
 *     project.install(tarball)            install another tarball into it (an upgrade between up and destroy)
 *     project.resolve(specifier)          require.resolve from the project dir
 *     project.runNode(script, env?)       `node -e script` with cwd = project (require resolves from there)
 *     project.serializeProvider(subpath, packageName?)
 *                                         the `__provider` blob dynamic.Resource would store for the module
 *                                         `<package>/<subpath>`: serializeFunction(() => provider, {allowSecrets})
 *     project.startProvider(env?, opts?)  spawns node_modules/@pulumi/pulumi/cmd/dynamic-provider as the engine
 *                                         does, sends Configure(opts.config ?? {}) as the engine always does,
 *                                         and returns a connected ProviderProcess (opts.callTimeoutMs: deadline)
 *     project.dispose()                   kills its providers and deletes the dir
 *   ProviderProcess: getPluginInfo, configure, check, diff, create, read, update, delete, stdout, stderr,
 *       waitForLine, kill, close. A failed call rejects with ProviderCallError {grpcCode, message (= gRPC
 *       details), initFailure?: {id, properties, reasons}} decoded from grpc-status-details-bin.
 *   dynamicType(type, module?)  the type token dynamic.Resource registers: pulumi-nodejs:dynamic[/<module>]:<type>
 *   urn(type, name, project = "proj", stack = "dev")
 *   secretEnvelope(v), isSecretEnvelope(v)   Pulumi's wire form of a secret, passed through Structs unchanged
 *   harnessTimings                           {label, ms} of every pack/install/start/call, for reports
 *   makeTempDir(prefix)                      a temp dir that cleanupHarness() removes
 *   cleanupHarness()                         kill every spawned process, remove every temp dir; call it in afterAll
 *
 * The gRPC client, protobuf classes and google-protobuf all come from the *project's* node_modules, not the
 * repo's, so the wire code is the one a user's installation runs. Every gRPC call has a deadline, process
 * start has a timeout. Temp dirs live in one session dir per process, removed by cleanupHarness(), at
 * process exit, or by the next session once the owning pid is gone (PULUMI_HARNESS_KEEP=1 keeps them);
 * providers also exit by themselves when the test process dies (stdin watchdog).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as GrpcJs from "@grpc/grpc-js";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as ProviderGrpcPb from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as ProviderPb from "@pulumi/pulumi/proto/provider_pb";
import type * as PluginPb from "@pulumi/pulumi/proto/plugin_pb";
import type * as StatusPb from "@pulumi/pulumi/proto/status_pb";
import { cleanupSession, killTree, makeTempDir, npmEnv, removeTempDir, run, trackChild, withFileLock, type RunResult } from "./harness-proc";

export { makeTempDir, removeTempDir } from "./harness-proc";

const MINUTE = 60_000;
const BUILD_TIMEOUT_MS = 5 * MINUTE;
const PACK_TIMEOUT_MS = 2 * MINUTE;
const INSTALL_TIMEOUT_MS = 5 * MINUTE;
const NODE_SCRIPT_TIMEOUT_MS = MINUTE;
const PROVIDER_START_TIMEOUT_MS = 30_000;
const DEFAULT_CALL_TIMEOUT_MS = MINUTE;
const CLOSE_GRACE_MS = 5_000;

// ---------------------------------------------------------------------------------------------- timings

export interface Timing {
  label: string;
  ms: number;
}
export const harnessTimings: Timing[] = [];

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    harnessTimings.push({ label, ms: Date.now() - t0 });
  }
}

// ---------------------------------------------------------------------------------------- type tokens

/** Mirrors `dynamic.Resource`'s constructor in @pulumi/pulumi/dynamic/index.js (3.270). */
export const dynamicType = (type = "Resource", module?: string): string =>
  `pulumi-nodejs:dynamic${module ? `/${module}` : ""}:${type}`;

export const urn = (type: string, name: string, project = "proj", stack = "dev"): string =>
  `urn:pulumi:${stack}::${project}::${type}::${name}`;

/** The engine sends name and type alongside the URN; recover them the way the URN grammar defines them. */
export function parseUrn(u: string): { stack: string; project: string; type: string; name: string } {
  const m = /^urn:pulumi:([^:]*)::([^:]*)::(.*?)::(.*)$/.exec(u);
  if (!m) throw new Error(`not a Pulumi URN: ${u}`);
  const qualifiedType = m[3];
  return { stack: m[1], project: m[2], type: qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1), name: m[4] };
}

// ------------------------------------------------------------------------------------------- secrets

export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export interface SecretEnvelope {
  [SECRET_SIG_KEY]: typeof SECRET_SIG_VALUE;
  value: unknown;
}
export const secretEnvelope = (value: unknown): SecretEnvelope => ({ [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value });
export const isSecretEnvelope = (v: unknown): v is SecretEnvelope =>
  typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG_VALUE;

// ------------------------------------------------------------------------------------------- packing

export type Props = Record<string, unknown>;

function findRepoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  }
}
export const repoRoot: string = findRepoRoot();

function repoPackageJson(): { name: string; dependencies?: Record<string, string> } {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
}

/** The exact @pulumi/pulumi the package is built against, so installs test that version. */
export function pulumiVersion(): string {
  const v = repoPackageJson().dependencies?.["@pulumi/pulumi"];
  if (!v) throw new Error(`${repoRoot}/package.json has no dependency on @pulumi/pulumi`);
  return v;
}

/**
 * `npm pack` of a directory. --ignore-scripts because `prepare` would otherwise rebuild on every pack,
 * and packPackage() has already built under the lock.
 */
export async function packDirectory(dir: string, destDir: string = makeTempDir("pack")): Promise<string> {
  const res = await timed(`npm pack ${path.basename(dir)}`, () =>
    run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", destDir], { cwd: dir, env: npmEnv(), timeoutMs: PACK_TIMEOUT_MS }),
  );
  const [info] = JSON.parse(res.stdout) as { filename: string }[];
  const tgz = path.join(destDir, info.filename);
  if (!fs.existsSync(tgz)) throw new Error(`npm pack reported ${info.filename} but ${tgz} does not exist`);
  return tgz;
}

let packedRepo: Promise<string> | undefined;

/**
 * Builds and packs this repo once per test process. Vitest workers are separate processes that share the
 * repo's dist/, so build+pack is serialized across them by a lock keyed on the repo path; each process
 * packs into its own temp dir.
 */
export function packPackage(): Promise<string> {
  packedRepo ??= (async () => {
    const key = createHash("sha1").update(repoRoot).digest("hex").slice(0, 12);
    return withFileLock(`build-${key}`, BUILD_TIMEOUT_MS + PACK_TIMEOUT_MS, async () => {
      await timed("npm run build", () => run("npm", ["run", "build"], { cwd: repoRoot, env: npmEnv(), timeoutMs: BUILD_TIMEOUT_MS }));
      return packDirectory(repoRoot);
    });
  })();
  // A build broken by work in progress should not poison the cache for a later retry.
  packedRepo.catch(() => (packedRepo = undefined));
  return packedRepo;
}

/**
 * Kills every process the harness started and deletes all its temp dirs (packed tarballs included).
 * Call it from a file-level afterAll: vitest may SIGTERM a worker, and then no exit hook runs (a later
 * session sweeps such leftovers by dead pid, but only later).
 */
export async function cleanupHarness(): Promise<void> {
  packedRepo = undefined;
  await cleanupSession();
}

export async function listTarball(tgz: string): Promise<string[]> {
  const { stdout } = await run("tar", ["-tzf", tgz], { cwd: path.dirname(tgz), timeoutMs: MINUTE });
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((p) => p.replace(/^package\//, ""));
}

async function tarballPackageName(tgz: string): Promise<string> {
  const { stdout } = await run("tar", ["-xzOf", tgz, "package/package.json"], { cwd: path.dirname(tgz), timeoutMs: MINUTE });
  return (JSON.parse(stdout) as { name: string }).name;
}

// ------------------------------------------------------------------------------------------- project

export interface CreateProjectOptions {
  /** Package tarballs to install, as a user would `npm install ./x.tgz`. */
  tarballs: string[];
  /** Pulumi project name (Pulumi.yaml `name`, PULUMI_NODEJS_PROJECT, config key prefix). Default "proj". */
  name?: string;
  /** More dependencies, name → version spec. */
  extraDeps?: Record<string, string>;
}

export interface StartProviderOptions {
  /**
   * Sent as Configure right after start, as the engine always does before any CRUD call (default {}).
   * `false` skips it; the SDK's dynamic provider then hands `configure()` a Config over undefined.
   */
  config?: Record<string, string> | false;
  /** Deadline for each gRPC call; a hanging provider method then fails with DEADLINE_EXCEEDED (4). */
  callTimeoutMs?: number;
  startTimeoutMs?: number;
}

export async function createProject(opts: CreateProjectOptions): Promise<Project> {
  const name = opts.name ?? "proj";
  const dir = makeTempDir(`project-${name.replace(/[^a-zA-Z0-9_-]/g, "_")}`);
  try {
    // The npm name must differ from every dependency's name, or npm refuses to install it into itself.
    const npmName = `${name.toLowerCase().replace(/[^a-z0-9-]/g, "-")}-pulumi-program`;
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: npmName, version: "0.0.0", private: true, main: "index.js" }, null, 2));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\ndescription: pulumi-harness test project\n`);
    const project = new Project(dir, name, opts.tarballs[0] ? await tarballPackageName(opts.tarballs[0]) : undefined);
    const deps = [...opts.tarballs, `@pulumi/pulumi@${pulumiVersion()}`, ...Object.entries(opts.extraDeps ?? {}).map(([k, v]) => `${k}@${v}`)];
    await project.npmInstall(deps, `npm install (${path.basename(dir)})`);
    return project;
  } catch (e) {
    await removeTempDir(dir);
    throw e;
  }
}

/** Modules loaded from the project's own @pulumi/pulumi, so the classes match what the provider runs. */
interface SdkModules {
  grpc: typeof GrpcJs;
  providerGrpc: typeof ProviderGrpcPb;
  providerPb: typeof ProviderPb;
  pluginPb: typeof PluginPb;
  statusPb: typeof StatusPb;
  structPb: typeof StructPb;
  emptyPb: typeof EmptyPb;
  providerMain: string;
}

export class Project {
  /** One entry per npm install, including npm's stderr (EBADENGINE warnings and the like). */
  readonly installs: RunResult[] = [];
  private readonly providers = new Set<ProviderProcess>();
  private sdk?: SdkModules;
  private supportDir?: string;

  constructor(
    readonly dir: string,
    readonly name: string,
    /** The package of the first tarball: the default for serializeProvider(). */
    readonly packageName: string | undefined,
  ) {}

  /** @internal used by createProject */
  async npmInstall(specs: string[], label: string): Promise<void> {
    const args = ["install", "--no-audit", "--no-fund", "--prefer-offline", ...specs];
    this.installs.push(await timed(label, () => run("npm", args, { cwd: this.dir, env: npmEnv(), timeoutMs: INSTALL_TIMEOUT_MS })));
  }

  /** Installs another tarball over the current one. Use a new tarball path for each version. */
  install(tarball: string): Promise<void> {
    return this.npmInstall([tarball], `npm install ${path.basename(tarball)}`);
  }

  resolve(specifier: string): string {
    return createRequire(path.join(this.dir, "package.json")).resolve(specifier);
  }

  /** Runs `node -e script` in the project dir, as a program there would run. */
  runNode(script: string, env: Record<string, string> = {}): Promise<RunResult> {
    return run(process.execPath, ["-e", script], { cwd: this.dir, env: { ...process.env, ...env }, timeoutMs: NODE_SCRIPT_TIMEOUT_MS });
  }

  /**
   * The `__provider` text dynamic.Resource would store when given the exports of `<package>/<subpath>`
   * as its provider: it runs exactly `serializeFunction(() => provider, {allowSecrets: true})`, in a
   * fresh process so the module is loaded from node_modules as in a user's program.
   */
  async serializeProvider(moduleSubpath: string, packageName = this.packageName): Promise<string> {
    if (!packageName) throw new Error("serializeProvider: the project has no tarball package; pass packageName");
    const specifier = moduleSubpath ? `${packageName}/${moduleSubpath.replace(/^\.?\//, "")}` : packageName;
    const marker = "__PULUMI_HARNESS_BLOB__";
    const script = `
      const pulumi = require("@pulumi/pulumi");
      const provider = require(process.env.HARNESS_MODULE);
      pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true }).then(
        (sf) => process.stdout.write("\\n${marker}" + JSON.stringify(sf.text) + "\\n"),
        (e) => { console.error(e && e.stack || String(e)); process.exit(1); });`;
    const { stdout } = await timed(`serializeProvider ${specifier}`, () => this.runNode(script, { HARNESS_MODULE: specifier }));
    const line = stdout.split("\n").find((l) => l.startsWith(marker));
    if (!line) throw new Error(`serializeProvider(${specifier}) printed no blob:\n${stdout}`);
    return JSON.parse(line.slice(marker.length)) as string;
  }

  /**
   * Starts `node <project>/node_modules/@pulumi/pulumi/cmd/dynamic-provider 127.0.0.1:1` like the engine's
   * pulumi-resource-pulumi-nodejs plugin: cwd = project dir, PULUMI_NODEJS_PROJECT set, inherited env.
   * The engine address argument is required but never dialled.
   */
  async startProvider(env: Record<string, string> = {}, opts: StartProviderOptions = {}): Promise<ProviderProcess> {
    const sdk = this.loadSdk();
    // Preloaded so the provider exits when its stdin pipe closes, i.e. when this process dies without
    // cleaning up; it leaves the provider's own main module and argv exactly as the engine runs them.
    const watchdog = path.join(this.ensureSupportDir(), "stdin-watchdog.js");
    const child = trackChild(
      spawn(process.execPath, ["--require", watchdog, sdk.providerMain, "127.0.0.1:1"], {
        cwd: this.dir,
        env: { ...process.env, PULUMI_NODEJS_PROJECT: this.name, ...env },
        stdio: ["pipe", "pipe", "pipe"],
      }),
    );
    const p = await timed("provider start", () =>
      ProviderProcess.connect(child, sdk, this.name, opts.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, opts.startTimeoutMs ?? PROVIDER_START_TIMEOUT_MS),
    );
    this.providers.add(p);
    p.exited.then(() => this.providers.delete(p));
    if (opts.config !== false) await p.configure(opts.config ?? {});
    return p;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.providers].map((p) => p.kill()));
    await removeTempDir(this.dir);
  }

  private ensureSupportDir(): string {
    if (!this.supportDir) {
      this.supportDir = path.join(this.dir, ".harness");
      fs.mkdirSync(this.supportDir, { recursive: true });
      fs.writeFileSync(
        path.join(this.supportDir, "stdin-watchdog.js"),
        `"use strict";\nprocess.stdin.on("end", () => process.exit(0));\nprocess.stdin.on("error", () => process.exit(0));\nprocess.stdin.resume();\n`,
      );
    }
    return this.supportDir;
  }

  private loadSdk(): SdkModules {
    if (!this.sdk) {
      const projectRequire = createRequire(path.join(this.dir, "package.json"));
      // @grpc/grpc-js and google-protobuf are resolved next to @pulumi/pulumi so they are the very copies its
      // generated proto code uses (grpc-js checks credentials with instanceof).
      const sdkRequire = createRequire(projectRequire.resolve("@pulumi/pulumi/package.json"));
      this.sdk = {
        grpc: sdkRequire("@grpc/grpc-js"),
        providerGrpc: sdkRequire("./proto/provider_grpc_pb"),
        providerPb: sdkRequire("./proto/provider_pb"),
        pluginPb: sdkRequire("./proto/plugin_pb"),
        statusPb: sdkRequire("./proto/status_pb"),
        structPb: sdkRequire("google-protobuf/google/protobuf/struct_pb"),
        emptyPb: sdkRequire("google-protobuf/google/protobuf/empty_pb"),
        providerMain: sdkRequire.resolve("./cmd/dynamic-provider"),
      };
    }
    return this.sdk;
  }
}

// ----------------------------------------------------------------------------------- provider process

export interface InitFailure {
  id: string;
  properties: Props;
  reasons: string[];
}

/** A failed provider RPC. `message` is exactly the gRPC status details, which is what the engine shows. */
export class ProviderCallError extends Error {
  constructor(
    readonly method: string,
    readonly grpcCode: number,
    readonly grpcCodeName: string,
    details: string,
    readonly initFailure?: InitFailure,
  ) {
    super(details);
    this.name = "ProviderCallError";
  }
  get details(): string {
    return this.message;
  }
}

export interface CheckResult {
  inputs: Props;
  failures: { property: string; reason: string }[];
}

export interface DiffResult {
  changes: "unknown" | "none" | "some";
  replaces: string[];
  stables: string[];
  deleteBeforeReplace: boolean;
  diffs: string[];
  hasDetailedDiff: boolean;
}

export interface ConfigureResult {
  acceptSecrets: boolean;
  supportsPreview: boolean;
  acceptResources: boolean;
}

type Stream = "stdout" | "stderr";

export class ProviderProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly lineWaiters = new Set<() => void>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly sdk: SdkModules,
    private readonly client: ProviderGrpcPb.ResourceProviderClient,
    readonly port: number,
    readonly projectName: string,
    private readonly callTimeoutMs: number,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
      else child.once("exit", (code, signal) => resolve({ code, signal }));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** @internal */
  static connect(child: ChildProcess, sdk: SdkModules, projectName: string, callTimeoutMs: number, startTimeoutMs: number): Promise<ProviderProcess> {
    return new Promise((resolve, reject) => {
      let provider: ProviderProcess | undefined;
      let settled = false;
      const earlyStderr: string[] = [];
      const push = (stream: Stream, line: string): void => {
        if (provider) provider.pushLine(stream, line);
        else if (settled) return;
        else if (stream === "stdout") onPortLine(line);
        else earlyStderr.push(line);
      };
      const onPortLine = (line: string): void => {
        settled = true;
        const port = Number(line.trim());
        if (!Number.isInteger(port) || port <= 0) return fail(`expected a port on the first stdout line, got ${JSON.stringify(line)}`);
        clearTimeout(timer);
        const client = new sdk.providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, sdk.grpc.credentials.createInsecure());
        provider = new ProviderProcess(child, sdk, client, port, projectName, callTimeoutMs);
        for (const l of earlyStderr) provider.pushLine("stderr", l);
        resolve(provider);
      };
      const fail = (why: string): void => {
        settled = true;
        clearTimeout(timer);
        killTree(child, "SIGKILL");
        reject(new Error(`dynamic-provider failed to start: ${why}\nstderr:\n${earlyStderr.join("\n")}`));
      };
      const timer = setTimeout(() => fail(`no port after ${startTimeoutMs} ms`), startTimeoutMs);
      splitLines(child.stdout, (l) => push("stdout", l));
      splitLines(child.stderr, (l) => push("stderr", l));
      child.once("error", (e) => fail(e.message));
      child.once("exit", (code, signal) => {
        if (!provider) fail(`exited with ${code ?? signal} before printing its port`);
      });
    });
  }

  private pushLine(stream: Stream, line: string): void {
    this[stream].push(line);
    for (const w of this.lineWaiters) w();
  }

  /**
   * Provider output travels on pipes separate from the gRPC reply, so a line logged inside a call can
   * arrive after the call returns: wait for it rather than asserting immediately.
   */
  waitForLine(stream: Stream, match: string | RegExp, timeoutMs = 5_000): Promise<string> {
    const find = (): string | undefined => this[stream].find((l) => (typeof match === "string" ? l.includes(match) : match.test(l)));
    const hit = find();
    if (hit !== undefined) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.lineWaiters.delete(check);
      };
      const check = (): void => {
        const l = find();
        if (l !== undefined) {
          done();
          resolve(l);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${stream} line matching ${match} within ${timeoutMs} ms; got:\n${this[stream].join("\n")}`));
      }, timeoutMs);
      this.lineWaiters.add(check);
    });
  }

  async getPluginInfo(): Promise<{ version: string }> {
    const res = await this.call<PluginPb.PluginInfo>("getPluginInfo", new this.sdk.emptyPb.Empty());
    return { version: res.getVersion() };
  }

  /**
   * Config keys fully qualified (`proj:region`), values already decrypted, as the engine sends them. The
   * provider only stores the map; a blob's `configure()` sees it when that blob is first loaded, so call
   * this before the first CRUD call (it replaces the map startProvider sent).
   */
  async configure(config: Record<string, string>): Promise<ConfigureResult> {
    const req = new this.sdk.providerPb.ConfigureRequest();
    req.setArgs(this.toStruct(config));
    const vars = req.getVariablesMap();
    for (const [k, v] of Object.entries(config)) vars.set(k, v);
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    const res = await this.call<ProviderPb.ConfigureResponse>("configure", req);
    return { acceptSecrets: res.getAcceptsecrets(), supportsPreview: res.getSupportspreview(), acceptResources: res.getAcceptresources() };
  }

  /** `urnOrName` is a URN, or a name that is turned into one with `type`, this project and stack "dev". */
  async check(urnOrName: string, type: string, olds: Props, news: Props): Promise<CheckResult> {
    const u = urnOrName.startsWith("urn:") ? urnOrName : urn(type, urnOrName, this.projectName);
    const req = new this.sdk.providerPb.CheckRequest();
    req.setUrn(u);
    req.setName(parseUrn(u).name);
    req.setType(type);
    req.setOlds(this.toStruct(olds));
    req.setNews(this.toStruct(news));
    const res = await this.call<ProviderPb.CheckResponse>("check", req);
    return {
      inputs: fromStruct(res.getInputs()),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  /** `olds` are the old outputs, `news` the new checked inputs (DiffRequest semantics). */
  async diff(id: string, u: string, olds: Props, news: Props, oldInputs: Props = {}): Promise<DiffResult> {
    const req = new this.sdk.providerPb.DiffRequest();
    this.setTarget(req, u);
    req.setId(id);
    req.setOlds(this.toStruct(olds));
    req.setNews(this.toStruct(news));
    req.setOldInputs(this.toStruct(oldInputs));
    const res = await this.call<ProviderPb.DiffResponse>("diff", req);
    const C = this.sdk.providerPb.DiffResponse.DiffChanges;
    const changes = res.getChanges();
    return {
      changes: changes === C.DIFF_SOME ? "some" : changes === C.DIFF_NONE ? "none" : "unknown",
      replaces: res.getReplacesList(),
      stables: res.getStablesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
      diffs: res.getDiffsList(),
      hasDetailedDiff: res.getHasdetaileddiff(),
    };
  }

  async create(u: string, properties: Props, opts: { timeout?: number; preview?: boolean } = {}): Promise<{ id: string; outputs: Props }> {
    const req = new this.sdk.providerPb.CreateRequest();
    this.setTarget(req, u);
    req.setProperties(this.toStruct(properties));
    if (opts.timeout !== undefined) req.setTimeout(opts.timeout);
    if (opts.preview !== undefined) req.setPreview(opts.preview);
    const res = await this.call<ProviderPb.CreateResponse>("create", req);
    return { id: res.getId(), outputs: fromStruct(res.getProperties()) };
  }

  async read(id: string, u: string, properties: Props, inputs: Props = {}): Promise<{ id: string; outputs: Props; inputs: Props }> {
    const req = new this.sdk.providerPb.ReadRequest();
    this.setTarget(req, u);
    req.setId(id);
    req.setProperties(this.toStruct(properties));
    req.setInputs(this.toStruct(inputs));
    const res = await this.call<ProviderPb.ReadResponse>("read", req);
    return { id: res.getId(), outputs: fromStruct(res.getProperties()), inputs: fromStruct(res.getInputs()) };
  }

  /** `olds` are the old outputs, `news` the new checked inputs. */
  async update(id: string, u: string, olds: Props, news: Props, oldInputs: Props = {}): Promise<{ outputs: Props }> {
    const req = new this.sdk.providerPb.UpdateRequest();
    this.setTarget(req, u);
    req.setId(id);
    req.setOlds(this.toStruct(olds));
    req.setNews(this.toStruct(news));
    req.setOldInputs(this.toStruct(oldInputs));
    const res = await this.call<ProviderPb.UpdateResponse>("update", req);
    return { outputs: fromStruct(res.getProperties()) };
  }

  /**
   * The engine sends the last *outputs* from state as `properties`; the Node provider runs the
   * `__provider` found there and ignores `oldInputs`.
   */
  async delete(id: string, u: string, outputs: Props, oldInputs: Props = {}, opts: { timeout?: number } = {}): Promise<void> {
    const req = new this.sdk.providerPb.DeleteRequest();
    this.setTarget(req, u);
    req.setId(id);
    req.setProperties(this.toStruct(outputs));
    req.setOldInputs(this.toStruct(oldInputs));
    if (opts.timeout !== undefined) req.setTimeout(opts.timeout);
    await this.call<EmptyPb.Empty>("delete", req);
  }

  /** Hard stop, as when the engine dies. */
  async kill(): Promise<void> {
    this.client.close();
    killTree(this.child, "SIGKILL");
    await this.exited;
  }

  /** Graceful stop: closing stdin lets the watchdog exit the process; SIGKILL if it does not in time. */
  async close(): Promise<void> {
    this.client.close();
    this.child.stdin?.end();
    const timer = setTimeout(() => killTree(this.child, "SIGKILL"), CLOSE_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  private setTarget(req: { setUrn(v: string): unknown; setName(v: string): unknown; setType(v: string): unknown }, u: string): void {
    const { name, type } = parseUrn(u);
    req.setUrn(u);
    req.setName(name);
    req.setType(type);
  }

  private toStruct(v: Props): StructPb.Struct {
    return this.sdk.structPb.Struct.fromJavaScript(stripUndefined(v) as Record<string, StructPb.JavaScriptValue>);
  }

  private call<Res>(method: string, req: unknown): Promise<Res> {
    return timed(`provider.${method}`, () => {
      const metadata = new this.sdk.grpc.Metadata();
      const options = { deadline: Date.now() + this.callTimeoutMs };
      const fn = (this.client as unknown as Record<string, Function>)[method];
      return new Promise<Res>((resolve, reject) => {
        fn.call(this.client, req, metadata, options, (err: GrpcJs.ServiceError | null, res: Res) =>
          err ? reject(this.toCallError(method, err)) : resolve(res),
        );
      });
    });
  }

  private toCallError(method: string, err: GrpcJs.ServiceError): ProviderCallError {
    const codeName = this.sdk.grpc.status[err.code] ?? String(err.code);
    let initFailure: InitFailure | undefined;
    for (const bin of err.metadata?.get("grpc-status-details-bin") ?? []) {
      const status = this.sdk.statusPb.Status.deserializeBinary(typeof bin === "string" ? Buffer.from(bin, "base64") : new Uint8Array(bin));
      for (const any of status.getDetailsList()) {
        const f = any.unpack(this.sdk.providerPb.ErrorResourceInitFailed.deserializeBinary, "pulumirpc.ErrorResourceInitFailed");
        if (f) initFailure = { id: f.getId(), properties: fromStruct(f.getProperties()), reasons: f.getReasonsList() };
      }
    }
    return new ProviderCallError(method, err.code, codeName, err.details, initFailure);
  }
}

function fromStruct(s: StructPb.Struct | undefined): Props {
  return s ? (s.toJavaScript() as Props) : {};
}

/** Struct.fromJavaScript throws on undefined; drop such keys as JSON (and the engine) would. */
function stripUndefined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : stripUndefined(x)));
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = stripUndefined(x);
    return out;
  }
  return v;
}

function splitLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let buf = "";
  stream.setEncoding("utf8");
  stream.on("data", (d: string) => {
    buf += d;
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      onLine(buf.slice(0, nl).replace(/\r$/, ""));
      buf = buf.slice(nl + 1);
    }
  });
  stream.on("end", () => {
    if (buf) onLine(buf);
    buf = "";
  });
}
