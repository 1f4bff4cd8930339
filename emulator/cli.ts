// `npx alicloud-emulator [--port N] [--time-scale X] [--credentials ID:SECRET ... [--policy FILE]] [--duration NAME=SECONDS ...] [--seed N] [--no-default-network]`
import { readFileSync } from "node:fs";
import { parsePolicy } from "./core/ram";
import { Credential } from "./core/signature";
import { defaultDurations, startEmulator } from "./index";

const USAGE = `usage: alicloud-emulator [--port N] [--time-scale X] [--credentials ID:SECRET[:STS_TOKEN] ... [--policy FILE]]
                         [--duration NAME=SECONDS ...] [--seed N] [--no-default-network]

Serves the Alibaba Cloud ECS (2014-05-26), MongoDB/DDS (2015-12-01), Redis/R-KVStore (2015-01-01) and
VPC (2016-04-28) APIs on 127.0.0.1. Default credentials: emulator / emulator-secret. Admin API under /_emulator/.
--policy FILE attaches a RAM policy document (JSON) to the key pair listed just before it; keys without one
have full access.
Every region starts with vpc-default-<region>, vsw-default-<zone> per zone and sg-default-<region>;
--no-default-network starts with no network at all.`;

export function parseArgs(argv: string[]): { port: number; timeScale: number; credentials: Credential[]; durations: Record<string, number>; seed: number; defaultNetwork: boolean } {
  let port = 0;
  let defaultNetwork = true;
  let timeScale = 1;
  let seed = 1;
  const credentials: Credential[] = [];
  const durations: Record<string, number> = {};
  const value = (i: number, flag: string): string => {
    const v = argv[i];
    if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--help" || flag === "-h") throw new Error("help");
    if (flag === "--no-default-network") {
      defaultNetwork = false;
    } else if (flag === "--port") {
      const v = value(++i, flag);
      port = Number(v);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${v}`);
    } else if (flag === "--time-scale") {
      const v = value(++i, flag);
      timeScale = Number(v);
      if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new Error(`--time-scale must be a positive number, got ${v}`);
    } else if (flag === "--seed") {
      const v = value(++i, flag);
      seed = Number(v);
      if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${v}`);
    } else if (flag === "--credentials") {
      while (argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) {
        const [id, secret, token] = argv[++i].split(":");
        if (!id || !secret) throw new Error(`--credentials takes ID:SECRET pairs, got ${argv[i]}`);
        credentials.push({ accessKeyId: id, accessKeySecret: secret, securityToken: token });
      }
      if (credentials.length === 0) throw new Error("--credentials needs at least one ID:SECRET pair");
    } else if (flag === "--policy") {
      const file = value(++i, flag);
      const last = credentials[credentials.length - 1];
      if (!last) throw new Error("--policy must follow --credentials ID:SECRET (it applies to the key pair listed just before it)");
      if (last.policy !== undefined) throw new Error(`--policy given twice for ${last.accessKeyId}`);
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (e) {
        throw new Error(`--policy ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      last.policy = parsePolicy(text, `--policy ${file}`).document;
    } else if (flag === "--duration") {
      const v = value(++i, flag);
      const [name, seconds] = v.split("=");
      if (!name || seconds === undefined || !Number.isFinite(Number(seconds))) throw new Error(`--duration takes NAME=SECONDS, got ${v}`);
      durations[name] = Number(seconds);
    } else {
      throw new Error(`unknown argument ${flag}`);
    }
  }
  return { port, timeScale, credentials, durations, seed, defaultNetwork };
}

export async function main(argv: string[]): Promise<void> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (e) {
    const help = (e as Error).message === "help";
    const table = Object.entries(defaultDurations()).map(([k, d]) => `  ${k.padEnd(28)} ${String(d.seconds).padStart(7)} s  ${d.what}`).join("\n");
    (help ? process.stdout : process.stderr).write(`${help ? "" : `alicloud-emulator: ${(e as Error).message}\n`}${USAGE}\n\nDurations (--duration NAME=SECONDS, before --time-scale):\n${table}\n`);
    process.exit(help ? 0 : 2);
  }
  const emulator = await startEmulator(args).catch((e: Error) => {
    process.stderr.write(`alicloud-emulator: ${e.message}\n`);
    process.exit(1);
  });
  process.stdout.write(`listening on ${emulator.url}\n`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
