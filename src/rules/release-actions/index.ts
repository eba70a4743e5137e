// Scheduled release actions, once per occurrence (R14, R17; R9/R11 announcements): at the RC
// cut the RC branch from main, the release QA issue, the announcement and the QA deploy target
// pointed at the RC; once the release is published (its tag exists) the QA deploy target back
// on main; in freeze mode the
// freeze and deep-freeze announcements. Converges where the store can tell (the branch exists,
// a QA issue with the title exists); the rest is keyed by its occurrence, so it happens once.
import { planned } from "../../effects/plan.js";
import { formatPattern, parsePattern } from "../../handbook/patterns.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import { formatWhen, isoWithOffset } from "../../time/index.js";
import {
  formatVersion,
  nextTransitions,
  parseVersion,
  releaseCalendar,
  trainPhase,
} from "../../time/release.js";
import { loadTrainRepositories, type ReleaseTrainReads } from "../release-train/load.js";
import type { RepositorySnapshot } from "../release-train/snapshot.js";
import { trainVersions } from "../release-train/versions.js";
import { emptyOutput, type LoadContext, planningRule } from "../rule.js";
import { releaseActionsKeys } from "./config.js";

export const RELEASE_ACTIONS_RULE = "release-actions";

/** The repository the train releases: the first configured one not released from main (R33). */
export function releaseRepository(config: HandbookConfig): string | undefined {
  const repo = config.repositories.find((r) => !r.releasedFromMain);
  return repo ? `${config.organisation}/${repo.name}` : undefined;
}

function qaIssueBody(config: HandbookConfig, version: string, branch: string): string {
  const groups = config.productGroups
    .map((g) => `- [ ] ${g.label}: @${g.qaLead} marks ${g.name} ready for release (R26)`)
    .join("\n");
  return [
    `Release QA for ${version}, on the release candidate \`${branch}\` (R14).`,
    "",
    "Only unreleased bug fixes merge into the RC, as cherry-picks of fixes merged into main (R15).",
    `Bugs found here: \`${config.labels.unreleasedBug}\`, \`${config.labels.release}\` and the group's label (R18).`,
    "",
    groups,
    `- [ ] @${config.roles.releaseRitualDri} starts the release once every group is ready`,
  ].join("\n");
}

export interface ReleaseActionsInput {
  repositories: RepositorySnapshot[];
}

