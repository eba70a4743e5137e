import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { authFromEnv, createClient, type GitHubAuth } from "../../github/client.js";
import { storeEtags } from "../../github/etags.js";
import { Runtime } from "../../runtime/runtime.js";
import { openWebhookIntake } from "../../runtime/webhooks.js";
import { LOG_REDACT } from "../../server/app.js";
import { openStore } from "../../store/index.js";
import { updateLock } from "../../store/lock.js";
import { databaseUrl, dataDir, type GlobalOptions } from "../context.js";
import { UserError } from "../errors.js";
import { requireConfig } from "../load.js";
import { progressReporter } from "../progress.js";

export interface ServeOptions extends GlobalOptions {
  port: number;
  host: string;
  dryRun?: boolean;
  syncInterval: number;
}

export async function serve(opts: ServeOptions): Promise<void> {
  const { config, file } = await requireConfig(opts);
  let auth: GitHubAuth;
  try {
    auth = authFromEnv(process.env, (path) => readFileSync(path, "utf8"));
  } catch (err) {
    throw new UserError((err as Error).message);
  }
  const url = databaseUrl();
  const dir = dataDir();
  const store = await openStore({
    dataDir: url ? undefined : dir,
    databaseUrl: url,
    holder: { command: "bosun serve" },
  });
  const location = url ? "PostgreSQL (DATABASE_URL)" : dir;
  const secret = config.github.webhookSecret;
  // The client exists before the server's logger; its warnings (rate limits) reach it once it does.
  let serverLog: { warn(msg: string): void; error(msg: string): void } | undefined;
  const clientLog = {
    debug() {},
    info() {},
    warn: (msg: string) => serverLog?.warn(msg),
    error: (msg: string) => serverLog?.error(msg),
  };
  // Without credentials Bosun can still serve what its store holds, and take webhooks.
  const client =
    auth.kind === "none"
      ? undefined
      : createClient({
          baseUrl: config.github.apiUrl,
          auth,
          log: clientLog,
          etags: storeEtags(store),
        });
  const runtime = new Runtime({
    config,
    store,
    location,
    client,
    dryRun: Boolean(opts.dryRun),
    logger: { level: process.env.LOG_LEVEL ?? "info", redact: LOG_REDACT },
    webhooks: await openWebhookIntake(store, config, secret),
  });
  const app = await runtime.server();
  serverLog = app.log;

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, "shutting down");
    await runtime.stop();
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
  await runtime.startWebhooks();
  const github =
    auth.kind === "none"
      ? "no credentials (set GITHUB_TOKEN or the GITHUB_APP_* variables): serving the store, not syncing"
      : `${config.github.apiUrl} as ${auth.kind === "token" ? "a token" : `GitHub App ${auth.appId}`}${opts.dryRun ? ", dry run: nothing is written" : ""}`;
  process.stdout.write(
    `Bosun is serving ${config.organisation} (${file}) at ${serverUrl} on ${hostname()}\n` +
      `  dashboard  ${serverUrl}/\n  API        ${serverUrl}/api/status\n  metrics    ${serverUrl}/metrics\n` +
      `  webhooks   ${serverUrl}/webhooks/github${secret ? "" : " (refused until BOSUN_WEBHOOK_SECRET or github.webhookSecret is set)"}\n` +
      `  GitHub     ${github}\n` +
      `  store      ${url ? "PostgreSQL (DATABASE_URL)" : `PGlite in ${dir}`}\n`,
  );
  if (!secret)
    app.log.warn("no webhook secret: POST /webhooks/github answers 503 until one is set");
  if (client) {
    // The first sync runs now (a full one if never finished), with a bar on a terminal;
    // later ones are incremental and quiet. The dashboard shows progress either way.
    const progress = progressReporter();
    runtime.sync.onProgress((phase, done, total) => {
      if (runtime.sync.snapshot().runs === 0) progress.update(phase, done, total);
    });
    void runtime
      .syncOnce()
      .finally(() => progress.stop())
      .then(() => runtime.decideAndApply())
      .catch(() => undefined);
  }
  runtime.startLoops({ syncMs: opts.syncInterval * 1000, decideMs: 30_000 });
}
