// The merge gate (R6-R16): a commit status on the head of every open pull request, success or
// failure with a one-line reason citing the rule. GitHub enforces it when the context is a
// required status check. Converges: a status is planned only when the latest one stored for
// the head commit differs in state or description.
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
  /** True when the latest stored status already says this. */
  current: boolean;
}

/** Every open pull request's verdict: the rule's plan, the dashboard's gate table, `bosun why`. */
export function gateVerdicts(
  snapshot: MergeGateInput,
  config: HandbookConfig,
  now: Temporal.Instant,
  calendar: ReleaseCalendar = releaseCalendar(config),
): PullVerdict[] {
  const phase = trainPhase(calendar, now);
  const versions = trainVersions(config, snapshot.repositories);
  const out: PullVerdict[] = [];
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
      const verdict = gateVerdict(pull, input);
      const current =
        pull.gateStatus !== null &&
        pull.gateStatus.state === verdict.state &&
        (pull.gateStatus.description ?? "") === verdict.description;
      out.push({ repo: repo.fullName, pull, verdict, current });
    }
  }
  return out;
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
      repositories: await loadTrainRepositories(ctx),
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
    for (const { repo, pull, verdict, current } of gateVerdicts(input, config, now)) {
      for (const note of verdict.notes) {
        out.observations.push({
          rule: MERGE_GATE_RULE,
          target: note.target,
          message: note.message,
        });
      }
      if (current) continue;
      const sha = pull.headSha!;
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
