// R47: a ritual's hidden marker counts only on an issue written by Bosun's own account (issue
// #20, item 8): anyone who can open an issue could otherwise copy a marker and suppress an
// occurrence. Bosun learns its own login from the issues its audit log says it filed.
import { Temporal } from "temporal-polyfill";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { rituals } from "../../src/rules/rituals/index.js";
import { loadRitualsInput } from "../../src/rules/rituals/load.js";
import { ritualMarker } from "../../src/rules/rituals/marker.js";
import { openStore, type Store } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";

const FLEET = "fleetdm/fleet";
// Sunday 2026-12-06, 10:00 in Los Angeles: the browser-compatibility check is due that day.
const SUNDAY = Temporal.Instant.from("2026-12-06T18:00:00Z");
const BROWSER = "check-browser-compatibility-for-fleetdmcom";
const BROWSER_KEY = `R47:createIssue:${FLEET}:${BROWSER}@2026-12-06`;

describe("R47: ritual markers count only from Bosun's own account", () => {
  let store: Store;
  let config: HandbookConfig;
  beforeEach(async () => {
    config = await exampleConfig();
    store = await openStore({ inMemory: true });
    // Bosun has run for the organisation since July: today's occurrences are due.
    await store.ritualsStartedAt(config.organisation, "2026-07-01T00:00:00Z");
  });
  afterEach(async () => {
    await store.close();
  });

  const issue = (number: number, author: string, body: string, authorType = "User") =>
    store.upsertIssue({
      repo: FLEET,
      number,
      isPullRequest: false,
      title: `Issue ${number}`,
      body,
      state: "open",
      author,
      authorType,
      createdAt: "2026-12-06T17:00:00Z",
      updatedAt: "2026-12-06T17:00:00Z",
    });
  /** Bosun filed `number` through the executor: its audit log says so. */
  const filedByBosun = async (number: number) => {
    const key = `R48:createIssue:${FLEET}:runbook-${number}`;
    await store.claimEffect({
      key,
      effectType: "createIssue",
      target: FLEET,
      effect: {},
      owner: "bosun-test",
      leaseMs: 60_000,
    });
    await store.finishEffect(key, "bosun-test", { status: "applied", outcome: { number } });
  };
  const decide = async () => {
    const input = {
      repositories: config.repositories.map((r) => ({
        fullName: `${config.organisation}/${r.name}`,
        synced: true,
        labels: [],
      })),
      rituals: await loadRitualsInput(store, config, SUNDAY),
    };
    return rituals.decide(input, config, SUNDAY);
  };
  const browserMarker = `Looks official.\n\n${ritualMarker(BROWSER, "2026-12-06")}`;

  it("R47: an outsider's issue carrying a ritual's marker does not remove the occurrence from the plan", async () => {
    await issue(1, "bosun-bot", "A runbook checklist");
    await filedByBosun(1);
    await issue(2, "mallory", browserMarker);
    const out = await decide();
    expect(out.effects.map((e) => e.key)).toContain(BROWSER_KEY);
    const said = out.observations.find((o) => o.target === `${FLEET}#2`);
    expect(said?.message).toContain(`marker of ritual ${BROWSER} occurrence 2026-12-06`);
    expect(said?.message).toContain("written by @mallory, does not count as filed");
    expect(said?.message).toContain("Bosun's own account (@bosun-bot)");
  });

  it("R47: a marker on an issue by Bosun's own account counts, also one the audit log missed (a crash before recording)", async () => {
    await issue(1, "bosun-bot", "A runbook checklist");
    await filedByBosun(1);
    // Filed by Bosun, but the process died before the audit write: only the author tells.
    await issue(2, "Bosun-Bot", browserMarker);
    const out = await decide();
    expect(out.effects.map((e) => e.key)).not.toContain(BROWSER_KEY);
    expect(out.observations.filter((o) => o.target === `${FLEET}#2`)).toEqual([]);
  });

  it("R47: the App's bot is Bosun's own account once it has filed an issue as that bot", async () => {
    await issue(1, "bosun-app[bot]", "A runbook checklist", "Bot");
    await filedByBosun(1);
    await issue(2, "bosun-app[bot]", browserMarker, "Bot");
    await issue(
      3,
      "renovate[bot]",
      ritualMarker("check-for-new-versions-of-osquery-schema", "2026-12-03"),
      "Bot",
    );
    const out = await decide();
    const keys = out.effects.map((e) => e.key);
    expect(keys).not.toContain(BROWSER_KEY);
    expect(keys).toContain(
      `R47:createIssue:${FLEET}:check-for-new-versions-of-osquery-schema@2026-12-03`,
    );
  });

  it("R47: when Bosun cannot tell its own login, no marker counts and each is reported, not dropped silently", async () => {
    await issue(2, "bosun-bot", browserMarker);
    const out = await decide();
    expect(out.effects.map((e) => e.key)).toContain(BROWSER_KEY);
    const said = out.observations.find((o) => o.target === `${FLEET}#2`);
    expect(said?.message).toContain("Bosun cannot tell its own GitHub login yet");
  });

  it("R47: an issue Bosun's audit log says it filed counts, whoever the store says wrote it", async () => {
    await issue(2, "someone-renamed", browserMarker);
    await filedByBosun(2);
    const out = await decide();
    expect(out.effects.map((e) => e.key)).not.toContain(BROWSER_KEY);
  });
});
