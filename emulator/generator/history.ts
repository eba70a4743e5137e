import { Prng } from "../prng.js";
import type { IssueEventKind, IssueRec } from "../state/model.js";
import {
  AREAS,
  BOTS,
  BUG_VERBS,
  COMMENTS,
  COMMUNITY,
  CUSTOMERS,
  PR_VERBS,
  STORY_VERBS,
} from "./names.js";
import type { OrgSpec } from "./org-spec.js";

// Plans the history of one repository as plain data: each item is its creation plus a list
// of timed operations. Applying only the operations up to a date replays the history to that
// date, and final labels are derived from the label operations, so events always agree with
// the state they lead to.

const DAY = 86_400_000;

export type Op =
  | { at: number; kind: "label" | "unlabel"; name: string; actor: string }
  | { at: number; kind: "close"; actor: string; reason: IssueRec["stateReason"] }
  | { at: number; kind: "reopen"; actor: string }
  | { at: number; kind: "rename"; to: string; actor: string }
  | { at: number; kind: "merge"; actor: string }
  | { at: number; kind: "assign"; login: string; actor: string }
  | { at: number; kind: "milestone"; number: number; actor: string }
  | { at: number; kind: "comment"; body: string; actor: string }
  | {
      at: number;
      kind: "review";
      state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED";
      actor: string;
      dismissedAt?: number;
      dismisser?: string;
    }
  | { at: number; kind: "event"; event: IssueEventKind; actor: string; reviewer?: string };

export interface PlannedItem {
  number: number;
  kind: "bug" | "story" | "task" | "pr";
  title: string;
  body: string;
  author: string;
  createdAt: number;
  /** Opened as a draft (ready_for_review / convert_to_draft events change it later). */
  draft: boolean;
  ops: Op[];
}

export interface Sprint {
  index: number;
  version: string;
  start: number;
  end: number;
}

export function sprints(spec: OrgSpec, start: number): Sprint[] {
  const length = spec.release.sprintWeeks * 7 * DAY;
  const out: Sprint[] = [];
  const now = spec.now.getTime();
  for (let i = 0, t = start; t < now + length; i++, t += length) {
    out.push({ index: i, version: `4.${40 + i}.0`, start: t, end: t + length });
  }
  return out;
}

