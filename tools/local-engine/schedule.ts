// Deletion order and parallelism, as the engine's destroy does it: a resource is deleted only once everything that
// depends on it (dependencies and children) is gone, up to `parallel` deletes run at once, and a failure either
// stops new deletes (the default) or, with continueOnError, only blocks what the failed resource depends on.
import type { StateResource } from "./state";

export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiting.shift()?.();
    };
  }
}

export interface DeleteOutcome {
  deleted: StateResource[];
  failed: StateResource[];
  /** Not attempted: a resource that depends on them was not deleted, or an earlier failure stopped the run. */
  skipped: StateResource[];
}

/**
 * What one delete came to. "refused" is a failure that never stops the run, even without continueOnError: the
 * engine does so for protected resources (stepExecutor.cancelDueToError), so that one run reports them all.
 */
export type DeleteResult = boolean | "refused";

/**
 * Deletes `targets` in reverse dependency order. Readiness is decided among the targets only: in `up` the
 * registered resources are never targets, and what they depend on is never deleted.
 */
export async function deleteInOrder(
  targets: StateResource[],
  options: { parallel: number; continueOnError: boolean },
  del: (r: StateResource) => Promise<DeleteResult>,
): Promise<DeleteOutcome> {
  // Who must be gone before r can go: the targets that depend on r or are its children.
  const blockers = new Map<StateResource, StateResource[]>();
  for (const r of targets) blockers.set(r, []);
  for (const x of targets) {
    for (const r of targets) {
      if (r !== x && r.urn !== x.urn && (x.dependencies.includes(r.urn) || x.parent === r.urn)) blockers.get(r)!.push(x);
    }
  }
  const outcome: DeleteOutcome = { deleted: [], failed: [], skipped: [] };
  const done = new Set<StateResource>();
  const blocked = new Set<StateResource>();
  const running = new Map<StateResource, Promise<void>>();
  // Later resources first, as the engine walks the state backwards.
  const pending = [...targets].reverse();
  let stopped = false;

  for (;;) {
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const r of [...pending]) {
        const bs = blockers.get(r)!;
        if (bs.some((b) => outcome.failed.includes(b) || blocked.has(b))) {
          blocked.add(r);
          pending.splice(pending.indexOf(r), 1);
          progressed = true;
        }
      }
    }
    if (!stopped) {
      for (const r of [...pending]) {
        if (running.size >= options.parallel) break;
        if (!blockers.get(r)!.every((b) => done.has(b))) continue;
        pending.splice(pending.indexOf(r), 1);
        running.set(
          r,
          del(r).then((ok) => {
            running.delete(r);
            if (ok === true) {
              done.add(r);
              outcome.deleted.push(r);
            } else {
              outcome.failed.push(r);
              if (!options.continueOnError && ok !== "refused") stopped = true;
            }
          }),
        );
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  outcome.skipped = [...blocked, ...pending];
  return outcome;
}
