// GitHub's compare API as the deploy guard's commit placement (R28): where one commit stands
// relative to another, `GET /repos/{owner}/{repo}/compare/{base}...{head}`.
import type { CommitPlacement, CommitStatus } from "../rules/deploy-guard/index.js";
import type { CommitPlacer } from "../rules/deploy-guard/load.js";
import type { EtagCache, GitHubClient } from "./client.js";

const STATUSES = new Set<string>(["ahead", "behind", "identical", "diverged"]);
/** Comparisons remembered for the 304s of a client with conditional requests. */
const REMEMBERED = 1000;

/**
 * Places `head` relative to `base` with the client; an answer GitHub cannot give is "unknown",
 * with the reason. Comparisons are remembered for the 304s of a client with conditional
 * requests (see {@link compareCommits}).
 */
export function githubCommitPlacer(client: GitHubClient, etags?: EtagCache): CommitPlacer {
  const memo = new Map<string, Comparison>();
  return {
    async placeCommit(repo, base, head): Promise<CommitPlacement> {
      const c = await compareCommits(client, repo, base, head, { etags, memo });
      return c.status === "unknown"
        ? { status: "unknown", reason: c.reason }
        : { status: c.status };
    },
  };
}

/** The client's conditional requests turn a 304 into a response without data. */
function notModified(res: { status: number; data?: unknown }): boolean {
  return res.status === 304 || res.data === undefined;
}

function failure(err: unknown, repo: string, base: string, head: string): string {
  const status = (err as { status?: number }).status;
  const message = (err as Error).message ?? String(err);
  if (status === 404) {
    return `GitHub's compare API answered 404 in ${repo}: it knows no commit ${base} or ${head} there, or they share no history`;
  }
  if (status === undefined) return `GitHub could not be reached (${message})`;
  return `GitHub's compare API answered ${status} in ${repo} (${message})`;
}

/** Two commits as GitHub's compare API relates them. */
export interface Comparison {
  status: CommitStatus;
  /** How many commits are in base..head and in head..base. */
  aheadBy: number;
  behindBy: number;
  /** The commit `base` names (`base_commit.sha`) and the merge base (`merge_base_commit.sha`). */
  baseSha: string;
  mergeBaseSha: string;
  /** Shas of base..head as GitHub lists them, oldest first: at most the `commits` asked for. */
  commits: string[];
}

/** Why GitHub gave no comparison; `notFound`: it knows neither commit, or they share no history. */
export interface CompareFailure {
  status: "unknown";
  reason: string;
  notFound: boolean;
}

/**
 * Compares `base...head` in `repo` (`owner/name`), with the merge base and, when asked, the
 * first `commits` (at most 100, one page) of base..head. A 304 (a client with conditional
 * requests that compared these before) carries no body: the answer is taken from `memo` when it
 * holds it (comparisons this process made), else with `etags` the stored validator is dropped
 * (a restart forgot the body) and GitHub asked again, else the answer is a failure that says so.
 */
export async function compareCommits(
  client: GitHubClient,
  repo: string,
  base: string,
  head: string,
  options: { commits?: number; etags?: EtagCache; memo?: Map<string, Comparison> } = {},
): Promise<Comparison | CompareFailure> {
  const [owner, name] = repo.split("/");
  if (!owner || !name) {
    return { status: "unknown", reason: `${repo} is not owner/name`, notFound: false };
  }
  const listed = Math.min(100, Math.max(0, options.commits ?? 0));
  const params = {
    owner,
    repo: name,
    basehead: `${base}...${head}`,
    per_page: Math.max(1, listed),
  };
  // The URL the client's conditional requests key their validator by.
  const key = client.request.endpoint("GET /repos/{owner}/{repo}/compare/{basehead}", params).url;
  const memo = options.memo;
  try {
    let res = await client.rest.repos.compareCommitsWithBasehead(params);
    if (notModified(res)) {
      const remembered = memo?.get(key);
      if (remembered) return remembered;
    }
    if (notModified(res) && options.etags) {
      await options.etags.set(key, { etag: null, lastModified: null });
      res = await client.rest.repos.compareCommitsWithBasehead(params);
    }
    if (notModified(res)) {
      return {
        status: "unknown",
        reason: `GitHub answered 304 (not modified) for ${base}...${head} in ${repo}, and the comparison is not remembered`,
        notFound: false,
      };
    }
    const { data } = res;
    if (!STATUSES.has(data.status)) {
      return {
        status: "unknown",
        reason: `GitHub's compare API answered status ${JSON.stringify(data.status)} in ${repo}`,
        notFound: false,
      };
    }
    const comparison: Comparison = {
      status: data.status as CommitStatus,
      aheadBy: data.ahead_by,
      behindBy: data.behind_by,
      baseSha: data.base_commit.sha,
      mergeBaseSha: data.merge_base_commit.sha,
      commits: data.commits.slice(0, listed).map((c) => c.sha),
    };
    if (memo) {
      if (memo.size >= REMEMBERED) memo.delete(memo.keys().next().value!);
      memo.set(key, comparison);
    }
    return comparison;
  } catch (err) {
    return {
      status: "unknown",
      reason: failure(err, repo, base, head),
      notFound: (err as { status?: number }).status === 404,
    };
  }
}
