// `npm run bench:mixed [-- --n 10,100] [--out docs/bench/mixed-stack.md]`: the same stack — a VPC, two vSwitches
// (ECS zone, MongoDB/Redis zone), a security group, N ECS instances (N single instances, or one instance set of N), a
// MongoDB and a Redis instance — destroyed
//   (a) with this package's instances (the dynamic providers' delete, in-process), and
//   (b) with plain @pulumi/alicloud instances, deleted as terraform-provider-alicloud does (tools/alicloud-double),
// the network deleted by the double in both. Deletes run in reverse dependency order with the local engine's
// scheduler (tools/local-engine/schedule.ts), 16 at once, continuing past failures as `--continue-on-error`.
// Figures come from the emulator's request log and clock: DependencyViolation answers, network-delete retries, the
// time until the VPC is gone (emulator time, i.e. what the cloud would take), failed deletes.
import * as fs from "node:fs";
import * as path from "node:path";
import { EmulatorAdmin, startEmulator } from "../emulator";
import * as ecsInstance from "../provider/ecs/instance-provider";
import * as ecsInstanceSet from "../provider/ecs/instance-set-provider";
import * as mongodbInstance from "../provider/mongodb/instance-provider";
import * as redisInstance from "../provider/redis/instance-provider";
import { resetStackConfig } from "../provider/core/settings";
import { AlicloudDouble } from "../tools/alicloud-double";
import { leftoverNetwork, networkDeleteStats, type NetworkDeleteStats } from "../tools/demo/network-deletes";
import { deleteInOrder } from "../tools/local-engine/schedule";
import type { StateResource } from "../tools/local-engine/state";
import { repoRoot } from "../test/support/pulumi-harness";

const TIME_SCALE = 0.01;
const REGION = "cn-hangzhou";
const PARALLEL = 16;
const IMAGE = "ubuntu_22_04_x64_20G_alibase_20240926.vhd";
const TYPE = "ecs.g7.large";

type Variant = "a" | "b";
const PRODUCT_NAMES: Record<string, string> = { dds: "MongoDB", "r-kvstore": "Redis", ecs: "ECS" };
/** The ECS instances of the stack: N single instances, or one instance set of N. */
type Shape = "single" | "set";

interface Provider {
  create(inputs: Record<string, unknown>): Promise<{ id: string; outs: Record<string, unknown> }>;
  delete(id: string, outs: Record<string, unknown>): Promise<void>;
}

export interface MixedResult {
  n: number;
  shape: Shape;
  variant: Variant;
  dependencyViolations: number;
  networkDeletes: number;
  firstCallOk: number;
  retries: number;
  vpcGoneAfterS?: number;
  failedDeletes: string[];
  /** Instances the emulator still lists, recycle-bin entries (released, not billed) left out. */
  instancesLeft: number;
  /** Recycle-bin entries left: released, recoverable for 7 days; the alicloud provider never purges Redis's. */
  inRecycleBin: string[];
  networkLeft: number;
  wallS: number;
}

const urn = (type: string, name: string): string => `urn:pulumi:bench::mixed-stack::${type}::${name}`;

function packageProvider(mod: { create?: unknown; delete?: unknown }): Provider {
  return mod as unknown as Provider;
}

