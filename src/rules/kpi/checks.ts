import type { ConfigCheck } from "../../handbook/checks.js";
import { type ConfigError, isRecord, orList } from "../../handbook/config-error.js";

/** The KPI report is posted in a configured repository. */
export const postRepository: ConfigCheck = ({ data, at, repositories }) => {
  const errors: ConfigError[] = [];
  const post = isRecord(data.kpi) && isRecord(data.kpi.post) ? data.kpi.post : {};
  if (typeof post.repository !== "string" || repositories.length === 0) return errors;
  if (repositories.includes(post.repository)) return errors;
  const allowed = orList(repositories.map((r) => JSON.stringify(r)));
  errors.push({
    ...at(["kpi", "post", "repository"]),
    message: `must be one of the configured repositories (${allowed}), found ${JSON.stringify(post.repository)}`,
    found: JSON.stringify(post.repository),
    allowed,
  });
  return errors;
};
