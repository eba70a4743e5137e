// The release train's part of the data: tags, branches and milestones (versions), open pull
// requests with their reviews, changed files, commits and comparison with the latest release
// tag (R7, R8), linked issues and the merge gate's latest status, and recently merged pull
// requests (R12, R15). A handful of statements per repository,
// whatever the number of pull requests. Loaded once per decision run for the rules that share it.
import type { Temporal } from "temporal-polyfill";
import type { HandbookConfig } from "../../handbook/schema.js";
import type { IssueRow, Store } from "../../store/index.js";
import { issueReferences, sameRepo } from "../merge-gate/references.js";
import type { LoadContext } from "../rule.js";
import type {
  LinkedIssueSnapshot,
  PullSnapshot,
  ReleaseTrainSnapshot,
  RepositorySnapshot,
  ReviewSnapshot,
} from "./snapshot.js";

/** The store reads the release train needs, and nothing else. */
export type ReleaseTrainReads = Pick<
  Store,
  | "listTags"
  | "listRefs"
  | "listMilestones"
  | "listIssues"
  | "listIssuesByNumber"
  | "listReviewsForPulls"
  | "listPullFiles"
  | "listPullCommits"
  | "listPullReleaseCompares"
  | "listStatusesForCommits"
  | "listMergedPullsSince"
  | "issueTitlesContaining"
>;

/**
 * Every configured repository with its release train, or, for a scope naming one repository
 * and some pull requests, that repository with only those pull requests and the others with
 * their versions only: both paths word a verdict the same way. Memoised per run.
 */
export function loadTrainRepositories(
  ctx: LoadContext<ReleaseTrainReads>,
): Promise<RepositorySnapshot[]> {
  const { scope } = ctx;
  return ctx.shared(
    `release-train:${scope.repo ?? "*"}:${scope.numbers?.join(",") ?? "*"}`,
    async () => {
      const out: RepositorySnapshot[] = [];
      for (const state of await ctx.repositories()) {
        if (scope.repo && state.fullName !== scope.repo) {
          out.push(await loadVersionsSnapshot(ctx.reads, state.fullName));
          continue;
        }
        out.push({
          ...state,
          releaseTrain: await loadReleaseTrainSnapshot(
            ctx.reads,
            ctx.config,
            state.fullName,
            ctx.now,
            scope.repo ? scope.numbers : undefined,
          ),
        });
      }
      return out;
    },
  );
}

/** How far back merged pull requests are read: two sprints cover "since the last release". */
const MERGED_WINDOW_WEEKS = 2;

/**
 * A repository as far as the versions it names go (tags, branches, milestones): no pull
 * requests, no labels, and not "unsynced", so it only informs another repository's train.
 */
export async function loadVersionsSnapshot(
  store: Pick<Store, "listTags" | "listRefs" | "listMilestones">,
  fullName: string,
): Promise<RepositorySnapshot> {
  const [tags, refs, milestones] = await Promise.all([
    store.listTags(fullName),
    store.listRefs(fullName),
    store.listMilestones(fullName),
  ]);
  return {
    fullName,
    synced: true,
    labels: [],
    releaseTrain: {
      tags: tags.map((t) => t.name),
      branches: refs.map((x) => x.name),
      milestones: milestones.map((m) => ({ title: m.title, state: m.state })),
      pulls: [],
      merged: [],
    },
  };
}