async function runOnce(n: number, shape: Shape, variant: Variant): Promise<MixedResult> {
  const emu = await startEmulator({ timeScale: TIME_SCALE, durations: { "dds.creating": 60, "kv.creating": 60 } });
  const admin = new EmulatorAdmin(emu.url);
  Object.assign(process.env, {
    ALICLOUD_RELEASE_ENDPOINT: emu.url,
    ALIBABA_CLOUD_ACCESS_KEY_ID: "emulator",
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret",
    ALIBABA_CLOUD_REGION_ID: REGION,
    ALICLOUD_RELEASE_TIME_SCALE: String(TIME_SCALE),
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
  });
  resetStackConfig();
  const double = new AlicloudDouble({ env: process.env, config: { "alicloud:region": REGION } });
  const doubleProvider = (type: string, name: string): Provider => ({
    create: async (inputs) => {
      const r = await double.create(urn(type, name), inputs);
      return { id: r.id, outs: r.outputs };
    },
    delete: (id, outs) => double.delete(id, urn(type, name), outs),
  });
  const resources: (StateResource & { via: Provider })[] = [];
  const add = async (type: string, name: string, via: Provider, inputs: Record<string, unknown>, deps: string[] = []): Promise<string> => {
    const { id, outs } = await via.create(inputs);
    resources.push({ urn: urn(type, name), type, custom: true, id, inputs, outputs: outs, dependencies: deps.map((d) => urn(...(d.split("|") as [string, string]))), via });
    return id;
  };
  const VPC = "alicloud:vpc/network:Network|vpc";
  const APP = "alicloud:vpc/switch:Switch|app-vsw";
  const DATA = "alicloud:vpc/switch:Switch|data-vsw";
  const SG = "alicloud:ecs/securityGroup:SecurityGroup|sg";
  const net = (ref: string): Provider => doubleProvider(...(ref.split("|") as [string, string]));
  try {
    const vpcId = await add(...(VPC.split("|") as [string, string]), net(VPC), { cidrBlock: "172.16.0.0/16", vpcName: "bench" });
    const [appId, dataId, sgId] = await Promise.all([
      add(...(APP.split("|") as [string, string]), net(APP), { vpcId, zoneId: `${REGION}-b`, cidrBlock: "172.16.0.0/20" }, [VPC]),
      add(...(DATA.split("|") as [string, string]), net(DATA), { vpcId, zoneId: `${REGION}-h`, cidrBlock: "172.16.16.0/20" }, [VPC]),
      add(...(SG.split("|") as [string, string]), net(SG), { vpcId }, [VPC]),
    ]);
    const ecsDeps = [VPC, APP, SG];
    const dataDeps = [VPC, DATA];
    const creates: Promise<string>[] = [];
    if (variant === "a") {
      const launch = { regionId: REGION, imageId: IMAGE, instanceType: TYPE, vSwitchId: appId, securityGroupId: sgId };
      if (shape === "single") for (let i = 0; i < n; i++) creates.push(add("pulumi-nodejs:dynamic/alicloud-release:ecs.Instance", `vm-${i}`, packageProvider(ecsInstance), { ...launch }, ecsDeps));
      else creates.push(add("pulumi-nodejs:dynamic/alicloud-release:ecs.InstanceSet", "workers", packageProvider(ecsInstanceSet), { ...launch, amount: n }, ecsDeps));
      creates.push(add("pulumi-nodejs:dynamic/alicloud-release:mongodb.Instance", "db", packageProvider(mongodbInstance), { regionId: REGION, engineVersion: "7.0", dbInstanceClass: "dds.mongo.mid", dbInstanceStorage: 20, vpcId, vSwitchId: dataId, zoneId: `${REGION}-h` }, dataDeps));
      creates.push(add("pulumi-nodejs:dynamic/alicloud-release:redis.Instance", "cache", packageProvider(redisInstance), { regionId: REGION, instanceClass: "redis.master.small.default", engineVersion: "7.0", vpcId, vSwitchId: dataId, zoneId: `${REGION}-h`, purgeRecycleBin: true }, dataDeps));
    } else {
      const launch = { imageId: IMAGE, instanceType: TYPE, vswitchId: appId };
      if (shape === "single") for (let i = 0; i < n; i++) creates.push(add("alicloud:ecs/instance:Instance", `vm-${i}`, doubleProvider("alicloud:ecs/instance:Instance", `vm-${i}`), { ...launch, securityGroups: [sgId] }, ecsDeps));
      else creates.push(add("alicloud:ecs/ecsInstanceSet:EcsInstanceSet", "workers", doubleProvider("alicloud:ecs/ecsInstanceSet:EcsInstanceSet", "workers"), { ...launch, amount: n, securityGroupIds: [sgId] }, ecsDeps));
      creates.push(add("alicloud:mongodb/instance:Instance", "db", doubleProvider("alicloud:mongodb/instance:Instance", "db"), { engineVersion: "7.0", dbInstanceClass: "dds.mongo.mid", dbInstanceStorage: 20, vpcId, vswitchId: dataId, zoneId: `${REGION}-h` }, dataDeps));
      creates.push(add("alicloud:kvstore/instance:Instance", "cache", doubleProvider("alicloud:kvstore/instance:Instance", "cache"), { instanceClass: "redis.master.small.default", engineVersion: "7.0", vpcId, vswitchId: dataId, zoneId: `${REGION}-h` }, dataDeps));
    }
    await Promise.all(creates);

    await admin.clearRequests();
    const t0 = Date.now();
    const failed: string[] = [];
    let vpcGoneMs: number | undefined;
    const outcome = await deleteInOrder(resources, { parallel: PARALLEL, continueOnError: true }, async (r) => {
      try {
        await (r as (typeof resources)[number]).via.delete(r.id!, r.outputs);
        // The VPC's delete returns once DescribeVpcs no longer lists it.
        if (r.type === "alicloud:vpc/network:Network") vpcGoneMs = Date.now() - t0;
        return true;
      } catch (e) {
        failed.push(`${r.urn.split("::").pop()}: ${(e as Error).message.split("\n").find((l) => l.startsWith("ErrorCode")) ?? (e as Error).message.split("\n")[0]}`);
        return false;
      }
    });
    const wallS = (Date.now() - t0) / 1000;
    const stats: NetworkDeleteStats = networkDeleteStats(await admin.requests());
    return {
      n,
      shape,
      variant,
      dependencyViolations: stats.dependencyViolations,
      networkDeletes: stats.deletes.length,
      firstCallOk: stats.firstCallOk,
      retries: stats.retries,
      // In cloud time: the emulator's durations, the providers' polls and Terraform's sleeps all run × TIME_SCALE.
      vpcGoneAfterS: vpcGoneMs === undefined ? undefined : Math.round(vpcGoneMs / 1000 / TIME_SCALE),
      failedDeletes: [...failed, ...outcome.skipped.map((r) => `${r.urn.split("::").pop()}: not attempted (something in it was not deleted)`)],
      instancesLeft: (await admin.instances()).filter((i) => i.status !== "Released").length,
      inRecycleBin: (await admin.instances()).filter((i) => i.status === "Released").map((i) => PRODUCT_NAMES[i.product] ?? i.product),
      networkLeft: (await leftoverNetwork(admin)).length,
      wallS,
    };
  } finally {
    await emu.close();
  }
}

