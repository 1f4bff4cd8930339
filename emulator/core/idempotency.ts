// Idempotency tokens (ECS/DDS ClientToken, R-KVStore Token): the same token with the same parameters gets the
// first answer again and creates nothing new; the same token with other parameters is refused.
import { createHash } from "node:crypto";
import { commonError } from "./errors";
import { isSecretParam } from "./params";

interface Remembered {
  fingerprint: string;
  response: Record<string, unknown>;
}

export class IdempotencyTokens {
  private readonly seen = new Map<string, Remembered>();

  run(scope: string, token: string | undefined, params: Record<string, string>, tokenName: string, fn: () => Record<string, unknown>): Record<string, unknown> {
    if (token === undefined) return fn();
    if (token.length > 64 || !/^[\x20-\x7e]+$/.test(token)) throw commonError("InvalidParameter", undefined, tokenName);
    const key = `${scope}\n${token}`;
    // Secrets take part only as hashes, so that no password is kept in clear for the token's lifetime.
    const fingerprint = JSON.stringify(
      Object.entries(params)
        .filter(([k]) => k !== tokenName)
        .map(([k, v]) => [k, isSecretParam(k) ? createHash("sha256").update(v).digest("hex") : v])
        .sort(),
    );
    const before = this.seen.get(key);
    if (before) {
      if (before.fingerprint !== fingerprint) throw commonError("IdempotentParameterMismatch");
      return before.response;
    }
    const response = fn();
    this.seen.set(key, { fingerprint, response });
    return response;
  }

  clear(): void {
    this.seen.clear();
  }
}

