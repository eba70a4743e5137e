import { Command, CommanderError, Option } from "commander";
import { BosunError, ERROR_CODES, type ErrorCode } from "../errors.js";
import { EXIT, UserError } from "./errors.js";

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
(use PostgreSQL instead), BOSUN_SERVER, BOSUN_WEBHOOK_SECRET, BOSUN_HOST and BOSUN_PORT (serve),
GITHUB_TOKEN or GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY_FILE and GITHUB_APP_INSTALLATION_ID.`,
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
  .description(
    "run Bosun against GitHub: sync, webhooks, decisions through the executor, dashboard, API, metrics",
  )
  .addOption(
    new Option("-p, --port <n>", "port to listen on")
      .env("BOSUN_PORT")
      .argParser(parsePort)
      .default(8080),
  )
  .addOption(
    new Option("--host <host>", "address to listen on (0.0.0.0: every address, as in a container)")
      .env("BOSUN_HOST")
      .default("127.0.0.1"),
  )
  .option("--dry-run", "decide and record what would be done, write nothing to GitHub")
  .option(
    "--offline",
    "serve the store as it is and take webhooks, with no GitHub credentials: nothing is synced or applied",
  )
  .option(
    "--sync-interval <seconds>",
    "seconds between incremental syncs (webhooks keep the store current between them)",
    parsePositive,
    300,
  )
  .addHelpText(
    "after",
    "\nGitHub credentials come from the environment: GITHUB_TOKEN, or GITHUB_APP_ID with GITHUB_APP_PRIVATE_KEY_FILE\n(or GITHUB_APP_PRIVATE_KEY) and GITHUB_APP_INSTALLATION_ID (without them serve stops, unless --offline).\nThe webhook secret from BOSUN_WEBHOOK_SECRET; --host and --port from BOSUN_HOST and BOSUN_PORT.\nGET /healthz answers while the process is alive, GET /readyz once the store is open and migrated and the\nfirst sync has finished (503 with what is not ready before). SIGTERM stops it within 10 s.\n\nExamples:\n  $ GITHUB_TOKEN=... BOSUN_WEBHOOK_SECRET=... bosun serve --config bosun.yml\n  $ bosun serve --config bosun.yml --dry-run --port 8081",
  )
  .action(async (opts: ServeCliOptions) => {
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
  .command("kpi")
  .description(
    "the weekly bug and PR report (R1, R2): the KPI sheet's 20 figures, bugs per state and group, unlabelled bugs, at any date",
  )
  .option(
    "--as-of <date>",
    "report as of this date (YYYY-MM-DD at the week boundary's time), local time or ISO 8601 instant",
  )
  .addOption(
    new Option("--format <format>", "output format")
      .choices(["table", "csv", "json", "markdown"])
      .default("table"),
  )
  .option(
    "--compat <mode>",
    "the department's script's figures instead of the exact ones (\"script\")",
  )
  .addOption(jsonOption())
  .addHelpText(
    "after",
    "\nThe CSV format prints the 20 figures on one line, to paste into the KPI sheet.\nExit codes: 0 done, 1 the store has never synced, 2 bad input (date, format).\n\nExamples:\n  $ bosun kpi\n  $ bosun kpi --as-of 2026-03-02 --format csv\n  $ bosun kpi --compat script --format json",
  )
  .action(async (opts: { asOf?: string; format: string; compat?: string; json?: boolean }) => {
    const { kpi } = await import("./commands/kpi.js");
    process.exitCode = await kpi({ ...program.opts(), ...opts });
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

program
  .command("rituals")
  .description(
    "list the occurrences of the configured rituals (or of a rituals file) in a date range",
  )
  .option("--from <date>", "first day, YYYY-MM-DD in the calendar's time zone (default: today)")
  .option("--to <date>", "last day, inclusive (default: 30 days after --from)")
  .option(
    "--rituals <file>",
    "a rituals file (the rituals YAML format) instead of the configuration's",
  )
  .addOption(jsonOption())
  .addHelpText(
    "after",
    "\nExamples:\n  $ bosun rituals --from 2026-12-01 --to 2027-01-31\n  $ bosun rituals --rituals engineering.rituals.yml --json",
  )
  .action(async (opts: { from?: string; to?: string; rituals?: string; json?: boolean }) => {
    const { rituals } = await import("./commands/rituals.js");
    process.exitCode = await rituals({ ...program.opts(), ...opts });
  })
  .command("backfill")
  .description(
    "file past ritual occurrences on purpose (R47: those before Bosun first ran are not filed unless asked)",
  )
  .option("--since <date>", "first day, YYYY-MM-DD in the calendar's time zone (required)")
  .option("--ritual <id>", "only this ritual (its id, as bosun rituals --json lists it)")
  .option("--dry-run", "print what would be filed; file nothing")
  .addOption(jsonOption())
  .addHelpText(
    "after",
    "\nExamples:\n  $ bosun rituals backfill --since 2026-08-01 --dry-run\n  $ GITHUB_TOKEN=... bosun rituals backfill --since 2026-11-01 --ritual renew-apple-developer-account",
  )
  .action(
    async (
      opts: { since?: string; ritual?: string; dryRun?: boolean; json?: boolean },
      cmd: { parent?: { opts(): { json?: boolean } } | null },
    ) => {
      // `rituals` has a --json of its own, which commander gives it wherever it is written.
      const { ritualsBackfill } = await import("./commands/rituals.js");
      const json = opts.json === true || cmd.parent?.opts().json === true;
      process.exitCode = await ritualsBackfill({ ...program.opts(), ...opts, json });
    },
  );

const runbooks = program.command("runbooks").description("handbook procedures as checklists (R48)");
runbooks
  .command("import")
  .description('import every "###" procedure of a handbook markdown page as a runbook')
  .argument("<handbook.md>", "the handbook page")
  .option("--dry-run", "print what would be imported, store nothing")
  .addOption(jsonOption())
  .action(async (file: string, opts: { dryRun?: boolean; json?: boolean }) => {
    const { runbooksImport } = await import("./commands/runbooks.js");
    process.exitCode = await runbooksImport(file, { ...program.opts(), ...opts });
  });
runbooks
  .command("list")
  .description("the imported runbooks")
  .addOption(jsonOption())
  .action(async (opts: { json?: boolean }) => {
    const { runbooksList } = await import("./commands/runbooks.js");
    process.exitCode = await runbooksList({ ...program.opts(), ...opts });
  });

const runbook = program
  .command("runbook")
  .description("one runbook: show it or open an issue from it");
runbook
  .command("show")
  .argument("<anchor>", "the procedure's anchor, e.g. edit-a-dns-record")
  .addOption(jsonOption())
  .action(async (anchor: string, opts: { json?: boolean }) => {
    const { runbookShow } = await import("./commands/runbooks.js");
    process.exitCode = await runbookShow(anchor, { ...program.opts(), ...opts });
  });
runbook
  .command("open")
  .description("open an issue whose body is the runbook as a task list, through the executor")
  .argument("<anchor>", "the procedure's anchor, e.g. edit-a-dns-record")
  .option("--repo <name>", "a configured repository (default: the first)")
  .option("--assignee <login>", "who to assign (default: the engineering output DRI)")
  .option("--label <name...>", "labels to add")
  .option("--dry-run", "record and print the effect, apply nothing")
  .addOption(jsonOption())
  .action(async (anchor: string, opts: RunbookOpenCliOptions) => {
    const { runbookOpen } = await import("./commands/runbooks.js");
    process.exitCode = await runbookOpen(anchor, { ...program.opts(), ...opts });
  });

interface RunbookOpenCliOptions {
  repo?: string;
  assignee?: string;
  label?: string[];
  dryRun?: boolean;
  json?: boolean;
}

program
  .command("calendar")
  .description("the release calendar: sprints, RC cuts, freezes, deep freezes and releases (R32)")
  .option(
    "--from <date>",
    "start, YYYY-MM-DD (00:00 in the calendar's time zone) or an instant (default: the previous sprint's start)",
  )
  .option("--to <date>", "end, YYYY-MM-DD inclusive or an instant (default: 26 weeks from now)")
  .addOption(jsonOption())
  .addHelpText(
    "after",
    "\nThe same events are served as a subscribable feed at /calendar.ics.\n\nExamples:\n  $ bosun calendar\n  $ bosun calendar --from 2026-03-01 --to 2026-11-30 --json",
  )
  .action(async (opts: { from?: string; to?: string; json?: boolean }) => {
    const { calendar } = await import("./commands/calendar.js");
    process.exitCode = await calendar({ ...program.opts(), ...opts });
  });

const deploy = program.command("deploy").description("the deploy guard (R27-R29)");
deploy
  .command("check")
  .description("may this image be deployed to this environment now (or --at)?")
  .requiredOption("--env <name>", "an environment of deployGuard.environments, e.g. dogfood")
  .requiredOption("--image <tag>", "the image, e.g. fleetdm/fleet:v4.62.0 or fleetdm/fleet:a1b2c3d")
  .option("--at <instant>", "decide as of this instant (ISO 8601 with offset), for rehearsal")
  .option(
    "--override <reason>",
    "R27: the deploy is coordinated; deploy inside the no-deploy hours",
  )
  .addOption(jsonOption())
  .addHelpText(
    "after",
    "\nExit codes: 0 allowed, 1 refused, 2 bad input.\n\nExamples:\n  $ bosun deploy check --env dogfood --image fleetdm/fleet:v4.62.0\n  $ bosun deploy check --env dogfood --image fleetdm/fleet:a1b2c3d --at 2026-12-01T18:30:00-08:00",
  )
  .action(
    async (opts: {
      env: string;
      image: string;
      at?: string;
      override?: string;
      json?: boolean;
    }) => {
      const { deployCheck } = await import("./commands/deploy.js");
      process.exitCode = await deployCheck({ ...program.opts(), ...opts });
    },
  );
deploy
  .command("record")
  .description("record what now runs in an environment; R28 refuses anything older")
  .requiredOption("--env <name>", "an environment of deployGuard.environments, e.g. dogfood")
  .requiredOption("--image <tag>", "the image deployed, by version tag or commit hash")
  .option("--by <login>", "who deployed")
  .option("--note <text>", "a note kept with the record")
  .addOption(jsonOption())
  .action(
    async (opts: { env: string; image: string; by?: string; note?: string; json?: boolean }) => {
      const { deployRecord } = await import("./commands/deploy.js");
      process.exitCode = await deployRecord({ ...program.opts(), ...opts });
    },
  );

const app = program.command("app").description("Bosun as a GitHub App");
app
  .command("manifest")
  .description(
    'the manifest for GitHub\'s "register a GitHub App from a manifest" flow, from app.yml; no secrets',
  )
  .option("--url <url>", "where GitHub reaches Bosun; webhooks go to <url>/webhooks/github")
  .option("--name <name>", "the App's name on GitHub (unique across GitHub; default: app.yml's)")
  .addOption(jsonOption())
  .addHelpText(
    "after",
    '\nExamples:\n  $ bosun app manifest --url https://bosun.example.com\n  $ bosun app manifest --url https://bosun.example.com --name "Bosun for example-org" --json',
  )
  .action(async (opts: { url?: string; name?: string; json?: boolean }) => {
    const { appManifest } = await import("./commands/app.js");
    process.exitCode = await appManifest(opts);
  });

interface ServeCliOptions {
  port: number;
  host: string;
  dryRun?: boolean;
  offline?: boolean;
  syncInterval: number;
}

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

/** The store's own refusals (held by another process, written by a newer Bosun), by name. */
const STORE_ERRORS: Record<string, ErrorCode | undefined> = {
  StoreLockedError: "conflict",
  StoreTooNewError: "refused",
};

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = report(err);
}

function report(err: unknown): number {
  if (err instanceof CommanderError) {
    // Commander has already printed its message; help and version are successes.
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  // Every expected mistake or refusal, here or from a server (RemoteData): its code decides.
  if (err instanceof BosunError) {
    process.stderr.write(`bosun: ${err.message}\n`);
    return ERROR_CODES[err.code].exit;
  }
  const named = err as { name?: string; message?: string };
  // The store's own refusals (held by another process, written by a newer Bosun) are user-facing.
  const storeCode = STORE_ERRORS[named?.name ?? ""];
  if (storeCode) {
    process.stderr.write(`bosun: ${named.message}\n`);
    return ERROR_CODES[storeCode].exit;
  }
  process.stderr.write(
    `bosun: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  return ERROR_CODES.internal.exit;
}
