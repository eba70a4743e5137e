// The merge gate (R6-R16): a commit status on the head of every open pull request, success or
// failure with a one-line reason citing the rule. GitHub enforces it when the context is a
// required status check. Converges: a status is planned only when the latest one stored for
// the head commit differs in state or description. One status serves every open pull request
// on a commit, so their verdicts are combined first (ADR 0013): written per pull request, two
// verdicts on one commit would replace each other on every run.
import type { Temporal } from "temporal-polyfill";
import { planned } from "../../effects/plan.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import {
  nextTransitions,
  type ReleaseCalendar,
  releaseCalendar,
  trainPhase,
} from "../../time/release.js";
import { loadTrainRepositories, type ReleaseTrainReads } from "../release-train/load.js";
import type { PullSnapshot, RepositorySnapshot } from "../release-train/snapshot.js";
import { trainVersions } from "../release-train/versions.js";
import {
  emptyOutput,
  type LoadContext as LoadContextOf,
  planningRule,
  type Scope,
} from "../rule.js";
import { mergeGateKeys } from "./config.js";
import { gateStatusKey } from "./identity.js";
import { oneLine } from "./text.js";
import { gateVerdict, type Verdict } from "./verdict.js";

export { trainVersions } from "../release-train/versions.js";
export { classify, gateVerdict, type Verdict } from "./verdict.js";

export const MERGE_GATE_RULE = "merge-gate";

/** What the gate decides over: repositories with their release train, and unknown logins. */
export interface MergeGateInput {
  repositories: RepositorySnapshot[];
  /** Logins the configuration names that GitHub answered 404 for (lower case). */
  missingLogins?: string[];
}

export interface PullVerdict {
  repo: string;
  pull: PullSnapshot;
  verdict: Verdict;
  /** True when the latest stored status already says what the gate wants on the PR's head commit. */
  current: boolean;
}

/**
 * What the gate wants on one head commit: the strictest verdict of the open pull requests whose
 * head it is (ADR 0013). Failure wins; the description names each deciding pull request and
 * its base when more than one shares the commit, and the reason explains every one of them.
 */
export interface CommitVerdict {
  repo: string;
  sha: string;
  /** The deciding pull request (the lowest-numbered of the strictest): the audit target. */
  pull: PullSnapshot;
  /** Every open pull request with this head, by number. */
  pulls: PullSnapshot[];
  verdict: Verdict;
}

/** The verdicts of the pull requests sharing a head commit, combined into the one status it can carry. */
export function commitVerdict(
  repo: string,
  entries: { pull: PullSnapshot; verdict: Verdict }[],
): CommitVerdict {
  const sorted = [...entries].sort((a, b) => a.pull.number - b.pull.number);
  const first = sorted[0];
  if (!first) throw new Error(`no pull request to judge in ${repo}`);
  const sha = first.pull.headSha!;
  if (sorted.length === 1) {
    return { repo, sha, pull: first.pull, pulls: [first.pull], verdict: first.verdict };
  }
  const failing = sorted.filter((e) => e.verdict.state === "failure");
  const deciding = failing.length > 0 ? failing : sorted;
  const lead = deciding[0]!;
  const into = (e: { pull: PullSnapshot }) => `#${e.pull.number} into ${e.pull.baseRef}`;
  const description = oneLine(
    deciding.map((e) => `${into(e)}: ${e.verdict.description}`).join("; "),
  );
  const reason = [
    `${sha.slice(0, 7)} is the head of ${sorted.length} open pull requests (${sorted.map(into).join(", ")}); one commit status serves them all, so it carries the strictest verdict (ADR 0013).`,
    ...sorted.map((e) => `${into(e)}: ${e.verdict.state}. ${e.verdict.reason}`),
  ].join("\n");
  return {
    repo,
    sha,
    pull: lead.pull,
    pulls: sorted.map((e) => e.pull),
    verdict: {
      state: lead.verdict.state,
      rule: lead.verdict.rule,
      description,
      reason,
      notes: sorted.flatMap((e) => e.verdict.notes),
    },
  };
}

