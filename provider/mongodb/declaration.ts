// mongodb.Instance (a replica set, CreateDBInstance) and mongodb.ShardingInstance (a sharded cluster,
// CreateShardingDBInstance), declared once: their create parameters (params.ts), which inputs replace, which change
// in place (description: ModifyDBInstanceDescription; release protection: ModifyDBInstanceAttribute; tags: TagResources / UntagResources),
// which the cloud changes in place and this resource only accepts once shown (a spec change never swaps a
// database for an empty one), create or adopt, read, update, and the one release lifecycle (release.ts).
import { checkCredentials } from "../core/clients";
import { InitFailure, Inputs } from "../core/dynamic";
import { CreateOutcome, KindDeclaration } from "../core/kind";
import { ReleaseError } from "../core/failure";
import { CheckFailure, checkDeleteOptions, DeleteOptions, deleteOptionsFrom } from "../core/options";
import { progress } from "../core/progress";
import { GoneFailure } from "../core/retry";
import { REGION_PATTERN, resolveRegion } from "../core/settings";
import { Deadline, timeScale } from "../core/timing";
import { waitFor } from "../core/waiter";
import * as api from "./api";
import { CallContext, DdsInstanceState, Gone, isGone } from "./api";
import { releaseMongoInstance } from "./release";
import { ParamTable, tableFailures, toWire } from "../core/param-table";
import { EXPIRES_AT_TAG_KEY, ownershipTags } from "../core/ownership";
import { isEmptyChange, tagChange, tagFailures, userTags } from "../core/tags";
import { CREATE_DB_INSTANCE, CREATE_SHARDING_DB_INSTANCE } from "./params";

/** What differs between a replica set and a sharded cluster. */
export interface MongoVariant {
  kind: "mongodb.Instance" | "mongodb.ShardingInstance";
  action: "CreateDBInstance" | "CreateShardingDBInstance";
  table: ParamTable;
  /** Checks of the parameters only this variant has, for a create. */
  checkCreate(news: Inputs, push: Push): void;
  /** Spec keys the cloud changes in place, read back from the instance. */
  reconcile: Record<string, (s: DdsInstanceState) => unknown>;
}

/** Checked by their own rules below, with their own messages. */
const OWN_RULES = ["engineVersion", "dbInstanceClass", "dbInstanceStorage", "storageType", "replicationFactor", "zoneId", "vpcId", "vSwitchId", "chargeType", "period", "releaseProtection", "accountPassword", "dbInstanceDescription"];
const CLASS = /^[a-z0-9]+(\.[a-z0-9]+)+$/;

const SCHEMA_VERSION = 1;
/** Terraform's default for MongoDB creation; replica sets take minutes. */
const CREATE_TIMEOUT_SECONDS = 1800;
/** Right after CreateDBInstance the new id may not be found yet (eventual consistency). */
const NOT_FOUND_GRACE_MS = 60_000;

