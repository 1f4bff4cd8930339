// Real Pulumi programs against the emulator: the environment a program and its provider process get (credentials,
// endpoint, time scale, passphrase), and a program written inside an installed project so it resolves the
// installed packages.
import * as fs from "node:fs";
import * as path from "node:path";

export function emulatorEnv(url: string, timeScale: number, passphrase: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ALICLOUD_RELEASE_ENDPOINT: url,
    ALIBABA_CLOUD_ACCESS_KEY_ID: "emulator",
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret",
    ALIBABA_CLOUD_REGION_ID: "",
    ALICLOUD_RELEASE_TIME_SCALE: String(timeScale),
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    ...extra,
  };
}

/** A Pulumi project inside the installed project `projectDir`, so that its program resolves the installed packages. */
export function writeProgram(projectDir: string, name: string, source: string): string {
  const dir = path.join(projectDir, "programs", name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
  fs.writeFileSync(path.join(dir, "index.js"), source);
  return dir;
}
