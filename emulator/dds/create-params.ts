// The parameters CreateDBInstance and CreateShardingDBInstance share (dds-20151201 CreateDBInstanceRequest and
// CreateShardingDBInstanceRequest): engine, billing, network and zones, storage, whitelist, resource group, tags,
// root password. Each is checked as documented and kept under the name the describe calls report it by; the
// password is checked and forgotten. DDS documents no specific codes for bad values: they get InvalidParameter.
import { invalid } from "../core/errors";
import { Params } from "../core/params";
import { ActionContext, errorFrom, regionParam } from "../core/product";
import { parseTags, Tag } from "../core/tags";
import { Instance } from "../core/store";
import { DDS_ERRORS } from "./errors";
import { scheduleCreated, scheduleExpiryLock } from "./lifecycle";
import type { DdsAttrs } from "./render";
import { networkOf } from "../vpc/placement";

export const ENGINE_VERSIONS = ["8.0", "7.0", "6.0", "5.0", "4.4", "4.2", "4.0"] as const;
export const STORAGE_TYPES = ["cloud_essd1", "cloud_essd2", "cloud_essd3", "cloud_auto", "local_ssd"] as const;
const STORAGE_ENGINES = ["WiredTiger", "RocksDB", "TerarkDB"] as const;
const PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 60];
const MAX_SECURITY_IPS = 1000;
/** Root password: 8–32 characters, at least three of the four kinds, specials `!@#$%^&*()_+-=`. */
const PASSWORD_SPECIALS = /[!@#$%^&*()_+\-=]/;

/** Attributes every DDS instance keeps, whatever its type. */
export interface CommonCreate {
  regionId: string;
  chargeType: "PostPaid" | "PrePaid";
  period?: number;
  attrs: {
    DBInstanceDescription: string;
    EngineVersion: string;
    StorageEngine: string;
    StorageType: string;
    ZoneId: string;
    SecondaryZoneId: string;
    HiddenZoneId: string;
    NetworkType: string;
    VPCId?: string;
    VSwitchId?: string;
    ProtocolType: string;
    ResourceGroupId: string;
    SecurityIPList: string;
    Encrypted: boolean;
    EncryptionKey: string;
    ProvisionedIops?: number;
    DBInstanceReleaseProtection: boolean;
    AutoRenew: boolean;
    Tags: Tag[];
  };
}

/**
 * 2–256 characters, starting with a letter; letters, digits, `_` and `-` (CreateDBInstanceRequest), and — beyond
 * the docs, so that descriptions written with spaces keep working — spaces and periods.
 */
export function checkDescription(params: Params): string | undefined {
  const text = params.string("DBInstanceDescription");
  if (text !== undefined && !/^[\p{L}][\p{L}\p{N}_. -]{1,255}$/u.test(text)) throw invalid("DBInstanceDescription");
  return text;
}

export function checkPassword(params: Params): void {
  const password = params.string("AccountPassword");
  if (password === undefined) return;
  const kinds = [/[A-Z]/, /[a-z]/, /[0-9]/, PASSWORD_SPECIALS].filter((re) => re.test(password)).length;
  const allowed = /^[A-Za-z0-9!@#$%^&*()_+\-=]+$/.test(password);
  if (password.length < 8 || password.length > 32 || kinds < 3 || !allowed) throw invalid("AccountPassword");
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Comma-separated IPs and CIDR blocks (prefix 1–32), each once, at most 1,000; `0.0.0.0/0` opens to all. */
export function checkSecurityIps(value: string, name = "SecurityIPList"): string {
  const entries = value.split(",").map((s) => s.trim());
  if (entries.length > MAX_SECURITY_IPS || new Set(entries).size !== entries.length) throw invalid(name);
  for (const e of entries) {
    const [ip, prefix, extra] = e.split("/");
    const okPrefix = prefix === undefined || (/^\d+$/.test(prefix) && +prefix >= (ip === "0.0.0.0" ? 0 : 1) && +prefix <= 32);
    if (extra !== undefined || !IPV4.test(ip ?? "") || !okPrefix) throw invalid(name);
  }
  return entries.join(",");
}

/** Months after `ms` (a subscription's ExpireTime). */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

export function parseCommonCreate(ctx: ActionContext): CommonCreate {
  const { params } = ctx;
  const regionId = regionParam(params) as string;
  params.oneOf("Engine", ["MongoDB"] as const);
  params.required("EngineVersion");
  const engineVersion = params.oneOf("EngineVersion", ENGINE_VERSIONS) as string;
  const chargeType = params.oneOf("ChargeType", ["PostPaid", "PrePaid"] as const, "PostPaid") as "PostPaid" | "PrePaid";
  let period: number | undefined;
  if (chargeType === "PrePaid") {
    params.required("Period");
    period = params.int("Period") as number;
    if (!PERIODS.includes(period)) throw invalid("Period");
  }
  const autoRenew = params.bool("AutoRenew");
  // 4.4 and later run on cloud disks only, 4.2 and earlier on local disks only (StorageType's documentation).
  const cloudOnly = Number(engineVersion) >= 4.4;
  const storageType = params.oneOf("StorageType", STORAGE_TYPES, cloudOnly ? "cloud_essd1" : "local_ssd") as string;
  if (cloudOnly === (storageType === "local_ssd")) throw invalid("StorageType");
  const storageEngine = params.oneOf("StorageEngine", STORAGE_ENGINES, "WiredTiger") as string;
  const networkType = params.oneOf("NetworkType", ["VPC", "Classic"] as const, "VPC") as string;
  const net = networkOf(ctx, regionId, { vSwitchId: params.string("VSwitchId"), zoneId: params.string("ZoneId"), vpcId: params.string("VpcId") });
  const zoneId = net.zoneId ?? `${regionId}-h`;
  const secondary = params.string("SecondaryZoneId");
  const hidden = params.string("HiddenZoneId");
  for (const [name, z] of [["SecondaryZoneId", secondary], ["HiddenZoneId", hidden]] as const) {
    if (z !== undefined && (!z.startsWith(regionId) || z === zoneId)) throw invalid(name);
  }
  if (secondary !== undefined && secondary === hidden) throw invalid("HiddenZoneId");
  const protocolType = params.oneOf("ProtocolType", ["mongodb", "dynamodb"] as const, "mongodb") as string;
  const securityIps = params.string("SecurityIPList");
  const releaseProtection = params.bool("DBInstanceReleaseProtection");
  // Release protection only applies to pay-as-you-go instances (ModifyDBInstanceAttribute doc).
  if (releaseProtection && chargeType === "PrePaid") throw errorFrom(DDS_ERRORS, "ChargeTypeViolation");
  checkPassword(params);
  const description = checkDescription(params);
  const encrypted = params.bool("Encrypted");
  const srcId = params.string("SrcDBInstanceId");
  // Clones and restores copy no data here, but the source must exist (or have existed: not modelled).
  if (srcId !== undefined && ctx.store.get(srcId)?.product !== "dds") throw errorFrom(DDS_ERRORS, "InvalidDBInstanceId.NotFound");
  const tags = parseTags(params);

  const attrs: CommonCreate["attrs"] = {
    DBInstanceDescription: description ?? "",
    EngineVersion: engineVersion,
    StorageEngine: storageEngine,
    StorageType: storageType,
    ZoneId: zoneId,
    SecondaryZoneId: secondary ?? "",
    HiddenZoneId: hidden ?? "",
    NetworkType: networkType,
    ProtocolType: protocolType,
    ResourceGroupId: params.string("ResourceGroupId") ?? "",
    SecurityIPList: securityIps === undefined ? "127.0.0.1" : checkSecurityIps(securityIps),
    Encrypted: encrypted,
    EncryptionKey: params.string("EncryptionKey") ?? "",
    ProvisionedIops: params.int("ProvisionedIops", [0, 50000]),
    DBInstanceReleaseProtection: releaseProtection,
    AutoRenew: autoRenew,
    Tags: tags,
  };
  const { vpcId, vSwitchId } = net;
  if (vpcId !== undefined) attrs.VPCId = vpcId;
  if (vSwitchId !== undefined) attrs.VSwitchId = vSwitchId;
  return { regionId, chargeType, period, attrs };
}

/** Stores a new instance (replica set or sharded cluster) and schedules its creation and subscription expiry. */
export function addDdsInstance(ctx: ActionContext, id: string, common: CommonCreate, attrs: DdsAttrs, now: number): Instance {
  const instance = ctx.store.add({
    id,
    product: "dds",
    regionId: common.regionId,
    status: "Creating",
    chargeType: common.chargeType,
    expireTime: common.period === undefined ? undefined : addMonths(now, common.period),
    attrs: attrs as unknown as Record<string, unknown>,
  });
  scheduleCreated(ctx.store, ctx.clock, instance);
  scheduleExpiryLock(ctx.store, ctx.clock, instance);
  return instance;
}