export const releaseActions = planningRule({
  name: RELEASE_ACTIONS_RULE,
  ids: ["R14", "R17", "R9", "R11"],
  config: {
    in: "releaseTrain",
    keys: releaseActionsKeys,
    reads: ["releaseTrain", "roles", "slack"],
  },
  triggers: {
    // R17: a published release (its `release` delivery, or the tag's `create`) returns the QA
    // deploy target to main at once, without waiting for the periodic run.
    events: [{ event: "release", actions: ["published", "released"] }, { event: "create" }],
    instants: (config, now) =>
      nextTransitions(releaseCalendar(config), now, 1).map((t) => ({
        at: t.at.toInstant(),
        what: `release train: ${t.kind}`,
      })),
  },
  async load(ctx: LoadContext<ReleaseTrainReads>): Promise<ReleaseActionsInput> {
    return { repositories: await loadTrainRepositories(ctx) };
  },
  summary:
    "At the RC cut: the RC branch from main, the release QA issue, the announcement and the QA deploy target on the RC; once the release is published (its tag exists) the QA deploy target back on main; in freeze mode the freeze and deep-freeze announcements. Once per occurrence.",
  decide(snapshot: ReleaseActionsInput, config, now) {
    const out = emptyOutput();
    const train = config.releaseTrain;
    const name = releaseRepository(config);
    const repo = snapshot.repositories.find((r) => r.fullName === name);
    if (!name || !repo?.releaseTrain) return out;
    if (!repo.synced) {
      out.observations.push({
        rule: RELEASE_ACTIONS_RULE,
        target: name,
        message: "not synced yet: release actions wait for the first full sync",
      });
      return out;
    }
    const calendar = releaseCalendar(config);
    const phase = trainPhase(calendar, now);
    const sprintDay = calendar.sprint(phase.releaseIndex).start.toPlainDate().toString();
    const versions = trainVersions(config, snapshot.repositories)(name);
    const version = versions.nextMinor;
    /**
     * One Slack message per occurrence (`subject`); the key adds the end of the announced period,
     * so a moved release date plans the announcement again and the notifier edits it in place.
     * `thread`: a follow-up, posted in the thread of that subject's message.
     */
    const announce = (
      a: { key: string; subject: string; thread?: string },
      message: string,
      reason: string,
    ) => {
      if (!train.announcements) {
        out.observations.push({
          rule: RELEASE_ACTIONS_RULE,
          target: name,
          message: `${reason}; not announced: releaseTrain.announcements is not configured`,
        });
        return;
      }
      const own = train.announcements.channel;
      out.effects.push(
        planned(
          RELEASE_ACTIONS_RULE,
          {
            type: "notify",
            channel: own ?? config.slack.channels.default,
            message,
            subject: a.subject,
            ...(a.thread ? { thread: a.thread } : {}),
            setting: own ? "releaseTrain.announcements.channel" : "slack.channels.default",
          },
          `${a.key}@${isoWithOffset(phase.until)}`,
          reason,
        ),
      );
    };
    const qaTarget = train.qaDeployTarget;
    const qaRepo = qaTarget
      ? config.repositories.find((r) => r.name === qaTarget.repository)
      : undefined;
    const setQaTarget = (value: string, key: string, reason: string) => {
      if (!qaTarget) return;
      if (!qaRepo) {
        out.observations.push({
          rule: RELEASE_ACTIONS_RULE,
          target: name,
          message: `R17: releaseTrain.qaDeployTarget.repository ${JSON.stringify(qaTarget.repository)} is not one of the configured repositories`,
        });
        return;
      }
      out.effects.push(
        planned(
          RELEASE_ACTIONS_RULE,
          {
            type: "setVariable",
            repo: `${config.organisation}/${qaRepo.name}`,
            name: qaTarget.variable,
            value,
          },
          key,
          reason,
        ),
      );
    };

    /**
     * R17, outside the RC period: QA deploys return to main when the release is published, not
     * when the calendar says it should be (R26: a release starts only once every QA lead is
     * ready, so it may slip). Published means a tag `releaseTrain.tag` names the version: a
     * published GitHub release is stored as its tag (webhooks' `release`, the sync's tags), so
     * the tag covers both. An RC branch above the latest release is a release not published yet:
     * QA keeps testing it. The return is keyed by the minor release it follows, so a later patch
     * release does not repeat it.
     */
    const returnQaTarget = () => {
      const pending = versions.openRcBranches[0];
      const pendingVersion = pending ? parsePattern(train.branches.rc, pending) : undefined;
      if (pending && pendingVersion) {
        const tag = formatPattern(train.tag, pendingVersion);
        const message = `R17: release ${pendingVersion} not published yet (no tag ${tag}); QA keeps testing ${pending}`;
        if (qaTarget) out.observations.push({ rule: RELEASE_ACTIONS_RULE, target: name, message });
        setQaTarget(pending, `qa-target:rc:${pendingVersion}`, message);
        return;
      }
      const latest = versions.latestRelease ? parseVersion(versions.latestRelease) : undefined;
      if (latest) {
        const minor = formatVersion({ ...latest, patch: 0 });
        setQaTarget(
          train.branches.main,
          `qa-target:main:${minor}`,
          `R17: release ${versions.latestRelease} is published (tag ${formatPattern(train.tag, versions.latestRelease!)}) and no release candidate is open: QA deploys return to ${train.branches.main}`,
        );
        return;
      }
      const released = calendar.release(phase.releaseIndex - 1);
      setQaTarget(
        train.branches.main,
        `qa-target:main:${released.toPlainDate().toString()}`,
        `R17: no release candidate is open (no RC branch, no release tag): QA deploys test ${train.branches.main}`,
      );
    };

    if (train.mode === "release-candidate") {
      if (phase.phase === "rc") {
        if (!version) {
          out.observations.push({
            rule: RELEASE_ACTIONS_RULE,
            target: name,
            message: `R14: the RC period began ${formatWhen(phase.since)}, but no release tag, milestone or RC branch names the next version`,
          });
          return out;
        }
        const branch = formatPattern(train.branches.rc, version);
        const cut = `RC cut ${formatWhen(phase.since)}`;
        if (!repo.releaseTrain.branches.includes(branch)) {
          if (repo.releaseTrain.mainSha) {
            out.effects.push(
              planned(
                RELEASE_ACTIONS_RULE,
                {
                  type: "createRef",
                  repo: name,
                  ref: `refs/heads/${branch}`,
                  sha: repo.releaseTrain.mainSha,
                },
                `rc:${version}`,
                `R14: ${cut}: the release candidate for ${version} is cut from ${train.branches.main} (releaseTrain.rcCut)`,
              ),
            );
          } else {
            out.observations.push({
              rule: RELEASE_ACTIONS_RULE,
              target: name,
              message: `R14: ${train.branches.main} is not synced: cannot cut ${branch}`,
            });
          }
        }
        const title = formatPattern(train.qaIssueTitle, version);
        if (
          !(repo.releaseTrain.qaIssueTitles ?? []).some(
            (t) => t.toLowerCase() === title.toLowerCase(),
          )
        ) {
          out.effects.push(
            planned(
              RELEASE_ACTIONS_RULE,
              {
                type: "createIssue",
                repo: name,
                title,
                body: qaIssueBody(config, version, branch),
                labels: [],
                assignees: [...new Set(config.productGroups.map((g) => g.qaLead))],
              },
              `release-qa:${version}`,
              `R14: ${cut}: a release QA issue for ${version}, assigned to the product groups' QA leads (releaseTrain.qaIssueTitle)`,
            ),
          );
        }
        announce(
          { key: `rc-announce:${version}`, subject: `rc-cut:${version}` },
          `The release candidate for ${version} is cut: ${branch}. Until the release on ${formatWhen(phase.until)}, only unreleased bug fixes merge into it (cherry-picked from ${train.branches.main}).`,
          `R14: ${cut}: announce the release candidate`,
        );
        setQaTarget(
          branch,
          `qa-target:rc:${version}`,
          `R17: ${cut}: QA deploys follow the release candidate ${branch}`,
        );
      } else {
        returnQaTarget();
      }
      return out;
    }

    // Freeze mode: announce the freeze and the deep freeze, once each.
    const v = version ? ` for ${version}` : "";
    if (phase.phase === "frozen") {
      announce(
        { key: `freeze-announce:${sprintDay}`, subject: `freeze:${sprintDay}` },
        `${train.branches.main} is frozen${v} from ${formatWhen(phase.since)} until the release: bug fixes and docs-only changes merge; feature work needs the exception (EM, QA lead and release DRI approve).`,
        `R9: the freeze began ${formatWhen(phase.since)}`,
      );
    } else if (phase.phase === "deep-frozen") {
      announce(
        {
          key: `deep-freeze-announce:${sprintDay}`,
          subject: `deep-freeze:${sprintDay}`,
          thread: `freeze:${sprintDay}`,
        },
        `Deep freeze of ${train.branches.main}${v} from ${formatWhen(phase.since)} until the release ${formatWhen(phase.until)}: only ${config.labels.releaseBlocker} and ${config.labels.unreleasedBug} fixes merge.`,
        `R11: the deep freeze began ${formatWhen(phase.since)}`,
      );
    }
    return out;
  },
});
