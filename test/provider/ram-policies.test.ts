// The documented RAM policies (docs/policies/*.json, printed in the README) against the provider's own code, the
// real SDKs and the emulator's RAM: every action of the up-and-destroy policy is needed (with it removed, the step
// that uses it fails with a message naming it and the statement to add, and nothing is changed after the denial
// that should not be: no stop when the release would be denied, and what a denial part-way through a batched change
// had changed is said); the read-only policy reads and changes nothing;
// and the README shows exactly the files.
import * as fs from "node:fs";
import * as os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../emulator/core/ram";
import type { RequestLogEntry } from "../../emulator";
import { plan, status, sweep } from "../../provider/automation";
import * as ecs from "../../provider/ecs/instance-provider";
import * as ecsSet from "../../provider/ecs/instance-set-provider";
import * as mongo from "../../provider/mongodb/instance-provider";
import * as sharded from "../../provider/mongodb/sharding-instance-provider";
import * as tair from "../../provider/redis/tair-instance-provider";
import * as redis from "../../provider/redis/instance-provider";
import { defaultSecurityGroupId, defaultVpcId, defaultVSwitchId } from "../support/network";
import { isDryRun, useEmulatorForProvider } from "../support/provider-env";

const ROOT = path.resolve(__dirname, "../..");
const REGION = "cn-hangzhou";
const CI = { accessKeyId: "ci-deployer", accessKeySecret: "ci-deployer-secret" };

type PolicyDoc = { Version: string; Statement: { Effect: string; Action: string[]; Resource: string }[] };
const policyFile = (name: string): string => fs.readFileSync(path.join(ROOT, "docs/policies", `${name}.json`), "utf8");
const policy = (name: string): PolicyDoc => JSON.parse(policyFile(name)) as PolicyDoc;
const actionsOf = (p: PolicyDoc): string[] => p.Statement.flatMap((s) => s.Action);
function without(p: PolicyDoc, action: string): PolicyDoc {
  return { ...p, Statement: p.Statement.map((s) => ({ ...s, Action: s.Action.filter((a) => a !== action) })).filter((s) => s.Action.length > 0) };
}

const UP = policy("up-and-destroy");

const env = useEmulatorForProvider(
  { "ecs.pending": 1, "ecs.starting": 1, "dds.creating": 30, "kv.creating": 30, "dds.lockAfterExpiry": 1 },
  { credentials: [{ accessKeyId: "emulator", accessKeySecret: "emulator-secret" }, CI] },
);

const LAUNCH = { regionId: REGION, imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vSwitchId: defaultVSwitchId(), securityGroupId: defaultSecurityGroupId() };
const MONGO = { regionId: REGION, engineVersion: "7.0", dbInstanceClass: "dds.mongo.mid", dbInstanceStorage: 20, vSwitchId: defaultVSwitchId(`${REGION}-h`), zoneId: `${REGION}-h` };
const REDIS = { regionId: REGION, instanceClass: "redis.master.small.default", engineVersion: "7.0", vSwitchId: defaultVSwitchId(`${REGION}-h`), zoneId: `${REGION}-h`, password: "Ram-Test-Pw-9k2" };

type Made = { id: string; outs: Record<string, unknown> };
type Module = {
  create(inputs: Record<string, unknown>): Promise<unknown>;
  update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<unknown>;
  delete(id: string, outs: Record<string, unknown>): Promise<void>;
};

/** Runs as the CI key: credentials are read at call time, so the environment decides. */
function asCi(): void {
  process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = CI.accessKeyId;
  process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = CI.accessKeySecret;
}

const create = async (m: Module, inputs: Record<string, unknown>): Promise<Made> => (await m.create(inputs)) as Made;

interface Scenario {
  /** Made under the whole policy. */
  setup?: () => Promise<Made>;
  /** The step that needs the action, run without it. */
  step: (made: Made | undefined) => Promise<unknown>;
  /** What the cloud looks like after the denial. */
  then: (made: Made | undefined) => Promise<void>;
  /** For releases: what the message says had been changed before the denial. */
  changedBefore?: string;
  /** The calls that made those changes. */
  callsBefore?: string[];
}

