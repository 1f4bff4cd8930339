/**
 * A local engine for Pulumi Node.js programs whose custom resources are dynamic resources, for tests and the demo
 * on machines without the Pulumi CLI. Not part of the published package.
 *
 * What it does:
 *   - runs the program with the real @pulumi/pulumi/cmd/run against a fake ResourceMonitor + Engine (gRPC), with
 *     the flags and environment pulumi-language-nodejs uses (PULUMI_CONFIG in its legacy key form,
 *     PULUMI_CONFIG_SECRET_KEYS, PULUMI_NODEJS_TYPESCRIPT from Pulumi.yaml's runtime options);
 *   - drives the real @pulumi/pulumi/cmd/dynamic-provider over gRPC (Check, Diff, Create, Update, Delete), started
 *     as the engine starts it: cwd = the program directory, PULUMI_NODEJS_PROJECT / PULUMI_CONFIG set, the caller's
 *     environment inherited, Configure with the whole stack config (fully qualified keys, secrets decrypted);
 *   - `up`: creates new resources, diffs and updates (or replaces) existing ones, then deletes what the program no
 *     longer declares; a create that fails half-way (ErrorResourceInitFailed) is kept in state with its init errors;
 *   - `destroy`: reverse dependency order, `parallel` deletes at once, `continueOnError`; a failed delete keeps
 *     the resource in state; the provider is configured from the config stored in state, as the engine does;
 *   - reads Pulumi.yaml and Pulumi.<stack>.yaml (secure values decrypted with PULUMI_CONFIG_PASSPHRASE, the CLI's
 *     passphrase format) plus config overrides; keeps a JSON state file in which secrets are encrypted the same way;
 *   - reports Automation-API-shaped events (resourcePreEvent / resOutputsEvent / resOpFailedEvent / diagnosticEvent
 *     / summaryEvent) with durations and provider lines attributed to instance ids, and CLI-like text (display.ts);
 *   - retainOnDelete, deletedWith, protect and dependsOn as the CLI's step generator applies them;
 *   - never hangs: every provider call has a deadline, the program run has one, provider start has one.
 *
 * What it does not do: preview or plans, refresh, import, read/get of existing resources, invokes, provider
 * plugins (only pulumi-nodejs dynamic providers, and the @pulumi/alicloud test double of tools/alicloud-double),
 * explicit provider resources, aliases, replaceOnChanges, transforms and hooks, nested ignoreChanges paths, targets, stack outputs history, locking
 * against concurrent runs of the same state file, and the service or file backends of the CLI.
 */
export { destroy, up, type EngineOptions, type EngineResult, type StepFailureInfo } from "./engine";
export { Display } from "./display";
export type { LocalEngineEvent, ProgressAttribution } from "./events";
export { isSecret, SECRET_SIG_KEY, SECRET_SIG_VALUE } from "./secrets";
export type { StateFile, StateResource } from "./state";
