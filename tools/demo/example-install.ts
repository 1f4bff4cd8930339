// Makes examples/ephemeral-env runnable from a fresh clone: this repository built, then installed into the example's
// node_modules as a packed copy (`file:../..` with install-links, see its .npmrc), refreshed whenever the package's
// files change — npm considers a file: dependency up to date as long as it is present, whatever its content.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { npmEnv, run } from "../../test/support/harness-proc";
import { Project } from "../../test/support/pulumi-harness";

const MINUTE = 60_000;
const PACKAGE = "pulumi-alicloud-release";

function walk(p: string, visit: (file: string) => void): void {
  if (!fs.existsSync(p)) return;
  if (fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e), visit);
  else visit(p);
}

function newestMtime(dirs: string[], ext: string): number {
  let newest = 0;
  for (const d of dirs) walk(d, (f) => f.endsWith(ext) && (newest = Math.max(newest, fs.statSync(f).mtimeMs)));
  return newest;
}

/** `npm run build` when a provider or emulator source is newer than the build. */
export async function buildIfStale(repo: string): Promise<boolean> {
  const built = fs.existsSync(path.join(repo, "dist/provider/index.js")) ? fs.statSync(path.join(repo, "dist/provider/index.js")).mtimeMs : 0;
  if (built >= newestMtime([path.join(repo, "provider"), path.join(repo, "emulator")], ".ts")) return false;
  await run("npm", ["run", "build"], { cwd: repo, env: npmEnv(), timeoutMs: 5 * MINUTE });
  return true;
}

/** A digest of what `npm pack` would ship (package.json + its "files"), to know when the installed copy is stale. */
function packageDigest(repo: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as { files?: string[] };
  const hash = createHash("sha1");
  for (const entry of ["package.json", ...(pkg.files ?? [])]) {
    walk(path.join(repo, entry), (f) => {
      hash.update(path.relative(repo, f));
      hash.update(fs.readFileSync(f));
    });
  }
  return hash.digest("hex");
}

export interface InstallResult {
  action: "none" | "refreshed" | "installed";
  ms: number;
}

export async function installExample(repo: string, exampleDir: string): Promise<InstallResult> {
  const t0 = Date.now();
  const stampFile = path.join(exampleDir, "node_modules", `.${PACKAGE}.digest`);
  const digest = packageDigest(repo);
  const hasDeps = ["@pulumi/pulumi", "@pulumi/alicloud"].every((d) => fs.existsSync(path.join(exampleDir, "node_modules", d, "package.json")));
  const installed = fs.existsSync(path.join(exampleDir, "node_modules", PACKAGE, "package.json"));
  if (hasDeps && installed && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === digest) return { action: "none", ms: Date.now() - t0 };
  // Removing the stale copy is what makes npm install it again from ../.. .
  if (installed) fs.rmSync(path.join(exampleDir, "node_modules", PACKAGE), { recursive: true, force: true });
  // --ignore-scripts: the repository is already built; its `prepare` would only build it again.
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], { cwd: exampleDir, env: npmEnv(), timeoutMs: 10 * MINUTE });
  fs.writeFileSync(stampFile, digest);
  return { action: hasDeps ? "refreshed" : "installed", ms: Date.now() - t0 };
}

/**
 * The `__provider` text a program of the example stores, made by the real closure serializer in a process started
 * in the example's directory: it must be one `require()` of the installed package, or destroy would run code frozen
 * in state instead of the installed release.
 */
export async function verifyBlob(exampleDir: string): Promise<string> {
  const blob = await new Project(exampleDir, "ephemeral-env", PACKAGE).serializeProvider("redis/instance-provider");
  const requires = blob.match(/require\([^)]*\)/g) ?? [];
  if (requires.length !== 1 || requires[0] !== `require("${PACKAGE}/redis/instance-provider")`) {
    throw new Error(`the serialized provider is not a single require() of the installed package:\n${blob}`);
  }
  return blob;
}
