import { Command, CommanderError, Option } from "commander";
import { UserError } from "./errors.js";

// Each command imports its module on demand, so `bosun --help` loads only commander.
const program = new Command()
  .name("bosun")
  .description(
    "Runs your engineering handbook on GitHub: decides what the rules require now, does it once, explains why.",
  )
  .option("-c, --config <file>", "handbook configuration (default: ./bosun.yml or $BOSUN_CONFIG)")
  .option(
    "--server <url>",
    "read through a running Bosun server (default: $BOSUN_SERVER, or the local server holding the store)",
  )
  .showHelpAfterError("(run bosun --help for usage)")
  .exitOverride()
  .addHelpText(
    "after",
    `
Examples:
  $ bosun preview                          try it: a generated GitHub organisation, synced and served
  $ bosun config check bosun.example.yml   validate a configuration, print a summary
  $ bosun serve --config bosun.yml         start the server, dashboard and webhook endpoint
  $ bosun plan --dry-run                   what the rules would do now, without doing it
  $ bosun why fleetdm/fleet#123            the audit trail of an issue or pull request
  $ bosun emulator --port 3001             a GitHub emulator to point any client at

Environment: BOSUN_CONFIG, BOSUN_DATA_DIR (embedded store, default ./.bosun), DATABASE_URL
(use PostgreSQL instead), BOSUN_SERVER, BOSUN_WEBHOOK_SECRET.`,
  );

const jsonOption = () => new Option("--json", "print JSON instead of text");

const config = program.command("config").description("inspect the handbook configuration");
config
  .command("check")
  .description(
    "validate a configuration; print every error with file:line:column and key, or a summary",
  )
  .argument(
    "[file]",
    "the configuration to check (default: --config, $BOSUN_CONFIG or ./bosun.yml)",
  )
  .addOption(jsonOption())
  .addHelpText("after", "\nExit codes: 0 valid, 1 errors found, 2 bad usage.")
  .action(async (file: string | undefined, opts: { json?: boolean }) => {
    const { configCheck } = await import("./commands/config-check.js");
    process.exitCode = await configCheck(file, { ...program.opts(), ...opts });
  });

program
  .command("serve")
  .description("start Bosun: HTTP API, dashboard, metrics and (with the GitHub layer) webhooks")
  .option("-p, --port <n>", "port to listen on", parsePort, 8080)
  .option("--host <host>", "address to listen on", "127.0.0.1")
  .addHelpText("after", "\nExample:\n  $ bosun serve --config bosun.example.yml --port 8080")
  .action(async (opts: { port: number; host: string }) => {
    const { serve } = await import("./commands/serve.js");
    await serve({ ...program.opts(), ...opts });
  });

program
  .command("preview")
  .description(
    "try Bosun without a GitHub token: the GitHub emulator with a generated organisation, synced and served",
  )
  .option("--size <n>", "issues + pull requests to generate", parsePositive, 2000)
  .option("--seed <n>", "random seed, for a reproducible organisation", parseInteger, 1)
  .option("-p, --port <n>", "Bosun's port", parsePort, 8080)
  .option("--emulator-port <n>", "the GitHub emulator's port", parsePort, 3001)
  .option("--host <host>", "address both listen on", "127.0.0.1")
  .option("--no-activity", "no simulated live activity after the generated history")
  .addHelpText(
    "after",
    "\nData lives in $BOSUN_DATA_DIR/preview (default ./.bosun/preview); BOSUN_WEBHOOK_SECRET is used if set.\n\nExamples:\n  $ bosun preview\n  $ bosun preview --size 20000 --seed 7 --no-activity",
  )
  .action(async (opts: PreviewCliOptions) => {
    const { preview } = await import("./commands/preview.js");
    await preview({ ...program.opts(), ...opts });
  });

program
  .command("plan")
  .description("decide what the handbook's rules require now and print the plan")
  .option("--dry-run", "print the plan without applying it")
  .option("--at <instant>", "decide as of this instant (ISO 8601), for rehearsal")
  .addOption(jsonOption())
  .addHelpText(
    "after",
    "\nExamples:\n  $ bosun plan --dry-run\n  $ bosun plan --dry-run --json --at 2026-12-04T08:00:00-08:00",
  )
  .action(async (opts: { dryRun?: boolean; json?: boolean; at?: string }) => {
    const { plan } = await import("./commands/plan.js");
    process.exitCode = await plan({ ...program.opts(), ...opts });
  });

