// R2: a past answer never changes. A webhook changes an issue's row before GitHub's event for
// the change reaches the store with the next sync; the change is stored as an event at once, so
// a report as of a time before it reads the same before the webhook, after it, and after the
// sync. And a weekly snapshot is never stored from a store that is behind.
import { randomUUID } from "node:crypto";
import { Temporal } from "temporal-polyfill";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kpiReport, snapshotWait, storeWeeklySnapshots } from "../../src/api/kpi.js";
import { FULL_SYNC } from "../../src/github/sync.js";
import { applyDelivery, repositoryMatcher } from "../../src/github/webhooks/index.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { openStore, type Store } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";
import { examplesOf, type Payload } from "../webhooks/helpers.js";

const FLEET = "fleetdm/fleet";
const NOW = Temporal.Instant.from("2026-11-24T18:00:00Z");
/** Mon 2026-11-16 09:00 PST: a week boundary before the webhooks. */
const PAST = "2026-11-16";
const CHANGED = "2026-11-20T18:00:00Z";

let store: Store;
let config: HandbookConfig;

beforeEach(async () => {
  config = await exampleConfig();
  store = await openStore({ inMemory: true });
  await store.upsertRepository({ fullName: FLEET, createdAt: "2025-01-01T00:00:00Z" });
  await store.setCursor(FLEET, FULL_SYNC, { cursor: "complete" });
  // An open bug and an open pull request since October, with their events, as after a sync.
  await store.upsertIssue({
    repo: FLEET,
    number: 1,
    isPullRequest: false,
    title: "A bug",
    state: "open",
    labels: ["bug"],
    author: "getvictor",
    createdAt: "2026-10-01T16:00:00Z",
    updatedAt: "2026-10-01T16:00:00Z",
  });
  await store.upsertIssue({
    repo: FLEET,
    number: 2,
    isPullRequest: true,
    title: "A change",
    state: "open",
    draft: false,
    author: "getvictor",
    headRef: "fix",
    headSha: "a".repeat(40),
    baseRef: "main",
    createdAt: "2026-10-01T16:00:00Z",
    updatedAt: "2026-10-01T16:00:00Z",
  });
  await store.insertIssueEvents([
    {
      id: 1,
      repo: FLEET,
      issueNumber: 1,
      event: "labeled",
      labelName: "bug",
      createdAt: "2026-10-01T16:00:00Z",
    },
  ]);
});

afterEach(async () => {
  await store?.close();
});

const matcher = repositoryMatcher([FLEET, "fleetdm/confidential"]);

async function apply(event: string, payload: Payload) {
  await applyDelivery(
    store,
    {
      deliveryId: randomUUID(),
      event,
      action: payload.action,
      repository: FLEET,
      receivedAt: CHANGED,
      processedAt: null,
      error: null,
      retries: 0,
      payload,
    },
    matcher,
  );
}

function labeledReleasedBug(): Payload {
  const p = structuredClone(examplesOf("issues").find((e) => e.action === "labeled")!);
  p.repository.full_name = FLEET;
  Object.assign(p.issue, {
    number: 1,
    title: "A bug",
    state: "open",
    closed_at: null,
    user: { login: "getvictor", type: "User" },
    created_at: "2026-10-01T16:00:00Z",
    updated_at: CHANGED,
    labels: [{ name: "bug" }, { name: "~released bug" }],
  });
  p.label = { name: "~released bug" };
  return p;
}

function convertedToDraft(): Payload {
  const p = structuredClone(
    examplesOf("pull_request").find((e) => e.action === "converted_to_draft")!,
  );
  p.repository.full_name = FLEET;
  Object.assign(p.pull_request, {
    number: 2,
    title: "A change",
    state: "open",
    draft: true,
    labels: [],
    user: { login: "getvictor", type: "User" },
    created_at: "2026-10-01T16:00:00Z",
    updated_at: CHANGED,
    closed_at: null,
    merged_at: null,
  });
  return p;
}

const past = () => kpiReport(store, config, NOW, PAST);
const column = (view: Awaited<ReturnType<typeof past>>, index: number) =>
  view.columns[index - 1]!.value;

