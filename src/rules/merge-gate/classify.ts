// What a pull request is, for the merge gate: a bug fix (unreleased, released, release
// blocker), a docs-only or non-code change or feature work, from its linked issues' labels (each
// label under its canonical name or an alias, `labels.aliases`), its own labels and its changed
// files; with the evidence the classification rests on.
import { pathMatcher } from "../../handbook/globs.js";
import { type BugRelease, bugRelease, carriedName, labelNames } from "../../handbook/labels.js";
import type { HandbookConfig, LabelSetting } from "../../handbook/schema.js";
import type { LinkedIssueSnapshot, PullSnapshot } from "../release-train/snapshot.js";
import { sameRepo } from "./references.js";

/** What a pull request is, from its linked issues' labels, its own labels and its files. */
export interface Classification {
  bug: boolean;
  /** Carries the unreleased label (see {@link release} for what the bug is). */
  unreleased: boolean;
  /** Carries the released label. */
  released: boolean;
  /** R6/R7: what the bug is; with both labels, released (handbook/labels.ts `bugRelease`). */
  release: BugRelease | undefined;
  blocker: boolean;
  docsOnly: boolean;
  /** R10: every changed file matches `releaseTrain.mergeGate.nonCodePaths` (and not all docs). */
  nonCodeOnly: boolean;
  /** Linked issues that are issues (not pull requests), as the store knows them. */
  issues: LinkedIssueSnapshot[];
  /** "#12 (~unreleased bug)" or "the PR's labels": what the classification rests on. */
  evidence: string;
}

export const lower = (s: string) => s.toLowerCase();

export function classify(pull: PullSnapshot, config: HandbookConfig): Classification {
  const issues = pull.linkedIssues.filter((i) => i.isIssue);
  const sources = [{ what: "the PR", labels: pull.labels }].concat(
    issues.map((i) => ({ what: issueName(i), labels: i.labels })),
  );
  /** The sources carrying the setting's label, with the spelling each carries it in. */
  const carrying = (...keys: LabelSetting[]) => {
    const names = keys.flatMap((k) => labelNames(config.labels, k));
    return sources.flatMap((s) => {
      const label = carriedName(names, s.labels);
      return label === undefined ? [] : [{ what: s.what, label }];
    });
  };
  const unreleased = carrying("unreleasedBug");
  const released = carrying("releasedBug");
  const blocker = carrying("releaseBlocker");
  const bug = carrying("bug", "unreleasedBug", "releasedBug", "releaseBlocker");
  const release = bugRelease({ released: released.length > 0, unreleased: unreleased.length > 0 });
  const files = pull.files !== null && pull.files.length > 0 ? pull.files : [];
  const docs = pathMatcher(config.releaseTrain.mergeGate.docsPaths);
  const nonCode = pathMatcher(config.releaseTrain.mergeGate.nonCodePaths);
  const docsOnly = files.length > 0 && files.every(docs);
  const nonCodeOnly = files.length > 0 && !docsOnly && files.every((f) => docs(f) || nonCode(f));
  // "#12, the PR (~unreleased bug)": the sources, grouped by the spelling they carry.
  const labelled = (list: typeof bug) => {
    const by = new Map<string, string[]>();
    for (const s of list) by.set(s.label, [...(by.get(s.label) ?? []), s.what]);
    return [...by].map(([label, whats]) => `${whats.join(", ")} (${label})`).join(", ");
  };
  const evidence =
    release === "released" && unreleased.length > 0
      ? `${labelled(released)}, also ${labelled(unreleased)}: a bug in a released version is a released bug`
      : labelled(unreleased) ||
        labelled(released) ||
        labelled(blocker) ||
        labelled(bug) ||
        (docsOnly
          ? `${files.length} changed file(s), all docs`
          : nonCodeOnly
            ? `${files.length} changed file(s), docs and releaseTrain.mergeGate.nonCodePaths only`
            : "no bug label");
  return {
    bug: bug.length > 0,
    unreleased: unreleased.length > 0,
    released: released.length > 0,
    release,
    blocker: blocker.length > 0,
    docsOnly,
    nonCodeOnly,
    issues,
    evidence,
  };
}

/** "#12", or "owner/name#12" when `repo` is given and the issue lives elsewhere. */
export function issueName(i: { repo: string; number: number }, repo?: string) {
  return repo === undefined || sameRepo(i.repo, repo) ? `#${i.number}` : `${i.repo}#${i.number}`;
}
