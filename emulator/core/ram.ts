// RAM authorization as the cloud's gateway applies it after authentication: a credential may carry an identity
// policy in the RAM policy language (Version "1", Statement[] of Effect / Action / Resource, `*` and `?`
// wildcards); an explicit Deny wins over any Allow, and a call no statement allows is implicitly denied. A denied
// call answers 403 Forbidden.RAM with the AccessDeniedDetail object that the SDKs expose. A credential without a
// policy has full access (the account's root key, and everything that existed before RAM was emulated).
import { ApiError } from "./errors";
import { ProductName, Store } from "./store";

/** The emulated account's id: it appears in resource ARNs and as AuthPrincipalOwnerId. */
export const EMULATOR_ACCOUNT_ID = "1000000000000000";

export interface Statement {
  effect: "Allow" | "Deny";
  actions: string[];
  resources: string[];
}

export interface Policy {
  version: "1";
  statements: Statement[];
  /** The document as given, for the admin API. */
  document: unknown;
}

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyError";
  }
}

const STATEMENT_KEYS = new Set(["Effect", "Action", "Resource", "Sid"]);

function stringList(value: unknown, where: string): string[] {
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === "string" && v.length > 0)) {
    throw new PolicyError(`${where} must be a non-empty string or a non-empty list of strings, got ${JSON.stringify(value)}`);
  }
  return list as string[];
}

/** Validates a policy document as the RAM console would, with messages that point at the faulty element. */
export function parsePolicy(doc: unknown, source = "policy"): Policy {
  const fail = (msg: string): never => {
    throw new PolicyError(`${source}: ${msg}`);
  };
  if (typeof doc === "string") {
    try {
      doc = JSON.parse(doc) as unknown;
    } catch (e) {
      fail(`not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return fail("a policy document must be a JSON object");
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) if (k !== "Version" && k !== "Statement") fail(`unknown top-level element "${k}" (known: Version, Statement)`);
  if (d.Version !== "1") fail(`Version must be the string "1", got ${JSON.stringify(d.Version)}`);
  if (!Array.isArray(d.Statement) || d.Statement.length === 0) return fail("Statement must be a non-empty list");
  const statements = d.Statement.map((raw: unknown, i: number): Statement => {
    const where = `Statement[${i}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return fail(`${where} must be an object`);
    const s = raw as Record<string, unknown>;
    for (const k of Object.keys(s)) {
      if (k === "Condition" || k === "NotAction" || k === "NotResource" || k === "Principal") fail(`${where}.${k} is not supported by the emulator (it would be evaluated wrongly, so it is refused)`);
      if (!STATEMENT_KEYS.has(k)) fail(`${where}: unknown element "${k}" (known: Effect, Action, Resource)`);
    }
    if (s.Effect !== "Allow" && s.Effect !== "Deny") fail(`${where}.Effect must be "Allow" or "Deny", got ${JSON.stringify(s.Effect)}`);
    if (s.Action === undefined) fail(`${where}.Action is missing`);
    if (s.Resource === undefined) fail(`${where}.Resource is missing`);
    let actions: string[] = [];
    let resources: string[] = [];
    try {
      actions = stringList(s.Action, `${where}.Action`);
      resources = stringList(s.Resource, `${where}.Resource`);
    } catch (e) {
      fail((e as Error).message);
    }
    for (const a of actions) if (a !== "*" && !/^[a-z0-9-]+:[A-Za-z0-9*?]+$/i.test(a)) fail(`${where}.Action "${a}" is not "<service>:<Action>" (for example "ecs:DescribeInstances" or "ecs:Describe*")`);
    for (const r of resources) if (r !== "*" && !r.startsWith("acs:")) fail(`${where}.Resource "${r}" is not "*" or an ARN ("acs:<service>:<region>:<account>:<type>/<id>")`);
    return { effect: s.Effect as "Allow" | "Deny", actions, resources };
  });
  return { version: "1", statements, document: doc };
}

function wildcard(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, caseInsensitive ? "i" : "");
}

const matchesAny = (patterns: string[], value: string, caseInsensitive: boolean): boolean => patterns.some((p) => wildcard(p, caseInsensitive).test(value));

export type Decision = { allowed: true } | { allowed: false; noPermissionType: "ImplicitDeny" | "ExplicitDeny"; resource: string };

/** Every resource must be allowed and none denied; action names match case-insensitively, ARNs exactly. */
export function evaluate(policy: Policy, action: string, resources: string[]): Decision {
  for (const resource of resources) {
    const applies = (s: Statement): boolean => matchesAny(s.actions, action, true) && matchesAny(s.resources, resource, false);
    if (policy.statements.some((s) => s.effect === "Deny" && applies(s))) return { allowed: false, noPermissionType: "ExplicitDeny", resource };
    if (!policy.statements.some((s) => s.effect === "Allow" && applies(s))) return { allowed: false, noPermissionType: "ImplicitDeny", resource };
  }
  return { allowed: true };
}

/** RAM service codes differ from the emulator's product names for R-KVStore. */
const RAM_SERVICE: Record<string, string> = { ecs: "ecs", dds: "dds", "r-kvstore": "kvstore", vpc: "vpc" };

export function ramAction(product: ProductName | string, action: string): string {
  return `${RAM_SERVICE[product] ?? product}:${action}`;
}

/** The ARN resource type of an id, by its documented prefix. */
function resourceType(product: string, id: string): string {
  if (id.startsWith("sg-")) return "securitygroup";
  if (id.startsWith("vsw-")) return "vswitch";
  if (id.startsWith("vpc-")) return "vpc";
  return product === "dds" ? "dbinstance" : "instance";
}

const ID_PARAM = /^(InstanceId|DBInstanceId|ResourceId|SecurityGroupId|VSwitchId|VpcId)(\.\d+)?$/;

/** The ids a request names: single parameters, `.N` lists, and InstanceIds as a JSON array or comma list. */
function namedIds(params: Record<string, string>): string[] {
  const ids: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (!v) continue;
    if (ID_PARAM.test(k)) ids.push(v);
    else if (k === "InstanceIds" || k === "DBInstanceIds") {
      let list: unknown;
      try {
        list = JSON.parse(v);
      } catch {
        list = v.split(",");
      }
      if (Array.isArray(list)) for (const x of list) if (typeof x === "string" && x.trim()) ids.push(x.trim());
    }
  }
  return [...new Set(ids)];
}

