// Inputs derived from the official SDKs' request models, so an SDK upgrade brings its new parameters along: the
// types map a model's data fields (not its methods, not the index signature every model class has) to Pulumi
// inputs, nested models and lists included; at run time a value is checked against the model's own field table
// (`types()`) and built into a real model instance, which the SDK serializes with the API's wire names
// (SystemDisk.Category, DataDisk.1.Size, SecurityGroupIds.2). No SDK is imported here: callers pass the class.
import type * as pulumi from "@pulumi/pulumi";
import type { CheckFailure } from "./options";

type Method = (...args: never[]) => unknown;

/** The data fields of an SDK model: no index signature, no methods. */
export type ModelData<T> = { [K in keyof T as string extends K ? never : number extends K ? never : T[K] extends Method ? never : K]: T[K] };

/** A model field as a Pulumi input: scalars as they are, lists and nested models element by element. */
export type InputOf<V> = V extends string | number | boolean
  ? pulumi.Input<V>
  : V extends (infer E)[]
    ? pulumi.Input<InputOf<E>[]>
    : V extends object
      ? pulumi.Input<ModelInput<V>>
      : pulumi.Input<V>;

/** Every data field of an SDK request model, optional, as Pulumi inputs, under the model's camelCase names. */
export type ModelInput<T> = { [K in keyof ModelData<T>]?: InputOf<NonNullable<ModelData<T>[K]>> };

/** What a model class offers at run time (darabonba's Model statics). */
export interface ModelClass<M = object> {
  new (map?: Record<string, unknown>): M;
  names(): Record<string, string>;
  types(): Record<string, unknown>;
}

type FieldType = string | { type: "array"; itemType: FieldType } | ModelClass;

const isModelClass = (t: unknown): t is ModelClass => typeof t === "function" && typeof (t as ModelClass).names === "function";

/**
 * A value checked against the model's field table: unknown keys and wrong kinds are failures, with the path as
 * the user wrote it (systemDisk.size, dataDisk[0].category). Scalars the API takes as strings accept numbers
 * and booleans too (the SDK types `systemDisk.size` and the disks' `encrypted` as strings).
 */
export function modelFailures(cls: ModelClass, value: unknown, path: string, skip: readonly string[] = []): CheckFailure[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [{ property: path, reason: `${path} must be an object, got ${JSON.stringify(value)}` }];
  const types = cls.types() as Record<string, FieldType>;
  const failures: CheckFailure[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || skip.includes(k)) continue;
    const where = path ? `${path}.${k}` : k;
    if (!(k in types)) {
      failures.push({ property: where, reason: `${where} is not a parameter of this call` });
      continue;
    }
    failures.push(...fieldFailures(types[k], v, where));
  }
  return failures;
}

function fieldFailures(t: FieldType, v: unknown, where: string): CheckFailure[] {
  if (isModelClass(t)) return modelFailures(t, v, where);
  if (typeof t === "object" && t.type === "array") {
    if (!Array.isArray(v)) return [{ property: where, reason: `${where} must be a list, got ${JSON.stringify(v)}` }];
    return v.flatMap((item, i) => fieldFailures(t.itemType, item, `${where}[${i}]`));
  }
  const ok = t === "string" ? ["string", "number", "boolean"].includes(typeof v) : t === "number" ? typeof v === "number" && Number.isFinite(v) : t === "boolean" ? typeof v === "boolean" : true;
  return ok ? [] : [{ property: where, reason: `${where} must be a ${t}, got ${JSON.stringify(v)}` }];
}

function coerce(t: FieldType, v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (isModelClass(t)) return coerceFields(t, v as Record<string, unknown>);
  if (typeof t === "object" && t.type === "array") return Array.isArray(v) ? v.map((x) => coerce(t.itemType, x)) : v;
  if (t === "string" && (typeof v === "number" || typeof v === "boolean")) return String(v);
  return v;
}

function coerceFields(cls: ModelClass, value: Record<string, unknown>): Record<string, unknown> {
  const types = cls.types() as Record<string, FieldType>;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k in types).map(([k, v]) => [k, coerce(types[k], v)]));
}

/** A real model instance (nested models included) from checked plain values; keys the model lacks are dropped. */
export function buildModel<M>(cls: ModelClass<M>, value: Record<string, unknown>): M {
  return new cls(coerceFields(cls as ModelClass, value));
}
