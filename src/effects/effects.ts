// Effects are data: what a rule wants done on GitHub, applied later by the executor alone.

/** `owner/name`, as GitHub spells it. */
export type RepoName = string;

export type Effect =
  | { type: "createLabel"; repo: RepoName; name: string; color: string; description?: string }
  | {
      type: "createIssue";
      repo: RepoName;
      title: string;
      body: string;
      labels: string[];
      assignees: string[];
      milestone?: number;
    }
  | { type: "addLabels"; repo: RepoName; number: number; labels: string[] }
  | { type: "removeLabel"; repo: RepoName; number: number; label: string }
  | { type: "comment"; repo: RepoName; number: number; body: string }
  | { type: "closeIssue"; repo: RepoName; number: number; reason?: "completed" | "not_planned" }
  | { type: "assign"; repo: RepoName; number: number; assignees: string[] }
  | { type: "setMilestone"; repo: RepoName; number: number; milestone: number | null }
  | {
      type: "setCommitStatus";
      repo: RepoName;
      sha: string;
      context: string;
      state: "success" | "failure" | "pending" | "error";
      description: string;
      targetUrl?: string;
      /** The pull request the status speaks for: its audit target is then `repo#pull`. */
      pull?: number;
    }
  | { type: "createRef"; repo: RepoName; ref: string; sha: string }
  | { type: "renameMilestone"; repo: RepoName; number: number; title: string }
  | { type: "closeMilestone"; repo: RepoName; number: number }
  | { type: "createMilestone"; repo: RepoName; title: string; dueOn?: string }
  | NotifyEffect
  | MoveToColumnEffect
  /** A GitHub Actions repository variable (R17: the QA deploy target). */
  | { type: "setVariable"; repo: RepoName; name: string; value: string };

/**
 * A message to people (Slack, src/notify/). `message` is plain text as the rule writes it, with
 * GitHub logins as `@login`; the notifier escapes it and mentions the people it can name.
 */
export interface NotifyEffect {
  type: "notify";
  channel: string;
  message: string;
  /**
   * What the message is about ("rc-cut:4.62.0"): one message per subject and channel. A later
   * effect with the same subject and other words edits that message instead of posting again.
   */
  subject?: string;
  /** Post as a follow-up in the thread of this subject's message (when it was posted). */
  thread?: string;
  /** The setting that chose the channel, named when Slack refuses it. */
  setting?: string;
}

/**
 * Moves an issue or pull request to a column of a board (bosun.yml `boards`): on a GitHub
 * Projects board, the option of its single-select field, named here and resolved to the
 * option's id when applied; on a label board (the older handbook's ZenHub), the column's label.
 */
export interface MoveToColumnEffect {
  type: "moveToColumn";
  /** The board's name in bosun.yml `boards`. */
  board: string;
  repo: RepoName;
  number: number;
  column: string;
  on: { org: string; project: number; field: string } | { labels: Record<string, string> };
}

export type EffectType = Effect["type"];

/** The thing an effect acts on, in the form `bosun why` accepts: `owner/repo#12`, `owner/repo@ref`, `owner/repo`. */
export function effectTarget(effect: Effect): string {
  switch (effect.type) {
    case "addLabels":
    case "removeLabel":
    case "comment":
    case "closeIssue":
    case "assign":
    case "setMilestone":
    case "moveToColumn":
      return `${effect.repo}#${effect.number}`;
    case "setCommitStatus":
      return effect.pull === undefined
        ? `${effect.repo}@${effect.sha}`
        : `${effect.repo}#${effect.pull}`;
    case "createRef":
      return `${effect.repo}@${effect.ref.replace(/^refs\/heads\//, "")}`;
    case "createLabel":
    case "createIssue":
    case "renameMilestone":
    case "closeMilestone":
    case "createMilestone":
    case "setVariable":
      return effect.repo;
    case "notify":
      return `notify:${effect.channel}`;
  }
}

/** One line a person can read, like a diff: `fleetdm/fleet#12: +label "bug"`. */
export function describeEffect(effect: Effect): string {
  const t = effectTarget(effect);
  switch (effect.type) {
    case "createLabel":
      return `${t}: create label ${JSON.stringify(effect.name)} (#${effect.color})`;
    case "createIssue":
      return `${t}: open issue ${JSON.stringify(effect.title)}${effect.labels.length ? ` [${effect.labels.join(", ")}]` : ""}${effect.assignees.length ? ` @${effect.assignees.join(" @")}` : ""}`;
    case "addLabels":
      return `${t}: ${effect.labels.map((l) => `+label ${JSON.stringify(l)}`).join(" ")}`;
    case "removeLabel":
      return `${t}: -label ${JSON.stringify(effect.label)}`;
    case "comment":
      return `${t}: comment ${JSON.stringify(truncate(effect.body, 60))}`;
    case "closeIssue":
      return `${t}: close${effect.reason ? ` (${effect.reason})` : ""}`;
    case "assign":
      return `${t}: assign @${effect.assignees.join(" @")}`;
    case "setMilestone":
      return `${t}: milestone ${effect.milestone ?? "none"}`;
    case "setCommitStatus":
      return `${effect.repo}@${effect.sha.slice(0, 7)}: status ${effect.context}=${effect.state} ${JSON.stringify(truncate(effect.description, 60))}`;
    case "createRef":
      return `${t}: create branch from ${effect.sha.slice(0, 7)}`;
    case "renameMilestone":
      return `${t}: rename milestone ${effect.number} to ${JSON.stringify(effect.title)}`;
    case "closeMilestone":
      return `${t}: close milestone ${effect.number}`;
    case "createMilestone":
      return `${t}: create milestone ${JSON.stringify(effect.title)}`;
    case "notify":
      return `${t}: ${truncate(effect.message, 80)}`;
    case "moveToColumn":
      return `${t}: move to ${JSON.stringify(effect.column)} on board ${JSON.stringify(effect.board)}`;
    case "setVariable":
      return `${t}: variable ${effect.name}=${JSON.stringify(effect.value)}`;
  }
}

function truncate(s: string, n: number): string {
  const line = s.replace(/\s+/g, " ").trim();
  return line.length > n ? `${line.slice(0, n - 1)}…` : line;
}
