// Changed files (and the reviews given so far) of open pull requests, for the merge gate:
// R10 tells docs-only changes apart by their paths. Read once per head commit: a pull
// request whose stored files were read at its current head costs nothing; a push (new head
// sha, from sync or a webhook) makes the next run read them again.
import type { Store } from "../store/index.js";
import type { GitHubClient } from "./client.js";
import { readPullReviews } from "./conversations.js";
import { pages } from "./pages.js";

/** GitHub lists at most 3,000 files of a pull request. */
const GITHUB_FILE_LIMIT = 3000;

export interface PullFilesReport {
  repo: string;
  pulls: number;
  requests: number;
  notModified: number;
}

/**
 * Reads `GET /repos/{o}/{r}/pulls/{n}/files` for every open pull request of `repo` whose files
 * are not stored for its head, and with them its reviews (reviews given later arrive as
 * webhooks). At most `limit` pull requests per call; the rest are read on the next run.
 */
export async function syncPullFiles(
  /** `signal`: aborted (shutdown), no further page is read. */
  deps: { client: GitHubClient; store: Store; signal?: AbortSignal },
  repo: string,
  /** `only`: just these pull requests (a webhook's), however many others are due. */
  options: { limit?: number; only?: readonly number[] } = {},
): Promise<PullFilesReport> {
  const [owner, name] = repo.split("/");
  if (!owner || !name) throw new Error(`not a repository full name: ${JSON.stringify(repo)}`);
  const report: PullFilesReport = { repo, pulls: 0, requests: 0, notModified: 0 };
  const due = (
    await deps.store.pullsNeedingFiles(repo, options.only ? 100_000 : (options.limit ?? 200))
  ).filter((p) => !options.only || options.only.includes(p.number));
  for (const { number, headSha } of due) {
    const paths: string[] = [];
    let unchanged = false;
    for await (const page of pages<{ filename: string; previous_filename?: string }>(
      deps.client,
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
      { owner, repo: name, pull_number: number },
      deps.signal,
    )) {
      report.requests += 1;
      if (page.notModified) {
        unchanged = true;
        report.notModified += 1;
        break;
      }
      for (const f of page.items) {
        paths.push(f.filename);
        // A rename touches its old path too: moving a file out of docs/ is not a docs change.
        if (f.previous_filename) paths.push(f.previous_filename);
      }
    }
    if (unchanged) {
      // 304: the list is the one read before; it now stands for the new head as well.
      const [stored] = await deps.store.listPullFiles(repo, [number]);
      if (!stored) continue;
      await deps.store.putPullFiles({ ...stored, headSha });
    } else {
      await deps.store.putPullFiles({
        repo,
        number,
        headSha,
        paths,
        complete: paths.length < GITHUB_FILE_LIMIT,
      });
    }
    report.requests += (await readPullReviews(deps, repo, number)).requests;
    report.pulls += 1;
  }
  return report;
}
