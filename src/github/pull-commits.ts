// What the merge gate reads of an open pull request's commits, once per head commit (as its
// files, pull-files.ts): the commits with their messages (R8: a closing keyword in a commit
// message closes the issue when the commit lands on the default branch), and the head compared
// with the latest release tag (R7: a released-bug fix branches off that tag). A push (new head
// sha) makes the next run read both again; a newer release tag, the comparison.
import { formatPattern, parsePattern } from "../handbook/patterns.js";
import type { HandbookConfig } from "../handbook/schema.js";
import type { PullCommit, Store } from "../store/index.js";
import { versionState } from "../time/release.js";
import type { GitHubClient } from "./client.js";
import { compareCommits } from "./compare.js";
import { storeEtags } from "./etags.js";
import { pages } from "./pages.js";

/** GitHub lists at most 250 commits of a pull request. */
const GITHUB_COMMIT_LIMIT = 250;
/** How many commits of tag..head a comparison lists (one page): a fix has few. */
const COMPARE_COMMITS = 100;

export interface PullCommitsReport {
  repo: string;
  /** Pull requests whose commits were read, and whose head was compared with the tag. */
  pulls: number;
  compared: number;
  /** The release tag compared with; undefined when the repository has none. */
  tag?: string;
  requests: number;
  /** Comparisons GitHub could not give (not 404): tried again on the next run. */
  failed: string[];
}

/**
 * The latest release tag among `tags` (`releaseTrain.tag`, pre-releases aside), as the merge
 * gate's versions name it; undefined when none matches.
 */
export function latestReleaseTag(
  train: HandbookConfig["releaseTrain"],
  tags: readonly string[],
): string | undefined {
  const v = versionState(train, { tags, milestones: [], branches: [] }, parsePattern);
  return v.latestRelease ? formatPattern(train.tag, v.latestRelease) : undefined;
}

/**
 * Reads `GET /repos/{o}/{r}/pulls/{n}/commits` (up to 250) for every open pull request of `repo`
 * whose commits are not stored for its head, then compares the head of every open pull request
 * into main that is not compared with the latest release tag yet (`GET
 * /repos/{o}/{r}/compare/{tag}...{head}`, one page of commits). At most `limit` pull requests
 * of each per call; the rest are read on the next run.
 */
export async function syncPullCommits(
  /** `signal`: aborted (shutdown), no further request is made. */
  deps: { client: GitHubClient; store: Store; signal?: AbortSignal },
  repo: string,
  train: HandbookConfig["releaseTrain"],
  /** `only`: just these pull requests (a webhook's), however many others are due. */
  options: { limit?: number; only?: readonly number[] } = {},
): Promise<PullCommitsReport> {
  const [owner, name] = repo.split("/");
  if (!owner || !name) throw new Error(`not a repository full name: ${JSON.stringify(repo)}`);
  const report: PullCommitsReport = { repo, pulls: 0, compared: 0, requests: 0, failed: [] };
  const limit = options.only ? 100_000 : (options.limit ?? 200);
  const wanted = (p: { number: number }) => !options.only || options.only.includes(p.number);

  for (const { number, headSha } of (await deps.store.pullsNeedingCommits(repo, limit)).filter(
    wanted,
  )) {
    const commits: PullCommit[] = [];
    let unchanged = false;
    for await (const page of pages<{
      sha: string;
      commit: { message: string };
      parents: { sha: string }[];
    }>(
      deps.client,
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits",
      { owner, repo: name, pull_number: number },
      deps.signal,
    )) {
      report.requests += 1;
      if (page.notModified) {
        unchanged = page.page === 1;
        break;
      }
      for (const c of page.items) {
        commits.push({
          sha: c.sha,
          message: c.commit.message,
          parents: c.parents.map((p) => p.sha),
        });
      }
    }
    if (unchanged) {
      // 304: the list is the one read before; it now stands for the new head as well.
      const [stored] = await deps.store.listPullCommits(repo, [number]);
      if (!stored) continue;
      await deps.store.putPullCommits({ ...stored, headSha });
    } else {
      await deps.store.putPullCommits({
        repo,
        number,
        headSha,
        commits,
        // GitHub's cap, or a 304 on a later page, leaves the list short of the head: say so.
        complete:
          commits.length < GITHUB_COMMIT_LIMIT &&
          (commits.length === 0 || commits.some((c) => c.sha === headSha)),
      });
    }
    report.pulls += 1;
  }

  const tag = latestReleaseTag(
    train,
    (await deps.store.listTags(repo)).map((t) => t.name),
  );
  if (!tag) return report;
  report.tag = tag;
  const due = (
    await deps.store.pullsNeedingReleaseCompare(repo, tag, train.branches.main, limit)
  ).filter(wanted);
  const etags = storeEtags(deps.store);
  for (const { number, headSha } of due) {
    deps.signal?.throwIfAborted();
    const cmp = await compareCommits(deps.client, repo, tag, headSha, {
      commits: COMPARE_COMMITS,
      etags,
    });
    report.requests += 1;
    if (cmp.status === "unknown" && !cmp.notFound) {
      report.failed.push(`#${number}: ${cmp.reason}`);
      continue;
    }
    await deps.store.putPullReleaseCompare(
      cmp.status === "unknown"
        ? {
            repo,
            number,
            headSha,
            tag,
            tagSha: null,
            status: "unrelated",
            aheadBy: 0,
            behindBy: 0,
            mergeBaseSha: null,
            commits: [],
          }
        : {
            repo,
            number,
            headSha,
            tag,
            tagSha: cmp.baseSha,
            status: cmp.status,
            aheadBy: cmp.aheadBy,
            behindBy: cmp.behindBy,
            mergeBaseSha: cmp.mergeBaseSha,
            commits: cmp.commits,
          },
    );
    report.compared += 1;
  }
  return report;
}