export const ENGINE_VERSIONS = ["8.0", "7.0", "6.0", "5.0", "4.4", "4.2", "4.0"];
export const PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 60];
export const STORAGE_TYPES = ["cloud_essd1", "cloud_essd2", "cloud_essd3", "cloud_auto", "local_ssd"];
export const REPLICATION_FACTORS = [3, 5, 7];
const PASSWORD_CHARS = /^[A-Za-z0-9!@#$%^&*()_+\-=]+$/;
const PASSWORD_CLASSES = [/[A-Z]/, /[a-z]/, /[0-9]/, /[!@#$%^&*()_+\-=]/];

/** The cloud cannot move an instance to another region, zone or network, and another id is another instance. */
const REPLACE_KEYS = ["regionId", "dbInstanceId", "zoneId", "vpcId", "vSwitchId"];
/**
 * The cloud changes these in place (ModifyDBInstanceSpec, UpgradeDBInstanceEngineVersion, TransformToPrePaid, …),
 * so a change must not replace the database with an empty one; this resource does not make those changes itself,
 * it accepts them once the instance shows them.
 */
const RECONCILE_KEYS: Record<string, (s: DdsInstanceState) => unknown> = {
  engineVersion: (s) => s.engineVersion,
  dbInstanceClass: (s) => s.dbInstanceClass,
  dbInstanceStorage: (s) => s.dbInstanceStorage,
  storageType: (s) => s.storageType,
  replicationFactor: (s) => (s.replicationFactor === undefined ? undefined : Number(s.replicationFactor)),
  chargeType: (s) => s.chargeType,
};
/** Changed in place: ModifyDBInstanceDescription, ModifyDBInstanceAttribute. */
const ATTRIBUTE_KEYS = ["releaseProtection", "dbInstanceDescription"];

const inRange = (v: unknown, min: number, max: number): boolean => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

export const REPLICA_SET: MongoVariant = {
  kind: "mongodb.Instance",
  action: "CreateDBInstance",
  table: CREATE_DB_INSTANCE,
  reconcile: RECONCILE_KEYS,
  checkCreate(news, push) {
    if (!(typeof news.dbInstanceClass === "string" && CLASS.test(news.dbInstanceClass))) push("dbInstanceClass", `dbInstanceClass must be an instance class like "dds.mongo.mid" to create an instance, got ${JSON.stringify(news.dbInstanceClass)}`);
    const storage = news.dbInstanceStorage;
    if (!(typeof storage === "number" && Number.isInteger(storage) && storage >= 10)) push("dbInstanceStorage", `dbInstanceStorage must be a whole number of GB, at least 10, to create an instance, got ${JSON.stringify(storage)}`);
    if (news.replicationFactor !== undefined && !REPLICATION_FACTORS.includes(news.replicationFactor as number)) push("replicationFactor", `replicationFactor must be 3, 5 or 7, got ${JSON.stringify(news.replicationFactor)}`);
  },
};

/** Documented ranges: 2-32 mongos, 2-32 shards, 0-5 read-only nodes per shard, one config server. */
function checkNodes(news: Inputs, key: string, min: number, max: number, push: Push, storage: boolean): void {
  const list = news[key];
  if (!Array.isArray(list) || list.length < min || list.length > max) {
    return push(key, `${key} must list ${min === max ? min : `${min} to ${max}`} node${max > 1 ? "s" : ""} (${key}: [{ class${storage ? ", storage" : ""} }, …]) to create a sharded cluster, got ${Array.isArray(list) ? `${list.length}` : JSON.stringify(list)}`);
  }
  list.forEach((node: Record<string, unknown>, i) => {
    if (!node || typeof node !== "object") return;
    if (!(typeof node.class === "string" && CLASS.test(node.class))) push(`${key}[${i}].class`, `${key}[${i}].class must be an instance class like "dds.shard.mid", got ${JSON.stringify(node.class)}`);
    if (storage && !inRange(node.storage, 10, 16000)) push(`${key}[${i}].storage`, `${key}[${i}].storage must be a whole number of GB from 10 to 16000, got ${JSON.stringify(node.storage)}`);
    if (node.readonlyReplicas !== undefined && !inRange(node.readonlyReplicas, 0, 5)) push(`${key}[${i}].readonlyReplicas`, `${key}[${i}].readonlyReplicas must be a whole number from 0 to 5, got ${JSON.stringify(node.readonlyReplicas)}`);
  });
}

export const SHARDED_CLUSTER: MongoVariant = {
  kind: "mongodb.ShardingInstance",
  action: "CreateShardingDBInstance",
  table: CREATE_SHARDING_DB_INSTANCE,
  // Nodes and shards are added or resized in place (AddNodes / ModifyNodeSpec): never a new, empty cluster.
  reconcile: { engineVersion: RECONCILE_KEYS.engineVersion, storageType: RECONCILE_KEYS.storageType, chargeType: RECONCILE_KEYS.chargeType, mongos: (s) => s.mongos, replicaSet: (s) => s.replicaSet, configServer: (s) => s.configServer },
  checkCreate(news, push) {
    checkNodes(news, "mongos", 2, 32, push, false);
    checkNodes(news, "replicaSet", 2, 32, push, true);
    checkNodes(news, "configServer", 1, 1, push, true);
  },
};
const DDS_DELETE_OPTION_KEYS = ["onSubscription", "overrideProtection", "deleteTimeoutSeconds"] as const;

type Push = (property: string, reason: string) => void;

function checkId(v: unknown, push: Push): void {
  if (v === undefined) return;
  if (typeof v === "string" && /^i-/.test(v)) return push("dbInstanceId", `dbInstanceId must be a MongoDB (DDS) instance id like "dds-bp1…"; ${JSON.stringify(v)} is an ECS instance id (use ecs.Instance)`);
  if (typeof v === "string" && /^r-/.test(v)) return push("dbInstanceId", `dbInstanceId must be a MongoDB (DDS) instance id like "dds-bp1…"; ${JSON.stringify(v)} is a Redis (R-KVStore) instance id (use redis.Instance)`);
  if (typeof v !== "string" || !/^dds-[a-z0-9]{6,40}$/.test(v)) push("dbInstanceId", `dbInstanceId must be a MongoDB (DDS) instance id like "dds-bp1…", got ${JSON.stringify(v)}`);
}

/** Never quotes the password: check failures are printed and logged. */
function checkPassword(v: unknown, push: Push): void {
  if (v === undefined) return;
  if (typeof v !== "string") return push("accountPassword", "accountPassword must be a string");
  const classes = PASSWORD_CLASSES.filter((re) => re.test(v)).length;
  if (v.length < 8 || v.length > 32 || classes < 3 || !PASSWORD_CHARS.test(v)) {
    push("accountPassword", `accountPassword must be 8 to 32 characters from letters, digits and !@#$%^&*()_+-=, with at least three of: uppercase, lowercase, digits, special characters (the given value has ${v.length} characters and ${classes} of the four kinds${PASSWORD_CHARS.test(v) ? "" : ", and characters outside that set"})`);
  }
}

export function checkInputs(news: Inputs, v: MongoVariant = REPLICA_SET): CheckFailure[] {
  const failures: CheckFailure[] = checkDeleteOptions(news, ["fail", "retain"]).map((f) =>
    f.property === "onSubscription" && news.onSubscription === "convert"
      ? { property: "onSubscription", reason: 'onSubscription "convert" is not available for MongoDB: the API cannot switch a subscription instance to pay-as-you-go for release. Use "fail" (default) or "retain".' }
      : f,
  );
  const push: Push = (property, reason) => void failures.push({ property, reason });
  const given = (k: string): boolean => news[k] !== undefined;

  if (news.force === true) push("force", "force applies only to ecs.Instance: DeleteDBInstance has no force flag. Remove it (false is accepted and ignored).");
  if (given("regionId") && !(typeof news.regionId === "string" && REGION_PATTERN.test(news.regionId))) push("regionId", `regionId must be a region id like "cn-hangzhou", got ${JSON.stringify(news.regionId)}`);
  checkId(news.dbInstanceId, push);

  if (given("dbInstanceId")) {
    const extra = Object.keys(v.table).filter((k) => !ATTRIBUTE_KEYS.includes(k)).filter(given);
    if (extra.length) push(extra[0], `give either dbInstanceId (adopt an existing instance) or the creation parameters, not both: remove ${extra.join(", ")}`);
  } else {
    if (!ENGINE_VERSIONS.includes(news.engineVersion as string)) push("engineVersion", `engineVersion must be one of ${ENGINE_VERSIONS.join(", ")} (as a string) to create an instance (or give dbInstanceId to adopt one), got ${JSON.stringify(news.engineVersion)}`);
    v.checkCreate(news, push);
  }
  for (const f of tableFailures(v.table, news, "", Object.keys(v.table).filter((k) => !OWN_RULES.includes(k)))) push(f.property, f.reason);
  for (const f of tagFailures(news.tags)) push(f.property, f.reason);
  if (given("storageType") && !STORAGE_TYPES.includes(news.storageType as string)) push("storageType", `storageType must be one of ${STORAGE_TYPES.join(", ")}, got ${JSON.stringify(news.storageType)}`);
  if (given("zoneId")) {
    const z = news.zoneId;
    if (!(typeof z === "string" && REGION_PATTERN.test(z))) push("zoneId", `zoneId must be a zone id like "cn-hangzhou-h", got ${JSON.stringify(z)}`);
    else if (typeof news.regionId === "string" && REGION_PATTERN.test(news.regionId) && !z.startsWith(`${news.regionId}-`)) push("zoneId", `zoneId ${z} is not a zone of region ${news.regionId}`);
  }
  if (given("vpcId") && !(typeof news.vpcId === "string" && /^vpc-[a-z0-9][a-z0-9-]*$/.test(news.vpcId))) push("vpcId", `vpcId must be a VPC id like "vpc-bp1…", got ${JSON.stringify(news.vpcId)}`);
  if (given("vSwitchId") && !(typeof news.vSwitchId === "string" && /^vsw-[a-z0-9][a-z0-9-]*$/.test(news.vSwitchId))) push("vSwitchId", `vSwitchId must be a vSwitch id like "vsw-bp1…", got ${JSON.stringify(news.vSwitchId)}`);
  if (given("vpcId") && !given("vSwitchId")) push("vSwitchId", "vSwitchId is required when vpcId is given");
  if (given("dbInstanceDescription") && !(typeof news.dbInstanceDescription === "string" && news.dbInstanceDescription.length <= 256)) push("dbInstanceDescription", "dbInstanceDescription must be a string of at most 256 characters");

  const charge = news.chargeType;
  if (given("chargeType") && charge !== "PostPaid" && charge !== "PrePaid") push("chargeType", `chargeType must be "PostPaid" (pay-as-you-go) or "PrePaid" (subscription), got ${JSON.stringify(charge)}`);
  if (charge === "PrePaid" && !PERIODS.includes(news.period as number)) push("period", `a PrePaid instance needs period (months) in ${PERIODS.join(", ")}, got ${JSON.stringify(news.period)}`);
  if (charge !== "PrePaid" && given("period")) push("period", 'period (months) applies only to chargeType "PrePaid"');
  if (given("releaseProtection") && typeof news.releaseProtection !== "boolean") push("releaseProtection", `releaseProtection must be true or false, got ${JSON.stringify(news.releaseProtection)}`);
  if (news.releaseProtection === true && charge === "PrePaid") push("releaseProtection", "releaseProtection applies only to pay-as-you-go (PostPaid) instances");
  checkPassword(news.accountPassword, push);
  return failures;
}

/** The delete options as stored: the shared ones without `force`, which DDS has no use for. */
function ddsDeleteOptions(inputs: Inputs): Omit<DeleteOptions, "force"> {
  const { force: _force, ...rest } = deleteOptionsFrom(inputs);
  return { ...rest, onSubscription: rest.onSubscription === "retain" ? "retain" : "fail" };
}

/** What the describe call reports, under the input names (refresh shows it as drift). */
function cloudView(s: DdsInstanceState): Inputs {
  return {
    zoneId: s.zoneId, vpcId: s.vpcId, vSwitchId: s.vSwitchId, engineVersion: s.engineVersion, dbInstanceClass: s.dbInstanceClass, dbInstanceStorage: s.dbInstanceStorage,
    storageType: s.storageType, dbInstanceDescription: s.description, resourceGroupId: s.resourceGroupId, storageEngine: s.storageEngine, networkType: s.networkType,
    dbInstanceType: s.dbInstanceType, tags: userTags(s.tags ?? {}),
  };
}

/** Everything delete needs, and never the password. Outputs may not hold `undefined` (Struct.fromJavaScript). */
export function outputsFor(inputs: Inputs, region: string, s: DdsInstanceState, adopted: boolean, cloudWins = false): Inputs {
  const { accountPassword: _secret, force: _force, ...rest } = inputs;
  const outs: Inputs = {
    ...(cloudWins ? { ...rest, ...Object.fromEntries(Object.entries(cloudView(s)).filter(([, x]) => x !== undefined)) } : rest),
    schemaVersion: SCHEMA_VERSION,
    dbInstanceId: s.dbInstanceId,
    regionId: region,
    chargeType: s.chargeType,
    expireTime: s.expireTime ?? null,
    lockMode: s.lockMode,
    status: s.status,
    releaseProtection: s.releaseProtection,
    adopted,
    ...ddsDeleteOptions(inputs),
  };
  return Object.fromEntries(Object.entries(outs).filter(([, v]) => v !== undefined));
}

function createQuery(inputs: Inputs, v: MongoVariant): Record<string, unknown> {
  const prePaid = inputs.chargeType === "PrePaid";
  const tags = Object.entries({ ...(inputs.tags as Record<string, string> | undefined), ...ownershipTags(inputs) }).map(([Key, Value]) => ({ Key, Value }));
  return {
    Engine: "MongoDB",
    ...toWire(v.table, inputs),
    ChargeType: prePaid ? "PrePaid" : "PostPaid",
    Period: prePaid ? inputs.period : undefined,
    DBInstanceReleaseProtection: inputs.releaseProtection === true ? true : undefined,
    Tag: tags.length ? tags : undefined,
  };
}

/** Input → in-place attribute change, for what the program sets and the instance does not have. */
function attributeChange(inputs: Inputs, s: DdsInstanceState): { releaseProtection?: boolean; description?: string } | undefined {
  const change: { releaseProtection?: boolean; description?: string } = {};
  if (typeof inputs.releaseProtection === "boolean" && inputs.releaseProtection !== s.releaseProtection) change.releaseProtection = inputs.releaseProtection;
  if (typeof inputs.dbInstanceDescription === "string" && inputs.dbInstanceDescription !== (s.description ?? "")) change.description = inputs.dbInstanceDescription;
  return Object.keys(change).length ? change : undefined;
}

async function applyAttributes(region: string, inputs: Inputs, s: DdsInstanceState, c: CallContext): Promise<DdsInstanceState> {
  const change = attributeChange(inputs, s);
  if (!change) return s;
  await api.modifyAttribute(region, s.dbInstanceId, change, c);
  const after = await api.describe(region, s.dbInstanceId, c);
  return isGone(after) ? s : after;
}

export function mongoKind(v: MongoVariant): KindDeclaration {
async function adopt(inputs: Inputs, region: string, c: CallContext): Promise<CreateOutcome> {
  const id = inputs.dbInstanceId as string;
  const found = await api.describe(region, id, c);
  if (isGone(found)) {
    throw new ReleaseError(`${v.kind}: cannot adopt ${id}: no such instance in region ${region} (${found.gone}). Check dbInstanceId and regionId.`, "InvalidDBInstanceId.NotFound");
  }
  if (found.regionId && found.regionId !== region) {
    throw new ReleaseError(`${v.kind}: cannot adopt ${id}: it is in region ${found.regionId}, not ${region}. Set regionId: "${found.regionId}".`, "InvalidRegionId");
  }
  const s = await applyAttributes(region, inputs, found, c);
  progress(id, `adopted (${s.chargeType}, ${s.status})`);
  return { id, outs: outputsFor(inputs, region, s, true) };
}

async function waitUntilRunning(region: string, id: string, c: CallContext): Promise<DdsInstanceState> {
  let goneSince: number | undefined;
  const grace = NOT_FOUND_GRACE_MS * timeScale();
  const { state } = await waitFor<DdsInstanceState | Gone>({
    deadline: c.deadline,
    phase: "running",
    subject: `${v.kind} ${id}`,
    minDelayMs: 5000,
    maxDelayMs: 30000,
    poll: async () => {
      const s = await api.describe(region, id, c);
      if (!isGone(s)) goneSince = undefined;
      else goneSince ??= Date.now();
      return s;
    },
    done: (s) => !isGone(s) && s.status === "Running",
    abort: (s) => (isGone(s) ? Date.now() - (goneSince ?? Date.now()) >= grace : s.status === "Deleting"),
    describe: (s) => (isGone(s) ? `not found (${s.gone})` : s.status),
    progressId: id,
  });
  if (isGone(state)) throw new Error(`still not found ${Math.round(grace / 1000)}s after CreateDBInstance (${state.gone})`);
  if (state.status !== "Running") throw new Error(`it is ${state.status} instead of Running`);
  return state;
}

async function create(inputs: Inputs): Promise<CreateOutcome> {
  await checkCredentials();
  const region = resolveRegion(inputs.regionId as string | undefined);
  const c: CallContext = { deadline: Deadline.seconds(CREATE_TIMEOUT_SECONDS), resource: v.kind };
  if (typeof inputs.dbInstanceId === "string") return adopt(inputs, region, c);

  const id = await api.createInstance(region, v.action, createQuery(inputs, v), c);
  progress(id, "created (CreateDBInstance); waiting for Running");
  try {
    const s = await waitUntilRunning(region, id, c);
    progress(id, "Running");
    return { id, outs: outputsFor(inputs, region, s, false) };
  } catch (e) {
    // Keep the instance in state so that `pulumi destroy` releases it.
    const known: DdsInstanceState = {
      dbInstanceId: id, regionId: region, status: "Unknown", chargeType: inputs.chargeType === "PrePaid" ? "PrePaid" : "PostPaid", lockMode: "Unlock", releaseProtection: inputs.releaseProtection === true, tags: {},
    };
    const message = `${v.kind} ${id}: created but did not become Running: ${(e as Error).message}`;
    throw new InitFailure(message, id, outputsFor(inputs, region, known, false), [message]);
  }
}

/** The program's value against the instance's: node lists compare only the fields the program sets. */
function sameSpec(want: unknown, have: unknown): boolean {
  if (Array.isArray(want)) {
    return Array.isArray(have) && have.length === want.length && want.every((w: Record<string, unknown>, i) => Object.entries(w ?? {}).every(([k, x]) => x === undefined || JSON.stringify(x) === JSON.stringify((have[i] as Record<string, unknown>)?.[k])));
  }
  return JSON.stringify(have) === JSON.stringify(want);
}

/** `undefined` in the program means "not managed": only values it sets can differ. */
function changed(olds: Inputs, news: Inputs, keys: string[]): string[] {
  return keys.filter((k) => news[k] !== undefined && JSON.stringify(news[k]) !== JSON.stringify(olds[k] ?? null));
}


async function update(id: string, olds: Inputs, news: Inputs): Promise<Inputs> {
  const region = typeof olds.regionId === "string" ? olds.regionId : resolveRegion(news.regionId as string | undefined);
  const dbId = typeof olds.dbInstanceId === "string" ? olds.dbInstanceId : id;
  const c: CallContext = { deadline: Deadline.seconds(CREATE_TIMEOUT_SECONDS), resource: v.kind };
  await checkCredentials();
  const found = await api.describe(region, dbId, c);
  if (isGone(found)) throw new ReleaseError(`${v.kind} ${dbId}: not updated: the instance no longer exists (${found.gone}). Run \`pulumi refresh\` to drop it from state.`, "InvalidDBInstanceId.NotFound");
  const adopted = olds.adopted === true;
  const mismatches = adopted ? [] : changed(olds, news, Object.keys(v.reconcile)).filter((k) => !sameSpec(news[k], v.reconcile[k](found)));
  if (mismatches.length) {
    const what = mismatches.map((k) => `${k} is ${JSON.stringify(v.reconcile[k](found))} on the instance, the program asks for ${JSON.stringify(news[k])}`).join("; ");
    throw new ReleaseError(
      `${v.kind} ${dbId}: not updated: ${what}.\n  What to do: the cloud changes these in place, and this resource does not replace a database for them: make the change in the MongoDB console ` +
        "(or with ModifyDBInstanceSpec / ModifyNodeSpec / AddNode / UpgradeDBInstanceEngineVersion / TransformToPrePaid), wait until the instance is Running, then run `pulumi up` again; " +
        "or replace it explicitly with `pulumi up --replace <urn>` (a new, empty instance). Nothing was changed.",
      "UpdateNotSupported",
    );
  }
  let s: DdsInstanceState;
  try {
    s = await applyAttributes(region, news, found, c);
    const tags = tagChange(userTags(found.tags), news.tags ?? userTags(found.tags));
    if (news.tags !== undefined && !isEmptyChange(tags)) {
      await api.untagResources(region, dbId, tags.remove, c);
      await api.tagResources(region, dbId, tags.set, c);
    }
  } catch (e) {
    if (e instanceof GoneFailure) throw new ReleaseError(`${v.kind} ${dbId}: not updated: the instance no longer exists (${e.failure.code}). Run \`pulumi refresh\` to drop it from state.`, e.failure.code);
    throw e;
  }
  const kept = Object.fromEntries(Object.entries(olds).filter(([k]) => !(DDS_DELETE_OPTION_KEYS as readonly string[]).includes(k)));
  return outputsFor({ ...kept, ...news }, region, s, adopted);
}

async function read(id: string, props: Inputs): Promise<Inputs | undefined> {
  const region = typeof props.regionId === "string" ? props.regionId : resolveRegion();
  const dbId = typeof props.dbInstanceId === "string" ? props.dbInstanceId : id;
  const s = await api.describe(region, dbId, { deadline: Deadline.seconds(120), resource: v.kind });
  if (isGone(s)) return undefined;
  return outputsFor(props, region, s, props.adopted === true, true);
}

/** Works from outputs of any version: missing fields fall back to the resource id, the region settings and defaults. */
async function del(id: string, outs: Inputs): Promise<void> {
  const dbId = typeof outs.dbInstanceId === "string" && outs.dbInstanceId ? outs.dbInstanceId : id;
  if (!dbId) throw new ReleaseError(`${v.kind}: the stored state has no instance id, so nothing can be released. Check the instance in the MongoDB console.`, "MissingDBInstanceId");
  if (!/^dds-/.test(dbId)) throw ReleaseError.foreignIds(v.kind, [dbId], "a MongoDB (DDS)", "MissingDBInstanceId");
  const region = typeof outs.regionId === "string" && outs.regionId ? outs.regionId : resolveRegion();
  await checkCredentials();
  await releaseMongoInstance({ resource: v.kind, regionId: region, dbInstanceId: dbId, options: { ...deleteOptionsFrom(outs), force: false } });
}

  return {
    name: v.kind,
    schemaVersion: SCHEMA_VERSION,
    adoptKey: "dbInstanceId",
    check: (news) => checkInputs(news, v),
    replaceKeys: [...REPLACE_KEYS.filter((k) => k !== "regionId" && k !== "dbInstanceId"), ...Object.keys(v.table).filter((k) => !REPLACE_KEYS.includes(k) && !(k in v.reconcile) && !ATTRIBUTE_KEYS.includes(k) && k !== "accountPassword")],
    updateKeys: [...Object.keys(v.reconcile), ...ATTRIBUTE_KEYS, "tags"],
    deleteOptions: ddsDeleteOptions,
    secretInputs: ["accountPassword"],
    create,
    read,
    update,
    delete: del,
    // No auto-release in the DDS API: the expiry is the pulumi:expires-at tag, which `alicloud-release sweep --expired` acts on.
    timeToLive: {
      async apply(id, outs, ends) {
        const dbId = typeof outs.dbInstanceId === "string" && outs.dbInstanceId ? outs.dbInstanceId : id;
        const region = typeof outs.regionId === "string" && outs.regionId ? outs.regionId : resolveRegion();
        await checkCredentials();
        const c = { deadline: Deadline.seconds(CREATE_TIMEOUT_SECONDS), resource: v.kind };
        if (ends) await api.tagResources(region, dbId, { [EXPIRES_AT_TAG_KEY]: ends }, c);
        else await api.untagResources(region, dbId, [EXPIRES_AT_TAG_KEY], c);
      },
    },
  };
}

export const mongoDeclaration = mongoKind(REPLICA_SET);
export const shardingDeclaration = mongoKind(SHARDED_CLUSTER);
