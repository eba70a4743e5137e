// An example rule, as docs/adding-a-rule.md builds it: an open bug that carries none of the
// bug-state labels goes to the inbox (R1's first state). Converges: labels only what lacks one.
import { planned } from "../../../src/effects/plan.js";
import { bugStateNames, carriesLabel } from "../../../src/handbook/labels.js";
import type { HandbookConfig } from "../../../src/handbook/schema.js";
import {
  emptyOutput,
  type LoadContext,
  planningRule,
  type Scope,
} from "../../../src/rules/rule.js";
import type { Store } from "../../../src/store/index.js";
import { bugInboxKeys } from "./config.js";

/** The one store read this rule needs. */
export type BugInboxReads = Pick<Store, "listIssues" | "listIssuesByNumber">;

export interface BugInboxInput {
  bugs: { repo: string; number: number; labels: string[] }[];
}

export const BUG_INBOX_RULE = "bug-inbox";

/** The key's discriminator: the issue and the label it gets. */
export const inboxKey = {
  build: (i: { number: number; label: string }) => `${i.number}|${i.label.toLowerCase()}`,
  parse(discriminator: string) {
    const m = /^(\d+)\|(.+)$/.exec(discriminator);
    return m ? { number: Number(m[1]), label: m[2]! } : undefined;
  },
};

const issueScope = (payload: unknown, repo: string | undefined): Scope | undefined => {
  const n = (payload as { issue?: { number?: unknown } } | null)?.issue?.number;
  return repo && typeof n === "number" ? { repo, numbers: [n] } : undefined;
};

const stateLabels = (config: HandbookConfig) =>
  new Set(config.labels.bugStates.flatMap(bugStateNames).map((l) => l.toLowerCase()));

export const bugInbox = planningRule({
  name: BUG_INBOX_RULE,
  ids: ["R1"],
  summary: "An open bug without a bug-state label gets the inbox label (labels.bugStates[0]).",
  config: { keys: bugInboxKeys, reads: ["labels"] },
  triggers: {
    events: [{ event: "issues", actions: ["opened", "labeled", "unlabeled"], scope: issueScope }],
  },
  async load(ctx: LoadContext<BugInboxReads>): Promise<BugInboxInput> {
    const { config, reads, scope } = ctx;
    const bugs: BugInboxInput["bugs"] = [];
    for (const repo of await ctx.repositories()) {
      if (!repo.synced || (scope.repo && scope.repo !== repo.fullName)) continue;
      const rows = scope.numbers
        ? await reads.listIssuesByNumber(repo.fullName, scope.numbers)
        : await reads.listIssues({ repo: repo.fullName, kind: "issue", state: "open" });
      for (const r of rows) {
        if (r.isPullRequest || r.state !== "open") continue;
        // The bug label under its canonical name or an alias (labels.aliases).
        if (!carriesLabel(config.labels, "bug", r.labels)) continue;
        bugs.push({ repo: repo.fullName, number: r.number, labels: r.labels });
      }
    }
    return { bugs };
  },
  decide(input: BugInboxInput, config) {
    const out = emptyOutput();
    if (!config.bugInbox?.enabled) return out;
    const states = stateLabels(config);
    const inbox = config.labels.bugStates[0]!.label;
    for (const bug of input.bugs) {
      if (bug.labels.some((l) => states.has(l.toLowerCase()))) continue;
      out.effects.push(
        planned(
          BUG_INBOX_RULE,
          { type: "addLabels", repo: bug.repo, number: bug.number, labels: [inbox] },
          inboxKey.build({ number: bug.number, label: inbox }),
          `R1: ${bug.repo}#${bug.number} is a bug with no state label; it starts in the inbox (${JSON.stringify(inbox)}, labels.bugStates[0])`,
        ),
      );
    }
    return out;
  },
});
