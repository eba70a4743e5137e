// Test-only: builds what the deploy guard knows (branches, release tags on commits, what runs)
// and its input for one question. A release version tags one commit, so tagging it on a second
// commit is refused, as is a branch named twice.
import type { DeployKnowledge, DeployRequest, RunningDeploy } from "./index.js";
import type { DeployInput } from "./load.js";

export class DeployState {
  private readonly branchNames = new Set<string>();
  /** Version -> the full sha of the commit it tags. */
  private readonly tags = new Map<string, string>();
  private current: RunningDeploy | undefined;

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

  knowledge(): DeployKnowledge {
    const tags = [...this.tags];
    return {
      branches: [...this.branchNames],
      versionsOfCommit: (sha) =>
        tags.filter(([, full]) => full.startsWith(sha.toLowerCase())).map(([v]) => v),
      ...(this.current ? { running: { ...this.current } } : {}),
    };
  }

  input(request: DeployRequest): DeployInput {
    return { request: { ...request }, knowledge: this.knowledge() };
  }
}
