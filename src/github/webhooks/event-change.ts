// labeled/unlabeled/assigned/unassigned deliveries name the label or assignee that changed.
// The payload's issue lists the labels and assignees too, but published payloads show the
// list can lag behind the change it reports (issues.unassigned still listing the assignee);
// the named change wins.
import type { IssueInput } from "../../store/types.js";

export interface NamedChange {
  label?: { name: string } | undefined;
  assignee?: { login: string } | null | undefined;
}

export function withNamedChange(
  issue: IssueInput,
  action: string | null,
  change: NamedChange,
): IssueInput {
  const label = change.label?.name;
  const assignee = change.assignee?.login;
  switch (action) {
    case "labeled":
      return label ? { ...issue, labels: sortedWith(issue.labels, label) } : issue;
    case "unlabeled":
      return label ? { ...issue, labels: (issue.labels ?? []).filter((l) => l !== label) } : issue;
    case "assigned":
      return assignee ? { ...issue, assignees: sortedWith(issue.assignees, assignee) } : issue;
    case "unassigned":
      return assignee
        ? { ...issue, assignees: (issue.assignees ?? []).filter((a) => a !== assignee) }
        : issue;
    default:
      return issue;
  }
}

function sortedWith(list: readonly string[] | undefined, item: string): string[] {
  return [...new Set([...(list ?? []), item])].sort();
}