export function planRepository(
  spec: OrgSpec,
  seed: number,
  count: number,
  start: number,
  allSprints: Sprint[],
): PlannedItem[] {
  const rng = new Prng(seed);
  const now = spec.now.getTime();
  const span = now - start;
  const members = spec.groups.flatMap((g) => [g.engineeringManager, g.qaLead, ...g.members]);
  const items: PlannedItem[] = [];
  const L = spec.labels;
  // Creation times grow with the number, as on GitHub; a gentle ramp puts more near now.
  for (let n = 1; n <= count; n++) {
    // t = f^0.8 gives an item density growing like t^0.25: a team that slowly gets busier.
    const createdAt = Math.floor(start + span * (n / (count + 1)) ** 0.8);
    const roll = rng.next();
    const kind: PlannedItem["kind"] =
      roll < 0.45 ? "pr" : roll < 0.75 ? "bug" : roll < 0.9 ? "story" : "task";
    const group = rng.pick(spec.groups);
    const area = rng.pick(AREAS);
    const age = now - createdAt;
    const ops: Op[] = [];
    let t = createdAt;
    // Past `now`, step halfway to it instead: clamping would stamp hundreds of recent items with
    // the very same second, which no real repository shows.
    const later = (meanHours: number) => {
      const next = t + Math.max(60_000, Math.floor(rng.exp(meanHours * 3_600_000)));
      t = next < now ? next : t + Math.floor((now - t) / 2);
      return t;
    };
    const sprint = allSprints.find((s) => createdAt >= s.start && createdAt < s.end);
    let author: string;
    let title: string;
    /** Whether the PR was opened as a draft; its current state follows from the events. */
    let createdDraft = false;
    let draft = false;
    if (kind === "bug") {
      author = rng.chance(0.3) ? rng.pick(COMMUNITY) : rng.pick(members);
      title = `${area[0]!.toUpperCase()}${area.slice(1)} ${rng.pick(BUG_VERBS)} ${rng.pick(AREAS)}`;
      // Some reports start with a vague title that triage later renames.
      if (rng.chance(0.12)) {
        ops.push({ at: later(3), kind: "rename", to: title, actor: group.qaLead });
        title = `Problem with ${area}`;
      }
      const released = rng.chance(0.6);
      for (const name of [
        L.bug,
        released ? L.releasedBug : L.unreleasedBug,
        group.label,
        L.bugStates[0]!.label,
      ]) {
        ops.push({ at: createdAt, kind: "label", name, actor: author });
      }
      if (rng.chance(0.25))
        ops.push({
          at: later(4),
          kind: "label",
          name: `${L.customerPrefix}${rng.pick(CUSTOMERS)}`,
          actor: group.engineeringManager,
        });
      if (rng.chance(0.2))
        ops.push({
          at: later(4),
          kind: "label",
          name: rng.pick(["P1", "P2"]),
          actor: group.engineeringManager,
        });
      if (!released && rng.chance(0.3))
        ops.push({ at: later(6), kind: "label", name: L.releaseBlocker, actor: group.qaLead });
      // Walk the bug states: each step removes the previous state label.
      const steps = age > 3 * DAY ? rng.int(0, L.bugStates.length - 1) : rng.int(0, 1);
      for (let s = 1; s <= steps && s < L.bugStates.length; s++) {
        const at = later(24);
        ops.push({ at, kind: "unlabel", name: L.bugStates[s - 1]!.label, actor: group.qaLead });
        ops.push({ at, kind: "label", name: L.bugStates[s]!.label, actor: group.qaLead });
      }
      ops.push({
        at: later(12),
        kind: "assign",
        login: rng.pick(group.members),
        actor: group.engineeringManager,
      });
      if (sprint)
        ops.push({
          at: later(12),
          kind: "milestone",
          number: sprint.index + 1,
          actor: group.engineeringManager,
        });
      if (age > 5 * DAY && rng.chance(Math.min(0.9, age / (60 * DAY)))) {
        const closeAt = later(24 * 10);
        const last = ops
          .filter((o) => o.kind === "label" && L.bugStates.some((b) => b.label === o.name))
          .pop() as { name: string } | undefined;
        if (last) ops.push({ at: closeAt, kind: "unlabel", name: last.name, actor: group.qaLead });
        ops.push({
          at: closeAt,
          kind: "close",
          actor: group.qaLead,
          reason: rng.chance(0.9) ? "completed" : "not_planned",
        });
        // A few come back: reopened into the reproduce state, and usually closed again.
        if (rng.chance(0.08)) {
          const reopenAt = later(24 * 5);
          const again = L.bugStates[1]?.label ?? L.bugStates[0]!.label;
          ops.push({ at: reopenAt, kind: "reopen", actor: author });
          ops.push({ at: reopenAt, kind: "label", name: again, actor: group.qaLead });
          if (rng.chance(0.6)) {
            const reclose = later(24 * 7);
            ops.push({ at: reclose, kind: "unlabel", name: again, actor: group.qaLead });
            ops.push({ at: reclose, kind: "close", actor: group.qaLead, reason: "completed" });
          }
        }
      }
    } else if (kind === "story" || kind === "task") {
      author = rng.pick([group.engineeringManager, ...members.slice(0, 3)]);
      title =
        kind === "story"
          ? `${rng.pick(STORY_VERBS)} ${area}`
          : `${rng.pick(spec.labels.extra)}: document ${area}`;
      const labels =
        kind === "story"
          ? [L.story, group.label, rng.chance(0.3) ? L.engineeringInitiated : L.product]
          : [rng.pick(L.extra)];
      for (const name of labels) ops.push({ at: createdAt, kind: "label", name, actor: author });
      if (kind === "story" && rng.chance(0.15))
        ops.push({ at: later(48), kind: "label", name: L.pushed, actor: group.engineeringManager });
      if (sprint)
        ops.push({
          at: later(24),
          kind: "milestone",
          number: sprint.index + 1,
          actor: group.engineeringManager,
        });
      if (age > 14 * DAY && rng.chance(0.8))
        ops.push({ at: later(24 * 14), kind: "close", actor: author, reason: "completed" });
    } else {
      const who = rng.next();
      author = who < 0.15 ? BOTS[0]! : who < 0.3 ? rng.pick(COMMUNITY) : rng.pick(group.members);
      title =
        author === BOTS[0]
          ? `Bump ${rng.pick(["golang.org/x/net", "github.com/osquery/osquery-go", "axios", "webpack"])} from 1.${rng.int(0, 9)}.0 to 1.${rng.int(10, 20)}.0`
          : `${rng.pick(PR_VERBS)} ${area}`;
      if (author === BOTS[0])
        ops.push({ at: createdAt, kind: "label", name: "~dependencies", actor: author });
      createdDraft = author !== BOTS[0] && rng.chance(0.15);
      draft = createdDraft;
      const reviewer = rng.pick(group.members.filter((m) => m !== author));
      ops.push({ at: later(2), kind: "event", event: "review_requested", actor: author, reviewer });
      if (draft && rng.chance(0.6)) {
        ops.push({ at: later(24), kind: "event", event: "ready_for_review", actor: author });
        draft = false;
      }
      if (rng.chance(0.3))
        ops.push({
          at: later(8),
          kind: "review",
          state: "CHANGES_REQUESTED",
          actor: reviewer,
          ...(rng.chance(0.3)
            ? { dismissedAt: later(4), dismisser: group.engineeringManager }
            : {}),
        });
      if (rng.chance(0.2))
        ops.push({ at: later(6), kind: "event", event: "head_ref_force_pushed", actor: author });
      if (rng.chance(0.4))
        ops.push({ at: later(6), kind: "comment", body: rng.pick(COMMENTS), actor: reviewer });
      if (age > 2 * DAY && !draft) {
        const fate = rng.next();
        if (fate < 0.8) {
          ops.push({ at: later(12), kind: "review", state: "APPROVED", actor: reviewer });
          ops.push({
            at: later(6),
            kind: "merge",
            actor: author.endsWith("[bot]") ? group.engineeringManager : author,
          });
        } else if (fate < 0.92)
          ops.push({ at: later(72), kind: "close", actor: author, reason: null });
        else if (rng.chance(0.5)) {
          // Still open, and sent back to draft by its author.
          ops.push({ at: later(24), kind: "event", event: "convert_to_draft", actor: author });
          draft = true;
        }
      }
    }
    const comments = rng.int(0, 2);
    for (let c = 0; c < comments; c++)
      ops.push({
        at: later(12),
        kind: "comment",
        body: rng.pick(COMMENTS),
        actor: rng.pick(members),
      });
    ops.sort((a, b) => a.at - b.at);
    items.push({
      number: n,
      kind,
      title,
      body: `Generated ${kind} about ${area}.`,
      author,
      createdAt,
      draft: createdDraft,
      ops,
    });
  }
  return items;
}
