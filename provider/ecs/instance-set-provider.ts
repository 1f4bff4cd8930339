// The dynamic provider of ecs.InstanceSet. This module's exports object is the provider handed to
// dynamic.Resource, so the state stores only `require("pulumi-alicloud-release/ecs/instance-set-provider")`:
// never move or rename this file.
import { configure as configureStack } from "../core/dynamic";
import { ecsProviderMethods } from "./provider-methods";

const methods = ecsProviderMethods("ecs.InstanceSet");

export const configure = configureStack;
export const { check, diff, create, read, update } = methods;
const del = methods.delete;
export { del as delete };