export async function loadReleaseTrainSnapshot(
  store: ReleaseTrainReads,
  config: HandbookConfig,
  repo: string,
  now: Temporal.Instant,
  /** Only these pull requests (a webhook's), instead of every open one. */
  only?: readonly number[],
): Promise<ReleaseTrainSnapshot> {
  const [tags, refs, milestones, open] = await Promise.all([
    store.listTags(repo),
    store.listRefs(repo),
    store.listMilestones(repo),
    only
      ? store
          .listIssuesByNumber(repo, only)
          .then((rows) => rows.filter((r) => r.isPullRequest && r.state === "open"))
      : store.listIssues({ repo, kind: "pull", state: "open" }),
  ]);
  const numbers = open.map((p) => p.number);
  const shas = open.flatMap((p) => (p.headSha ? [p.headSha] : []));
  const windowDays = (config.releaseTrain.sprint.lengthWeeks * MERGED_WINDOW_WEEKS + 1) * 7;
  const since = new Date(now.epochMilliseconds - windowDays * 86_400_000).toISOString();
  const [reviews, files, commits, compares, statuses, merged] = await Promise.all([
    store.listReviewsForPulls(repo, numbers),
    store.listPullFiles(repo, numbers),
    store.listPullCommits(repo, numbers),
    store.listPullReleaseCompares(repo, numbers),
    store.listStatusesForCommits(repo, shas, config.releaseTrain.mergeGate.context),
    store.listMergedPullsSince(repo, since),
  ]);

  const refsOf = new Map(open.map((p) => [p.number, issueReferences(p.body, repo)]));
  // References spell repositories as people type them; the store keys them as configured.
  const configured = config.repositories.map((r) => `${config.organisation}/${r.name}`);
  const canonical = (name: string) => configured.find((c) => sameRepo(c, name)) ?? name;
  const linked = await linkedIssues(
    store,
    repo,
    [...refsOf.values()].flat().map((r) => ({ ...r, repo: canonical(r.repo) })),
  );

  const reviewsOf = new Map<number, ReviewSnapshot[]>();
  for (const r of reviews) {
    const list = reviewsOf.get(r.pullNumber) ?? [];
    list.push({
      id: r.id,
      author: r.author,
      state: r.state.toUpperCase(),
      submittedAt: r.submittedAt,
      commitId: r.commitId,
    });
    reviewsOf.set(r.pullNumber, list);
  }
  const filesOf = new Map(files.map((f) => [f.number, f]));
  const commitsOf = new Map(commits.map((c) => [c.number, c]));
  const comparesOf = new Map(compares.map((c) => [c.number, c]));
  const statusOf = new Map(statuses.map((s) => [s.sha, s]));

  const pulls: PullSnapshot[] = open.map((p) => {
    const f = filesOf.get(p.number);
    // Commits and comparisons read at an older head say nothing about the current one either.
    const c = commitsOf.get(p.number);
    const cmp = comparesOf.get(p.number);
    const status = p.headSha ? statusOf.get(p.headSha) : undefined;
    const seen = new Set<string>();
    return {
      number: p.number,
      title: p.title,
      body: p.body ?? "",
      author: p.author,
      draft: p.draft ?? false,
      baseRef: p.baseRef,
      headRef: p.headRef,
      headSha: p.headSha,
      labels: p.labels,
      createdAt: p.createdAt,
      reviews: reviewsOf.get(p.number) ?? [],
      // Files read at an older head say nothing about the current one.
      // GitHub lists at most 3,000 files; a path no docs glob matches stands for the rest.
      files:
        f && f.headSha === p.headSha
          ? f.complete
            ? f.paths
            : [...f.paths, "\u0000more files"]
          : null,
      commits:
        c && c.headSha === p.headSha
          ? {
              list: c.commits.map((x) => ({
                sha: x.sha,
                message: x.message,
                parents: x.parents,
              })),
              complete: c.complete,
            }
          : null,
      releaseCompare:
        cmp && cmp.headSha === p.headSha
          ? {
              tag: cmp.tag,
              tagSha: cmp.tagSha,
              status: cmp.status,
              aheadBy: cmp.aheadBy,
              behindBy: cmp.behindBy,
              mergeBaseSha: cmp.mergeBaseSha,
              commits: cmp.commits,
            }
          : null,
      linkedIssues: (refsOf.get(p.number) ?? []).flatMap((r) => {
        const key = `${r.repo.toLowerCase()}#${r.number}`;
        if (seen.has(key) || (sameRepo(r.repo, repo) && r.number === p.number)) return [];
        seen.add(key);
        return [
          linked.get(key) ?? {
            repo: r.repo,
            number: r.number,
            isIssue: false,
            known: false,
            labels: [],
          },
        ];
      }),
      gateStatus: status
        ? {
            state: status.state,
            description: status.description,
            githubId: status.githubId,
            updatedAt: status.updatedAt,
          }
        : null,
    };
  });

  // The fixed text before "{version}" finds release QA issues whatever their version.
  const qaStem = config.releaseTrain.qaIssueTitle.split("{version}")[0]!.trim();
  const qaIssueTitles = only ? [] : await store.issueTitlesContaining(repo, qaStem || "QA");
  return {
    tags: tags.map((t) => t.name),
    branches: refs.map((r) => r.name),
    mainSha: refs.find((r) => r.name === config.releaseTrain.branches.main)?.sha ?? null,
    qaIssueTitles,
    milestones: milestones.map((m) => ({ title: m.title, state: m.state })),
    pulls,
    merged: merged.map((m) => ({
      number: m.number,
      body: m.body ?? "",
      baseRef: m.baseRef,
      mergedAt: m.mergedAt,
      labels: m.labels,
    })),
  };
}

/** The referenced issues the store knows, by "owner/repo#N" in lower case. */
async function linkedIssues(
  store: Pick<Store, "listIssuesByNumber">,
  repo: string,
  refs: readonly { repo: string; number: number }[],
): Promise<Map<string, LinkedIssueSnapshot>> {
  const byRepo = new Map<string, Set<number>>();
  for (const r of refs) {
    const name = sameRepo(r.repo, repo) ? repo : r.repo;
    const set = byRepo.get(name) ?? new Set<number>();
    set.add(r.number);
    byRepo.set(name, set);
  }
  const out = new Map<string, LinkedIssueSnapshot>();
  for (const [name, numbers] of byRepo) {
    const rows: IssueRow[] = await store.listIssuesByNumber(name, [...numbers]);
    for (const i of rows) {
      out.set(`${name.toLowerCase()}#${i.number}`, {
        repo: i.repo,
        number: i.number,
        isIssue: !i.isPullRequest,
        known: true,
        state: i.state,
        labels: i.labels,
      });
    }
  }
  return out;
}
