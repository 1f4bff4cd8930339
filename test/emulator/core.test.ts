// The emulator's front door: start-up, authentication as the cloud does it, routing by version, the error
// shape, injected faults, flow control, robustness and the admin API. Product behaviour is tested per product.
import * as Ecs from "@alicloud/ecs20140526";
import * as Kv from "@alicloud/r-kvstore20150101";
import { useEmulator } from "../support/emulator";
import { ChildProcess, spawn } from "node:child_process";
import { createServer, Socket } from "node:net";
import { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EmulatorAdmin, startEmulator } from "../../emulator";
import { ecsClient, kvClient, rpcCall, sdkError, SignatureMode } from "../support/sdk";

const ROOT = path.resolve(__dirname, "../..");
const REGION = "cn-hangzhou";

function runInstances(url: string, amount = 1, extra: Partial<Ecs.RunInstancesRequest> = {}, signature?: SignatureMode) {
  return ecsClient(url, { signature }).runInstances(
    new Ecs.RunInstancesRequest({ regionId: REGION, imageId: "ubuntu_22_04_x64", instanceType: "ecs.g7.large", vSwitchId: "vsw-default-cn-hangzhou-b", securityGroupId: "sg-default-cn-hangzhou", amount, ...extra }),
  );
}

function describeAll(url: string, signature?: SignatureMode, o: { accessKeyId?: string; accessKeySecret?: string; securityToken?: string } = {}) {
  return ecsClient(url, { signature, ...o }).describeInstances(new Ecs.DescribeInstancesRequest({ regionId: REGION, pageSize: 100 }));
}

/** Start the packaged CLI as a user would (node bin/alicloud-emulator.js) and read its first line. */
function startCli(args: string[]): Promise<{ child: ChildProcess; firstLine: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, "bin/alicloud-emulator.js"), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve({ child, firstLine: out.slice(0, nl) });
    });
    child.stderr!.on("data", (d) => (err += d));
    child.on("exit", (code) => reject(Object.assign(new Error(`exited ${code}: ${err}`), { code, stderr: err })));
  });
}

/** A TCP relay that records the raw bytes of each request, so a signed request can be replayed as it was. */
async function recordingRelay(targetPort: number): Promise<{ port: number; requests: Buffer[]; close(): void }> {
  const requests: Buffer[] = [];
  const server = createServer((client) => {
    const upstream = new Socket();
    upstream.connect(targetPort, "127.0.0.1");
    client.on("data", (d) => {
      requests.push(Buffer.from(d));
      upstream.write(d);
    });
    upstream.on("data", (d) => client.write(d));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { port: (server.address() as AddressInfo).port, requests, close: () => server.close() };
}

function rawSend(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = new Socket();
    let out = "";
    s.connect(port, "127.0.0.1", () => s.write(bytes));
    s.on("data", (d) => {
      out += d;
      if (out.includes("\r\n\r\n") && /"RequestId"/.test(out)) s.end();
    });
    s.on("close", () => resolve(out));
    s.on("error", reject);
  });
}

