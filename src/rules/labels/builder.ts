// Test-only: builds the label vocabulary's input: repositories with the labels GitHub has in
// them. GitHub's label names are unique in a repository regardless of case, so a second label
// of the same name, like a second repository of the same name, is refused.
import type { RepositoryState } from "../rule.js";
import type { LabelVocabularyInput, VocabularyLabel } from "./index.js";

export const FLEET = "fleetdm/fleet";

export class LabelState {
  private readonly repos = new Map<string, RepositoryState>();

  repository(fullName: string, labels: readonly string[] = [], o: { synced?: boolean } = {}): this {
    if (this.repos.has(fullName)) throw new Error(`${fullName} is already in this state`);
    const seen = new Set<string>();
    for (const name of labels) {
      const key = name.toLowerCase();
      if (seen.has(key))
        throw new Error(`${fullName} already has the label ${JSON.stringify(name)}`);
      seen.add(key);
    }
    this.repos.set(fullName, {
      fullName,
      synced: o.synced ?? true,
      labels: labels.map((name) => ({ name })),
    });
    return this;
  }

  input(vocabulary: readonly VocabularyLabel[]): LabelVocabularyInput {
    return {
      repositories: [...this.repos.values()].map((r) => ({ ...r, labels: [...r.labels] })),
      vocabulary,
    };
  }
}
