// Proves test/support/pulumi-harness.ts against a throwaway package written to a temp dir at test time
// (the real provider modules are still being written), then shows the same calls work on this repo's
// own tarball.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ProviderCallError,
  cleanupHarness,
  createProject,
  dynamicType,
  harnessTimings,
  listTarball,
  makeTempDir,
  packDirectory,
  packPackage,
  urn,
  type Project,
  type ProviderProcess,
} from "../support/pulumi-harness";

const SLOW = 300_000;
const FAKE = "fake-release-pkg";
const NO_ROOT = "fake-noroot-pkg";
const TYPE = dynamicType("EcsInstance", "alicloud");

// The module *is* the provider, as the real package's provider modules will be (doc §1.4), so the blob
// is one require() and delete runs whichever version is installed at destroy time.
const fakeProviderJs = (version: string): string => `"use strict";
const VERSION = ${JSON.stringify(version)};
let region;
exports.configure = async (req) => { region = req.config.get("region"); };
exports.check = async (olds, news) => {
  if (!news.name) return { inputs: news, failures: [{ property: "name", reason: "name is required" }] };
  return { inputs: { ...news, checked: true } };
};
exports.diff = async (id, olds, news) => ({
  changes: olds.size !== news.size || olds.zone !== news.zone,
  replaces: olds.zone !== news.zone ? ["zone"] : [],
  deleteBeforeReplace: true,
});
exports.create = async (inputs) => {
  console.log("[fake " + VERSION + "] create " + inputs.name);
  if (inputs.failInit) {
    const e = new Error("instance i-partial never became Running");
    e.id = "i-partial";
    e.properties = { __provider: inputs.__provider, status: "Pending" };
    e.reasons = ["timed out waiting for Running", "last status: Pending"];
    throw e;
  }
  if (inputs.undefinedOutput) return { id: "i-undef", outs: { missing: undefined } };
  // Outputs must not contain undefined: the provider's Struct.fromJavaScript rejects it ("Unexpected struct type.").
  const outs = { name: inputs.name, size: inputs.size ?? 0, region: region ?? "", version: VERSION, env: process.env.FAKE_ENV ?? "",
                 failDelete: !!inputs.failDelete, hang: !!inputs.hang };
  return { id: inputs.instanceId || "i-" + inputs.name, outs };
};
exports.read = async (id, props) => ({ id, props: { ...props, refreshed: true } });
exports.update = async (id, olds, news) => ({ outs: { ...olds, size: news.size, version: VERSION } });
exports.delete = async (id, props) => {
  console.error("[fake " + VERSION + "] releasing " + id);
  if (props.hang) await new Promise(() => {});
  if (props.failDelete) throw new Error("boom " + id);
};
`;

// The closure serializer maps a module file back to its "exports" subpath only if the bare package name
// resolves (runtime/closure/package.js getPackageDefinition). Without a "." export (or "main") it falls back
// to the file path, `require("pkg/provider.js")`, which "exports" then forbids at run time.
async function packFake(version: string, name = FAKE, rootExport = true): Promise<string> {
  const dir = path.join(makeTempDir(`fake-${version}`), name);
  fs.mkdirSync(dir);
  const exports = { ...(rootExport ? { ".": "./provider.js" } : {}), "./provider": "./provider.js", "./package.json": "./package.json" };
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, version, license: "UNLICENSED", exports }, null, 2));
  fs.writeFileSync(path.join(dir, "provider.js"), fakeProviderJs(version));
  return packDirectory(dir);
}

afterAll(async () => {
  console.log(["harness timings (ms):", ...harnessTimings.map((t) => `  ${t.label}: ${t.ms}`)].join("\n"));
  await cleanupHarness();
});

