// R47 on a fresh store: the first decision run records when Bosun first ran for the
// organisation and files nothing due before it; `bosun rituals backfill --since` files those on
// purpose, through the executor, with the rule's own keys.
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backfillRitualIssues, RitualInputError } from "../../src/api/rituals.js";
import { RecordingApplier } from "../../src/effects/executor.js";
import { FULL_SYNC } from "../../src/github/sync.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { rituals } from "../../src/rules/rituals/index.js";
import { decide } from "../../src/runtime/decide.js";
import { openStore, type Store } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";

// Wednesday 2026-12-02 02:00 in Los Angeles: Bosun's first run against fleetdm.
const FIRST = Temporal.Instant.from("2026-12-02T10:00:00Z");

let store: Store;
let config: HandbookConfig;

beforeAll(async () => {
  config = await exampleConfig();
  store = await openStore({ inMemory: true });
  for (const r of config.repositories) {
    await store.setCursor(`${config.organisation}/${r.name}`, FULL_SYNC, { cursor: "complete" });
  }
});

afterAll(async () => {
  await store?.close();
});

const plan = (at: Temporal.Instant) =>
  decide(store, config, at, `plan-${at}`, { rules: [rituals] });
const deps = (applier?: RecordingApplier) => ({
  store,
  config,
  ...(applier ? { applier } : {}),
  owner: "test",
});

describe("R47: rituals on first start", () => {
  it("R47: the first run against an organisation files none of the past occurrences, and records when it ran", async () => {
    const first = await plan(FIRST);
    expect(first.effects).toEqual([]);
    const skipped = first.observations.filter((o) => o.message.includes("before Bosun first ran"));
    expect(skipped).toHaveLength(7);
    expect(skipped.map((o) => o.message).join("\n")).toContain(
      'ritual "Renew Apple developer account": the occurrence of 2026-08-01',
    );
    expect(await store.ritualsStart("fleetdm")).toBe("2026-12-02T10:00:00.000Z");
    // A later run (or another process, or a restart) reads the same start: the next occurrence
    // after it is filed, nothing before.
    const later = await plan(Temporal.Instant.from("2026-12-03T17:00:00Z"));
    expect(later.effects.map((e) => e.key)).toEqual([
      "R47:createIssue:fleetdm/fleet:check-for-new-versions-of-osquery-schema@2026-12-03",
    ]);
    expect(await store.ritualsStart("fleetdm")).toBe("2026-12-02T10:00:00.000Z");
  });

  it("R47: a plan at a future instant is a question: it records no start", async () => {
    const future = "2999-01-01T00:00:00.000Z";
    expect(await store.ritualsStartedAt("another-org", future)).toBe(future);
    expect(await store.ritualsStart("another-org")).toBeNull();
  });

  it("R47: bosun rituals backfill --since files the skipped occurrences on purpose, once", async () => {
    const dry = await backfillRitualIssues(
      deps(),
      { since: "2026-08-01", dryRun: true },
      FIRST.add({ minutes: 5 }),
    );
    expect(dry.startedAt).toBe("2026-12-02T10:00:00.000Z");
    expect(dry.results.every((r) => r.status === "dry-run")).toBe(true);
    const lines = dry.results.map((r) => r.line);
    expect(lines).toContain(
      'fleetdm/fleet: open issue "Renew Apple developer account (2026-08-01)" [#g-mdm, P2] @georgekarrv',
    );
    // Every weekly dependency check since Aug 1, not only the latest (catchUp does not apply).
    expect(
      lines.filter((l) => l.includes("Check production dependencies of fleetdm.com")).length,
    ).toBe(17);
    expect(dry.results[0]!.reason).toMatch(
      /filed on request \(bosun rituals backfill --since 2026-08-01\)/,
    );

    const applier = new RecordingApplier();
    const one = { since: "2026-08-01", ritual: "renew-apple-developer-account" };
    const filed = await backfillRitualIssues(deps(applier), one, FIRST.add({ minutes: 6 }));
    expect(filed.results.map((r) => [r.key, r.status])).toEqual([
      ["R47:createIssue:fleetdm/fleet:renew-apple-developer-account@2026-08-01", "applied"],
    ]);
    expect(applier.lines).toHaveLength(1);
    // Again: the executor finds the key done, whoever planned it.
    const again = await backfillRitualIssues(deps(applier), one, FIRST.add({ minutes: 7 }));
    expect(again.results.map((r) => r.status)).toEqual(["already-done"]);
    expect(applier.lines).toHaveLength(1);
  });

  it("R47: backfill refuses a date in the future, an unknown ritual and more than 100 issues at once", async () => {
    const now = FIRST.add({ minutes: 10 });
    await expect(backfillRitualIssues(deps(), { since: "2026-12-24" }, now)).rejects.toThrow(
      /since \(2026-12-24\) is in the future/,
    );
    await expect(backfillRitualIssues(deps(), { since: "2026-13-01" }, now)).rejects.toThrow(
      /since must be a date that exists/,
    );
    await expect(
      backfillRitualIssues(deps(), { since: "2026-08-01", ritual: "nope" }, now),
    ).rejects.toThrow(RitualInputError);
    await expect(backfillRitualIssues(deps(), { since: "2020-01-01" }, now)).rejects.toThrow(
      /would file \d+ issues, more than 100 at once/,
    );
  });
});
