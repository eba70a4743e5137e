// The merge gate as a rule: its plan (a commit status per open pull request), convergence,
// idempotency keys, and the state builder. Each check's verdicts are tested beside it, in
// checks/.
import { describe, expect, it } from "vitest";
import { exampleConfig } from "../../../test/support/app.js";
import "../../../test/support/matchers.js";
import { parseIdempotencyKey } from "../../effects/plan.js";
import type { PullSnapshot } from "../release-train/snapshot.js";
import {
  decide,
  FREEZE,
  FROZEN,
  feature,
  fixFor,
  freezeMode,
  GateState,
  HEAD,
  MDM_APPROVALS,
  merged,
  OLD_HEAD,
  OPEN,
  pr,
  RC,
  RC_PERIOD,
  REPO,
  status,
  TRAIN,
  UNRELEASED,
  verdictOf,
} from "./builder.js";
import { gateStatusKey } from "./identity.js";
import { mergeGate } from "./index.js";

const rcConfig = await exampleConfig();
const freezeConfig = freezeMode(rcConfig);

describe("merge gate verdicts", () => {
  it("says which labels the gate reads are missing on GitHub, rather than passing silently", () => {
    const v = verdictOf(freezeConfig, FROZEN, feature(), { labels: ["bug", "#g-mdm"] });
    expect(v.state).toBe("failure");
    expect(v.reason).toContain(
      'labels missing on GitHub in fleetdm/fleet: "~unreleased bug", "~released bug", "~release blocker", "#g-endpoint-ops"',
    );
  });

  it("R11: a label the repository has under an alias is not missing", () => {
    const labels = ["bug", "#g-mdm", "#g-endpoint-ops", "~released bug", "~release-blocker"];
    const v = verdictOf(freezeConfig, FROZEN, feature(), { labels });
    expect(v.reason).toContain('labels missing on GitHub in fleetdm/fleet: "~unreleased bug")');
  });
});

describe("merge gate plan", () => {
  it("R9: plans a failing status on the head commit of a feature PR when the freeze begins", () => {
    const out = decide(freezeConfig, FREEZE, [feature()]);
    expect(out).toPlan([
      `fleetdm/fleet@a1b2c3d: status bosun/merge-gate=failure "R9: main is frozen for 4.62.0 until Mon 2026-11-16 09:00 PS…"`,
    ]);
    const e = out.effects[0]!;
    expect(e.target).toBe("fleetdm/fleet#100");
    expect(e.reason).toContain("R9: main is frozen since Tue 2026-11-10 09:00 PST");
  });

  it("R9: already as it should be: the stored status says the same, nothing is planned", () => {
    const first = decide(freezeConfig, FROZEN, [feature()]);
    const effect = first.effects[0]!.effect as { state: string; description: string };
    const again = decide(freezeConfig, FROZEN, [
      feature({ gateStatus: status(effect.state, effect.description) }),
    ]);
    expect(again).toPlan([]);
  });

  it("R6: already as it should be for a bug fix, in and out of the freeze", () => {
    const first = decide(freezeConfig, OPEN, [fixFor(12, UNRELEASED)]);
    const e = first.effects[0]!.effect as { state: string; description: string };
    const stored = fixFor(12, UNRELEASED, { gateStatus: status(e.state, e.description) });
    // The freeze does not change a bug fix's verdict, so it costs no status write.
    expect(decide(freezeConfig, FROZEN, [stored])).toPlan([]);
    expect(decide(freezeConfig, OPEN, [stored])).toPlan([]);
  });

  it("keys name the head commit, the wanted state, the deciding rule, and the status replaced", () => {
    const out = decide(freezeConfig, FROZEN, [
      feature({ gateStatus: status("success", "R9: main is open", 41) }),
    ]);
    const key = parseIdempotencyKey(out.effects[0]!.key);
    expect(key).toMatchObject({
      rule: "merge-gate",
      type: "setCommitStatus",
      target: "fleetdm/fleet#100",
    });
    // No description wording: a reworded description is the same intention.
    expect(key.discriminator.startsWith(`${HEAD}|failure|R9|`)).toBe(true);
    expect(key.discriminator.endsWith("|after:41")).toBe(true);
    expect(key.discriminator).toBe(`${HEAD}|failure|R9|after:41`);
  });

  it("a verdict flipping back gets a new key, so it is written again; an unchanged one keeps its key", () => {
    const failing = decide(freezeConfig, FROZEN, [feature()]).effects[0]!;
    const f = failing.effect as { description: string };
    const approved = decide(freezeConfig, FROZEN, [
      feature({ reviews: MDM_APPROVALS(), gateStatus: status("failure", f.description, 1) }),
    ]).effects[0]!;
    expect((approved.effect as { state: string }).state).toBe("success");
    const back = decide(freezeConfig, FROZEN, [
      feature({
        gateStatus: status("success", (approved.effect as { description: string }).description, 2),
      }),
    ]).effects[0]!;
    expect((back.effect as { state: string }).state).toBe("failure");
    expect(back.key).not.toBe(failing.key);
    // The same facts decided twice before the status is stored: one key, applied once.
    expect(decide(freezeConfig, FROZEN, [feature()]).effects[0]!.key).toBe(failing.key);
  });

  it("a new head commit (a push) gets its own status", () => {
    const effect = decide(freezeConfig, FROZEN, [feature()]).effects[0]!.effect as {
      description: string;
    };
    const pushed = decide(freezeConfig, FROZEN, [feature({ headSha: OLD_HEAD })]);
    expect(pushed.effects).toHaveLength(1);
    expect(pushed.effects[0]!.effect).toMatchObject({
      sha: OLD_HEAD,
      description: effect.description,
    });
  });

  it("waits for the first full sync of a repository", () => {
    const snap = new GateState()
      .repository(REPO, { synced: false, ...TRAIN })
      .pull(feature())
      .input();
    const out = mergeGate.decide(snap, freezeConfig, FROZEN);
    expect(out).toPlan([]);
    expect(out.observations[0]!.message).toContain("not synced yet");
  });

  it("uses the configured status context", () => {
    const config = {
      ...freezeConfig,
      releaseTrain: {
        ...freezeConfig.releaseTrain,
        mergeGate: { ...freezeConfig.releaseTrain.mergeGate, context: "ci/release-gate" },
      },
    };
    expect(decide(config, FROZEN, [feature()]).effects[0]!.effect).toMatchObject({
      context: "ci/release-gate",
    });
  });
});