describe("pulumi harness with a fake provider package", { timeout: SLOW }, () => {
  let project: Project;
  let blob: string;
  let provider: ProviderProcess;
  const web = urn(TYPE, "web");

  beforeAll(async () => {
    project = await createProject({ tarballs: [await packFake("1.0.0"), await packFake("1.0.0", NO_ROOT, false)] });
    blob = await project.serializeProvider("provider");
    provider = await project.startProvider({ FAKE_ENV: "from-env" });
    await provider.configure({ "proj:region": "cn-shanghai" });
  }, SLOW);
  afterAll(async () => project?.dispose());

  it("installs a project that resolves the package and the pinned SDK", () => {
    expect(fs.existsSync(path.join(project.dir, "Pulumi.yaml"))).toBe(true);
    expect(project.packageName).toBe(FAKE);
    expect(project.resolve(`${FAKE}/provider`)).toBe(path.join(project.dir, "node_modules", FAKE, "provider.js"));
    const sdk = JSON.parse(fs.readFileSync(project.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string };
    expect(sdk.version).toBe("3.270.0");
  });

  it("serializes the module-as-provider to a single require line under 1 KB", () => {
    expect(blob.length).toBeLessThan(1024);
    expect([...blob.matchAll(/require\(([^)]*)\)/g)].map((m) => m[1])).toEqual([`"${FAKE}/provider"`]);
    expect(blob.split("\n").filter((l) => l.includes("require("))).toHaveLength(1);
  });

  it("shows why a provider package must export its root: otherwise the blob names a file exports forbids", async () => {
    const bad = await project.serializeProvider("provider", NO_ROOT);
    expect(bad).toContain(`require("${NO_ROOT}/provider.js")`);
    const e = (await provider.check("bad", TYPE, {}, { __provider: bad, name: "bad" }).catch((x: unknown) => x)) as ProviderCallError;
    expect(e).toBeInstanceOf(ProviderCallError);
    expect(e.message).toMatch(/Package subpath '\.\/provider\.js' is not defined by "exports"/);
  });

  it("stores the same blob and type token that dynamic.Resource registers", async () => {
    // Ground truth from the SDK itself: a program under setMocks constructing a dynamic.Resource.
    const { stdout } = await project.runNode(`
      const pulumi = require("@pulumi/pulumi");
      pulumi.runtime.setMocks({
        newResource: (a) => { console.log("SEEN " + JSON.stringify({ type: a.type, blob: a.inputs.__provider })); return { id: "x", state: a.inputs }; },
        call: (a) => a.inputs,
      }, "proj", "dev", false);
      new pulumi.dynamic.Resource(require("${FAKE}/provider"), "web", {}, undefined, "alicloud", "EcsInstance");`);
    const seen = JSON.parse(stdout.split("\n").find((l) => l.startsWith("SEEN "))!.slice(5)) as { type: string; blob: string };
    expect(seen.type).toBe(TYPE);
    expect(seen.type).toBe("pulumi-nodejs:dynamic/alicloud:EcsInstance");
    expect(seen.blob).toBe(blob);
    expect(dynamicType()).toBe("pulumi-nodejs:dynamic:Resource");
  });

  it("drives Check → Create → Diff → Update → Read → Delete through the real dynamic-provider", async () => {
    expect((await provider.getPluginInfo()).version).toBe("3.270.0");
    const { inputs, failures } = await provider.check("web", TYPE, {}, { __provider: blob, name: "web", size: 1 });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ name: "web", checked: true, __provider: blob });

    const made = await provider.create(web, inputs);
    expect(made.id).toBe("i-web");
    expect(made.outputs).toMatchObject({ __provider: blob, region: "cn-shanghai", env: "from-env", version: "1.0.0" });
    await provider.waitForLine("stdout", "[fake 1.0.0] create web");

    expect(await provider.diff(made.id, web, made.outputs, { ...inputs, size: 2 })).toMatchObject({ changes: "some", replaces: [] });
    expect(await provider.diff(made.id, web, made.outputs, { ...inputs, zone: "b" })).toMatchObject({ replaces: ["zone"], deleteBeforeReplace: true });

    const updated = await provider.update(made.id, web, made.outputs, { ...inputs, size: 2 }, inputs);
    expect(updated.outputs).toMatchObject({ size: 2, __provider: blob });

    const read = await provider.read(made.id, web, updated.outputs);
    expect(read).toMatchObject({ id: "i-web", outputs: { refreshed: true, __provider: blob } });

    await provider.delete(made.id, web, updated.outputs, inputs);
    await provider.waitForLine("stderr", "[fake 1.0.0] releasing i-web");
  });

  it("returns check failures as data", async () => {
    const { failures } = await provider.check("nameless", TYPE, {}, { __provider: blob });
    expect(failures).toEqual([{ property: "name", reason: "name is required" }]);
  });

  it("surfaces a failing delete's Error message exactly as the gRPC details", async () => {
    const u = urn(TYPE, "db");
    const { inputs } = await provider.check(u, TYPE, {}, { __provider: blob, name: "db", instanceId: "i-123", failDelete: true });
    const made = await provider.create(u, inputs);
    const err = await provider.delete(made.id, u, made.outputs).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProviderCallError);
    const e = err as ProviderCallError;
    expect(e.message).toBe("boom i-123");
    expect(e.details).toBe("boom i-123");
    expect(e.method).toBe("delete");
    expect([e.grpcCode, e.grpcCodeName]).toEqual([2, "UNKNOWN"]);
    expect(e.initFailure).toBeUndefined();
    // The provider logs `${e}: ${e.stack}` on stderr, which the CLI shows as stack-level lines.
    await provider.waitForLine("stderr", "Error: boom i-123: Error: boom i-123");
  });

  it("shows that an output holding undefined fails the create with an opaque message", async () => {
    const e = (await provider.create(urn(TYPE, "undef"), { __provider: blob, name: "undef", undefinedOutput: true }).catch((x: unknown) => x)) as ProviderCallError;
    expect(e).toBeInstanceOf(ProviderCallError);
    expect(e.message).toBe("Unexpected struct type.");
  });

  it("decodes ErrorResourceInitFailed from a create that throws {id, properties, reasons}", async () => {
    const u = urn(TYPE, "partial");
    const { inputs } = await provider.check(u, TYPE, {}, { __provider: blob, name: "partial", failInit: true });
    const e = (await provider.create(u, inputs).catch((x: unknown) => x)) as ProviderCallError;
    expect(e).toBeInstanceOf(ProviderCallError);
    expect(e.message).toBe("instance i-partial never became Running");
    expect(e.grpcCode).toBe(2);
    expect(e.initFailure).toEqual({
      id: "i-partial",
      properties: { __provider: blob, status: "Pending" },
      reasons: ["timed out waiting for Running", "last status: Pending"],
    });
    // What the engine keeps in state is enough for destroy to release it.
    await provider.delete(e.initFailure!.id, u, e.initFailure!.properties);
    await provider.waitForLine("stderr", "releasing i-partial");
  });

  it("never hangs: a stuck provider method fails with DEADLINE_EXCEEDED", async () => {
    const p = await project.startProvider({}, { callTimeoutMs: 1_500 });
    try {
      const u = urn(TYPE, "stuck");
      const made = await p.create(u, { __provider: blob, name: "stuck", hang: true });
      const e = (await p.delete(made.id, u, made.outputs).catch((x: unknown) => x)) as ProviderCallError;
      expect(e).toBeInstanceOf(ProviderCallError);
      expect(e.grpcCodeName).toBe("DEADLINE_EXCEEDED");
    } finally {
      await p.kill();
    }
    expect((await p.exited).signal).toBe("SIGKILL");
  });

  it("closes a provider gracefully", async () => {
    const p = await project.startProvider();
    await p.close();
    expect(await p.exited).toEqual({ code: 0, signal: null });
  });
});

