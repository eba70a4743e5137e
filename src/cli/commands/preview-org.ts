import type { OrgSpec } from "../../../emulator/generator/org-spec.js";
import { roleLogins } from "../../handbook/people.js";
import type { HandbookConfig } from "../../handbook/schema.js";

/** The organisation the emulator generates for a preview: the configuration's own names and people. */
export function orgSpecFromConfig(config: HandbookConfig, now: Date): OrgSpec {
  const l = config.labels;
  return {
    owner: config.organisation,
    repositories: config.repositories.map((r) => ({
      name: r.name,
      defaultBranch: r.defaultBranch,
    })),
    groups: config.productGroups.map((g) => ({
      label: g.label,
      engineeringManager: g.engineeringManager,
      qaLead: g.qaLead,
      members: g.members.length > 0 ? g.members : [g.engineeringManager],
    })),
    labels: {
      bug: l.bug,
      releasedBug: l.releasedBug,
      unreleasedBug: l.unreleasedBug,
      releaseBlocker: l.releaseBlocker,
      story: l.story,
      engineeringInitiated: l.engineeringInitiated,
      product: l.product,
      release: l.release,
      pushed: l.pushed,
      customerPrefix: l.customerPrefix,
      bugStates: l.bugStates.map((s) => ({ state: s.state, label: s.label })),
      extra: [...new Set([...l.kpiExcludedPrLabels, l.ceo, "P1", "P2"])],
    },
    release: {
      milestonePattern: config.releaseTrain.milestone,
      tagPattern: config.releaseTrain.tag,
      rcBranchPattern: config.releaseTrain.branches.rc,
      patchBranchPattern: config.releaseTrain.branches.patch,
      sprintWeeks: config.releaseTrain.sprint.lengthWeeks,
    },
    now,
    people: roleLogins(config),
  };
}
