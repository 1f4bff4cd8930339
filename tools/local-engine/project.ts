// A Pulumi project and stack as the CLI reads them: Pulumi.yaml (name, runtime options, main, project config
// defaults) and Pulumi.<stack>.yaml (config, encryptionsalt), then --config overrides; secure values decrypted.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { StackSecrets } from "./secrets";

// js-yaml is a dependency of @pulumi/pulumi (it reads Pulumi.yaml in the Automation API), so it is always there.
const yaml = createRequire(require.resolve("@pulumi/pulumi/package.json"))("js-yaml") as { load(text: string): unknown };

export interface ProjectInfo {
  /** The directory holding Pulumi.yaml. */
  root: string;
  name: string;
  /**
   * Where the program runs and where the engine starts the provider process (getPwdMain in pkg/engine/project.go):
   * `main` when it is a directory, else the project root.
   */
  pwd: string;
  /** What cmd/run is given as the program: "." or the `main` file. */
  entry: string;
  typescript: boolean;
  tsconfig?: string;
  nodeargs: string[];
  /** Project-level config defaults, fully qualified. */
  defaults: Record<string, string>;
}

export class ProjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProjectError";
  }
}

function readYaml(file: string): Record<string, unknown> {
  const doc = yaml.load(fs.readFileSync(file, "utf8"));
  if (doc === undefined || doc === null) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) throw new ProjectError(`${file}: expected a YAML mapping`);
  return doc as Record<string, unknown>;
}

/** `region` → `<project>:region`; `alicloud:region` stays. */
export function qualifyKey(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** Config values reach programs as strings; structured values as JSON, as the CLI passes them. */
function configString(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

export function loadProject(cwd: string): ProjectInfo {
  const root = path.resolve(cwd);
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(root, f)).find((f) => fs.existsSync(f));
  if (!file) throw new ProjectError(`no Pulumi.yaml in ${root}`);
  const doc = readYaml(file);
  const name = doc.name;
  if (typeof name !== "string" || !name) throw new ProjectError(`${file}: "name" is required`);
  const runtime = doc.runtime;
  const runtimeName = typeof runtime === "string" ? runtime : (runtime as { name?: unknown } | undefined)?.name;
  if (runtimeName !== "nodejs") throw new ProjectError(`${file}: runtime must be nodejs (the local engine runs Node.js programs only), got ${JSON.stringify(runtimeName)}`);
  const options = (typeof runtime === "object" && runtime ? ((runtime as { options?: Record<string, unknown> }).options ?? {}) : {}) as Record<string, unknown>;

  let pwd = root;
  let entry = ".";
  if (typeof doc.main === "string" && doc.main) {
    if (path.isAbsolute(doc.main)) throw new ProjectError(`${file}: main must be a path relative to the project`);
    const main = path.resolve(root, doc.main);
    if (!main.startsWith(root)) throw new ProjectError(`${file}: main must be inside the project directory`);
    if (!fs.existsSync(main)) throw new ProjectError(`${file}: main ${doc.main} does not exist`);
    if (fs.statSync(main).isDirectory()) pwd = main;
    else entry = main;
  }

  const defaults: Record<string, string> = {};
  const projectConfig = (doc.config ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(projectConfig)) {
    const value = v && typeof v === "object" && !Array.isArray(v) ? (v as { default?: unknown; value?: unknown }).default ?? (v as { value?: unknown }).value : v;
    if (value !== undefined) defaults[qualifyKey(k, name)] = configString(value);
  }

  return {
    root,
    name,
    pwd,
    entry,
    typescript: options.typescript !== false,
    tsconfig: typeof options.tsconfig === "string" ? options.tsconfig : undefined,
    nodeargs: typeof options.nodeargs === "string" ? options.nodeargs.split(/\s+/).filter(Boolean) : [],
    defaults,
  };
}

export interface StackConfig {
  /** Fully qualified key → plain (decrypted) value. */
  values: Record<string, string>;
  /** The keys whose values are secret. */
  secretKeys: string[];
  /** Pulumi.<stack>.yaml's encryptionsalt, if any. */
  encryptionSalt?: string;
}

export interface ConfigOverrides {
  config?: Record<string, string>;
  secrets?: Record<string, string>;
}

export function stackConfigFile(project: ProjectInfo, stack: string): string {
  return path.join(project.root, `Pulumi.${stack}.yaml`);
}

/** Reads the salt only: the crypter needs it before any secure value can be decrypted. */
export function readEncryptionSalt(project: ProjectInfo, stack: string): string | undefined {
  const file = stackConfigFile(project, stack);
  if (!fs.existsSync(file)) return undefined;
  const salt = readYaml(file).encryptionsalt;
  return typeof salt === "string" ? salt : undefined;
}

export async function loadStackConfig(project: ProjectInfo, stack: string, overrides: ConfigOverrides, secrets: StackSecrets): Promise<StackConfig> {
  const values: Record<string, string> = { ...project.defaults };
  const secretKeys = new Set<string>();
  const file = stackConfigFile(project, stack);
  let encryptionSalt: string | undefined;
  if (fs.existsSync(file)) {
    const doc = readYaml(file);
    if (typeof doc.encryptionsalt === "string") encryptionSalt = doc.encryptionsalt;
    for (const [k, v] of Object.entries((doc.config ?? {}) as Record<string, unknown>)) {
      const key = qualifyKey(k, project.name);
      if (v && typeof v === "object" && !Array.isArray(v) && typeof (v as { secure?: unknown }).secure === "string") {
        values[key] = (await secrets.get()).decrypt((v as { secure: string }).secure);
        secretKeys.add(key);
      } else if (JSON.stringify(v ?? null).includes('"secure"')) {
        throw new ProjectError(`${file}: ${key} holds secure values inside a structured value, which the local engine does not support`);
      } else {
        values[key] = configString(v);
      }
    }
  }
  for (const [k, v] of Object.entries(overrides.config ?? {})) {
    const key = qualifyKey(k, project.name);
    values[key] = v;
    secretKeys.delete(key);
  }
  for (const [k, v] of Object.entries(overrides.secrets ?? {})) {
    const key = qualifyKey(k, project.name);
    values[key] = v;
    secretKeys.add(key);
  }
  return { values, secretKeys: [...secretKeys].sort(), encryptionSalt };
}

/**
 * PULUMI_CONFIG as pulumi-language-nodejs sets it for the program: keys in the legacy `<ns>:config:<name>` form,
 * which every @pulumi/pulumi version reads (constructConfig in pulumi-language-nodejs/main.go).
 */
export function programConfigEnv(config: StackConfig): Record<string, string> {
  const legacy: Record<string, string> = {};
  for (const [k, v] of Object.entries(config.values)) {
    const i = k.indexOf(":");
    legacy[`${k.slice(0, i)}:config:${k.slice(i + 1)}`] = v;
  }
  return { PULUMI_CONFIG: JSON.stringify(legacy), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(config.secretKeys) };
}

/** PULUMI_CONFIG as the engine sets it for the pulumi-nodejs plugin: only that namespace (pkg/host/host.go). */
export function providerConfigEnv(values: Record<string, string>): Record<string, string> {
  const own = Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith("pulumi-nodejs:")));
  return { PULUMI_CONFIG: JSON.stringify(own) };
}
