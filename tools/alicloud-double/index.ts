/**
 * TEST DOUBLE — not @pulumi/alicloud, never published, never used against the cloud.
 *
 * The local engine cannot run provider plugins, so programs written with `@pulumi/alicloud` could not run here. This
 * double stands in for pulumi-resource-alicloud (terraform-provider-alicloud behind Pulumi's bridge) for the seven
 * resource types of examples/ephemeral-env, against the emulator only (ALICLOUD_RELEASE_ENDPOINT): the same
 * create calls, and the same delete procedures — retries, sleeps, waits and timeouts — as the Terraform provider's
 * delete functions (resources.ts). It exists to show, measurably, what a stack of plain @pulumi/alicloud resources
 * does on destroy and what changes when this package releases its instances.
 *
 * What it does not do: reads/refresh, imports, invokes, the thousands of other types and properties, in-place
 * updates (an update only records the new inputs; a change of a ForceNew input replaces).
 */
import type { CheckResult, DiffResult } from "../../test/support/pulumi-harness";
import { RESOURCES } from "./resources";
import { makeRpc, type Props, type TfContext } from "./tf";

export const ALICLOUD_PROVIDER_TYPE = "pulumi:providers:alicloud";

export function servesType(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(RESOURCES, type);
}

export interface AlicloudDoubleOptions {
  /** ALICLOUD_RELEASE_ENDPOINT, ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, ALICLOUD_RELEASE_TIME_SCALE. */
  env: NodeJS.ProcessEnv;
  /** The stack config (fully qualified keys): alicloud:region. */
  config: Record<string, string>;
  /** Provider log lines ([WARN] …, retries), as the bridge would show them with TF_LOG set. */
  log?: (line: string) => void;
}

/** The type token of a URN (the last type of a parent$child chain). */
function typeOfUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.slice(qualified.lastIndexOf("$") + 1);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Check / Diff / Create / Update / Delete with the signatures of the harness's ProviderProcess, so the engine uses either. */
export class AlicloudDouble {
  private readonly ctx: TfContext;

  constructor(o: AlicloudDoubleOptions) {
    const region = o.config["alicloud:region"] ?? o.env.ALICLOUD_REGION ?? "cn-hangzhou";
    const scale = Number(o.env.ALICLOUD_RELEASE_TIME_SCALE);
    let rpc: TfContext["rpc"] | undefined;
    this.ctx = {
      region,
      timeScale: scale > 0 && scale <= 1 ? scale : 1,
      // Made on first use, so a stack without an endpoint fails on its first alicloud step, with the reason.
      rpc: (product, action, params) => (rpc ??= makeRpc(o.env, region))(product, action, params),
      log: o.log ?? (() => undefined),
    };
  }

  private resource(urn: string) {
    const type = typeOfUrn(urn);
    const r = RESOURCES[type];
    if (!r) throw new Error(`the alicloud test double does not serve ${type}`);
    return r;
  }

  async check(urn: string, _type: string, _olds: Props, news: Props): Promise<CheckResult> {
    const r = this.resource(urn);
    const failures = r.required.filter((k) => news[k] === undefined || news[k] === "").map((property) => ({ property, reason: `Missing required property '${property}'` }));
    return { inputs: news, failures };
  }

  async diff(_id: string, urn: string, _olds: Props, news: Props, oldInputs: Props = {}): Promise<DiffResult> {
    const r = this.resource(urn);
    const keys = [...new Set([...Object.keys(oldInputs), ...Object.keys(news)])].filter((k) => !k.startsWith("__") && !same(oldInputs[k], news[k]));
    const replaces = keys.filter((k) => r.forceNew.includes(k));
    return { changes: keys.length ? "some" : "none", replaces, stables: [], deleteBeforeReplace: false, diffs: keys, hasDetailedDiff: false };
  }

  async create(urn: string, inputs: Props): Promise<{ id: string; outputs: Props }> {
    return this.resource(urn).create(this.ctx, inputs);
  }

  async update(_id: string, urn: string, olds: Props, news: Props): Promise<{ outputs: Props }> {
    this.resource(urn);
    return { outputs: { ...olds, ...news } };
  }

  async delete(id: string, urn: string, outputs: Props, _oldInputs: Props = {}, opts: { timeout?: number } = {}): Promise<void> {
    const r = this.resource(urn);
    await r.delete(this.ctx, id, outputs, opts.timeout ?? r.deleteTimeoutS);
  }
}
