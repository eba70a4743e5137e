// What a pull request is, for the merge gate: a bug fix (unreleased, released, release
// blocker), a docs-only change or feature work, from its linked issues' labels, its own labels
// and its changed files; with the evidence the classification rests on.
import { pathMatcher } from "../../handbook/globs.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import type { LinkedIssueSnapshot, PullSnapshot } from "../release-train/snapshot.js";
import { sameRepo } from "./references.js";

/** What a pull request is, from its linked issues' labels, its own labels and its files. */
export interface Classification {
  bug: boolean;
  unreleased: boolean;
  released: boolean;
  blocker: boolean;
  docsOnly: boolean;
  /** Linked issues that are issues (not pull requests), as the store knows them. */
  issues: LinkedIssueSnapshot[];
  /** "#12 (~unreleased bug)" or "the PR's labels": what the classification rests on. */
  evidence: string;
}

export const lower = (s: string) => s.toLowerCase();

export function classify(pull: PullSnapshot, config: HandbookConfig): Classification {
  const l = config.labels;
  const has = (labels: readonly string[], name: string) =>
    labels.some((x) => lower(x) === lower(name));
  const issues = pull.linkedIssues.filter((i) => i.isIssue);
  const sources = [{ what: "the PR", labels: pull.labels }].concat(
    issues.map((i) => ({ what: issueName(i), labels: i.labels })),
  );
  const unreleased = sources.filter((s) => has(s.labels, l.unreleasedBug));
  const released = sources.filter((s) => has(s.labels, l.releasedBug));
  const blocker = sources.filter((s) => has(s.labels, l.releaseBlocker));
  const bug = sources.filter(
    (s) =>
      has(s.labels, l.bug) ||
      has(s.labels, l.unreleasedBug) ||
      has(s.labels, l.releasedBug) ||
      has(s.labels, l.releaseBlocker),
  );
  const docs = pathMatcher(config.releaseTrain.mergeGate.docsPaths);
  const docsOnly = pull.files !== null && pull.files.length > 0 && pull.files.every(docs);
  const labelled = (list: typeof sources, label: string) =>
    list.length ? `${list.map((s) => s.what).join(", ")} (${label})` : "";
  const evidence =
    labelled(unreleased, l.unreleasedBug) ||
    labelled(released, l.releasedBug) ||
    labelled(blocker, l.releaseBlocker) ||
    labelled(bug, l.bug) ||
    (docsOnly ? `${pull.files?.length} changed file(s), all docs` : "no bug label");
  return {
    bug: bug.length > 0,
    unreleased: unreleased.length > 0,
    released: released.length > 0,
    blocker: blocker.length > 0,
    docsOnly,
    issues,
    evidence,
  };
}

/** "#12", or "owner/name#12" when `repo` is given and the issue lives elsewhere. */
export function issueName(i: { repo: string; number: number }, repo?: string) {
  return repo === undefined || sameRepo(i.repo, repo) ? `#${i.number}` : `${i.repo}#${i.number}`;
}
