// R8: a bug-fix PR references its issue and uses no auto-closing keyword.
import { describe, expect, it } from "vitest";
import { exampleConfig } from "../../../../test/support/app.js";
import {
  type Case,
  commits,
  decide,
  fixFor,
  freezeMode,
  HEAD,
  OPEN,
  pr,
  RELEASED,
  REPO,
  runCheck,
  TAG_SHA,
  UNRELEASED,
  verdictCases,
  verdictOf,
} from "../builder.js";
import { CLOSING_KEYWORDS, closingReferences, issueReferences } from "../references.js";
import { references } from "./references.js";

const rcConfig = await exampleConfig();
const freezeConfig = freezeMode(rcConfig);

const CASES: Case[] = [
  // R8: the PR body references its issue, without auto-closing keywords.
  [
    "R8: a bug fix referencing its issue with 'For #12' passes",
    "rc",
    OPEN,
    () => fixFor(12, UNRELEASED),
    { state: "success", rule: "R6" },
  ],
  [
    "R8: a bug fix using 'Fixes #12' fails",
    "rc",
    OPEN,
    () => fixFor(12, UNRELEASED, { body: "Fixes #12" }),
    {
      state: "failure",
      rule: "R8",
      says: 'remove the auto-closing keyword in "Fixes #12"; write "For #12"',
    },
  ],
  [
    "R8: a PR labelled bug that references no issue fails",
    "rc",
    OPEN,
    () => pr({ labels: ["bug"], body: "A fix." }),
    { state: "failure", rule: "R8", says: "references its issue (#N)" },
  ],
  [
    "R8: a bug fix referencing only a pull request fails",
    "rc",
    OPEN,
    () =>
      pr({
        labels: ["bug"],
        body: "After #99",
        linkedIssues: [{ repo: REPO, number: 99, isIssue: false, known: true, labels: [] }],
      }),
    { state: "failure", rule: "R8", says: "not a known issue" },
  ],
  [
    "R8: a keyword inside a code block is not read by GitHub",
    "rc",
    OPEN,
    () => fixFor(12, UNRELEASED, { body: "For #12\n```\nfixes #12\n```" }),
    { state: "success", rule: "R6" },
  ],
  [
    "R8: a keyword in a leftover template comment is not read by GitHub",
    "rc",
    OPEN,
    () => fixFor(12, UNRELEASED, { body: "For #12 <!-- Fixes #... -->" }),
    { state: "success", rule: "R6" },
  ],
];

describe("merge gate verdicts", () => {
  verdictCases(CASES, { freeze: freezeConfig, rc: rcConfig });
});

describe("R8: auto-closing keywords", () => {
  const forms = (n: number) => [
    `#${n}`,
    `fleetdm/fleet#${n}`,
    `https://github.com/fleetdm/fleet/issues/${n}`,
  ];
  const cases = CLOSING_KEYWORDS.flatMap((k) =>
    forms(12).flatMap((ref) => [
      `${k} ${ref}`,
      `${k.toUpperCase()} ${ref}`,
      `${k[0]!.toUpperCase()}${k.slice(1)}: ${ref}`,
    ]),
  );

  it.each(cases)("R8: %s is an auto-closing reference", (text) => {
    const found = closingReferences(`Some change.\n\n${text}\n`, REPO);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ repo: REPO, number: 12 });
    const v = verdictOf(rcConfig, OPEN, fixFor(12, UNRELEASED, { body: text }));
    expect(v).toMatchObject({ state: "failure", rule: "R8" });
  });

  it.each([
    "For #12",
    "Related to #12",
    "hotfixes #12", // not the keyword "fixes"
    "fixes nothing in #12", // the keyword must stand right before the reference
    "`fixes #12`",
    "<!-- closes #12 -->",
    "Prefixed #12",
  ])("R8: %s is a reference without a closing keyword", (text) => {
    expect(closingReferences(text, REPO)).toEqual([]);
  });

  it("R8: reads #N, owner/repo#N and issue URLs as references to the right repository", () => {
    const refs = issueReferences(
      "For #12, fleetdm/confidential#7 and https://github.com/fleetdm/fleet/issues/13 (not a&#39;s #x or docs#1)",
      REPO,
    );
    expect(refs.map((r) => `${r.repo}#${r.number}`)).toEqual([
      "fleetdm/fleet#12",
      "fleetdm/confidential#7",
      "fleetdm/fleet#13",
    ]);
  });
});