const statusOf = async (id: string): Promise<string | undefined> => (await env.admin.instance(id))?.status;
const nothingOf = async (product: "ecs" | "dds" | "r-kvstore"): Promise<void> => expect(await env.admin.instances(product)).toEqual([]);

/** Tags changed in place by `up`: adding one is TagResources, removing one UntagResources (made first). */
const TAGGED = { "ram-test-team": "ram-a" };
function tagScenario(m: Module, inputs: Record<string, unknown>, tags: Record<string, string>): Scenario {
  return {
    setup: () => create(m, { ...inputs, tags: TAGGED }),
    step: (made) => m.update(made!.id, made!.outs, { ...inputs, tags }),
    then: async (made) => {
      const seen = JSON.stringify(await env.admin.instance(made!.id));
      expect(seen).toContain("ram-test-team");
      expect(seen).not.toContain("ram-test-new");
    },
  };
}

const CLUSTER = {
  regionId: REGION, engineVersion: "6.0", vSwitchId: MONGO.vSwitchId, zoneId: MONGO.zoneId,
  mongos: [{ class: "mdb.shard.2x.xlarge.d" }, { class: "mdb.shard.2x.xlarge.d" }],
  replicaSet: [{ class: "mdb.shard.4x.large.d", storage: 40 }, { class: "mdb.shard.4x.large.d", storage: 40 }],
  configServer: [{ class: "mdb.shard.2x.xlarge.d", storage: 20 }],
};
const TAIR = { regionId: REGION, zoneId: REDIS.zoneId, vpcId: defaultVpcId(REGION), vSwitchId: REDIS.vSwitchId, instanceType: "tair_rdb", instanceClass: "tair.rdb.2g", password: "Ram-Test-Pw-9k2" };

