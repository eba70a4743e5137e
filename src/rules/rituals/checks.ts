import type { ConfigCheck } from "../../handbook/checks.js";
import { type ConfigError, isRecord, orList } from "../../handbook/config-error.js";

/** A ritual's autoIssue.repo must be a configured repository. */
export const autoIssueRepository: ConfigCheck = ({ repositories, rituals }) => {
  const errors: ConfigError[] = [];
  if (repositories.length === 0) return errors;
  const allowed = orList(repositories.map((r) => JSON.stringify(r)));
  rituals.list.forEach((ritual, index) => {
    if (!isRecord(ritual) || !isRecord(ritual.autoIssue)) return;
    const repo = ritual.autoIssue.repo;
    if (typeof repo !== "string" || repositories.includes(repo)) return;
    const name =
      typeof ritual.task === "string" ? `ritual "${ritual.task}"` : `ritual #${index + 1}`;
    errors.push({
      ...rituals.at([index, "autoIssue", "repo"]),
      message: `${name}: autoIssue.repo must be one of the configured repositories (${allowed}), found ${JSON.stringify(repo)}`,
      found: JSON.stringify(repo),
      allowed,
    });
  });
  return errors;
};
