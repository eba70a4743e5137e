/**
 * Bosun's richer form of a ritual: keys a ritual may carry beyond the rituals YAML format
 * (task, startedOn, frequency, description, moreInfoUrl, dri, autoIssue). All are optional and
 * have no schema default, so a ritual written in the department's format normalises to exactly
 * what it said; `src/handbook/rituals.ts` resolves the defaults (calendar time zone, business
 * hours start, catch-up "latest").
 *
 * Kept free of imports from `schema.ts` (which spreads these fields into `ritualSchema`).
 */
import { Temporal } from "temporal-polyfill";
import { z } from "zod";
import { parseLead, parseStep } from "../time/recurrence.js";

/** Roles an assignee can name as `role:<name>`; `onCall` is whoever is on call at the occurrence. */
export const ASSIGNEE_ROLES = [
  "engineeringOutputDri",
  "releaseRitualDri",
  "headOfProductDesign",
  "vpCustomerSuccess",
  "onCall",
  "onCallNext",
] as const;
export type AssigneeRole = (typeof ASSIGNEE_ROLES)[number];

const custom = (ctx: z.RefinementCtx, input: unknown, allowed: string) =>
  ctx.addIssue({ code: "custom", message: `must be ${allowed}`, input, params: { allowed } });

const LOGIN_RE = /^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
const ASSIGNEE_ALLOWED = `a GitHub login, or "role:<name>" with one of ${ASSIGNEE_ROLES.join(", ")}`;

const STEP_ALLOWED = 'a step such as "2 weeks", "1 month", "10 days" or "1 year"';
const LEAD_ALLOWED = 'a lead time such as "3 weeks", "2 days" or "12 hours"';

export const ritualRichFields = {
  /** A stable identifier for markers and idempotency keys; default: the task as a slug. */
  id: z
    .string()
    .superRefine((v, ctx) => {
      if (!/^[a-z0-9][a-z0-9-]{0,79}$/.test(v))
        custom(ctx, v, 'a short identifier in lower case, e.g. "release-qa"');
    })
    .optional(),
  /** Time of day of each occurrence, "HH:MM"; default: the calendar's business hours start. */
  time: z
    .string()
    .superRefine((v, ctx) => {
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(v))
        custom(ctx, v, 'a time of day "HH:MM" on the 24-hour clock');
    })
    .optional(),
  /** IANA zone of `time`; default: `calendar.timeZone`. */
  timeZone: z
    .string()
    .transform((v, ctx) => {
      try {
        return new Temporal.ZonedDateTime(0n, v.trim()).timeZoneId;
      } catch {
        custom(ctx, v, 'an IANA time zone name, e.g. "America/Los_Angeles"');
        return z.NEVER;
      }
    })
    .optional(),
  /** An explicit recurrence that replaces the frequency's step, e.g. "6 weeks". */
  every: z
    .string()
    .superRefine((v, ctx) => {
      if (!parseStep(v)) custom(ctx, v, STEP_ALLOWED);
    })
    .optional(),
  /** Open the issue this long before the occurrence, e.g. "3 weeks". */
  leadTime: z
    .string()
    .superRefine((v, ctx) => {
      if (!parseLead(v)) custom(ctx, v, LEAD_ALLOWED);
    })
    .optional(),
  /** The anchor of an imported runbook whose steps become the issue's checklist. */
  runbook: z
    .string()
    .superRefine((v, ctx) => {
      if (v.trim() === "") custom(ctx, v, 'a runbook anchor, e.g. "edit-a-dns-record"');
    })
    .optional(),
  /** Who the issue is assigned to instead of the DRI: a login or "role:<name>". */
  assignee: z
    .string()
    .superRefine((v, ctx) => {
      if (v.startsWith("role:")) {
        if (!(ASSIGNEE_ROLES as readonly string[]).includes(v.slice(5)))
          custom(ctx, v, ASSIGNEE_ALLOWED);
      } else if (!LOGIN_RE.test(v)) custom(ctx, v, ASSIGNEE_ALLOWED);
    })
    .optional(),
  /** After downtime: file every missed occurrence ("all") or only the latest (default). */
  catchUp: z.enum(["all", "latest"]).optional(),
  /** R43: each occurrence names the outgoing and the incoming on-call engineer. */
  onCallHandoff: z.boolean().optional(),
};
