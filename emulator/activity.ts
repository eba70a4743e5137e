import type { Core } from "./core.js";
import { gitDir, identityOf } from "./domain/git.js";
import { addLabels, closeIssue, createComment, createIssue, removeLabel } from "./domain/issues.js";
import { createPull, createReview } from "./domain/pulls.js";
import type { OrgSpec } from "./generator/org-spec.js";
import { Prng } from "./prng.js";

/**
 * Live activity after the generated history: each step picks one realistic action (a new
 * bug, a new PR on a real branch, a review, a label change, a close) and performs it through
 * the same domain operations as the REST API, so it produces issue events and webhooks.
 */
export class ActivitySimulator {
  private readonly rng: Prng;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly core: Core,
    private readonly spec: OrgSpec,
    seed: number,
  ) {
    this.rng = new Prng(seed ^ 0x5eed);
  }

  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => {
      this.running = this.running
        .then(() => this.step())
        .catch((error) => console.error("emulator activity:", error));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async idle(): Promise<void> {
    await this.running;
  }

  /** Performs `count` actions now; returns a readable line per action. */
  async steps(count: number): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(await this.step());
    return out;
  }

  async step(): Promise<string> {
    const { core, spec, rng } = this;
    const repoSpec = spec.repositories[0]!;
    const data = core.state.repo(spec.owner, repoSpec.name);
    if (!data) return "no repository";
    const group = rng.pick(spec.groups);
    const member = rng.pick(group.members);
    const roll = rng.next();
    const open = data.issues.filter((i) => i.state === "open");
    const L = spec.labels;
    if (roll < 0.3 || open.length === 0) {
      const issue = createIssue(core, data, member, {
        title: `Live bug ${data.repo.nextNumber}: ${rng.pick(["export", "filter", "sync", "login"])} misbehaves`,
        body: "Found during simulated activity.",
        labels: [
          L.bug,
          rng.chance(0.5) ? L.releasedBug : L.unreleasedBug,
          group.label,
          L.bugStates[0]!.label,
        ],
      });
      return `${data.repo.name}#${issue.number}: opened bug`;
    }
    if (roll < 0.45) {
      const dir = gitDir(core, data);
      const base = await core.git.resolveCommit(dir, `refs/heads/${data.repo.defaultBranch}`);
      if (!base) return "no default branch";
      const branch = `live-${data.repo.nextNumber}`;
      const tree = await core.git.writeTree(dir, base, [
        { path: `changes/${branch}.md`, content: `${branch}\n` },
      ]);
      const sha = await core.git.commitTree(
        dir,
        tree,
        [base],
        `Live change ${branch}\n`,
        identityOf(core, member),
      );
      await core.git.updateRef(dir, `refs/heads/${branch}`, sha);
      const pull = await createPull(core, data, member, {
        title: `Live change ${branch}`,
        head: branch,
        base: data.repo.defaultBranch,
        draft: rng.chance(0.2),
      });
      return `${data.repo.name}#${pull.number}: opened PR`;
    }
    const target = rng.pick(open);
    if (target.pull && roll < 0.65) {
      const reviewer = rng.pick(group.members.filter((m) => m !== target.user));
      createReview(
        core,
        data,
        target,
        reviewer,
        rng.chance(0.7)
          ? { event: "APPROVE" }
          : { event: "REQUEST_CHANGES", body: "Please add a test." },
      );
      return `${data.repo.name}#${target.number}: reviewed`;
    }
    if (roll < 0.8) {
      const stateLabels = L.bugStates.map((s) => s.label);
      const current = target.labels.find((l) => stateLabels.includes(l));
      if (current) {
        const next = stateLabels[stateLabels.indexOf(current) + 1];
        if (next) {
          removeLabel(core, data, target, group.qaLead, current);
          addLabels(core, data, target, group.qaLead, [next]);
          return `${data.repo.name}#${target.number}: ${current} -> ${next}`;
        }
      }
      addLabels(core, data, target, group.engineeringManager, [rng.pick(["P1", "P2"])]);
      return `${data.repo.name}#${target.number}: prioritised`;
    }
    if (roll < 0.9) {
      createComment(core, data, target, member, "Simulated comment.");
      return `${data.repo.name}#${target.number}: commented`;
    }
    if (!target.pull) {
      closeIssue(core, data, target, group.qaLead, "completed");
      core.state.touch();
      return `${data.repo.name}#${target.number}: closed`;
    }
    createComment(core, data, target, member, "Rebased.");
    return `${data.repo.name}#${target.number}: commented`;
  }
}
