// A label as the handbook's rules need it: the vocabulary is the union of what each rule
// declares (rule.labels), created where missing by the label-vocabulary rule.

export interface VocabularyLabel {
  name: string;
  color: string;
  description: string;
  /** Only in this repository (by name): labels of issues a rule files there. Absent: everywhere. */
  repo?: string;
}

/** GitHub label names are unique regardless of case; the first spelling wins. */
export function uniqueLabels(words: readonly VocabularyLabel[]): VocabularyLabel[] {
  const seen = new Set<string>();
  return words.filter((w) => {
    const k = w.name.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The labels one repository needs, in the order the rules declared them. */
export function repositoryVocabulary(
  vocabulary: readonly VocabularyLabel[],
  repoName: string,
): VocabularyLabel[] {
  return uniqueLabels(vocabulary.filter((w) => w.repo === undefined || w.repo === repoName)).map(
    ({ repo: _, ...w }) => w,
  );
}

/** Labels Bosun puts on the issues it files in a repository: GitHub refuses missing ones. */
export function filedLabels(names: readonly string[], repo: string): VocabularyLabel[] {
  return names.map((name) => ({
    name,
    color: "ededed",
    description: "Used by issues Bosun files",
    repo,
  }));
}
