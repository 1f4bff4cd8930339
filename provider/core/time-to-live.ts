// Time-to-live: `expiresAt` (an ISO time) or `timeToLive` ("4h", "30m", "2d") on every resource. ECS hands it to the
// cloud (AutoReleaseTime), which releases the instance itself; MongoDB and Redis carry it as a tag that
// `alicloud-release sweep --expired` acts on. Durations use the same units as `sweep --older-than`.

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "90m", "4h", "2d", "1h30m" → milliseconds; undefined when it is not such a duration. */
export function parseDuration(text: string): number | undefined {
  const parts = /^(\d+[smhdw])+$/.test(text.trim()) ? text.trim().match(/\d+[smhdw]/g) : null;
  if (!parts) return undefined;
  const ms = parts.reduce((sum, p) => sum + Number(p.slice(0, -1)) * UNITS[p.slice(-1)], 0);
  return ms > 0 ? ms : undefined;
}

/** ISO-8601 to the second, as the APIs take times. */
export const isoSecond = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + "Z";