describe("pulumi harness: package upgrade between up and destroy", { timeout: SLOW }, () => {
  let project: Project;
  afterAll(async () => project?.dispose());

  it("runs the newly installed version's delete for a blob written by the old one", async () => {
    project = await createProject({ tarballs: [await packFake("1.0.0")], name: "upg" });
    const blob = await project.serializeProvider("provider");
    const u = urn(TYPE, "web", "upg");

    const up = await project.startProvider();
    const made = await up.create(u, (await up.check(u, TYPE, {}, { __provider: blob, name: "web" })).inputs);
    expect(made.outputs.version).toBe("1.0.0");
    await up.close();

    await project.install(await packFake("2.0.0"));
    expect(await project.serializeProvider("provider")).toBe(blob);

    const destroy = await project.startProvider();
    await destroy.delete(made.id, u, made.outputs);
    await destroy.waitForLine("stderr", "[fake 2.0.0] releasing i-web");
    await destroy.close();
  });
});

describe("pulumi harness with this repo's own package", { timeout: SLOW }, () => {
  let project: Project;
  afterAll(async () => project?.dispose());

  it("packs and installs pulumi-alicloud-release like a user would", async () => {
    const tgz = await packPackage();
    expect(await packPackage()).toBe(tgz);
    expect(await listTarball(tgz)).toContain("dist/emulator/index.js");

    project = await createProject({ tarballs: [tgz] });
    expect(project.packageName).toBe("pulumi-alicloud-release");
    const pkgJson = project.resolve("pulumi-alicloud-release/package.json");
    expect(pkgJson).toBe(path.join(project.dir, "node_modules", "pulumi-alicloud-release", "package.json"));
    expect(fs.existsSync(project.resolve("pulumi-alicloud-release/emulator"))).toBe(true);
  });
});