describe("references check, alone", () => {
  it("R8: decides: a bug fix that would close its issue on merge fails", () => {
    const v = runCheck(references, rcConfig, OPEN, fixFor(12, UNRELEASED, { body: "Fixes #12" }));
    expect(v).toMatchObject({ state: "failure", rule: "R8" });
  });

  it("R8: passes on: a bug fix written 'For #12'", () => {
    expect(runCheck(references, rcConfig, OPEN, fixFor(12, UNRELEASED))).toBeUndefined();
  });
});

describe("R8: closing keywords in commit messages", () => {
  const FIRST = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

  it("R8: a fix whose description says 'For #271' but whose commit says 'Fixes #271' fails, naming the commit", () => {
    const pull = fixFor(271, UNRELEASED, {
      commits: commits(TAG_SHA, [FIRST, "Add the guard"], [HEAD, "Fixes #271: null host"]),
    });
    const v = verdictOf(rcConfig, OPEN, pull);
    expect(v).toMatchObject({ state: "failure", rule: "R8" });
    expect(v.description).toBe(
      'R8: commit a1b2c3d says "Fixes #271": reword it to "For #271" so the issue stays open',
    );
    expect(v.reason).toContain('the message of commit a1b2c3d ("Fixes #271: null host")');
    expect(v.reason).toContain("when that commit lands on the default branch");
    expect(v.reason).toContain("git rebase -i a1b2c3d^");
    expect(v.reason).toContain("squash merge with an edited message");
  });

  it("R8: every form GitHub reads counts in a commit message, and each offending commit is named", () => {
    const pull = fixFor(12, RELEASED, {
      commits: commits(
        TAG_SHA,
        [FIRST, "Guard nil hosts\n\nresolves fleetdm/fleet#12"],
        [HEAD, "Closes https://github.com/fleetdm/fleet/issues/12"],
      ),
    });
    const v = verdictOf(freezeConfig, OPEN, pull);
    expect(v.description).toContain('commit 1111111 says "resolves fleetdm/fleet#12"');
    expect(v.description).toContain('"For fleetdm/fleet#12"');
    expect(v.reason).toContain("(and 1 more commit: a1b2c3d)");
  });

  it("R8: the description's keyword is reported first", () => {
    const pull = fixFor(12, UNRELEASED, {
      body: "Fixes #12",
      commits: commits(TAG_SHA, [HEAD, "fixes #12"]),
    });
    expect(verdictOf(rcConfig, OPEN, pull).description).toContain(
      'remove the auto-closing keyword in "Fixes #12"',
    );
  });

  it("R8: until the commits are read at the current head, the gate waits and says so", () => {
    const v = verdictOf(rcConfig, OPEN, fixFor(12, UNRELEASED, { commits: null }));
    expect(v).toMatchObject({ state: "failure", rule: "R8" });
    expect(v.description).toBe(
      "R8: waiting to read the commit messages at a1b2c3d: a closing keyword there would close #12 on merge",
    );
    expect(v.reason).toContain("are not read yet");
    expect(v.reason).not.toMatch(/no closing keyword in (the )?commit/);
  });

  it("R8: feature work is not asked for its commits", () => {
    const v = verdictOf(
      rcConfig,
      OPEN,
      pr({ body: "Part of #40", commits: commits(TAG_SHA, [HEAD, "Fixes #40"]) }),
    );
    expect(v.rule).not.toBe("R8");
  });

  it("R8: more commits than GitHub lists: the rest is named as unchecked, beside the verdict", () => {
    const pull = fixFor(12, UNRELEASED, {
      commits: { ...commits(TAG_SHA, [HEAD, "Guard nil hosts"]), complete: false },
    });
    const out = decide(rcConfig, OPEN, [pull]);
    expect(out.observations.map((o) => o.message)).toContain(
      "R8: only the first 1 commits were checked for closing keywords (GitHub lists no more of a pull request)",
    );
    expect(out.effects[0]!.effect).toMatchObject({ state: "success" });
  });

  it("R8: already as it should be: clean commit messages pass on to the next check", () => {
    const pull = fixFor(12, UNRELEASED, {
      commits: commits(TAG_SHA, [FIRST, "Guard nil hosts"], [HEAD, "For #12: test it"]),
    });
    expect(runCheck(references, rcConfig, OPEN, pull)).toBeUndefined();
  });
});
