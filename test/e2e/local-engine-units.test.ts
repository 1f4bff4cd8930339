// The local engine's own logic, without processes: delete scheduling, secrets, URNs, project and config reading,
// and the CLI's arguments. The end-to-end behaviour is in local-engine.test.ts.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeUrn } from "../../tools/local-engine/engine";
import { parseArgs } from "../../tools/local-engine/main";
import { loadProject, loadStackConfig, programConfigEnv } from "../../tools/local-engine/project";
import { deleteInOrder } from "../../tools/local-engine/schedule";
import { annotateSecrets, Crypter, decryptSecrets, encryptSecrets, secret, StackSecrets, unwrapSecrets } from "../../tools/local-engine/secrets";
import type { StateResource } from "../../tools/local-engine/state";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "local-engine-units-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const res = (name: string, deps: string[] = [], parent?: string): StateResource => ({
  urn: `urn:pulumi:dev::p::t::${name}`,
  type: "t",
  custom: true,
  id: name,
  inputs: {},
  outputs: {},
  dependencies: deps.map((d) => `urn:pulumi:dev::p::t::${d}`),
  parent: parent && `urn:pulumi:dev::p::t::${parent}`,
});
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("deleteInOrder", () => {
  it("deletes dependents and children before what they depend on, whatever the parallelism", async () => {
    const rs = [res("stack"), res("db", [], "stack"), res("cache", [], "stack"), res("app", ["db", "cache"], "stack"), res("worker", ["app"], "stack")];
    const log: string[] = [];
    const outcome = await deleteInOrder(rs, { parallel: 8, continueOnError: false }, async (r) => {
      log.push(`start ${r.id}`);
      await sleep(10);
      log.push(`end ${r.id}`);
      return true;
    });
    expect(outcome.deleted.map((r) => r.id)).toHaveLength(5);
    const at = (s: string): number => log.indexOf(s);
    expect(at("end worker")).toBeLessThan(at("start app"));
    for (const db of ["db", "cache"]) expect(at("end app")).toBeLessThan(at(`start ${db}`));
    for (const child of ["db", "cache", "app", "worker"]) expect(at(`end ${child}`)).toBeLessThan(at("start stack"));
  });

  it("runs at most `parallel` deletes at once, and that many when it can", async () => {
    let running = 0;
    let most = 0;
    const rs = Array.from({ length: 10 }, (_, i) => res(`r${i}`));
    await deleteInOrder(rs, { parallel: 3, continueOnError: false }, async () => {
      most = Math.max(most, ++running);
      await sleep(15);
      running--;
      return true;
    });
    expect(most).toBe(3);
  });

  it("stops starting deletes after a failure, unless continueOnError", async () => {
    const rs = [res("a"), res("b"), res("c")];
    const stopped = await deleteInOrder(rs, { parallel: 1, continueOnError: false }, async (r) => r.id !== "c");
    expect(stopped.failed.map((r) => r.id)).toEqual(["c"]);
    expect(stopped.skipped.map((r) => r.id).sort()).toEqual(["a", "b"]);

    const continued = await deleteInOrder(rs, { parallel: 1, continueOnError: true }, async (r) => r.id !== "c");
    expect(continued.deleted.map((r) => r.id)).toEqual(["b", "a"]);
    expect(continued.skipped).toEqual([]);
  });

  it("with continueOnError, never deletes what a failed resource depends on", async () => {
    const rs = [res("db"), res("app", ["db"]), res("other")];
    const seen: string[] = [];
    const outcome = await deleteInOrder(rs, { parallel: 4, continueOnError: true }, async (r) => {
      seen.push(r.id!);
      return r.id !== "app";
    });
    expect(seen.sort()).toEqual(["app", "other"]);
    expect(outcome.skipped.map((r) => r.id)).toEqual(["db"]);
  });
});

describe("secrets", () => {
  it("encrypts like the CLI's passphrase manager: v1:<12-byte nonce>:<ciphertext+tag>, salt state v1:<8-byte salt>:<check>", async () => {
    const { crypter, state } = await Crypter.create("pass");
    // The shapes of a real Pulumi.<stack>.yaml (e.g. encryptionsalt: v1:GEHe83S30O0=:v1:s8vb7cVFSz64pUmv:Ff5AbbcbTSim8cBwDCQCwraGHEQQ/A==).
    expect(state).toMatch(/^v1:[A-Za-z0-9+/]{11}=:v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]{30}==$/);
    const v = crypter.encrypt("hunter2");
    expect(v).toMatch(/^v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/=]+$/);
    expect(Buffer.from(v.split(":")[2], "base64")).toHaveLength("hunter2".length + 16);
    expect((await Crypter.fromState("pass", state)).decrypt(v)).toBe("hunter2");
    await expect(Crypter.fromState("wrong", state)).rejects.toThrow("incorrect passphrase");
  });

  it("stores secrets as encrypted envelopes and reads them back; plain values stay plain", async () => {
    const secrets = new StackSecrets({ PULUMI_CONFIG_PASSPHRASE: "" }, undefined);
    const value = { a: 1, pw: secret("s3cr3t"), list: [secret({ deep: true }), "x"] };
    const stored = (await encryptSecrets(value, secrets)) as Record<string, unknown>;
    expect(JSON.stringify(stored)).not.toContain("s3cr3t");
    expect(stored.a).toBe(1);
    expect(stored.pw).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: expect.stringMatching(/^v1:/) });
    expect(await decryptSecrets(stored, new StackSecrets({ PULUMI_CONFIG_PASSPHRASE: "" }, secrets.state))).toEqual(value);
    await expect(encryptSecrets(value, new StackSecrets({}, undefined))).rejects.toThrow(/PULUMI_CONFIG_PASSPHRASE/);
  });

  it("marks outputs secret when their input was, as the engine does for providers that accept no secrets", () => {
    const outs = annotateSecrets({ password: "p", tags: { a: "b" }, id: "x" }, { password: secret("p"), tags: { a: secret("b") }, id: "x" });
    expect(outs).toEqual({ password: secret("p"), tags: secret({ a: "b" }), id: "x" });
    expect(unwrapSecrets(outs)).toEqual({ password: "p", tags: { a: "b" }, id: "x" });
  });
});

