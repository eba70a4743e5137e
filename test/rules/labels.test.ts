import { Temporal } from "temporal-polyfill";
import { beforeAll, describe, expect, it } from "vitest";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { labelVocabulary, repositoryVocabulary, vocabulary } from "../../src/rules/labels/index.js";
import type { RepositorySnapshot } from "../../src/rules/snapshot.js";
import { exampleConfig } from "../support/app.js";
import "../support/matchers.js";

const now = Temporal.Instant.from("2026-11-24T18:00:00Z");
let config: HandbookConfig;
beforeAll(async () => {
  config = await exampleConfig();
});

const decide = (repositories: RepositorySnapshot[]) =>
  labelVocabulary.decide({ config, snapshot: { repositories }, now });
const repo = (labels: string[], synced = true): RepositorySnapshot => ({
  fullName: "fleetdm/fleet",
  synced,
  labels: labels.map((name) => ({ name })),
});

describe("label vocabulary", () => {
  it("creates every missing label of the vocabulary, with a reason naming the setting", () => {
    const out = decide([repo([])]);
    expect(out.effects.map((e) => (e.effect as { name: string }).name)).toEqual(
      repositoryVocabulary(config, "fleet").map((w) => w.name),
    );
    expect(out.effects[0]!.reason).toContain("bosun.yml labels");
  });

  it("already as it should be: plans nothing", () => {
    const out = decide([repo(repositoryVocabulary(config, "fleet").map((w) => w.name))]);
    expect(out).toPlan([]);
  });

  it("R47: the labels of ritual auto-issues exist in the ritual's repository before an issue names them", () => {
    const ritualLabels = config.rituals
      .filter((r) => r.autoIssue?.repo === "fleet")
      .flatMap((r) => r.autoIssue!.labels);
    expect(ritualLabels.length).toBeGreaterThan(0);
    const out = decide([repo(vocabulary(config).map((w) => w.name))]);
    const created = out.effects.map((e) => (e.effect as { name: string }).name);
    const known = vocabulary(config).map((w) => w.name.toLowerCase());
    const extra = [...new Set(ritualLabels.map((l) => l.toLowerCase()))].filter(
      (l) => !known.includes(l),
    );
    expect(extra.length).toBeGreaterThan(0);
    expect(created.map((c) => c.toLowerCase()).sort()).toEqual(extra.sort());
  });

  it("treats label names as GitHub does, without regard to case", () => {
    const names = repositoryVocabulary(config, "fleet").map((w) => w.name);
    const out = decide([repo([...names.slice(1), names[0]!.toUpperCase()])]);
    expect(out).toPlan([]);
  });

  it("creates only what is missing, and never deletes labels the handbook does not know", () => {
    const names = repositoryVocabulary(config, "fleet").map((w) => w.name);
    const out = decide([repo([...names.filter((n) => n !== config.labels.pushed), "wontfix"])]);
    expect(out.effects).toHaveLength(1);
    expect(out.effects[0]!.effect).toMatchObject({
      type: "createLabel",
      repo: "fleetdm/fleet",
      name: config.labels.pushed,
    });
  });

  it("waits for the first sync of a repository instead of guessing its labels", () => {
    const out = decide([repo([], false)]);
    expect(out).toPlan([]);
    expect(out.observations[0]!.message).toContain("not synced yet");
  });

  it("gives each intention a stable key, so a rerun of the same plan is recognised", () => {
    expect(decide([repo([])]).effects.map((e) => e.key)).toEqual(
      decide([repo([])]).effects.map((e) => e.key),
    );
  });
});
