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

/**
 * The instances not released yet. A released pay-as-you-go MongoDB replica set stays in the recycle bin
 * (status Released) for 7 days and is released all the same; anything else left over is not.
 */
export function notReleased<T extends { product: string; status: string }>(list: T[]): T[] {
  return list.filter((i) => !(i.product === "dds" && i.status === "Released"));
}
