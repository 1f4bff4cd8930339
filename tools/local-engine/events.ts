// The local engine reports what it does as the Automation API's EngineEvent objects (automation/events.d.ts), so
// that one report builder serves `pulumi destroy` run through Automation and this engine alike. Two additions,
// which consumers of real CLI events must treat as optional:
//   - `timestamp` has millisecond precision (the CLI sends whole seconds);
//   - resOutputsEvent / resOpFailedEvent carry `durationMs`, and diagnostic events of provider lines carry
//     `progress: {id, message, urn?}` when the line starts with an instance id the engine knows.
import type { DiagnosticEvent, EngineEvent, OpMap, OpType, StepEventMetadata, StepEventStateMetadata } from "@pulumi/pulumi/automation";
import { maskSecrets } from "./secrets";
import type { StateResource } from "./state";

export type { EngineEvent, OpMap, OpType };

export interface ProgressAttribution {
  /** The instance id the provider line starts with. */
  id: string;
  message: string;
  /** The resource that owns that id, when known. */
  urn?: string;
}

export type LocalEngineEvent = EngineEvent & {
  durationMs?: number;
  progress?: ProgressAttribution;
};

export const DEFAULT_PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";

export function nameOfUrn(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i < 0 ? urn : urn.slice(i + 2);
}

export function stateMetadata(r: StateResource): StepEventStateMetadata {
  return {
    type: r.type,
    urn: r.urn,
    custom: r.custom,
    delete: r.pendingDelete,
    id: r.id ?? "",
    parent: r.parent ?? "",
    protect: r.protect,
    retainOnDelete: r.retainOnDelete,
    // Events go to displays and reports: secrets are masked as the CLI masks them.
    inputs: maskSecrets(r.inputs) as Record<string, unknown>,
    outputs: maskSecrets(r.outputs) as Record<string, unknown>,
    provider: r.provider ?? "",
    initErrors: r.initErrors,
  };
}

export function stepMetadata(op: OpType, urn: string, type: string, old?: StateResource, next?: StateResource, extra: Partial<StepEventMetadata> = {}): StepEventMetadata {
  return {
    op,
    urn,
    type,
    old: old ? stateMetadata(old) : undefined,
    new: next ? stateMetadata(next) : undefined,
    provider: (next ?? old)?.provider ?? "",
    ...extra,
  };
}

/** Stamps sequence numbers and timestamps, and hands every event to the listener. */
export class EventSink {
  private sequence = 0;
  readonly events: LocalEngineEvent[] = [];

  constructor(private readonly listener?: (e: LocalEngineEvent) => void) {}

  emit(e: Omit<LocalEngineEvent, "sequence" | "timestamp">): void {
    const event = { sequence: this.sequence++, timestamp: Date.now() / 1000, ...e } as LocalEngineEvent;
    this.events.push(event);
    this.listener?.(event);
  }

  diagnostic(severity: DiagnosticEvent["severity"], message: string, urn?: string, progress?: ProgressAttribution): void {
    const prefix = severity === "error" ? "error: " : severity === "warning" ? "warning: " : undefined;
    this.emit({ diagnosticEvent: { urn, prefix, message: message.endsWith("\n") ? message : `${message}\n`, color: "never", severity }, progress });
  }
}
