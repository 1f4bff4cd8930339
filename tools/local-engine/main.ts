// node tools/local-engine/cli.js up|destroy --cwd <project> --stack <name> --state <file>
//   [--parallel N] [--continue-on-error] [--config key=value ...] [--secret key=value ...]
//   [--call-timeout SECONDS] [--program-timeout SECONDS] [--json-events FILE]
import * as fs from "node:fs";
import * as path from "node:path";
import { destroy, up, type EngineOptions } from "./engine";
import { Display } from "./display";
import { loadProject } from "./project";

const USAGE = `usage: node tools/local-engine/cli.js up|destroy --cwd <project> --stack <name> --state <file>
         [--parallel N] [--continue-on-error] [--config key=value ...] [--secret key=value ...]
         [--call-timeout SECONDS] [--program-timeout SECONDS] [--json-events FILE]

Runs a Pulumi Node.js program whose custom resources are dynamic resources without the Pulumi CLI: the real
@pulumi/pulumi cmd/run and cmd/dynamic-provider, a JSON state file. Secrets (secure config, secret values in
state) use PULUMI_CONFIG_PASSPHRASE as the CLI's passphrase secrets manager does. Exit code: 0 on success,
255 when a step failed (as \`pulumi\`), 2 on a usage error.`;

export interface CliArgs {
  command: "up" | "destroy";
  options: EngineOptions;
  jsonEvents?: string;
}

export function parseArgs(argv: string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h") throw new Error("help");
  if (command !== "up" && command !== "destroy") throw new Error(`expected up or destroy, got ${command ?? "nothing"}`);
  const options: Partial<EngineOptions> & { config: Record<string, string>; secrets: Record<string, string> } = { config: {}, secrets: {} };
  let jsonEvents: string | undefined;
  const value = (i: number, flag: string): string => {
    const v = rest[i];
    if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`);
    return v;
  };
  const positive = (v: string, flag: string): number => {
    const n = Number(v);
    if (!(Number.isFinite(n) && n > 0)) throw new Error(`${flag} must be a positive number, got ${v}`);
    return n;
  };
  const pair = (v: string, flag: string): [string, string] => {
    const i = v.indexOf("=");
    if (i <= 0) throw new Error(`${flag} takes key=value, got ${v}`);
    return [v.slice(0, i), v.slice(i + 1)];
  };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === "--cwd") options.cwd = value(++i, flag);
    else if (flag === "--stack" || flag === "-s") options.stack = value(++i, flag);
    else if (flag === "--state") options.stateFile = value(++i, flag);
    else if (flag === "--parallel" || flag === "-p") {
      const n = positive(value(++i, flag), flag);
      if (!Number.isInteger(n)) throw new Error(`${flag} must be a whole number`);
      options.parallel = n;
    } else if (flag === "--continue-on-error") options.continueOnError = true;
    else if (flag === "--config" || flag === "-c") {
      const [k, v] = pair(value(++i, flag), flag);
      options.config[k] = v;
    } else if (flag === "--secret") {
      const [k, v] = pair(value(++i, flag), flag);
      options.secrets[k] = v;
    } else if (flag === "--call-timeout") options.callTimeoutMs = positive(value(++i, flag), flag) * 1000;
    else if (flag === "--program-timeout") options.programTimeoutMs = positive(value(++i, flag), flag) * 1000;
    else if (flag === "--json-events") jsonEvents = value(++i, flag);
    else throw new Error(`unknown argument ${flag}`);
  }
  if (!options.stack) throw new Error("--stack is required");
  if (!options.stateFile) throw new Error("--state is required");
  options.cwd = path.resolve(options.cwd ?? ".");
  return { command, options: options as EngineOptions, jsonEvents };
}

export async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    const help = (e as Error).message === "help";
    (help ? process.stdout : process.stderr).write(`${help ? "" : `local-engine: ${(e as Error).message}\n`}${USAGE}\n`);
    return help ? 0 : 2;
  }
  const { command, options } = args;
  let project = path.basename(options.cwd);
  try {
    project = loadProject(options.cwd).name;
  } catch {
    // The engine reports the problem itself.
  }
  const stackName = `${project}-${options.stack}`;
  process.stdout.write(`${command === "up" ? "Updating" : "Destroying"} (${options.stack}) with the local engine (no Pulumi CLI):\n\n`);
  const events = args.jsonEvents ? fs.createWriteStream(args.jsonEvents) : undefined;
  let display: Display | undefined;
  const result = await (command === "up" ? up : destroy)({
    ...options,
    onEvent: (e) => {
      events?.write(`${JSON.stringify(e)}\n`);
      if (e.preludeEvent) return;
      display ??= new Display((t) => process.stdout.write(t), stackName);
      display.onEvent(e);
    },
  });
  (display ?? new Display((t) => process.stdout.write(t), stackName)).finish(result);
  await new Promise<void>((r) => (events ? events.end(r) : r()));
  return result.ok ? 0 : 255;
}
