import { Temporal } from "temporal-polyfill";
import { beforeAll, describe, expect, it } from "vitest";
import { exampleConfig } from "../../../test/support/app.js";
import "../../../test/support/matchers.js";
import { parseIdempotencyKey } from "../../effects/plan.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import type { NewRepository } from "../release-train/builder.js";
import { FLEET, ReleaseState } from "./builder.js";
import { type ReleaseActionsInput, releaseActions } from "./index.js";

const pt = (local: string) =>
  Temporal.PlainDateTime.from(local).toZonedDateTime("America/Los_Angeles").toInstant();
// Sprint 14: RC cut Fri 2026-11-13 08:00 PST, release Mon 2026-11-16 09:00 PST.
const CUT = pt("2026-11-13T08:00");
const MAIN = "c0ffee0000000000000000000000000000000000";

let config: HandbookConfig;
let freeze: HandbookConfig;
let bare: HandbookConfig;
beforeAll(async () => {
  const example = await exampleConfig();
  config = {
    ...example,
    releaseTrain: { ...example.releaseTrain, announcements: { channel: "#help-engineering" } },
  };
  freeze = { ...config, releaseTrain: { ...config.releaseTrain, mode: "freeze" } };
  const { qaDeployTarget: _q, announcements: _a, ...train } = example.releaseTrain;
  bare = { ...example, releaseTrain: train };
});

/** fleetdm/fleet after the 4.61.0 release, 4.62.0 milestone open, main synced. */
const state = (over: NewRepository = {}) =>
  new ReleaseState().repository(FLEET, {
    tags: ["fleet-v4.61.0"],
    branches: ["main"],
    milestones: [{ title: "4.62.0", state: "open" }],
    mainSha: MAIN,
    qaIssueTitles: [],
    ...over,
  });
const snapshot = (over: NewRepository = {}): ReleaseActionsInput => state(over).input();

const decide = (c: HandbookConfig, now: Temporal.Instant, snap = snapshot()) =>
  releaseActions.decide(snap, c, now);

