// Conversations into the store: issue and pull request comments, and pull request reviews.
//
// Comments come from the repository-wide list in ascending update order, and every request is
// the first page of a window that starts at the last update time stored (`since`). No page
// number ever grows, so GitHub's deep-pagination limit ("pagination is limited for this
// resource", reported at 400 pages of 100) never stops the walk, and a comment edited while the
// walk runs moves to its end instead of shifting unread comments onto pages already read.
// Pages by number are used only inside one update time that more than a page of comments share.
//
// Reviews have no repository-wide REST list: they come with the pull requests from GraphQL.
import type { Store } from "../store/index.js";
import { type GitHubClient, type PendingValidator, validatorOf } from "./client.js";
import { normalizeComment, normalizeReview } from "./normalize.js";
import { pages } from "./pages.js";

const CURSOR = {
  comments: "comments", // the latest comment update time stored (GitHub's `since` is inclusive)
  reviews: "reviews", // the latest pull request update time whose reviews are stored
} as const;

const PER_PAGE = 100;

export interface ConversationDeps {
  client: GitHubClient;
  store: Store;
  signal?: AbortSignal;
}

export interface ConversationReport {
  comments: number;
  reviews: number;
  /** Requests for comments and for reviews. */
  commentRequests: number;
  reviewRequests: number;
  /** Requests answered 304 (nothing changed). */
  notModified: number;
  /** Windows restarted because GitHub refused a deep page (none in the usual walk). */
  paginationLimited: number;
}

export function emptyConversationReport(): ConversationReport {
  return {
    comments: 0,
    reviews: 0,
    commentRequests: 0,
    reviewRequests: 0,
    notModified: 0,
    paginationLimited: 0,
  };
}

interface RawComment {
  id: number;
  updated_at: string;
  issue_url: string;
}

/** GitHub's answer to a page past its deep-pagination limit. */
export function isPaginationLimited(error: unknown): boolean {
  const e = error as { status?: number; message?: string } | undefined;
  return e?.status === 422 && /pagination is limited/i.test(e.message ?? "");
}

/** Reads the comments updated since the last sync (all of them on the first). */
export async function syncComments(
  deps: ConversationDeps,
  repo: string,
  report: ConversationReport = emptyConversationReport(),
): Promise<ConversationReport> {
  const [owner, name] = splitRepo(repo);
  let since = (await deps.store.getCursor(repo, CURSOR.comments))?.cursor ?? undefined;
  // Ids already stored at exactly `since`: re-read by the inclusive window, not counted twice.
  let seenAtSince = new Set(since ? await deps.store.commentIdsUpdatedAt(repo, since) : []);
  let page = 1;
  for (;;) {
    deps.signal?.throwIfAborted();
    let items: RawComment[];
    let validator: PendingValidator | undefined;
    try {
      const response = await deps.client.request("GET /repos/{owner}/{repo}/issues/comments", {
        owner,
        repo: name,
        sort: "updated",
        direction: "asc",
        per_page: PER_PAGE,
        page,
        ...(since ? { since } : {}),
      });
      report.commentRequests += 1;
      // 304: nothing changed since this very window was read (and stored).
      if (
        (response as { notModified?: boolean }).notModified ||
        (response.status as number) === 304
      ) {
        report.notModified += 1;
        return report;
      }
      items = Array.isArray(response.data) ? (response.data as unknown as RawComment[]) : [];
      validator = validatorOf(response);
    } catch (error) {
      report.commentRequests += 1;
      if (!isPaginationLimited(error) || page === 1) throw error;
      // Deep inside one update time: GitHub will not go further, and no later window can.
      throw new Error(
        `${repo}: more than ${(page - 1) * PER_PAGE} comments share the update time ${since}, past GitHub's pagination limit; they cannot all be read`,
      );
    }
    const fresh = items.filter((c) => !(c.updated_at === since && seenAtSince.has(c.id)));
    await deps.store.upsertComments(
      fresh.map((c) => normalizeComment(repo, issueNumberOf(c.issue_url, repo), c)),
    );
    report.comments += fresh.length;
    if (items.length < PER_PAGE) {
      // The window's end: its validator makes the next run's identical request a cheap 304.
      if (items.length > 0)
        await deps.store.setCursor(repo, CURSOR.comments, { cursor: last(items) });
      await validator?.store();
      return report;
    }
    const newest = last(items);
    if (newest === since) {
      // A whole page at one update time: page on inside it, then move past it.
      for (const c of items) seenAtSince.add(c.id);
      page += 1;
      continue;
    }
    await deps.store.setCursor(repo, CURSOR.comments, { cursor: newest });
    seenAtSince = new Set(items.filter((c) => c.updated_at === newest).map((c) => c.id));
    since = newest;
    page = 1;
  }
}

export const REVIEWS_QUERY = `
  query ($owner: String!, $name: String!, $after: String, $pulls: Int!, $reviews: Int!) {
    repository(owner: $owner, name: $name) {
      pullRequests(first: $pulls, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
        pageInfo { hasNextPage endCursor }
        nodes {
          number
          updatedAt
          reviews(first: $reviews) {
            pageInfo { hasNextPage }
            nodes {
              databaseId
              author { __typename login }
              state
              body
              submittedAt
              commit { oid }
            }
          }
        }
      }
    }
  }
`;

