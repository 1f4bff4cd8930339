// One deadline per operation, and the pace of polling and backoff. Every wait and every retry of a delete
// draws on the same deadline, so `deleteTimeoutSeconds` bounds the whole delete, whatever goes wrong.

/**
 * ALICLOUD_RELEASE_TIME_SCALE multiplies poll intervals and backoff delays. Set it to the emulator's
 * --time-scale so a sped-up emulator is polled proportionally faster; leave it unset against the cloud.
 */
export function timeScale(): number {
  const raw = process.env.ALICLOUD_RELEASE_TIME_SCALE;
  if (!raw) return 1;
  const n = Number(raw);
  return n > 0 && Number.isFinite(n) ? Math.min(n, 1) : 1;
}

export class Deadline {
  private readonly start = Date.now();

  constructor(readonly totalMs: number) {}

  static seconds(s: number): Deadline {
    return new Deadline(s * 1000);
  }

  elapsedMs(): number {
    return Date.now() - this.start;
  }

  remainingMs(): number {
    return Math.max(0, this.totalMs - this.elapsedMs());
  }

  expired(): boolean {
    return this.remainingMs() <= 0;
  }
}

export class DeadlineExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeadlineExceeded";
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** A time as the APIs write it: ISO 8601 to the second, UTC ("2026-12-02T09:00:00Z"). */
export const isoSecond = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + "Z";

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(s % 60).padStart(2, "0")}s`;
}