describe("release actions", () => {
  it("R14/R17: at the RC cut: the RC branch from main, the QA issue, the announcement, the QA target", () => {
    const out = decide(config, CUT);
    expect(out).toPlan([
      "fleetdm/fleet@rc-minor-fleet-v4.62.0: create branch from c0ffee0",
      'fleetdm/fleet: open issue "Release QA: 4.62.0" @xpkoala @AndreyKizimenko',
      "notify:#help-engineering: The release candidate for 4.62.0 is cut: rc-minor-fleet-v4.62.0. Until the rele…",
      'fleetdm/confidential: variable QAWOLF_DEPLOY_TAG="rc-minor-fleet-v4.62.0"',
    ]);
    expect(out.effects.map((e) => e.reason.slice(0, 4))).toEqual(["R14:", "R14:", "R14:", "R17:"]);
    const issue = out.effects[1]!.effect as { body: string };
    expect(issue.body).toContain(
      "- [ ] #g-mdm: @AndreyKizimenko marks MDM ready for release (R26)",
    );
  });

  it("R14: nothing before the cut: one second earlier the QA target is still main", () => {
    expect(decide(config, CUT.subtract({ seconds: 1 }))).toPlan([
      'fleetdm/confidential: variable QAWOLF_DEPLOY_TAG="main"',
    ]);
  });

  it("R14: already as it should be: the branch and the QA issue exist, only keyed actions remain", () => {
    const out = decide(
      config,
      pt("2026-11-14T12:00"),
      snapshot({
        branches: ["main", "rc-minor-fleet-v4.62.0"],
        qaIssueTitles: ["Release QA: 4.62.0"],
      }),
    );
    expect(out.effects.map((e) => e.effect.type)).toEqual(["notify", "setVariable"]);
    // Those are keyed by the occurrence: the executor applies each once however often it is planned.
    expect(out.effects.map((e) => e.key)).toEqual(
      decide(config, CUT)
        .effects.slice(2)
        .map((e) => e.key),
    );
  });

  /** After the RC cut of 4.62.0: its branch and QA issue exist. */
  const cutDone = {
    branches: ["main", "rc-minor-fleet-v4.62.0"],
    qaIssueTitles: ["Release QA: 4.62.0"],
  };

  it("R17: once the release is published (its tag exists) the QA deploy target returns to main, keyed by that release", () => {
    const out = decide(
      config,
      pt("2026-11-16T09:30"),
      snapshot({ ...cutDone, tags: ["fleet-v4.61.0", "fleet-v4.62.0"] }),
    );
    expect(out).toPlan(['fleetdm/confidential: variable QAWOLF_DEPLOY_TAG="main"']);
    expect(out.effects[0]!.key).toContain("qa-target%3Amain%3A4.62.0");
    expect(out.effects[0]!.reason).toBe(
      "R17: release 4.62.0 is published (tag fleet-v4.62.0) and no release candidate is open: QA deploys return to main",
    );
  });

  it("R17: at the scheduled release instant without a tag, QA keeps testing the RC and the rule says why", () => {
    const out = decide(config, pt("2026-11-16T09:00"), snapshot(cutDone));
    const why =
      "R17: release 4.62.0 not published yet (no tag fleet-v4.62.0); QA keeps testing rc-minor-fleet-v4.62.0";
    expect(out).toPlan([
      'fleetdm/confidential: variable QAWOLF_DEPLOY_TAG="rc-minor-fleet-v4.62.0"',
    ]);
    // The same key as at the cut: the executor has applied it, so nothing moves.
    expect(out.effects[0]!.key).toBe(decide(config, CUT, snapshot(cutDone)).effects.at(-1)!.key);
    expect(out.effects[0]!.reason).toBe(why);
    expect(out.observations.map((o) => o.message)).toContain(why);
    // Days later, still slipped: still on the RC.
    expect(
      decide(config, pt("2026-11-18T15:00"), snapshot(cutDone)).effects[0]!.effect,
    ).toMatchObject({
      value: "rc-minor-fleet-v4.62.0",
    });
  });

  it("R17: a patch release after the return does not return QA to main again", () => {
    const tags = ["fleet-v4.61.0", "fleet-v4.62.0"];
    const minor = decide(config, pt("2026-11-17T10:00"), snapshot({ ...cutDone, tags }));
    const patch = decide(
      config,
      pt("2026-11-20T10:00"),
      snapshot({ ...cutDone, tags: [...tags, "fleet-v4.62.1"] }),
    );
    expect(patch.effects.map((e) => e.key)).toEqual(minor.effects.map((e) => e.key));
  });

  it("R17: a published release or a new tag re-decides the release actions at once", () => {
    const events = releaseActions.triggers?.events ?? [];
    expect(events.find((e) => e.event === "release")?.actions).toContain("published");
    expect(events.some((e) => e.event === "create")).toBe(true);
  });

  it("R14: the next RC uses the next version once the release is tagged", () => {
    const out = decide(
      config,
      pt("2026-12-04T08:00"),
      snapshot({ tags: ["fleet-v4.62.0"], milestones: [] }),
    );
    expect(out.effects[0]!.effect).toMatchObject({
      type: "createRef",
      ref: "refs/heads/rc-minor-fleet-v4.63.0",
    });
  });

  it("R9/R11: freeze mode announces the freeze and the deep freeze, once each", () => {
    expect(
      decide(freeze, pt("2026-11-10T09:00")).effects.map((e) => [e.effect.type, e.reason]),
    ).toEqual([["notify", "R9: the freeze began Tue 2026-11-10 09:00 PST"]]);
    expect(decide(freeze, pt("2026-11-15T09:00")).effects.map((e) => e.reason)).toEqual([
      "R11: the deep freeze began Sun 2026-11-15 09:00 PST",
    ]);
    expect(decide(freeze, pt("2026-11-09T09:00"))).toPlan([]);
  });

  it("without announcements or a QA deploy target configured, says so and does the rest", () => {
    const out = decide(bare, CUT);
    expect(out.effects.map((e) => e.effect.type)).toEqual(["createRef", "createIssue"]);
    expect(out.observations.map((o) => o.message)).toContain(
      "R14: RC cut Fri 2026-11-13 08:00 PST: announce the release candidate; not announced: releaseTrain.announcements is not configured",
    );
  });

  it("R14: without a version to name the RC, cuts nothing and says why", () => {
    const out = decide(config, CUT, snapshot({ tags: [], milestones: [] }));
    expect(out).toPlan([]);
    expect(out.observations[0]!.message).toContain(
      "no release tag, milestone or RC branch names the next version",
    );
  });

  it("R14: already as it should be: a QA issue titled in another case is the same issue", () => {
    const out = decide(
      config,
      CUT,
      snapshot({
        branches: ["main", "rc-minor-fleet-v4.62.0"],
        qaIssueTitles: ["release qa: 4.62.0"],
      }),
    );
    expect(out.effects.map((e) => e.effect.type)).toEqual(["notify", "setVariable"]);
  });

  it("R14: each action at the cut is keyed by the version it is for", () => {
    const keys = decide(config, CUT).effects.map((e) => parseIdempotencyKey(e.key));
    expect(keys.map((k) => [k.type, k.discriminator])).toEqual([
      ["createRef", "rc:4.62.0"],
      ["createIssue", "release-qa:4.62.0"],
      ["notify", "rc-announce:4.62.0@2026-11-16T09:00:00-08:00"],
      ["setVariable", "qa-target:rc:4.62.0"],
    ]);
  });

  it("waits for the first full sync of the released repository", () => {
    const out = decide(config, CUT, snapshot({ synced: false }));
    expect(out).toPlan([]);
    expect(out.observations[0]!.message).toContain("not synced yet");
  });

  it("refuses a repository declared twice", () => {
    expect(() => state().repository(FLEET)).toThrow("fleetdm/fleet is already in this state");
  });
});