const SCENARIOS: Record<string, Scenario> = {
  "ecs:RunInstances": { step: () => ecs.create(LAUNCH), then: () => nothingOf("ecs") },
  "ecs:DescribeInstances": { setup: () => create(ecs, LAUNCH), step: (m) => ecs.delete(m!.id, m!.outs), then: async (m) => expect(await statusOf(m!.id)).toBe("Running") },
  "ecs:StopInstances": { setup: () => create(ecs, LAUNCH), step: (m) => ecs.delete(m!.id, m!.outs), then: async (m) => expect(await statusOf(m!.id)).toBe("Running"), changedBefore: "nothing" },
  "ecs:DeleteInstances": { setup: () => create(ecs, LAUNCH), step: (m) => ecs.delete(m!.id, m!.outs), then: async (m) => expect(await statusOf(m!.id)).toBe("Running"), changedBefore: "nothing" },
  "ecs:ModifyInstanceAttribute": {
    setup: () => create(ecs, { ...LAUNCH, deletionProtection: true }),
    step: (m) => ecs.delete(m!.id, { ...m!.outs, overrideProtection: true }),
    then: async (m) => expect(await env.admin.instance(m!.id)).toMatchObject({ status: "Running", DeletionProtection: true }),
    changedBefore: "nothing",
  },
  "ecs:ModifyInstanceChargeType": {
    setup: () => create(ecs, { ...LAUNCH, instanceChargeType: "PrePaid", period: 1 }),
    step: (m) => ecs.delete(m!.id, { ...m!.outs, onSubscription: "convert" }),
    then: async (m) => expect(await env.admin.instance(m!.id)).toMatchObject({ status: "Running", chargeType: "PrePaid" }),
    changedBefore: "nothing",
  },
  "ecs:TagResources": tagScenario(ecs, LAUNCH, { ...TAGGED, "ram-test-new": "x" }),
  "ecs:UntagResources": tagScenario(ecs, LAUNCH, {}),
  "dds:TagResources": tagScenario(mongo, MONGO, { ...TAGGED, "ram-test-new": "x" }),
  "dds:UntagResources": tagScenario(mongo, MONGO, {}),
  "kvstore:TagResources": tagScenario(redis, REDIS, { ...TAGGED, "ram-test-new": "x" }),
  "kvstore:UntagResources": tagScenario(redis, REDIS, {}),
  "dds:CreateDBInstance": { step: () => mongo.create(MONGO), then: () => nothingOf("dds") },
  "dds:DescribeDBInstances": { setup: () => create(mongo, MONGO), step: (m) => mongo.delete(m!.id, m!.outs), then: async (m) => expect(await statusOf(m!.id)).toBe("Running") },
  // The wait after CreateDBInstance: created, then the create fails (kept in state as an init failure).
  "dds:DescribeDBInstanceAttribute": { step: () => mongo.create(MONGO), then: async () => expect(await env.admin.instances("dds")).toHaveLength(1) },
  "dds:ModifyDBInstanceAttribute": {
    setup: () => create(mongo, { ...MONGO, releaseProtection: true }),
    step: (m) => mongo.delete(m!.id, { ...m!.outs, overrideProtection: true }),
    then: async (m) => expect(await statusOf(m!.id)).toBe("Running"),
    changedBefore: "nothing",
  },
  "dds:DeleteDBInstance": { setup: () => create(mongo, MONGO), step: (m) => mongo.delete(m!.id, m!.outs), then: async (m) => expect(await statusOf(m!.id)).toBe("Running"), changedBefore: "nothing" },
  "dds:DestroyInstance": {
    setup: async () => {
      const made = await create(mongo, { ...MONGO, chargeType: "PrePaid", period: 1 });
      await env.admin.expire(made.id);
      await env.admin.advance(10);
      return made;
    },
    step: (m) => mongo.delete(m!.id, m!.outs),
    then: async (m) => expect(await env.admin.instance(m!.id)).toMatchObject({ status: "Running" }),
    changedBefore: "nothing",
  },
  "dds:CreateShardingDBInstance": { step: () => sharded.create(CLUSTER), then: () => nothingOf("dds") },
  "kvstore:CreateTairInstance": { step: () => tair.create(TAIR), then: () => nothingOf("r-kvstore") },
  "kvstore:CreateInstance": { step: () => redis.create(REDIS), then: () => nothingOf("r-kvstore") },
  // A release asks it only with overrideProtection (is protection on?) or about an id the region's list does not show.
  "kvstore:DescribeInstanceAttribute": {
    setup: () => create(redis, { ...REDIS, releaseProtection: true }),
    step: (m) => redis.delete(m!.id, { ...m!.outs, overrideProtection: true }),
    then: async (m) => expect(await env.admin.instance(m!.id)).toMatchObject({ status: "Normal", InstanceReleaseProtection: true }),
  },
  "kvstore:DescribeInstances": {
    setup: () => create(redis, { ...REDIS, chargeType: "PrePaid", period: 1 }),
    step: (m) => redis.delete(m!.id, m!.outs),
    then: async (m) => expect(await statusOf(m!.id)).toBe("Normal"),
  },
  "kvstore:ModifyInstanceAttribute": {
    setup: () => create(redis, { ...REDIS, releaseProtection: true }),
    step: (m) => redis.delete(m!.id, { ...m!.outs, overrideProtection: true }),
    then: async (m) => expect(await statusOf(m!.id)).toBe("Normal"),
    changedBefore: "nothing",
  },
  "kvstore:DeleteInstance": { setup: () => create(redis, REDIS), step: (m) => redis.delete(m!.id, m!.outs), then: async (m) => expect(await statusOf(m!.id)).toBe("Normal"), changedBefore: "nothing" },
  "kvstore:DestroyInstance": {
    setup: () => create(redis, REDIS),
    step: (m) => redis.delete(m!.id, { ...m!.outs, purgeRecycleBin: true }),
    // Released into the recycle bin, and kept there: the purge was denied.
    then: async (m) => expect(await statusOf(m!.id)).toBe("Released"),
    changedBefore: "released into the recycle bin (DeleteInstance)",
    callsBefore: ["r-kvstore:DeleteInstance"],
  },
};