describe("URNs", () => {
  it("qualifies a child's type with its parent's, except under the stack", () => {
    const stack = makeUrn("dev", "p", "", "pulumi:pulumi:Stack", "p-dev");
    expect(stack).toBe("urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev");
    const comp = makeUrn("dev", "p", stack, "my:env:Env", "e");
    expect(comp).toBe("urn:pulumi:dev::p::my:env:Env::e");
    expect(makeUrn("dev", "p", comp, "pulumi-nodejs:dynamic:Resource", "vm")).toBe("urn:pulumi:dev::p::my:env:Env$pulumi-nodejs:dynamic:Resource::vm");
  });
});

describe("project and config", () => {
  it("runs the program in `main` when it is a directory, TypeScript on unless the runtime options say otherwise", () => {
    const dir = path.join(tmp, "proj");
    fs.mkdirSync(path.join(dir, "app"), { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: proj\nruntime: nodejs\nmain: app\nconfig:\n  size:\n    default: 3\n");
    expect(loadProject(dir)).toMatchObject({ name: "proj", pwd: path.join(dir, "app"), entry: ".", typescript: true, defaults: { "proj:size": "3" } });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: proj\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n");
    expect(loadProject(dir)).toMatchObject({ pwd: dir, entry: ".", typescript: false });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: proj\nruntime: python\n");
    expect(() => loadProject(dir)).toThrow(/runtime must be nodejs/);
  });

  it("merges Pulumi.<stack>.yaml and overrides, decrypts secure values, and hands the program the legacy key form", async () => {
    const dir = path.join(tmp, "cfg");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: cfg\nruntime: nodejs\n");
    const { crypter, state } = await Crypter.create("pp");
    fs.writeFileSync(
      path.join(dir, "Pulumi.dev.yaml"),
      `encryptionsalt: ${state}\nconfig:\n  cfg:size: 2\n  cfg:tags:\n    a: b\n  cfg:pw:\n    secure: ${crypter.encrypt("pw-value")}\n  alicloud:region: cn-beijing\n`,
    );
    const project = loadProject(dir);
    const config = await loadStackConfig(project, "dev", { config: { size: "5" }, secrets: { token: "t" } }, new StackSecrets({ PULUMI_CONFIG_PASSPHRASE: "pp" }, state));
    expect(config.values).toEqual({ "cfg:size": "5", "cfg:tags": '{"a":"b"}', "cfg:pw": "pw-value", "alicloud:region": "cn-beijing", "cfg:token": "t" });
    expect(config.secretKeys).toEqual(["cfg:pw", "cfg:token"]);
    const env = programConfigEnv(config);
    expect(JSON.parse(env.PULUMI_CONFIG)).toMatchObject({ "cfg:config:size": "5", "alicloud:config:region": "cn-beijing" });
    expect(JSON.parse(env.PULUMI_CONFIG_SECRET_KEYS)).toEqual(["cfg:pw", "cfg:token"]);
  });
});

describe("the CLI's arguments", () => {
  it("parses flags as documented", () => {
    const args = parseArgs(["destroy", "--cwd", tmp, "--stack", "dev", "--state", "s.json", "-c", "a=b=c", "--secret", "pw=x", "--parallel", "3", "--continue-on-error", "--call-timeout", "90"]);
    expect(args.command).toBe("destroy");
    expect(args.options).toMatchObject({ cwd: tmp, stack: "dev", stateFile: "s.json", config: { a: "b=c" }, secrets: { pw: "x" }, parallel: 3, continueOnError: true, callTimeoutMs: 90_000 });
  });

  it("rejects what it does not understand", () => {
    expect(() => parseArgs(["preview", "--stack", "dev", "--state", "s"])).toThrow("expected up or destroy, got preview");
    expect(() => parseArgs(["up", "--state", "s"])).toThrow("--stack is required");
    expect(() => parseArgs(["up", "--stack", "dev", "--state", "s", "--parallel", "0"])).toThrow("--parallel must be a positive number");
    expect(() => parseArgs(["up", "--stack", "dev", "--state", "s", "--config", "novalue"])).toThrow("--config takes key=value");
    expect(() => parseArgs(["up", "--stack", "dev", "--state", "s", "--refresh"])).toThrow("unknown argument --refresh");
  });
});
