// CreateShardingDBInstance (dds-20151201 CreateShardingDBInstanceRequest): a sharded cluster of 2–32 mongos nodes,
// 2–32 shards and one ConfigServer. Once created it is a DDS instance like a replica set (DBInstanceType=sharding),
// so DeleteDBInstance, the expiry lock and DestroyInstance release it exactly as they release a replica set.
import { invalid, missing } from "../core/errors";
import { ActionHandler, newId } from "../core/product";
import { Params } from "../core/params";
import { addDdsInstance, parseCommonCreate } from "./create-params";
import { ClusterNode, DdsAttrs } from "./render";

const MIN_NODES = 2;
const MAX_NODES = 32;
const MAX_READONLY = 5;
const STORAGE_RANGE: [number, number] = [10, 16000];

/** The N of every `<prefix>.N.<field>`, checked to run 1..count without gaps. */
function nodeIndexes(raw: Record<string, string>, prefix: string): number[] {
  const found = new Set<number>();
  const re = new RegExp(`^${prefix}\\.(\\d+)\\.`);
  for (const k of Object.keys(raw)) {
    const m = re.exec(k);
    if (m) found.add(Number(m[1]));
  }
  const list = [...found].sort((a, b) => a - b);
  if (list.some((n, i) => n !== i + 1)) throw invalid(`${prefix}.N`);
  return list;
}

/** Storage in GB, a multiple of 10 in range. */
function storageOf(p: Params, name: string, range: [number, number]): number {
  p.required(name);
  const gb = p.int(name, range) as number;
  if (gb % 10 !== 0) throw invalid(name);
  return gb;
}

function nodes(p: Params, prefix: string, count: [number, number], parse: (n: number) => Omit<ClusterNode, "NodeId" | "NodeDescription">): Omit<ClusterNode, "NodeId" | "NodeDescription">[] {
  const indexes = nodeIndexes(p.raw, prefix);
  if (indexes.length === 0) throw missing(`${prefix}.1.Class`);
  if (indexes.length < count[0] || indexes.length > count[1]) throw invalid(`${prefix}.N`);
  return indexes.map(parse);
}

export const createShardingDBInstance: ActionHandler = (ctx) => {
  const { params, clock } = ctx;
  const common = parseCommonCreate(ctx);
  const mongos = nodes(params, "Mongos", [MIN_NODES, MAX_NODES], (n) => ({ NodeClass: params.required(`Mongos.${n}.Class`) }));
  const shards = nodes(params, "ReplicaSet", [MIN_NODES, MAX_NODES], (n) => ({
    NodeClass: params.required(`ReplicaSet.${n}.Class`),
    NodeStorage: storageOf(params, `ReplicaSet.${n}.Storage`, STORAGE_RANGE),
    ReadonlyReplicas: params.int(`ReplicaSet.${n}.ReadonlyReplicas`, [0, MAX_READONLY]) ?? 0,
  }));
  const configServers = nodes(params, "ConfigServer", [1, 1], (n) => ({
    NodeClass: params.required(`ConfigServer.${n}.Class`),
    NodeStorage: storageOf(params, `ConfigServer.${n}.Storage`, [20, STORAGE_RANGE[1]]),
  }));

  return ctx.tokens.run("dds:CreateShardingDBInstance", params.string("ClientToken"), params.raw, "ClientToken", () => {
    const now = clock.now();
    const id = newId("dds", common.regionId);
    const named = (prefix: string) => (node: Omit<ClusterNode, "NodeId" | "NodeDescription">): ClusterNode => ({ ...node, NodeId: newId(prefix, common.regionId), NodeDescription: "" });
    const attrs: DdsAttrs = {
      ...common.attrs,
      DBInstanceType: "sharding",
      Mongos: mongos.map(named("s")),
      Shards: shards.map(named("d")),
      ConfigServers: configServers.map(named("cs")),
      LockMode: "Unlock",
      CreationTime: clock.iso(now, "second"),
      OrderId: String(Math.floor(2e14 + Math.random() * 7e14)),
    };
    addDdsInstance(ctx, id, common, attrs, now);
    return { DBInstanceId: id, OrderId: attrs.OrderId };
  });
};