const CHANGE = /^(Run|Create|Modify|Stop|Start|Delete|Destroy|Tag|Untag)/;
/** Calls that changed something: DryRun checks and failed calls did not. */
const changesIn = (log: RequestLogEntry[]): string[] => log.filter((e) => e.status === 200 && CHANGE.test(e.action ?? "") && !isDryRun(e)).map((e) => `${e.product}:${e.action}`);

describe("the up-and-destroy policy is minimal: each action removed fails the step that needs it, naming it", () => {
  it("every action of the policy has a scenario, and no scenario is for an action outside it", () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(actionsOf(UP).sort());
  });

  it.each(actionsOf(UP))("without %s", async (action) => {
    await env.reset();
    asCi();
    await env.admin.setPolicy(CI.accessKeyId, UP);
    const scenario = SCENARIOS[action];
    const made = await scenario.setup?.();
    await env.admin.clearRequests();
    await env.admin.setPolicy(CI.accessKeyId, without(UP, action));

    const err = (await scenario.step(made).then(() => undefined, (e: unknown) => e)) as Error | undefined;
    expect(err, `${action}: the step succeeded without it`).toBeInstanceOf(Error);
    expect(err!.message).toContain(`RAM denied ${action}`);
    expect(err!.message).toContain(`{"Effect":"Allow","Action":["${action}"],"Resource":"*"}`);
    expect(err!.message).toMatch(/RequestId: [0-9A-F-]{36}$/);

    const log = await env.admin.requests();
    const denied = log.find((e) => e.code === "Forbidden.RAM")!;
    expect(`${denied.product === "r-kvstore" ? "kvstore" : denied.product}:${denied.action}`).toBe(action);
    // Nothing changed after the denial.
    expect(changesIn(log.filter((e) => e.seq > denied.seq))).toEqual([]);
    if (scenario.changedBefore !== undefined) {
      expect(err!.message).toContain(`  Changed before the denial: ${scenario.changedBefore}.`);
      expect(err!.message).toMatch(/\n {2}Phase: .+\.\n/);
      expect(changesIn(log.filter((e) => e.seq < denied.seq))).toEqual(scenario.callsBefore ?? []);
    }
    await scenario.then(made);
  });

  it.each([
    [
      "DeleteInstances and StopInstances are denied fails before the stop, naming both",
      ["ecs:DeleteInstances", "ecs:StopInstances"],
      ["  Also denied: ecs:DeleteInstances; add it to the same statement's Action list.", "  Phase: the permission check before any change (DryRun)."],
      // Only the permission checks: the release's, then, as it was denied, the stop's (to name both).
      ["DeleteInstances (DryRun) -> Forbidden.RAM", "StopInstances (DryRun) -> Forbidden.RAM"],
    ],
    [
      "StopInstances alone is denied checks only the release; the stop, its first change, is denied and changes nothing",
      ["ecs:StopInstances"],
      ["  Phase: stopping (StopInstances)."],
      ["DeleteInstances (DryRun) -> DRYRUN.SUCCESS", "StopInstances -> Forbidden.RAM"],
    ],
  ])("an ECS release whose %s, with the whole message", async (_what, removed, middle, calls) => {
    await env.reset();
    asCi();
    await env.admin.setPolicy(CI.accessKeyId, UP);
    const made = await create(ecs, LAUNCH);
    await env.admin.clearRequests();
    await env.admin.setPolicy(CI.accessKeyId, removed.reduce(without, UP));
    const err = (await ecs.delete(made.id, made.outs).then(() => undefined, (e: Error) => e))!;
    const log = await env.admin.requests({ product: "ecs" });
    const denial = log.find((e) => e.action === "StopInstances" && e.code === "Forbidden.RAM")!;
    expect(err.message).toBe(
      [
        `ecs.Instance ${made.id}: StopInstances failed with Forbidden.RAM (HTTP 403): User not authorized to operate on the specified resource, or this API doesn't support RAM.`,
        `  What it means: RAM denied ecs:StopInstances (SubUser ${CI.accessKeyId}): no statement in the policies of the user or role allows it (ImplicitDeny).`,
        `  What to do: add this statement to the RAM policy of the user or role that runs Pulumi (see "Least privilege: RAM policies" in the README for the complete policies), then run the command again:`,
        `    {"Effect":"Allow","Action":["ecs:StopInstances"],"Resource":"*"}`,
        ...middle,
        "  Changed before the denial: nothing.",
        "  Not done: stopped (StopInstances); released (DeleteInstances).",
        `  RequestId: ${denial.requestId}`,
      ].join("\n"),
    );
    expect(log.filter((e) => e.action !== "DescribeInstances").map((e) => `${e.action}${isDryRun(e) ? " (DryRun)" : ""} -> ${e.code ?? e.status}`)).toEqual(calls);
    expect(await statusOf(made.id)).toBe("Running");
  });

  // A policy may name instances: a batched first change (not checked by DryRun) denied for one instance is made
  // for the others, and the message says for how many, and for which it was not.
  it.each([
    ["the stop", "ecs:StopInstances", {}, "stopped (StopInstances)", "Stopped"],
    ["with force, the release", "ecs:DeleteInstances", { force: true }, "released (DeleteInstances)", undefined],
  ] as const)("an ECS release of 150 instances, %s denied for one of them by name, says what the other calls changed", async (_what, action, extra, change, after) => {
    await env.reset();
    asCi();
    await env.admin.setPolicy(CI.accessKeyId, UP);
    const made = await create(ecsSet, { ...LAUNCH, amount: 150 });
    const ids = made.outs.instanceIds as string[];
    const denied = ids[120];
    await env.admin.clearRequests();
    await env.admin.setPolicy(CI.accessKeyId, { ...UP, Statement: [...UP.Statement, { Effect: "Deny", Action: [action], Resource: `acs:ecs:*:*:instance/${denied}` }] });
    const err = (await ecsSet.delete(made.id, { ...made.outs, ...extra }).then(() => undefined, (e: Error) => e))!;
    expect(err.message).toContain(`RAM denied ${action} (SubUser ${CI.accessKeyId}): a Deny statement`);
    expect(err.message).toContain(`  Changed before the denial: ${change} for 149 of the 150 instances.\n`);
    expect(err.message).toMatch(new RegExp(`\n {2}Not done: ${change.replace(/[()]/g, "\\$&")} for ${denied}[;.]`));
    await env.admin.advance(60);
    const left = await env.admin.instances("ecs");
    expect(left.filter((i) => i.id !== denied).map((i) => i.status)).toEqual(after ? ids.slice(1).map(() => after) : []);
    expect(await statusOf(denied)).toBe("Running");
  });

  it("an explicit Deny is named as such, and adding an Allow is not offered as the fix", async () => {
    await env.reset();
    asCi();
    await env.admin.setPolicy(CI.accessKeyId, UP);
    const made = await create(ecs, LAUNCH);
    await env.admin.setPolicy(CI.accessKeyId, { ...UP, Statement: [...UP.Statement, { Effect: "Deny", Action: ["ecs:Delete*"], Resource: "*" }] });
    const err = (await ecs.delete(made.id, made.outs).then(() => undefined, (e: Error) => e))!;
    expect(err.message).toContain("RAM denied ecs:DeleteInstances (SubUser ci-deployer): a Deny statement in a policy attached to the user or role matches it");
    expect(err.message).toContain("remove ecs:DeleteInstances from that Deny statement (or narrow its Resource), then run the command again. Adding an Allow does not help.");
    expect(await statusOf(made.id)).toBe("Running");
  });
});

