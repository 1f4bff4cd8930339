// The emulator as a client this project did not write sees it: the legacy POP RPC client from npm
// (@alicloud/pop-core, HMAC-SHA1 signatures), by GET and by POST, asking for JSON and for XML. Every reply goes
// through a recording relay, so the test sees exactly what the client received (status, headers, body).
import RPCClient from "@alicloud/pop-core";
import { XMLParser } from "fast-xml-parser";
import { createServer, IncomingHttpHeaders, request as httpRequest, Server } from "node:http";
import { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useEmulator } from "../support/emulator";
import { DEFAULT_REGION, defaultSecurityGroupId, defaultVpcId, defaultVSwitchId } from "../support/network";

const t = useEmulator({ frozenClock: true });
const ECS = "2014-05-26";
const DDS = "2015-12-01";
const KV = "2015-01-01";
const VPC = "2016-04-28";
const REGION = DEFAULT_REGION;

// ---- the relay ------------------------------------------------------------------------------------------

interface Reply {
  method: string;
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Relay {
  url: string;
  replies: Reply[];
  close(): Promise<void>;
}

/** Forwards every request to the emulator unchanged and records the reply as the client receives it. */
async function startRelay(target: string): Promise<Relay> {
  const replies: Reply[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const up = httpRequest(target + (req.url ?? "/"), { method: req.method, headers: req.headers }, (r) => {
        const out: Buffer[] = [];
        r.on("data", (c: Buffer) => out.push(c));
        r.on("end", () => {
          const body = Buffer.concat(out);
          replies.push({ method: req.method ?? "", url: req.url ?? "", status: r.statusCode ?? 0, headers: r.headers, body: body.toString("utf8") });
          res.writeHead(r.statusCode ?? 502, r.headers);
          res.end(body);
        });
      });
      up.on("error", () => res.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, replies, close: () => new Promise((r) => server.close(() => r())) };
}

// ---- the client -----------------------------------------------------------------------------------------

type Method = "GET" | "POST";
type Format = "JSON" | "XML";
type Body = Record<string, unknown>;

/** An API error as the client reports it (pop-core for JSON; the parsed <Error> document for XML). */
class ApiFailure extends Error {
  constructor(readonly code: string, readonly data: Body) {
    super(`${code}: ${String(data.Message)}`);
  }
}

const xml = new XMLParser({ ignoreDeclaration: true, parseTagValue: false });

function parseXml(text: string): Body {
  expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  return xml.parse(text) as Body;
}

/**
 * One call through pop-core. pop-core parses every body as JSON, so with Format=XML it throws a SyntaxError:
 * the XML is then read from the relay's record of this very reply, as a user of the client would read it.
 */
async function call(relay: Relay, version: string, method: Method, format: Format, action: string, params: Body, credentials = { accessKeyId: "emulator", accessKeySecret: "emulator-secret" }): Promise<Body> {
  const client = new RPCClient({ ...credentials, endpoint: relay.url, apiVersion: version });
  const before = relay.replies.length;
  try {
    const body = await client.request<Body>(action, format === "XML" ? { ...params, Format: "XML" } : params, { method, timeout: 30000 });
    if (format === "XML") throw new Error(`pop-core parsed the reply to ${action} as JSON although XML was asked for`);
    return body;
  } catch (e) {
    const err = e as { code?: string; data?: Body; name?: string };
    if (format === "JSON") {
      if (err.code && err.data) throw new ApiFailure(err.code, err.data);
      throw e;
    }
    if (err.name !== "SyntaxError") throw e;
    expect(relay.replies.length).toBe(before + 1);
    const reply = relay.replies[before];
    expect(reply.headers["content-type"]).toBe("text/xml;charset=utf-8");
    const doc = parseXml(reply.body);
    if (doc.Error) throw new ApiFailure(String((doc.Error as Body).Code), doc.Error as Body);
    const root = `${action}Response`;
    expect(Object.keys(doc)).toEqual([root]);
    return doc[root] as Body;
  }
}

async function failure(p: Promise<unknown>): Promise<ApiFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiFailure) return e;
    throw e;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** The RequestId a recorded reply's body carries, JSON or XML. */
function bodyRequestId(r: Reply): string | undefined {
  if (String(r.headers["content-type"]).startsWith("text/xml")) return /<RequestId>([^<]+)<\/RequestId>/.exec(r.body)?.[1];
  return (JSON.parse(r.body) as { RequestId?: string }).RequestId;
}

let relay: Relay;
beforeAll(async () => {
  relay = await startRelay(t.emu.url);
});
afterAll(async () => {
  await relay?.close();
});
// Each test starts from an empty account (the clock stays frozen, moving only when a test advances it).
beforeEach(async () => {
  relay.replies.length = 0;
  const reset = await fetch(`${t.emu.url}/_emulator/reset`, { method: "POST" });
  expect(reset.status).toBe(200);
});
// Every reply any test received, success or error, JSON or XML, carries x-acs-request-id = the body's RequestId.
afterEach(() => {
  for (const r of relay.replies) {
    const header = r.headers["x-acs-request-id"];
    expect(header, `${r.method} ${r.url.slice(0, 60)} → ${r.status}`).toMatch(/^[0-9A-F-]{36}$/);
    expect(bodyRequestId(r)).toBe(header);
  }
});

const MODES = [
  ["GET", "JSON"],
  ["POST", "JSON"],
  ["GET", "XML"],
  ["POST", "XML"],
] as const;

describe.each(MODES)("pop-core by %s asking for %s", (method, format) => {
  const ecs = (action: string, params: Body = {}) => call(relay, ECS, method, format, action, params);

  /** What the Go SDK's WaitForInstance does: poll DescribeInstanceAttribute until the Status is reached. */
  async function waitForStatus(id: string, status: string): Promise<number> {
    for (let polls = 1; polls <= 40; polls++) {
      const a = await ecs("DescribeInstanceAttribute", { InstanceId: id });
      expect(a.InstanceId).toBe(id);
      if (a.Status === status) return polls;
      await t.admin.advance(5);
    }
    throw new Error(`${id} never reached ${status}`);
  }

  async function waitUntilGone(id: string): Promise<void> {
    for (let polls = 1; polls <= 40; polls++) {
      try {
        await ecs("DescribeInstanceAttribute", { InstanceId: id });
      } catch (e) {
        if (e instanceof ApiFailure && e.code === "InvalidInstanceId.NotFound") return;
        throw e;
      }
      await t.admin.advance(5);
    }
    throw new Error(`${id} was never released`);
  }

  const network = { RegionId: REGION, VSwitchId: defaultVSwitchId(`${REGION}-b`), SecurityGroupId: defaultSecurityGroupId() };

  it("finishes a stop-then-delete whose waiter polls DescribeInstanceAttribute", async () => {
    const run = await ecs("RunInstances", { ...network, ImageId: "aliyun_3_x64_20G_alibase_20240819.vhd", InstanceType: "ecs.g6.large", Amount: 1 });
    const id = String((run.InstanceIdSets as { InstanceIdSet: string }).InstanceIdSet);
    expect(id).toMatch(/^i-/);
    await waitForStatus(id, "Running");
    await ecs("StopInstance", { InstanceId: id });
    expect(await waitForStatus(id, "Stopped")).toBeGreaterThan(1);
    await ecs("DeleteInstance", { InstanceId: id });
    await waitUntilGone(id);

    expect(await t.admin.instances("ecs")).toEqual([]);
    const actions = [...new Set((await t.admin.requests({ product: "ecs" })).map((e) => `${e.action} ${e.status}`))];
    expect(actions).toEqual(["RunInstances 200", "DescribeInstanceAttribute 200", "StopInstance 200", "DeleteInstance 200", "DescribeInstanceAttribute 404"]);
  });

  it("runs CreateInstance → StartInstance → stop → DeleteInstance, the instance Stopped until started", async () => {
    const created = await ecs("CreateInstance", { ...network, ImageId: "aliyun_3_x64_20G_alibase_20240819.vhd", InstanceType: "ecs.c6.xlarge", InstanceName: "legacy", Password: "Secret-Pass-1" });
    const id = String(created.InstanceId);
    expect(id).toMatch(/^i-/);
    const pending = await ecs("DescribeInstanceAttribute", { InstanceId: id });
    expect(pending.Status).toBe("Pending");
    await waitForStatus(id, "Stopped");
    // Left alone, it stays Stopped: CreateInstance does not start it.
    await t.admin.advance(600);
    const stopped = await ecs("DescribeInstanceAttribute", { InstanceId: id });
    expect(stopped).toMatchObject({ Status: "Stopped", InstanceName: "legacy", InstanceType: "ecs.c6.xlarge", RegionId: REGION, ZoneId: `${REGION}-b` });
    expect(String(stopped.Cpu)).toBe("4");
    expect(String(stopped.Memory)).toBe("8192");

    await ecs("StartInstance", { InstanceId: id });
    await waitForStatus(id, "Running");
    const del = await failure(ecs("DeleteInstance", { InstanceId: id }));
    expect([del.code, del.data.Message]).toEqual(["IncorrectInstanceStatus", "The current status of the resource does not support this operation."]);
    await ecs("StopInstance", { InstanceId: id, ForceStop: true });
    await waitForStatus(id, "Stopped");
    await ecs("DeleteInstance", { InstanceId: id });
    await waitUntilGone(id);

    expect(await t.admin.instances("ecs")).toEqual([]);
    const log = await t.admin.requests({ product: "ecs" });
    expect(log.find((e) => e.action === "CreateInstance")?.params.Password).toBe("******");
    expect([...new Set(log.map((e) => e.action))]).toEqual(["CreateInstance", "DescribeInstanceAttribute", "StartInstance", "DeleteInstance", "StopInstance"]);
  });

  it("answers unknown instances and missing parameters with the documented errors", async () => {
    const missingId = await failure(ecs("DescribeInstanceAttribute", {}));
    expect([missingId.code, missingId.data.Message]).toEqual(["MissingParameter", 'The input parameter "InstanceId" that is mandatory for processing this request is not supplied.']);
    const unknown = await failure(ecs("DescribeInstanceAttribute", { InstanceId: "i-bp1doesnotexist" }));
    expect([unknown.code, unknown.data.Message, unknown.data.HostId]).toEqual(["InvalidInstanceId.NotFound", "The specified InstanceId does not exist.", "ecs.aliyuncs.com"]);
    const noType = await failure(ecs("CreateInstance", { ...network, ImageId: "aliyun_3_x64_20G_alibase_20240819.vhd" }));
    expect([noType.code, noType.data.HostId]).toEqual(["MissingParameter", `ecs.${REGION}.aliyuncs.com`]);
    const dry = await failure(ecs("CreateInstance", { ...network, ImageId: "img", InstanceType: "ecs.g6.large", DryRun: true }));
    expect([dry.code, dry.data.Message]).toEqual(["DryRunOperation", "Request validation has been passed with DryRun flag set."]);
    expect(await t.admin.instances("ecs")).toEqual([]);
  });
});

describe("CreateInstance", () => {
  const ecs = (action: string, params: Body = {}) => call(relay, ECS, "POST", "JSON", action, params);
  const base = { RegionId: REGION, VSwitchId: defaultVSwitchId(`${REGION}-b`), SecurityGroupId: defaultSecurityGroupId(), ImageId: "img", InstanceType: "ecs.g6.large" };

  it("returns the same instance for a retried ClientToken, and makes a subscription with an OrderId", async () => {
    const a = await ecs("CreateInstance", { ...base, ClientToken: "legacy-token-1" });
    const b = await ecs("CreateInstance", { ...base, ClientToken: "legacy-token-1" });
    expect(b.InstanceId).toBe(a.InstanceId);
    const sub = await ecs("CreateInstance", { ...base, InstanceChargeType: "PrePaid", Period: 1, PeriodUnit: "Month" });
    expect(String(sub.OrderId)).toMatch(/^\d{15}$/);
    const protectedSub = await failure(ecs("CreateInstance", { ...base, InstanceChargeType: "PrePaid", DeletionProtection: true }));
    expect(protectedSub.code).toBe("InvalidParameter");
    expect((await t.admin.instances("ecs")).map((i) => i.chargeType).sort()).toEqual(["PostPaid", "PrePaid"]);
  });

  it("checks the network it names as RunInstances does, and creates nothing when it does not exist", async () => {
    const noVSwitch = await failure(ecs("CreateInstance", { ...base, VSwitchId: "vsw-bp1doesnotexist" }));
    expect(noVSwitch.code).toBe("InvalidVSwitchId.NotFound");
    const noGroup = await failure(ecs("CreateInstance", { ...base, SecurityGroupId: "sg-bp1doesnotexist" }));
    expect(noGroup.code).toBe("InvalidSecurityGroupId.NotFound");
    expect(await t.admin.instances("ecs")).toEqual([]);
    // The default vSwitch of another zone places the instance there.
    const created = await ecs("CreateInstance", { ...base, VSwitchId: defaultVSwitchId(`${REGION}-h`) });
    expect((await ecs("DescribeInstanceAttribute", { InstanceId: created.InstanceId })).VpcAttributes).toMatchObject({ VSwitchId: defaultVSwitchId(`${REGION}-h`), VpcId: defaultVpcId() });
  });
});

// ---- XML: the documented shape ----------------------------------------------------------------------------

/** A JSON reply as its XML rendering reads back: strings, one-item lists as the item, empty lists absent. */
function asXmlReadsIt(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) {
    const items = v.map(asXmlReadsIt).filter((x) => x !== undefined);
    return items.length === 0 ? undefined : items.length === 1 ? items[0] : items;
  }
  // pop-core reads JSON with json-bigint: a number beyond 2^53 (VPC OwnerId) is a BigNumber, its text the number.
  if (typeof v === "object" && v.constructor?.name === "BigNumber") return String(v);
  if (typeof v === "object") {
    const entries = Object.entries(v as Body).map(([k, x]) => [k, asXmlReadsIt(x)] as const).filter(([, x]) => x !== undefined);
    return entries.length === 0 ? "" : Object.fromEntries(entries);
  }
  return String(v);
}

