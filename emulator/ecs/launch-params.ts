// RunInstances' launch parameters as the official SDK (@alicloud/ecs20140526 RunInstancesRequest) serializes
// them: SystemDisk.*, DataDisk.N.*, NetworkInterface.N.*, HostName, Password, UserData, public bandwidth, spot,
// … (AutoReleaseTime is auto-release.ts's). Each is checked with the error code the RunInstances reference gives for a bad value and
// kept under the name DescribeInstances reports it by. The password is checked and then forgotten.
import { randomInt } from "node:crypto";
import { invalid, missing } from "../core/errors";
import { Params } from "../core/params";
import { parseTags, Tag } from "../core/tags";
import { ecsError, ecsErrorWith } from "./errors";

export const SYSTEM_DISK_CATEGORIES = ["cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry"] as const;
export const DATA_DISK_CATEGORIES = [
  ...SYSTEM_DISK_CATEGORIES, "cloud_regional_disk_auto", "elastic_ephemeral_disk_standard", "elastic_ephemeral_disk_premium", "ephemeral_ssd",
] as const;
const PERFORMANCE_LEVELS = ["PL0", "PL1", "PL2", "PL3"] as const;
export const SPOT_STRATEGIES = ["NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo"] as const;
export const INTERNET_CHARGE_TYPES = ["PayByTraffic", "PayByBandwidth"] as const;
const MAX_DATA_DISKS = 16;
const MAX_NETWORK_INTERFACES = 8;
const MAX_SECURITY_GROUPS = 16;
/** UserData before Base64 encoding (RunInstancesRequest: 32 KB). */
const MAX_USER_DATA_BYTES = 32 * 1024;
const PASSWORD_SPECIALS = "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/";

export interface DiskSpec {
  Category: string;
  Size: number;
  PerformanceLevel?: string;
  DiskName?: string;
  Description?: string;
  Encrypted: boolean;
  KMSKeyId?: string;
  SnapshotId?: string;
  AutoSnapshotPolicyId?: string;
  BurstingEnabled?: boolean;
  ProvisionedIops?: number;
  Device?: string;
  DeleteWithInstance: boolean;
}

export interface NetworkInterfaceSpec {
  NetworkInterfaceId: string;
  Type: "Primary" | "Secondary";
  VSwitchId?: string;
  SecurityGroupIds: string[];
  PrimaryIpAddress?: string;
  NetworkInterfaceName?: string;
  Description?: string;
  MacAddress: string;
}

/** The launch attributes kept with an ECS instance (DescribeInstances names; never the password). */
export type LaunchAttrs = {
  HostName: string;
  KeyPairName: string;
  UserData: string;
  RamRoleName: string;
  ResourceGroupId: string;
  InternetChargeType: string;
  InternetMaxBandwidthOut: number;
  InternetMaxBandwidthIn: number;
  PublicIpAddress: string[];
  PrivateIpAddress: string;
  SpotStrategy: string;
  SpotPriceLimit: number;
  SpotDuration: number;
  SpotInterruptionBehavior: string;
  DeploymentSetId: string;
  DeploymentSetGroupNo?: number;
  IoOptimized: boolean;
  CreditSpecification: string;
  HpcClusterId: string;
  DedicatedHostId: string;
  Affinity: string;
  Tenancy: string;
  MetadataOptions: { HttpEndpoint: string; HttpTokens: string; HttpPutResponseHopLimit: number };
  LaunchTemplateId: string;
  LaunchTemplateName: string;
  LaunchTemplateVersion?: number;
  SystemDisk: DiskSpec;
  DataDisks: DiskSpec[];
  NetworkInterfaces: NetworkInterfaceSpec[];
};

/** What RunInstances learns from its request, before any instance exists. */
export interface Launch {
  imageId: string;
  instanceType: string;
  vSwitchId: string;
  securityGroupIds: string[];
  tags: Tag[];
  /** Name, hostname and attributes of the n-th (0-based) instance of the batch. */
  instanceName(n: number, id: string): string | undefined;
  attrs(n: number, id: string): LaunchAttrs;
}

