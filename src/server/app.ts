import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { DataSource } from "../api/views.js";
import { BosunError } from "../errors.js";
import type { HandbookSummary } from "../handbook/summary.js";
import type { RuleView } from "../rules/index.js";
import { renderDashboard } from "../web/dashboard.js";
import { type ApiAuth, requireApiToken } from "./auth.js";
import { answerErrors, sendError } from "./errors.js";
import { registerKpiRoutes } from "./kpi.js";
import { registerNotificationRoutes } from "./notifications.js";
import { dataProbes, type Probes, registerProbeRoutes } from "./probes.js";
import { registerReleaseRoutes } from "./release.js";
import { registerRitualRoutes, ritualCalendarEvents } from "./rituals.js";
import { registerWebhookRoutes, type WebhookDeps } from "./webhooks.js";

export interface ServerDeps {
  data: DataSource;
  /** The configuration summary, computed per request so "next RC cut" stays current. */
  summary: () => HandbookSummary;
  /** Rules and what configures them, for the API and dashboard. */
  rules: RuleView[];
  logger?: FastifyServerOptions["logger"];
  /** POST /webhooks/github, when given (see webhooks.ts). */
  webhooks?: WebhookDeps;
  /** `/healthz` and `/readyz` (see probes.ts); default: from `data` alone. */
  probes?: Probes;
  /**
   * Who may write and read (see auth.ts). `bosun serve` and `bosun preview` always give one;
   * left out, nothing is checked: for in-process tests and embedders that authenticate first.
   */
  auth?: ApiAuth;
}

/** Structured JSON logs that never carry a token, a signature or a cookie. */
export const LOG_REDACT = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  // The Slack bot token and incoming-webhook URL, wherever an object logged may carry them.
  "token",
  "*.token",
  "*.headers.authorization",
  "webhookUrl",
  "*.webhookUrl",
];

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: 26 * 1024 * 1024, // GitHub caps webhook payloads at 25 MB
  });
  // Before any route: every route and plugin answers its errors the same way (errors.ts).
  answerErrors(app);
  if (deps.auth) requireApiToken(app, deps.auth);

  const metrics = makeMetrics(deps);
  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unmatched";
    metrics.requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    metrics.duration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });

  registerProbeRoutes(app, deps.probes ?? dataProbes(deps.data));

  app.get("/metrics", async (_req, reply) => {
    const status = await deps.data.status();
    for (const [table, rows] of Object.entries(status.counts)) metrics.rows.set({ table }, rows);
    reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.get("/api/config", async () => deps.summary());
  app.get("/api/rules", async () => deps.rules);
  app.get("/api/status", async () => deps.data.status());

  app.get<{ Querystring: { target?: string; limit?: string } }>("/api/audit", async (req) => {
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new BosunError("bad-input", "limit must be a whole number from 1 to 1000");
    }
    return deps.data.audit({ target: req.query.target, limit });
  });

  app.get<{ Querystring: { at?: string } }>("/api/plan", async (req) =>
    deps.data.plan(req.query.at),
  );

  app.get("/", async (_req, reply) => {
    const [status, summary] = [await deps.data.status(), deps.summary()];
    reply.header("content-type", "text/html; charset=utf-8");
    const notifications = await deps.data.notifications({ limit: 50 });
    return renderDashboard({ status, summary, rules: deps.rules, notifications });
  });

  registerKpiRoutes(app, deps.data);
  registerRitualRoutes(app, deps.data);
  registerNotificationRoutes(app, deps.data);
  await registerReleaseRoutes(app, {
    data: deps.data,
    feedName: `${deps.summary().organisation} releases`,
    // One feed to subscribe to: the release train and the rituals (R32, R47).
    extraEvents: async (view) =>
      (await ritualCalendarEvents(deps.data, view.from.slice(0, 10), view.to.slice(0, 10))).map(
        (e) => ({
          uid: e.id,
          title: e.summary,
          start: e.start,
          end: e.end,
          description: e.description,
          kind: "ritual",
        }),
      ),
  });
  if (deps.webhooks) await registerWebhookRoutes(app, deps.webhooks);

  app.setNotFoundHandler((req, reply) => {
    sendError(reply, new BosunError("not-found", `no route ${req.method} ${req.url}`));
  });
  return app;
}

function makeMetrics(_deps: ServerDeps) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "bosun_" });
  return {
    registry,
    requests: new Counter({
      name: "bosun_http_requests_total",
      help: "HTTP requests served, by route and status",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    duration: new Histogram({
      name: "bosun_http_request_duration_seconds",
      help: "HTTP request duration",
      labelNames: ["method", "route"],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    rows: new Gauge({
      name: "bosun_store_rows",
      help: "Rows in each store table",
      labelNames: ["table"],
      registers: [registry],
    }),
  };
}
