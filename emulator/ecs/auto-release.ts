// ECS auto-release (ModifyInstanceAutoReleaseTime, RunInstances AutoReleaseTime): a pay-as-you-go instance whose
// AutoReleaseTime passes is released by the service itself, with no call from anyone. The release is scheduled
// on the store's virtual clock, so advancing the clock past it releases the instance on the next request.
import { Params } from "../core/params";
import { Instance } from "../core/store";
import { ecsError } from "./errors";
import { ecsAttrs, Env } from "./model";

const LABEL = "auto-release";
const MIN_AHEAD_MS = 30 * 60_000;
const MAX_AHEAD_MS = 3 * 366 * 86_400_000;
const FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/;

/**
 * The documented format is yyyy-MM-ddTHH:mm:ssZ (UTC); seconds other than 00 are dropped ("taken as the start of
 * the minute"); the time must be at least 30 minutes and at most 3 years ahead. Anything else is
 * InvalidAutoReleaseTime.Malformed (the docs name no other code for a time out of range).
 */
export function parseAutoReleaseTime(params: Params, now: number): number | undefined {
  const raw = params.string("AutoReleaseTime");
  if (raw === undefined) return undefined;
  const t = FORMAT.test(raw) ? Date.parse(raw) : NaN;
  if (!Number.isFinite(t)) throw ecsError("InvalidAutoReleaseTime.Malformed");
  if (t < now + MIN_AHEAD_MS || t > now + MAX_AHEAD_MS) throw ecsError("InvalidAutoReleaseTime.Malformed");
  return Math.floor(t / 60_000) * 60_000;
}

/** The instance's auto-release time, virtual ms (undefined: none). */
export function autoReleaseAt(inst: Instance): number | undefined {
  const v = ecsAttrs(inst).AutoReleaseTime;
  return typeof v === "number" ? v : undefined;
}

/**
 * Sets (or with undefined cancels) the auto-release. Release protection does not stop it: the docs say protection
 * guards against manual releases only. The instance disappears from DescribeInstances as a release does.
 */
export function setAutoRelease(env: Env, inst: Instance, at: number | undefined): void {
  env.store.cancel(inst.id, LABEL);
  ecsAttrs(inst).AutoReleaseTime = at;
  if (at === undefined) return;
  env.store.at(inst.id, at, LABEL, (i, when) => {
    ecsAttrs(i).releasing = true;
    env.store.at(i.id, when + env.clock.duration("ecs.release"), "release", (gone) => env.store.remove(gone.id));
  });
}