program
  .command("why")
  .description("the audit trail of an issue, pull request or branch: what Bosun did to it and why")
  .argument(
    "<target>",
    "owner/repo#123, repo#123, PR#123, #123, owner/repo@branch or a branch name",
  )
  .option("-n, --limit <n>", "at most this many entries", parsePositive, 50)
  .addOption(jsonOption())
  .addHelpText(
    "after",
    "\nExamples:\n  $ bosun why fleetdm/fleet#123\n  $ bosun why PR#123 --json\n  $ bosun why fleet@main",
  )
  .action(async (target: string, opts: { json?: boolean; limit: number }) => {
    const { why } = await import("./commands/why.js");
    process.exitCode = await why(target, { ...program.opts(), ...opts });
  });

program
  .command("emulator")
  .description("run the built-in GitHub emulator with a generated organisation")
  .option("-p, --port <n>", "port to listen on", parsePort, 3001)
  .option("--host <host>", "address to listen on", "127.0.0.1")
  .option(
    "--size <n>",
    "issues + pull requests to generate (0: empty repositories)",
    parseCount,
    2000,
  )
  .option("--seed <n>", "random seed, for a reproducible organisation", parseInteger, 1)
  .option("--data <dir>", "keep the emulator's state in this folder across restarts")
  .option("--until <date>", "generate history only up to this date (ISO 8601), for replays")
  .option(
    "--webhook <url>",
    "deliver signed webhooks here (repeatable)",
    (v: string, all: string[] = []) => [...all, v],
  )
  .option("--secret <secret>", "webhook signing secret (default: $BOSUN_WEBHOOK_SECRET)")
  .option("--no-activity", "no simulated live activity after the generated history")
  .option("--activity-interval <ms>", "milliseconds between simulated actions", parsePositive)
  .addHelpText(
    "after",
    "\nExamples:\n  $ bosun emulator --port 3001 --size 10000 --seed 7\n  $ bosun emulator --webhook http://127.0.0.1:8080/webhooks/github --secret s3cret\nthen point Octokit at it: new Octokit({ baseUrl: 'http://127.0.0.1:3001' })",
  )
  .action(async (opts: EmulatorCliOptions) => {
    const { emulator } = await import("./commands/emulator.js");
    await emulator(opts);
  });

export interface PreviewCliOptions {
  size: number;
  seed: number;
  port: number;
  emulatorPort: number;
  host: string;
  activity: boolean;
}

export interface EmulatorCliOptions {
  port: number;
  host: string;
  size: number;
  seed: number;
  data?: string;
  until?: string;
  webhook?: string[];
  secret?: string;
  activity: boolean;
  activityInterval?: number;
}

function parseInteger(value: string): number {
  if (!/^-?\d+$/.test(value))
    throw new UserError(`expected a whole number, found ${JSON.stringify(value)}`);
  return Number(value);
}

function parseCount(value: string): number {
  const n = parseInteger(value);
  if (n < 0 || n > 100_000)
    throw new UserError(`expected a count from 0 to 100000, found ${value}`);
  return n;
}

function parsePositive(value: string): number {
  const n = parseInteger(value);
  if (n < 1) throw new UserError(`expected a number of at least 1, found ${value}`);
  return n;
}

function parsePort(value: string): number {
  const n = parseInteger(value);
  if (n < 0 || n > 65535)
    throw new UserError(`a port is 0-65535 (0 picks a free one), found ${value}`);
  return n;
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = report(err);
}

function report(err: unknown): number {
  if (err instanceof CommanderError) {
    // Commander has already printed its message; help and version are successes.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof UserError) {
    process.stderr.write(`bosun: ${err.message}\n`);
    return err.exitCode;
  }
  const named = err as { name?: string; message?: string };
  // The store's own refusals (locked, too new) are user-facing by design.
  if (named?.name === "StoreLockedError" || named?.name === "StoreTooNewError") {
    process.stderr.write(`bosun: ${named.message}\n`);
    return 1;
  }
  process.stderr.write(
    `bosun: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  return 1;
}
