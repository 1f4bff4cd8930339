// pulumi-alicloud-release/automation: the functions behind the `alicloud-release` command, for scripts and the
// Automation API. Each returns a typed result; the command prints it and turns it into an exit code.
export { plan, type PlanOptions, type PlanResult, type PlannedResource, type PlannedInstance, type PlanOutcome } from "./plan";
export { sweep, ttlPassed, type SweepOptions, type SweepResult, type SweepFinding, type SweepDeleteOptions } from "./sweep";
export { destroy, defaultParallel, MAX_DEFAULT_PARALLEL, type DestroyOptions, type DestroyResult } from "./destroy";
export { status, type StatusOptions, type StatusResult, type StatusEntry, type StatusKind } from "./status";
export { buildTeardownReport, formatTeardownReport, isBookkeeping, type TeardownReport, type ResourceReport, type LeftResource, type DeleteStatus } from "./report";
export { readStackFile, snapshotFromDeployment, TYPE_PREFIX, type StackSnapshot, type StackResource, type ResourceKind } from "./stack";
export { listTaggedInstances, type CloudInstance, type Inventory } from "./inventory";
export { OWNERSHIP_TAG_KEYS, EXPIRES_AT_TAG_KEY, ownershipFilter } from "./ownership";
export { ALL_REGIONS } from "./regions";
export { UsageError } from "./errors";
export { main } from "./cli";