describe("the read-only policy", () => {
  it("reads every resource kind and changes nothing: each create and delete is denied, naming its action", async () => {
    await env.reset();
    asCi();
    await env.admin.setPolicy(CI.accessKeyId, UP);
    const made: [Module & { read(id: string, props: Record<string, unknown>): Promise<unknown> }, Made, string, string][] = [
      [ecs, await create(ecs, LAUNCH), "ecs:RunInstances", "ecs:StopInstances"],
      [mongo, await create(mongo, MONGO), "dds:CreateDBInstance", "dds:DeleteDBInstance"],
      [redis, await create(redis, REDIS), "kvstore:CreateInstance", "kvstore:DeleteInstance"],
    ];
    const before = await env.admin.instances();
    await env.admin.clearRequests();
    await env.admin.setPolicy(CI.accessKeyId, policy("read-only"));
    for (const [m, { id, outs }] of made) expect(await m.read(id, outs)).toMatchObject({ id });
    const inputs = [LAUNCH, MONGO, REDIS];
    for (const [i, [m, { id, outs }, createAction, deleteAction]] of made.entries()) {
      expect(((await m.create(inputs[i]).catch((e: Error) => e)) as Error).message).toContain(`RAM denied ${createAction}`);
      expect(((await m.delete(id, outs).catch((e: Error) => e)) as Error).message).toContain(`RAM denied ${deleteAction}`);
    }
    const log = await env.admin.requests();
    expect(changesIn(log)).toEqual([]);
    expect(log.filter((e) => e.status === 200 && !isDryRun(e)).every((e) => /^Describe/.test(e.action!))).toBe(true);
    expect(await env.admin.instances()).toEqual(before);
  });
});

