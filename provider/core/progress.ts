// Progress lines. A dynamic provider cannot attach messages to a resource: its stderr lines appear under the
// stack in `pulumi` output, interleaved across parallel deletes, so every line starts with the instance id.

type Listener = (id: string, message: string) => void;
const listeners = new Set<Listener>();

export function progress(id: string, message: string): void {
  process.stderr.write(`${id}: ${message}\n`);
  for (const l of listeners) l(id, message);
}

/** Warnings are progress lines that say so: the engine shows both the same way. */
export function warn(id: string, message: string): void {
  progress(id, `warning: ${message}`);
}

/** For tests and the demo's per-resource report. */
export function onProgress(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
