// Test-only: builds the rituals rule's input: configured repositories, issues carrying ritual
// markers, patch releases, imported runbooks and when Bosun first ran. Refuses a second issue with the same number in
// a repository, and an occurrence key that does not parse.
import type { Runbook } from "../../handbook/runbook-model.js";
import type { RepositoryState } from "../rule.js";
import type { RitualsInput } from "./index.js";
import { occurrenceKey } from "./marker.js";
import type { PatchReleaseSnapshot, RitualIssueSnapshot } from "./snapshot.js";

export const FLEET = "fleetdm/fleet";

export interface NewRitualState {
  /** Default: fleetdm/fleet and fleetdm/confidential. */
  repositories?: string[];
  /** Default true. */
  synced?: boolean;
}

export class RitualState {
  private readonly repos: RepositoryState[];
  private readonly issues = new Map<string, RitualIssueSnapshot>();
  private readonly patches: PatchReleaseSnapshot[] = [];
  private books: Runbook[] = [];
  private started: string | undefined;

  constructor(o: NewRitualState = {}) {
    this.repos = (o.repositories ?? [FLEET, "fleetdm/confidential"]).map((fullName) => ({
      fullName,
      synced: o.synced ?? true,
      labels: [],
    }));
  }

  /** An issue whose body carries the marker of a ritual's occurrence. */
  issue(issue: RitualIssueSnapshot): this {
    const key = `${issue.repo}#${issue.number}`;
    if (this.issues.has(key)) throw new Error(`${key} already exists in this state`);
    this.issues.set(key, { ...issue });
    return this;
  }

  /**
   * Occurrences already filed, as `<ritual id>@<occurrence id>` (the key's discriminator): closed
   * issues in fleetdm/fleet, numbered from 100 on.
   */
  filed(...keys: string[]): this {
    for (const key of keys) {
      const parts = occurrenceKey.parse(key);
      if (!parts) throw new Error(`not an occurrence key: ${JSON.stringify(key)}`);
      let number = 100;
      while (this.issues.has(`${FLEET}#${number}`)) number++;
      this.issue({
        repo: FLEET,
        number,
        state: "closed",
        ritualId: parts.ritual,
        occurrence: parts.occurrence,
      });
    }
    return this;
  }

  patchRelease(...releases: PatchReleaseSnapshot[]): this {
    this.patches.push(...releases.map((r) => ({ ...r })));
    return this;
  }

  runbooks(runbooks: Runbook[]): this {
    this.books = runbooks;
    return this;
  }

  /** When Bosun first ran for the organisation; unset, the decision is its first run. */
  startedAt(instant: string): this {
    this.started = instant;
    return this;
  }

  input(): RitualsInput {
    return {
      repositories: this.repos.map((r) => ({ ...r, labels: [...r.labels] })),
      rituals: {
        issues: [...this.issues.values()].map((i) => ({ ...i })),
        patchReleases: [...this.patches],
        runbooks: this.books,
        ...(this.started ? { startedAt: this.started } : {}),
      },
    };
  }
}
