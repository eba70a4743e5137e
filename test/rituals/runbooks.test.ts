import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { repairMojibake } from "../../src/handbook/mojibake.js";
import {
  findRunbook,
  importRunbooks,
  type Runbook,
  runbookChecklist,
} from "../../src/handbook/runbooks.js";

const SEEDS = "/work/shared/seeds";
const OLD = `${SEEDS}/000_0ad9ef0aab98fde9.txt`;
const NEW = `${SEEDS}/001_21eed65a697d884f.txt`;
const available = existsSync(OLD) && existsSync(NEW);

// The numbered steps of every "###" procedure that has them, counted by hand from each page.
const OLD_NUMBERED: Record<string, number> = {
  "merge-a-pull-request-during-the-freeze-period": 3,
  "confirm-latest-versions-of-dependencies": 5,
  "deploy-a-new-release-to-dogfood": 5,
  "conclude-current-milestone": 12, // numbered 1-6 and 8-13: the page skips 7
  "edit-a-dns-record": 3,
  "notify-stakeholders-when-a-user-story-is-pushed-to-the-next-release": 4,
  "accept-new-apple-developer-account-terms": 5,
  "interview-a-developer-candidate": 7,
  "renew-mdm-certificate-signing-request-csr": 11,
};
const NEW_NUMBERED: Record<string, number> = {
  "write-a-feature-guide": 3,
  "create-an-engineering-initiated-story": 5,
  "draft-an-engineering-initiated-story": 2,
  "merge-unreleased-bug-fixes-into-the-release-candidate": 4,
  "request-release-candidate-feature-merge-exception": 3,
  "confirm-latest-versions-of-dependencies": 5,
  "deploy-a-new-release-to-dogfood": 5,
  "conclude-current-milestone": 7,
  "handle-process-exceptions-for-non-released-code": 3,
  "notify-stakeholders-when-a-user-story-is-pushed-to-the-next-release": 4,
  "interview-a-developer-candidate": 7, // numbered 1, 2, 2, 3, 5, 6, 7
  "perform-an-incident-postmortem": 4,
  "provide-same-day-support-for-major-version-macos-releases": 6,
  "create-and-use-architectural-decision-records-adrs": 7, // two lists: 5 + 2
  "edit-a-dns-record": 3,
  "accept-new-apple-developer-account-terms": 5,
  "renew-mdm-certificate-signing-request-csr": 11,
  "qa-a-change-to-fleetdmcom": 3,
  "test-fleetdmcom-locally": 4,
  "change-the-integrations-admin-salesforce-account-password": 4,
  "re-run-the-deploy-fleet-website-action": 3,
};

/** An independent count, for the test only: lines starting "N. " under the procedure's heading. */
function numberedLinesInSource(page: string, title: string): number {
  const lines = page.split("\n");
  const start = lines.findIndex((l) => l.startsWith("### ") && l.slice(4).trim() === title);
  let n = 0;
  for (let i = start + 1; i < lines.length && !/^#{1,3} /.test(lines[i]!); i++) {
    if (/^\d+\. /.test(lines[i]!)) n += 1;
  }
  return n;
}

const numberedOf = (runbooks: Runbook[]) =>
  Object.fromEntries(
    runbooks.filter((r) => r.kind === "numbered").map((r) => [r.anchor, r.steps.length]),
  );

