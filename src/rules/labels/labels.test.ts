import { Temporal } from "temporal-polyfill";
import { beforeAll, describe, expect, it } from "vitest";
import { exampleConfig } from "../../../test/support/app.js";
import "../../../test/support/matchers.js";
import { parseIdempotencyKey } from "../../effects/plan.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import { labelVocabularyOf } from "../../runtime/decide.js";
import { FLEET, LabelState } from "./builder.js";
import {
  labelKey,
  labelVocabulary,
  repositoryVocabulary,
  type VocabularyLabel,
  vocabulary,
} from "./index.js";

const now = Temporal.Instant.from("2026-11-24T18:00:00Z");
let config: HandbookConfig;
let words: VocabularyLabel[];
beforeAll(async () => {
  config = await exampleConfig();
  words = labelVocabularyOf(config);
});

const decide = (state: LabelState) => labelVocabulary.decide(state.input(words), config, now);
const repo = (labels: string[], synced = true) =>
  new LabelState().repository(FLEET, labels, { synced });

describe("label vocabulary", () => {
  it("creates every missing label of the vocabulary, with a reason naming the setting", () => {
    const out = decide(repo([]));
    expect(out.effects.map((e) => (e.effect as { name: string }).name)).toEqual(
      repositoryVocabulary(words, "fleet").map((w) => w.name),
    );
    expect(out.effects[0]!.reason).toContain("bosun.yml labels");
  });

  it("already as it should be: plans nothing", () => {
    const out = decide(repo(repositoryVocabulary(words, "fleet").map((w) => w.name)));
    expect(out).toPlan([]);
  });

  it("R47: the labels of ritual auto-issues exist in the ritual's repository before an issue names them", () => {
    const ritualLabels = config.rituals
      .filter((r) => r.autoIssue?.repo === "fleet")
      .flatMap((r) => r.autoIssue!.labels);
    expect(ritualLabels.length).toBeGreaterThan(0);
    const out = decide(repo(vocabulary(config).map((w) => w.name)));
    const created = out.effects.map((e) => (e.effect as { name: string }).name);
    const known = vocabulary(config).map((w) => w.name.toLowerCase());
    const extra = [...new Set(ritualLabels.map((l) => l.toLowerCase()))].filter(
      (l) => !known.includes(l),
    );
    expect(extra.length).toBeGreaterThan(0);
    expect(created.map((c) => c.toLowerCase()).sort()).toEqual(extra.sort());
  });

  it("R11: creates the canonical name of a label setting, never an alias", () => {
    expect(config.labels.aliases.releaseBlocker).toEqual(["~release-blocker"]);
    const names = vocabulary(config).map((w) => w.name);
    expect(names).toContain("~release blocker");
    expect(names).toContain("~unreleased bug");
    expect(names).not.toContain("~release-blocker");
    expect(names).not.toContain("~unreleased-bug");
    // A repository that has only the older spelling still gets the canonical name.
    const all = repositoryVocabulary(words, "fleet").map((w) => w.name);
    const out = decide(repo([...all.filter((n) => n !== "~release blocker"), "~release-blocker"]));
    expect(out.effects.map((e) => (e.effect as { name: string }).name)).toEqual([
      "~release blocker",
    ]);
  });

  it("treats label names as GitHub does, without regard to case", () => {
    const names = repositoryVocabulary(words, "fleet").map((w) => w.name);
    const out = decide(repo([...names.slice(1), names[0]!.toUpperCase()]));
    expect(out).toPlan([]);
  });

  it("creates only what is missing, and never deletes labels the handbook does not know", () => {
    const names = repositoryVocabulary(words, "fleet").map((w) => w.name);
    const out = decide(repo([...names.filter((n) => n !== config.labels.pushed), "wontfix"]));
    expect(out.effects).toHaveLength(1);
    expect(out.effects[0]!.effect).toMatchObject({
      type: "createLabel",
      repo: "fleetdm/fleet",
      name: config.labels.pushed,
    });
  });

  it("waits for the first sync of a repository instead of guessing its labels", () => {
    const out = decide(repo([], false));
    expect(out).toPlan([]);
    expect(out.observations[0]!.message).toContain("not synced yet");
  });

  it("gives each intention a stable key, so a rerun of the same plan is recognised", () => {
    expect(decide(repo([])).effects.map((e) => e.key)).toEqual(
      decide(repo([])).effects.map((e) => e.key),
    );
  });

  it("R47: already as it should be in every repository: each has its own labels, nothing to create", () => {
    const state = new LabelState()
      .repository(
        FLEET,
        repositoryVocabulary(words, "fleet").map((w) => w.name),
      )
      .repository(
        "fleetdm/confidential",
        repositoryVocabulary(words, "confidential").map((w) => w.name),
      );
    expect(decide(state)).toPlan([]);
    // A label only the fleet rituals file is not wanted in confidential.
    const onlyFleet = words.filter((w) => w.repo === "fleet").map((w) => w.name.toLowerCase());
    const confidential = repositoryVocabulary(words, "confidential").map((w) =>
      w.name.toLowerCase(),
    );
    expect(onlyFleet.length).toBeGreaterThan(0);
    expect(onlyFleet.filter((n) => confidential.includes(n))).toEqual([]);
  });

  it("refuses a second label of the same name in a repository, whatever its case", () => {
    expect(() => new LabelState().repository(FLEET, ["bug", "Bug"])).toThrow(
      'fleetdm/fleet already has the label "Bug"',
    );
    expect(() => new LabelState().repository(FLEET).repository(FLEET)).toThrow(
      "fleetdm/fleet is already in this state",
    );
  });
});

describe("label identity", () => {
  it("build then parse gives the name back, in lower case as GitHub compares it", () => {
    expect(labelKey.parse(labelKey.build("~released bug"))).toEqual({ name: "~released bug" });
    expect(labelKey.parse(labelKey.build("#G-MDM"))).toEqual({ name: "#g-mdm" });
    // A planned effect's key carries it.
    const [effect] = decide(repo([])).effects;
    const { name } = effect!.effect as { name: string };
    expect(labelKey.parse(parseIdempotencyKey(effect!.key).discriminator)).toEqual({
      name: name.toLowerCase(),
    });
  });

  // labelKey.parse (src/rules/labels/index.ts) accepts any string: it cannot tell a key it built
  // from one it did not. Reported; this case flips to failing once parse refuses malformed input.
  it("parse refuses malformed input: empty, or not in lower case", () => {
    expect(labelKey.parse("")).toBeUndefined();
    expect(labelKey.parse("Bug")).toBeUndefined();
  });
});
