// Test-only: builds what the deploy guard knows (branches, release tags on commits, what runs,
// where commits stand in git history) and its input for one question. A release version tags one
// commit, so tagging it on a second commit is refused, as is a branch named twice, and a pair of
// commits placed twice in different ways.
import {
  type CommitPlacement,
  type CommitStatus,
  type DeployKnowledge,
  type DeployRequest,
  placementKey,
  type RunningDeploy,
} from "./index.js";
import type { DeployInput } from "./load.js";

export class DeployState {
  private readonly branchNames = new Set<string>();
  /** Version -> the full sha of the commit it tags. */
  private readonly tags = new Map<string, string>();
  private current: RunningDeploy | undefined;
  private readonly placements = new Map<string, CommitPlacement>();
  private release: string | undefined;

  branch(...names: string[]): this {
    for (const name of names) {
      if (this.branchNames.has(name))
        throw new Error(`the branch ${name} is already in this state`);
      this.branchNames.add(name);
    }
    return this;
  }

  /** A release tag of `version` on the commit `sha`. */
  tag(version: string, sha: string): this {
    const tagged = this.tags.get(version);
    if (tagged !== undefined && tagged !== sha.toLowerCase()) {
      throw new Error(`${version} already tags ${tagged.slice(0, 7)} in this state`);
    }
    this.tags.set(version, sha.toLowerCase());
    return this;
  }

  /** The latest `bosun deploy record` of the environment. */
  runs(deploy: RunningDeploy | undefined): this {
    this.current = deploy;
    return this;
  }

  /**
   * R28: GitHub's compare of `base...head` answered `status` (where head stands), or could not
   * place them (`{ unknown: reason }`).
   */
  placed(base: string, head: string, status: CommitStatus | { unknown: string }): this {
    const key = placementKey(base, head);
    const placement: CommitPlacement =
      typeof status === "string" ? { status } : { status: "unknown", reason: status.unknown };
    const known = this.placements.get(key);
    if (known && JSON.stringify(known) !== JSON.stringify(placement)) {
      throw new Error(`${key} is already placed ${known.status} in this state`);
    }
    this.placements.set(key, placement);
    return this;
  }

  /** R28: the newest release the running commit contains, as the loader found it. */
  runningContains(version: string): this {
    this.release = version;
    return this;
  }

  knowledge(): DeployKnowledge {
    const tags = [...this.tags];
    const placements = new Map(this.placements);
    return {
      branches: [...this.branchNames],
      versionsOfCommit: (sha) =>
        tags.filter(([, full]) => full.startsWith(sha.toLowerCase())).map(([v]) => v),
      ...(this.current ? { running: { ...this.current } } : {}),
      placement: (base, head) => placements.get(placementKey(base, head)),
      ...(this.release ? { runningRelease: this.release } : {}),
    };
  }

  input(request: DeployRequest): DeployInput {
    return { request: { ...request }, knowledge: this.knowledge() };
  }
}
