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

export interface RitualSnapshot {
  issues: RitualIssueSnapshot[];
  patchReleases: PatchReleaseSnapshot[];
  runbooks: Runbook[];
  /**
   * When Bosun first decided the rituals of the organisation (ISO 8601): occurrences due before
   * it are not filed (`bosun rituals backfill` files them on purpose). Absent: this run is the
   * first, so it is the run's own instant.
   */
  startedAt?: string;
}
