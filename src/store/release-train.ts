// Reads only the release train needs (R6-R16, R27-R29): the merge gate's reviews, statuses and
// linked issues of many pull requests at once, recently merged pull requests, the QA issues'
// titles, and which tags contain a commit. Rows are mapped by their tables' modules.

import { REVIEW_COLUMNS, toReview } from "./comments.js";
import { COMMIT_STATUS_COLUMNS, toCommitStatus } from "./commit-statuses.js";
import { ISSUE_LABELS } from "./issues.js";
import { Queries } from "./queries.js";
import { TAG_COLUMNS, toTag } from "./refs.js";
import { type DbRow, iso, num, str, strOrNull, ts } from "./sql-values.js";
import type { CommitStatusRow, MergedPullRow, ReviewRow, TagRow } from "./types.js";

export class ReleaseTrainQueries extends Queries {
  /** Reviews of several pull requests of one repository, oldest first per pull request. */
  async listReviewsForPulls(repo: string, numbers: readonly number[]): Promise<ReviewRow[]> {
    if (numbers.length === 0) return [];
    // Without raw: these are many, and the merge gate reads none.
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${REVIEW_COLUMNS} FROM reviews WHERE repo = $1 AND pull_number = ANY($2::integer[])
       ORDER BY pull_number, submitted_at NULLS LAST, id`,
      [repo, [...numbers]],
    );
    return rows.map(toReview);
  }

  /** The stored commit status of `context` on each of these commits (kind status). */
  async listStatusesForCommits(
    repo: string,
    shas: readonly string[],
    context: string,
  ): Promise<CommitStatusRow[]> {
    if (shas.length === 0) return [];
    // Without raw, as listReviewsForPulls.
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${COMMIT_STATUS_COLUMNS} FROM commit_statuses
        WHERE repo = $1 AND sha = ANY($2::text[]) AND kind = 'status' AND context = $3`,
      [repo, [...shas], context],
    );
    return rows.map(toCommitStatus);
  }

  /** Pull requests merged at or after `since`, newest first, with their bodies and labels. */
  async listMergedPullsSince(repo: string, since: string): Promise<MergedPullRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT i.number, i.body, i.base_ref, i.merged_at, ${ISSUE_LABELS}
         FROM issues i
        WHERE i.repo = $1 AND i.is_pull_request AND i.merged_at >= $2::timestamptz
        ORDER BY i.merged_at DESC, i.number DESC`,
      [repo, ts(since)],
    );
    return rows.map((r) => ({
      number: num(r.number),
      body: strOrNull(r.body),
      baseRef: strOrNull(r.base_ref),
      mergedAt: iso(r.merged_at),
      labels: (r.labels as string[] | null) ?? [],
    }));
  }

  /** Titles of the issues (not pull requests) of `repo` whose title contains `text`, any case. */
  async issueTitlesContaining(repo: string, text: string): Promise<string[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT title FROM issues
        WHERE repo = $1 AND NOT is_pull_request AND strpos(lower(title), lower($2)) > 0
        ORDER BY number`,
      [repo, text],
    );
    return rows.map((r) => str(r.title));
  }

  /** Tags (any configured repository) pointing at a commit whose sha starts with `prefix`. */
  async tagsForCommit(prefix: string): Promise<TagRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${TAG_COLUMNS} FROM tags WHERE sha IS NOT NULL AND left(sha, length($1)) = lower($1)
       ORDER BY repo, name`,
      [prefix],
    );
    return rows.map(toTag);
  }
}
