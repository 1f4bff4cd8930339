// Typed access to an RPC call's business parameters, with the gateway's answers for missing and malformed
// values. Everything arrives as strings in the query (or a form body); lists come as `Name.N` repeat lists.
import { ApiError, invalid, missing } from "./errors";

export class Params {
  constructor(readonly raw: Record<string, string>) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== "";
  }

  string(name: string): string | undefined {
    const v = this.raw[name];
    return v === undefined || v === "" ? undefined : v;
  }

  required(name: string, error?: () => ApiError): string {
    const v = this.string(name);
    if (v === undefined) throw error ? error() : missing(name);
    return v;
  }

  bool(name: string, fallback = false): boolean {
    const v = this.string(name);
    if (v === undefined) return fallback;
    if (v === "true" || v === "True") return true;
    if (v === "false" || v === "False") return false;
    throw invalid(name);
  }

  int(name: string, range?: [number, number]): number | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) throw invalid(name);
    const n = Number(v);
    if (range && (n < range[0] || n > range[1])) throw invalid(name);
    return n;
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback?: T): T | undefined {
    const v = this.string(name);
    if (v === undefined) return fallback;
    if (!(values as readonly string[]).includes(v)) throw invalid(name);
    return v as T;
  }

  /** `Name.1`, `Name.2`, … in index order; gaps and indexes beyond `max` are rejected. */
  repeatList(name: string, max: number): string[] {
    const entries: [number, string][] = [];
    const prefix = name + ".";
    for (const [k, v] of Object.entries(this.raw)) {
      if (!k.startsWith(prefix)) continue;
      const rest = k.slice(prefix.length);
      if (!/^\d+$/.test(rest)) continue;
      const n = Number(rest);
      if (n < 1 || n > max) throw invalid(`${name}.${n}`);
      entries.push([n, v]);
    }
    return entries.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  }

  /** `Tag.N.Key` / `Tag.N.Value` pairs. */
  tags(max = 20): { Key: string; Value: string }[] {
    const tags: { Key: string; Value: string }[] = [];
    for (let n = 1; n <= max; n++) {
      const key = this.string(`Tag.${n}.Key`);
      if (key === undefined) continue;
      tags.push({ Key: key, Value: this.raw[`Tag.${n}.Value`] ?? "" });
    }
    if (this.string(`Tag.${max + 1}.Key`) !== undefined) throw new ApiError("InvalidTagCount", 400, `The number of tags must not exceed ${max}.`);
    return tags;
  }

  /** A parameter that carries a JSON array of strings (ECS DescribeInstances InstanceIds). */
  jsonStringArray(name: string, max: number): string[] | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      throw new ApiError(`Invalid${name}.Malformed`, 400, `The specified parameter ${name} is not valid.`);
    }
    if (!Array.isArray(parsed) || parsed.some((x) => typeof x !== "string")) throw new ApiError(`Invalid${name}.Malformed`, 400, `The specified parameter ${name} is not valid.`);
    if (parsed.length > max) throw new ApiError(`Invalid${name}.Malformed`, 400, `The specified parameter ${name} is not valid: at most ${max} values.`);
    return parsed as string[];
  }

  /** Business parameters for the request log: signing fields and secrets removed. */
  forLog(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.raw)) {
      if (LOG_OMIT.has(k)) continue;
      out[k] = isSecretParam(k) ? "******" : v;
    }
    return out;
  }
}

const LOG_OMIT = new Set([
  "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "SignatureType", "Timestamp",
  "AccessKeyId", "SecurityToken", "Format", "Action", "Version",
]);
// ClientToken/Token stay visible: tests check that retries of one call reuse one token.
const SECRET = /password|secret/i;
// Flags named after a secret are not secrets: the log shows them as sent.
const NOT_SECRET = /^(PasswordInherit|.*PasswordFree)$/;

/** A parameter whose value is a secret (Password, AccountPassword, NewPassword, …): masked in logs, hashed in memory. */
export function isSecretParam(name: string): boolean {
  return SECRET.test(name) && !NOT_SECRET.test(name);
}
