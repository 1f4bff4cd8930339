// The dynamic provider of ecs.Instance. This module's exports object is the provider handed to
// dynamic.Resource, so the state stores only `require("pulumi-alicloud-release/ecs/instance-provider")`:
// never move or rename this file.
import { providerModule } from "../core/kind";
import { ecsDeclaration } from "./declaration";

const methods = providerModule(ecsDeclaration("ecs.Instance"));

export const { configure, check, diff, create, read, update } = methods;
const del = methods.delete;
export { del as delete };
