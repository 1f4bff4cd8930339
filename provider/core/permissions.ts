// RAM denials, told so that the user can fix them in one go: which action was denied (the AccessDeniedDetail the
// gateway returns, else the call that was made), the policy statement that grants it, and, for a release, in which
// phase it happened and what had and had not been changed by then.
import { ramServiceOf, Catalog } from "./catalog";

/** The AccessDeniedDetail of a 403 Forbidden.RAM answer, as the SDKs expose it (err.data.AccessDeniedDetail). */
export interface AccessDenied {
  /** "<service>:<Action>", e.g. ecs:DeleteInstances. */
  authAction: string;
  /** ImplicitDeny (no statement allows it) or ExplicitDeny (a Deny statement matches). */
  noPermissionType?: string;
  principalType?: string;
  principal?: string;
  encodedDiagnosticMessage?: string;
}

/** Codes with which the cloud refuses a call for lack of permission (not an instance that is missing). */
const DENIAL_CODES = new Set(["Forbidden.RAM", "Forbidden.RAMUserNoPermission", "Forbidden.SubUser", "Forbidden.NoPermission", "NoPermission", "Forbidden"]);

export function isDenialCode(code: string): boolean {
  return DENIAL_CODES.has(code);
}

export function accessDeniedFrom(data: unknown): AccessDenied | undefined {
  const d = (data as { AccessDeniedDetail?: Record<string, unknown> } | undefined)?.AccessDeniedDetail;
  if (!d || typeof d !== "object" || typeof d.AuthAction !== "string") return undefined;
  const s = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);
  return {
    authAction: d.AuthAction,
    noPermissionType: s(d.NoPermissionType),
    principalType: s(d.AuthPrincipalType),
    principal: s(d.AuthPrincipalDisplayName),
    encodedDiagnosticMessage: s(d.EncodedDiagnosticMessage),
  };
}

/** The action as RAM names it: from the answer when it says, else the call made with the product's service code. */
export function deniedAction(detail: AccessDenied | undefined, apiAction: string, catalog: Catalog): string {
  return detail?.authAction ?? `${ramServiceOf(catalog) ?? "<service>"}:${apiAction}`;
}

/** A statement to paste into the policy's Statement list. */
export function statementFor(actions: string[]): string {
  return JSON.stringify({ Effect: "Allow", Action: actions, Resource: "*" });
}

/** The "what it means / what to do" lines of a denial. */
export function denialLines(action: string, detail: AccessDenied | undefined): { meaning: string; remedy: string } {
  const who = detail?.principal ? ` (${detail.principalType ?? "principal"} ${detail.principal})` : "";
  if (detail?.noPermissionType === "ExplicitDeny") {
    return {
      meaning: `RAM denied ${action}${who}: a Deny statement in a policy attached to the user or role matches it, and an explicit Deny wins over any Allow.`,
      remedy: `remove ${action} from that Deny statement (or narrow its Resource), then run the command again. Adding an Allow does not help.`,
    };
  }
  return {
    meaning: `RAM denied ${action}${who}: no statement in the policies of the user or role allows it${detail ? " (ImplicitDeny)" : ""}.`,
    remedy: `add this statement to the RAM policy of the user or role that runs Pulumi (see "Least privilege: RAM policies" in the README for the complete policies), then run the command again:\n    ${statementFor([action])}`,
  };
}

/**
 * What a release has changed so far, for the message of a denial part-way through: the planned changes in order,
 * marked done as they succeed, and the phase under way.
 */
export class Journal {
  private readonly done: string[] = [];
  private planned: string[] = [];
  /** The part of a planned change not made, when some of it was. */
  private readonly rest = new Map<string, string>();
  private phase = "the checks before any change";

  /** The changes the release will make, in order, once it knows them. */
  plan(changes: string[]): void {
    this.planned = changes;
  }

  enter(phase: string): void {
    this.phase = phase;
  }

  did(change: string): void {
    this.done.push(change);
  }

  /** A change made for some of the instances only: a denial of its call for the others ended the release. */
  didFor(change: string, done: string[], all: string[]): void {
    if (done.length === 0) return;
    this.done.push(`${change} for ${done.length} of the ${all.length} instances`);
    this.rest.set(change, `${change} for ${all.filter((id) => !done.includes(id)).join(", ")}`);
  }

  /** The lines appended to a denial's message. */
  lines(): string[] {
    const pending = this.planned.filter((p) => !this.done.includes(p)).map((p) => this.rest.get(p) ?? p);
    return [
      `Phase: ${this.phase}.`,
      `Changed before the denial: ${this.done.length ? this.done.join("; ") : "nothing"}.`,
      `Not done: ${pending.length ? pending.join("; ") : "nothing left but confirming the release"}.`,
    ];
  }
}
