// Test-only: builds the merge gate's input (repositories with their release train, open and
// merged pull requests, logins GitHub does not know). Refuses a second pull request with the
// same number in a repository, as GitHub would.

import { TrainState } from "../release-train/builder.js";
import type { PullSnapshot } from "../release-train/snapshot.js";
import type { MergeGateInput } from "./index.js";

export { FLEET } from "../release-train/builder.js";

/** The head commit of the pull requests {@link pullRequest} builds. */
export const HEAD = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

/** An open, ready pull request #100 into main changing one Go file, with no reviews or status. */
export function pullRequest(over: Partial<PullSnapshot> = {}): PullSnapshot {
  return {
    number: 100,
    title: "A change",
    body: "",
    author: "mna",
    draft: false,
    baseRef: "main",
    headRef: "feature",
    headSha: HEAD,
    labels: [],
    createdAt: "2026-11-01T10:00:00Z",
    reviews: [],
    files: ["server/service/hosts.go"],
    linkedIssues: [],
    gateStatus: null,
    ...over,
  };
}

export class GateState extends TrainState {
  private readonly missing = new Set<string>();

  /** A login the configuration names that GitHub answered 404 for. */
  missingLogin(...logins: string[]): this {
    for (const l of logins) this.missing.add(l.toLowerCase());
    return this;
  }

  input(): MergeGateInput {
    return {
      repositories: this.repositories(),
      ...(this.missing.size > 0 ? { missingLogins: [...this.missing] } : {}),
    };
  }
}
