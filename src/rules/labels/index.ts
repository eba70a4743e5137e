import { planned } from "../../effects/plan.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import type { Rule, RuleOutput } from "../rule.js";

export interface VocabularyLabel {
  name: string;
  color: string;
  description: string;
}

/** Every label the handbook's rules read or write, as the configuration names them. */
export function vocabulary(config: HandbookConfig): VocabularyLabel[] {
  const l = config.labels;
  const words: VocabularyLabel[] = [
    { name: l.bug, color: "d73a4a", description: "Something isn't working" },
    { name: l.releasedBug, color: "e99695", description: "A bug in a released version" },
    { name: l.unreleasedBug, color: "f9d0c4", description: "A bug in code not yet released" },
    { name: l.releaseBlocker, color: "b60205", description: "Must be fixed before the release" },
    { name: l.story, color: "0e8a16", description: "A user story" },
    {
      name: l.engineeringInitiated,
      color: "c2e0c6",
      description: "A story engineering proposed",
    },
    { name: l.product, color: "5319e7", description: "In product drafting" },
    { name: l.release, color: "1d76db", description: "Planned for a release" },
    { name: l.pushed, color: "fbca04", description: "Pushed to the next release" },
    ...l.bugStates.map((s) => ({
      name: s.label,
      color: "ededed",
      description: `Bug state: ${s.state}`,
    })),
    ...config.productGroups.map((g) => ({
      name: g.label,
      color: "bfdadc",
      description: `Product group: ${g.name}`,
    })),
  ];
  return unique(words);
}

/**
 * The vocabulary plus the labels Bosun itself puts on issues it files in this repository
 * (ritual auto-issues, the weekly KPI report): GitHub refuses an issue naming a missing label.
 */
export function repositoryVocabulary(config: HandbookConfig, repoName: string): VocabularyLabel[] {
  const extra = [
    ...config.rituals
      .filter((r) => r.autoIssue?.repo === repoName)
      .flatMap((r) => r.autoIssue!.labels),
    ...(config.kpi.post.to === "issue" &&
    (config.kpi.post.repository ?? config.repositories[0]?.name) === repoName
      ? config.kpi.post.labels
      : []),
  ];
  return unique([
    ...vocabulary(config),
    ...extra.map((name) => ({ name, color: "ededed", description: "Used by issues Bosun files" })),
  ]);
}

// GitHub label names are unique regardless of case; the first spelling wins.
function unique(words: VocabularyLabel[]): VocabularyLabel[] {
  const seen = new Set<string>();
  return words.filter((w) => {
    const k = w.name.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Converges each repository's labels towards the vocabulary: creates what is missing, never deletes. */
export const labelVocabulary: Rule = {
  name: "label-vocabulary",
  ids: [],
  section: "labels",
  summary:
    "Every label the handbook's rules use exists in each configured repository (created when missing, never deleted or recoloured).",
  decide({ config, snapshot }): RuleOutput {
    const out: RuleOutput = { effects: [], observations: [] };
    for (const repo of snapshot.repositories) {
      const words = repositoryVocabulary(
        config,
        repo.fullName.slice(config.organisation.length + 1),
      );
      if (!repo.synced) {
        out.observations.push({
          rule: this.name,
          target: repo.fullName,
          message: "not synced yet: labels are checked after the first full sync",
        });
        continue;
      }
      const present = new Set(repo.labels.map((x) => x.name.toLowerCase()));
      for (const w of words) {
        if (present.has(w.name.toLowerCase())) continue;
        out.effects.push(
          planned(
            this.name,
            { type: "createLabel", repo: repo.fullName, ...w },
            w.name.toLowerCase(),
            `labels: ${JSON.stringify(w.name)} is in the handbook's vocabulary (bosun.yml labels, productGroups, rituals, kpi.post) but missing from ${repo.fullName}`,
          ),
        );
      }
    }
    return out;
  },
};
