import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { fullSync, incrementalSync, syncRepository } from "../../src/github/sync.js";
import { openStore, type Store } from "../../src/store/index.js";
import { dumpStore, emulatorClient } from "../support/github.js";

const REPOS = ["fleetdm/fleet", "fleetdm/confidential"];

async function syncAll(store: Store, client: ReturnType<typeof emulatorClient>) {
  for (const repo of REPOS) await syncRepository({ client, store }, repo);
}

describe("sync against the emulator", () => {
  let emu: RunningEmulator;
  let clean: Store;
  let reference: Awaited<ReturnType<typeof dumpStore>>;

  beforeAll(async () => {
    emu = await startEmulator({ size: 400, seed: 5 });
    clean = await openStore({ inMemory: true });
    await syncAll(clean, emulatorClient(emu.url, clean));
    reference = await dumpStore(clean, REPOS);
  }, 120_000);

  afterAll(async () => {
    await clean?.close();
    await emu?.close();
  });

  it("a full sync stores every issue and PR, with PR branches, labels, milestones, events and refs", async () => {
    const client = emulatorClient(emu.url);
    const fromApi = await client.paginate(client.rest.issues.listForRepo, {
      owner: "fleetdm",
      repo: "fleet",
      state: "all",
      per_page: 100,
    });
    const stored = await clean.listIssues({ repo: "fleetdm/fleet" });
    expect(stored.length).toBe(fromApi.length);
    const sample = fromApi.find((i) => i.labels.length > 1)!;
    const row = stored.find((i) => i.number === sample.number)!;
    expect(row.labels).toEqual(
      sample.labels.map((l) => (typeof l === "string" ? l : l.name)).sort(),
    );
    const pulls = stored.filter((i) => i.isPullRequest);
    expect(pulls.length).toBeGreaterThan(0);
    expect(pulls.every((p) => p.headRef && p.baseRef && p.headSha)).toBe(true);
    const dump = reference["fleetdm/fleet"] as {
      labels: unknown[];
      milestones: unknown[];
      events: unknown[];
      refs: unknown[];
      tags: unknown[];
    };
    for (const part of ["labels", "milestones", "events", "refs", "tags"] as const)
      expect(dump[part].length).toBeGreaterThan(0);
  });

  it.each([1, 4, 11, 30])(
    "a sync killed after %i requests resumes to exactly a clean sync's store",
    async (killAfter) => {
      const store = await openStore({ inMemory: true });
      try {
        const crashing = emulatorClient(emu.url, store);
        let requests = 0;
        crashing.hook.before("request", () => {
          requests += 1;
          if (requests > killAfter) throw new Error("simulated crash");
        });
        await expect(syncAll(store, crashing)).rejects.toThrow("simulated crash");
        await syncAll(store, emulatorClient(emu.url, store));
        expect(await dumpStore(store, REPOS)).toEqual(reference);
      } finally {
        await store.close();
      }
    },
  );

  it("rides out 5xx answers and rate limits: waits, retries, and finishes", async () => {
    const store = await openStore({ inMemory: true });
    try {
      emu.admin.addFault({
        kind: "server-error",
        status: 502,
        count: 2,
        path: "GET /repos/fleetdm/fleet/issues$",
      });
      emu.admin.addFault({
        kind: "secondary-rate-limit",
        status: 403,
        retryAfter: 1,
        count: 1,
        path: "GET /repos/fleetdm/fleet/pulls",
      });
      emu.admin.addFault({
        kind: "primary-rate-limit",
        retryAfter: 1,
        count: 1,
        path: "GET /repos/fleetdm/fleet/labels",
      });
      await syncAll(store, emulatorClient(emu.url, store));
      expect(await dumpStore(store, REPOS)).toEqual(reference);
    } finally {
      emu.admin.clearFaults();
      await store.close();
    }
  });
});

