// RAM authorization in the emulator: a key's policy decides each call after its signature is verified, an explicit
// Deny beats an Allow, wildcards work on actions and resource ARNs, a denial answers 403 Forbidden.RAM with the
// AccessDeniedDetail the SDKs expose, keys without a policy keep full access, and malformed policies are refused
// at start (CLI and programmatic) and by the admin route.
import * as Ecs from "@alicloud/ecs20140526";
import * as Kv from "@alicloud/r-kvstore20150101";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator";
import { useEmulator } from "../support/emulator";
import { defaultSecurityGroupId, defaultVSwitchId } from "../support/network";
import { ddsCall, ecsClient, kvClient, sdkError } from "../support/sdk";

const REGION = "cn-hangzhou";
const ROOT = path.resolve(__dirname, "../..");
const ROOT_KEY = { accessKeyId: "emulator", accessKeySecret: "emulator-secret" };
const CI_KEY = { accessKeyId: "ci-user", accessKeySecret: "ci-secret" };
const ROLE_KEY = { accessKeyId: "STS.role", accessKeySecret: "role-secret", securityToken: "role-token" };

const policy = (...statements: { Effect: string; Action: string | string[]; Resource: string | string[] }[]) => ({ Version: "1", Statement: statements });

const t = useEmulator({ credentials: [ROOT_KEY, CI_KEY, ROLE_KEY], timeScale: 0.01 });

const ci = () => ecsClient(t.emu.url, CI_KEY);
const describeAll = (c: ReturnType<typeof ecsClient>) => c.describeInstances(new Ecs.DescribeInstancesRequest({ regionId: REGION }));
async function launch(amount = 1): Promise<string[]> {
  const res = await ecsClient(t.emu.url).runInstances(
    new Ecs.RunInstancesRequest({ regionId: REGION, imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vSwitchId: defaultVSwitchId(), securityGroupId: defaultSecurityGroupId(), amount }),
  );
  await t.admin.advance(60);
  return res.body!.instanceIdSets!.instanceIdSet!;
}

