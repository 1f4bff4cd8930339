// One emulator per test file (or describe block), started before and closed after its tests.
import { afterAll, beforeAll } from "vitest";
import { EmulatorAdmin, EmulatorOptions, RunningEmulator, startEmulator } from "../../emulator";

export interface EmulatorFixture {
  emu: RunningEmulator;
  admin: EmulatorAdmin;
}

export function useEmulator(options: EmulatorOptions = {}): EmulatorFixture {
  const fixture = {} as EmulatorFixture;
  beforeAll(async () => {
    fixture.emu = await startEmulator(options);
    fixture.admin = new EmulatorAdmin(fixture.emu.url);
  });
  afterAll(async () => {
    await fixture.emu?.close();
  });
  return fixture;
}
