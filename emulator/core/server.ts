// The HTTP front door: one port for every product, routed by API version (action names collide between
// products), authenticated like the cloud's gateway, with injected faults, flow control, a request log and
// the admin API under /_emulator/.
import { randomUUID } from "node:crypto";
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { AddressInfo, Socket } from "node:net";
import { Clock } from "./clock";
import { ApiError, commonError, commonErrorStatus } from "./errors";
import { FaultRule, Faults, seededRandom, validateFaultRule } from "./faults";
import { IdempotencyTokens } from "./idempotency";
import { Params } from "./params";
import { errorFrom, ProductBackend, REGIONS } from "./product";
import { RamPolicies, parsePolicy, Policy, PolicyError } from "./ram";
import { RateLimiter } from "./rate-limit";
import { ReplyFormat, replyFormat, sendReply } from "./reply";
import { Authenticator, Credential } from "./signature";
import { Instance, ProductName, Store } from "./store";

export interface RequestLogEntry {
  seq: number;
  requestId: string;
  product: ProductName | null;
  action: string | null;
  params: Record<string, string>;
  status: number;
  code?: string;
  /** Virtual time of the request, ISO-8601. */
  time: string;
  /** The fault that was injected, if any. */
  fault?: string;
}

export interface ServerOptions {
  products: ProductBackend[];
  credentials: Credential[];
  clock: Clock;
  seed: number;
  maxBodyBytes?: number;
  maxLogEntries?: number;
}

