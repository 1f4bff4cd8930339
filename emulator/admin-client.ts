// A small client of the emulator's admin API, for tests, benchmarks, the demo and users' own CI scripts.
import type { FaultRule } from "./core/faults";
import type { RequestLogEntry } from "./core/server";

export interface AdminInstance {
  id: string;
  product: "ecs" | "dds" | "r-kvstore" | "vpc";
  regionId: string;
  status: string;
  chargeType: "PostPaid" | "PrePaid";
  expireTime?: string;
  pending: { transition: string; at: string }[];
  [attr: string]: unknown;
}

/** `GET /_emulator/network`: VPCs, vSwitches and security groups, with the instances that use each. */
export interface AdminNetwork {
  vpcs: { id: string; regionId: string; status: string; isDefault: boolean; cidrBlock: string; name: string; goneAt?: string }[];
  vSwitches: { id: string; regionId: string; vpcId: string; zoneId: string; status: string; isDefault: boolean; cidrBlock: string; name: string; usedBy: string[]; goneAt?: string }[];
  securityGroups: { id: string; regionId: string; vpcId: string; isDefault: boolean; name: string; usedBy: string[] }[];
}

export class EmulatorAdmin {
  constructor(readonly url: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.url + path, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`emulator admin ${method} ${path}: ${res.status} ${json.error ?? ""}`);
    return json;
  }

  health(): Promise<{ status: string; time: string; timeScale: number }> {
    return this.call("GET", "/_emulator/health");
  }
  reset(): Promise<unknown> {
    return this.call("POST", "/_emulator/reset");
  }
  async instances(product?: AdminInstance["product"]): Promise<AdminInstance[]> {
    const q = product ? `?product=${product}` : "";
    return (await this.call<{ instances: AdminInstance[] }>("GET", `/_emulator/instances${q}`)).instances;
  }
  async instance(id: string): Promise<AdminInstance | undefined> {
    return (await this.instances()).find((i) => i.id === id);
  }
  /** The network; `includeDefault: false` leaves out the default network, so what a stack left behind shows. */
  network(options: { includeDefault?: boolean } = {}): Promise<AdminNetwork> {
    return this.call("GET", `/_emulator/network${options.includeDefault === false ? "?default=false" : ""}`);
  }
  async requests(filter: { product?: string; action?: string; since?: number } = {}): Promise<RequestLogEntry[]> {
    const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)]));
    return (await this.call<{ requests: RequestLogEntry[] }>("GET", `/_emulator/requests?${q}`)).requests;
  }
  clearRequests(): Promise<unknown> {
    return this.call("DELETE", "/_emulator/requests");
  }
  advance(seconds: number): Promise<{ now: string }> {
    return this.call("POST", "/_emulator/clock", { advanceSeconds: seconds });
  }
  /** Frozen: virtual time moves only through advance(). */
  freezeClock(frozen = true): Promise<{ now: string; frozen: boolean }> {
    return this.call("POST", "/_emulator/clock", { frozen });
  }
  expire(id: string): Promise<AdminInstance> {
    return this.call("POST", `/_emulator/instances/${encodeURIComponent(id)}/expire`);
  }
  lock(id: string, reason: string): Promise<AdminInstance> {
    return this.call("POST", `/_emulator/instances/${encodeURIComponent(id)}/lock`, { reason });
  }
  dependency(id: string, code: string, seconds?: number): Promise<AdminInstance> {
    return this.call("POST", `/_emulator/instances/${encodeURIComponent(id)}/dependency`, { code, seconds });
  }
  faults(rules: FaultRule[]): Promise<unknown> {
    return this.call("POST", "/_emulator/faults", { rules });
  }
  clearFaults(): Promise<unknown> {
    return this.call("DELETE", "/_emulator/faults");
  }
  rateLimits(limits: Record<string, number>): Promise<unknown> {
    return this.call("POST", "/_emulator/rate-limits", limits);
  }
  /** Attach a RAM policy document to a key (400 when malformed); null detaches it: full access again. */
  setPolicy(accessKeyId: string, policy: unknown | null): Promise<{ accessKeyId: string; policy: unknown }> {
    const path = `/_emulator/credentials/${encodeURIComponent(accessKeyId)}/policy`;
    return policy === null ? this.call("DELETE", path) : this.call("PUT", path, policy);
  }
  async policy(accessKeyId: string): Promise<unknown> {
    return (await this.call<{ policy: unknown }>("GET", `/_emulator/credentials/${encodeURIComponent(accessKeyId)}/policy`)).policy;
  }
}