function markdown(results: MixedResult[]): string {
  const label = { a: "(a) pulumi-alicloud-release instances", b: "(b) plain @pulumi/alicloud instances (double)" };
  const rows = results.map(
    (r) =>
      `| ${r.n} | ${r.shape === "single" ? `${r.n} single instances` : `an instance set of ${r.n}`} | ${label[r.variant]} | ${r.dependencyViolations} | ${r.firstCallOk} of ${r.networkDeletes} | ${r.retries} | ` +
      `${r.vpcGoneAfterS === undefined ? "never (not deleted)" : `${r.vpcGoneAfterS} s`} | ${r.failedDeletes.length} | ${r.instancesLeft} | ${r.inRecycleBin.sort().join(", ") || "none"} | ${r.networkLeft} |`,
  );
  const failures = results.filter((r) => r.failedDeletes.length).map((r) => `- N = ${r.n}, ${r.shape}, ${label[r.variant]}:\n${r.failedDeletes.map((f) => `  - ${f}`).join("\n")}`);
  return [
    "# Mixed stack: network deletes after the instances",
    "",
    "Generated by `npm run bench:mixed` (bench/mixed-stack.ts). The stack: a VPC, two vSwitches (ECS zone, MongoDB/Redis",
    "zone), a security group, N ECS instances (N single instances, or one instance set of N), a pay-as-you-go MongoDB and a",
    "Redis instance,",
    "in the emulator at time scale 0.01; destroyed in reverse dependency order, 16 deletes at once, continuing past",
    "failures. (a) releases the instances with this package (graceful stop first; Redis purged from the recycle bin, MongoDB",
    "left in its bin, which has no purge API); (b) deletes them as",
    "terraform-provider-alicloud does (tools/alicloud-double: ECS `DeleteInstance Force=true` and a wait, the set's",
    "`DeleteInstances` without a wait, MongoDB/Redis `DeleteDBInstance`/`DeleteInstance` and a wait, no recycle-bin purge).",
    "The network is deleted by the double in both, with Terraform's DependencyViolation retries and timeouts (vSwitch and",
    "security group 10 min, VPC 5 min). \"VPC gone after\" is in cloud time: wall time ÷ 0.01, since every duration,",
    "poll and sleep runs × 0.01 (it includes this machine's own overhead, shared with other work while measured).",
    "",
    "| N | ECS | instances released by | DependencyViolation answers | network deletes OK on the first call | network-delete retries | VPC gone after | failed deletes | instances left | in a recycle bin | network resources left |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    ...(failures.length ? ["Failed deletes:", "", ...failures, ""] : []),
    `Run: ${new Date().toISOString().slice(0, 16)} UTC; destroy wall time ${results.map((r) => `N=${r.n} ${r.shape} (${r.variant}) ${r.wallS.toFixed(1)} s`).join(", ")}.`,
    "",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const value = (f: string): string | undefined => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : undefined);
  const ns = (value("--n") ?? "10,100").split(",").map(Number);
  if (ns.some((n) => !Number.isInteger(n) || n < 1 || n > 100)) throw new Error("--n takes instance counts from 1 to 100, e.g. 10,100");
  const out = value("--out") ?? path.join(repoRoot, "docs", "bench", "mixed-stack.md");
  const results: MixedResult[] = [];
  for (const n of ns) {
    for (const shape of ["single", "set"] as const) {
      for (const variant of ["a", "b"] as const) {
        process.stdout.write(`N = ${n}, ${shape}, variant (${variant}) … `);
        const r = await runOnce(n, shape, variant);
        results.push(r);
        process.stdout.write(`${r.dependencyViolations} DependencyViolation, ${r.firstCallOk}/${r.networkDeletes} first-call network deletes, ${r.failedDeletes.length} failed\n`);
      }
    }
  }
  const md = markdown(results);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, md);
  process.stdout.write(`\n${md}\nwritten to ${out}\n`);
  const goal = results.filter((r) => r.variant === "a").every((r) => r.dependencyViolations === 0 && r.firstCallOk === r.networkDeletes && r.failedDeletes.length === 0);
  return goal ? 0 : 1;
}
