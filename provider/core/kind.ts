// One shape for every resource kind. A kind declares what is its own: its check rules, which inputs replace the
// instance and which its update call changes in place, how it creates (or adopts), reads, updates and releases,
// and how it stores its delete options. `providerModule` turns a declaration into the dynamic provider whose
// exports object `dynamic.Resource` serializes as one `require(...)` line, adding what every kind shares: the
// method guard, unknowns at preview, a detailed diff naming what forces a replacement, init failures that keep
// the instance in state, schema versions, secrets kept out of outputs, and outputs the engine accepts.
import type * as pulumi from "@pulumi/pulumi";
import { configure, definedOnly, dropUnknownFailures, guard, InitFailure, Inputs, isUnknown } from "./dynamic";
import type { CheckFailure } from "./options";
import { resolveRegion } from "./settings";
import { resolveExpiresAt, TimeToLiveSupport, TTL_ENDS, TTL_KEYS, ttlChanges, ttlFailures } from "./time-to-live";

export interface CreateOutcome {
  id: string;
  outs: Inputs;
}

export interface KindDeclaration {
  /** e.g. "ecs.Instance", for messages. */
  name: string;
  /** Written into every output; readers accept every earlier version. */
  schemaVersion: number;
  /** The input that names an existing instance to adopt instead of creating one. */
  adoptKey: string;
  /** Check rules: precise reasons, never a throw, never a secret's value. */
  check(news: Inputs): CheckFailure[];
  /** Inputs whose change needs a new instance (regionId and the adopt key are always such). */
  replaceKeys: readonly string[];
  /** Keys that compare against this default when the program leaves them out (not on adopted instances). */
  defaults?: Readonly<Record<string, unknown>>;
  /** Inputs the kind's update call changes in place. */
  updateKeys: readonly string[];
  /** The delete options as stored in outputs, from inputs or outputs of any version. */
  deleteOptions(o: Inputs): Record<string, unknown>;
  /** Inputs never written to outputs. */
  secretInputs?: readonly string[];
  create(inputs: Inputs): Promise<CreateOutcome>;
  /** The cloud's view, or undefined when the instance is gone. */
  read(id: string, props: Inputs): Promise<Inputs | undefined>;
  /** `changed` lists the update keys (and delete options) that differ. */
  update(id: string, olds: Inputs, news: Inputs, changed: readonly string[]): Promise<Inputs>;
  delete(id: string, outs: Inputs): Promise<void>;
  /** expiresAt / timeToLive: ECS hands it to the cloud, the databases carry it as a tag (create sets both from `timeToLiveEnds`). */
  timeToLive: TimeToLiveSupport;
}

/** Pulumi's property diff kinds (pulumirpc.PropertyDiff.Kind), lower camel case as the Node SDK spells them. */
export type PropertyDiffKind = "add" | "addReplace" | "delete" | "deleteReplace" | "update" | "updateReplace";

export interface KindDiff extends pulumi.dynamic.DiffResult {
  replaces: string[];
  /** Every changed property and whether it forces a replacement. */
  detailedDiff: Record<string, { kind: PropertyDiffKind; inputDiff: boolean }>;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function tryRegion(explicit: unknown): string | undefined {
  try {
    return resolveRegion(typeof explicit === "string" ? explicit : undefined);
  } catch {
    return undefined;
  }
}

/**
 * Diff sees the old *outputs*, which also hold what the provider computed or read back from the cloud: a property
 * the program does not set is therefore not a change (it is not managed), except where the declaration says so.
 */
export function diffKind(decl: KindDeclaration, olds: Inputs, news: Inputs): KindDiff {
  const adopted = olds.adopted === true;
  const defaults = !adopted && news[decl.adoptKey] === undefined ? (decl.defaults ?? {}) : {};
  const changedSet = (keys: readonly string[]): string[] => keys.filter((k) => news[k] !== undefined && !same(olds[k], news[k]));
  const changedDefaults = (keys: readonly string[]): string[] => keys.filter((k) => k in defaults && news[k] === undefined && !same(olds[k] ?? defaults[k], defaults[k]));
  const replaces = changedSet(decl.replaceKeys);
  for (const k of Object.keys(defaults)) if (decl.replaceKeys.includes(k) || !decl.updateKeys.includes(k)) if (!replaces.includes(k) && !same(olds[k] ?? defaults[k], news[k] ?? defaults[k])) replaces.push(k);
  if (typeof olds.regionId === "string" && (isUnknown(news.regionId) || (tryRegion(news.regionId) ?? olds.regionId) !== olds.regionId)) replaces.push("regionId");
  // Outputs always carry the instance id; only an adopted one was an input.
  if (!same(adopted ? olds[decl.adoptKey] : undefined, news[decl.adoptKey])) replaces.push(decl.adoptKey);

  const updates = [...changedSet(decl.updateKeys), ...changedDefaults(decl.updateKeys)].filter((k) => !replaces.includes(k));
  // The time-to-live changes in place; removing it cancels it.
  for (const k of ttlChanges(olds, news)) if (!updates.includes(k)) updates.push(k);
  // Removing a delete option from the program restores its default: that is a change too.
  const before = decl.deleteOptions(olds);
  const after = decl.deleteOptions(news);
  for (const k of Object.keys(after)) if (!same(before[k], after[k]) && !updates.includes(k)) updates.push(k);

  const detailedDiff: KindDiff["detailedDiff"] = {};
  for (const k of replaces) detailedDiff[k] = { kind: olds[k] === undefined ? "addReplace" : news[k] === undefined ? "deleteReplace" : "updateReplace", inputDiff: true };
  for (const k of updates) detailedDiff[k] = { kind: olds[k] === undefined ? "add" : news[k] === undefined ? "delete" : "update", inputDiff: true };
  return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false, detailedDiff };
}

