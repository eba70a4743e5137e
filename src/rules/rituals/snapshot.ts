// What the rituals rule sees: issues carrying ritual markers, patch releases, runbooks.
import type { Runbook } from "../../handbook/runbook-model.js";

/** An issue whose body carries a ritual marker: that occurrence has been filed. */
export interface RitualIssueSnapshot {
  repo: string;
  number: number;
  state: "open" | "closed";
  ritualId: string;
  occurrence: string;
}

/** A patch release seen in the store (a tag or patch branch of a version x.y.z with z > 0). */
export interface PatchReleaseSnapshot {
  repo: string;
  version: string;
  /** When it was created (tag commit date) or first seen (branch). */
  at: string;
}

/**
 * An issue carrying a ritual marker that does not count (R47): its author is not Bosun's own
 * account, or Bosun cannot tell its own account yet. Anyone who can open an issue can copy a
 * marker; only Bosun's own issues say an occurrence was filed.
 */
export interface IgnoredMarkerSnapshot {
  repo: string;
  number: number;
  author: string | null;
  ritualId: string;
  occurrence: string;
  /** Bosun's own logins as far as it can tell (lower case); empty when it cannot tell. */
  ownLogins: string[];
}

export interface RitualSnapshot {
  /** Issues by Bosun's own account carrying a ritual marker: those occurrences are filed. */
  issues: RitualIssueSnapshot[];
  /** Markers that do not count, said as observations rather than dropped silently. */
  ignoredMarkers?: IgnoredMarkerSnapshot[];
  patchReleases: PatchReleaseSnapshot[];
  runbooks: Runbook[];
  /**
   * When Bosun first decided the rituals of the organisation (ISO 8601): occurrences due before
   * it are not filed (`bosun rituals backfill` files them on purpose). Absent: this run is the
   * first, so it is the run's own instant.
   */
  startedAt?: string;
}
