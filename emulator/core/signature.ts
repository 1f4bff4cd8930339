// Request authentication as Alibaba Cloud's API gateway does it, implemented from the published algorithms
// (ACS3-HMAC-SHA256 and the legacy RPC HMAC-SHA1 signature), never by calling an SDK's signing code, so that
// the conformance tests prove the SDK and this verifier agree rather than comparing a function with itself.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { ApiError, commonError } from "./errors";

export interface Credential {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** A RAM policy document (emulator/core/ram.ts); without one the key has full access. */
  policy?: unknown;
}

export interface SignedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  form: Record<string, string>;
}

export interface Authenticated {
  scheme: "ACS3-HMAC-SHA256" | "HMAC-SHA1";
  accessKeyId: string;
  action: string | undefined;
  version: string | undefined;
}

const MAX_SKEW_MS = 15 * 60 * 1000;

/** RFC 3986 percent-encoding: only A-Z a-z 0-9 - _ . ~ stay as they are. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

function header(req: SignedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Authenticator {
  private readonly credentials = new Map<string, Credential>();
  /** nonce → expiry (real ms); a nonce can be replayed once its timestamp is out of the window anyway. */
  private readonly nonces = new Map<string, number>();

  constructor(credentials: Credential[], private readonly realNow: () => number = Date.now) {
    for (const c of credentials) this.credentials.set(c.accessKeyId, c);
  }

  authenticate(req: SignedRequest): Authenticated {
    const authorization = header(req, "authorization");
    if (authorization && authorization.startsWith("ACS3-HMAC-SHA256")) return this.verifyAcs3(req, authorization);
    if (req.query.Signature !== undefined || req.form.Signature !== undefined) return this.verifyRpcV1(req);
    throw commonError("IncompleteSignature", "The request signature does not conform to Aliyun standards.");
  }

  private credential(accessKeyId: string | undefined): Credential {
    const cred = accessKeyId ? this.credentials.get(accessKeyId) : undefined;
    if (!cred) throw commonError("InvalidAccessKeyId.NotFound");
    return cred;
  }

  private checkToken(cred: Credential, token: string | undefined): void {
    if (cred.securityToken !== undefined && token !== cred.securityToken) {
      throw new ApiError("InvalidSecurityToken.MismatchWithAccessKey", 400, "Specified SecurityToken mismatch with the AccessKey.");
    }
  }

  private checkFreshness(timestamp: string | undefined, nonce: string | undefined): void {
    if (!timestamp) throw commonError("MissingParameter", undefined, "Timestamp");
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(timestamp)) throw commonError("InvalidTimeStamp.Format");
    const at = Date.parse(timestamp);
    if (Number.isNaN(at)) throw commonError("InvalidTimeStamp.Format");
    const now = this.realNow();
    if (Math.abs(now - at) > MAX_SKEW_MS) throw commonError("InvalidTimeStamp.Expired");
    if (!nonce) throw commonError("MissingParameter", undefined, "SignatureNonce");
    this.forgetOldNonces(now);
    if (this.nonces.has(nonce)) throw commonError("SignatureNonceUsed");
    this.nonces.set(nonce, now + 2 * MAX_SKEW_MS);
  }

  private forgetOldNonces(now: number): void {
    if (this.nonces.size < 10000) return;
    for (const [n, until] of this.nonces) if (until < now) this.nonces.delete(n);
  }

  private verifyAcs3(req: SignedRequest, authorization: string): Authenticated {
    const m = /^ACS3-HMAC-SHA256\s+Credential=([^,]*),\s*SignedHeaders=([^,]*),\s*Signature=([0-9a-fA-F]*)$/.exec(authorization.trim());
    if (!m) throw commonError("IncompleteSignature", "The request signature does not conform to Aliyun standards.");
    const [, accessKeyId, signedHeaderList, signature] = m;
    const cred = this.credential(accessKeyId);
    const signedHeaders = signedHeaderList.split(";").map((h) => h.trim().toLowerCase()).filter(Boolean);
    for (const required of ["host", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"]) {
      if (!signedHeaders.includes(required)) throw commonError("IncompleteSignature", `The header ${required} must be signed.`);
    }
    const payloadHash = createHash("sha256").update(req.body).digest("hex");
    if (header(req, "x-acs-content-sha256") !== payloadHash) {
      throw commonError("SignatureDoesNotMatch", "The x-acs-content-sha256 header does not match the request body.");
    }
    const canonicalUri = percentEncode(decodeURIComponent(req.path)).replace(/%2F/g, "/") || "/";
    const canonicalQuery = Object.keys(req.query)
      .sort()
      .map((k) => `${k}=${percentEncode(req.query[k])}`)
      .join("&");
    const canonicalHeaders = [...signedHeaders]
      .sort()
      .map((h) => {
        const raw = req.headers[h];
        const values = (Array.isArray(raw) ? raw : [raw ?? ""]).map((v) => String(v).trim()).sort();
        return `${h}:${values.join(",")}\n`;
      })
      .join("");
    const canonicalRequest = [req.method, canonicalUri, canonicalQuery, canonicalHeaders, [...signedHeaders].sort().join(";"), payloadHash].join("\n");
    const stringToSign = "ACS3-HMAC-SHA256\n" + createHash("sha256").update(canonicalRequest).digest("hex");
    const expected = createHmac("sha256", cred.accessKeySecret).update(stringToSign).digest("hex");
    if (!safeEqual(expected, signature.toLowerCase())) throw commonError("SignatureDoesNotMatch");
    this.checkToken(cred, header(req, "x-acs-security-token"));
    this.checkFreshness(header(req, "x-acs-date"), header(req, "x-acs-signature-nonce"));
    return { scheme: "ACS3-HMAC-SHA256", accessKeyId, action: header(req, "x-acs-action"), version: header(req, "x-acs-version") };
  }

  private verifyRpcV1(req: SignedRequest): Authenticated {
    const all: Record<string, string> = { ...req.form, ...req.query };
    const cred = this.credential(all.AccessKeyId);
    if ((all.SignatureMethod ?? "HMAC-SHA1") !== "HMAC-SHA1") throw commonError("InvalidSignatureMethod");
    const canonical = Object.keys(all)
      .filter((k) => k !== "Signature")
      .sort()
      .map((k) => `${percentEncode(k)}=${percentEncode(all[k])}`)
      .join("&");
    const stringToSign = `${req.method}&${percentEncode("/")}&${percentEncode(canonical)}`;
    const expected = createHmac("sha1", cred.accessKeySecret + "&").update(stringToSign).digest("base64");
    if (!safeEqual(expected, all.Signature ?? "")) throw commonError("SignatureDoesNotMatch");
    this.checkToken(cred, all.SecurityToken);
    this.checkFreshness(all.Timestamp, all.SignatureNonce);
    return { scheme: "HMAC-SHA1", accessKeyId: cred.accessKeyId, action: all.Action, version: all.Version };
  }
}
