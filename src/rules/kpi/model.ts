// The plain data the KPI report is computed from, and the settings that shape it. Times are
// epoch milliseconds (UTC): the report runs over tens of thousands of items and hundreds of
// thousands of events, and numbers compare without parsing.
import type { HandbookConfig } from "../../handbook/schema.js";

/** An issue or pull request as it is now (the store's row, without its payload). */
export interface KpiItem {
  /** `owner/name`. */
  repo: string;
  number: number;
  isPullRequest: boolean;
  title: string;
  author: string | null;
  /** GitHub's user type: "User", "Bot", "Organization". */
  authorType: string | null;
  /** Current labels. */
  labels: readonly string[];
  /** Current draft flag (pull requests; null for issues). */
  draft: boolean | null;
  state: "open" | "closed";
  createdAt: number;
  closedAt: number | null;
  mergedAt: number | null;
}

/** One entry of a repository's issue event feed that the KPIs read. */
export interface KpiEvent {
  repo: string;
  number: number;
  /** labeled, unlabeled, closed, reopened, convert_to_draft, ready_for_review, merged ... */
  event: string;
  /** The label of labeled / unlabeled. */
  label: string | null;
  at: number;
  /** GitHub's event id, when known: orders the events of one second. */
  id?: number;
}

export interface KpiRepository {
  /** `owner/name`. */
  fullName: string;
  /** When the repository was created on GitHub, when known. */
  createdAt: number | null;
  /** Whether its first full sync is in the store. */
  synced: boolean;
}

export interface KpiData {
  repositories: readonly KpiRepository[];
  items: readonly KpiItem[];
  /** In any order. */
  events: readonly KpiEvent[];
}

/** The events whose replay reconstructs what the KPIs read at a past instant. */
export const KPI_EVENTS = [
  "labeled",
  "unlabeled",
  "closed",
  "reopened",
  "convert_to_draft",
  "ready_for_review",
] as const;

export interface KpiGroup {
  label: string;
  name: string;
}

/** What the report needs from the configuration, resolved once. */
export interface KpiSettings {
  /** `owner/name` of each repository that counts (`repositories[].kpi`). */
  repositories: string[];
  bug: string;
  releasedBug: string;
  unreleasedBug: string;
  ceo: string;
  /** The other names each of these labels is recognised by (`labels.aliases`). */
  aliases: { bug: string[]; releasedBug: string[]; unreleasedBug: string[]; ceo: string[] };
  customerPrefix: string;
  bugStates: { state: string; label: string; aliases: string[] }[];
  excludedPrLabels: string[];
  /** Columns 10-13 and 14-17. */
  columnGroups: [KpiGroup, KpiGroup];
  /** Every product group, for the per-group breakdown. */
  groups: KpiGroup[];
  /** Logins counted as bots besides type "Bot" (lower case). */
  botLogins: string[];
  /** Maintainers (lower case); PRs by others are community PRs. */
  maintainers: string[];
  /** Where an issue's page is: `${htmlBase}/${repo}/issues/${n}`. */
  htmlBase: string;
}

/** Labels whose history the report reads; other label events can be left in the store. */
export function labelsOfInterest(s: KpiSettings): { names: string[]; prefixes: string[] } {
  const names = new Set([
    s.bug,
    s.releasedBug,
    s.unreleasedBug,
    s.ceo,
    ...Object.values(s.aliases).flat(),
    ...s.bugStates.flatMap((b) => [b.label, ...b.aliases]),
    ...s.excludedPrLabels,
    ...s.groups.map((g) => g.label),
    ...s.columnGroups.map((g) => g.label),
  ]);
  return { names: [...names].sort(), prefixes: [s.customerPrefix] };
}

export function kpiSettings(config: HandbookConfig): KpiSettings {
  const l = config.labels;
  const groupName = (label: string) =>
    config.productGroups.find((g) => g.label === label)?.name ?? label;
  const [first, second] = config.kpi.groups as [string, string];
  const people = [
    config.roles.engineeringOutputDri,
    config.roles.releaseRitualDri,
    config.roles.headOfProductDesign,
    config.roles.vpCustomerSuccess,
    ...config.roles.onCall.rotation,
    ...config.productGroups.flatMap((g) => [g.engineeringManager, g.qaLead, ...g.members]),
  ];
  return {
    repositories: config.repositories
      .filter((r) => r.kpi)
      .map((r) => `${config.organisation}/${r.name}`),
    bug: l.bug,
    releasedBug: l.releasedBug,
    unreleasedBug: l.unreleasedBug,
    ceo: l.ceo,
    aliases: {
      bug: [...l.aliases.bug],
      releasedBug: [...l.aliases.releasedBug],
      unreleasedBug: [...l.aliases.unreleasedBug],
      ceo: [...l.aliases.ceo],
    },
    customerPrefix: l.customerPrefix,
    bugStates: l.bugStates.map((b) => ({
      state: b.state,
      label: b.label,
      aliases: [...b.aliases],
    })),
    excludedPrLabels: [...l.kpiExcludedPrLabels],
    columnGroups: [
      { label: first, name: groupName(first) },
      { label: second, name: groupName(second) },
    ],
    groups: config.productGroups.map((g) => ({ label: g.label, name: g.name })),
    botLogins: config.kpi.bots.map((b) => b.toLowerCase()),
    maintainers: [...new Set((config.kpi.maintainers ?? people).map((p) => p.toLowerCase()))],
    htmlBase: htmlBase(config.github.apiUrl),
  };
}

/** api.github.com -> github.com; GitHub Enterprise Server's https://host/api/v3 -> https://host. */
export function htmlBase(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === "api.github.com") return "https://github.com";
  return `${url.protocol}//${url.host}`;
}
