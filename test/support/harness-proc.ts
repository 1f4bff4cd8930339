// Process and temp-dir plumbing for pulumi-harness.ts: commands with hard timeouts, temp dirs and child
// processes that are cleaned up even when a test forgets to, and a cross-process lock.
//
// Everything spawned here is tracked in module-level sets so that a process "exit" handler can kill and
// remove whatever is left: a failing test must not leave a gRPC server or a 100 MB node_modules behind.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const liveChildren = new Set<ChildProcess>();
let sessionRoot: string | undefined;
let exitHookInstalled = false;

const SESSION_PREFIX = "pulumi-harness-run-";

/** Set PULUMI_HARNESS_KEEP=1 to keep temp projects for post-mortem debugging. */
export const keepTemp = (): boolean => process.env.PULUMI_HARNESS_KEEP === "1";

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Only synchronous work is possible in "exit"; that is enough for SIGKILL and rmSync. Vitest may
  // SIGTERM its workers instead of letting them exit, which is why sweepStaleSessions() exists too.
  process.on("exit", () => {
    for (const c of liveChildren) killTree(c, "SIGKILL");
    if (sessionRoot && !keepTemp()) fs.rmSync(sessionRoot, { recursive: true, force: true });
  });
}

/** Removes session dirs left by processes that died without cleaning up (their pid is gone). */
function sweepStaleSessions(): void {
  for (const entry of fs.readdirSync(os.tmpdir())) {
    const m = new RegExp(`^${SESSION_PREFIX}(\\d+)-`).exec(entry);
    if (m && Number(m[1]) !== process.pid && !pidAlive(Number(m[1]))) {
      fs.rmSync(path.join(os.tmpdir(), entry), { recursive: true, force: true });
    }
  }
}

export function trackChild(child: ChildProcess): ChildProcess {
  installExitHook();
  liveChildren.add(child);
  child.once("exit", () => liveChildren.delete(child));
  return child;
}

/** Kills the child's whole process group when it leads one (npm spawns grandchildren), else the child. */
export function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/** A fresh dir inside this process's session dir (one per process, named after its pid). */
export function makeTempDir(prefix: string): string {
  if (!sessionRoot) {
    installExitHook();
    sweepStaleSessions();
    sessionRoot = fs.mkdtempSync(path.join(os.tmpdir(), `${SESSION_PREFIX}${process.pid}-`));
  }
  return fs.mkdtempSync(path.join(sessionRoot, `${prefix}-`));
}

export async function removeTempDir(dir: string): Promise<void> {
  if (!keepTemp()) await fs.promises.rm(dir, { recursive: true, force: true });
}

/** Kills every child still running and deletes the session dir; later calls start a new session. */
export async function cleanupSession(): Promise<void> {
  await Promise.all(
    [...liveChildren].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once("exit", () => resolve());
          killTree(c, "SIGKILL");
        }),
    ),
  );
  if (sessionRoot && !keepTemp()) await fs.promises.rm(sessionRoot, { recursive: true, force: true });
  sessionRoot = undefined;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  ms: number;
}

export class CommandError extends Error {
  constructor(
    message: string,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = "CommandError";
  }
}

/**
 * Runs a command to completion. It leads its own process group so a timeout can kill npm together with
 * the node processes it forks; a non-zero exit or a timeout rejects with the tail of stderr.
 */
export function run(cmd: string, args: string[], o: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const opts: SpawnOptions = { cwd: o.cwd, env: o.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true };
  const child = trackChild(spawn(cmd, args, opts));
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
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
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      const what = `${cmd} ${args.join(" ")} (cwd ${o.cwd})`;
      if (timedOut) reject(new CommandError(`${what} timed out after ${o.timeoutMs} ms\n${tail(stderr)}`, stdout, stderr));
      else if (code !== 0) reject(new CommandError(`${what} exited ${code ?? signal}\n${tail(stderr || stdout)}`, stdout, stderr));
      else resolve({ stdout, stderr, ms });
    });
  });
}

const tail = (s: string, n = 4000): string => (s.length > n ? `…${s.slice(-n)}` : s);

/**
 * npm launched from `npx vitest` or `npm test` inherits npm_package_* / npm_lifecycle_* / local-prefix
 * variables that describe the repo; strip them so the child npm only sees the directory it runs in.
 */
export function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle)_/i.test(k) || /^(npm_config_local_prefix|npm_command|INIT_CWD)$/i.test(k)) continue;
    env[k] = v;
  }
  return env;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Runs `fn` while holding a lock shared by every process on this machine (mkdir is atomic). A lock whose
 * owner pid is gone is taken over, so a killed worker cannot wedge later runs.
 */
export async function withFileLock<T>(name: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const lockDir = path.join(os.tmpdir(), `pulumi-harness-${name}.lock`);
  const ownerFile = path.join(lockDir, "owner");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(ownerFile, String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = Number(readOrEmpty(ownerFile));
      // An empty owner file means the holder is between mkdir and write; give it a moment before judging.
      const stale = owner > 0 ? !pidAlive(owner) : ageMs(lockDir) > 10_000;
      if (stale) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for lock ${lockDir} held by pid ${owner}`);
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    return "";
  }
}

function ageMs(p: string): number {
  try {
    return Date.now() - fs.statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}
