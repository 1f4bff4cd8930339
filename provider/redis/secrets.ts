// The instance password is a create-time secret: it must never reach outputs, progress lines or error text.
// RPC calls carry every parameter in the query string, and the HTTP layer (httpx) appends the full request URL
// to transport errors ("…POST http://host/?…&Password=…&… failed."), so errors of calls that carry it are
// scrubbed before anything else sees them.

import { withoutQueryStrings } from "../core/failure";

/** Input keys that are never copied into outputs. */
export const SECRET_INPUTS = ["password"] as const;

export function withoutSecrets(inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(inputs).filter(([k]) => !(SECRET_INPUTS as readonly string[]).includes(k)));
}

const MASK = "******";

function forms(secret: string): string[] {
  const all = [secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, "+"), JSON.stringify(secret).slice(1, -1)];
  return [...new Set(all)].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
}

export function scrubText(text: string, secrets: string[]): string {
  let out = withoutQueryStrings(text);
  for (const s of secrets) for (const f of forms(s)) out = out.split(f).join(MASK);
  return out;
}

/** Scrubs the error in place (message and stack: the engine prints both) and returns it. */
export function scrubError<E>(e: E, secrets: string[]): E {
  if (secrets.length === 0 || typeof e !== "object" || e === null) return e;
  const err = e as { message?: unknown; stack?: unknown };
  if (typeof err.message === "string") err.message = scrubText(err.message, secrets);
  if (typeof err.stack === "string") err.stack = scrubText(err.stack, secrets);
  return e;
}
