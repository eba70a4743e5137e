/**
 * A summary of the configuration, for `bosun config check`, the dashboard and `/api/config`.
 * Pure: `now` is an argument. Times are ISO 8601 strings with their UTC offset
 * ("2026-03-27T08:00:00-07:00") in the calendar's time zone.
 */
import { Temporal } from "temporal-polyfill";
import { businessCalendar } from "../time/business.js";
import { isoWithOffset } from "../time/index.js";
import { describeMove } from "../time/moves.js";
import { onCallAt } from "../time/oncall.js";
import { type ReleaseCalendar, releaseCalendar } from "../time/release.js";
import type { MovableKind } from "../time/schedule.js";
import type { HandbookConfig } from "./schema.js";

export interface HandbookSummary {
  organisation: string;
  repositories: {
    name: string;
    fullName: string;
    defaultBranch: string;
    kpi: boolean;
    releasedFromMain: boolean;
  }[];
  groups: {
    id: string;
    name: string;
    label: string;
    engineeringManager: string;
    qaLead: string;
    members: string[];
  }[];
  /** Role -> login(s); the on-call rotation is listed in order. */
  roles: {
    engineeringOutputDri: string;
    releaseRitualDri: string;
    headOfProductDesign: string;
    vpCustomerSuccess: string;
    onCallRotation: string[];
  };
  onCall: { current: string; since: string; until: string; handoff: string };
  calendar: {
    timeZone: string;
    businessHours: string;
    workDays: string[];
    holidays: number;
    /** Whether `now` is business time. */
    businessTimeNow: boolean;
  };
  releaseMode: HandbookConfig["releaseTrain"]["mode"];
  sprint: { index: number; start: string; end: string; lengthWeeks: number };
  /** The next RC cut (R14), whatever the mode. */
  nextRcCut: string;
  /** The next freeze of main (R9), whatever the mode. */
  nextFreeze: string;
  nextRelease: string;
  /** Where an RC cut, freeze or release on a day off goes (`releaseTrain.onHoliday`). */
  onHoliday: HandbookConfig["releaseTrain"]["onHoliday"];
  /**
   * R14, R9, R32: the active mode's events of the next 26 weeks that do not fall where the
   * weekday rules put them (a holiday, an override), soonest first.
   */
  moved: { kind: MovableKind; at: string; text: string }[];
  branches: { main: string; rc: string; patch: string };
  rituals: { count: number; withAutoIssue: number; source: string };
  /** Where the webhook secret comes from; never the secret itself. */
  webhookSecret: "set" | "not set";
}

export function summarizeConfig(config: HandbookConfig, now: Temporal.Instant): HandbookSummary {
  const releases = releaseCalendar(config);
  const business = businessCalendar(config.calendar);
  const sprint = releases.sprintAt(now);
  const shift = onCallAt(config, now);
  const { onCall } = config.roles;
  return {
    organisation: config.organisation,
    repositories: config.repositories.map((r) => ({
      name: r.name,
      fullName: `${config.organisation}/${r.name}`,
      defaultBranch: r.defaultBranch,
      kpi: r.kpi,
      releasedFromMain: r.releasedFromMain,
    })),
    groups: config.productGroups.map((g) => ({
      id: g.id,
      name: g.name,
      label: g.label,
      engineeringManager: g.engineeringManager,
      qaLead: g.qaLead,
      members: [...g.members],
    })),
    roles: {
      engineeringOutputDri: config.roles.engineeringOutputDri,
      releaseRitualDri: config.roles.releaseRitualDri,
      headOfProductDesign: config.roles.headOfProductDesign,
      vpCustomerSuccess: config.roles.vpCustomerSuccess,
      onCallRotation: [...onCall.rotation],
    },
    onCall: {
      current: shift.login,
      since: isoWithOffset(shift.since),
      until: isoWithOffset(shift.until),
      handoff: `${onCall.handoff.weekday} ${onCall.handoff.time}`,
    },
    calendar: {
      timeZone: config.calendar.timeZone,
      businessHours: `${config.calendar.businessHours.start}-${config.calendar.businessHours.end}`,
      workDays: [...config.calendar.workDays],
      holidays: config.calendar.holidays.length,
      businessTimeNow: business.isBusinessTime(now),
    },
    releaseMode: config.releaseTrain.mode,
    sprint: {
      index: sprint.index,
      start: isoWithOffset(sprint.start),
      end: isoWithOffset(sprint.end),
      lengthWeeks: config.releaseTrain.sprint.lengthWeeks,
    },
    nextRcCut: isoWithOffset(releases.nextRcCut(now)),
    nextFreeze: isoWithOffset(releases.nextFreeze(now)),
    nextRelease: isoWithOffset(releases.nextRelease(now)),
    onHoliday: config.releaseTrain.onHoliday,
    moved: comingMoves(releases, now),
    branches: { ...config.releaseTrain.branches },
    rituals: {
      count: config.rituals.length,
      withAutoIssue: config.rituals.filter((r) => r.autoIssue).length,
      source: config.ritualsFile ?? "inline",
    },
    webhookSecret: config.github.webhookSecret ? "set" : "not set",
  };
}

