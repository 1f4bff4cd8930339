// The instance password is a create-time secret: it must never reach outputs, progress lines or error text.
// RPC calls carry every parameter in the query string, and the HTTP layer (httpx) appends the full request URL
// to transport errors ("…POST http://host/?…&Password=…&… failed."), so errors of calls that carry it are
// scrubbed before anything else sees them.


/** Input keys that are never copied into outputs. */
export const SECRET_INPUTS = ["password"] as const;

export function withoutSecrets(inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(inputs).filter(([k]) => !(SECRET_INPUTS as readonly string[]).includes(k)));
}

export { scrubError, scrubText } from "../core/secrets";
