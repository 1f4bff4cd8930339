// The local engine's state file: one JSON document per stack, rewritten (atomically) after every step, as the CLI
// checkpoints after every step. Values the program or the engine marked secret are stored as Pulumi's secret
// envelope with an encrypted `ciphertext` (secrets.ts), never in clear.
import * as fs from "node:fs";
import * as path from "node:path";
import { decryptSecrets, encryptSecrets, StackSecrets } from "./secrets";

export type Props = Record<string, unknown>;

export interface StateResource {
  urn: string;
  /** The type token, e.g. pulumi-nodejs:dynamic/alicloud-release:ecs.Instance. */
  type: string;
  custom: boolean;
  id?: string;
  inputs: Props;
  outputs: Props;
  /** URNs this resource depends on (dependsOn and property dependencies). */
  dependencies: string[];
  parent?: string;
  /** `<provider urn>::<provider id>` for custom resources. */
  provider?: string;
  protect?: boolean;
  retainOnDelete?: boolean;
  /** The deletedWith option: no provider delete when this URN is deleted in the same run. */
  deletedWith?: string;
  /** Set when a create or update recorded a partially created resource (ErrorResourceInitFailed). */
  initErrors?: string[];
  /** An old copy replaced by a new resource with the same URN, still to be deleted. */
  pendingDelete?: boolean;
  /** customTimeouts.delete, sent as DeleteRequest.timeout (the Node dynamic provider ignores it). */
  deleteTimeoutSeconds?: number;
}

export interface StateFile {
  version: 1;
  project: string;
  stack: string;
  /** The passphrase salt state that encrypts this file's secrets ("v1:<salt>:<check>"). */
  secretsProvider?: { type: "passphrase"; salt: string };
  /** In dependency order: every resource comes after what it depends on and after its parent. */
  resources: StateResource[];
}

export function emptyState(project: string, stack: string): StateFile {
  return { version: 1, project, stack, resources: [] };
}

export class StateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateError";
  }
}

/** The plain document, secrets still encrypted: enough to know its salt before any passphrase is needed. */
export function readStateFile(file: string): StateFile | undefined {
  if (!fs.existsSync(file)) return undefined;
  let doc: StateFile;
  try {
    doc = JSON.parse(fs.readFileSync(file, "utf8")) as StateFile;
  } catch (e) {
    throw new StateError(`${file} is not a local-engine state file: ${(e as Error).message}`);
  }
  if (doc.version !== 1 || !Array.isArray(doc.resources)) throw new StateError(`${file} is not a local-engine state file (version ${String(doc.version)})`);
  return doc;
}

export async function decryptState(doc: StateFile, secrets: StackSecrets): Promise<StateFile> {
  return { ...doc, resources: (await decryptSecrets(doc.resources, secrets)) as StateResource[] };
}

/**
 * Writes to a temp file and renames it over the old one, so a crash mid-write never leaves half a state file.
 * Saves are queued: the last call always lands last.
 */
export class StateWriter {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly secrets: StackSecrets,
  ) {}

  save(state: StateFile): Promise<void> {
    const snapshot = structuredClone(state);
    this.queue = this.queue.then(() => this.write(snapshot));
    return this.queue;
  }

  private async write(state: StateFile): Promise<void> {
    const resources = (await encryptSecrets(state.resources, this.secrets)) as StateResource[];
    const salt = this.secrets.state;
    const doc: StateFile = { ...state, resources, ...(salt ? { secretsProvider: { type: "passphrase", salt } } : {}) };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
    await fs.promises.rename(tmp, this.file);
  }
}
