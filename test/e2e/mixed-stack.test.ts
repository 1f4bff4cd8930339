// Programs written with @pulumi/alicloud, run unchanged by the local engine (its alicloud resources served by the
// test double of tools/alicloud-double, against the emulator), and the one line that hands their instances to this
// package's release: withRelease. What a user notices is asserted: the API calls in the emulator's request log,
// what the emulator still holds, what the state holds, and the exact errors.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EmulatorAdmin, RunningEmulator, startEmulator } from "../../emulator";
import type { RequestLogEntry } from "../../emulator/core/server";
import { destroy, up, type EngineOptions, type EngineResult, type StateFile } from "../../tools/local-engine";
import { defaultSecurityGroupId, defaultVSwitchId } from "../support/network";
import { leftoverNetwork, networkDeleteStats } from "../../tools/demo/network-deletes";
import { notReleased } from "../support/emulator";
import { cleanupHarness, createProject, packPackage, type Project } from "../support/pulumi-harness";

const TIME_SCALE = 0.01;
const ALICLOUD_VERSION = "3.108.0";

let emu: RunningEmulator;
let admin: EmulatorAdmin;
let project: Project;

beforeAll(async () => {
  // A forced release of a running instance (Terraform's DeleteInstance(s) Force=true) takes 300 s here, not 60: long
  // enough that a network delete issued right after an instance set's delete always finds its instances there.
  emu = await startEmulator({ timeScale: TIME_SCALE, durations: { "dds.creating": 60, "kv.creating": 60, "ecs.gracefulRelease": 300 } });
  admin = new EmulatorAdmin(emu.url);
  project = await createProject({ tarballs: [await packPackage()], name: "mixed", extraDeps: { "@pulumi/alicloud": ALICLOUD_VERSION } });
}, 300_000);

beforeEach(async () => {
  await admin.reset();
});

afterAll(async () => {
  await emu?.close();
  await cleanupHarness();
});

