// The dynamic provider of redis.TairInstance. This module's exports object is the provider handed to
// dynamic.Resource, so the state stores only `require("pulumi-alicloud-release/redis/tair-instance-provider")`:
// never move or rename this file.
import { providerModule } from "../core/kind";
import { tairDeclaration } from "./declaration";

const methods = providerModule(tairDeclaration);

export const { configure, check, diff, create, read, update } = methods;
const del = methods.delete;
export { del as delete };
