// Reading the `labels` section: each label setting is a canonical name (the one Bosun writes
// and creates) and aliases it also recognises when it reads labels (the older handbook writes
// `~release-blocker` and `~unreleased-bug`, the rest of it `~release blocker` and
// `~unreleased bug`). GitHub's label names ignore case, and so does every match here.
import type { BugState, LabelSetting, LabelsConfig } from "./schema.js";

/** Every name the setting is recognised by: the canonical name first, then its aliases. */
export function labelNames(labels: LabelsConfig, key: LabelSetting): string[] {
  return [labels[key], ...labels.aliases[key]];
}

/** Every name a bug state's label is recognised by, the canonical one first. */
export function bugStateNames(state: BugState): string[] {
  return [state.label, ...state.aliases];
}

/** The label of `carried` that is one of `names` (any spelling, any case), if any. */
export function carriedName(
  names: readonly string[],
  carried: Iterable<string>,
): string | undefined {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  for (const label of carried) if (wanted.has(label.toLowerCase())) return label;
  return undefined;
}

/** Whether `carried` holds the setting's label under any of its names. */
export function carriesLabel(
  labels: LabelsConfig,
  key: LabelSetting,
  carried: Iterable<string>,
): boolean {
  return carriedName(labelNames(labels, key), carried) !== undefined;
}

/** R2, R6, R7: which kind of bug, by its `~released bug` and `~unreleased bug` labels. */
export type BugRelease = "released" | "unreleased";

/**
 * R2, R6, R7, R11, R15: what a bug is, from whether it carries the released and the unreleased
 * label. One carrying both is a released bug: `~released bug` says it is in a released
 * version, which an `~unreleased bug` label cannot undo; its fix branches off the latest
 * release tag (R7), does not pass the deep freeze as an unreleased fix (R11), and reaches the
 * RC only with EM and QA approval (R15), and the KPI report counts it as released (R2). The
 * merge gate and the KPI report both decide it here.
 */
export function bugRelease(carries: {
  released: boolean;
  unreleased: boolean;
}): BugRelease | undefined {
  if (carries.released) return "released";
  return carries.unreleased ? "unreleased" : undefined;
}