function program(name: string, body: string): EngineOptions {
  const cwd = path.join(project.dir, "programs", name);
  fs.mkdirSync(cwd, { recursive: true });
  fs.writeFileSync(path.join(cwd, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
  fs.writeFileSync(
    path.join(cwd, "index.js"),
    `"use strict";
const pulumi = require("@pulumi/pulumi");
const alicloud = require("@pulumi/alicloud");
const { withRelease, releaseOf } = require("pulumi-alicloud-release");
const cfg = new pulumi.Config();
const launch = { imageId: cfg.get("imageId") ?? "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vswitchId: "${defaultVSwitchId()}" };
const data = { vswitchId: "${defaultVSwitchId("cn-hangzhou-h")}", zoneId: "cn-hangzhou-h" };
${body}
`,
  );
  return {
    cwd,
    stack: "dev",
    stateFile: path.join(cwd, "state.json"),
    config: { "alicloud:region": "cn-hangzhou" },
    env: {
      ALICLOUD_RELEASE_ENDPOINT: emu.url,
      ALIBABA_CLOUD_ACCESS_KEY_ID: "emulator",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret",
      ALIBABA_CLOUD_REGION_ID: "",
      ALICLOUD_RELEASE_TIME_SCALE: String(TIME_SCALE),
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
      PULUMI_CONFIG_PASSPHRASE: "mixed",
    },
    parallel: 8,
    callTimeoutMs: 120_000,
    programTimeoutMs: 180_000,
  };
}

const why = (r: EngineResult): string =>
  [r.error, ...r.failures.map((f) => `${f.urn}: ${f.message}`), ...r.events.filter((e) => e.diagnosticEvent?.severity === "error").map((e) => e.diagnosticEvent!.message)].filter(Boolean).join("\n");
const readState = (o: EngineOptions): StateFile => JSON.parse(fs.readFileSync(o.stateFile, "utf8")) as StateFile;
const byName = (r: EngineResult, name: string) => r.remaining.find((x) => x.urn.endsWith(`::${name}`))!;
/** The request log's calls naming `id` in any parameter, as "Action" or "Action→Code". */
const callsFor = (log: RequestLogEntry[], id: string): string[] =>
  log.filter((e) => Object.values(e.params).some((v) => v.includes(id))).map((e) => (e.code ? `${e.action}→${e.code}` : e.action!));

describe("withRelease: @pulumi/alicloud instances released by this package", () => {
  const body = `
const vm = withRelease(alicloud.ecs.Instance, "vm", { ...launch, securityGroups: ["${defaultSecurityGroupId()}"], instanceName: "vm" });
const set = withRelease(alicloud.ecs.EcsInstanceSet, "set", { ...launch, amount: 3, securityGroupIds: ["${defaultSecurityGroupId()}"] });
const db = withRelease(alicloud.mongodb.Instance, "db", { ...data, engineVersion: "7.0", dbInstanceClass: "dds.mongo.mid", dbInstanceStorage: 20 });
const cache = withRelease(alicloud.kvstore.Instance, "cache", { ...data, instanceClass: "redis.master.small.default", engineVersion: "7.0" }, {}, { purgeRecycleBin: true });
module.exports = { vmId: vm.id, adopted: releaseOf(vm).instanceId, setIds: set.instanceIds };
`;

  it("up adopts each instance in a companion; destroy releases them with the documented procedure and only drops the alicloud resources", async () => {
    const o = program("with-release", body);
    const created = await up(o);
    expect(created.ok, why(created)).toBe(true);
    expect(created.outputs.adopted).toBe(created.outputs.vmId);
    expect(created.remaining.map((r) => `${r.urn.split("::")[2]} ${r.urn.split("::")[3]}`).sort()).toEqual([
      "alicloud:ecs/ecsInstanceSet:EcsInstanceSet set",
      "alicloud:ecs/instance:Instance vm",
      "alicloud:kvstore/instance:Instance cache",
      "alicloud:mongodb/instance:Instance db",
      "pulumi-alicloud-release:ecs.Instance vm-release",
      "pulumi-alicloud-release:ecs.InstanceSet set-release",
      "pulumi-alicloud-release:mongodb.Instance db-release",
      "pulumi-alicloud-release:redis.Instance cache-release",
    ].map((s) => s.replace(/^pulumi-alicloud-release:/, "pulumi-nodejs:dynamic/alicloud-release:")).sort());
    // What the state says: the alicloud resources are retainOnDelete, under @pulumi/alicloud's default provider;
    // each companion depends on its resource and adopted its id.
    const state = readState(o).resources;
    const vm = state.find((r) => r.urn.endsWith("::vm"))!;
    const companion = state.find((r) => r.urn.endsWith("::vm-release"))!;
    expect(vm.retainOnDelete).toBe(true);
    expect(vm.provider).toMatch(/::pulumi:providers:alicloud::default_3_108_0::/);
    expect(companion.retainOnDelete).toBeUndefined();
    expect(companion.dependencies).toContain(vm.urn);
    expect(companion.outputs).toMatchObject({ instanceId: vm.id, adopted: true });
    expect(state.find((r) => r.urn.endsWith("::set-release"))!.outputs.instanceIds).toEqual(created.outputs.setIds);
    expect((await admin.instances()).map((i) => i.product).sort()).toEqual(["dds", "ecs", "ecs", "ecs", "ecs", "r-kvstore"]);

    await admin.clearRequests();
    const gone = await destroy(o);
    expect(gone.ok, why(gone)).toBe(true);
    expect(gone.remaining).toEqual([]);
    expect(notReleased(await admin.instances())).toEqual([]);
    const log = await admin.requests();
    // This package's ECS release (stop, then DeleteInstances), never the double's DeleteInstance Force=true.
    expect(log.filter((e) => e.product === "ecs" && e.action === "DeleteInstance")).toEqual([]);
    expect(callsFor(log, vm.id!)).toEqual(expect.arrayContaining(["StopInstances", "DeleteInstances"]));
    // Redis: released, then purged from the recycle bin (DestroyInstance), which the alicloud provider never does.
    const cacheId = state.find((r) => r.urn.endsWith("::cache"))!.id!;
    expect(callsFor(log, cacheId)).toEqual(expect.arrayContaining(["DeleteInstance", "DestroyInstance"]));
  }, 240_000);

  it("a replacement of the alicloud resource replaces its companion, which releases the old instance", async () => {
    const o = program("with-release-replace", `const vm = withRelease(alicloud.ecs.Instance, "vm", { ...launch, securityGroups: ["${defaultSecurityGroupId()}"] });\nmodule.exports = { vmId: vm.id };`);
    const first = await up(o);
    expect(first.ok, why(first)).toBe(true);
    const oldId = first.outputs.vmId as string;

    await admin.clearRequests();
    const second = await up({ ...o, config: { ...o.config, imageId: "centos_7_9_x64" } });
    expect(second.ok, why(second)).toBe(true);
    const newId = second.outputs.vmId as string;
    expect(newId).not.toBe(oldId);
    expect(second.changes).toMatchObject({ replace: 2, "delete-replaced": 2 });
    // The old instance is released by the old companion (stop, then delete) and is gone; the new one runs, adopted.
    const log = await admin.requests();
    expect(callsFor(log, oldId)).toEqual(expect.arrayContaining(["StopInstances", "DeleteInstances"]));
    expect((await admin.instances()).map((i) => [i.id, i.status])).toEqual([[newId, "Running"]]);
    expect(byName(second, "vm-release").outputs).toMatchObject({ instanceId: newId });
    expect((await destroy(o)).ok).toBe(true);
    expect(notReleased(await admin.instances())).toEqual([]);
  }, 240_000);

  it("removing the line again: the companion goes and releases the instance, unless it was detached first with retainOnDelete", async () => {
    const launchLine = `{ ...launch, securityGroups: ["${defaultSecurityGroupId()}"] }`;
    const wrapped = program("remove-line", `withRelease(alicloud.ecs.Instance, "vm", ${launchLine});`);
    expect((await up(wrapped)).ok).toBe(true);
    const [instance] = await admin.instances();

    // Back to a plain alicloud resource: the companion is no longer declared, so up deletes it, which releases the
    // instance the program still declares. The alicloud resource keeps its id in state and points at nothing.
    fs.writeFileSync(path.join(wrapped.cwd, "index.js"), fs.readFileSync(path.join(wrapped.cwd, "index.js"), "utf8").replace(`withRelease(alicloud.ecs.Instance, "vm", ${launchLine})`, `new alicloud.ecs.Instance("vm", ${launchLine})`));
    const removed = await up(wrapped);
    expect(removed.ok, why(removed)).toBe(true);
    expect(removed.changes).toMatchObject({ delete: 1 });
    expect(await admin.instance(instance.id)).toBeUndefined();
    expect(byName(removed, "vm").id).toBe(instance.id);
    expect((await destroy(wrapped)).ok).toBe(true);

    // The safe way: one up with { detach: true } (the companion becomes retainOnDelete), then the line can go:
    // the companion leaves state without a release, and the alicloud resource's own provider owns the instance again.
    const detached = program("detach", `withRelease(alicloud.ecs.Instance, "vm", ${launchLine}, {}, { detach: cfg.getBoolean("detach") ?? false });`);
    expect((await up(detached)).ok).toBe(true);
    const [kept] = await admin.instances();
    expect((await up({ ...detached, config: { ...detached.config, detach: "true" } })).ok).toBe(true);
    fs.writeFileSync(path.join(detached.cwd, "index.js"), fs.readFileSync(path.join(detached.cwd, "index.js"), "utf8").replace(/withRelease\(alicloud.ecs.Instance, "vm", (.*), \{\}, \{ detach.*\}\);/, 'new alicloud.ecs.Instance("vm", $1);'));
    await admin.clearRequests();
    const dropped = await up(detached);
    expect(dropped.ok, why(dropped)).toBe(true);
    expect(dropped.remaining.map((r) => r.urn.split("::").pop())).toEqual(["vm"]);
    expect(readState(detached).resources.find((r) => r.urn.endsWith("::vm"))!.retainOnDelete).toBeUndefined();
    expect((await admin.instance(kept.id))?.status).toBe("Running");
    expect(callsFor(await admin.requests(), kept.id)).toEqual([]);
    // Now a plain alicloud resource: destroy deletes it as the Terraform provider does (DeleteInstance Force=true).
    expect((await destroy(detached)).ok).toBe(true);
    expect(callsFor(await admin.requests(), kept.id)).toContain("DeleteInstance");
    expect(notReleased(await admin.instances())).toEqual([]);
  }, 240_000);
});

describe("the network around the instances", () => {
  // The stack of the issue in small: its own VPC, a vSwitch per zone and a security group (@pulumi/alicloud), an
  // instance set, a MongoDB and a Redis instance in it; `plain` picks who deletes the instances.
  const stack = (plain: boolean): string => `
const vpc = new alicloud.vpc.Network("vpc", { vpcName: "mixed", cidrBlock: "172.16.0.0/16" });
const app = new alicloud.vpc.Switch("app-vsw", { vpcId: vpc.id, zoneId: "cn-hangzhou-b", cidrBlock: "172.16.1.0/24" });
const dataVsw = new alicloud.vpc.Switch("data-vsw", { vpcId: vpc.id, zoneId: "cn-hangzhou-h", cidrBlock: "172.16.2.0/24" });
const sg = new alicloud.ecs.SecurityGroup("sg", { vpcId: vpc.id });
const make = ${plain ? "(Cls, name, args) => new Cls(name, args)" : "(Cls, name, args) => withRelease(Cls, name, args, {}, { purgeRecycleBin: true })"};
make(alicloud.ecs.EcsInstanceSet, "workers", { ...launch, amount: 5, vswitchId: app.id, securityGroupIds: [sg.id] });
make(alicloud.mongodb.Instance, "db", { engineVersion: "7.0", dbInstanceClass: "dds.mongo.mid", dbInstanceStorage: 20, vswitchId: dataVsw.id, zoneId: "cn-hangzhou-h" });
make(alicloud.kvstore.Instance, "cache", { instanceClass: "redis.master.small.default", engineVersion: "7.0", vswitchId: dataVsw.id, zoneId: "cn-hangzhou-h" });
`;

  it("with withRelease, destroy leaves nothing, and every vSwitch, security group and VPC delete succeeds on its first call", async () => {
    const o = program("network-with-release", stack(false));
    const created = await up(o);
    expect(created.ok, why(created)).toBe(true);
    await admin.clearRequests();
    const gone = await destroy({ ...o, continueOnError: true });
    expect(gone.ok, why(gone)).toBe(true);
    expect(notReleased(await admin.instances())).toEqual([]);
    expect(await leftoverNetwork(admin)).toEqual([]);
    const net = networkDeleteStats(await admin.requests());
    expect(net.deletes.map((d) => `${d.action} ${d.answers.join(",")}`).sort()).toEqual(["DeleteSecurityGroup OK", "DeleteVSwitch OK", "DeleteVSwitch OK", "DeleteVpc OK"]);
    expect(net.dependencyViolations).toBe(0);
  }, 240_000);

  it("with plain @pulumi/alicloud instances, the network deletes meet DependencyViolation and succeed only on a retry", async () => {
    const o = program("network-plain", stack(true));
    const created = await up(o);
    expect(created.ok, why(created)).toBe(true);
    const idOf = (name: string): string => created.remaining.find((r) => r.urn.endsWith(`::${name}`))!.id!;
    await admin.clearRequests();
    const gone = await destroy({ ...o, continueOnError: true });
    expect(gone.ok, why(gone)).toBe(true);
    const net = networkDeleteStats(await admin.requests());
    // The instance set's DeleteInstances returns before its instances are gone: the security group and the app
    // vSwitch answer DependencyViolation, and Terraform's retries (3 s, then 5 s apart) carry them through.
    expect(net.dependencyViolations).toBeGreaterThan(0);
    const answers = (id: string): string[] => net.deletes.find((d) => d.id === id)!.answers;
    for (const name of ["sg", "app-vsw"]) {
      expect(answers(idOf(name))[0], name).toBe("DependencyViolation");
      expect(answers(idOf(name)).at(-1), name).toBe("OK");
    }
    expect(net.firstCallOk).toBeLessThan(net.deletes.length);
    // MongoDB and Redis were waited for: their vSwitch and the VPC went on the first call. The Redis instance stays
    // in its recycle bin, which the alicloud provider never purges.
    expect(answers(idOf("data-vsw"))).toEqual(["OK"]);
    expect(answers(idOf("vpc"))).toEqual(["OK"]);
    expect(notReleased(await admin.instances()).map((i) => [i.id, i.status])).toEqual([[idOf("cache"), "Released"]]);
    expect(await leftoverNetwork(admin)).toEqual([]);
  }, 240_000);

  it("a create naming a vSwitch or security group that does not exist fails with the documented not-found code", async () => {
    const cases = [
      { name: "no-vsw", vSwitchId: "vsw-bp1doesnotexist", securityGroupId: defaultSecurityGroupId(), code: "InvalidVSwitchId.NotFound (HTTP 404): Specified virtual switch does not exist.", says: "The vSwitch named by vSwitchId does not exist in this region." },
      { name: "no-sg", vSwitchId: defaultVSwitchId(), securityGroupId: "sg-bp1doesnotexist", code: "InvalidSecurityGroupId.NotFound (HTTP 404)", says: "The security group named by securityGroupId does not exist in this region." },
    ];
    for (const c of cases) {
      const o = program(c.name, `const { ecs } = require("pulumi-alicloud-release");
new ecs.Instance("vm", { imageId: launch.imageId, instanceType: launch.instanceType, vSwitchId: "${c.vSwitchId}", securityGroupId: "${c.securityGroupId}" });`);
      const r = await up(o);
      expect(r.ok).toBe(false);
      expect(r.failures).toHaveLength(1);
      expect(r.failures[0].message).toContain(`RunInstances failed with ${c.code}`);
      expect(r.failures[0].message).toContain(c.says);
    }
    expect(notReleased(await admin.instances())).toEqual([]);
  }, 120_000);
});
