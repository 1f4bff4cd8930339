// The resource options the local engine implements as the Pulumi CLI does (pkg/resource/deploy step.go and
// step_generator.go): retainOnDelete, deletedWith, protect and dependsOn, with real programs run by the real cmd/run
// and a real dynamic provider whose Create/Delete append to a journal file — the calls a user's provider receives.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { destroy, up, type EngineOptions, type EngineResult } from "../../tools/local-engine";
import { cleanupHarness, createProject, type Project } from "../support/pulumi-harness";

let project: Project;

beforeAll(async () => {
  project = await createProject({ tarballs: [], name: "options" });
}, 300_000);

afterAll(async () => {
  await cleanupHarness();
});

/** A program of journaled resources: `res(name, props, opts)`; the provider logs "create x" / "delete x". */
function program(name: string, body: string): { cwd: string; journal: () => string[]; o: (config?: Record<string, string>) => EngineOptions } {
  const cwd = path.join(project.dir, "programs", name);
  fs.mkdirSync(cwd, { recursive: true });
  const journal = path.join(cwd, "journal.txt");
  fs.writeFileSync(journal, "");
  fs.writeFileSync(path.join(cwd, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
  fs.writeFileSync(
    path.join(cwd, "index.js"),
    `"use strict";
const pulumi = require("@pulumi/pulumi");
const cfg = new pulumi.Config();
const provider = {
  async create(inputs) {
    require("fs").appendFileSync(process.env.JOURNAL, "create " + inputs.label + "\\n");
    return { id: inputs.label + "-" + Math.random().toString(36).slice(2, 8), outs: inputs };
  },
  async diff(id, olds, news) {
    return { changes: olds.version !== news.version, replaces: olds.version !== news.version ? ["version"] : [] };
  },
  async delete(id, props) {
    require("fs").appendFileSync(process.env.JOURNAL, "delete " + props.label + "\\n");
  },
};
const res = (label, props = {}, opts = {}) => new pulumi.dynamic.Resource(provider, label, { label, version: "1", ...props }, opts);
${body}
`,
  );
  return {
    cwd,
    journal: () => fs.readFileSync(journal, "utf8").split("\n").filter(Boolean),
    o: (config = {}) => ({ cwd, stack: "dev", stateFile: path.join(cwd, "state.json"), env: { JOURNAL: journal, PULUMI_CONFIG_PASSPHRASE: "x" }, config, parallel: 4, callTimeoutMs: 60_000, programTimeoutMs: 120_000 }),
  };
}

const why = (r: EngineResult): string => [r.error, ...r.failures.map((f) => `${f.urn}: ${f.message}`)].filter(Boolean).join("\n");
const names = (r: EngineResult): string[] => r.remaining.map((x) => x.urn.split("::").pop()!).sort();

describe("retainOnDelete", () => {
  it("destroy and replacement drop the resource from state without calling the provider's delete", async () => {
    const p = program("retain", `res("kept", { version: cfg.get("version") ?? "1" }, { retainOnDelete: true });\nres("plain");`);
    expect((await up(p.o())).ok).toBe(true);
    const replaced = await up(p.o({ version: "2" }));
    expect(replaced.ok, why(replaced)).toBe(true);
    // The replacement is created, the old copy is not deleted.
    expect(p.journal()).toEqual(expect.arrayContaining(["create kept", "create plain"]));
    expect(p.journal().filter((l) => l === "create kept")).toHaveLength(2);
    expect(p.journal()).not.toContain("delete kept");
    expect(replaced.changes).toMatchObject({ replace: 1, "delete-replaced": 1 });

    const gone = await destroy(p.o());
    expect(gone.ok, why(gone)).toBe(true);
    expect(gone.remaining).toEqual([]);
    expect(p.journal().filter((l) => l.startsWith("delete"))).toEqual(["delete plain"]);
  }, 120_000);
});

describe("deletedWith", () => {
  it("skips the delete of a resource whose deletedWith target is deleted in the same run, and only then", async () => {
    const p = program("deleted-with", `const db = res("db");\nif (!cfg.getBoolean("dropUser")) res("user", {}, { deletedWith: db });`);
    expect((await up(p.o())).ok).toBe(true);
    // Removing only the dependent: its target stays, so its own delete runs.
    const removed = await up(p.o({ dropUser: "true" }));
    expect(removed.ok, why(removed)).toBe(true);
    expect(p.journal()).toContain("delete user");

    expect((await up(p.o())).ok).toBe(true);
    const gone = await destroy(p.o());
    expect(gone.ok, why(gone)).toBe(true);
    expect(gone.remaining).toEqual([]);
    // The second "user" goes with db: no delete call for it.
    expect(p.journal().filter((l) => l.startsWith("delete"))).toEqual(["delete user", "delete db"]);
  }, 120_000);
});

describe("protect", () => {
  it("refuses to delete a protected resource with the CLI's message, still deletes the others, and deletes it once unprotected", async () => {
    const p = program("protect", `res("guarded", {}, { protect: cfg.getBoolean("protect") ?? true });\nres("free");`);
    const created = await up(p.o());
    expect(created.ok, why(created)).toBe(true);
    const urn = created.remaining.find((r) => r.urn.endsWith("::guarded"))!.urn;

    // Without --continue-on-error, as the CLI: a protect refusal never stops the other deletes.
    const refused = await destroy(p.o());
    expect(refused.ok).toBe(false);
    expect(refused.failures.map((f) => f.message)).toEqual([
      `resource "${urn}" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${urn}'\``,
    ]);
    expect(names(refused)).toEqual(["guarded"]);
    expect(p.journal()).toEqual(["create guarded", "create free", "delete free"]);

    expect((await up(p.o({ protect: "false" }))).ok).toBe(true);
    const gone = await destroy(p.o());
    expect(gone.ok, why(gone)).toBe(true);
    expect(p.journal()).toContain("delete guarded");
  }, 120_000);

  it("refuses to replace a resource protected before and after", async () => {
    const p = program("protect-replace", `res("guarded", { version: cfg.get("version") ?? "1" }, { protect: true });`);
    expect((await up(p.o())).ok).toBe(true);
    const r = await up(p.o({ version: "2" }));
    expect(r.ok).toBe(false);
    expect(r.failures[0].message).toMatch(/^unable to replace resource "urn:pulumi:dev::protect-replace::pulumi-nodejs:dynamic:Resource::guarded"\nas it is currently marked for protection/);
    expect(p.journal()).toEqual(["create guarded"]);
  }, 120_000);
});

describe("dependsOn", () => {
  it("creates a resource after what it depends on and deletes it before, on up and on destroy", async () => {
    const p = program("depends-on", `const base = res("base");\nconst mid = res("mid", {}, { dependsOn: base });\nres("top", {}, { dependsOn: [mid] });\nres("loose");`);
    expect((await up(p.o())).ok).toBe(true);
    const j = p.journal();
    expect(j.indexOf("create base")).toBeLessThan(j.indexOf("create mid"));
    expect(j.indexOf("create mid")).toBeLessThan(j.indexOf("create top"));
    expect((await destroy(p.o())).ok).toBe(true);
    const d = p.journal();
    expect(d.indexOf("delete top")).toBeLessThan(d.indexOf("delete mid"));
    expect(d.indexOf("delete mid")).toBeLessThan(d.indexOf("delete base"));
    expect(d).toContain("delete loose");
  }, 120_000);
});
