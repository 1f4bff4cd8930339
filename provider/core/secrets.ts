// Secret inputs (instance and account passwords) must never reach outputs, progress lines or error text.
// RPC calls carry every parameter in the query string, and the HTTP layer (httpx) appends the full request URL
// to transport errors ("…POST http://host/?…&Password=…&… failed."), so errors of calls that carry one are
// scrubbed before anything else sees them.
import { withoutQueryStrings } from "./failure";

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
  const err = e as { message?: unknown; stack?: unknown; data?: unknown };
  if (typeof err.message === "string") err.message = scrubText(err.message, secrets);
  if (typeof err.stack === "string") err.stack = scrubText(err.stack, secrets);
  if (err.data && typeof err.data === "object") {
    const d = err.data as Record<string, unknown>;
    for (const k of Object.keys(d)) if (typeof d[k] === "string") d[k] = scrubText(d[k] as string, secrets);
  }
  return e;
}

/** The password rule the product documents, checked without ever quoting the value. */
export interface PasswordRule {
  min: number;
  max: number;
  /** Characters allowed at all. */
  chars: RegExp;
  /** The special characters, as the docs list them. */
  specials: string;
  /** How many of uppercase, lowercase, digits, specials must appear. */
  kinds: number;
}

export function passwordFailure(property: string, value: unknown, rule: PasswordRule): { property: string; reason: string } | undefined {
  if (value === undefined) return undefined;
  const text = `${rule.min} to ${rule.max} characters from letters, digits and ${rule.specials}, with at least ${rule.kinds === 3 ? "three" : rule.kinds} of: uppercase, lowercase, digits, special characters`;
  if (typeof value !== "string") return { property, reason: `${property} must be a string of ${text}` };
  const esc = rule.specials.replace(/[\\\]^-]/g, "\\$&");
  const kinds = [/[A-Z]/, /[a-z]/, /[0-9]/, new RegExp(`[${esc}]`)].filter((r) => r.test(value)).length;
  const charsOk = rule.chars.test(value);
  if (value.length < rule.min || value.length > rule.max || kinds < rule.kinds || !charsOk) {
    return { property, reason: `${property} must be ${text} (the given value, not shown, has ${value.length} characters and ${kinds} of the four kinds${charsOk ? "" : ", and characters outside that set"})` };
  }
  return undefined;
}
