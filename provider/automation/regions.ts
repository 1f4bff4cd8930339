// The public regions where ECS, ApsaraDB for MongoDB and Tair (Redis) are offered (Alibaba Cloud's region list).
// A region where a product is not offered answers InvalidRegionId.NotFound, which a sweep reports and skips.
import { REGION_PATTERN } from "../core/settings";
import { UsageError } from "./errors";

export const ALL_REGIONS = [
  "cn-qingdao", "cn-beijing", "cn-zhangjiakou", "cn-huhehaote", "cn-wulanchabu", "cn-hangzhou", "cn-shanghai",
  "cn-nanjing", "cn-fuzhou", "cn-shenzhen", "cn-heyuan", "cn-guangzhou", "cn-chengdu", "cn-wuhan-lr", "cn-hongkong",
  "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-3", "ap-southeast-5", "ap-southeast-6",
  "ap-southeast-7", "ap-south-1", "us-east-1", "us-west-1", "na-south-1", "eu-west-1", "eu-central-1", "me-east-1",
  "me-central-1",
] as const;

/** The regions asked for, validated; none means every region. */
export function resolveRegions(asked: string[] | undefined): string[] {
  if (!asked || asked.length === 0) return [...ALL_REGIONS];
  const bad = asked.filter((r) => !REGION_PATTERN.test(r) || !(ALL_REGIONS as readonly string[]).includes(r));
  if (bad.length > 0) {
    throw new UsageError(`unknown region${bad.length > 1 ? "s" : ""} ${bad.map((r) => JSON.stringify(r)).join(", ")}; expected region ids such as cn-hangzhou (known: ${ALL_REGIONS.join(", ")})`);
  }
  return [...new Set(asked)];
}
