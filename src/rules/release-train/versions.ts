import { parsePattern } from "../../handbook/patterns.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import { type VersionState, versionState } from "../../time/release.js";
import type { RepositorySnapshot } from "./snapshot.js";

/** The repository whose tags and milestones name the versions: the first that has any. */
export function trainVersions(config: HandbookConfig, repos: readonly RepositorySnapshot[]) {
  const byRepo = new Map<string, VersionState>();
  let fallback: VersionState | undefined;
  for (const r of repos) {
    if (!r.releaseTrain) continue;
    const v = versionState(config.releaseTrain, r.releaseTrain, parsePattern);
    byRepo.set(r.fullName, v);
    if (!fallback && v.nextMinor) fallback = v;
  }
  return (repo: string): VersionState =>
    byRepo.get(repo)?.nextMinor ? byRepo.get(repo)! : (fallback ?? { openRcBranches: [] });
}
