import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Temporal } from "temporal-polyfill";
import { createClient } from "../../github/client.js";
import { storeEtags } from "../../github/etags.js";
import { createNotifier } from "../../notify/index.js";
import { Runtime } from "../../runtime/runtime.js";
import { openWebhookIntake } from "../../runtime/webhooks.js";
import { LOG_REDACT } from "../../server/app.js";
import { apiAuthFor } from "../../server/auth.js";
import { openStore } from "../../store/index.js";
import { updateLock } from "../../store/lock.js";
import { dataDir, type GlobalOptions } from "../context.js";
import { UserError } from "../errors.js";
import { requireConfig } from "../load.js";
import { progressReporter } from "../progress.js";
import { exitOnSignals } from "../shutdown.js";
import { orgSpecFromConfig } from "./preview-org.js";

export interface PreviewOptions extends GlobalOptions {
  size: number;
  seed: number;
  port: number;
  emulatorPort: number;
  host: string;
  activity: boolean;
}

/** The example configuration shipped with Bosun, used when no --config is given. */
function bundledExample(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error("bosun.example.yml not found: is the package intact?");
    dir = up;
  }
  return path.join(dir, "bosun.example.yml");
}

/**
 * One command to see Bosun work without a GitHub token: the emulator with a generated
 * organisation, a Bosun server on the embedded store pointed at it, a first full sync.
 */
export async function preview(opts: PreviewOptions): Promise<void> {
  const started = performance.now();
  const configOpts = {
    ...opts,
    config: opts.config ?? (process.env.BOSUN_CONFIG || bundledExample()),
  };
  const { config, file } = await requireConfig(configOpts);
  const root = path.join(dataDir(), "preview");
  const stamp = JSON.stringify({
    seed: opts.seed,
    size: opts.size,
    organisation: config.organisation,
  });
  const stampFile = path.join(root, "preview.json");
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8") !== stamp) {
    // A different seed or size is a different organisation: start both sides afresh.
    process.stderr.write(`bosun preview: --seed/--size changed; regenerating ${root}\n`);
    rmSync(root, { recursive: true, force: true });
  }
  mkdirSync(root, { recursive: true });

  const progress = progressReporter();
  const { startEmulator } = await import("../../../emulator/index.js");
  const emulator = await startEmulator({
    port: opts.emulatorPort,
    host: opts.host,
    size: opts.size,
    seed: opts.seed,
    dataDir: path.join(root, "emulator"),
    org: orgSpecFromConfig(config, new Date()),
    // The emulator's Slack has the channels the configuration announces in.
    slack: {
      channels: [
        config.slack.channels.default,
        ...(config.releaseTrain.announcements?.channel
          ? [config.releaseTrain.announcements.channel]
          : []),
      ],
    },
    onProgress: (phase, done, total) => progress.update(phase, done, total),
  });
  writeFileSync(stampFile, stamp);

  const store = await openStore({
    dataDir: path.join(root, "store"),
    holder: { command: "bosun preview" },
  });
  const secret = process.env.BOSUN_WEBHOOK_SECRET || randomBytes(20).toString("hex");
  const client = createClient({
    baseUrl: emulator.url,
    auth: { kind: "token", token: "bosun-preview" },
    etags: storeEtags(store),
    writeSpacingMs: 50,
  });
  // Slack is the emulator's too: announcements land in its record and on the dashboard.
  const slack = { ...config.slack, mode: "app" as const, apiUrl: emulator.slack.apiUrl };
  const runtime = new Runtime({
    config: {
      ...config,
      github: { ...config.github, apiUrl: emulator.url, webhookSecret: secret },
      slack,
    },
    store,
    location: path.join(root, "store"),
    client,
    dryRun: false,
    configFile: file,
    auth: apiAuthFor({ host: opts.host, env: process.env, mode: "preview" }),
    logger: { level: process.env.LOG_LEVEL ?? "warn", redact: LOG_REDACT },
    webhooks: await openWebhookIntake(store, config, secret),
    notifier: createNotifier(slack, { store, env: { SLACK_BOT_TOKEN: "xoxb-bosun-preview" } }),
    // Bosun's clock is the emulator's: POST /_emulator/clock {advanceMs} moves both (an RC cut).
    clock: () => Temporal.Instant.fromEpochMilliseconds(emulator.admin.clock.now()),
  });
  runtime.sync.onProgress((phase, done, total) => progress.update(phase, done, total));
  const app = await runtime.server();

  // Ctrl-C or SIGTERM: as `serve` (shutdown.ts), then the emulator saves its state and stops.
  let activityTimer: NodeJS.Timeout | undefined;
  let stopping = false;
  exitOnSignals({
    say: (msg) => process.stderr.write(`bosun preview: ${msg}\n`),
    steps: [
      {
        name: "the HTTP server, loops, webhook worker, sync and decision run",
        run: async (signal) => {
          stopping = true;
          progress.stop();
          clearInterval(activityTimer);
          await runtime.stop(signal);
        },
      },
      {
        name: "the store and the emulator",
        run: () => Promise.all([store.close(), emulator.close()]),
      },
    ],
  });

  let url: string;
  try {
    url = await app.listen({ port: opts.port, host: opts.host });
  } catch (err) {
    await emulator.close();
    await store.close();
    throw new UserError(
      `cannot listen on ${opts.host}:${opts.port}: ${(err as Error).message} (use --port)`,
      "conflict",
    );
  }
  updateLock(path.join(root, "store"), { serverUrl: url });
  await runtime.startWebhooks();
  emulator.admin.addWebhook(`${url}/webhooks/github`, secret);

  try {
    await runtime.syncOnce();
  } catch (err) {
    // Stopped during the first sync: the shutdown finishes and exits; the next start resumes.
    if (stopping) return;
    throw err;
  }
  progress.stop();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `Ready: dashboard ${url}/ · GitHub emulator ${emulator.url} (${opts.size} issues + PRs, seed ${opts.seed}, ${seconds}s)\n` +
      `  config   ${file}\n  data     ${root}\n` +
      `  slack    ${emulator.slack.apiUrl} (what Bosun posted: curl ${emulator.url}/_emulator/slack)\n` +
      `  try      curl ${emulator.url}/repos/${runtime.repositories[0]}/issues?per_page=3\n` +
      `           npx bosun why ${runtime.repositories[0]}#1\n` +
      `  activity ${opts.activity ? "simulated bugs, PRs, reviews and label changes arrive as webhooks" : "off (--no-activity)"}\n`,
  );
  runtime.startLoops({ syncMs: 60_000, decideMs: 30_000 });
  void runtime.decideAndApply().catch(() => undefined);
  if (opts.activity) {
    activityTimer = setInterval(
      () => void emulator.admin.activitySteps(1).catch(() => undefined),
      5_000,
    );
    activityTimer.unref();
  }
  // Keep running until a signal: the server and the emulator hold the event loop open.
}
