// The network every instance lives in: VPCs, vSwitches (VPC API) and security groups (ECS API), kept beside the
// instances in the store. Their transitional states (Pending after a create, Pending/Deleting after a delete)
// are timed on the virtual clock and settled whenever the network is looked at, so they follow the same
// `--duration` overrides and clock advances as the instances.
import { Clock } from "../core/clock";
import { REGIONS } from "../core/product";
import { Instance, Store } from "../core/store";

/** Zone letters of every emulated region: zone ids are `<region>-<letter>`. */
export const ZONE_LETTERS = ["a", "b", "c", "g", "h", "i", "j", "k"] as const;

export const zonesOf = (regionId: string): string[] => ZONE_LETTERS.map((l) => `${regionId}-${l}`);

export const defaultVpcId = (regionId: string): string => `vpc-default-${regionId}`;
export const defaultVSwitchId = (zoneId: string): string => `vsw-default-${zoneId}`;
export const defaultSecurityGroupId = (regionId: string): string => `sg-default-${regionId}`;

export interface Tag {
  Key: string;
  Value: string;
}

interface Timed {
  id: string;
  regionId: string;
  isDefault: boolean;
  /** Virtual ms. */
  createdAt: number;
  /** Pending until then (virtual ms). */
  availableAt: number;
  /** A delete was accepted; the resource is gone at this virtual time. */
  goneAt?: number;
}

export interface Vpc extends Timed {
  name: string;
  description: string;
  cidrBlock: string;
  vRouterId: string;
  routeTableId: string;
  resourceGroupId: string;
  tags: Tag[];
}

export interface VSwitch extends Timed {
  vpcId: string;
  zoneId: string;
  name: string;
  description: string;
  cidrBlock: string;
  resourceGroupId: string;
  tags: Tag[];
}

export interface SecurityGroup extends Timed {
  vpcId: string;
  name: string;
  description: string;
  type: "normal" | "enterprise";
  resourceGroupId: string;
  tags: Tag[];
}

export class Network {
  readonly vpcs = new Map<string, Vpc>();
  readonly vSwitches = new Map<string, VSwitch>();
  readonly securityGroups = new Map<string, SecurityGroup>();

  /** Drop what a delete has finished removing by `now`. */
  settle(now: number): void {
    for (const map of [this.vpcs, this.vSwitches, this.securityGroups] as Map<string, Timed>[]) {
      for (const [id, r] of map) if (r.goneAt !== undefined && r.goneAt <= now) map.delete(id);
    }
  }
}

const NETWORK = "vpc:network";

/** Whether a store's network starts with the default network; kept across Store.clear(). */
const WITH_DEFAULTS = new WeakMap<Store, boolean>();

export function configureNetwork(store: Store, defaultNetwork: boolean): void {
  WITH_DEFAULTS.set(store, defaultNetwork);
}

/**
 * The store's network, settled to the clock's now. It is made on first use after a start or a Store.clear()
 * (admin reset, the benchmark's own reset), with the default network unless that is turned off.
 */
export function network(store: Store, clock: Clock): Network {
  const net = store.side(NETWORK, () => {
    const fresh = new Network();
    if (WITH_DEFAULTS.get(store) !== false) seedDefaultNetwork(fresh, clock.now());
    return fresh;
  });
  net.settle(clock.now());
  return net;
}

/** VPC Status: Pending → Available; Deleting once a delete is accepted. */
export function vpcStatus(vpc: Vpc, now: number): "Pending" | "Available" | "Deleting" {
  if (vpc.goneAt !== undefined) return "Deleting";
  return now < vpc.availableAt ? "Pending" : "Available";
}

/** vSwitch Status: Pending while it is being created and again while it is being deleted (API reference). */
export function vSwitchStatus(vsw: VSwitch, now: number): "Pending" | "Available" {
  return vsw.goneAt !== undefined || now < vsw.availableAt ? "Pending" : "Available";
}

// ---- what holds a network resource --------------------------------------------------------------------

