// The label vocabulary: every label the handbook's rules read or write exists in each configured
// repository. Converges: creates what is missing, never deletes or recolours.
import { planned } from "../../effects/plan.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import { emptyOutput, planningRule, type RepositoryState } from "../rule.js";
import { repositoryVocabulary, uniqueLabels, type VocabularyLabel } from "./vocabulary.js";

export { repositoryVocabulary, type VocabularyLabel } from "./vocabulary.js";

/** The words of the shared `labels` section and the product groups' labels. */
export function vocabulary(config: HandbookConfig): VocabularyLabel[] {
  const l = config.labels;
  return uniqueLabels([
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
  ]);
}

export interface LabelVocabularyInput {
  repositories: RepositoryState[];
  /** The union of every rule's labels (the runner gathers it from the registry). */
  vocabulary: readonly VocabularyLabel[];
}

export const LABEL_VOCABULARY_RULE = "label-vocabulary";

export const labelVocabulary = planningRule({
  name: LABEL_VOCABULARY_RULE,
  ids: [],
  summary:
    "Every label the handbook's rules use exists in each configured repository (created when missing, never deleted or recoloured).",
  config: { reads: ["labels", "productGroups"] },
  labels: vocabulary,
  triggers: { events: [{ event: "label", actions: ["deleted", "edited"] }] },
  async load(ctx): Promise<LabelVocabularyInput> {
    return { repositories: await ctx.repositories(), vocabulary: ctx.vocabulary };
  },
  decide(input: LabelVocabularyInput, config) {
    const out = emptyOutput();
    for (const repo of input.repositories) {
      if (!repo.synced) {
        out.observations.push({
          rule: LABEL_VOCABULARY_RULE,
          target: repo.fullName,
          message: "not synced yet: labels are checked after the first full sync",
        });
        continue;
      }
      const words = repositoryVocabulary(
        input.vocabulary,
        repo.fullName.slice(config.organisation.length + 1),
      );
      const present = new Set(repo.labels.map((x) => x.name.toLowerCase()));
      for (const w of words) {
        if (present.has(w.name.toLowerCase())) continue;
        out.effects.push(
          planned(
            LABEL_VOCABULARY_RULE,
            { type: "createLabel", repo: repo.fullName, ...w },
            labelKey.build(w.name),
            `labels: ${JSON.stringify(w.name)} is in the handbook's vocabulary (bosun.yml labels, productGroups, rituals, kpi.post) but missing from ${repo.fullName}`,
          ),
        );
      }
    }
    return out;
  },
});

/** The key's discriminator: the label's name in lower case (GitHub's names ignore case). */
export const labelKey = {
  build: (name: string) => name.toLowerCase(),
  parse: (discriminator: string): { name: string } | undefined =>
    discriminator !== "" && discriminator === discriminator.toLowerCase()
      ? { name: discriminator }
      : undefined,
};