const withoutRequestId = (b: Body): Body => Object.fromEntries(Object.entries(b).filter(([k]) => k !== "RequestId"));

describe("Format=XML", () => {
  const both = async (version: string, action: string, params: Body) => {
    const json = await call(relay, version, "POST", "JSON", action, params);
    const xmlBody = await call(relay, version, "GET", "XML", action, params);
    return { json, xml: xmlBody };
  };

  it("renders every product's replies as the same document, lists as repeated elements", async () => {
    const network = { RegionId: REGION, VSwitchId: defaultVSwitchId(`${REGION}-b`), SecurityGroupId: defaultSecurityGroupId() };
    await call(relay, ECS, "POST", "JSON", "RunInstances", { ...network, ImageId: "img", InstanceType: "ecs.g6.large", Amount: 2, "Tag.1.Key": "env", "Tag.1.Value": "a&b<c>" });
    await call(relay, DDS, "POST", "JSON", "CreateDBInstance", { RegionId: REGION, DBInstanceClass: "dds.mongo.mid", DBInstanceStorage: 20, EngineVersion: "6.0", VSwitchId: defaultVSwitchId(`${REGION}-h`) });
    await call(relay, KV, "POST", "JSON", "CreateInstance", { RegionId: REGION, InstanceClass: "redis.master.small.default", VSwitchId: defaultVSwitchId(`${REGION}-h`) });
    const [ecsId] = (await t.admin.instances("ecs")).map((i) => i.id);
    const cases: [string, string, Body][] = [
      [ECS, "DescribeInstances", { RegionId: REGION }],
      [ECS, "DescribeInstanceAttribute", { InstanceId: ecsId }],
      [ECS, "DescribeInstanceStatus", { RegionId: REGION }],
      [DDS, "DescribeDBInstances", { RegionId: REGION }],
      [KV, "DescribeInstances", { RegionId: REGION }],
      [VPC, "DescribeVpcs", { RegionId: REGION }],
      [VPC, "DescribeVSwitches", { RegionId: REGION }],
    ];
    for (const [version, action, params] of cases) {
      const { json, xml: doc } = await both(version, action, params);
      expect(withoutRequestId(doc), `${action}`).toEqual(asXmlReadsIt(withoutRequestId(json)));
    }

    // The raw text, as the API reference's examples show it: root <ActionResponse>, one element per list item.
    const describeXml = relay.replies.filter((r) => r.url.includes("Action=DescribeInstances") && r.url.includes("Format=XML")).at(0);
    expect(describeXml?.body).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?><DescribeInstancesResponse><RequestId>[0-9A-F-]{36}<\/RequestId><TotalCount>2<\/TotalCount>/);
    expect(describeXml?.body.match(/<Instance><InstanceId>i-/g)).toHaveLength(2);
    expect(describeXml?.body).toContain("<Instances><Instance><InstanceId>");
    expect(describeXml?.body).toContain("<Tags><Tag><TagKey>env</TagKey><TagValue>a&amp;b&lt;c&gt;</TagValue></Tag></Tags>");
    const listed = new XMLParser({ ignoreDeclaration: true, parseTagValue: false, isArray: (name) => name === "Instance" }).parse(describeXml?.body ?? "") as { DescribeInstancesResponse: { Instances: { Instance: Body[] } } };
    expect(listed.DescribeInstancesResponse.Instances.Instance.map((i) => i.InstanceId).sort()).toEqual((await t.admin.instances("ecs")).map((i) => i.id).sort());
  });

  it("renders errors as <Error> with RequestId, HostId, Code, Message and Recommend, for every product", async () => {
    const cases: [string, string, Body, string, string][] = [
      [ECS, "DeleteInstance", { InstanceId: "i-bp1doesnotexist" }, "InvalidInstanceId.NotFound", "ecs.aliyuncs.com"],
      [ECS, "DescribeInstances", { RegionId: "cn-shanghai", Status: "Sleeping" }, "InvalidStatus.NotFound", "ecs.cn-shanghai.aliyuncs.com"],
      [DDS, "DescribeDBInstanceAttribute", { DBInstanceId: "dds-bp1doesnotexist" }, "InvalidDBInstanceId.NotFound", "mongodb.aliyuncs.com"],
      [DDS, "DescribeDBInstances", { RegionId: "ap-southeast-1", PageSize: 7 }, "InvalidParameter", "mongodb.ap-southeast-1.aliyuncs.com"],
      [KV, "DescribeInstanceAttribute", { InstanceId: "r-bp1doesnotexist" }, "InvalidInstanceId.NotFound", "r-kvstore.aliyuncs.com"],
      [KV, "DescribeInstances", { RegionId: "cn-shenzhen", PageSize: 1000 }, "InvalidParameter", "r-kvstore.cn-shenzhen.aliyuncs.com"],
      [ECS, "NoSuchAction", {}, "InvalidAction.NotFound", "ecs.aliyuncs.com"],
    ];
    for (const [version, action, params, code, host] of cases) {
      const before = relay.replies.length;
      const e = await failure(call(relay, version, "POST", "XML", action, params));
      const reply = relay.replies[before];
      expect(Object.keys(e.data)).toEqual(["RequestId", "HostId", "Code", "Message", "Recommend"]);
      expect([e.code, e.data.HostId, e.data.RequestId]).toEqual([code, host, reply.headers["x-acs-request-id"]]);
      expect(reply.body).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?><Error><RequestId>[^<]+<\/RequestId><HostId>[^<]+<\/HostId><Code>[^<]+<\/Code><Message>[^<]*<\/Message><Recommend>[^<]+<\/Recommend><\/Error>$/);
      // The same error asked for in JSON has the same fields.
      const j = await failure(call(relay, version, "GET", "JSON", action, params));
      expect(withoutRequestId(j.data)).toEqual({ ...withoutRequestId(e.data), Recommend: String(e.data.Recommend).replace(String(e.data.RequestId), String(j.data.RequestId)) });
    }
  });
});

