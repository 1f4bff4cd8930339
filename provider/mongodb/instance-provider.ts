// The dynamic provider of mongodb.Instance. This module's exports object is the provider handed to
// dynamic.Resource, so the state stores only `require("pulumi-alicloud-release/mongodb/instance-provider")`:
// never move or rename this file.
import { providerModule } from "../core/kind";
import { mongoDeclaration } from "./declaration";

const methods = providerModule(mongoDeclaration);

export const { configure, check, diff, create, read, update } = methods;
const del = methods.delete;
export { del as delete };
