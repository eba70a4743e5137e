import { hostname } from "node:os";
import { Temporal } from "temporal-polyfill";
import { LocalData } from "../../app/local.js";
import { summarizeConfig } from "../../handbook/summary.js";
import { describeRules } from "../../rules/index.js";
import { buildServer, LOG_REDACT } from "../../server/app.js";
import { openStore } from "../../store/index.js";
import { updateLock } from "../../store/lock.js";
import { databaseUrl, dataDir, type GlobalOptions } from "../context.js";
import { requireConfig } from "../load.js";

export interface ServeOptions extends GlobalOptions {
  port: number;
  host: string;
}

export async function serve(opts: ServeOptions): Promise<void> {
  const { config, file } = await requireConfig(opts);
  const url = databaseUrl();
  const dir = dataDir();
  const store = await openStore({
    dataDir: url ? undefined : dir,
    databaseUrl: url,
    holder: { command: "bosun serve" },
  });
  const data = new LocalData(store, config, url ? "PostgreSQL (DATABASE_URL)" : dir);
  const app = await buildServer({
    data,
    summary: () => summarizeConfig(config, Temporal.Now.instant()),
    rules: describeRules(),
    logger: { level: process.env.LOG_LEVEL ?? "info", redact: LOG_REDACT },
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, "shutting down");
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  await app.listen({ port: opts.port, host: opts.host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  const serverUrl = `http://${opts.host.includes(":") ? `[${opts.host}]` : opts.host}:${port}`;
  if (!url) updateLock(dir, { serverUrl });
  process.stdout.write(
    `Bosun is serving ${config.organisation} (${file}) at ${serverUrl} on ${hostname()}\n` +
      `  dashboard  ${serverUrl}/\n  API        ${serverUrl}/api/status\n  metrics    ${serverUrl}/metrics\n` +
      `  store      ${url ? "PostgreSQL (DATABASE_URL)" : `PGlite in ${dir}`}\n`,
  );
}