const isCurrent = (pull: PullSnapshot, verdict: Verdict) =>
  pull.gateStatus !== null &&
  pull.gateStatus.state === verdict.state &&
  (pull.gateStatus.description ?? "") === verdict.description;

/** Every open pull request's verdict: the rule's plan, the dashboard's gate table, `bosun why`. */
export function gateVerdicts(
  snapshot: MergeGateInput,
  config: HandbookConfig,
  now: Temporal.Instant,
  calendar: ReleaseCalendar = releaseCalendar(config),
): PullVerdict[] {
  const out: PullVerdict[] = [];
  for (const { repo, pull, verdict } of pullVerdicts(snapshot, config, now, calendar)) {
    out.push({ repo, pull, verdict, current: false });
  }
  const combined = new Map(
    commitVerdicts(out).map((c) => [`${c.repo}@${c.sha}`, c.verdict] as const),
  );
  for (const v of out) {
    v.current = isCurrent(v.pull, combined.get(`${v.repo}@${v.pull.headSha}`)!);
  }
  return out;
}

/** One verdict per head commit, in the order its first pull request appears. */
export function commitVerdicts(verdicts: readonly Omit<PullVerdict, "current">[]): CommitVerdict[] {
  const groups = new Map<
    string,
    { repo: string; entries: { pull: PullSnapshot; verdict: Verdict }[] }
  >();
  for (const { repo, pull, verdict } of verdicts) {
    const at = `${repo}@${pull.headSha}`;
    const group = groups.get(at) ?? { repo, entries: [] };
    group.entries.push({ pull, verdict });
    groups.set(at, group);
  }
  return [...groups.values()].map((g) => commitVerdict(g.repo, g.entries));
}

function pullVerdicts(
  snapshot: MergeGateInput,
  config: HandbookConfig,
  now: Temporal.Instant,
  calendar: ReleaseCalendar,
): Omit<PullVerdict, "current">[] {
  const phase = trainPhase(calendar, now);
  const versions = trainVersions(config, snapshot.repositories);
  const out: Omit<PullVerdict, "current">[] = [];
  for (const repo of snapshot.repositories) {
    if (!repo.synced || !repo.releaseTrain) continue;
    const name = repo.fullName.split("/")[1];
    const releasedFromMain =
      config.repositories.find((r) => r.name.toLowerCase() === name?.toLowerCase())
        ?.releasedFromMain ?? false;
    const input = {
      config,
      calendar,
      phase,
      versions: versions(repo.fullName),
      repo: repo.fullName,
      releasedFromMain,
      repoLabels: new Set(repo.labels.map((l) => l.name.toLowerCase())),
      missingLogins: new Set(snapshot.missingLogins ?? []),
      merged: repo.releaseTrain.merged,
      tags: repo.releaseTrain.tags,
    };
    for (const pull of repo.releaseTrain.pulls) {
      // Branches come from the pulls API; until they are known there is nothing to judge.
      if (!pull.headSha || !pull.baseRef) continue;
      out.push({ repo: repo.fullName, pull, verdict: gateVerdict(pull, input) });
    }
  }
  return out;
}

/**
 * A webhook's scope names some pull requests; the others open on the same head commits join
 * it, since the one status they share is decided over all of them (ADR 0013). Deciding over
 * the scoped pull request alone would overwrite the combined status every time it is touched.
 */
async function withHeadSiblings(
  ctx: LoadContextOf<ReleaseTrainReads>,
): Promise<LoadContextOf<ReleaseTrainReads>> {
  const { repo, numbers } = ctx.scope;
  if (!repo || !numbers) return ctx;
  const open = await ctx.reads.listIssues({ repo, kind: "pull", state: "open" });
  const scoped = new Set(numbers);
  const heads = new Set(
    open.filter((p) => scoped.has(p.number) && p.headSha).map((p) => p.headSha),
  );
  const siblings = open.filter((p) => !scoped.has(p.number) && heads.has(p.headSha));
  if (siblings.length === 0) return ctx;
  const widened = [...numbers, ...siblings.map((p) => p.number)].sort((a, b) => a - b);
  return { ...ctx, scope: { ...ctx.scope, numbers: widened } };
}