/**
 * The resources a call is authorized against: one ARN per id it names (region from RegionId, else the instance's
 * own region), or every instance of the region when it names none (creates and unfiltered lists).
 */
export function requestResources(product: string, action: string, params: Record<string, string>, store: Store): string[] {
  const service = RAM_SERVICE[product] ?? product;
  const ids = namedIds(params);
  // Creates name the network they go into (VSwitchId, SecurityGroupId), but are authorized on the new instance.
  const isCreate = /^(Run|Create)/.test(action);
  const regionOf = (id?: string): string => params.RegionId || (id && store.get(id)?.regionId) || "*";
  if (ids.length === 0 || isCreate) return [`acs:${service}:${regionOf()}:${EMULATOR_ACCOUNT_ID}:${product === "dds" ? "dbinstance" : "instance"}/*`];
  return ids.map((id) => `acs:${service}:${regionOf(id)}:${EMULATOR_ACCOUNT_ID}:${resourceType(product, id)}/${id}`);
}

export interface Principal {
  accessKeyId: string;
  /** STS credentials act as an assumed role; long-term keys as a RAM user. */
  sts: boolean;
}

/** 403 Forbidden.RAM with the AccessDeniedDetail the gateway adds (keys as the ECS announcement shows them). */
export function accessDenied(principal: Principal, action: string, decision: Extract<Decision, { allowed: false }>): ApiError {
  const type = principal.sts ? "AssumedRoleUser" : "SubUser";
  const diagnostic = {
    ExplicitDeny: decision.noPermissionType === "ExplicitDeny",
    NoPermissionPolicyType: "AccountLevelIdentityBasedPolicy",
    AuthAction: action,
    AuthResource: decision.resource,
    AuthPrincipal: { AuthPrincipalType: type, AuthPrincipalOwnerId: EMULATOR_ACCOUNT_ID, AuthPrincipalDisplayName: principal.accessKeyId },
  };
  return new ApiError("Forbidden.RAM", 403, "User not authorized to operate on the specified resource, or this API doesn't support RAM.", {}, {
    AccessDeniedDetail: {
      PolicyType: "AccountLevelIdentityBasedPolicy",
      AuthPrincipalOwnerId: EMULATOR_ACCOUNT_ID,
      AuthPrincipalType: type,
      AuthPrincipalDisplayName: principal.accessKeyId,
      NoPermissionType: decision.noPermissionType,
      AuthAction: action,
      EncodedDiagnosticMessage: Buffer.from(JSON.stringify(diagnostic)).toString("base64"),
    },
  });
}

/** The policies in force, per AccessKey id; the ones given at start come back on reset. */
export class RamPolicies {
  private readonly current = new Map<string, Policy>();

  constructor(private readonly initial: Map<string, Policy> = new Map()) {
    this.reset();
  }

  reset(): void {
    this.current.clear();
    for (const [k, p] of this.initial) this.current.set(k, p);
  }

  get(accessKeyId: string): Policy | undefined {
    return this.current.get(accessKeyId);
  }

  set(accessKeyId: string, policy: Policy | undefined): void {
    if (policy) this.current.set(accessKeyId, policy);
    else this.current.delete(accessKeyId);
  }

  /** Throws Forbidden.RAM when the credential's policy does not allow the call. */
  authorize(principal: Principal, product: string, action: string, params: Record<string, string>, store: Store): void {
    const policy = this.current.get(principal.accessKeyId);
    if (!policy) return;
    const name = ramAction(product, action);
    const decision = evaluate(policy, name, requestResources(product, action, params, store));
    if (!decision.allowed) throw accessDenied(principal, name, decision);
  }
}