/** Outputs as stored: never a secret input, never `undefined` (the engine rejects it), always a schema version. */
export function finishOutputs(decl: KindDeclaration, outs: Inputs): Inputs {
  const secrets = new Set(decl.secretInputs ?? []);
  const kept = Object.fromEntries(Object.entries(outs).filter(([k]) => !secrets.has(k)));
  return definedOnly({ ...kept, schemaVersion: typeof outs.schemaVersion === "number" ? outs.schemaVersion : decl.schemaVersion });
}

export interface ProviderModule {
  configure: typeof configure;
  check(olds: Inputs, news: Inputs): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: Inputs, news: Inputs): Promise<KindDiff>;
  create(inputs: Inputs): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props: Inputs): Promise<pulumi.dynamic.ReadResult>;
  update(id: string, olds: Inputs, news: Inputs): Promise<pulumi.dynamic.UpdateResult>;
  delete(id: string, outs: Inputs): Promise<void>;
}

/** The time-to-live's own rules, then the product's, on the end it resolves to now. */
function checkTimeToLive(decl: KindDeclaration, news: Inputs): CheckFailure[] {
  const failures = ttlFailures(news);
  if (failures.length > 0) return failures;
  const ends = resolveExpiresAt(news);
  return ends === undefined || !decl.timeToLive.check ? [] : decl.timeToLive.check(news, ends);
}

/** The time-to-live inputs, shared by every resource's Args. */
export const TIME_TO_LIVE_KEYS = TTL_KEYS;

export function providerModule(decl: KindDeclaration): ProviderModule {
  return {
    configure,
    check: guard(async (_olds: Inputs, news: Inputs) => ({ inputs: news, failures: dropUnknownFailures(news, [...decl.check(news), ...checkTimeToLive(decl, news)]) })),
    diff: guard(async (_id: string, olds: Inputs, news: Inputs) => diffKind(decl, olds, news)),
    create: guard(async (inputs: Inputs) => {
      try {
        const ends = resolveExpiresAt(inputs);
        const adopting = inputs[decl.adoptKey] !== undefined;
        const made = await decl.create(ends && !adopting ? { ...inputs, [TTL_ENDS]: ends } : inputs);
        // A new instance gets its time-to-live with the create call; an adopted one, in place.
        if (ends && adopting) await decl.timeToLive.apply(made.id, made.outs, ends);
        return { id: made.id, outs: finishOutputs(decl, { ...made.outs, [TTL_ENDS]: ends }) };
      } catch (e) {
        // Created, then failed: the outputs (with the provider) keep the instance in state for a later destroy.
        if (e instanceof InitFailure) throw new InitFailure(e.message, e.id, { ...finishOutputs(decl, e.properties), __provider: inputs.__provider }, e.reasons);
        throw e;
      }
    }),
    read: guard(async (id: string, props: Inputs) => {
      const seen = await decl.read(id, props);
      return seen ? { id, props: finishOutputs(decl, seen) } : {};
    }),
    update: guard(async (id: string, olds: Inputs, news: Inputs) => {
      const d = diffKind(decl, olds, news);
      const outs = await decl.update(id, olds, news, Object.keys(d.detailedDiff).filter((k) => !d.replaces.includes(k)));
      let ends = olds[TTL_ENDS] as string | undefined;
      if (ttlChanges(olds, news).length > 0) {
        ends = resolveExpiresAt(news);
        await decl.timeToLive.apply(id, { ...olds, ...outs }, ends);
      }
      return { outs: finishOutputs(decl, { ...outs, [TTL_ENDS]: ends }) };
    }),
    delete: guard((id: string, outs: Inputs) => decl.delete(id, outs)),
  };
}