/** The pull request a pull_request or pull_request_review delivery is about: only its verdict changes. */
function pullScope(payload: unknown, repo: string | undefined): Scope | undefined {
  const n = (payload as { pull_request?: { number?: unknown } } | null)?.pull_request?.number;
  return repo && typeof n === "number" ? { repo, numbers: [n] } : undefined;
}

const PULL_ACTIONS = [
  "opened",
  "reopened",
  "edited",
  "labeled",
  "unlabeled",
  "synchronize",
  "ready_for_review",
  "converted_to_draft",
  "closed",
] as const;

export const mergeGate = planningRule({
  name: MERGE_GATE_RULE,
  ids: ["R6", "R7", "R8", "R9", "R10", "R11", "R12", "R13", "R15", "R16"],
  summary:
    "Sets a success or failure commit status (releaseTrain.mergeGate.context) on the head of every open PR: freeze and deep freeze, docs-only and manager-confirmed non-code changes, partly merged work to revert, RC cherry-picks and approvals, exceptions, bug-fix base branch and issue references.",
  config: { in: "releaseTrain", keys: mergeGateKeys, reads: ["releaseTrain", "labels", "roles"] },
  triggers: {
    // A verdict may change when a PR is opened, edited (body, base), labelled, pushed to,
    // reviewed or drafted; when an issue is relabelled (its PRs' classification); when a release
    // or a milestone changes the versions. Branches, tags and statuses others write are picked
    // up by the periodic run: reacting to every push or to our own status writes would run the
    // whole gate for nothing.
    events: [
      { event: "pull_request", actions: PULL_ACTIONS, scope: pullScope },
      {
        event: "pull_request_review",
        actions: ["submitted", "dismissed", "edited"],
        scope: pullScope,
      },
      { event: "issues", actions: ["labeled", "unlabeled", "edited", "closed", "reopened"] },
      { event: "release" },
      { event: "milestone" },
    ],
    // Freeze, deep freeze, RC cut and release change every verdict at a configured instant.
    instants: (config, now) =>
      nextTransitions(releaseCalendar(config), now, 1).map((t) => ({
        at: t.at.toInstant(),
        what: `release train: ${t.kind}`,
      })),
  },
  async load(ctx: LoadContextOf<ReleaseTrainReads>): Promise<MergeGateInput> {
    return {
      repositories: await loadTrainRepositories(await withHeadSiblings(ctx)),
      missingLogins: await ctx.missingLogins(),
    };
  },
  decide(input: MergeGateInput, config, now) {
    const out = emptyOutput();
    const context = config.releaseTrain.mergeGate.context;
    for (const repo of input.repositories) {
      if (!repo.synced && repo.releaseTrain) {
        out.observations.push({
          rule: MERGE_GATE_RULE,
          target: repo.fullName,
          message: "not synced yet: the merge gate starts after the first full sync",
        });
      }
    }
    const verdicts = gateVerdicts(input, config, now);
    for (const { repo, sha, pull, verdict } of commitVerdicts(verdicts)) {
      for (const note of verdict.notes) {
        out.observations.push({
          rule: MERGE_GATE_RULE,
          target: note.target,
          message: note.message,
        });
      }
      if (isCurrent(pull, verdict)) continue;
      out.effects.push(
        planned(
          MERGE_GATE_RULE,
          {
            type: "setCommitStatus",
            repo,
            sha,
            context,
            state: verdict.state,
            description: verdict.description,
            pull: pull.number,
          },
          gateStatusKey.build({
            sha,
            state: verdict.state,
            rule: verdict.rule,
            replaces: pull.gateStatus
              ? `${pull.gateStatus.githubId ?? pull.gateStatus.updatedAt}`
              : "none",
          }),
          verdict.reason,
        ),
      );
    }
    return out;
  },
});