describe("the read-only commands under the read-only policy", () => {
  it("alicloud-release status, sweep (without --release) and plan run and change nothing; plan reports the releases this key may not make", async () => {
    await env.reset();
    asCi();
    await env.admin.setPolicy(CI.accessKeyId, UP);
    const web = await create(ecs, LAUNCH);
    const db = await create(mongo, MONGO);
    const type = (kind: string) => `pulumi-nodejs:dynamic/alicloud-release:${kind}`;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ram-stack-")), "stack.json");
    fs.writeFileSync(file, JSON.stringify({ version: 3, deployment: { resources: [
      { urn: `urn:pulumi:ci::ram::${type("ecs.Instance")}::web`, type: type("ecs.Instance"), id: web.id, outputs: web.outs },
      { urn: `urn:pulumi:ci::ram::${type("mongodb.Instance")}::db`, type: type("mongodb.Instance"), id: db.id, outputs: db.outs },
    ] } }));
    const before = await env.admin.instances();
    await env.admin.clearRequests();
    await env.admin.setPolicy(CI.accessKeyId, policy("read-only"));
    try {
      const seen = await status({ stackFile: file, regions: [REGION] });
      expect(seen.regionsSkipped).toEqual([]);
      const swept = await sweep({ stackFile: file, regions: [REGION] });
      expect(swept.found).toEqual([]);
      const planned = await plan({ stackFile: file });
      expect(planned.resources.find((r) => r.name === "web")).toMatchObject({ outcome: "denied" });
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
    const log = await env.admin.requests();
    expect(changesIn(log)).toEqual([]);
    // The only denials are plan's DryRun checks of the ECS release.
    expect(log.filter((e) => e.code === "Forbidden.RAM").every(isDryRun)).toBe(true);
    expect(await env.admin.instances()).toEqual(before);
  });
});

describe("the policy documents", () => {
  it("are valid RAM policies; destroy is up-and-destroy without the creates and tag changes; read-only allows only Describe* and List*", () => {
    for (const name of ["up-and-destroy", "destroy", "read-only"]) expect(() => parsePolicy(policyFile(name), name)).not.toThrow();
    const upOnly = /:(RunInstances|Create\w+|TagResources|UntagResources)$/;
    expect(actionsOf(policy("destroy")).sort()).toEqual(actionsOf(UP).filter((a) => !upOnly.test(a)).sort());
    expect(actionsOf(policy("read-only")).every((a) => /^(ecs|dds|kvstore):(Describe|List)\*$/.test(a))).toBe(true);
  });

  it("the README shows each file exactly, under its path", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Least privilege: RAM policies"));
    for (const name of ["up-and-destroy", "destroy", "read-only"]) {
      const at = section.indexOf(`[\`docs/policies/${name}.json\`]`);
      expect(at, `README names docs/policies/${name}.json`).toBeGreaterThan(0);
      const block = /```json\n([\s\S]*?)```/.exec(section.slice(at))!;
      expect(block[1], `README's ${name} policy`).toBe(policyFile(name));
    }
  });
});
