// The merge gate (R6-R16): a commit status on the head of every open pull request, success or
// failure with a one-line reason citing the rule. GitHub enforces it when the context is a
// required status check. Converges: a status is planned only when the latest one stored for
// the head commit differs in state or description.
import { planned } from "../../effects/plan.js";
import { parsePattern } from "../../handbook/patterns.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import {
  type ReleaseCalendar,
  releaseCalendar,
  trainPhase,
  type VersionState,
  versionState,
} from "../../time/release.js";
import type { Rule, RuleContext, RuleOutput } from "../rule.js";
import type { PullSnapshot, RepositorySnapshot } from "../snapshot.js";
import { gateVerdict, type Verdict } from "./verdict.js";

export { classify, gateVerdict, type Verdict } from "./verdict.js";

export const MERGE_GATE_RULE = "merge-gate";

export interface PullVerdict {
  repo: string;
  pull: PullSnapshot;
  verdict: Verdict;
  /** True when the latest stored status already says this. */
  current: boolean;
}

/** The repository whose tags and milestones name the versions: the first that has any. */
export function trainVersions(config: HandbookConfig, repos: readonly RepositorySnapshot[]) {
  const byRepo = new Map<string, VersionState>();
  let fallback: VersionState | undefined;
  for (const r of repos) {
    if (!r.releaseTrain) continue;
    const v = versionState(config.releaseTrain, r.releaseTrain, parsePattern);
    byRepo.set(r.fullName, v);
    if (!fallback && v.nextMinor) fallback = v;
  }
  return (repo: string): VersionState =>
    byRepo.get(repo)?.nextMinor ? byRepo.get(repo)! : (fallback ?? { openRcBranches: [] });
}

/** Every open pull request's verdict: the rule's plan, the dashboard's gate table, `bosun why`. */
export function gateVerdicts(
  ctx: RuleContext,
  calendar: ReleaseCalendar = releaseCalendar(ctx.config),
): PullVerdict[] {
  const { config, snapshot, now } = ctx;
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

export const mergeGate: Rule = {
  name: MERGE_GATE_RULE,
  ids: ["R6", "R7", "R8", "R9", "R10", "R11", "R12", "R13", "R15", "R16"],
  section: "releaseTrain.mergeGate",
  summary:
    "Sets a success or failure commit status (releaseTrain.mergeGate.context) on the head of every open PR: freeze and deep freeze, docs-only, RC cherry-picks, exceptions, bug-fix base branch and issue references.",
  decide(ctx): RuleOutput {
    const out: RuleOutput = { effects: [], observations: [] };
    const context = ctx.config.releaseTrain.mergeGate.context;
    for (const repo of ctx.snapshot.repositories) {
      if (!repo.synced && repo.releaseTrain) {
        out.observations.push({
          rule: this.name,
          target: repo.fullName,
          message: "not synced yet: the merge gate starts after the first full sync",
        });
      }
    }
    for (const { repo, pull, verdict, current } of gateVerdicts(ctx)) {
      for (const note of verdict.notes) {
        out.observations.push({ rule: this.name, target: note.target, message: note.message });
      }
      if (current) continue;
      const sha = pull.headSha!;
      // The key names the head commit, the wanted state and description, and the status it
      // replaces: an unchanged verdict is one key (written once), and a verdict that flips
      // back to an earlier one gets a new key because the status it replaces is newer.
      const replaces = pull.gateStatus
        ? `${pull.gateStatus.githubId ?? pull.gateStatus.updatedAt}`
        : "none";
      out.effects.push(
        planned(
          this.name,
          {
            type: "setCommitStatus",
            repo,
            sha,
            context,
            state: verdict.state,
            description: verdict.description,
            pull: pull.number,
          },
          `${sha}|${verdict.state}|${verdict.description}|after:${replaces}`,
          verdict.reason,
        ),
      );
    }
    return out;
  },
};
