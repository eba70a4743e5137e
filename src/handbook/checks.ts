// Checks across fields, on the raw data, so that they run even when other keys are wrong. The
// shared sections' checks live here; a rule's checks live in its folder and get the same context.
import { type ConfigError, isRecord } from "./config-error.js";
import type { Position } from "./yaml-source.js";

export interface CheckContext {
  /** bosun.yml as read, before the schema. */
  data: Record<string, unknown>;
  /** The position of a key path in bosun.yml ("key": its key), else of its nearest parent. */
  at(keyPath: readonly PropertyKey[], target?: "value" | "key"): Position;
  /** The configured repository names, as written. */
  repositories: string[];
  /** The rituals, inline or from the rituals file, with positions in the file they came from. */
  rituals: { list: unknown[]; at(keyPath: readonly PropertyKey[]): Position };
}

export type ConfigCheck = (ctx: CheckContext) => ConfigError[];

export function configuredRepositoryNames(data: Record<string, unknown>): string[] {
  return Array.isArray(data.repositories)
    ? data.repositories
        .map((r: unknown) => (isRecord(r) ? r.name : r))
        .filter((n): n is string => typeof n === "string")
    : [];
}

/** Repository names, product group labels and ids, bug states and their labels are unique. */
export const sharedChecks: ConfigCheck = ({ data, at }) => {
  const errors: ConfigError[] = [];
  const unique = (listKey: string, field: string, what: string) => {
    const list = data[listKey];
    if (!Array.isArray(list)) return;
    const seen = new Map<string, number>();
    list.forEach((item: unknown, index) => {
      const value = isRecord(item) ? item[field] : listKey === "repositories" ? item : undefined;
      if (typeof value !== "string") return;
      const first = seen.get(value);
      if (first === undefined) {
        seen.set(value, index);
        return;
      }
      const keyPath = isRecord(item) ? [listKey, index, field] : [listKey, index];
      errors.push({
        ...at(keyPath),
        message: `duplicate ${what} ${JSON.stringify(value)}: already used by ${listKey}[${first}]; each ${what} must be unique`,
        found: JSON.stringify(value),
      });
    });
  };
  unique("repositories", "name", "repository name");
  unique("productGroups", "label", "product group label");
  unique("productGroups", "id", "product group id");

  const labels = isRecord(data.labels) ? data.labels : {};
  if (Array.isArray(labels.bugStates)) {
    const states = new Map<string, number>();
    const bugLabels = new Map<string, number>();
    labels.bugStates.forEach((item: unknown, index) => {
      if (!isRecord(item)) return;
      for (const [field, seen] of [
        ["state", states],
        ["label", bugLabels],
      ] as const) {
        const value = item[field];
        if (typeof value !== "string") continue;
        const first = seen.get(value);
        if (first === undefined) seen.set(value, index);
        else {
          errors.push({
            ...at(["labels", "bugStates", index, field]),
            message: `duplicate bug ${field} ${JSON.stringify(value)}: already used by labels.bugStates[${first}]`,
            found: JSON.stringify(value),
          });
        }
      }
    });
  }
  return errors;
};
