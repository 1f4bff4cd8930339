// Runs a Pulumi program the way pulumi-language-nodejs does: the real @pulumi/pulumi/cmd/run, given the addresses of
// a ResourceMonitor and an Engine gRPC server. Here both servers are this process; each RegisterResource request
// is handed to the engine (engine.ts), which answers with the resource's URN, id and outputs.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as GrpcJs from "@grpc/grpc-js";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as ResourceGrpcPb from "@pulumi/pulumi/proto/resource_grpc_pb";
import type * as ResourcePb from "@pulumi/pulumi/proto/resource_pb";
import type * as EngineGrpcPb from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as EnginePb from "@pulumi/pulumi/proto/engine_pb";
import { killTree, trackChild } from "../../test/support/harness-proc";
import type { ProjectInfo } from "./project";
import type { Props } from "./state";

export interface RegisterRequest {
  type: string;
  name: string;
  parent: string;
  custom: boolean;
  object: Props;
  dependencies: string[];
  provider: string;
  /** The package version a resource asks its default provider to have (@pulumi/alicloud sets it). */
  version: string;
  deleteBeforeReplace: boolean;
  ignoreChanges: string[];
  protect?: boolean;
  retainOnDelete?: boolean;
  /** The URN of the resource whose deletion also deletes this one (the deletedWith option). */
  deletedWith?: string;
  /** customTimeouts.delete, a Go duration string such as "30m". */
  deleteTimeout?: string;
  additionalSecretOutputs: string[];
  /** Resource options the local engine does not implement that this request uses. */
  unsupported: string[];
}

export interface RegisterReply {
  urn: string;
  id?: string;
  outputs: Props;
}

/** Thrown by a handler to cancel the program, as the engine does after a failed step. */
export class CancelledError extends Error {
  constructor(message = "the deployment was cancelled after an error") {
    super(message);
    this.name = "CancelledError";
  }
}

export type LogSeverity = "debug" | "info" | "warning" | "error";

export interface MonitorHandlers {
  registerResource(req: RegisterRequest): Promise<RegisterReply>;
  registerResourceOutputs(urn: string, outputs: Props): void;
  log(severity: LogSeverity, message: string, urn: string): void;
}

interface EngineSdk {
  grpc: typeof GrpcJs;
  resourceGrpc: typeof ResourceGrpcPb;
  resourcePb: typeof ResourcePb;
  engineGrpc: typeof EngineGrpcPb;
  enginePb: typeof EnginePb;
  structPb: typeof StructPb;
  emptyPb: typeof EmptyPb;
  runMain: string;
}

/**
 * The project's own @pulumi/pulumi, and the @grpc/grpc-js and google-protobuf next to it: the proto classes of the
 * program and of the servers must be the very same copies (grpc-js checks them with instanceof).
 */
export function loadSdk(pwd: string): EngineSdk {
  let sdkPackage: string;
  try {
    sdkPackage = createRequire(path.join(pwd, "package.json")).resolve("@pulumi/pulumi/package.json");
  } catch {
    throw new Error(`@pulumi/pulumi is not installed where the program runs (${pwd}); run npm install there`);
  }
  const sdkRequire = createRequire(sdkPackage);
  return {
    grpc: sdkRequire("@grpc/grpc-js"),
    resourceGrpc: sdkRequire("./proto/resource_grpc_pb"),
    resourcePb: sdkRequire("./proto/resource_pb"),
    engineGrpc: sdkRequire("./proto/engine_grpc_pb"),
    enginePb: sdkRequire("./proto/engine_pb"),
    structPb: sdkRequire("google-protobuf/google/protobuf/struct_pb"),
    emptyPb: sdkRequire("google-protobuf/google/protobuf/empty_pb"),
    runMain: sdkRequire.resolve("./cmd/run"),
  };
}

/** Struct.fromJavaScript rejects undefined; drop such keys as JSON would. */
export function stripUndefined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : stripUndefined(x)));
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = stripUndefined(x);
    return out;
  }
  return v;
}

// The monitor answers what the engine answers for a Node program without plugins: secrets and deletedWith yes, the
// rest no, so the SDK falls back to the plain forms (URNs instead of resource references, computed aliases, no
// transforms).
const SUPPORTED_FEATURES = new Set(["secrets", "deletedWith"]);

// The engine's limit (rpcutil.MaxRPCMessageSize): provider blobs and outputs can be large.
const MAX_MESSAGE = 400 * 1024 * 1024;

export interface ProgramRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

export interface RunProgramOptions {
  project: ProjectInfo;
  stack: string;
  handlers: MonitorHandlers;
  /** Added to this process's environment (config variables included). */
  env: Record<string, string>;
  parallel: number;
  timeoutMs: number;
  onOutput(stream: "stdout" | "stderr", line: string): void;
}

