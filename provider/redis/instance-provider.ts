// The dynamic provider of redis.Instance. This module's exports object is the provider handed to
// dynamic.Resource, so the state stores only `require("pulumi-alicloud-release/redis/instance-provider")`:
// never move or rename this file.
import { configure as configureStack } from "../core/dynamic";
import { redisProviderMethods } from "./provider-methods";

const methods = redisProviderMethods();

export const configure = configureStack;
export const check = methods.check;
export const diff = methods.diff;
export const create = methods.create;
export const read = methods.read;
export const update = methods.update;
const del = methods.delete;
export { del as delete };
