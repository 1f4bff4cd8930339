// CreateTairInstance (r-kvstore20150101 CreateTairInstanceRequest): Tair memory-enhanced (tair_rdb), persistent
// memory (tair_scm) and disk-based (tair_essd) instances. Once created a Tair instance is an R-KVStore instance like
// any other (InstanceType=Tair in the describe calls), released by DeleteInstance into the recycle bin and
// DestroyInstance from it. Unlike CreateInstance it defaults to a subscription and takes ClientToken, not Token.
import { invalid } from "../core/errors";
import { ActionHandler, errorFrom } from "../core/product";
import { addKvInstance, architectureOf, capacityOfClass, parseCommonCreate } from "./create-params";
import { KV_ERRORS } from "./errors";

export const TAIR_SERIES = ["tair_rdb", "tair_scm", "tair_essd"] as const;
/** Engine versions per series; the first is the default. tair_essd 1.0 is ESSD-based, 2.0 SSD-based. */
const ENGINE_VERSIONS: Record<string, string[]> = { tair_rdb: ["5.0", "6.0", "7.0"], tair_scm: ["1.0"], tair_essd: ["1.0", "2.0"] };
const ESSD_STORAGE_TYPES = ["essd_pl1", "essd_pl2", "essd_pl3"] as const;
const MAX_SHARDS = 32;
const STORAGE_RANGE: [number, number] = [20, 32000];

export const createTairInstance: ActionHandler = (ctx) => {
  const p = ctx.params;
  const common = parseCommonCreate(ctx, { defaultChargeType: "PrePaid", portRange: [1, 65535] });
  p.required("InstanceType");
  const series = p.oneOf("InstanceType", TAIR_SERIES)!;
  const instanceClass = p.required("InstanceClass");
  for (const name of ["VpcId", "VSwitchId", "ZoneId"]) p.required(name);
  const engineVersion = p.string("EngineVersion") ?? ENGINE_VERSIONS[series][0];
  if (!ENGINE_VERSIONS[series].includes(engineVersion)) throw invalid("EngineVersion");
  const shardCount = p.int("ShardCount", [1, MAX_SHARDS]) ?? 1;
  // Only memory-enhanced and persistent-memory instances come as clusters.
  if (shardCount > 1 && series === "tair_essd") throw invalid("ShardCount");
  const shardType = p.oneOf("ShardType", ["MASTER_SLAVE", "STAND_ALONE"] as const, "MASTER_SLAVE")!;
  // An ESSD-based disk instance needs its storage size and ESSD level; the others take their size from the class.
  const essd = series === "tair_essd" && engineVersion === "1.0";
  const storage = essd ? (p.required("Storage"), p.int("Storage", STORAGE_RANGE)) : undefined;
  const storageType = essd ? (p.required("StorageType"), p.oneOf("StorageType", ESSD_STORAGE_TYPES)) : undefined;
  p.bool("AutoPay", true);
  if (p.bool("DryRun")) throw errorFrom(KV_ERRORS, "DryRunOperation");

  return ctx.tokens.run("r-kvstore:CreateTairInstance", p.string("ClientToken"), p.raw, "ClientToken", () => {
    const answer = addKvInstance(ctx, common, {
      InstanceType: "Tair",
      TairSeries: series,
      EngineVersion: engineVersion,
      InstanceClass: instanceClass,
      Capacity: storage !== undefined ? storage * 1024 : capacityOfClass(instanceClass),
      Storage: storage,
      StorageType: storageType,
      ShardType: shardType,
      NodeType: shardType,
      ArchitectureType: architectureOf(shardCount, common.attrs.ReadOnlyCount),
      EditionType: "Enterprise",
      ShardCount: shardCount,
      NetworkType: "VPC",
    });
    const { InstanceId, InstanceName, InstanceStatus, ChargeType, OrderId, Port, ConnectionDomain, Bandwidth, Connections, QPS, Config, RegionId, ZoneId } = answer;
    return { InstanceId, InstanceName, InstanceStatus, ChargeType, OrderId, Port, ConnectionDomain, Bandwidth, Connections, QPS, Config, RegionId, ZoneId, TaskId: "" };
  });
};
