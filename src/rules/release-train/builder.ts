// Test-only: builds the release train's repositories by hand, as the store holds them after a
// sync (versions, open pull requests, recently merged ones). Pull requests and issues share
// one number space per repository on GitHub, so a second one with the same number is refused.
import type {
  MergedPullSnapshot,
  PullSnapshot,
  ReleaseTrainSnapshot,
  RepositorySnapshot,
} from "./snapshot.js";

export const FLEET = "fleetdm/fleet";

export interface NewRepository extends Partial<Omit<ReleaseTrainSnapshot, "pulls" | "merged">> {
  /** Default true. */
  synced?: boolean;
  /** The labels that exist on GitHub in the repository. */
  labels?: string[];
}

interface Built {
  state: RepositorySnapshot;
  train: ReleaseTrainSnapshot;
  numbers: Set<number>;
}

export class TrainState {
  private readonly repos = new Map<string, Built>();

  /** Declares a repository; one is declared (FLEET, empty) on first use when none was. */
  repository(fullName: string, o: NewRepository = {}): this {
    if (this.repos.has(fullName)) throw new Error(`${fullName} is already in this state`);
    const { synced = true, labels = [], ...train } = o;
    this.repos.set(fullName, {
      state: { fullName, synced, labels: labels.map((name) => ({ name })) },
      train: { tags: [], branches: ["main"], milestones: [], pulls: [], merged: [], ...train },
      numbers: new Set(),
    });
    return this;
  }

  /** An open pull request. */
  pull(pull: PullSnapshot, repo = this.defaultRepo()): this {
    this.claim(repo, pull.number).train.pulls.push(pull);
    return this;
  }

  /** A pull request merged recently, kept in the order given (the loader gives newest first). */
  merged(pull: MergedPullSnapshot, repo = this.defaultRepo()): this {
    this.claim(repo, pull.number).train.merged.push(pull);
    return this;
  }

  repositories(): RepositorySnapshot[] {
    return [...this.repos.values()].map(({ state, train }) => ({
      ...state,
      labels: state.labels.map((l) => ({ ...l })),
      releaseTrain: {
        ...train,
        pulls: train.pulls.map((p) => structuredClone(p)),
        merged: train.merged.map((m) => ({ ...m })),
      },
    }));
  }

  private defaultRepo(): string {
    const first = this.repos.keys().next();
    if (!first.done) return first.value;
    this.repository(FLEET);
    return FLEET;
  }

  private claim(repo: string, number: number): Built {
    const built = this.repos.get(repo);
    if (!built) throw new Error(`${repo} is not in this state: declare it with repository()`);
    if (built.numbers.has(number))
      throw new Error(`${repo}#${number} already exists in this state`);
    built.numbers.add(number);
    return built;
  }
}
