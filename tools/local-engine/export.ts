// The local engine's state as `pulumi stack export` writes a stack: {version: 3, deployment: {manifest,
// secrets_providers, resources}}, each resource with urn, custom, id, type, inputs, outputs, parent, provider and
// dependencies. Secrets stay as the engine stored them: the secret envelope with an encrypted `ciphertext`, as
// in the CLI's export without --show-secrets. What `alicloud-release --stack-file` reads in tests.
import * as fs from "node:fs";
import type { StateFile } from "./state";

export interface StackExport {
  version: 3;
  deployment: {
    manifest: { time: string; magic: string; version: string };
    secrets_providers?: { type: string; state: { salt: string } };
    resources: Record<string, unknown>[];
  };
}

export function stackExport(state: StateFile, now = new Date()): StackExport {
  const stackUrn = `urn:pulumi:${state.stack}::${state.project}::pulumi:pulumi:Stack::${state.project}-${state.stack}`;
  const hasStack = state.resources.some((r) => r.type === "pulumi:pulumi:Stack");
  const resources = [
    ...(hasStack ? [] : [{ urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs: {} }]),
    ...state.resources.map((r) => ({
      urn: r.urn,
      custom: r.custom,
      ...(r.id !== undefined ? { id: r.id } : {}),
      type: r.type,
      inputs: r.inputs,
      outputs: r.outputs,
      ...(r.parent || r.type !== "pulumi:pulumi:Stack" ? { parent: r.parent ?? stackUrn } : {}),
      ...(r.provider ? { provider: r.provider } : {}),
      ...(r.protect ? { protect: true } : {}),
      ...(r.pendingDelete ? { delete: true } : {}),
      ...(r.initErrors?.length ? { initErrors: r.initErrors } : {}),
      dependencies: r.dependencies,
    })),
  ];
  return {
    version: 3,
    deployment: {
      manifest: { time: now.toISOString(), magic: "", version: "v3" },
      ...(state.secretsProvider ? { secrets_providers: { type: "passphrase", state: { salt: state.secretsProvider.salt } } } : {}),
      resources,
    },
  };
}

/** Reads a local-engine state file and writes its export next to it (or to `out`); returns the export's path. */
export function exportStateFile(stateFile: string, out = stateFile.replace(/\.json$/, "") + ".export.json"): string {
  const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as StateFile;
  fs.writeFileSync(out, `${JSON.stringify(stackExport(state), null, 2)}\n`);
  return out;
}
