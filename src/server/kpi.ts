// The KPI report over HTTP (R1, R2): `GET /api/kpi?asOf=&compat=script` (the JSON `bosun kpi
// --format json` prints), `GET /api/kpi/history?weeks=` (the dashboard's charts), and uPlot's
// files for the dashboard.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { DataSource } from "../api/views.js";
import { BosunError } from "../errors.js";

// A Map, not an object: names such as "constructor" or "__proto__" must not find anything.
const UPLOT_FILES = new Map<string, { file: string; type: string }>([
  ["uPlot.iife.min.js", { file: "uPlot.iife.min.js", type: "text/javascript; charset=utf-8" }],
  ["uPlot.min.css", { file: "uPlot.min.css", type: "text/css; charset=utf-8" }],
]);

function uplotDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve("uplot/dist/uPlot.iife.min.js"));
}

export function registerKpiRoutes(app: FastifyInstance, data: DataSource): void {
  // Bad input and "not ready" (KpiInputError, KpiNotReadyError) are BosunErrors: the server's
  // error handler answers them (400, 409).
  app.get<{ Querystring: { asOf?: string; compat?: string } }>("/api/kpi", async (req) => {
    const { asOf, compat } = req.query;
    if (compat !== undefined && compat !== "script") {
      throw new BosunError(
        "bad-input",
        `compat must be "script" (or left out), found ${JSON.stringify(compat)}`,
      );
    }
    if (asOf !== undefined && asOf.trim() === "") {
      throw new BosunError("bad-input", "asOf must not be empty: a date such as 2026-03-02");
    }
    return data.kpi(asOf, compat === "script" ? { compat } : {});
  });

  app.get<{ Querystring: { weeks?: string } }>("/api/kpi/history", async (req) => {
    const raw = req.query.weeks;
    const weeks = raw === undefined ? undefined : Number(raw);
    if (weeks !== undefined && (!Number.isInteger(weeks) || weeks < 1 || weeks > 520)) {
      throw new BosunError(
        "bad-input",
        `weeks must be a whole number from 1 to 520, found ${JSON.stringify(raw)}`,
      );
    }
    return data.kpiHistory({ weeks });
  });

  let dir: string | undefined;
  app.get<{ Params: { file: string } }>("/assets/uplot/:file", async (req, reply) => {
    const asset = UPLOT_FILES.get(req.params.file);
    if (!asset) throw new BosunError("not-found", `no asset ${req.params.file}`);
    dir ??= uplotDir();
    reply.header("content-type", asset.type).header("cache-control", "public, max-age=86400");
    return readFile(path.join(dir, asset.file));
  });
}
