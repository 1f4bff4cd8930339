// Lifecycle tests run the provider's own code in-process against an emulator over real HTTP with real
// signatures: this points the provider at it, speeds the emulator and the provider's polling up together,
// and records the provider's progress lines.
import { afterAll, beforeAll } from "vitest";
import { EmulatorAdmin, EmulatorOptions, RunningEmulator, startEmulator } from "../../emulator";
import { onProgress } from "../../provider/core/progress";
import { resetStackConfig } from "../../provider/core/settings";

export const TIME_SCALE = 0.01;

export interface ProviderTestEnv {
  emu: RunningEmulator;
  admin: EmulatorAdmin;
  lines: string[];
  /** Progress lines about one id. */
  linesFor(id: string): string[];
  reset(): Promise<void>;
}

export function useEmulatorForProvider(durations: Record<string, number> = {}, options: Omit<EmulatorOptions, "durations" | "timeScale"> = {}): ProviderTestEnv {
  const env = { lines: [] as string[] } as ProviderTestEnv;
  let stop: () => void = () => undefined;
  const saved = { ...process.env };
  beforeAll(async () => {
    env.emu = await startEmulator({ ...options, timeScale: TIME_SCALE, durations });
    env.admin = new EmulatorAdmin(env.emu.url);
    Object.assign(process.env, {
      ALICLOUD_RELEASE_ENDPOINT: env.emu.url,
      ALIBABA_CLOUD_ACCESS_KEY_ID: "emulator",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret",
      ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
      ALICLOUD_RELEASE_TIME_SCALE: String(TIME_SCALE),
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
    });
    resetStackConfig();
    stop = onProgress((id, message) => env.lines.push(`${id}: ${message}`));
  });
  afterAll(async () => {
    stop();
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    await env.emu?.close();
  });
  env.linesFor = (id: string) => env.lines.filter((l) => l.startsWith(`${id}: `));
  env.reset = async () => {
    env.lines.length = 0;
    await env.admin.reset();
  };
  return env;
}

/** A DryRun call checks permissions and changes nothing (ECS's preflight before a release). */
export const isDryRun = (e: { params: Record<string, string> }): boolean => e.params.DryRun === "true";

/**
 * The request log reduced to what a test compares: action and the parameters that matter. The DryRun permission
 * checks are left out (they change nothing); tests of the preflight look at them with `isDryRun`.
 */
export function calls(log: { action: string | null; params: Record<string, string>; status: number }[], keep: string[] = []): string[] {
  return log.filter((e) => !isDryRun(e)).map((e) => {
    const shown = keep.filter((k) => e.params[k] !== undefined).map((k) => `${k}=${e.params[k]}`);
    return `${e.action}${shown.length ? `(${shown.join(",")})` : ""}${e.status === 200 ? "" : ` -> ${e.status}`}`;
  });
}
