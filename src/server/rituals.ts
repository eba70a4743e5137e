// Rituals and runbooks over HTTP (R43, R47, R48):
//   GET  /api/rituals?from=&to=          upcoming occurrences, filed issues, recent auto-issues
//   GET  /api/runbooks                   imported runbooks
//   GET  /api/runbooks/:anchor           one runbook (anchor or alias)
//   POST /api/runbooks                   store runbooks ({ runbooks: Runbook[] })
//   POST /api/runbooks/:anchor/open      open an issue from a runbook through the executor
//   GET  /rituals.ics?from=&to=          the occurrences as an iCalendar feed
// Bad input and unknown runbooks (RitualInputError) are BosunErrors: the server's error handler
// answers them (400, 404).
import type { FastifyInstance } from "fastify";
import ical from "ical-generator";
import { Temporal } from "temporal-polyfill";
import { z } from "zod";
import type { DataSource } from "../api/views.js";
import { BosunError } from "../errors.js";
import type { Runbook } from "../handbook/runbook-model.js";
import type { RitualOccurrence } from "../rules/rituals/occurrences.js";

const stepSchema: z.ZodType<Runbook["steps"][number]> = z.lazy(() =>
  z.object({
    text: z.string(),
    notes: z.array(z.string()),
    children: z.array(stepSchema),
    group: z.string().optional(),
  }),
);

const runbookSchema = z.object({
  anchor: z.string().regex(/^[\p{L}\p{N}_-]{1,200}$/u),
  aliases: z.array(z.string()),
  title: z.string().min(1),
  source: z.string(),
  kind: z.enum(["numbered", "bulleted", "prose"]),
  intro: z.string(),
  steps: z.array(stepSchema),
});

const openSchema = z.strictObject({
  repo: z.string().optional(),
  assignee: z.string().optional(),
  labels: z.array(z.string()).optional(),
  dryRun: z.boolean().optional(),
});

/** A calendar event for one occurrence, in the shape a shared calendar feed can take. */
export interface RitualCalendarEvent {
  id: string;
  start: Temporal.ZonedDateTime;
  /** Rituals have no length in the handbook: each is shown as half an hour. */
  end: Temporal.ZonedDateTime;
  summary: string;
  description: string;
  url?: string;
}

/** The occurrences from `from` to `to` (dates, inclusive) as calendar events. */
export async function ritualCalendarEvents(
  data: DataSource,
  from?: string,
  to?: string,
): Promise<RitualCalendarEvent[]> {
  const view = await data.rituals({ from, to });
  return view.upcoming.map(toEvent);
}

function toEvent(o: RitualOccurrence): RitualCalendarEvent {
  const start = Temporal.ZonedDateTime.from(`${o.at}[${o.timeZone}]`);
  const who = o.handoff
    ? `On-call handoff: @${o.handoff.outgoing} → @${o.handoff.incoming}`
    : `Assignee: @${o.assignee} (DRI @${o.dri})`;
  return {
    id: `ritual-${o.ritualId}-${o.occurrence}@bosun`,
    start,
    end: start.add({ minutes: 30 }),
    summary: o.task,
    description: [who, o.repo ? `Opens an issue in ${o.repo}` : "", o.moreInfoUrl ?? ""]
      .filter(Boolean)
      .join("\n"),
    ...(o.moreInfoUrl ? { url: o.moreInfoUrl } : {}),
  };
}

export function registerRitualRoutes(app: FastifyInstance, data: DataSource): void {
  app.get<{ Querystring: { from?: string; to?: string } }>("/api/rituals", async (req) =>
    data.rituals({ from: req.query.from, to: req.query.to }),
  );

  app.get("/api/runbooks", async () => data.runbooks());

  app.get<{ Params: { anchor: string } }>("/api/runbooks/:anchor", async (req) =>
    data.runbook(req.params.anchor),
  );

  app.post("/api/runbooks", async (req) => {
    const parsed = z.strictObject({ runbooks: z.array(runbookSchema) }).safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new BosunError(
        "bad-input",
        `body.${issue.path.join(".")}: ${issue.message} (expected { "runbooks": [...] } as bosun runbooks import sends)`,
      );
    }
    return data.importRunbooks(parsed.data.runbooks);
  });

  app.post<{ Params: { anchor: string } }>("/api/runbooks/:anchor/open", async (req) => {
    const parsed = openSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new BosunError(
        "bad-input",
        `body${issue.path.length ? `.${issue.path.join(".")}` : ""}: ${issue.message}; allowed: repo, assignee, labels, dryRun`,
      );
    }
    return data.openRunbook(req.params.anchor, parsed.data);
  });

  app.get<{ Querystring: { from?: string; to?: string } }>("/rituals.ics", async (req, reply) => {
    const events = await ritualCalendarEvents(data, req.query.from, req.query.to);
    const calendar = ical({ name: "Bosun rituals", prodId: "//bosun//rituals//EN" });
    for (const e of events) {
      calendar.createEvent({
        id: e.id,
        start: new Date(e.start.epochMilliseconds),
        end: new Date(e.end.epochMilliseconds),
        summary: e.summary,
        description: e.description,
        ...(e.url ? { url: e.url } : {}),
      });
    }
    reply.header("content-type", "text/calendar; charset=utf-8");
    return calendar.toString();
  });
}