// ---- headers on every kind of reply ------------------------------------------------------------------------

describe("x-acs-request-id", () => {
  it("comes with signature errors, throttling and injected faults, in JSON and XML", async () => {
    for (const format of ["JSON", "XML"] as const) {
      const bad = await failure(call(relay, ECS, "GET", format, "DescribeInstances", { RegionId: REGION }, { accessKeyId: "emulator", accessKeySecret: "wrong" }));
      expect([bad.code, bad.data.HostId]).toEqual(["SignatureDoesNotMatch", `ecs.${REGION}.aliyuncs.com`]);

      await t.admin.faults([{ product: "dds", action: "DescribeDBInstances", code: "ServiceUnavailable", count: 1 }]);
      const fault = await failure(call(relay, DDS, "POST", format, "DescribeDBInstances", { RegionId: REGION }));
      expect(fault.code).toBe("ServiceUnavailable");
      expect(relay.replies.at(-1)?.status).toBe(503);

      await t.admin.rateLimits({ "r-kvstore:DescribeInstances": 1 });
      let throttled: ApiFailure | undefined;
      for (let i = 0; i < 20 && !throttled; i++) {
        try {
          await call(relay, KV, "GET", format, "DescribeInstances", { RegionId: REGION });
        } catch (e) {
          if (!(e instanceof ApiFailure)) throw e;
          throttled = e;
        }
      }
      await t.admin.rateLimits({});
      expect(throttled?.code).toBe("Throttling.User");
      expect(relay.replies.at(-1)?.headers["x-acs-retry-after"]).toMatch(/^\d+$/);
    }
    // The log has the same ids the replies carry.
    const logged = new Set((await t.admin.requests()).map((e) => e.requestId));
    for (const r of relay.replies) expect(logged.has(String(r.headers["x-acs-request-id"]))).toBe(true);
  });
});

