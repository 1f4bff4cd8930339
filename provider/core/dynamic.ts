// Shared pieces of every dynamic provider module: the method guard, init failures, input validation helpers.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as path from "node:path";
import { CheckFailure } from "./options";
import { configureFromStack } from "./settings";

/**
 * A thrown non-Error value makes the engine wait forever for a reply (pulumi-dynamic.md §3.3), and an Error
 * whose message is empty shows nothing. Every provider method goes through this.
 */
export function guard<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    announceVersion();
    try {
      return await fn(...args);
    } catch (e) {
      if (e instanceof Error) {
        if (!e.message) e.message = `${e.name || "Error"} without a message`;
        throw e;
      }
      throw new Error(`unexpected failure: ${typeof e === "string" ? e : JSON.stringify(e)}`);
    }
  };
}

let announced = false;

/**
 * Destroy runs whatever version is installed where the program lives, not the one that created the resource:
 * one line per provider process says which, for whoever reads the output of a surprising teardown.
 */
function announceVersion(): void {
  if (announced) return;
  announced = true;
  let dir = __dirname;
  for (let i = 0; i < 5; i++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "pulumi-alicloud-release") {
        process.stderr.write(`pulumi-alicloud-release ${pkg.version} (${dir})\n`);
        return;
      }
    } catch {
      // not this directory
    }
  }
}

/**
 * A create that made cloud resources and then failed: thrown with the id and the outputs (including
 * __provider) so the engine keeps the resource in state and a later destroy releases it.
 */
export class InitFailure extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly reasons: string[],
  ) {
    super(message);
    this.name = "InitFailure";
  }
}

export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  configureFromStack(req.config);
}

export type Inputs = Record<string, unknown>;

/** During a preview, inputs computed from other resources arrive as this placeholder. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN || (Array.isArray(v) && v.some(isUnknown)) || (typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).some(isUnknown));
}

/** A value not known yet (preview) cannot be judged: its failures wait for the real value. */
export function dropUnknownFailures(news: Inputs, failures: CheckFailure[]): CheckFailure[] {
  return failures.filter((f) => !isUnknown(news[f.property.split(/[.[]/)[0]]));
}

export function isString(v: unknown): v is string {
  return typeof v === "string" && v.length > 0;
}

/** e.g. i-bp1…, dds-bp1…, r-bp1…: the product prefix, then lowercase letters and digits. */
export function idFailure(property: string, value: unknown, prefix: string, product: string): CheckFailure | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !new RegExp(`^${prefix}-[a-z0-9]{6,40}$`).test(value)) {
    return { property, reason: `${property} must be ${product} instance id like "${prefix}-bp1…", got ${JSON.stringify(value)}` };
  }
  return undefined;
}

/** Keys whose change never touches the cloud: they only say how to delete. */
export const DELETE_OPTION_KEYS = ["force", "onSubscription", "overrideProtection", "deleteTimeoutSeconds", "stopTimeoutSeconds", "purgeRecycleBin"];

/** The engine rejects a Struct holding undefined ("Unexpected struct type."): outputs leave such keys out. */
export function definedOnly<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function changedKeys(olds: Inputs, news: Inputs, keys: string[]): string[] {
  return keys.filter((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
}

/**
 * Diff sees the old *outputs*, which also hold values the provider computed (the region it resolved, the
 * charge type the cloud reports). A property the program does not set is therefore not a change.
 */
export function changedSetKeys(olds: Inputs, news: Inputs, keys: string[]): string[] {
  return changedKeys(olds, news, keys.filter((k) => news[k] !== undefined));
}
