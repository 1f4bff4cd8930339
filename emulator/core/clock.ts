// Virtual time. The emulator's "now" is the real time plus whatever the admin API advanced it by, so a test
// can jump over a 20-minute stop or a subscription's expiry without sleeping. Durations of transitional
// states are the realistic defaults multiplied by the time scale, so a demo can run the same story faster.

export interface DurationSpec {
  /** Seconds at time scale 1. */
  seconds: number;
  /** What the duration is, for the README table and `--help`. */
  what: string;
}

export type DurationTable = Record<string, DurationSpec>;

export class Clock {
  private offsetMs = 0;
  /** When frozen, virtual time moves only when the admin API advances it. */
  private frozenAt: number | undefined;

  constructor(
    readonly timeScale = 1,
    private readonly durations: Record<string, number> = {},
    private readonly realNow: () => number = Date.now,
  ) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new Error(`time scale must be a positive number, got ${timeScale}`);
  }

  now(): number {
    return this.frozenAt ?? this.realNow() + this.offsetMs;
  }

  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new Error("advanceSeconds must be a non-negative number");
    if (this.frozenAt !== undefined) this.frozenAt += seconds * 1000;
    else this.offsetMs += seconds * 1000;
  }

  get frozen(): boolean {
    return this.frozenAt !== undefined;
  }

  /** Freeze virtual time where it is now, or let it run with real time again from where it stands. */
  setFrozen(frozen: boolean): void {
    if (frozen === this.frozen) return;
    if (frozen) this.frozenAt = this.now();
    else {
      this.offsetMs = this.frozenAt! - this.realNow();
      this.frozenAt = undefined;
    }
  }

  /** Virtual milliseconds that the named duration lasts, after overrides and the time scale. */
  duration(name: string): number {
    const seconds = this.durations[name];
    if (seconds === undefined) throw new Error(`unknown emulator duration "${name}"`);
    return seconds * 1000 * this.timeScale;
  }

  /** Whole milliseconds dropped: the API formats times at second or minute precision. */
  iso(ms: number, precision: "second" | "minute" = "second"): string {
    const s = new Date(ms).toISOString();
    return precision === "minute" ? s.slice(0, 16) + "Z" : s.slice(0, 19) + "Z";
  }
}
