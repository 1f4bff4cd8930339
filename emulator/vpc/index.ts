// VPC (2016-04-28): VPCs and vSwitches, the default network every region starts with, and the admin view of
// the whole network (security groups included, which the ECS API serves).
import { ProductBackend } from "../core/product";
import { VPC_ACTIONS } from "./actions";
import { VPC_ERRORS } from "./errors";
import { configureNetwork, instancesInSecurityGroup, instancesInVSwitch, network, vSwitchStatus, vpcStatus } from "./model";

export interface VpcBackendOptions {
  /** Start every region with the default VPC, vSwitches and security group (default true). */
  defaultNetwork?: boolean;
}

export function vpcBackend(options: VpcBackendOptions = {}): ProductBackend {
  return {
    name: "vpc",
    productCode: "Vpc",
    version: "2016-04-28",
    hostId: "vpc.aliyuncs.com",
    durations: {
      "vpc.vpcCreating": { seconds: 5, what: "CreateVpc: Pending → Available" },
      "vpc.vpcDeleting": { seconds: 5, what: "DeleteVpc: Deleting → gone" },
      "vpc.vSwitchCreating": { seconds: 3, what: "CreateVSwitch: Pending → Available" },
      "vpc.vSwitchDeleting": { seconds: 3, what: "DeleteVSwitch: Pending → gone" },
    },
    errors: VPC_ERRORS,
    actions: VPC_ACTIONS,
    releaseActions: ["DeleteVpc", "DeleteVSwitch"],
    expire() {
      throw new Error("network resources do not expire");
    },
    lock() {
      throw new Error("network resources have no locks");
    },
    seed({ store }) {
      configureNetwork(store, options.defaultNetwork !== false);
    },
    adminViews: {
      /** `GET /_emulator/network[?default=false]`: every VPC, vSwitch and security group, with what uses it. */
      network({ store, clock }, query) {
        const net = network(store, clock);
        const now = clock.now();
        const keep = (r: { isDefault: boolean }) => query.get("default") !== "false" || !r.isDefault;
        const gone = (at: number | undefined) => (at === undefined ? undefined : clock.iso(at));
        return {
          vpcs: [...net.vpcs.values()].filter(keep).map((v) => ({
            id: v.id, regionId: v.regionId, status: vpcStatus(v, now), isDefault: v.isDefault, cidrBlock: v.cidrBlock, name: v.name, goneAt: gone(v.goneAt),
          })),
          vSwitches: [...net.vSwitches.values()].filter(keep).map((v) => ({
            id: v.id, regionId: v.regionId, vpcId: v.vpcId, zoneId: v.zoneId, status: vSwitchStatus(v, now), isDefault: v.isDefault, cidrBlock: v.cidrBlock,
            name: v.name, usedBy: instancesInVSwitch(store, v.id).map((i) => i.id), goneAt: gone(v.goneAt),
          })),
          securityGroups: [...net.securityGroups.values()].filter(keep).map((g) => ({
            id: g.id, regionId: g.regionId, vpcId: g.vpcId, isDefault: g.isDefault, name: g.name, usedBy: instancesInSecurityGroup(store, g.id).map((i) => i.id),
          })),
        };
      },
    },
  };
}