describe("one status per head commit (ADR 0013)", () => {
  // Release-candidate mode, after the RC cut: main is open for the next minor, while the RC
  // branch takes only approved cherry-picks. One head commit, proposed into both.
  const intoMain = () => feature();
  const intoRc = () => feature({ number: 101, baseRef: RC, headRef: "feature-rc" });

  /** Decides, then stores what was written as the latest status of every PR on that commit. */
  function runs(pulls: PullSnapshot[], times: number) {
    let writes = 0;
    let githubId = 500;
    const written: string[] = [];
    for (let i = 0; i < times; i++) {
      const plan = decide(rcConfig, RC_PERIOD, pulls);
      for (const e of plan.effects) {
        const s = e.effect as { sha: string; state: string; description: string };
        writes += 1;
        written.push(`${s.state} ${s.description}`);
        githubId += 1;
        pulls = pulls.map((p) =>
          p.headSha === s.sha ? { ...p, gateStatus: status(s.state, s.description, githubId) } : p,
        );
      }
    }
    return { writes, written };
  }

  it("R9/R15: the two pull requests' own verdicts differ, which is what made the status flip", () => {
    const each = decide(rcConfig, RC_PERIOD, [intoMain()]).effects[0]!.effect as { state: string };
    const rc = decide(rcConfig, RC_PERIOD, [intoRc()]).effects[0]!.effect as { state: string };
    expect([each.state, rc.state]).toEqual(["success", "failure"]);
  });

  it("R15: two PRs on one head commit get one status: the strictest, naming each PR and base", () => {
    const out = decide(rcConfig, RC_PERIOD, [intoMain(), intoRc()]);
    expect(out.effects).toHaveLength(1);
    const e = out.effects[0]!;
    const effect = e.effect as { state: string; description: string; pull: number };
    expect(effect.state).toBe("failure");
    expect(effect.description.startsWith(`#101 into ${RC}: R15`)).toBe(true);
    expect(effect.pull).toBe(101);
    expect(e.target).toBe("fleetdm/fleet#101");
    // The reason explains both verdicts, each with its pull request and base.
    expect(e.reason).toContain("is the head of 2 open pull requests (#100 into main, #101 into");
    expect(e.reason).toContain("#100 into main: success.");
    expect(e.reason).toContain(`#101 into ${RC}: failure.`);
  });

  it("R15: ten decision runs over two PRs on one head write the status once", () => {
    const { writes, written } = runs([intoMain(), intoRc()], 10);
    expect(writes).toBe(1);
    expect(written[0]).toMatch(/^failure #101 into /);
  });

  it("R15: a real change (the RC PR closed) is one more write, then nothing", () => {
    const first = decide(rcConfig, RC_PERIOD, [intoMain(), intoRc()]).effects[0]!.effect as {
      state: string;
      description: string;
    };
    const stored = status(first.state, first.description, 900);
    const onlyMain = [feature({ gateStatus: stored })];
    const { writes, written } = runs(onlyMain, 10);
    expect(writes).toBe(1);
    expect(written[0]).toMatch(/^success R/);
  });

  it("R15: already as it should be: the combined status is stored, nothing is planned", () => {
    const first = decide(rcConfig, RC_PERIOD, [intoMain(), intoRc()]).effects[0]!.effect as {
      state: string;
      description: string;
    };
    const stored = status(first.state, first.description, 77);
    const again = decide(rcConfig, RC_PERIOD, [
      feature({ gateStatus: stored }),
      feature({ number: 101, baseRef: RC, headRef: "feature-rc", gateStatus: stored }),
    ]);
    expect(again).toPlan([]);
  });
});

describe("merge gate state, built by hand", () => {
  it("R9: already as it should be: the status says it, nothing to write", () => {
    // Feature work, a docs-only change and a bug fix during the freeze, each status current.
    // Each on its own head commit: one commit carries one status (ADR 0013).
    const pulls = [
      feature(),
      pr({ number: 101, files: ["docs/a.md"], headSha: "b".repeat(40) }),
      fixFor(12, UNRELEASED, { number: 102, headSha: "c".repeat(40) }),
    ];
    const first = decide(freezeConfig, FROZEN, pulls);
    expect(first.effects.map((e) => (e.effect as { state: string }).state)).toEqual([
      "failure",
      "success",
      "success",
    ]);
    const stored = pulls.map((p, i) => {
      const e = first.effects[i]!.effect as { state: string; description: string };
      return { ...p, gateStatus: status(e.state, e.description, 50 + i) };
    });
    expect(decide(freezeConfig, FROZEN, stored)).toPlan([]);
  });

  it("refuses a second pull request with the same number in a repository", () => {
    expect(() => new GateState().pull(feature()).pull(pr())).toThrow(
      "fleetdm/fleet#100 already exists",
    );
    expect(() =>
      new GateState().pull(feature()).merged(merged(100, "Part of #40", "2026-11-05T18:00:00Z")),
    ).toThrow("fleetdm/fleet#100 already exists");
    // The same number in another repository is another pull request.
    const two = new GateState()
      .repository(REPO)
      .repository("fleetdm/confidential")
      .pull(feature())
      .pull(feature(), "fleetdm/confidential")
      .input();
    expect(two.repositories.map((r) => r.releaseTrain!.pulls.length)).toEqual([1, 1]);
  });
});

describe("gate status identity", () => {
  it("build then parse gives the parts back", () => {
    const parts = { sha: HEAD, state: "failure" as const, rule: "R11", replaces: "41" };
    expect(gateStatusKey.parse(gateStatusKey.build(parts))).toEqual(parts);
    const first = {
      sha: HEAD.slice(0, 7),
      state: "success" as const,
      rule: "R9",
      replaces: "none",
    };
    expect(gateStatusKey.parse(gateStatusKey.build(first))).toEqual(first);
    // A status GitHub returned without an id is replaced by its time.
    const byTime = { ...parts, replaces: "2026-11-10T17:00:00Z" };
    expect(gateStatusKey.parse(gateStatusKey.build(byTime))).toEqual(byTime);
  });

  it("the key a decision plans parses back to the head, the state, the rule and the status replaced", () => {
    const out = decide(freezeConfig, FROZEN, [
      feature({ gateStatus: status("success", "R9: main is open", 41) }),
    ]);
    const { discriminator } = parseIdempotencyKey(out.effects[0]!.key);
    expect(gateStatusKey.parse(discriminator)).toEqual({
      sha: HEAD,
      state: "failure",
      rule: "R9",
      replaces: "41",
    });
    const fresh = decide(freezeConfig, FROZEN, [fixFor(12, UNRELEASED)]);
    expect(gateStatusKey.parse(parseIdempotencyKey(fresh.effects[0]!.key).discriminator)).toEqual({
      sha: HEAD,
      state: "success",
      rule: "R6",
      replaces: "none",
    });
  });

  it.each([
    ["an empty discriminator", ""],
    ["the old form with the description", `${HEAD}|failure|R9: main is frozen|after:41`],
    ["a sha that is not hex", `${"z".repeat(40)}|failure|R9|after:41`],
    ["a sha too short", "a1b2c3|failure|R9|after:41"],
    ["a state GitHub has but the gate never sets", `${HEAD}|pending|R9|after:41`],
    ["a rule that is not a handbook id", `${HEAD}|failure|merge-gate|after:41`],
    ["no status replaced", `${HEAD}|failure|R9`],
    ["an empty replaced status", `${HEAD}|failure|R9|after:`],
    ["a part too many", `${HEAD}|failure|R9|after:41|x`],
  ])("parse refuses %s", (_name, discriminator) => {
    expect(gateStatusKey.parse(discriminator)).toBeUndefined();
  });
});
