// Finds a stack's instances in the cloud by their ownership tags: ECS DescribeInstances, DDS DescribeDBInstances and
// R-KVStore DescribeInstances with Tag.N filters, every page, each call under the one retry policy. Redis recycle-bin
// entries are listed only when asked for by status (InstanceStatus=Released), so they are asked for separately.
import * as Ecs from "@alicloud/ecs20140526";
import * as Kv from "@alicloud/r-kvstore20150101";
import { ddsClient, ecsClient, kvClient } from "../core/clients";
import { Catalog } from "../core/catalog";
import { ReleaseError } from "../core/failure";
import { withRetry } from "../core/retry";
import { Deadline } from "../core/timing";
import { ECS_CATALOG } from "../ecs/errors";
import { DDS_CATALOG } from "../mongodb/errors";
import { KV_CATALOG } from "../redis/errors";
import { carriesOwnership } from "./ownership";
import { Product } from "./stack";

export interface CloudInstance {
  product: Product;
  id: string;
  regionId: string;
  status: string;
  chargeType: "PostPaid" | "PrePaid" | string;
  /** Subscription expiry (ISO). */
  expireTime?: string;
  /** ISO creation time, when the API gives it. */
  createdAt?: string;
  tags: Record<string, string>;
  /** ECS: the cloud's own release time. */
  autoReleaseTime?: string;
  /** MongoDB, Redis: in the recycle bin (status Released) since `destroyTime`: not billed, recoverable for 7 days. */
  inRecycleBin?: boolean;
  destroyTime?: string;
  /** DDS: LockMode. */
  lockMode?: string;
}

export interface Inventory {
  instances: CloudInstance[];
  /** Regions a product answered InvalidRegionId.NotFound for (not offered there): skipped. */
  skipped: { product: Product; regionId: string }[];
}

const PAGE = 100;
const LIST_DEADLINE_SECONDS = 300;

const tagMap = (list: { key?: string; value?: string; Key?: string; Value?: string; tagKey?: string; tagValue?: string }[] | undefined): Record<string, string> =>
  Object.fromEntries((list ?? []).map((t) => [t.key ?? t.Key ?? t.tagKey ?? "", t.value ?? t.Value ?? t.tagValue ?? ""]).filter(([k]) => k));

const ctx = (product: Product, action: string) => ({ resource: `${product} instances`, ids: ["(by tag)"], action });

async function listEcs(region: string, tags: Record<string, string>, deadline: Deadline): Promise<CloudInstance[]> {
  const out: CloudInstance[] = [];
  let nextToken: string | undefined;
  do {
    const req = new Ecs.DescribeInstancesRequest({
      regionId: region, maxResults: PAGE, nextToken,
      tag: Object.entries(tags).map(([key, value]) => new Ecs.DescribeInstancesRequestTag({ key, value })),
    });
    const res = await withRetry((rt) => ecsClient(region).describeInstancesWithOptions(req, rt), { deadline, catalog: ECS_CATALOG, context: ctx("ecs", "DescribeInstances") });
    for (const i of res.body?.instances?.instance ?? []) {
      out.push({
        product: "ecs", id: i.instanceId ?? "", regionId: i.regionId || region, status: i.status ?? "Unknown", chargeType: i.instanceChargeType ?? "PostPaid",
        expireTime: i.instanceChargeType === "PrePaid" ? i.expiredTime : undefined, createdAt: i.creationTime || undefined,
        tags: tagMap(i.tags?.tag), autoReleaseTime: i.autoReleaseTime || undefined,
      });
    }
    nextToken = res.body?.nextToken || undefined;
  } while (nextToken);
  return out;
}