// ---- single values ------------------------------------------------------------------------------------

const startsWithUrl = (s: string) => /^https?:\/\//i.test(s);

/** `name_prefix[begin,bits]name_suffix` numbering of a batch, and the `${instance_id}` placeholder. */
function expandName(template: string, n: number, id: string): string {
  const withId = template.replace(/\$\{instance_id\}/g, id);
  return withId.replace(/\[(\d+),(\d+)\]/, (_m, begin: string, bits: string) => String(Number(begin) + n).padStart(Number(bits), "0"));
}

function uniqueSuffix(name: string, n: number, on: boolean): string {
  return on ? `${name}${String(n + 1).padStart(3, "0")}` : name;
}

function checkInstanceName(name: string): string {
  if (startsWithUrl(name) || !/^[\p{L}][\p{L}\p{N}:_.\-]{1,127}$/u.test(name)) throw ecsError("InvalidInstanceName.Malformed");
  return name;
}

export function checkDescription(text: string): string {
  if (text.length < 2 || text.length > 256 || startsWithUrl(text)) throw ecsError("InvalidDescription.Malformed");
  return text;
}

/**
 * Linux: 2–64 characters, dot-separated segments of letters, digits and hyphens. Windows (an image id naming
 * Windows): 2–15 characters, no dots, not only digits. Dots and hyphens never first, last or doubled.
 */
export function checkHostName(name: string, windows: boolean): string {
  const shape = windows ? /^[A-Za-z0-9-]{2,15}$/ : /^[A-Za-z0-9.-]{2,64}$/;
  if (!shape.test(name) || /^[.-]|[.-]$|[.-]{2}/.test(name) || (windows && /^\d+$/.test(name))) throw ecsError("InvalidHostName.Malformed");
  return name;
}

/** 8–30 characters of letters, digits and the documented specials, at least three of the four kinds. */
export function checkPassword(password: string, windows: boolean): void {
  const specials = [...password].filter((c) => PASSWORD_SPECIALS.includes(c));
  const kinds = [/[A-Z]/.test(password), /[a-z]/.test(password), /[0-9]/.test(password), specials.length > 0].filter(Boolean).length;
  const allowed = [...password].every((c) => /[A-Za-z0-9]/.test(c) || PASSWORD_SPECIALS.includes(c));
  if (password.length < 8 || password.length > 30 || kinds < 3 || !allowed || (windows && password.startsWith("/"))) throw ecsError("InvalidPassword.Malformed");
}

