import { accessSync, constants, mkdirSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { authFromEnv, createClient, type GitHubAuth } from "../../github/client.js";
import { storeEtags } from "../../github/etags.js";
import { createNotifier } from "../../notify/index.js";
import { Runtime } from "../../runtime/runtime.js";
import { openWebhookIntake } from "../../runtime/webhooks.js";
import { LOG_REDACT } from "../../server/app.js";
import { apiAuthFor } from "../../server/auth.js";
import { openStore } from "../../store/index.js";
import { updateLock } from "../../store/lock.js";
import { databaseUrl, dataDir, type GlobalOptions } from "../context.js";
import { UserError } from "../errors.js";
import { requireConfig } from "../load.js";
import { progressReporter } from "../progress.js";
import { exitOnSignals } from "../shutdown.js";

export interface ServeOptions extends GlobalOptions {
  port: number;
  host: string;
  dryRun?: boolean;
  /** Serve the store as it is, without GitHub credentials: no sync, nothing applied. */
  offline?: boolean;
  syncInterval: number;
}

const CREDENTIALS_HELP =
  "set GITHUB_TOKEN (a token with Issues, Pull requests, Contents, Commit statuses and Variables, read and write, and Metadata, on the configured repositories), " +
  "or a GitHub App's GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY_FILE (or GITHUB_APP_PRIVATE_KEY) and GITHUB_APP_INSTALLATION_ID";

export async function serve(opts: ServeOptions): Promise<void> {
  const { config, file } = await requireConfig(opts);
  let auth: GitHubAuth;
  try {
    auth = authFromEnv(process.env, (path) => readFileSync(path, "utf8"));
  } catch (err) {
    throw new UserError(`${(err as Error).message}; ${CREDENTIALS_HELP}`);
  }
  if (auth.kind === "none" && !opts.offline)
    throw new UserError(
      `no GitHub credentials: ${CREDENTIALS_HELP}; or start with --offline to serve the store without GitHub`,
    );
  // Checked before the store is opened, so bad input leaves nothing behind.
  const requestTimeoutMs = positiveMs("BOSUN_GITHUB_TIMEOUT_MS", 30_000);
  const syncStallMs = positiveMs("BOSUN_SYNC_STALL_MS", 5 * 60_000);
  const apiAuth = apiAuthFor({ host: opts.host, env: process.env, mode: "serve" });
  const url = databaseUrl();
  const dir = dataDir();
  if (!url) requireWritableDir(dir);
  const store = await openStoreFor(url, dir);
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
  // Aborted by SIGTERM: GitHub requests in flight, and retries waiting out a rate limit, end at
  // once instead of holding shutdown for minutes.
  const githubStop = new AbortController();
  // --offline: Bosun serves what its store holds, and takes webhooks, without GitHub.
  const client =
    auth.kind === "none" || opts.offline
      ? undefined
      : createClient({
          baseUrl: config.github.apiUrl,
          auth,
          log: clientLog,
          etags: storeEtags(store),
          requestTimeoutMs,
          signal: githubStop.signal,
        });
  const runtime = new Runtime({
    config,
    store,
    location,
    client,
    dryRun: Boolean(opts.dryRun),
    syncStallMs,
    configFile: file,
    auth: apiAuth,
    logger: { level: process.env.LOG_LEVEL ?? "info", redact: LOG_REDACT },
    webhooks: await openWebhookIntake(store, config, secret),
    // Slack: the token only from SLACK_BOT_TOKEN(_FILE), the webhook URL from SLACK_WEBHOOK_URL(_FILE).
    notifier: createNotifier(config.slack, {
      store,
      log: { info() {}, warn: (msg) => serverLog?.warn(msg) },
    }),
  });
  const app = await runtime.server();
  serverLog = app.log;

  // SIGTERM (docker stop, Kubernetes) or Ctrl-C: take no new work, finish what is in hand,
  // release the store (and its lock), exit within 10 s (shutdown.ts).
  exitOnSignals({
    say: (msg, fields) => app.log.info(fields ?? {}, msg),
    steps: [
      {
        name: "the HTTP server, loops, webhook worker, sync and decision run",
        run: (signal) => {
          const stopped = runtime.stop(signal);
          githubStop.abort(new Error(`Bosun is stopping (${signal})`));
          return stopped;
        },
      },
      { name: "the store", run: () => store.close() },
    ],
  });

  await app.listen({ port: opts.port, host: opts.host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  // Listening on every address (0.0.0.0 in a container): this host reaches it on loopback.
  const reachable = opts.host === "0.0.0.0" ? "127.0.0.1" : opts.host === "::" ? "::1" : opts.host;
  const serverUrl = `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
  if (!url) updateLock(dir, { serverUrl });
  await runtime.startWebhooks();
  const github =
    !client || auth.kind === "none"
      ? "offline (--offline): serving the store, not syncing, applying nothing"
      : `${config.github.apiUrl} as ${auth.kind === "token" ? "a token" : `GitHub App ${auth.appId}`}${opts.dryRun ? ", dry run: nothing is written" : ""}`;
  process.stdout.write(
    `Bosun is serving ${config.organisation} (${file}) at ${serverUrl} on ${hostname()}\n` +
      `  dashboard  ${serverUrl}/\n  API        ${serverUrl}/api/status\n  metrics    ${serverUrl}/metrics\n` +
      `  probes     ${serverUrl}/healthz (alive), ${serverUrl}/readyz (store open, migrated, first sync done)\n` +
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

/** A duration in milliseconds from the environment, or `fallback` when unset. */
function positiveMs(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms <= 0)
    throw new UserError(
      `${name} must be a positive number of milliseconds, found ${JSON.stringify(raw)}`,
    );
  return ms;
}

/** The embedded store's folder must be writable: say so, with the ways out, before opening it. */
function requireWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new UserError(
      `the data folder ${dir} cannot be written (${code}): set BOSUN_DATA_DIR to a writable folder ` +
        "(in a container, mount a volume there: docker run -v bosun-data:/data), " +
        "or set DATABASE_URL to use PostgreSQL (postgres://user:password@host:5432/bosun)",
    );
  }
}

async function openStoreFor(url: string | undefined, dir: string) {
  try {
    return await openStore({
      dataDir: url ? undefined : dir,
      databaseUrl: url,
      holder: { command: "bosun serve" },
    });
  } catch (err) {
    if (!url || (err as Error).name?.startsWith("Store")) throw err;
    throw new UserError(
      `cannot use the PostgreSQL database at DATABASE_URL (${safeUrl(url)}): ${(err as Error).message}; check DATABASE_URL and that the server accepts connections`,
      "unavailable",
    );
  }
}

/** A connection string without its password, for messages. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = "";
    return u.toString();
  } catch {
    return "not a URL: postgres://user:password@host:5432/database";
  }
}
