// Which repositories' deliveries Bosun keeps: those of the handbook configuration, matched
// case-insensitively as GitHub matches owner and repository names, and always stored under
// the configuration's spelling so webhook rows and synced rows share one key.
import type { HandbookConfig } from "../../handbook/schema.js";

export interface RepositoryMatcher {
  /** The configured full name for a payload's `repository.full_name`, or null when not configured. */
  resolve(fullName: string): string | null;
  readonly names: readonly string[];
}

/** "owner/name" for every repository of the configuration. */
export function configuredRepositories(
  config: Pick<HandbookConfig, "organisation" | "repositories">,
): string[] {
  return config.repositories.map((r) => `${config.organisation}/${r.name}`);
}

export function repositoryMatcher(fullNames: readonly string[]): RepositoryMatcher {
  const byLowerCase = new Map(fullNames.map((name) => [name.toLowerCase(), name]));
  return {
    names: [...fullNames],
    resolve: (fullName) => byLowerCase.get(fullName.toLowerCase()) ?? null,
  };
}