const MAX_BODY = 1024 * 1024;
const MAX_HEADER_BYTES = 256 * 1024;

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class EmulatorServer {
  readonly store = new Store();
  readonly tokens = new IdempotencyTokens();
  readonly faults: Faults;
  /** Counts requests per emulated second: the window is compressed by the time scale like every transition. */
  readonly rateLimits = new RateLimiter(() => 1000 * this.clock.timeScale);
  readonly ram: RamPolicies;
  readonly log: RequestLogEntry[] = [];
  private logSeq = 0;
  private readonly byVersion = new Map<string, ProductBackend>();
  private readonly byName = new Map<ProductName, ProductBackend>();
  private readonly auth: Authenticator;
  private readonly http: Server;
  private readonly sockets = new Set<Socket>();
  /** Per reply: the format the request asked for and the region it named (for HostId). */
  private readonly replyStyle = new WeakMap<ServerResponse, { format: ReplyFormat; regionId?: string }>();

  constructor(private readonly options: ServerOptions) {
    for (const p of options.products) {
      this.byVersion.set(p.version, p);
      this.byName.set(p.name, p);
    }
    this.seed();
    this.auth = new Authenticator(options.credentials);
    // A malformed policy is refused here, so the emulator does not start with it.
    const policies = new Map<string, Policy>();
    for (const c of options.credentials) if (c.policy !== undefined) policies.set(c.accessKeyId, parsePolicy(c.policy, `the RAM policy of credential ${c.accessKeyId}`));
    this.ram = new RamPolicies(policies);
    this.faults = new Faults(seededRandom(options.seed));
    // RPC SDKs put every parameter in the query string: a 32 KB UserData makes a URL far over Node's 16 KB default.
    this.http = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) this.sendApiError(res, randomUUID().toUpperCase(), undefined, commonError("InternalError"));
      });
    });
    this.http.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    this.http.keepAliveTimeout = 5000;
  }

  get clock(): Clock {
    return this.options.clock;
  }

  listen(port: number, host = "127.0.0.1"): Promise<number> {
    return new Promise((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(port, host, () => resolve((this.http.address() as AddressInfo).port));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      for (const s of this.sockets) s.destroy();
      this.http.close(() => resolve());
    });
  }

  // ---- requests -------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator.local");
    let body: Buffer;
    try {
      body = await readBody(req, this.options.maxBodyBytes ?? MAX_BODY);
    } catch (e) {
      if (e instanceof HttpError) {
        res.setHeader("connection", "close");
        if (url.pathname.startsWith("/_emulator")) return this.sendJson(res, e.status, { error: e.message });
        return this.sendApiError(res, randomUUID().toUpperCase(), undefined, commonError("RequestEntityTooLarge"));
      }
      throw e;
    }
    if (url.pathname.startsWith("/_emulator/") || url.pathname === "/_emulator") return this.admin(req, res, url, body);
    return this.api(req, res, url, body);
  }

  private async api(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const requestId = randomUUID().toUpperCase();
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const form: Record<string, string> = {};
    const contentType = String(req.headers["content-type"] ?? "");
    if (body.length > 0 && contentType.startsWith("application/x-www-form-urlencoded")) {
      for (const [k, v] of new URLSearchParams(body.toString("utf8"))) form[k] = v;
    }
    this.replyStyle.set(res, { format: replyFormat(query, form), regionId: query.RegionId ?? form.RegionId });
    const versionHint = String(req.headers["x-acs-version"] ?? query.Version ?? form.Version ?? "");
    const actionHint = String(req.headers["x-acs-action"] ?? query.Action ?? form.Action ?? "");
    const hinted = this.byVersion.get(versionHint);
    const business = stripCommon({ ...form, ...query });
    const entry: RequestLogEntry = {
      seq: ++this.logSeq,
      requestId,
      product: hinted?.name ?? null,
      action: actionHint || null,
      params: new Params(business).forLog(),
      status: 200,
      time: this.clock.iso(this.clock.now()),
    };
    this.record(entry);
    try {
      if (req.method !== "POST" && req.method !== "GET") throw commonError("UnsupportedHTTPMethod");
      const who = this.auth.authenticate({ method: req.method, path: url.pathname, query, headers: req.headers, body, form });
      if (!who.version) throw commonError("MissingParameter", undefined, "Version");
      const product = this.byVersion.get(who.version);
      if (!product) throw commonError("InvalidVersion");
      if (!who.action) throw commonError("MissingParameter", undefined, "Action");
      const handler = Object.prototype.hasOwnProperty.call(product.actions, who.action) ? product.actions[who.action] : undefined;
      if (!handler) throw commonError("InvalidAction.NotFound");
      entry.product = product.name;
      entry.action = who.action;
      this.ram.authorize({ accessKeyId: who.accessKeyId, sts: this.isSts(who.accessKeyId) }, product.name, who.action, business, this.store);

      const before = this.faults.pick(product.name, who.action, "before");
      if (before && (await this.applyFault(before, res, entry, requestId, product))) return;

      const waitMs = this.rateLimits.admit(product.name, who.action, business.RegionId ?? "global");
      if (waitMs > 0) {
        const e = commonError("Throttling.User");
        throw new ApiError(e.code, e.status, e.message, { "x-acs-retry-after": String(waitMs) });
      }

      const params = new Params(business);
      this.store.settle(this.clock.now());
      const result = handler({ params, clock: this.clock, store: this.store, tokens: this.tokens, requestId, action: who.action });

      const after = this.faults.pick(product.name, who.action, "after");
      if (after && (await this.applyFault(after, res, entry, requestId, product))) return;
      sendReply(res, 200, { RequestId: requestId, ...result }, { format: this.replyStyle.get(res)?.format ?? "JSON", root: `${who.action}Response`, requestId });
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError("InternalError", 500, `The request processing has failed due to some unknown error: ${String(e)}`);
      entry.status = err.status;
      entry.code = err.code;
      this.sendApiError(res, requestId, hinted, err);
    }
  }

  /** Returns true when the fault answered (or dropped) the request itself. */
  private async applyFault(rule: FaultRule, res: ServerResponse, entry: RequestLogEntry, requestId: string, product: ProductBackend): Promise<boolean> {
    if (rule.latencyMs) await new Promise((r) => setTimeout(r, rule.latencyMs));
    if (rule.drop) {
      entry.status = 0;
      entry.fault = "drop";
      res.socket?.destroy();
      return true;
    }
    if (rule.body === "html") {
      entry.status = rule.status ?? 502;
      entry.fault = "html";
      res.writeHead(entry.status, { "content-type": "text/html" });
      res.end(`<html><head><title>${entry.status} Bad Gateway</title></head><body><center><h1>${entry.status} Bad Gateway</h1></center><hr><center>Tengine</center></body></html>`);
      return true;
    }
    if (rule.code) {
      const base = errorFrom(product.errors, rule.code, rule.message);
      const status = rule.status ?? product.errors[rule.code]?.[0] ?? commonErrorStatus(rule.code) ?? 400;
      entry.status = status;
      entry.code = rule.code;
      entry.fault = rule.code;
      this.sendApiError(res, requestId, product, new ApiError(rule.code, status, base.message));
      return true;
    }
    if (rule.latencyMs) entry.fault = `latency ${rule.latencyMs}ms`;
    return false;
  }

  private sendApiError(res: ServerResponse, requestId: string, product: ProductBackend | undefined, err: ApiError): void {
    const style = this.replyStyle.get(res);
    // A region the gateway does not know is answered by the global endpoint.
    const regional = style?.regionId && (REGIONS as readonly string[]).includes(style.regionId) ? style.regionId : undefined;
    const host = regional && product?.regionalHostId ? product.regionalHostId(regional) : product?.hostId ?? "aliyuncs.com";
    sendReply(res, err.status, {
      RequestId: requestId,
      HostId: host,
      Code: err.code,
      Message: err.message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=${product?.productCode ?? ""}&requestId=${requestId}`,
      ...err.body,
    }, { format: style?.format ?? "JSON", root: "Error", requestId, headers: err.headers });
  }

  private sendJson(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json;charset=utf-8", "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  private record(entry: RequestLogEntry): void {
    this.log.push(entry);
    const max = this.options.maxLogEntries ?? 200000;
    if (this.log.length > max) this.log.splice(0, this.log.length - max);
  }

  // ---- admin ----------------------------------------------------------------------------------------

  private async admin(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const route = `${req.method} ${url.pathname.replace(/\/+$/, "")}`;
    try {
      const json = parseJsonBody(body);
      const now = this.clock.now();
      this.store.settle(now);
      let m: RegExpExecArray | null;
      if (route === "GET /_emulator/health") {
        return this.sendJson(res, 200, { status: "ok", time: this.clock.iso(now), timeScale: this.clock.timeScale, frozen: this.clock.frozen, products: [...this.byName.values()].map((p) => ({ product: p.name, version: p.version })) });
      }
      if (route === "POST /_emulator/reset") {
        this.store.clear();
        this.seed();
        this.tokens.clear();
        this.faults.clear();
        this.rateLimits.clear();
        this.ram.reset();
        this.log.length = 0;
        return this.sendJson(res, 200, { reset: true });
      }
      if (route === "GET /_emulator/instances") {
        const product = url.searchParams.get("product") as ProductName | null;
        return this.sendJson(res, 200, { instances: this.store.all(product ?? undefined).map((i) => this.adminView(i)) });
      }
      if ((m = /^GET \/_emulator\/instances\/([^/]+)$/.exec(route))) {
        return this.sendJson(res, 200, this.adminView(this.instance(m[1])));
      }
      if (route === "GET /_emulator/requests") {
        const since = Number(url.searchParams.get("since") ?? 0);
        const product = url.searchParams.get("product");
        const action = url.searchParams.get("action");
        const requests = this.log.filter((e) => e.seq > since && (!product || e.product === product) && (!action || e.action === action));
        return this.sendJson(res, 200, { requests });
      }
      if (route === "DELETE /_emulator/requests") {
        this.log.length = 0;
        return this.sendJson(res, 200, { cleared: true });
      }
      if (route === "GET /_emulator/clock") return this.sendJson(res, 200, this.clockView());
      if (route === "POST /_emulator/clock") {
        const { advanceSeconds, frozen } = json as { advanceSeconds?: unknown; frozen?: unknown };
        if (advanceSeconds === undefined && frozen === undefined) throw new HttpError(400, 'body must be {"advanceSeconds": n} and/or {"frozen": true|false}');
        if (advanceSeconds !== undefined && !(typeof advanceSeconds === "number" && Number.isFinite(advanceSeconds) && advanceSeconds >= 0)) throw new HttpError(400, "advanceSeconds must be a non-negative number");
        if (frozen !== undefined && typeof frozen !== "boolean") throw new HttpError(400, "frozen must be true or false");
        if (frozen !== undefined) this.clock.setFrozen(frozen);
        if (typeof advanceSeconds === "number") this.clock.advance(advanceSeconds);
        this.store.settle(this.clock.now());
        return this.sendJson(res, 200, this.clockView());
      }
      if ((m = /^POST \/_emulator\/instances\/([^/]+)\/expire$/.exec(route))) {
        const instance = this.instance(m[1]);
        if (instance.chargeType !== "PrePaid") throw new HttpError(409, `${instance.id} is not a subscription (PrePaid) instance`);
        this.hook(() => this.backend(instance).expire(instance, { clock: this.clock, store: this.store }));
        return this.sendJson(res, 200, this.adminView(instance));
      }
      if ((m = /^POST \/_emulator\/instances\/([^/]+)\/lock$/.exec(route))) {
        const instance = this.instance(m[1]);
        const reason = (json as { reason?: unknown }).reason;
        if (typeof reason !== "string" || !reason) throw new HttpError(400, 'body must be {"reason": "..."}');
        this.hook(() => this.backend(instance).lock(instance, reason, { clock: this.clock, store: this.store }));
        return this.sendJson(res, 200, this.adminView(instance));
      }
      if ((m = /^POST \/_emulator\/instances\/([^/]+)\/dependency$/.exec(route))) {
        const instance = this.instance(m[1]);
        const { code, seconds } = json as { code?: unknown; seconds?: unknown };
        const backend = this.backend(instance);
        if (typeof code !== "string" || !backend.errors[code]) throw new HttpError(400, `code must be one of ${instance.product}'s documented error codes, got ${JSON.stringify(code)}`);
        if (seconds !== undefined && !(typeof seconds === "number" && seconds >= 0)) throw new HttpError(400, "seconds must be a non-negative number");
        instance.blockedBy = { code, until: seconds === undefined ? Infinity : now + seconds * 1000 };
        return this.sendJson(res, 200, this.adminView(instance));
      }
      if ((m = /^(GET|PUT|DELETE) \/_emulator\/credentials\/([^/]+)\/policy$/.exec(route))) return this.policyRoute(res, m[1], decodeURIComponent(m[2]), body);
      if (route === "GET /_emulator/faults") return this.sendJson(res, 200, { rules: this.faults.list(), injected: this.faults.injected });
      if (route === "POST /_emulator/faults") {
        const rules = (json as { rules?: unknown }).rules;
        if (!Array.isArray(rules)) throw new HttpError(400, 'body must be {"rules": [...]}');
        let valid: FaultRule[];
        try {
          valid = rules.map(validateFaultRule);
        } catch (e) {
          throw new HttpError(400, (e as Error).message);
        }
        this.faults.set(valid);
        return this.sendJson(res, 200, { rules: this.faults.list() });
      }
      if (route === "DELETE /_emulator/faults") {
        this.faults.clear();
        return this.sendJson(res, 200, { rules: [] });
      }
      if (route === "GET /_emulator/rate-limits") return this.sendJson(res, 200, { limits: this.rateLimits.list(), throttled: this.rateLimits.throttled });
      if (route === "POST /_emulator/rate-limits") {
        try {
          this.rateLimits.set(json as Record<string, number>);
        } catch (e) {
          throw new HttpError(400, (e as Error).message);
        }
        return this.sendJson(res, 200, { limits: this.rateLimits.list() });
      }
      if (route === "DELETE /_emulator/rate-limits") {
        this.rateLimits.clear();
        return this.sendJson(res, 200, { limits: {} });
      }
      const view = req.method === "GET" ? this.adminViewNamed(url.pathname.replace(/^\/_emulator\//, "").replace(/\/+$/, "")) : undefined;
      if (view) return this.sendJson(res, 200, view({ clock: this.clock, store: this.store }, url.searchParams));
      throw new HttpError(404, `no admin route ${route}`);
    } catch (e) {
      if (e instanceof HttpError) return this.sendJson(res, e.status, { error: e.message });
      return this.sendJson(res, 500, { error: String(e) });
    }
  }

  /** What every account starts with, per product (the default network). */
  private seed(): void {
    for (const p of this.options.products) p.seed?.({ clock: this.clock, store: this.store });
  }

  private adminViewNamed(name: string): ((ctx: { clock: Clock; store: Store }, query: URLSearchParams) => unknown) | undefined {
    for (const p of this.options.products) if (p.adminViews && Object.prototype.hasOwnProperty.call(p.adminViews, name)) return p.adminViews[name];
    return undefined;
  }

  /** GET shows a key's RAM policy (null: full access), PUT replaces it, DELETE restores full access. */
  private policyRoute(res: ServerResponse, method: string, accessKeyId: string, body: Buffer): void {
    if (!this.options.credentials.some((c) => c.accessKeyId === accessKeyId)) throw new HttpError(404, `no credential ${accessKeyId}`);
    if (method === "PUT") {
      try {
        this.ram.set(accessKeyId, parsePolicy(body.toString("utf8"), "the policy document"));
      } catch (e) {
        throw new HttpError(400, e instanceof PolicyError ? e.message : String(e));
      }
    } else if (method === "DELETE") this.ram.set(accessKeyId, undefined);
    return this.sendJson(res, 200, { accessKeyId, policy: this.ram.get(accessKeyId)?.document ?? null });
  }

  private isSts(accessKeyId: string): boolean {
    return this.options.credentials.some((c) => c.accessKeyId === accessKeyId && c.securityToken !== undefined);
  }

  private clockView(): { now: string; timeScale: number; frozen: boolean } {
    return { now: this.clock.iso(this.clock.now()), timeScale: this.clock.timeScale, frozen: this.clock.frozen };
  }

  /** A product's admin hook refuses what makes no sense for it (e.g. a lock reason it does not know): 409. */
  private hook(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      throw new HttpError(409, (e as Error).message);
    }
  }

  private instance(id: string): Instance {
    const instance = this.store.get(decodeURIComponent(id));
    if (!instance) throw new HttpError(404, `no instance ${id}`);
    return instance;
  }

  private backend(instance: Instance): ProductBackend {
    const b = this.byName.get(instance.product);
    if (!b) throw new HttpError(500, `no backend for ${instance.product}`);
    return b;
  }

  private adminView(i: Instance): Record<string, unknown> {
    return {
      id: i.id,
      product: i.product,
      regionId: i.regionId,
      status: i.status,
      chargeType: i.chargeType,
      expireTime: i.expireTime === undefined ? undefined : this.clock.iso(i.expireTime),
      ...i.attrs,
      blockedBy: i.blockedBy ? { code: i.blockedBy.code, until: Number.isFinite(i.blockedBy.until) ? this.clock.iso(i.blockedBy.until) : null } : undefined,
      pending: this.store.pending(i.id).map((p) => ({ transition: p.label, at: this.clock.iso(p.at) })),
    };
  }
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > max) {
        failed = true;
        reject(new HttpError(413, `request body larger than ${max} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => failed || resolve(Buffer.concat(chunks)));
    req.on("error", (e) => failed || reject(e));
  });
}

function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    if (typeof parsed !== "object" || parsed === null) throw new Error();
    return parsed;
  } catch {
    throw new HttpError(400, "the body must be a JSON object");
  }
}

/** The RPC common parameters are not business parameters. */
function stripCommon(all: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) {
    if (COMMON_PARAMS.has(k)) continue;
    out[k] = v;
  }
  return out;
}

const COMMON_PARAMS = new Set([
  "Action", "Version", "Format", "Timestamp", "SignatureMethod", "SignatureVersion", "SignatureNonce",
  "SignatureType", "Signature", "AccessKeyId", "SecurityToken",
]);
