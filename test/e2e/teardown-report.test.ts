// The teardown report of alicloud-release destroy (provider/automation/report.ts) (a pure function of engine events), on event streams recorded in the
// shapes of @pulumi/pulumi's automation/events.d.ts as the CLI emits them: whole-second timestamps, provider lines
// as stack-level info#err diagnostics, errors as diagnostics under the resource, colour directives in messages.
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { describe, expect, it } from "vitest";
import { buildTeardownReport, formatTeardownReport, type LeftResource } from "../../provider/automation/report";

const fixture = <T>(name: string): T => JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8")) as T;
const ok = fixture<EngineEvent[]>("destroy-ok.events.json");
const failed = fixture<EngineEvent[]>("destroy-failed.events.json");
const leftAfterFailure = fixture<LeftResource[]>("destroy-failed.left.json");

const BASTION_ERROR =
  "ecs.Instance i-bp1bastion0000000001: not released; nothing was changed:\n  - i-bp1bastion0000000001: release protection (DeletionProtection) is on. " +
  "Set overrideProtection: true (then `pulumi up`) to turn it off before release, or turn it off in the ECS console.";

describe("buildTeardownReport", () => {
  it("reports every cloud resource of a successful destroy, without the stack and the provider", () => {
    const report = buildTeardownReport(ok);
    expect(report.resources.map((r) => [r.name, r.status])).toEqual([
      ["web", "deleted"],
      ["workers", "deleted"],
      ["bastion", "deleted"],
      ["sessions-db", "deleted"],
      ["cache", "deleted"],
    ]);
    expect(report).toMatchObject({ ok: true, deleted: 5, failed: 0, notAttempted: 0, durationSeconds: 93, unattributed: [] });
  });

  it("measures each delete from its resourcePreEvent to its resOutputsEvent", () => {
    const byName = Object.fromEntries(buildTeardownReport(ok).resources.map((r) => [r.name, r.durationMs]));
    expect(byName).toEqual({ web: 31_000, bastion: 31_000, workers: 32_000, cache: 30_000, "sessions-db": 60_000 });
  });

  it("attributes the provider's lines to resources by instance id, a set's by each of its instances", () => {
    const report = buildTeardownReport(ok);
    const bastion = report.resources.find((r) => r.name === "bastion")!;
    expect(bastion.ids).toEqual(["i-bp1bastion0000000001"]);
    expect(bastion.progress).toEqual([
      "release protection turned off (overrideProtection)",
      "stopping (graceful)",
      "stopped after 20s",
      "releasing (DeleteInstances)",
      "released (30s)",
    ]);
    const workers = report.resources.find((r) => r.name === "workers")!;
    expect(workers.ids).toEqual(["i-bp1wrk00000000000001", "i-bp1wrk00000000000002", "i-bp1wrk00000000000003"]);
    // Lines of a set keep their id: they say which of its instances they are about.
    expect(workers.progress).toHaveLength(9);
    expect(workers.progress[0]).toBe("i-bp1wrk00000000000001: stopping (graceful)");
  });

  it("shows a failed delete with the full error the CLI printed, and what was left or never finished", () => {
    const report = buildTeardownReport(failed, leftAfterFailure);
    expect(report.resources.map((r) => [r.name, r.status])).toEqual([
      ["web", "deleted"],
      ["bastion", "failed"],
      ["workers", "unfinished"],
      ["sessions-db", "not attempted"],
      ["cache", "not attempted"],
    ]);
    expect(report.resources.find((r) => r.name === "bastion")!.error).toBe(BASTION_ERROR);
    expect(report).toMatchObject({ ok: false, deleted: 1, failed: 1, notAttempted: 2 });
    // The provider's stack trace names no instance first: it stays with the stack.
    expect(report.unattributed[0]).toMatch(/^ReleaseError: ecs\.Instance i-bp1bastion0000000001: not released/);
    expect(report.unattributed.at(-1)).toMatch(/^ {4}at releaseEcsInstances/);
  });

  it("is not ok while the stack still holds a resource, even when no event reports a failure", () => {
    const withoutFailures = ok.filter((e) => !e.resourcePreEvent || e.resourcePreEvent.metadata.urn.includes("Stack"));
    const report = buildTeardownReport(withoutFailures, leftAfterFailure.slice(2, 3));
    expect(report.ok).toBe(false);
    expect(report.resources.map((r) => [r.name, r.status])).toEqual([["bastion", "not attempted"]]);
  });

  it("prefers the local engine's millisecond durations to timestamps", () => {
    const events = ok.map((e) => (e.resOutputsEvent?.metadata.urn.endsWith("::web") ? { ...e, durationMs: 1234 } : e));
    expect(buildTeardownReport(events).resources.find((r) => r.name === "web")!.durationMs).toBe(1234);
  });
});

describe("formatTeardownReport", () => {
  it("prints one line per resource with its lines, errors indented under it, and the verdict", () => {
    const text = formatTeardownReport(buildTeardownReport(failed, leftAfterFailure));
    expect(text).toContain("  ✓ ecs.Instance web (i-bp1web00000000000001): deleted in 30.0s\n      stopping (graceful)\n      released (30s)\n");
    expect(text).toContain(
      "  ✗ ecs.Instance bastion (i-bp1bastion0000000001): failed in 1.0s\n      error: ecs.Instance i-bp1bastion0000000001: not released; nothing was changed:\n               - i-bp1bastion0000000001: release protection",
    );
    expect(text).toContain("  ✗ mongodb.Instance sessions-db (dds-bp1sessions00000001): not attempted\n");
    expect(text).toContain("  1 deleted, 1 failed, 2 not attempted, 31s\n  Something was left behind: see above.\n");
    expect(formatTeardownReport(buildTeardownReport(ok))).toMatch(/5 deleted, 0 failed, 0 not attempted, 93s\n {2}Everything was released\.\n$/);
  });
});
