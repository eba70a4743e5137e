import type { HandbookConfig } from "../handbook/schema.js";

/**
 * Turns what a person types into the targets the audit log records (`owner/repo#12`,
 * `owner/repo@branch`); a short form matches every configured repository it could mean.
 */
export function resolveTargets(
  input: string,
  config: Pick<HandbookConfig, "organisation" | "repositories">,
): string[] {
  const text = input.trim();
  const repos = config.repositories.map((r) => `${config.organisation}/${r.name}`);
  const qualify = (repo: string) => (repo.includes("/") ? repo : `${config.organisation}/${repo}`);

  const bare = /^(?:pr|pull|issue)?\s*#?(?<n>\d+)$/i.exec(text);
  if (bare?.groups) return repos.map((r) => `${r}#${bare.groups!.n}`);
  const numbered = /^(?<repo>[\w.-]+(?:\/[\w.-]+)?)#(?<n>\d+)$/.exec(text);
  if (numbered?.groups) return [`${qualify(numbered.groups.repo!)}#${numbered.groups.n}`];
  const ref = /^(?<repo>[\w.-]+(?:\/[\w.-]+)?)@(?<ref>.+)$/.exec(text);
  if (ref?.groups) return [`${qualify(ref.groups.repo!)}@${ref.groups.ref}`];
  if (/^[\w.-]+\/[\w.-]+$/.test(text) && !text.includes("..")) {
    // owner/repo names a repository; anything else with a slash is a branch such as release/4.1.
    if (repos.includes(text) || text.startsWith(`${config.organisation}/`)) return [text];
  }
  return repos.map((r) => `${r}@${text}`);
}