async function listDds(region: string, tags: Record<string, string>, deadline: Deadline): Promise<CloudInstance[]> {
  const out: CloudInstance[] = [];
  const tagQuery = Object.fromEntries(Object.entries(tags).flatMap(([k, v], n) => [[`Tag.${n + 1}.Key`, k], [`Tag.${n + 1}.Value`, v]]));
  // The recycle bin (released pay-as-you-go replica sets) is listed only when asked for by status.
  for (const status of [undefined, "Released"]) {
    for (let page = 1; ; page++) {
      const query = { RegionId: region, PageSize: PAGE, PageNumber: page, ...(status ? { DBInstanceStatus: status } : {}), ...tagQuery };
      const body = await withRetry((rt) => ddsClient(region).call("DescribeDBInstances", query, rt), { deadline, catalog: DDS_CATALOG, context: ctx("mongodb", "DescribeDBInstances") });
      const list = (body.DBInstances as { DBInstance?: Record<string, unknown>[] } | undefined)?.DBInstance ?? [];
      for (const i of list) {
        const t = (i.Tags as { Tag?: { Key?: string; Value?: string }[] } | undefined)?.Tag;
        const text = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);
        out.push({
          product: "mongodb", id: String(i.DBInstanceId ?? ""), regionId: text(i.RegionId) ?? region, status: text(i.DBInstanceStatus) ?? "Unknown",
          chargeType: text(i.ChargeType) ?? "PostPaid", expireTime: text(i.ExpireTime), createdAt: text(i.CreationTime), tags: tagMap(t), lockMode: text(i.LockMode),
          ...(status ? { inRecycleBin: true, destroyTime: text(i.DestroyTime) } : {}),
        });
      }
      if (list.length < PAGE || !(page * PAGE < Number(body.TotalCount))) break;
    }
  }
  return out;
}

async function listKv(region: string, tags: Record<string, string>, deadline: Deadline): Promise<CloudInstance[]> {
  const out: CloudInstance[] = [];
  for (const status of [undefined, "Released"]) {
    for (let page = 1; ; page++) {
      const req = new Kv.DescribeInstancesRequest({
        regionId: region, pageSize: 50, pageNumber: page, instanceStatus: status,
        tag: Object.entries(tags).map(([key, value]) => new Kv.DescribeInstancesRequestTag({ key, value })),
      });
      const res = await withRetry((rt) => kvClient(region).describeInstancesWithOptions(req, rt), { deadline, catalog: KV_CATALOG, context: ctx("redis", "DescribeInstances") });
      const list = res.body?.instances?.KVStoreInstance ?? [];
      for (const i of list) {
        out.push({
          product: "redis", id: i.instanceId ?? "", regionId: i.regionId || region, status: i.instanceStatus ?? "Unknown", chargeType: i.chargeType ?? "PostPaid",
          expireTime: i.chargeType === "PrePaid" ? i.endTime || undefined : undefined, createdAt: i.createTime || undefined, tags: tagMap(i.tags?.tag),
          inRecycleBin: i.instanceStatus === "Released", destroyTime: i.destroyTime || undefined,
        });
      }
      if (list.length < 50 || !(page * 50 < (res.body?.totalCount ?? 0))) break;
    }
  }
  return out;
}

const LISTERS: Record<Product, { list: typeof listEcs; catalog: Catalog }> = {
  ecs: { list: listEcs, catalog: ECS_CATALOG },
  mongodb: { list: listDds, catalog: DDS_CATALOG },
  redis: { list: listKv, catalog: KV_CATALOG },
};

export interface InventoryOptions {
  regions: string[];
  products?: Product[];
  /** Tags every instance must carry (checked again on each listed instance). */
  tags: Record<string, string>;
  onProgress?: (line: string) => void;
}

/** Every product in every region, a few regions at a time. */
export async function listTaggedInstances(o: InventoryOptions): Promise<Inventory> {
  const products = o.products ?? (["ecs", "mongodb", "redis"] as Product[]);
  const deadline = Deadline.seconds(LIST_DEADLINE_SECONDS);
  const jobs = o.regions.flatMap((regionId) => products.map((product) => ({ product, regionId })));
  const instances: CloudInstance[] = [];
  const skipped: Inventory["skipped"] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const { product, regionId } = jobs[next++];
      try {
        const found = await LISTERS[product].list(regionId, o.tags, deadline);
        instances.push(...found.filter((i) => i.id && carriesOwnership(i.tags, o.tags)));
      } catch (e) {
        if (e instanceof ReleaseError && /^InvalidRegionId/.test(e.code)) {
          skipped.push({ product, regionId });
          o.onProgress?.(`${product} is not offered in ${regionId} (InvalidRegionId.NotFound): skipped`);
          continue;
        }
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, jobs.length) }, worker));
  const seen = new Set<string>();
  return { instances: instances.filter((i) => (seen.has(i.id) ? false : (seen.add(i.id), true))), skipped };
}
