import type { IssueEventRec, IssueRec, LabelRec, RepoData } from "../state/model.js";
import type { EmulatorState } from "../state/state.js";
import type { GitShas } from "./git-history.js";
import type { PlannedItem } from "./history.js";

// Turns a planned item into records: its operations up to the cutoff are applied in time
// order, each appending the issue event GitHub would have recorded, so the final labels,
// state, milestone, title and draft flag are exactly what the events lead to.

export function applyItem(
  state: EmulatorState,
  data: RepoData,
  item: PlannedItem,
  cutoff: number,
  shas: GitShas,
): void {
  const labelColor = (name: string) =>
    data.labels.find((l: LabelRec) => l.name === name)?.color ?? "ededed";
  const issue: IssueRec = {
    id: state.nextId("issue"),
    number: item.number,
    title: item.title,
    body: item.body,
    user: item.author,
    state: "open",
    stateReason: null,
    labels: [],
    assignees: [],
    milestone: null,
    comments: 0,
    locked: false,
    createdAt: item.createdAt,
    updatedAt: item.createdAt,
    closedAt: null,
    closedBy: null,
    pull: null,
  };
  state.ensureUser(item.author);
  if (item.kind === "pr") {
    const real = shas.pulls.get(item.number);
    const shared = nearest(shas.mainline, item.createdAt);
    const [base, head] = real ?? [shared.parent, shared.sha];
    issue.pull = {
      draft: item.draft,
      headRef: `pr-${item.number}`,
      headSha: head,
      baseRef: data.repo.defaultBranch,
      baseSha: base,
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      requestedReviewers: [],
      additions: 2,
      deletions: 0,
      changedFiles: 2,
      commits: 1,
    };
  }
  const ev = (
    at: number,
    actor: string,
    event: IssueEventRec["event"],
    extra: Partial<IssueEventRec> = {},
  ) =>
    state.addEvent(data, {
      id: state.nextId("event"),
      issueNumber: item.number,
      actor,
      event,
      createdAt: at,
      commitId: null,
      ...extra,
    });
  state.addIssue(data, issue);
  for (const op of item.ops) {
    if (op.at > cutoff) break;
    issue.updatedAt = Math.max(issue.updatedAt, op.at);
    switch (op.kind) {
      case "label":
        if (!issue.labels.includes(op.name)) {
          issue.labels.push(op.name);
          ev(op.at, op.actor, "labeled", { label: { name: op.name, color: labelColor(op.name) } });
        }
        break;
      case "unlabel":
        if (issue.labels.includes(op.name)) {
          issue.labels = issue.labels.filter((l) => l !== op.name);
          ev(op.at, op.actor, "unlabeled", {
            label: { name: op.name, color: labelColor(op.name) },
          });
        }
        break;
      case "assign":
        if (!issue.assignees.includes(op.login)) {
          issue.assignees.push(op.login);
          ev(op.at, op.actor, "assigned", { assignee: op.login });
        }
        break;
      case "milestone": {
        const ms = data.milestones.find((m) => m.number === op.number);
        if (ms) {
          issue.milestone = ms.number;
          ev(op.at, op.actor, "milestoned", { milestoneTitle: ms.title });
        }
        break;
      }
      case "comment":
        state.addComment(data, {
          id: state.nextId("comment"),
          issueNumber: item.number,
          user: op.actor,
          body: op.body,
          createdAt: op.at,
          updatedAt: op.at,
        });
        issue.comments += 1;
        break;
      case "review": {
        const dismissed = op.dismissedAt !== undefined && op.dismissedAt <= cutoff;
        const review = {
          id: state.nextId("review"),
          pullNumber: item.number,
          user: op.actor,
          state: dismissed ? ("DISMISSED" as const) : op.state,
          body: op.state === "APPROVED" ? "" : "Please address the comments.",
          commitId: issue.pull?.headSha ?? "",
          submittedAt: op.at,
        };
        data.reviews.push(review);
        if (dismissed)
          ev(op.dismissedAt!, op.dismisser!, "review_dismissed", {
            dismissedReview: { state: op.state, reviewId: review.id, message: "Outdated" },
          });
        break;
      }
      case "rename":
        ev(op.at, op.actor, "renamed", { rename: { from: issue.title, to: op.to } });
        issue.title = op.to;
        break;
      case "event":
        if (op.event === "ready_for_review" && issue.pull) issue.pull.draft = false;
        if (op.event === "convert_to_draft" && issue.pull) issue.pull.draft = true;
        if (op.event === "review_requested" && issue.pull)
          issue.pull.requestedReviewers.push(op.reviewer!);
        ev(op.at, op.actor, op.event, op.reviewer ? { reviewer: op.reviewer } : {});
        break;
      case "merge":
        if (issue.pull) {
          const commit = shas.pulls.get(item.number)?.[1] ?? issue.pull.headSha;
          Object.assign(issue.pull, {
            merged: true,
            mergedAt: op.at,
            mergedBy: op.actor,
            mergeCommitSha: commit,
            requestedReviewers: [],
          });
          ev(op.at, op.actor, "merged", { commitId: commit });
          Object.assign(issue, { state: "closed", closedAt: op.at, closedBy: op.actor });
          ev(op.at, op.actor, "closed", { commitId: commit });
        }
        break;
      case "close":
        Object.assign(issue, {
          state: "closed",
          closedAt: op.at,
          closedBy: op.actor,
          stateReason: issue.pull ? null : op.reason,
        });
        ev(op.at, op.actor, "closed");
        break;
      case "reopen":
        Object.assign(issue, {
          state: "open",
          closedAt: null,
          closedBy: null,
          stateReason: "reopened",
        });
        ev(op.at, op.actor, "reopened");
        break;
    }
  }
}

function nearest(mainline: GitShas["mainline"], at: number): GitShas["mainline"][number] {
  let lo = 0;
  let hi = mainline.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (mainline[mid]!.at <= at) lo = mid;
    else hi = mid - 1;
  }
  return mainline[lo]!;
}