describe("RAM policies", () => {
  it("a key without a policy keeps full access; with one, a call no statement allows is denied 403 Forbidden.RAM with AccessDeniedDetail", async () => {
    await t.admin.reset();
    await t.admin.setPolicy(CI_KEY.accessKeyId, null);
    expect((await describeAll(ci())).statusCode).toBe(200);

    await t.admin.setPolicy(CI_KEY.accessKeyId, policy({ Effect: "Allow", Action: "ecs:DescribeInstances", Resource: "*" }));
    expect((await describeAll(ci())).statusCode).toBe(200);
    const [id] = await launch();
    const e = await sdkError(ci().stopInstances(new Ecs.StopInstancesRequest({ regionId: REGION, instanceId: [id] })));
    expect(e).toMatchObject({ name: "ClientError", code: "Forbidden.RAM", statusCode: 403 });
    expect(e.data!.Message).toBe("User not authorized to operate on the specified resource, or this API doesn't support RAM.");
    const detail = e.data!.AccessDeniedDetail as Record<string, string>;
    expect(detail).toMatchObject({
      AuthAction: "ecs:StopInstances",
      AuthPrincipalType: "SubUser",
      AuthPrincipalDisplayName: "ci-user",
      NoPermissionType: "ImplicitDeny",
      PolicyType: "AccountLevelIdentityBasedPolicy",
    });
    // The encoded diagnostic decodes as RAM's DecodeDiagnosticMessage does: which resource was refused.
    expect(JSON.parse(Buffer.from(detail.EncodedDiagnosticMessage, "base64").toString())).toMatchObject({
      ExplicitDeny: false, AuthAction: "ecs:StopInstances", AuthResource: `acs:ecs:${REGION}:1000000000000000:instance/${id}`,
    });
    // The SDK hands the detail to the caller, and nothing changed; the log shows the denial.
    expect((await t.admin.instance(id))!.status).toBe("Running");
    expect((await t.admin.requests({ action: "StopInstances" })).map((r) => [r.status, r.code])).toEqual([[403, "Forbidden.RAM"]]);
    // The root key is not affected by the RAM user's policy.
    expect((await ecsClient(t.emu.url).stopInstances(new Ecs.StopInstancesRequest({ regionId: REGION, instanceId: [id] }))).statusCode).toBe(200);
  });

  it("an explicit Deny beats any Allow, and is reported as ExplicitDeny", async () => {
    await t.admin.reset();
    await t.admin.setPolicy(CI_KEY.accessKeyId, policy(
      { Effect: "Allow", Action: "ecs:*", Resource: "*" },
      { Effect: "Deny", Action: ["ecs:DeleteInstance*"], Resource: "acs:ecs:*:*:instance/*" },
    ));
    const [id] = await launch();
    expect((await ci().stopInstances(new Ecs.StopInstancesRequest({ regionId: REGION, instanceId: [id], forceStop: true }))).statusCode).toBe(200);
    for (const call of [
      () => ci().deleteInstances(new Ecs.DeleteInstancesRequest({ regionId: REGION, instanceId: [id], force: true })),
      () => ci().deleteInstance(new Ecs.DeleteInstanceRequest({ instanceId: id, force: true })),
    ]) {
      const e = await sdkError(call());
      expect(e.code).toBe("Forbidden.RAM");
      expect(e.data!.AccessDeniedDetail).toMatchObject({ NoPermissionType: "ExplicitDeny" });
    }
    expect(await t.admin.instance(id)).toBeDefined();
  });

  it("wildcards: ecs:Describe* allows every Describe call, `?` one character, and resource ARNs narrow by region and id", async () => {
    await t.admin.reset();
    const [a, b] = await launch(2);
    await t.admin.setPolicy(CI_KEY.accessKeyId, policy(
      { Effect: "Allow", Action: "ecs:Describe*", Resource: "*" },
      { Effect: "Allow", Action: "ecs:StopInstanc?", Resource: `acs:ecs:${REGION}:*:instance/${a}` },
      { Effect: "Allow", Action: "ECS:STOPINSTANCES", Resource: "acs:ecs:cn-beijing:*:instance/*" },
    ));
    expect((await describeAll(ci())).statusCode).toBe(200);
    expect((await ci().describeInstanceStatus(new Ecs.DescribeInstanceStatusRequest({ regionId: REGION }))).statusCode).toBe(200);
    // StopInstanc? matches StopInstance (one character), not StopInstances; the ARN names only `a`.
    expect((await ci().stopInstance(new Ecs.StopInstanceRequest({ instanceId: a }))).statusCode).toBe(200);
    expect((await sdkError(ci().stopInstance(new Ecs.StopInstanceRequest({ instanceId: b })))).code).toBe("Forbidden.RAM");
    // StopInstances on both: every named resource must be allowed; the region-scoped statement covers neither.
    const e = await sdkError(ci().stopInstances(new Ecs.StopInstancesRequest({ regionId: REGION, instanceId: [b] })));
    expect(e.data!.AccessDeniedDetail).toMatchObject({ AuthAction: "ecs:StopInstances", NoPermissionType: "ImplicitDeny" });
    expect((await t.admin.instance(b))!.status).toBe("Running");
    // "*" allows everything.
    await t.admin.setPolicy(CI_KEY.accessKeyId, policy({ Effect: "Allow", Action: "*", Resource: "*" }));
    expect((await ci().stopInstance(new Ecs.StopInstanceRequest({ instanceId: b }))).statusCode).toBe(200);
  });

  it("uses the RAM service codes of each product (dds, kvstore) and reports STS keys as an assumed role", async () => {
    await t.admin.reset();
    await t.admin.setPolicy(ROLE_KEY.accessKeyId, policy({ Effect: "Allow", Action: ["dds:Describe*", "kvstore:DescribeInstances"], Resource: "*" }));
    expect((await ddsCall(t.emu.url, "DescribeDBInstances", { RegionId: REGION }, ROLE_KEY)).RequestId).toBeDefined();
    const kv = kvClient(t.emu.url, ROLE_KEY);
    expect((await kv.describeInstances(new Kv.DescribeInstancesRequest({ regionId: REGION }))).statusCode).toBe(200);
    const dds = await sdkError(ddsCall(t.emu.url, "DeleteDBInstance", { DBInstanceId: "dds-bp1missing" }, ROLE_KEY));
    expect(dds.data!.AccessDeniedDetail).toMatchObject({ AuthAction: "dds:DeleteDBInstance", AuthPrincipalType: "AssumedRoleUser" });
    const redis = await sdkError(kv.deleteInstance(new Kv.DeleteInstanceRequest({ instanceId: "r-bp1missing" })));
    expect(redis).toMatchObject({ code: "Forbidden.RAM", statusCode: 403 });
    expect(redis.data!.AccessDeniedDetail).toMatchObject({ AuthAction: "kvstore:DeleteInstance" });
  });

  it("the admin route shows, replaces and removes a key's policy; malformed documents and unknown keys are refused; reset restores the start policies", async () => {
    await t.admin.reset();
    const doc = policy({ Effect: "Allow", Action: "ecs:DescribeInstances", Resource: "*" });
    expect(await t.admin.setPolicy(CI_KEY.accessKeyId, doc)).toEqual({ accessKeyId: "ci-user", policy: doc });
    expect(await t.admin.policy(CI_KEY.accessKeyId)).toEqual(doc);
    const put = (body: string, key = CI_KEY.accessKeyId) => fetch(`${t.emu.url}/_emulator/credentials/${key}/policy`, { method: "PUT", body, headers: { "content-type": "application/json" } });
    const cases: [string, RegExp][] = [
      [JSON.stringify({ Version: "1", Statement: [{ Effect: "Permit", Action: "ecs:*", Resource: "*" }] }), /Statement\[0\]\.Effect must be "Allow" or "Deny", got "Permit"/],
      [JSON.stringify({ Version: 1, Statement: [{ Effect: "Allow", Action: "ecs:*", Resource: "*" }] }), /Version must be the string "1"/],
      [JSON.stringify({ Version: "1", Statement: [] }), /Statement must be a non-empty list/],
      [JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "DescribeInstances", Resource: "*" }] }), /Action "DescribeInstances" is not "<service>:<Action>"/],
      [JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ecs:*", Resource: "instance/*" }] }), /Resource "instance\/\*" is not "\*" or an ARN/],
      [JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ecs:*" }] }), /Statement\[0\]\.Resource is missing/],
      [JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "ecs:*", Resource: "*", Condition: {} }] }), /Condition is not supported by the emulator/],
      ["[]", /./],
    ];
    for (const [body, message] of cases) {
      const res = await put(body);
      expect(res.status, body).toBe(400);
      expect(((await res.json()) as { error: string }).error, body).toMatch(message);
    }
    // A refused document leaves the policy as it was.
    expect(await t.admin.policy(CI_KEY.accessKeyId)).toEqual(doc);
    expect((await put(JSON.stringify(doc), "nobody")).status).toBe(404);
    expect(await t.admin.setPolicy(CI_KEY.accessKeyId, null)).toEqual({ accessKeyId: "ci-user", policy: null });
    expect((await ci().stopInstances(new Ecs.StopInstancesRequest({ regionId: REGION, instanceId: ["i-bp1missing"] })).catch((e: { code: string }) => e.code))).toBe("InvalidInstanceId.NotFound");
    await t.admin.setPolicy(CI_KEY.accessKeyId, doc);
    await t.admin.reset();
    expect(await t.admin.policy(CI_KEY.accessKeyId)).toBeNull();
  });
});

describe("policies given at start", () => {
  it("startEmulator refuses a malformed policy with a message naming the key and the element", async () => {
    await expect(startEmulator({ credentials: [{ ...CI_KEY, policy: { Version: "1", Statement: [{ Effect: "Allow", Action: 7, Resource: "*" }] } }] })).rejects.toThrow(
      'the RAM policy of credential ci-user: Statement[0].Action must be a non-empty string or a non-empty list of strings, got 7',
    );
  });

  it("the CLI: --credentials ID:SECRET --policy file.json applies the policy to that key; a malformed file stops the start with a clear error", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ram-policy-"));
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ecs:*", ');
    const cli = path.join(ROOT, "bin/alicloud-emulator.js");
    const run = spawnSync(process.execPath, [cli, "--credentials", "ci-user:ci-secret", "--policy", bad], { encoding: "utf8", timeout: 20_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`alicloud-emulator: --policy ${bad}: not valid JSON`);
    const orphan = spawnSync(process.execPath, [cli, "--policy", bad], { encoding: "utf8", timeout: 20_000 });
    expect(orphan.stderr).toContain("--policy must follow --credentials ID:SECRET");

    const { parseArgs } = await import("../../emulator/cli");
    const good = path.join(dir, "good.json");
    const doc = policy({ Effect: "Allow", Action: "ecs:Describe*", Resource: "*" });
    fs.writeFileSync(good, JSON.stringify(doc));
    const args = parseArgs(["--credentials", "admin:admin-secret", "ci-user:ci-secret", "--policy", good]);
    expect(args.credentials).toEqual([{ accessKeyId: "admin", accessKeySecret: "admin-secret", securityToken: undefined }, { accessKeyId: "ci-user", accessKeySecret: "ci-secret", securityToken: undefined, policy: doc }]);
    const emu = await startEmulator({ credentials: args.credentials });
    try {
      const client = ecsClient(emu.url, CI_KEY);
      expect((await describeAll(client)).statusCode).toBe(200);
      expect((await sdkError(client.stopInstances(new Ecs.StopInstancesRequest({ regionId: REGION, instanceId: ["i-bp1x"] })))).code).toBe("Forbidden.RAM");
      expect((await ecsClient(emu.url, { accessKeyId: "admin", accessKeySecret: "admin-secret" }).stopInstances(new Ecs.StopInstancesRequest({ regionId: REGION, instanceId: ["i-bp1x"] })).catch((e: { code: string }) => e.code))).toBe("InvalidInstanceId.NotFound");
    } finally {
      await emu.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