export async function runProgram(o: RunProgramOptions): Promise<ProgramRun> {
  const sdk = loadSdk(o.project.pwd);
  const { grpc, structPb, emptyPb, resourcePb, enginePb } = sdk;
  const fail = (code: GrpcJs.status, details: string): Partial<GrpcJs.StatusObject> => ({ code, details });
  const toStruct = (p: Props): StructPb.Struct => structPb.Struct.fromJavaScript(stripUndefined(p) as Record<string, StructPb.JavaScriptValue>);
  let rootUrn = "";

  const monitor: Partial<ResourceGrpcPb.IResourceMonitorServer> = {
    supportsFeature(call, cb) {
      const res = new resourcePb.SupportsFeatureResponse();
      res.setHassupport(SUPPORTED_FEATURES.has(call.request.getId()));
      cb(null, res);
    },
    registerResource(call, cb) {
      const r = call.request;
      const unsupported: string[] = [];
      if (r.getAliasesList().length || r.getAliasurnsList().length) unsupported.push("aliases");
      if (r.getImportid()) unsupported.push("import");
      if (r.getReplaceonchangesList().length) unsupported.push("replaceOnChanges");
      if (r.getRemote()) unsupported.push("remote components");
      const propertyDeps = [...r.getPropertydependenciesMap().entries()].flatMap(([, deps]) => deps.getUrnsList());
      const req: RegisterRequest = {
        type: r.getType(),
        name: r.getName(),
        parent: r.getParent(),
        custom: r.getCustom(),
        object: (r.getObject()?.toJavaScript() ?? {}) as Props,
        dependencies: [...new Set([...r.getDependenciesList(), ...propertyDeps])],
        provider: r.getProvider(),
        version: r.getVersion(),
        deleteBeforeReplace: r.getDeletebeforereplace(),
        ignoreChanges: r.getIgnorechangesList(),
        protect: r.getProtect(),
        retainOnDelete: r.getRetainondelete(),
        deletedWith: r.getDeletedwith() || undefined,
        deleteTimeout: r.getCustomtimeouts()?.getDelete() || undefined,
        additionalSecretOutputs: r.getAdditionalsecretoutputsList(),
        unsupported,
      };
      o.handlers.registerResource(req).then(
        (reply) => {
          const res = new resourcePb.RegisterResourceResponse();
          res.setUrn(reply.urn);
          if (reply.id) res.setId(reply.id);
          res.setObject(toStruct(reply.outputs));
          cb(null, res);
        },
        // CANCELLED makes the SDK stop issuing calls quietly ("Resource monitor is terminating"), as when the
        // engine cancels a program after a failed step; the failure itself is reported by the engine.
        (e: Error) => cb(fail(e instanceof CancelledError ? grpc.status.CANCELLED : grpc.status.UNKNOWN, e.message)),
      );
    },
    registerResourceOutputs(call, cb) {
      o.handlers.registerResourceOutputs(call.request.getUrn(), (call.request.getOutputs()?.toJavaScript() ?? {}) as Props);
      cb(null, new emptyPb.Empty());
    },
    invoke(call, cb) {
      cb(fail(grpc.status.UNIMPLEMENTED, `the local engine runs no provider plugins, so it cannot invoke ${call.request.getTok()}`));
    },
    call(call, cb) {
      cb(fail(grpc.status.UNIMPLEMENTED, `the local engine runs no provider plugins, so it cannot call ${call.request.getTok()}`));
    },
    readResource(call, cb) {
      cb(fail(grpc.status.UNIMPLEMENTED, `the local engine does not read existing resources (${call.request.getType()} ${call.request.getName()})`));
    },
    signalAndWaitForShutdown(_call, cb) {
      cb(null, new emptyPb.Empty());
    },
  };

  const engine: Partial<EngineGrpcPb.IEngineServer> = {
    log(call, cb) {
      const r = call.request;
      const S = enginePb.LogSeverity;
      const severity: LogSeverity = r.getSeverity() === S.ERROR ? "error" : r.getSeverity() === S.WARNING ? "warning" : r.getSeverity() === S.INFO ? "info" : "debug";
      o.handlers.log(severity, r.getMessage(), r.getUrn());
      cb(null, new emptyPb.Empty());
    },
    getRootResource(_call, cb) {
      const res = new enginePb.GetRootResourceResponse();
      res.setUrn(rootUrn);
      cb(null, res);
    },
    setRootResource(call, cb) {
      rootUrn = call.request.getUrn();
      cb(null, new enginePb.SetRootResourceResponse());
    },
    requirePulumiVersion(_call, cb) {
      cb(null, new enginePb.RequirePulumiVersionResponse());
    },
  };

  const server = new grpc.Server({ "grpc.max_receive_message_length": MAX_MESSAGE, "grpc.max_send_message_length": MAX_MESSAGE });
  server.addService(sdk.resourceGrpc.ResourceMonitorService, monitor as GrpcJs.UntypedServiceImplementation);
  server.addService(sdk.engineGrpc.EngineService, engine as GrpcJs.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  const address = `127.0.0.1:${port}`;
  try {
    return await spawnProgram(o, sdk.runMain, address);
  } finally {
    server.forceShutdown();
  }
}

function spawnProgram(o: RunProgramOptions, runMain: string, address: string): Promise<ProgramRun> {
  const p = o.project;
  // The flags pulumi-language-nodejs passes (constructArguments in its main.go).
  const args = [
    ...p.nodeargs,
    runMain,
    `--monitor=${address}`,
    `--engine=${address}`,
    "--organization=organization",
    `--project=${p.name}`,
    `--stack=${o.stack}`,
    `--pwd=${p.pwd}`,
    `--parallel=${o.parallel}`,
    p.entry,
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, ...o.env };
  if (p.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  if (p.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = p.tsconfig;
  const child = trackChild(spawn(process.execPath, args, { cwd: p.pwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true }));
  for (const stream of ["stdout", "stderr"] as const) {
    let buf = "";
    const pipe = child[stream]!; // stdio is "pipe"
    pipe.setEncoding("utf8");
    pipe.on("data", (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        o.onOutput(stream, buf.slice(0, nl).replace(/\r$/, ""));
        buf = buf.slice(nl + 1);
      }
    });
    pipe.on("end", () => buf && o.onOutput(stream, buf));
  }
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child, "SIGKILL");
    }, o.timeoutMs);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once("close", (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, timedOut });
    });
  });
}
