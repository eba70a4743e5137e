// GitHub's deep-pagination limit on every repository-wide list, at its harshest (one page): the
// full sync still stores what an unlimited one does, and its report says where it fell back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { syncRepository } from "../../src/github/sync.js";
import { openStore, type Store } from "../../src/store/index.js";
import { dumpStore, emulatorClient } from "../support/github.js";

const REPOS = ["fleetdm/fleet", "fleetdm/confidential"];

async function conversations(store: Store, repo: string) {
  return {
    comments: await store.commentVersions(repo),
    reviews: await store.reviewVersions(repo),
  };
}

describe("sync past GitHub's pagination limit", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ size: 300, seed: 11 });
  }, 120_000);
  afterAll(async () => {
    await emu?.close();
  });

  const setCap = (pages: number | null) =>
    fetch(`${emu.url}/_emulator/pagination-cap`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pages }),
    });

  it("with every list capped at one page, the store equals an unlimited sync's", async () => {
    const free = await openStore({ inMemory: true });
    const capped = await openStore({ inMemory: true });
    try {
      await setCap(null);
      for (const repo of REPOS)
        await syncRepository({ client: emulatorClient(emu.url, free), store: free }, repo);
      await setCap(1);
      const reports = [];
      for (const repo of REPOS)
        reports.push(
          await syncRepository({ client: emulatorClient(emu.url, capped), store: capped }, repo),
        );
      await setCap(null);
      expect(await dumpStore(capped, REPOS)).toEqual(await dumpStore(free, REPOS));
      for (const repo of REPOS)
        expect(await conversations(capped, repo)).toEqual(await conversations(free, repo));
      const fleet = reports[0]!;
      expect(fleet.fellBack?.reason).toMatch(/pulls list past GitHub's pagination limit/);
      expect(fleet.fellBack?.reason).toMatch(/events feed past GitHub's pagination limit/);
      expect(fleet.fellBack!.issues).toBeGreaterThan(0);
      expect((await capped.getCursor(REPOS[0]!, "full-sync"))?.cursor).toBe("complete");
    } finally {
      await setCap(null);
      await free.close();
      await capped.close();
    }
  }, 240_000);
});