// ---- MongoDB's recycle bin --------------------------------------------------------------------------------

describe.each(["JSON", "XML"] as const)("MongoDB's recycle bin, %s", (format) => {
  const dds = (action: string, params: Body = {}) => call(relay, DDS, "POST", format, action, params);

  async function running(dbInstanceClass: string): Promise<string> {
    const r = await dds("CreateDBInstance", { RegionId: REGION, DBInstanceClass: dbInstanceClass, DBInstanceStorage: 20, EngineVersion: "4.4", VSwitchId: defaultVSwitchId(`${REGION}-h`) });
    await t.admin.advance(300);
    return String(r.DBInstanceId);
  }

  const recycled = async (): Promise<Body[]> => {
    const r = await dds("DescribeDBInstances", { RegionId: REGION, DBInstanceStatus: "Released" });
    // An empty list reads back from XML as an empty element (""), a one-item list as the item.
    const list = typeof r.DBInstances === "object" ? (r.DBInstances as { DBInstance?: Body | Body[] }).DBInstance : undefined;
    return list === undefined ? [] : Array.isArray(list) ? list : [list];
  };

  it("keeps a released pay-as-you-go replica set for 7 days, listed only when asked for, then it is gone", async () => {
    const id = await running("dds.mongo.mid");
    await dds("DeleteDBInstance", { DBInstanceId: id });
    await t.admin.advance(60);
    const { now } = await t.admin.advance(0);

    const gone = await failure(dds("DescribeDBInstanceAttribute", { DBInstanceId: id }));
    expect(gone.code).toBe("InvalidDBInstanceId.NotFound");
    const listedNormally = await dds("DescribeDBInstances", { RegionId: REGION });
    expect(String(listedNormally.TotalCount)).toBe("0");
    const bin = await recycled();
    expect(bin).toHaveLength(1);
    expect(bin[0]).toMatchObject({ DBInstanceId: id, DBInstanceStatus: "Released", LockMode: "Released", DestroyTime: now.slice(0, 19) + "Z" });
    // Released: it cannot be deleted, modified or destroyed again through the API.
    for (const [action, params] of [["DeleteDBInstance", { DBInstanceId: id }], ["DestroyInstance", { InstanceId: id }], ["ModifyDBInstanceAttribute", { DBInstanceId: id, DBInstanceDescription: "x" }]] as const) {
      expect((await failure(dds(action, params))).code).toBe("InvalidDBInstanceId.NotFound");
    }

    await t.admin.advance(7 * 86400 - 1);
    expect(await recycled()).toHaveLength(1);
    await t.admin.advance(1);
    expect(await recycled()).toEqual([]);
    expect(await t.admin.instances("dds")).toEqual([]);
  });

  it("does not keep a standalone instance", async () => {
    const id = await running("mdb.single.2x.large.c");
    await dds("DeleteDBInstance", { DBInstanceId: id });
    await t.admin.advance(60);
    expect((await failure(dds("DescribeDBInstanceAttribute", { DBInstanceId: id }))).code).toBe("InvalidDBInstanceId.NotFound");
    expect(await recycled()).toEqual([]);
    expect(await t.admin.instances("dds")).toEqual([]);
  });
});