describe("incremental sync", () => {
  let emu: RunningEmulator;
  let store: Store;
  let client: ReturnType<typeof emulatorClient>;
  const repo = "fleetdm/fleet";

  beforeAll(async () => {
    emu = await startEmulator({ size: 300, seed: 9 });
    store = await openStore({ inMemory: true });
    client = emulatorClient(emu.url, store);
    await fullSync({ client, store }, repo);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await emu?.close();
  });

  it("with nothing changed, every request is answered 304", async () => {
    await incrementalSync({ client, store }, repo); // the first run stores the ETags of its own queries
    const report = await incrementalSync({ client, store }, repo);
    expect(report.requests).toBeGreaterThan(0);
    expect(report.notModified).toBe(report.requests);
    expect(report.issues + report.pulls + report.events).toBe(0);
  });

  it("picks up new issues, label changes and closings in a few requests", async () => {
    const writer = emulatorClient(emu.url);
    const created = await writer.rest.issues.create({
      owner: "fleetdm",
      repo: "fleet",
      title: "New bug from a test",
      labels: ["bug"],
    });
    const open = await writer.rest.issues.listForRepo({
      owner: "fleetdm",
      repo: "fleet",
      state: "open",
      per_page: 5,
    });
    const target = open.data.find((i) => i.number !== created.data.number)!;
    await writer.rest.issues.addLabels({
      owner: "fleetdm",
      repo: "fleet",
      issue_number: target.number,
      labels: [":release"],
    });
    await writer.rest.issues.update({
      owner: "fleetdm",
      repo: "fleet",
      issue_number: created.data.number,
      state: "closed",
    });

    const report = await incrementalSync({ client, store }, repo);
    // Issues, pulls and events, GitHub's two counts for the check, the comments window and (a
    // labelled pull request was updated) one page of reviews.
    expect(report.requests, JSON.stringify(report)).toBeLessThanOrEqual(7);
    expect(await store.getIssue(repo, created.data.number)).toMatchObject({
      state: "closed",
      labels: ["bug"],
    });
    expect((await store.getIssue(repo, target.number))?.labels).toContain(":release");
    const events = await store.listIssueEvents({ repo, issueNumber: target.number });
    expect(events.some((e) => e.event === "labeled" && e.labelName === ":release")).toBe(true);
  });
});

describe("incremental sync after a bulk edit", () => {
  it("sees a later change even when more than a page of items share the cursor's second", async () => {
    const { ControlledClock, defaultOrgSpec } = await import("../../emulator/index.js");
    const start = new Date("2026-11-20T18:00:00Z");
    const clock = new ControlledClock(start, { frozen: true });
    const emu = await startEmulator({ size: 400, seed: 13, clock, org: defaultOrgSpec(start) });
    const store = await openStore({ inMemory: true });
    try {
      const client = emulatorClient(emu.url, store);
      const repo = "fleetdm/fleet";
      await fullSync({ client, store }, repo);
      // A bulk label change: 150 issues updated in one second (the clock is frozen).
      clock.advance(60_000);
      const writer = emulatorClient(emu.url);
      const all = await writer.paginate(writer.rest.issues.listForRepo, {
        owner: "fleetdm",
        repo: "fleet",
        state: "all",
        per_page: 100,
      });
      const bulk = all.filter((i) => !i.pull_request).slice(0, 150);
      expect(bulk).toHaveLength(150);
      for (const i of bulk)
        await writer.rest.issues.addLabels({
          owner: "fleetdm",
          repo: "fleet",
          issue_number: i.number,
          labels: ["P2"],
        });
      await incrementalSync({ client, store }, repo);
      await incrementalSync({ client, store }, repo);

      clock.advance(1_000);
      const late = bulk[0]!.number;
      await writer.rest.issues.update({
        owner: "fleetdm",
        repo: "fleet",
        issue_number: late,
        state: "closed",
      });
      const report = await incrementalSync({ client, store }, repo);
      expect(report.issues).toBeGreaterThan(0);
      expect((await store.getIssue(repo, late))?.state).toBe("closed");
      expect((await store.getIssue(repo, bulk[149]!.number))?.labels).toContain("P2");
    } finally {
      await store.close();
      await emu.close();
    }
  });
});
