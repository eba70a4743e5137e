// R9/R10: the freeze of main and the docs-only changes that merge through it; the freeze is the
// gate's default verdict.
import { describe, expect, it } from "vitest";
import { exampleConfig } from "../../../../test/support/app.js";
import { pathMatcher } from "../../../handbook/globs.js";
import {
  type Case,
  FREEZE,
  FROZEN,
  feature,
  fixFor,
  freezeMode,
  issue,
  OPEN,
  pr,
  pt,
  RELEASED,
  runCheck,
  UNRELEASED,
  verdictCases,
} from "../builder.js";
import { freeze } from "./freeze.js";

const rcConfig = await exampleConfig();
const freezeConfig = freezeMode(rcConfig);

const CASES: Case[] = [
  // R9: freeze of main from the Tuesday before the release, 09:00 Pacific.
  [
    "R9: feature work into main merges while main is open",
    "freeze",
    OPEN,
    feature,
    {
      state: "success",
      rule: "R9",
      says: "main is open until the freeze Tue 2026-11-10 09:00 PST",
    },
  ],
  [
    "R9: feature work into main fails from Tuesday 09:00 Pacific",
    "freeze",
    FREEZE,
    feature,
    {
      state: "failure",
      rule: "R9",
      says: "main is frozen for 4.62.0 until Mon 2026-11-16 09:00 PST",
    },
  ],
  [
    "R9: one minute before the freeze main is still open",
    "freeze",
    FREEZE.subtract({ minutes: 1 }),
    feature,
    { state: "success", rule: "R9" },
  ],
  [
    "R9: a fix for an unreleased bug is exempt from the freeze",
    "freeze",
    FROZEN,
    () => fixFor(12, UNRELEASED),
    { state: "success", rule: "R6", says: "exempt from the freeze" },
  ],
  [
    "R9: a fix for a released bug is exempt from the freeze",
    "freeze",
    FROZEN,
    () => fixFor(12, RELEASED),
    { state: "success", rule: "R7" },
  ],
  [
    "R9: a PR labelled bug itself, referencing its issue, is a bug fix",
    "freeze",
    FROZEN,
    () => pr({ body: "For #12", labels: ["bug"], linkedIssues: [issue(12, [])] }),
    { state: "success", rule: "R6" },
  ],
  [
    "R9: main opens again at the release",
    "freeze",
    pt("2026-11-16T09:00"),
    feature,
    { state: "success", rule: "R9", says: "open until the freeze Tue 2026-12-01 09:00 PST" },
  ],
  [
    "R9: the freeze's failure names the missing R13 approvals",
    "freeze",
    FROZEN,
    feature,
    { state: "failure", rule: "R9", says: "R13 needs @georgekarrv @AndreyKizimenko @lukeheath" },
  ],
  [
    "R9: changed files not synced yet: feature work is not taken for docs",
    "freeze",
    FROZEN,
    () => feature({ files: null }),
    { state: "failure", rule: "R9" },
  ],
  // R10: docs-only changes merge during the freeze.
  [
    "R10: a docs-only PR merges during the freeze",
    "freeze",
    FROZEN,
    () => pr({ files: ["docs/Using Fleet/hosts.md", "README.md"] }),
    { state: "success", rule: "R10", says: "docs-only change (2 files)" },
  ],
  [
    "R10: website changes count as docs (default docsPaths)",
    "freeze",
    FROZEN,
    () => pr({ files: ["website/views/pages/homepage.ejs"] }),
    { state: "success", rule: "R10" },
  ],
  [
    "R10: docs plus code is not docs-only",
    "freeze",
    FROZEN,
    () => pr({ files: ["docs/a.md", "server/a.go"] }),
    { state: "failure", rule: "R9" },
  ],
  [
    "R10: a file moved out of docs/ is not a docs change",
    "freeze",
    FROZEN,
    () => pr({ files: ["docs/a.md", "\u0000more files"] }),
    { state: "failure", rule: "R9" },
  ],
  [
    "R10: no changed files at all is not docs-only",
    "freeze",
    FROZEN,
    () => pr({ files: [] }),
    { state: "failure", rule: "R9" },
  ],
];

describe("merge gate verdicts", () => {
  verdictCases(CASES, { freeze: freezeConfig, rc: rcConfig });
});

describe("building blocks", () => {
  it("R10: docs globs: ** spans folders, a bare pattern matches at any depth", () => {
    const docs = pathMatcher(["docs/**", "*.md"]);
    expect(docs("docs/a/b/c.png")).toBe(true);
    expect(docs("README.md")).toBe(true);
    expect(docs("server/notes.md")).toBe(true);
    expect(docs("server/main.go")).toBe(false);
    expect(docs("documentation/x.go")).toBe(false);
  });
});

describe("freeze, the default verdict, alone", () => {
  it("R9: decides: feature work into frozen main waits, naming the R13 approvals it needs", () => {
    const v = runCheck(freeze, freezeConfig, FROZEN, feature());
    expect(v).toMatchObject({ state: "failure", rule: "R9" });
    expect(v!.description).toContain("R13 needs @georgekarrv @AndreyKizimenko @lukeheath");
  });

  it("R9: decides on whatever reaches it (it never passes): checks before it let the rest through", () => {
    const v = runCheck(freeze, freezeConfig, FROZEN, feature({ files: null }));
    expect(v).toMatchObject({ state: "failure", rule: "R9" });
    expect(v!.reason).toContain("(changed files not synced yet)");
  });
});