/** Base64, at most 32 KB once decoded. */
export function checkUserData(data: string): string {
  if (data.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) throw ecsError("InvalidUserData.Base64FormatInvalid");
  if (Buffer.from(data, "base64").length > MAX_USER_DATA_BYTES) throw ecsError("InvalidUserData.SizeExceeded");
  return data;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function ipToNumber(ip: string): number {
  return ip.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
}

function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

const randomPrivateIp = (): string => `172.16.${randomInt(0, 256)}.${randomInt(2, 253)}`;
const randomPublicIp = (): string => `47.${randomInt(96, 123)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const randomMac = (): string => ["00", "16", "3e", ...Array.from({ length: 3 }, () => randomInt(0, 256).toString(16).padStart(2, "0"))].join(":");
const randomEni = (regionId: string): string => `eni-${regionId.startsWith("cn-") ? "bp1" : "gw8"}${Array.from({ length: 17 }, () => "abcdefghijklmnopqrstuvwxyz0123456789"[randomInt(0, 36)]).join("")}`;

function decimal(p: Params, name: string, code: string): number | undefined {
  const v = p.string(name);
  if (v === undefined) return undefined;
  if (!/^\d+(\.\d{1,3})?$/.test(v)) throw ecsError(code);
  return Number(v);
}

function intOr(p: Params, name: string, code: string, range: [number, number]): number | undefined {
  const v = p.string(name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v) || +v < range[0] || +v > range[1]) throw ecsError(code);
  return Number(v);
}

function oneOfOr<T extends string>(p: Params, name: string, values: readonly T[], code: string): T | undefined {
  const v = p.string(name);
  if (v !== undefined && !(values as readonly string[]).includes(v)) throw ecsError(code);
  return v as T | undefined;
}

// ---- disks ----------------------------------------------------------------------------------------------

/** Valid sizes (GiB) per category and ESSD performance level, from RunInstancesRequest's SystemDisk / DataDisk. */
function sizeRange(category: string, level: string | undefined, system: boolean): [number, number] {
  const max = system ? 2048 : 65536;
  if (category === "cloud_essd") {
    const min = { PL0: 1, PL1: 20, PL2: 461, PL3: 1261 }[level ?? "PL1"] ?? 20;
    return [min, max];
  }
  if (system) return category === "cloud" ? [20, 500] : category === "cloud_auto" ? [1, 2048] : [20, 2048];
  const data: Record<string, [number, number]> = {
    cloud: [5, 2000],
    cloud_efficiency: [20, 32768],
    cloud_ssd: [20, 32768],
    cloud_auto: [1, 65536],
    cloud_essd_entry: [10, 32768],
    cloud_regional_disk_auto: [10, 65536],
    elastic_ephemeral_disk_standard: [64, 8192],
    elastic_ephemeral_disk_premium: [64, 8192],
    ephemeral_ssd: [5, 800],
  };
  return data[category] ?? [20, 32768];
}

function diskCommon(p: Params, prefix: string, system: boolean): Omit<DiskSpec, "Category" | "Size" | "DeleteWithInstance"> {
  const name = p.string(`${prefix}.DiskName`);
  if (name !== undefined && (startsWithUrl(name) || !/^[\p{L}][\p{L}\p{N}:_.\-]{1,127}$/u.test(name))) throw ecsError("InvalidDiskName.Malformed");
  const description = p.string(`${prefix}.Description`);
  if (description !== undefined && (description.length < 2 || description.length > 256 || startsWithUrl(description))) throw ecsError("InvalidDiskDescription.Malformed");
  const level = p.string(`${prefix}.PerformanceLevel`);
  if (level !== undefined && !(PERFORMANCE_LEVELS as readonly string[]).includes(level)) {
    throw system ? ecsErrorWith("InvalidPerformanceLevel.Malformed", "The specified parameter SystemDisk.PerformanceLevel is not valid.") : ecsError("InvalidPerformanceLevel.Malformed");
  }
  const encrypted = p.bool(`${prefix}.Encrypted`);
  const kmsKeyId = p.string(`${prefix}.KMSKeyId`);
  if (kmsKeyId !== undefined && !encrypted) throw ecsError("InvalidEncrypted.NotMatchKmsKeyId");
  const bursting = p.has(`${prefix}.BurstingEnabled`) ? p.bool(`${prefix}.BurstingEnabled`) : undefined;
  return {
    PerformanceLevel: level,
    DiskName: name,
    Description: description,
    Encrypted: encrypted,
    KMSKeyId: kmsKeyId,
    AutoSnapshotPolicyId: p.string(`${prefix}.AutoSnapshotPolicyId`),
    BurstingEnabled: bursting,
    ProvisionedIops: p.int(`${prefix}.ProvisionedIops`, [0, 50000]),
  };
}

function systemDisk(p: Params): DiskSpec {
  const category = oneOfOr(p, "SystemDisk.Category", SYSTEM_DISK_CATEGORIES, "InvalidSystemDiskCategory.ValueNotSupported") ?? "cloud_efficiency";
  const common = diskCommon(p, "SystemDisk", true);
  const level = category === "cloud_essd" ? (common.PerformanceLevel ?? "PL1") : common.PerformanceLevel;
  const range = sizeRange(category, level, true);
  const size = intOr(p, "SystemDisk.Size", "InvalidSystemDiskSize.ValueNotSupported", range) ?? Math.max(40, range[0]);
  return { Category: category, Size: size, ...common, PerformanceLevel: level, DeleteWithInstance: true };
}

/** The N of every `<prefix>.N.<field>` in the request. */
function indexesOf(raw: Record<string, string>, prefix: string): number[] {
  const re = new RegExp(`^${prefix}\\.(\\d+)\\.`);
  const found = new Set<number>();
  for (const k of Object.keys(raw)) {
    const m = re.exec(k);
    if (m) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

function dataDisks(p: Params): DiskSpec[] {
  const indexes = indexesOf(p.raw, "DataDisk");
  if (indexes.length > MAX_DATA_DISKS || indexes.some((n) => n < 1 || n > MAX_DATA_DISKS)) throw ecsError("InstanceDiskNumber.LimitExceed");
  return indexes.map((n) => {
    const prefix = `DataDisk.${n}`;
    const category = oneOfOr(p, `${prefix}.Category`, DATA_DISK_CATEGORIES, "InvalidDataDiskCategory.ValueNotSupported") ?? "cloud_efficiency";
    const common = diskCommon(p, prefix, false);
    const level = category === "cloud_essd" ? (common.PerformanceLevel ?? "PL1") : common.PerformanceLevel;
    const snapshotId = p.string(`${prefix}.SnapshotId`);
    // With a snapshot the size comes from the snapshot; there are no snapshots here, so a given size is kept.
    const size = intOr(p, `${prefix}.Size`, "InvalidDataDiskSize.ValueNotSupported", sizeRange(category, level, false));
    if (size === undefined && snapshotId === undefined) throw ecsError("InvalidDataDiskSize.ValueNotSupported");
    const device = p.string(`${prefix}.Device`);
    if (device !== undefined && !/^\/dev\/xvd[a-z]{1,2}$/.test(device)) throw ecsError("InvalidDataDevice.Malformed");
    return {
      Category: category,
      Size: size ?? 40,
      ...common,
      PerformanceLevel: level,
      SnapshotId: snapshotId,
      Device: device,
      DeleteWithInstance: p.bool(`${prefix}.DeleteWithInstance`, true),
    };
  });
}

// ---- network ------------------------------------------------------------------------------------------------

function securityGroupsOf(p: Params, prefix: string): string[] {
  const one = p.string(`${prefix}SecurityGroupId`);
  const many = p.repeatList(`${prefix}SecurityGroupIds`, MAX_SECURITY_GROUPS);
  if (one !== undefined && many.length > 0) {
    throw ecsErrorWith("InvalidParameter.Conflict", `The parameters ${prefix}SecurityGroupId and ${prefix}SecurityGroupIds.N cannot be specified at the same time.`);
  }
  return one !== undefined ? [one] : [...new Set(many)];
}

interface InterfaceRequest extends Omit<NetworkInterfaceSpec, "NetworkInterfaceId" | "MacAddress"> {}

function networkInterfaces(p: Params): InterfaceRequest[] {
  const indexes = indexesOf(p.raw, "NetworkInterface");
  if (indexes.some((n) => n < 1 || n > MAX_NETWORK_INTERFACES)) throw ecsErrorWith("InvalidParam.NetworkInterface", "The specified parameter NetworkInterface.N is out of range.");
  const list = indexes.map((n): InterfaceRequest => {
    const prefix = `NetworkInterface.${n}.`;
    const type = p.string(`${prefix}InstanceType`) ?? "Secondary";
    if (type !== "Primary" && type !== "Secondary") throw ecsErrorWith("InvalidParam.NetworkInterface", `The specified parameter ${prefix}InstanceType is not valid.`);
    const ip = p.string(`${prefix}PrimaryIpAddress`);
    if (ip !== undefined && !IPV4.test(ip)) throw ecsError("InvalidPrivateIpAddress.Malformed");
    const description = p.string(`${prefix}Description`);
    if (description !== undefined) checkDescription(description);
    return {
      Type: type,
      VSwitchId: p.string(`${prefix}VSwitchId`),
      SecurityGroupIds: securityGroupsOf(p, prefix),
      PrimaryIpAddress: ip,
      NetworkInterfaceName: p.string(`${prefix}NetworkInterfaceName`),
      Description: description,
    };
  });
  if (list.filter((i) => i.Type === "Primary").length > 1) throw ecsErrorWith("InvalidParam.NetworkInterface", "Only one NetworkInterface.N.InstanceType can be Primary.");
  return list;
}

// ---- the whole launch -----------------------------------------------------------------------------------------

/**
 * Parses and checks every launch parameter of RunInstances. `amount` instances share one request, so names and
 * addresses are expanded per instance (sequence patterns, UniqueSuffix, consecutive private IPs).
 */
export function parseLaunch(p: Params, o: { regionId: string; amount: number; prePaid: boolean }): Launch {
  const template = { id: p.string("LaunchTemplateId"), name: p.string("LaunchTemplateName") };
  const fromTemplate = template.id !== undefined || template.name !== undefined;
  // There are no launch templates in the emulator: a named one does not exist, unless the request also carries
  // everything a template would have provided.
  const needed = (name: string): string => {
    const v = p.string(name);
    if (v !== undefined) return v;
    if (fromTemplate) throw ecsErrorWith("InvalidLaunchTemplate.NotFound", `The specified launch template ${template.id ?? template.name} does not exist.`);
    throw missing(name);
  };
  const interfaces = networkInterfaces(p);
  const primary = interfaces.find((i) => i.Type === "Primary");
  const topGroups = securityGroupsOf(p, "");
  if (primary && (p.has("VSwitchId") || topGroups.length > 0 || p.has("PrivateIpAddress"))) {
    throw ecsErrorWith("InvalidParameter.Conflict", "VSwitchId, SecurityGroupId(s) and PrivateIpAddress cannot be specified with a Primary NetworkInterface.N.");
  }
  const imageId = needed("ImageId");
  const instanceType = needed("InstanceType");
  const vSwitchId = primary?.VSwitchId ?? needed("VSwitchId");
  const securityGroupIds = primary ? primary.SecurityGroupIds : topGroups;
  if (securityGroupIds.length === 0) needed("SecurityGroupId");
  const windows = /win/i.test(imageId);

  const nameTemplate = p.string("InstanceName");
  const unique = p.bool("UniqueSuffix") && o.amount > 1;
  const hostTemplate = p.string("HostName");
  const hostNames = p.repeatList("HostNames", 1000);
  if (hostTemplate !== undefined && hostNames.length > 0) throw ecsErrorWith("InvalidParameter.Conflict", "HostName and HostNames.N cannot be specified at the same time.");
  if (hostNames.length > 0 && hostNames.length !== o.amount) throw invalid("HostNames.N");
  hostNames.forEach((h) => checkHostName(h, windows));
  // Checked once on a sample so that a bad template fails before anything is created.
  if (nameTemplate !== undefined) checkInstanceName(uniqueSuffix(expandName(nameTemplate, 0, "i-x"), 0, unique));
  if (hostTemplate !== undefined) checkHostName(uniqueSuffix(expandName(hostTemplate, 0, "ix"), 0, unique), windows);
  const description = p.string("Description");
  if (description !== undefined) checkDescription(description);

  const password = p.string("Password");
  if (password !== undefined && p.bool("PasswordInherit")) throw ecsError("InvalidPasswordParam.Mismatch");
  if (password !== undefined) checkPassword(password, windows);
  const userData = p.string("UserData");
  if (userData !== undefined) checkUserData(userData);

  const internetChargeType = oneOfOr(p, "InternetChargeType", INTERNET_CHARGE_TYPES, "InvalidInternetChargeType.ValueNotSupported") ?? "PayByTraffic";
  const bandwidthOut = intOr(p, "InternetMaxBandwidthOut", "InvalidInternetMaxBandwidthOut.Malformed", [0, 100]) ?? 0;
  const bandwidthIn = intOr(p, "InternetMaxBandwidthIn", "InvalidInternetMaxBandwidthIn.Malformed", [1, 200]) ?? (bandwidthOut > 10 ? bandwidthOut : 10);

  const spotStrategy = oneOfOr(p, "SpotStrategy", SPOT_STRATEGIES, "InvalidSpotStrategy") ?? "NoSpot";
  if (spotStrategy !== "NoSpot" && o.prePaid) throw ecsError("InvalidSpotPrepaid");
  const spotPriceLimit = decimal(p, "SpotPriceLimit", "InvalidSpotPriceLimit");
  const spotDuration = intOr(p, "SpotDuration", "InvalidSpotDuration", [0, 6]);
  const interruption = oneOfOr(p, "SpotInterruptionBehavior", ["Terminate", "Stop"] as const, "InvalidSpotInterruptionBehavior");

  const privateIp = p.string("PrivateIpAddress");
  if (privateIp !== undefined && !IPV4.test(privateIp)) throw ecsError("InvalidPrivateIpAddress.Malformed");
  const primaryIp = primary?.PrimaryIpAddress ?? privateIp;

  const ioOptimized = oneOfOr(p, "IoOptimized", ["none", "optimized"] as const, "InvalidIoOptimizedValue.ValueNotSupported") ?? "optimized";
  const credit = oneOfOr(p, "CreditSpecification", ["Standard", "Unlimited"] as const, "InvalidParameter.CreditSpecification") ?? "";
  const tenancy = oneOfOr(p, "Tenancy", ["default", "host"] as const, "InvalidParam.Tenancy") ?? "default";
  const affinity = p.oneOf("Affinity", ["default", "host"] as const, "default")!;
  const httpEndpoint = p.oneOf("HttpEndpoint", ["enabled", "disabled"] as const, "enabled")!;
  const httpTokens = p.oneOf("HttpTokens", ["optional", "required"] as const, "optional")!;
  const hopLimit = p.int("HttpPutResponseHopLimit", [1, 64]) ?? 1;
  p.oneOf("SecurityEnhancementStrategy", ["Active", "Deactive"] as const);
  const deploymentSetGroupNo = p.int("DeploymentSetGroupNo", [1, 7]);
  if (p.has("AutoRenewPeriod") && ![1, 2, 3, 6, 12, 24, 36, 48, 60].includes(p.int("AutoRenewPeriod")!)) throw ecsError("InvalidAutoRenewPeriod.ValueNotSupported");
  if (p.has("Ipv6AddressCount") && p.repeatList("Ipv6Address", 10).length > 0) throw ecsErrorWith("InvalidParameter.Conflict", "Ipv6Address.N and Ipv6AddressCount cannot be specified at the same time.");
  p.int("Ipv6AddressCount", [1, 10]);
  p.bool("AutoPay", true);
  p.bool("AutoRenew");
  p.int("LaunchTemplateVersion", [1, Number.MAX_SAFE_INTEGER]);

  const tags = parseTags(p, "Tag", ecsError("InvalidTagCount"));
  const system = systemDisk(p);
  const data = dataDisks(p);

  return {
    imageId,
    instanceType,
    vSwitchId,
    securityGroupIds,
    tags,
    instanceName: (n, id) => (nameTemplate === undefined ? undefined : checkInstanceName(uniqueSuffix(expandName(nameTemplate, n, id), n, unique))),
    attrs: (n, id) => {
      const privateIpAddress = primaryIp === undefined ? randomPrivateIp() : numberToIp(ipToNumber(primaryIp) + n);
      return {
      HostName: hostNames[n] ?? (hostTemplate === undefined ? `iZ${id.slice(2)}Z` : checkHostName(uniqueSuffix(expandName(hostTemplate, n, id), n, unique), windows)),
      KeyPairName: p.string("KeyPairName") ?? "",
      UserData: userData ?? "",
      RamRoleName: p.string("RamRoleName") ?? "",
      ResourceGroupId: p.string("ResourceGroupId") ?? "",
      InternetChargeType: internetChargeType,
      InternetMaxBandwidthOut: bandwidthOut,
      InternetMaxBandwidthIn: bandwidthIn,
      PublicIpAddress: bandwidthOut > 0 ? [randomPublicIp()] : [],
      PrivateIpAddress: privateIpAddress,
      SpotStrategy: spotStrategy,
      SpotPriceLimit: spotStrategy === "SpotWithPriceLimit" ? (spotPriceLimit ?? 0) : 0,
      SpotDuration: spotStrategy === "NoSpot" ? 0 : (spotDuration ?? 1),
      SpotInterruptionBehavior: spotStrategy === "NoSpot" ? "" : (interruption ?? "Terminate"),
      DeploymentSetId: p.string("DeploymentSetId") ?? "",
      DeploymentSetGroupNo: deploymentSetGroupNo,
      IoOptimized: ioOptimized === "optimized",
      CreditSpecification: credit,
      HpcClusterId: p.string("HpcClusterId") ?? "",
      DedicatedHostId: p.string("DedicatedHostId") ?? "",
      Affinity: affinity,
      Tenancy: tenancy,
      MetadataOptions: { HttpEndpoint: httpEndpoint, HttpTokens: httpTokens, HttpPutResponseHopLimit: hopLimit },
      LaunchTemplateId: template.id ?? "",
      LaunchTemplateName: template.name ?? "",
      LaunchTemplateVersion: p.int("LaunchTemplateVersion"),
      SystemDisk: { ...system },
      DataDisks: data.map((d) => ({ ...d })),
      NetworkInterfaces: [
        { ...primary, Type: "Primary", VSwitchId: vSwitchId, SecurityGroupIds: securityGroupIds, PrimaryIpAddress: privateIpAddress, NetworkInterfaceId: randomEni(o.regionId), MacAddress: randomMac() },
        ...interfaces
          .filter((i) => i !== primary)
          .map((i) => ({ ...i, VSwitchId: i.VSwitchId ?? vSwitchId, PrimaryIpAddress: i.PrimaryIpAddress ?? randomPrivateIp(), NetworkInterfaceId: randomEni(o.regionId), MacAddress: randomMac() })),
      ],
      };
    },
  };
}

/**
 * ModifyInstanceAttribute's name, description, hostname, password and user data, checked as RunInstances checks
 * them. A new password or hostname takes effect at the next restart; the password is never kept.
 */
export function instanceAttributeChanges(p: Params, imageId: string): Partial<{ InstanceName: string; Description: string; HostName: string; UserData: string }> {
  const windows = /win/i.test(imageId);
  const out: Partial<{ InstanceName: string; Description: string; HostName: string; UserData: string }> = {};
  const name = p.string("InstanceName");
  if (name !== undefined) out.InstanceName = checkInstanceName(name);
  const description = p.string("Description");
  if (description !== undefined) out.Description = checkDescription(description);
  const hostName = p.string("HostName");
  if (hostName !== undefined) out.HostName = checkHostName(hostName, windows);
  const password = p.string("Password");
  if (password !== undefined) checkPassword(password, windows);
  const userData = p.string("UserData");
  if (userData !== undefined) out.UserData = checkUserData(userData);
  return out;
}
