// A first full sync killed part-way and started again must end with the store equal to GitHub:
// no validator may be stored ahead of the data it covers, or the restarted walk meets a 304 for a
// page it never stored, stops there, and marks the sync complete with the rest missing.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { FULL_SYNC, syncRepository } from "../../src/github/sync.js";
import { openStore, type Store } from "../../src/store/index.js";
import { emulatorClient } from "../support/github.js";

const REPO = "fleetdm/fleet";

/** Issue and event counts and a checksum of number + update time, as GitHub lists them. */
async function emulatorSide(url: string) {
  const client = emulatorClient(url);
  const issues = await client.paginate("GET /repos/{owner}/{repo}/issues", {
    owner: "fleetdm",
    repo: "fleet",
    state: "all",
    per_page: 100,
  });
  const events = await client.paginate("GET /repos/{owner}/{repo}/issues/events", {
    owner: "fleetdm",
    repo: "fleet",
    per_page: 100,
  });
  return summary(
    issues.map((i) => [i.number, i.updated_at]),
    events.map((e) => e.id),
  );
}

async function storeSide(store: Store) {
  const issues = await store.listIssues({ repo: REPO });
  const events = (await store.listIssueEvents({ repo: REPO, limit: 1_000_000 })).filter(
    (e) => e.id > 0,
  );
  return summary(
    issues.map((i) => [i.number, i.updatedAt]),
    events.map((e) => e.id),
  );
}

function summary(issues: [number, string][], events: number[]) {
  const lines = issues
    .map(([n, at]) => `${n} ${new Date(at).toISOString()}`)
    .sort()
    .join("\n");
  return {
    issues: issues.length,
    issueChecksum: createHash("sha256").update(lines).digest("hex"),
    events: events.length,
    eventChecksum: createHash("sha256")
      .update(events.sort((a, b) => a - b).join(","))
      .digest("hex"),
  };
}

/** Runs syncs as a restarted process would until the full sync says it is complete. */
async function syncToCompletion(url: string, store: Store) {
  for (let run = 0; run < 4; run++) {
    await syncRepository({ client: emulatorClient(url, store), store }, REPO);
    if ((await store.getCursor(REPO, FULL_SYNC))?.cursor === "complete") return run + 1;
  }
  throw new Error("the full sync never completed");
}

describe("a first full sync killed part-way", () => {
  let emu: RunningEmulator;
  let truth: Awaited<ReturnType<typeof emulatorSide>>;

  beforeAll(async () => {
    emu = await startEmulator({ size: 400, seed: 21 });
    truth = await emulatorSide(emu.url);
    // Several pages of each list, so a crash can fall in the middle of one.
    expect(truth.issues).toBeGreaterThan(300);
    expect(truth.events).toBeGreaterThan(300);
  }, 120_000);

  afterAll(async () => {
    await emu?.close();
  });

  it.each([
    ["issues", 2, "/issues?"],
    ["pulls", 2, "/pulls?"],
    ["events", 1, "/issues/events?"],
    ["events", 3, "/issues/events?"],
  ] as const)(
    "killed between GitHub's answer for %s page %i and storing it, restarted: the store equals GitHub",
    async (_what, nth, route) => {
      const store = await openStore({ inMemory: true });
      try {
        const crashing = emulatorClient(emu.url, store);
        let seen = 0;
        // Runs after the client's own response handling (hooks added later wrap it): the
        // process dies with the answer received and nothing of it stored.
        crashing.hook.after("request", (response) => {
          if (!response.url.includes(route)) return;
          seen += 1;
          if (seen === nth) throw new Error("SIGKILL");
        });
        await expect(syncRepository({ client: crashing, store }, REPO)).rejects.toThrow("SIGKILL");
        expect((await store.getCursor(REPO, FULL_SYNC))?.cursor).not.toBe("complete");

        await syncToCompletion(emu.url, store);
        expect(await storeSide(store)).toEqual(truth);
      } finally {
        await store.close();
      }
    },
    120_000,
  );

  it("stopped after a few stored pages (shutdown), restarted: the store equals GitHub", async () => {
    const store = await openStore({ inMemory: true });
    try {
      const stop = new AbortController();
      let stored = 0;
      const onProgress = (phase: string) => {
        if (phase.startsWith("events") && ++stored === 2) stop.abort();
      };
      await expect(
        syncRepository(
          { client: emulatorClient(emu.url, store), store, onProgress, signal: stop.signal },
          REPO,
        ),
      ).rejects.toThrow();
      await syncToCompletion(emu.url, store);
      expect(await storeSide(store)).toEqual(truth);
    } finally {
      await store.close();
    }
  }, 120_000);

  it("every crash point in the first 40 requests, restarted: the store equals GitHub", async () => {
    for (const killAt of [3, 12, 25, 40]) {
      const store = await openStore({ inMemory: true });
      try {
        const crashing = emulatorClient(emu.url, store);
        let requests = 0;
        crashing.hook.after("request", () => {
          requests += 1;
          if (requests === killAt) throw new Error("SIGKILL");
        });
        await syncRepository({ client: crashing, store }, REPO).catch((err: Error) => {
          if (err.message !== "SIGKILL") throw err;
        });
        await syncToCompletion(emu.url, store);
        expect(await storeSide(store), `killed at response ${killAt}`).toEqual(truth);
      } finally {
        await store.close();
      }
    }
  }, 300_000);
});
