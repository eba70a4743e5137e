import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { checkLogins } from "../../src/github/logins.js";
import { openStore, type Store } from "../../src/store/index.js";
import { emulatorClient } from "../support/github.js";

describe("configured logins on GitHub", () => {
  let emu: RunningEmulator;
  let store: Store;
  beforeAll(async () => {
    emu = await startEmulator({ size: 20, seed: 2 });
    store = await openStore({ inMemory: true });
  });
  afterAll(async () => {
    await store?.close();
    await emu?.close();
  });

  it("records which logins GitHub does not know, and asks again only when the answer is old", async () => {
    const client = emulatorClient(emu.url);
    const first = await checkLogins(client, store, [
      "georgekarrv",
      "no-such-person-xyz",
      "GeorgeKarrv",
    ]);
    expect(first).toEqual({ checked: 2, missing: ["no-such-person-xyz"] });
    emu.admin.resetRequests();
    const again = await checkLogins(client, store, ["georgekarrv", "no-such-person-xyz"]);
    expect(again.checked).toBe(0);
    expect(emu.admin.requests().total).toBe(0);
    const stale = await checkLogins(client, store, ["no-such-person-xyz"], 0);
    expect(stale).toEqual({ checked: 1, missing: ["no-such-person-xyz"] });
  });
});