interface ReviewsAnswer {
  repository: {
    pullRequests: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: {
        number: number;
        updatedAt: string;
        reviews: {
          pageInfo: { hasNextPage: boolean };
          nodes: {
            databaseId: number;
            author: { __typename: string; login: string } | null;
            state: string;
            body: string;
            submittedAt: string | null;
            commit: { oid: string } | null;
          }[];
        };
      }[];
    };
  } | null;
}

// GitHub prices a GraphQL request by the nodes it may return: 50 pull requests with 20 reviews
// each cost about 11 points of the 5,000 an hour; the rare pull request with more reviews is
// read through REST.
const PULLS_PER_QUERY = 50;
const REVIEWS_PER_PULL = 20;

/**
 * Reads the reviews of the pull requests updated since the last walk, newest update first
 * through GraphQL (a submitted review updates its pull request), and stops at the first pull
 * request older than the walk before. A pull request updated during the walk moves ahead of it
 * and is read by the next one, which starts from the newest update time this walk saw.
 */
export async function syncReviews(
  deps: ConversationDeps,
  repo: string,
  report: ConversationReport = emptyConversationReport(),
): Promise<ConversationReport> {
  const [owner, name] = splitRepo(repo);
  const since = (await deps.store.getCursor(repo, CURSOR.reviews))?.cursor ?? undefined;
  if (since) {
    // No pull request stored as updated after the last walk: no review was submitted since.
    const changed = (await deps.store.pullsUpdatedSince(repo, since, 10_000)).some(
      (p) => Date.parse(p.updatedAt) > Date.parse(since),
    );
    if (!changed) return report;
  }
  let newest: string | undefined;
  let after: string | null = null;
  const overflowing: number[] = [];
  walk: for (;;) {
    deps.signal?.throwIfAborted();
    const answer: ReviewsAnswer = await deps.client.graphql<ReviewsAnswer>(REVIEWS_QUERY, {
      owner,
      name,
      after,
      pulls: PULLS_PER_QUERY,
      reviews: REVIEWS_PER_PULL,
    });
    report.reviewRequests += 1;
    const list = answer.repository?.pullRequests;
    if (!list) throw new Error(`${repo}: GitHub answered no repository to the reviews query`);
    for (const pull of list.nodes) {
      if (since && Date.parse(pull.updatedAt) < Date.parse(since)) break walk;
      newest ??= pull.updatedAt;
      const reviews = pull.reviews.nodes.map((r) =>
        normalizeReview(repo, pull.number, {
          // The REST shape normalizeReview reads; GraphQL spells a bot without "[bot]".
          id: r.databaseId,
          user: r.author && {
            login: r.author.__typename === "Bot" ? `${r.author.login}[bot]` : r.author.login,
            type: r.author.__typename === "Bot" ? "Bot" : "User",
          },
          state: r.state,
          body: r.body,
          commit_id: r.commit?.oid ?? null,
          submitted_at: r.submittedAt,
        }),
      );
      for (const review of reviews) await deps.store.upsertReview(review);
      report.reviews += reviews.length;
      if (pull.reviews.pageInfo.hasNextPage) overflowing.push(pull.number);
    }
    if (!list.pageInfo.hasNextPage) break;
    after = list.pageInfo.endCursor;
  }
  for (const number of overflowing) {
    const read = await readPullReviews(deps, repo, number);
    report.reviewRequests += read.requests;
    report.reviews += read.reviews;
  }
  // Only a finished walk moves the cursor: a walk cut short starts again from the newest.
  if (newest) await deps.store.setCursor(repo, CURSOR.reviews, { cursor: newest });
  return report;
}

/** Every review of one pull request, through REST, into the store. */
export async function readPullReviews(
  deps: ConversationDeps,
  repo: string,
  number: number,
): Promise<{ requests: number; reviews: number }> {
  const [owner, name] = splitRepo(repo);
  const read = { requests: 0, reviews: 0 };
  for await (const page of pages<unknown>(
    deps.client,
    "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    { owner, repo: name, pull_number: number },
    deps.signal,
  )) {
    read.requests += 1;
    if (page.notModified) break;
    for (const raw of page.items) await deps.store.upsertReview(normalizeReview(repo, number, raw));
    read.reviews += page.items.length;
  }
  return read;
}

/** Comments, then reviews (reviews need the pull requests stored first). */
export async function syncConversations(
  deps: ConversationDeps,
  repo: string,
): Promise<ConversationReport> {
  const report = emptyConversationReport();
  await syncComments(deps, repo, report);
  await syncReviews(deps, repo, report);
  return report;
}

function last(items: readonly RawComment[]): string {
  return items[items.length - 1]!.updated_at;
}

function issueNumberOf(url: string, repo: string): number {
  const m = /\/issues\/(\d+)$/.exec(url);
  if (!m) throw new Error(`${repo}: a comment's issue_url names no issue: ${JSON.stringify(url)}`);
  return Number(m[1]);
}

function splitRepo(repo: string): [string, string] {
  const [owner, name] = repo.split("/");
  if (!owner || !name) throw new Error(`not a repository full name: ${JSON.stringify(repo)}`);
  return [owner, name];
}
