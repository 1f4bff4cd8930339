// The dynamic provider of mongodb.ShardingInstance. This module's exports object is the provider handed to
// dynamic.Resource, so the state stores only `require("pulumi-alicloud-release/mongodb/sharding-instance-provider")`:
// never move or rename this file.
import { providerModule } from "../core/kind";
import { shardingDeclaration } from "./declaration";

const methods = providerModule(shardingDeclaration);

export const { configure, check, diff, create, read, update } = methods;
const del = methods.delete;
export { del as delete };