/** One terminal screen (at most 25 lines) of plain text. */
export function renderSummary(s: HandbookSummary): string {
  const at = (iso: string) => iso.replace("T", " ").replace(/:00([+-]\d\d:\d\d|Z)$/, " $1");
  const lines = [
    `Organisation   ${s.organisation}`,
    `Repositories   ${s.repositories
      .map((r) => {
        const notes = [r.kpi ? "" : "no KPI", r.releasedFromMain ? "released from main" : ""];
        const text = notes.filter(Boolean).join(", ");
        return text ? `${r.name} (${text})` : r.name;
      })
      .join(", ")}`,
    `Calendar       ${s.calendar.timeZone}, ${s.calendar.businessHours} ${workDaysText(s.calendar.workDays)}, ${s.calendar.holidays} holiday${s.calendar.holidays === 1 ? "" : "s"}`,
    "Product groups",
    ...s.groups
      .slice(0, 6)
      .map(
        (g) =>
          `  ${g.label.padEnd(18)} EM @${g.engineeringManager}, QA @${g.qaLead}${g.members.length ? `, ${g.members.length} members` : ""}`,
      ),
    ...(s.groups.length > 6 ? [`  ... and ${s.groups.length - 6} more`] : []),
    "Roles",
    `  engineering output DRI  @${s.roles.engineeringOutputDri}`,
    `  release ritual DRI      @${s.roles.releaseRitualDri}`,
    `  head of product design  @${s.roles.headOfProductDesign}`,
    `  VP customer success     @${s.roles.vpCustomerSuccess}`,
    `  on call                 @${s.onCall.current} until ${at(s.onCall.until)} (rotation of ${s.roles.onCallRotation.length}, handoff ${s.onCall.handoff})`,
    `Release train  ${s.releaseMode}, ${s.sprint.lengthWeeks}-week sprints; sprint ${s.sprint.index} started ${at(s.sprint.start).slice(0, 10)}`,
    ...(s.releaseMode === "release-candidate"
      ? [`  next RC cut   ${at(s.nextRcCut)}  (branch ${s.branches.rc})`]
      : [`  next freeze   ${at(s.nextFreeze)}  (main: ${s.branches.main})`]),
    `  next release  ${at(s.nextRelease)}`,
    // At most three lines, so the summary stays on one screen.
    ...s.moved
      .slice(0, s.moved.length > 3 ? 2 : 3)
      .map((m) => `  moved         ${KIND_NAMES[m.kind]} ${m.text}`),
    ...(s.moved.length > 3
      ? [`  moved         ... and ${s.moved.length - 2} more in the next 26 weeks (bosun calendar)`]
      : []),
    `Rituals        ${s.rituals.count} (${s.rituals.withAutoIssue} open issues automatically) from ${s.rituals.source}`,
    `Webhook secret ${s.webhookSecret}`,
  ];
  return lines.slice(0, 25).join("\n");
}

const KIND_NAMES: Record<MovableKind, string> = {
  "rc-cut": "RC cut",
  freeze: "freeze",
  release: "release",
};

/** The active mode's coming events (26 weeks) that moved, soonest first. */
function comingMoves(releases: ReleaseCalendar, now: Temporal.Instant): HandbookSummary["moved"] {
  const kinds: MovableKind[] =
    releases.mode === "freeze" ? ["freeze", "release"] : ["rc-cut", "release"];
  const start = now.toZonedDateTimeISO(releases.timeZone);
  const horizon = start.add({ weeks: 26 });
  const cmp = Temporal.ZonedDateTime.compare;
  const out: (HandbookSummary["moved"][number] & { when: Temporal.ZonedDateTime })[] = [];
  for (let k = releases.sprintAt(now).index - 1; cmp(releases.sprint(k).start, horizon) < 0; k++) {
    for (const kind of kinds) {
      const o = releases.occurrence(kind, k);
      if (!o.moved || cmp(o.at, start) <= 0 || cmp(o.at, horizon) >= 0) continue;
      out.push({ kind, at: isoWithOffset(o.at), text: describeMove(o.moved), when: o.at });
    }
  }
  return out.sort((a, b) => cmp(a.when, b.when)).map(({ when: _, ...m }) => m);
}

function workDaysText(days: string[]): string {
  const short = days.map((d) => d.slice(0, 3).replace(/^./, (c) => c.toUpperCase()));
  return short.join(" ") === "Mon Tue Wed Thu Fri" ? "Mon-Fri" : short.join(" ");
}