describe("start-up", () => {
  it("prints exactly 'listening on http://127.0.0.1:<port>' first and serves the admin API there", async () => {
    const { child, firstLine } = await startCli(["--port", "0", "--time-scale", "0.5"]);
    try {
      expect(firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = firstLine.slice("listening on ".length);
      const health = await new EmulatorAdmin(url).health();
      expect(health).toMatchObject({ status: "ok", timeScale: 0.5 });
    } finally {
      child.kill();
    }
  });

  it("refuses bad arguments with a message and exit code 2", async () => {
    const err = (await startCli(["--port", "70000"]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toContain("--port must be 0..65535, got 70000");
    const bad = (await startCli(["--duration", "ecs.nope=3"]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown duration "ecs.nope"');
  });

  it("accepts the key pairs given with --credentials instead of the default pair", async () => {
    const { child, firstLine } = await startCli(["--port", "0", "--credentials", "ak1:s1", "ak2:s2"]);
    try {
      const url = firstLine.slice("listening on ".length);
      await expect(describeAll(url, "acs3", { accessKeyId: "ak2", accessKeySecret: "s2" })).resolves.toBeTruthy();
      const e = await sdkError(describeAll(url, "acs3"));
      expect(e.code).toBe("InvalidAccessKeyId.NotFound");
      expect(e.statusCode).toBe(404);
    } finally {
      child.kill();
    }
  });
});

describe.each(["acs3", "v1"] as const)("authentication with %s signatures", (signature) => {
  const t = useEmulator({
    credentials: [
      { accessKeyId: "emulator", accessKeySecret: "emulator-secret" },
      { accessKeyId: "STS.temp", accessKeySecret: "sts-secret", securityToken: "sts-token-value" },
    ],
  });
  afterEach(() => vi.useRealTimers());

  it("accepts a correctly signed request", async () => {
    const res = await describeAll(t.emu.url, signature);
    expect(res.statusCode).toBe(200);
    expect(res.body?.requestId).toMatch(/^[0-9A-F-]{36}$/);
  });

  it("rejects an unknown AccessKeyId", async () => {
    const e = await sdkError(describeAll(t.emu.url, signature, { accessKeyId: "nobody" }));
    expect([e.code, e.statusCode]).toEqual(["InvalidAccessKeyId.NotFound", 404]);
    expect(e.message).toContain("Specified access key is not found.");
  });

  it("rejects a signature made with the wrong secret", async () => {
    const e = await sdkError(describeAll(t.emu.url, signature, { accessKeySecret: "wrong" }));
    expect([e.code, e.statusCode]).toEqual(["SignatureDoesNotMatch", 400]);
    expect(e.message).toBe(`SignatureDoesNotMatch: code: 400, Specified signature is not matched with our calculation. request id: ${e.requestId}`);
  });

  it("checks the STS token that goes with temporary credentials", async () => {
    await expect(describeAll(t.emu.url, signature, { accessKeyId: "STS.temp", accessKeySecret: "sts-secret", securityToken: "sts-token-value" })).resolves.toBeTruthy();
    const e = await sdkError(describeAll(t.emu.url, signature, { accessKeyId: "STS.temp", accessKeySecret: "sts-secret", securityToken: "other" }));
    expect(e.code).toBe("InvalidSecurityToken.MismatchWithAccessKey");
  });

  it("rejects a timestamp more than 15 minutes off", async () => {
    // The in-process emulator would share the faked clock, so this one runs as its own process.
    const { child, firstLine } = await startCli(["--port", "0"]);
    try {
      const url = firstLine.slice("listening on ".length);
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 16 * 60 * 1000 });
      const e = await sdkError(describeAll(url, signature));
      expect([e.code, e.statusCode]).toEqual(["InvalidTimeStamp.Expired", 400]);
      vi.setSystemTime(Date.now() - 2 * 60 * 1000);
      await expect(describeAll(url, signature)).resolves.toBeTruthy();
    } finally {
      vi.useRealTimers();
      child.kill();
    }
  });

  it("rejects a replayed request (same nonce) and accepts a fresh one", async () => {
    const relay = await recordingRelay(t.emu.port);
    try {
      const viaRelay = `http://127.0.0.1:${relay.port}`;
      await describeAll(viaRelay, signature);
      expect(relay.requests.length).toBeGreaterThan(0);
      const replay = await rawSend(t.emu.port, Buffer.concat(relay.requests));
      expect(replay).toMatch(/^HTTP\/1\.1 400/);
      expect(replay).toContain('"Code":"SignatureNonceUsed"');
      await expect(describeAll(t.emu.url, signature)).resolves.toBeTruthy();
    } finally {
      relay.close();
    }
  });
});

describe("routing, error shape and robustness", () => {
  const t = useEmulator();

  it("routes the same action name to the product of the API version", async () => {
    await t.admin.clearRequests();
    await sdkError(ecsClient(t.emu.url).deleteInstance(new Ecs.DeleteInstanceRequest({ instanceId: "i-bp1doesnotexist" })));
    await sdkError(kvClient(t.emu.url).deleteInstance(new Kv.DeleteInstanceRequest({ instanceId: "r-bp1doesnotexist" })));
    const log = await t.admin.requests({ action: "DeleteInstance" });
    expect(log.map((e) => [e.product, e.action, e.status])).toEqual([
      ["ecs", "DeleteInstance", 404],
      ["r-kvstore", "DeleteInstance", 404],
    ]);
  });

  it("answers errors in the documented JSON shape", async () => {
    const e = await sdkError(ecsClient(t.emu.url).deleteInstance(new Ecs.DeleteInstanceRequest({ instanceId: "i-bp1doesnotexist" })));
    expect(e.data).toEqual({
      RequestId: e.requestId,
      HostId: "ecs.aliyuncs.com",
      Code: "InvalidInstanceId.NotFound",
      Message: "The specified InstanceId does not exist.",
      Recommend: `https://api.aliyun.com/troubleshoot?q=InvalidInstanceId.NotFound&product=Ecs&requestId=${e.requestId}`,
    });
  });

  it("rejects an unknown version and an unknown action", async () => {
    const v = await sdkError(rpcCall(t.emu.url, "2099-01-01", "DescribeInstances", { RegionId: REGION }));
    expect([v.code, v.statusCode]).toEqual(["InvalidVersion", 400]);
    const a = await sdkError(rpcCall(t.emu.url, "2014-05-26", "LaunchRockets", { RegionId: REGION }));
    expect([a.code, a.statusCode]).toEqual(["InvalidAction.NotFound", 404]);
  });

  it("answers a missing required parameter and a malformed value with the gateway's codes", async () => {
    const m = await sdkError(rpcCall(t.emu.url, "2014-05-26", "DescribeInstances", {}));
    expect([m.code, m.statusCode]).toEqual(["MissingParameter", 400]);
    expect(m.message).toContain('The input parameter "RegionId" that is mandatory for processing this request is not supplied.');
    const typed = await sdkError(rpcCall(t.emu.url, "2014-05-26", "DescribeInstances", { RegionId: REGION, PageSize: "lots" }));
    expect([typed.code, typed.statusCode]).toEqual(["InvalidParameter", 400]);
    const r = await sdkError(rpcCall(t.emu.url, "2014-05-26", "DescribeInstances", { RegionId: "mars-north-1" }));
    expect([r.code, r.statusCode]).toEqual(["InvalidRegionId.NotFound", 404]);
  });

  it("refuses an oversized body and keeps serving", async () => {
    const res = await fetch(`${t.emu.url}/`, { method: "POST", body: Buffer.alloc(2 * 1024 * 1024, 97), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { Code: string }).Code).toBe("RequestEntityTooLarge");
    await expect(describeAll(t.emu.url)).resolves.toBeTruthy();
  });

  it("answers unsigned and garbage requests with an error and keeps serving", async () => {
    const unsigned = await fetch(`${t.emu.url}/?Action=DescribeInstances&Version=2014-05-26&RegionId=${REGION}`);
    expect(unsigned.status).toBe(400);
    expect(((await unsigned.json()) as { Code: string }).Code).toBe("IncompleteSignature");
    const garbage = await rawSend(t.emu.port, Buffer.from("NOT HTTP AT ALL\r\n\r\n")).catch(() => "closed");
    expect(typeof garbage).toBe("string");
    const badAuth = await fetch(`${t.emu.url}/`, { method: "POST", headers: { authorization: "ACS3-HMAC-SHA256 nonsense" } });
    expect(((await badAuth.json()) as { Code: string }).Code).toBe("IncompleteSignature");
    await expect(describeAll(t.emu.url)).resolves.toBeTruthy();
  });

  it("keeps state consistent under hundreds of concurrent requests", async () => {
    await t.admin.reset();
    const creates = Array.from({ length: 120 }, () => runInstances(t.emu.url, 2));
    const reads = Array.from({ length: 180 }, () => describeAll(t.emu.url));
    const results = await Promise.all([...creates, ...reads]);
    const ids = new Set(results.slice(0, 120).flatMap((r) => (r as Ecs.RunInstancesResponse).body!.instanceIdSets!.instanceIdSet!));
    expect(ids.size).toBe(240);
    expect((await t.admin.instances("ecs")).length).toBe(240);
    const log = await t.admin.requests();
    expect(log.filter((e) => e.status === 200).length).toBe(300);
  });
});

describe("faults and flow control", () => {
  const t = useEmulator();
  afterEach(async () => {
    await t.admin.clearFaults();
    await t.admin.rateLimits({});
  });

  it("injects an error code with its documented status, `count` times", async () => {
    await t.admin.faults([{ product: "ecs", action: "DescribeInstances", code: "ServiceUnavailable", count: 2 }]);
    const e1 = await sdkError(describeAll(t.emu.url));
    const e2 = await sdkError(describeAll(t.emu.url));
    expect([e1.code, e1.statusCode, e1.name]).toEqual(["ServiceUnavailable", 503, "ServerError"]);
    expect(e2.code).toBe("ServiceUnavailable");
    await expect(describeAll(t.emu.url)).resolves.toBeTruthy();
  });

  it("injects throttling that the SDK classifies as ThrottlingError", async () => {
    await t.admin.faults([{ action: "DescribeInstances", code: "Throttling.User", count: 1 }]);
    const e = await sdkError(describeAll(t.emu.url));
    expect([e.code, e.statusCode, e.name]).toEqual(["Throttling.User", 400, "ThrottlingError"]);
  });

  it("injects latency longer than the client's read timeout", async () => {
    await t.admin.faults([{ action: "DescribeInstances", latencyMs: 1500, count: 1 }]);
    const client = ecsClient(t.emu.url, { timeoutMs: 500 });
    const e = await sdkError(client.describeInstances(new Ecs.DescribeInstancesRequest({ regionId: REGION })));
    expect(e.name).toBe("RequestTimeoutError");
    expect(e.message).toMatch(/Timeout\(500\)/);
  });

  it("drops the connection without an answer", async () => {
    await t.admin.faults([{ action: "DescribeInstances", drop: true, count: 1 }]);
    const e = await sdkError(describeAll(t.emu.url));
    expect(e.message).toMatch(/socket hang up|ECONNRESET/);
    const log = await t.admin.requests({ action: "DescribeInstances" });
    expect(log.at(-1)).toMatchObject({ status: 0, fault: "drop" });
  });

  it("answers a proxy's HTML 502 page, which the SDK cannot parse as JSON", async () => {
    await t.admin.faults([{ action: "DescribeInstances", body: "html", count: 1 }]);
    const e = await sdkError(describeAll(t.emu.url));
    expect(e.name).toBe("SyntaxError");
  });

  it("loses the reply of a call that did run (phase: after)", async () => {
    await t.admin.reset();
    await t.admin.faults([{ action: "RunInstances", drop: true, phase: "after", count: 1 }]);
    await sdkError(runInstances(t.emu.url, 1));
    expect((await t.admin.instances("ecs")).length).toBe(1);
  });

  it("injects faults with the given probability, reproducibly from the seed", async () => {
    const run = async (): Promise<string> => {
      const e2 = await startEmulator({ seed: 42 });
      const a2 = new EmulatorAdmin(e2.url);
      await a2.faults([{ action: "DescribeInstances", code: "InternalError", probability: 0.5 }]);
      let pattern = "";
      for (let i = 0; i < 16; i++) pattern += await describeAll(e2.url).then(() => ".", () => "x");
      await e2.close();
      return pattern;
    };
    const first = await run();
    expect(first).toMatch(/x/);
    expect(first).toMatch(/\./);
    expect(await run()).toBe(first);
  });

  it("applies per-action flow control with Throttling.User and a retry-after hint", async () => {
    await t.admin.rateLimits({ "ecs:DescribeInstances": 3 });
    const results = await Promise.all(Array.from({ length: 8 }, () => sdkError(describeAll(t.emu.url)).catch(() => null)));
    const throttled = results.filter((r) => r && r.code === "Throttling.User");
    expect(throttled.length).toBe(5);
    expect(throttled[0]!.name).toBe("ThrottlingError");
    expect(throttled[0]!.retryAfter).toBeGreaterThan(0);
    expect(throttled[0]!.retryAfter).toBeLessThanOrEqual(1000);
    await new Promise((r) => setTimeout(r, 1100));
    await expect(describeAll(t.emu.url)).resolves.toBeTruthy();
  });
});

describe("admin API", () => {
  const t = useEmulator();

  const raw = async (method: string, p: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await fetch(t.emu.url + p, { method, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it("advances virtual time, and refuses a negative advance", async () => {
    const before = Date.parse((await t.admin.health()).time);
    await t.admin.advance(3600);
    const after = Date.parse((await t.admin.health()).time);
    expect(after - before).toBeGreaterThanOrEqual(3600 * 1000);
    expect(await raw("POST", "/_emulator/clock", { advanceSeconds: -5 })).toMatchObject({ status: 400 });
  });

  it("freezes virtual time so that only advance() moves it, and thaws it where it stands", async () => {
    const frozen = await t.admin.freezeClock(true);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await t.admin.health()).time).toBe(frozen.now);
    const later = await t.admin.advance(90);
    expect(Date.parse(later.now) - Date.parse(frozen.now)).toBe(90_000);
    const thawed = await t.admin.freezeClock(false);
    expect(thawed.frozen).toBe(false);
    expect(Date.parse(thawed.now) - Date.parse(later.now)).toBeLessThan(2000);
    expect((await raw("POST", "/_emulator/clock", { frozen: "yes" })).status).toBe(400);
  });

  it("validates fault rules and rate limits", async () => {
    expect((await raw("POST", "/_emulator/faults", { rules: [{ action: "X" }] })).json.error).toBe("a fault rule needs an effect: code, latencyMs, drop or body");
    expect((await raw("POST", "/_emulator/faults", { rules: [{ code: "InternalError", probability: 3 }] })).status).toBe(400);
    expect((await raw("POST", "/_emulator/faults", "not json")).status).toBe(400);
    expect((await raw("POST", "/_emulator/rate-limits", { "ecs:DescribeInstances": -1 })).status).toBe(400);
  });

  it("answers unknown routes and instances with 404", async () => {
    expect((await raw("GET", "/_emulator/nothing")).status).toBe(404);
    expect((await raw("POST", "/_emulator/instances/i-nothing/expire")).status).toBe(404);
  });

  it("records business parameters but never signing fields or secrets", async () => {
    await t.admin.clearRequests();
    await describeAll(t.emu.url, "v1");
    const [entry] = await t.admin.requests();
    expect(entry.params).toEqual({ RegionId: REGION, PageSize: "100" });
    expect(JSON.stringify(entry)).not.toContain("emulator-secret");
  });

  it("reset empties instances, the request log, faults and limits", async () => {
    await runInstances(t.emu.url, 1);
    await t.admin.faults([{ code: "InternalError", action: "StartInstance" }]);
    await t.admin.reset();
    expect(await t.admin.instances()).toEqual([]);
    expect(await t.admin.requests()).toEqual([]);
    expect((await raw("GET", "/_emulator/faults")).json.rules).toEqual([]);
  });
});