/**
 * Instance records that still occupy the network. Every record does for as long as it is in the store (an ECS
 * instance until DescribeInstances no longer lists it, a release in progress included; a MongoDB or Redis
 * instance while it is Deleting), except a recycle-bin entry of a pay-as-you-go instance: released by hand, it
 * can only be rebuilt into a new instance, never brought back in place. An expired subscription in the bin can
 * be unlocked (renewed) in place, so it keeps its network until it is destroyed (README fidelity notes).
 */
function holding(store: Store): Instance[] {
  return store.all().filter((i) => !(i.product !== "ecs" && i.status === "Released" && i.chargeType === "PostPaid"));
}

/** Instances of every product that sit in the vSwitch (on any of their network interfaces). */
export function instancesInVSwitch(store: Store, vSwitchId: string): Instance[] {
  return holding(store).filter((i) => i.attrs.VSwitchId === vSwitchId || interfacesOf(i).some((n) => n.VSwitchId === vSwitchId));
}

/** Instances that name the security group (on any of their network interfaces). */
export function instancesInSecurityGroup(store: Store, securityGroupId: string): Instance[] {
  const named = (many: unknown) => Array.isArray(many) && many.includes(securityGroupId);
  return holding(store).filter((i) =>
    named(i.attrs.SecurityGroupIds) || i.attrs.SecurityGroupId === securityGroupId || interfacesOf(i).some((n) => named(n.SecurityGroupIds)));
}

/** ECS network interfaces (attrs.NetworkInterfaces), primary and secondary. */
function interfacesOf(i: Instance): { VSwitchId?: unknown; SecurityGroupIds?: unknown }[] {
  const list = i.attrs.NetworkInterfaces;
  return Array.isArray(list) ? (list as { VSwitchId?: unknown; SecurityGroupIds?: unknown }[]) : [];
}

export function instancesInVpc(store: Store, vpcId: string): Instance[] {
  return holding(store).filter((i) => i.attrs.VpcId === vpcId || i.attrs.VPCId === vpcId);
}

// ---- CIDR blocks --------------------------------------------------------------------------------------

export interface Cidr {
  base: number;
  prefix: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const addr = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  // A block whose address has host bits set is not a network address.
  if ((addr & mask) >>> 0 !== addr) return undefined;
  return { base: addr, prefix };
}

const size = (c: Cidr): number => 2 ** (32 - c.prefix);

export const cidrContains = (outer: Cidr, inner: Cidr): boolean =>
  inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);

export const cidrOverlaps = (a: Cidr, b: Cidr): boolean => a.base < b.base + size(b) && b.base < a.base + size(a);

/** Addresses a vSwitch can still hand out: the block less the four reserved ones and one per instance. */
export function availableIps(store: Store, vsw: VSwitch): number {
  const c = parseCidr(vsw.cidrBlock);
  return c ? Math.max(0, size(c) - 4 - instancesInVSwitch(store, vsw.id).length) : 0;
}

// ---- the default network ------------------------------------------------------------------------------

/** Every region's default VPC (172.16.0.0/12), a default vSwitch per zone (a /20 each) and a default group. */
function seedDefaultNetwork(net: Network, at: number): void {
  for (const regionId of REGIONS) {
    const vpcId = defaultVpcId(regionId);
    // Available from the beginning of time: a request whose clock reading predates the network's lazy
    // creation (concurrent requests) must not see the default network Pending.
    const timed = { regionId, isDefault: true, createdAt: at, availableAt: 0 };
    net.vpcs.set(vpcId, {
      ...timed, id: vpcId, name: "", description: "", cidrBlock: "172.16.0.0/12",
      vRouterId: `vrt-default-${regionId}`, routeTableId: `vtb-default-${regionId}`, resourceGroupId: "", tags: [],
    });
    zonesOf(regionId).forEach((zoneId, n) => {
      const id = defaultVSwitchId(zoneId);
      net.vSwitches.set(id, { ...timed, id, vpcId, zoneId, name: "", description: "", cidrBlock: `172.${16 + n}.0.0/20`, resourceGroupId: "", tags: [] });
    });
    const sgId = defaultSecurityGroupId(regionId);
    net.securityGroups.set(sgId, { ...timed, id: sgId, vpcId, name: "default", description: "", type: "normal", resourceGroupId: "", tags: [] });
  }
}
