// Issues edited while the first full sync walks the list: each edit moves an issue already read to
// the end of the update-ordered list and shifts every unread one a place towards the front. A walk
// by page number then never sees the issue that slid onto the page it had just read.
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ControlledClock,
  defaultOrgSpec,
  type RunningEmulator,
  startEmulator,
} from "../../emulator/index.js";
import { FULL_SYNC, incrementalSync, syncRepository } from "../../src/github/sync.js";
import { openStore, type Store } from "../../src/store/index.js";
import { emulatorClient } from "../support/github.js";

const REPO = "fleetdm/fleet";
const OWNER = { owner: "fleetdm", repo: "fleet" };

async function emulatorSide(url: string) {
  const client = emulatorClient(url);
  const issues = await client.paginate("GET /repos/{owner}/{repo}/issues", {
    ...OWNER,
    state: "all",
    per_page: 100,
  });
  const events = await client.paginate("GET /repos/{owner}/{repo}/issues/events", {
    ...OWNER,
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

/** Counts and a checksum of number + update time (issues) and of ids (events). */
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

describe("a first full sync while issues are edited under it", () => {
  let emu: RunningEmulator;
  let clock: ControlledClock;
  let store: Store;

  beforeEach(async () => {
    const start = new Date("2026-11-20T18:00:00Z");
    clock = new ControlledClock(start, { frozen: true });
    emu = await startEmulator({ size: 500, seed: 17, clock, org: defaultOrgSpec(start) });
    store = await openStore({ inMemory: true });
  }, 120_000);

  afterEach(async () => {
    await store?.close();
    await emu?.close();
  });

  /** A client whose every issues-list answer is followed by edits to issues it already read. */
  function editingClient(perPage: number, limit: number) {
    const client = emulatorClient(emu.url, store);
    const writer = emulatorClient(emu.url);
    const read: number[] = [];
    const edited = new Set<number>();
    client.hook.after("request", async (response) => {
      if (!/\/issues\?/.test(response.url) || !Array.isArray(response.data)) return;
      if (new URL(response.url).searchParams.get("per_page") === "1") return;
      const batch = read.filter((n) => !edited.has(n)).slice(0, perPage);
      for (const i of response.data as { number: number }[]) read.push(i.number);
      if (edited.size >= limit) return;
      clock.advance(1_000);
      for (const number of batch) {
        edited.add(number);
        await writer.rest.issues.addLabels({ ...OWNER, issue_number: number, labels: ["P2"] });
      }
    });
    return { client, edited };
  }

  it("80 already-read issues labelled between pages: the store equals GitHub after the full sync", async () => {
    const { client, edited } = editingClient(20, 80);
    await syncRepository({ client, store }, REPO);
    expect(edited.size).toBe(80);
    expect((await store.getCursor(REPO, FULL_SYNC))?.cursor).toBe("complete");
    expect(await storeSide(store)).toEqual(await emulatorSide(emu.url));
    for (const number of edited)
      expect((await store.getIssue(REPO, number))?.labels).toContain("P2");
  }, 120_000);

  it("edits after the full sync are picked up by the next incremental sync", async () => {
    const { client } = editingClient(20, 80);
    await syncRepository({ client, store }, REPO);
    clock.advance(60_000);
    const writer = emulatorClient(emu.url);
    await writer.rest.issues.update({ ...OWNER, issue_number: 1, state: "closed" });
    const report = await incrementalSync({ client: emulatorClient(emu.url, store), store }, REPO);
    expect(report.consistency?.ok).toBe(true);
    expect(await storeSide(store)).toEqual(await emulatorSide(emu.url));
  }, 120_000);

  it("a bulk edit of 150 issues in one second, and edits inside that second while it is paged: the store equals GitHub", async () => {
    const writer = emulatorClient(emu.url);
    const all = await writer.paginate(writer.rest.issues.listForRepo, {
      ...OWNER,
      state: "all",
      per_page: 100,
    });
    const bulk = all.filter((i) => !i.pull_request).slice(0, 150);
    const client = emulatorClient(emu.url, store);
    let bulkAt: string | undefined;
    let insideEdits = 0;
    client.hook.after("request", async (response) => {
      if (!/\/issues\?/.test(response.url) || !Array.isArray(response.data)) return;
      const query = new URL(response.url).searchParams;
      if (query.get("per_page") === "1") return;
      if (bulkAt === undefined) {
        // After the walk's first page: more than a page of issues now share one second.
        clock.advance(1_000);
        for (const i of bulk)
          await writer.rest.issues.addLabels({ ...OWNER, issue_number: i.number, labels: ["P2"] });
        bulkAt = `${new Date(clock.now()).toISOString().slice(0, 19)}Z`;
        return;
      }
      // Paging through that second: edit members already read, shifting the rest earlier.
      if (query.get("since") === bulkAt && query.get("page") === "2" && insideEdits < 10) {
        clock.advance(1_000);
        const read = (response.data as { number: number; updated_at: string }[])
          .filter((i) => i.updated_at === bulkAt)
          .slice(0, 5);
        for (const i of read) {
          insideEdits += 1;
          await writer.rest.issues.addLabels({ ...OWNER, issue_number: i.number, labels: ["P1"] });
        }
      }
    });
    await syncRepository({ client, store }, REPO);
    expect(insideEdits).toBe(10);
    expect((await store.getCursor(REPO, FULL_SYNC))?.cursor).toBe("complete");
    expect(await storeSide(store)).toEqual(await emulatorSide(emu.url));
  }, 180_000);

  it("a hole GitHub's counts reveal is reported, keeps the sync incomplete, and the next sync fills it", async () => {
    // GitHub leaves one issue out of one answer (as an edit racing a page can): only the count shows it.
    const client = emulatorClient(emu.url, store);
    let dropped: number | undefined;
    client.hook.after("request", (response) => {
      if (dropped !== undefined || !/\/issues\?/.test(response.url)) return;
      if (new URL(response.url).searchParams.get("per_page") === "1") return;
      // An issue, not a PR: the pulls walk would store a PR the issues walk missed.
      const items = response.data as { number: number; pull_request?: unknown }[];
      const victim = items.find((i) => !i.pull_request)!;
      dropped = victim.number;
      response.data = items.filter((i) => i !== victim) as never;
    });
    const first = await syncRepository({ client, store }, REPO);
    expect(await store.getIssue(REPO, dropped!)).toBeNull();
    expect(first.consistency).toMatchObject({ ok: false, repairing: true });
    expect(first.consistency?.mismatches[0]).toMatch(
      /fleetdm\/fleet: GitHub reports \d+ issues and pull requests, the store has \d+/,
    );
    expect((await store.getCursor(REPO, FULL_SYNC))?.cursor).not.toBe("complete");

    const second = await syncRepository({ client: emulatorClient(emu.url, store), store }, REPO);
    expect(second.kind).toBe("full");
    expect(second.consistency?.ok).toBe(true);
    expect((await store.getCursor(REPO, FULL_SYNC))?.cursor).toBe("complete");
    expect(await storeSide(store)).toEqual(await emulatorSide(emu.url));
  }, 120_000);
});
