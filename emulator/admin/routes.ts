import type { FastifyInstance } from "fastify";
import type { ActivitySimulator } from "../activity.js";
import type { ControlledClock } from "../clock.js";
import type { FaultSpec } from "../http/faults.js";
import type { ServerParts } from "../http/server.js";
import type { RunningSlack, SlackThrottle } from "../slack/server.js";

/** /_emulator/*: counters, faults, webhooks, deliveries, clock and activity, for tests and benchmarks. */
export function registerAdminRoutes(
  app: FastifyInstance,
  parts: ServerParts,
  clock: ControlledClock,
  activity: () => ActivitySimulator | undefined,
  slack?: RunningSlack,
): void {
  const { core } = parts;
  app.get("/_emulator/requests", async () => {
    const byEndpoint = Object.fromEntries([...parts.counters.entries()].sort());
    const total = [...parts.counters.values()].reduce((a, b) => a + b, 0);
    return { total, byEndpoint };
  });
  app.delete("/_emulator/requests", async (_request, reply) => {
    parts.counters.clear();
    parts.limiter.reset();
    reply.code(204);
    return "";
  });
  app.get("/_emulator/faults", async () => parts.faults.list().map(({ pattern: _p, ...f }) => f));
  app.post("/_emulator/faults", async (request, reply) => {
    const spec = request.body as FaultSpec;
    if (
      !spec ||
      !["primary-rate-limit", "secondary-rate-limit", "server-error", "slow"].includes(spec.kind)
    ) {
      reply.code(422);
      return {
        message: "kind must be one of primary-rate-limit, secondary-rate-limit, server-error, slow",
      };
    }
    const { pattern: _p, ...fault } = parts.faults.add(spec);
    reply.code(201);
    return fault;
  });
  app.delete("/_emulator/faults", async (_request, reply) => {
    parts.faults.clear();
    reply.code(204);
    return "";
  });
  app.get("/_emulator/webhooks", async () =>
    core.hooks.listTargets().map(({ secret: _s, ...t }) => t),
  );
  app.post("/_emulator/webhooks", async (request, reply) => {
    const body = request.body as { url?: string; secret?: string; events?: string[] };
    if (!body?.url || typeof body.secret !== "string") {
      reply.code(422);
      return { message: "url and secret are required" };
    }
    const { secret: _s, ...target } = core.hooks.addTarget(body.url, body.secret, body.events);
    reply.code(201);
    return target;
  });
  app.get("/_emulator/deliveries", async () =>
    core.hooks.deliveries().map(({ body: _b, ...d }) => d),
  );
  app.get("/_emulator/deliveries/:id", async (request, reply) => {
    const delivery = core.hooks.delivery(Number((request.params as { id: string }).id));
    if (!delivery) {
      reply.code(404);
      return { message: "Not Found" };
    }
    return { ...delivery, payload: JSON.parse(delivery.body) };
  });
  app.post("/_emulator/deliveries/:id/redeliver", async (request, reply) => {
    const delivery = core.hooks.redeliver(Number((request.params as { id: string }).id));
    if (!delivery) {
      reply.code(404);
      return { message: "Not Found" };
    }
    reply.code(202);
    const { body: _b, ...rest } = delivery;
    return rest;
  });
  app.get("/_emulator/pagination-cap", async () => parts.paginationCap);
  app.post("/_emulator/pagination-cap", async (request, reply) => {
    const pages = (request.body as { pages?: unknown } | undefined)?.pages;
    if (pages !== null && !(Number.isInteger(pages) && (pages as number) >= 1)) {
      return reply
        .code(400)
        .send({ message: "pages must be a whole number of at least 1, or null" });
    }
    parts.paginationCap.pages = pages as number | null;
    return parts.paginationCap;
  });
  app.post("/_emulator/clock", async (request) => {
    const body = (request.body ?? {}) as { advanceMs?: number };
    if (typeof body.advanceMs === "number") clock.advance(body.advanceMs);
    return { now: new Date(clock.now()).toISOString() };
  });
  if (slack) {
    // The emulated Slack, from the one emulator URL a preview prints.
    app.get("/_emulator/slack", async () => ({
      url: slack.url,
      apiUrl: slack.apiUrl,
      channels: slack.admin.state.channels,
      messages: slack.admin.messages(),
    }));
    app.post("/_emulator/slack/throttle", async (request, reply) => {
      const spec = (request.body ?? {}) as SlackThrottle;
      slack.admin.throttle(spec);
      reply.code(201);
      return spec;
    });
    app.delete("/_emulator/slack/throttle", async (_request, reply) => {
      slack.admin.clearThrottle();
      reply.code(204);
      return "";
    });
  }
  app.post("/_emulator/activity/steps", async (request, reply) => {
    const sim = activity();
    if (!sim) {
      reply.code(409);
      return { message: "activity needs a generated organisation" };
    }
    const count = Math.min(
      1000,
      Number((request.body as { count?: number } | undefined)?.count ?? 1),
    );
    return { actions: await sim.steps(count) };
  });
}
