// What Bosun posted to Slack, over HTTP: `GET /api/notifications?limit=` (the dashboard's
// Notifications section reads the same view).
import type { FastifyInstance } from "fastify";
import type { DataSource } from "../api/views.js";
import { BosunError } from "../errors.js";

export function registerNotificationRoutes(app: FastifyInstance, data: DataSource): void {
  app.get<{ Querystring: { limit?: string } }>("/api/notifications", async (req) => {
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new BosunError("bad-input", "limit must be a whole number from 1 to 1000");
    }
    return data.notifications({ limit });
  });
}