describe.runIf(available)("R48: runbooks from the handbook's seed pages", () => {
  for (const [file, expected] of [
    [OLD, OLD_NUMBERED],
    [NEW, NEW_NUMBERED],
  ] as const) {
    it(`R48: every "###" procedure with numbered steps of ${file.split("/").at(-1)} becomes a runbook with the page's step count`, () => {
      const page = readFileSync(file, "utf8");
      const { runbooks } = importRunbooks(page, file);
      expect(numberedOf(runbooks)).toEqual(expected);
      const repaired = repairMojibake(page).text;
      for (const r of runbooks.filter((x) => x.kind === "numbered")) {
        expect(numberedLinesInSource(repaired, r.title), r.anchor).toBe(r.steps.length);
      }
      // Every "###" heading outside HTML comments is a runbook; anchors are unique.
      const headings = runbooks.map((r) => r.anchor);
      expect(new Set(headings).size).toBe(headings.length);
    });
  }

  it("R48: steps are a task list with links, code and nested lists kept", () => {
    const { runbooks } = importRunbooks(readFileSync(NEW, "utf8"), "engineering.md");
    const csr = findRunbook(runbooks, "renew-mdm-certificate-signing-request-csr")!;
    const checklist = runbookChecklist(csr);
    const lines = checklist.split("\n");
    expect(lines[0]).toBe(
      "- [ ] Visit the [Apple developer account login page](https://developer.apple.com/account).",
    );
    expect(lines.filter((l) => l.startsWith("- [ ] "))).toHaveLength(11);
    // "8. Update the Config vars" is followed by an unindented bullet list: its sub-steps.
    expect(csr.steps[7]!.children.map((c) => c.text)).toEqual([
      "Update `sails_custom__mdmVendorCertPem` with the results from step 7 `server.crt.pem`",
      "Update `sails_custom__mdmVendorKeyPassphrase` with the passphrase used in step 4",
      "Update `sails_custom__mdmVendorKeyPem` with `VendorPrivateKey.key` from step 4",
    ]);
    expect(checklist).toContain(
      "  - [ ] Update `sails_custom__mdmVendorCertPem` with the results from step 7 `server.crt.pem`",
    );
    const adr = findRunbook(runbooks, "create-and-use-architectural-decision-records-adrs")!;
    expect(adr.steps[1]!.children).toHaveLength(2);
    expect(adr.steps.map((s) => s.group)).toEqual([
      ...Array(5).fill("**How to create an ADR:**"),
      ...Array(2).fill(
        "**Updating existing ADRs:** If a decision is superseded by a new decision:",
      ),
    ]);
    const deps = findRunbook(runbooks, "confirm-latest-versions-of-dependencies")!;
    expect(deps.steps.map((s) => s.children.length)).toEqual([4, 4, 5, 2, 2]);
    expect(deps.steps[0]!.notes[0]).toMatch(/^> In Go versioning/);
  });

  it("R48: a procedure in an HTML comment is not imported; tables and comments do not leak into steps", () => {
    const result = importRunbooks(readFileSync(NEW, "utf8"), "engineering.md");
    expect(result.commentedOut).toBe(1);
    expect(findRunbook(result.runbooks, "generate-a-new-landing-page")).toBeUndefined();
    const old = importRunbooks(readFileSync(OLD, "utf8"), "engineering.md");
    const postmortem = findRunbook(old.runbooks, "perform-an-incident-postmortem")!;
    expect(postmortem.kind).toBe("bulleted");
    expect(JSON.stringify(postmortem)).not.toContain("TODO: move philosophy");
    expect(JSON.stringify(old.runbooks)).not.toContain("| Role");
  });

  it("R48: mis-encoded characters are repaired, consistently on both pages", () => {
    const old = importRunbooks(readFileSync(OLD, "utf8"), "a.md");
    const neu = importRunbooks(readFileSync(NEW, "utf8"), "b.md");
    expect(old.repaired).toBeGreaterThan(0);
    expect(neu.repaired).toBeGreaterThan(0);
    const all = JSON.stringify([...old.runbooks, ...neu.runbooks]);
    for (const broken of ["Â", "â€", "ðŸ", "ğŸ", "â„¢"]) expect(all).not.toContain(broken);
    expect(JSON.stringify(findRunbook(neu.runbooks, "fix-flaky-go-tests"))).toContain(
      "RandoKiller™",
    );
    const salesforce = findRunbook(
      neu.runbooks,
      "change-the-integrations-admin-salesforce-account-password",
    )!;
    expect(salesforce.steps[2]!.text).toContain(
      "profile picture » `Settings` » `Reset my security token`",
    );
  });

  it("finds a runbook by GitHub's anchor, fleetdm.com's anchor or a handbook URL", () => {
    const { runbooks } = importRunbooks(readFileSync(NEW, "utf8"), "engineering.md");
    const browser = findRunbook(
      runbooks,
      "https://fleetdm.com/handbook/engineering#check-browser-compatibility-for-fleetdm-com",
    );
    expect(browser?.anchor).toBe("check-browser-compatibility-for-fleetdmcom");
    expect(findRunbook(runbooks, "#edit-a-dns-record")?.steps).toHaveLength(3);
    expect(findRunbook(runbooks, "no-such-procedure")).toBeUndefined();
  });
});

describe("mojibake repair", () => {
  it("repairs Windows-1252 and Windows-1254 mojibake and leaves real accents alone", () => {
    expect(repairMojibake("The ðŸš€ Engineering").text).toBe("The 🚀 Engineering");
    expect(repairMojibake("The ğŸš€ Engineering").text).toBe("The 🚀 Engineering");
    expect(repairMojibake("See [ğŸ›©ï¸ Product groups]").text).toBe("See [🛩\uFE0F Product groups]");
    expect(repairMojibake("RandoKillerâ„¢").text).toBe("RandoKiller™");
    expect(repairMojibake("Role \u00c2\u00a0\u00c2\u00a0|")).toEqual({
      text: "Role \u00a0\u00a0|",
      repaired: 2,
    });
    expect(repairMojibake("café, naïve, Zürich")).toEqual({
      text: "café, naïve, Zürich",
      repaired: 0,
    });
  });
});
