// The release train over HTTP: the subscribable calendar feed (R32), its JSON, the train's
// state with the merge gate's verdicts, and the deploy guard (R27-R29).
// Bad input (DeployInputError and the calendar's ranges) is a BosunError: the server's error
// handler answers it (400).
import type { FastifyInstance } from "fastify";
import { Temporal } from "temporal-polyfill";
import type { CalendarView } from "../api/release.js";
import type { DataSource } from "../api/views.js";
import { DeployInputError } from "../rules/deploy-guard/index.js";
import { type FeedEvent, renderIcs } from "../time/ics.js";

export interface ReleaseRouteDeps {
  data: DataSource;
  /** The feed's name, e.g. "fleetdm releases". */
  feedName?: string;
  /** Events other parts of Bosun add to the same feed (ritual occurrences), for [from, to). */
  extraEvents?: (view: CalendarView) => Promise<FeedEvent[]>;
  clock?: () => Temporal.Instant;
}

function stringField(body: unknown, field: string, required: boolean): string | undefined {
  const value = (body as Record<string, unknown> | null)?.[field];
  if (value === undefined || value === null) {
    if (required) throw new DeployInputError(`body: "${field}" is required (a string)`);
    return undefined;
  }
  if (typeof value !== "string") {
    throw new DeployInputError(`body: "${field}" must be a string, found ${JSON.stringify(value)}`);
  }
  return value;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export async function registerReleaseRoutes(
  app: FastifyInstance,
  deps: ReleaseRouteDeps,
): Promise<void> {
  const clock = deps.clock ?? (() => Temporal.Now.instant());

  app.get<{ Querystring: { from?: string; to?: string } }>("/api/calendar", async (req) =>
    deps.data.releaseCalendar({ from: req.query.from, to: req.query.to }),
  );

  app.get<{ Querystring: { from?: string; to?: string } }>("/calendar.ics", async (req, reply) => {
    const view = await deps.data.releaseCalendar({ from: req.query.from, to: req.query.to });
    const events: FeedEvent[] = view.events.map((e) => ({
      uid: e.uid,
      title: e.title,
      start: Temporal.Instant.from(e.start),
      end: Temporal.Instant.from(e.end),
      kind: e.kind,
      // R32: a moved event keeps its UID and raises its SEQUENCE; the description says why.
      sequence: e.sequence,
      ...(e.moved ? { description: `${capitalise(e.moved.text)}.` } : {}),
    }));
    const body = renderIcs(events, {
      name: deps.feedName ?? "Release calendar",
      stamp: clock(),
      timeZone: view.timeZone,
      description: "Sprints, RC cuts, freezes and releases, kept current by Bosun (R32)",
      extra: deps.extraEvents ? await deps.extraEvents(view) : [],
    });
    reply.header("content-type", "text/calendar; charset=utf-8");
    reply.header("content-disposition", 'inline; filename="calendar.ics"');
    return body;
  });

  app.get("/api/release-train", async () => deps.data.releaseTrain());

  app.post("/api/deploy/check", async (req) => {
    const environment = stringField(req.body, "environment", true)!;
    const image = stringField(req.body, "image", true)!;
    const at = stringField(req.body, "at", false);
    const override = stringField(req.body, "override", false);
    return deps.data.deployCheck({
      environment,
      image,
      ...(at ? { at } : {}),
      ...(override ? { override } : {}),
    });
  });

  app.post("/api/deploy/record", async (req, reply) => {
    const environment = stringField(req.body, "environment", true)!;
    const image = stringField(req.body, "image", true)!;
    const by = stringField(req.body, "by", false);
    const note = stringField(req.body, "note", false);
    const row = await deps.data.deployRecord({
      environment,
      image,
      ...(by ? { by } : {}),
      ...(note ? { note } : {}),
    });
    return reply.code(201).send(row);
  });
}