describe("R2: webhook changes are events at once", () => {
  it("R2: a report as of a time before a labeled webhook reads the same before it, after it and after the sync", async () => {
    const before = await past();
    expect(column(before, 19)).toBe(0); // open ~released bug bugs
    await apply("issues", labeledReleasedBug());
    expect((await store.getIssue(FLEET, 1))!.labels).toContain("~released bug");
    expect(await past()).toEqual(before);
    // Now the bug is a released one.
    expect(column(await kpiReport(store, config, NOW), 19)).toBe(1);
    // The sync brings GitHub's event for the same change: it replaces the webhook's.
    await store.insertIssueEvents([
      {
        id: 5001,
        repo: FLEET,
        issueNumber: 1,
        event: "labeled",
        labelName: "~released bug",
        createdAt: CHANGED,
      },
    ]);
    const events = await store.listIssueEvents({ repo: FLEET, issueNumber: 1 });
    expect(events.map((e) => [e.id, e.labelName])).toEqual([
      [1, "bug"],
      [5001, "~released bug"],
    ]);
    expect(await past()).toEqual(before);
    expect(column(await kpiReport(store, config, NOW), 19)).toBe(1);
  });

  it("R2: a pull request converted to draft by a webhook was not a draft before it", async () => {
    const before = await past();
    expect(column(before, 4)).toBe(1); // open non-draft pull requests
    await apply("pull_request", convertedToDraft());
    expect(await past()).toEqual(before);
    expect(column(await kpiReport(store, config, NOW), 4)).toBe(0);
  });
});

describe("R2: a weekly snapshot waits for a store that is caught up", () => {
  // The boundary of the week ending Mon 2026-11-23 09:00 PST; the sync above finished later
  // (the database's clock is today's).
  const BOUNDARY = Temporal.Instant.from("2026-11-23T17:00:00Z");
  const AFTER = BOUNDARY.add({ hours: 1 });

  it("R2: not while a webhook delivery received before the week ended waits to be applied", async () => {
    const id = randomUUID();
    await store.insertDelivery({
      deliveryId: id,
      event: "issues",
      action: "labeled",
      repository: FLEET,
      receivedAt: "2026-11-23T16:59:30Z",
      payload: labeledReleasedBug(),
    });
    expect(await storeWeeklySnapshots(store, config, AFTER)).toEqual([]);
    expect(await snapshotWait(store, [FLEET], BOUNDARY, AFTER)).toMatch(
      /^webhook deliveries received before 2026-11-23T17:01:00Z are not applied yet/,
    );
    // A delivery received later is about later changes: it does not hold the week back.
    await store.markDeliveryProcessed(id);
    await store.insertDelivery({
      deliveryId: randomUUID(),
      event: "issues",
      action: "labeled",
      repository: FLEET,
      receivedAt: "2026-11-23T18:00:00Z",
      payload: labeledReleasedBug(),
    });
    const written = await storeWeeklySnapshots(store, config, AFTER);
    expect(written[0]).toBe(BOUNDARY.toString());
  });

  it("R2: not within a minute of the boundary, nor before a sync has finished after it, nor while one is under way", async () => {
    expect(await snapshotWait(store, [FLEET], BOUNDARY, BOUNDARY.add({ seconds: 30 }))).toMatch(
      /closed less than 60 s ago/,
    );
    // A week that ends after the last sync finished (the database's clock): wait for the next.
    const later = Temporal.Now.instant().add({ hours: 1 });
    expect(await snapshotWait(store, [FLEET], later, later.add({ hours: 1 }))).toMatch(
      /^fleetdm\/fleet has not finished a sync since /,
    );
    expect(await storeWeeklySnapshots(store, config, later.add({ hours: 24 * 7 }))).toEqual([]);
    // A sync that has moved a cursor but not finished: rows may be ahead of their events.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.setCursor(FLEET, "issues", { cursor: "2026-11-23T16:00:00Z" });
    expect(await snapshotWait(store, [FLEET], BOUNDARY, AFTER)).toMatch(
      /^a sync of fleetdm\/fleet is under way/,
    );
    expect(await storeWeeklySnapshots(store, config, AFTER)).toEqual([]);
    // It finishes (an incremental sync's last cursor): the week is stored.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.setCursor(FLEET, "refresh", { cursor: "1" });
    expect(await snapshotWait(store, [FLEET], BOUNDARY, AFTER)).toBeUndefined();
    expect((await storeWeeklySnapshots(store, config, AFTER))[0]).toBe(BOUNDARY.toString());
  });
});
