import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { type EmulatorOptions, type RunningEmulator, startEmulator } from "./start.js";

/** Options of `bosun emulator`, already parsed (commander or parseEmulatorArgs). */
export interface EmulatorCliOptions {
  port?: number;
  host?: string;
  size?: number;
  seed?: number;
  data?: string;
  /** ISO date: replay history only up to it. */
  until?: string;
  activity?: boolean;
  activityIntervalMs?: number;
  webhook?: string[];
  secret?: string;
}

export class EmulatorUsageError extends Error {}

function integer(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new EmulatorUsageError(
      `--${name} must be a whole number from ${min} to ${max}; found "${value}"`,
    );
  }
  return n;
}

/** Parses `bosun emulator` arguments; every mistake names the option and the value found. */
export function parseEmulatorArgs(argv: string[]): EmulatorCliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      size: { type: "string" },
      seed: { type: "string" },
      data: { type: "string" },
      until: { type: "string" },
      "no-activity": { type: "boolean" },
      "activity-interval": { type: "string" },
      webhook: { type: "string", multiple: true },
      secret: { type: "string" },
    },
    strict: true,
  });
  if (values.until !== undefined && Number.isNaN(Date.parse(values.until))) {
    throw new EmulatorUsageError(
      `--until must be an ISO 8601 date such as 2026-06-30; found "${values.until}"`,
    );
  }
  return {
    port: integer("port", values.port, 0, 65535),
    host: values.host,
    size: integer("size", values.size, 0, 100_000),
    seed: integer("seed", values.seed, 0, 2 ** 31),
    data: values.data,
    until: values.until,
    activity: !values["no-activity"],
    activityIntervalMs: integer("activity-interval", values["activity-interval"], 100, 3_600_000),
    webhook: values.webhook,
    secret: values.secret,
  };
}

/**
 * Runs the emulator in the foreground: a progress bar while generating, one line with the
 * URL, then serve until SIGINT/SIGTERM.
 */
export async function runEmulatorCli(
  options: EmulatorCliOptions,
  io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; env: NodeJS.ProcessEnv } = process,
): Promise<RunningEmulator> {
  const secret = options.secret ?? io.env.BOSUN_WEBHOOK_SECRET;
  if ((options.webhook?.length ?? 0) > 0 && !secret) {
    throw new EmulatorUsageError(
      "--webhook needs a signing secret: pass --secret or set BOSUN_WEBHOOK_SECRET",
    );
  }
  const bar = io.stderr.isTTY
    ? new cliProgress.SingleBar(
        { format: "{phase} [{bar}] {value}/{total}", stream: io.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let started = false;
  const emulatorOptions: EmulatorOptions = {
    port: options.port ?? 3100,
    host: options.host ?? "127.0.0.1",
    size: options.size,
    seed: options.seed,
    dataDir: options.data,
    until: options.until ? new Date(options.until) : undefined,
    webhooks: (options.webhook ?? []).map((url) => ({ url, secret: secret! })),
    activity:
      options.activity === false ? false : { intervalMs: options.activityIntervalMs ?? 5000 },
    onProgress(phase, done, total) {
      if (!bar) return;
      if (!started) {
        bar.start(total, done, { phase });
        started = true;
      }
      bar.update(done, { phase });
    },
  };
  const emulator = await startEmulator(emulatorOptions);
  bar?.stop();
  io.stdout.write(
    `GitHub emulator: ${emulator.url}  (point Octokit's baseUrl here; admin at ${emulator.url}/_emulator/requests)\n`,
  );
  const stop = async () => {
    await emulator.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return emulator;
}
