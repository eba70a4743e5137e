// `bosun rituals`: the occurrences of the configured rituals, or of a rituals file, in a range;
// `bosun rituals backfill`: file past occurrences on purpose (R47).
import { randomUUID } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Temporal } from "temporal-polyfill";
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import type { BackfillResult } from "../../api/rituals.js";
import type { EffectApplier } from "../../effects/executor.js";
import { formatConfigError } from "../../handbook/load.js";
import { resolveRituals } from "../../handbook/rituals.js";
import { calendarSchema, type HandbookConfig, ritualSchema } from "../../handbook/schema.js";
import { listOccurrences, type RitualOccurrence } from "../../rules/rituals/occurrences.js";
import { configPath, databaseUrl, dataDir, type GlobalOptions } from "../context.js";
import { EXIT, UserError } from "../errors.js";
import { requireConfig } from "../load.js";
import { table } from "../table.js";

export interface RitualsOptions extends GlobalOptions {
  from?: string;
  to?: string;
  rituals?: string;
}

type Listable = Pick<HandbookConfig, "organisation" | "calendar" | "rituals"> & {
  roles?: HandbookConfig["roles"];
};

export async function rituals(opts: RitualsOptions): Promise<number> {
  const from = opts.from === undefined ? undefined : parseDate("--from", opts.from);
  const to = opts.to === undefined ? undefined : parseDate("--to", opts.to);
  if (from && to && Temporal.PlainDate.compare(to, from) < 0) {
    throw new UserError(`--to (${to}) is before --from (${from})`);
  }
  const { config, problems } = await load(opts);
  const today = Temporal.Now.plainDateISO(config.calendar.timeZone);
  const first = from ?? (to ? to.subtract({ days: 30 }) : today);
  const last = to ?? first.add({ days: 30 });
  const zone = config.calendar.timeZone;
  const occurrences = listOccurrences(
    resolveRituals(config),
    config,
    first.toZonedDateTime({ timeZone: zone }).toInstant(),
    last.add({ days: 1 }).toZonedDateTime({ timeZone: zone }).toInstant(),
  );
  for (const p of problems) process.stderr.write(`bosun: ritual skipped: ${p}\n`);
  if (opts.json) process.stdout.write(`${JSON.stringify(occurrences, null, 2)}\n`);
  else process.stdout.write(render(occurrences, config, first, last));
  return problems.length > 0 ? EXIT.problems : EXIT.ok;
}

function parseDate(flag: string, text: string): Temporal.PlainDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    throw new UserError(`${flag} must be a date "YYYY-MM-DD", found ${JSON.stringify(text)}`);
  }
  try {
    return Temporal.PlainDate.from(text, { overflow: "reject" });
  } catch {
    throw new UserError(`${flag} must be a date that exists, found ${JSON.stringify(text)}`);
  }
}

/** The configured rituals, or a rituals file read directly (with the configuration's calendar if there is one). */
async function load(opts: RitualsOptions): Promise<{ config: Listable; problems: string[] }> {
  if (opts.rituals === undefined)
    return { config: (await requireConfig(opts)).config, problems: [] };
  const base: Omit<Listable, "rituals"> = statSync(configPath(opts), {
    throwIfNoEntry: false,
  })?.isFile()
    ? (await requireConfig(opts)).config
    : { organisation: "", calendar: calendarSchema.parse({}) };
  const file = opts.rituals;
  let list: unknown;
  const lines = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(readFileSync(file, "utf8"), { lineCounter: lines });
    if (doc.errors[0]) throw doc.errors[0];
    list = doc.toJS();
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new UserError(
      code === "ENOENT"
        ? `--rituals: no such file: ${path.resolve(file)}`
        : `--rituals: ${file} is not readable YAML: ${(err as Error).message}`,
    );
  }
  if (!Array.isArray(list)) {
    throw new UserError(`--rituals: ${file} must be a list of rituals (the rituals YAML format)`);
  }
  const problems: string[] = [];
  const rituals: HandbookConfig["rituals"] = [];
  list.forEach((raw: unknown, index) => {
    const parsed = ritualSchema.safeParse(raw);
    if (parsed.success) {
      rituals.push(parsed.data);
      return;
    }
    const task = (raw as { task?: unknown } | null)?.task;
    const name = typeof task === "string" ? `ritual "${task}"` : `ritual #${index + 1}`;
    for (const issue of parsed.error.issues) {
      const field = issue.path.join(".");
      const at = lines.linePos(offsetOf(doc, [index, ...issue.path]));
      problems.push(
        formatConfigError({
          file,
          line: at.line,
          column: at.col,
          path: `[${index}]${field ? `.${field}` : ""}`,
          message: `${name}: ${field} ${issue.message}`,
        }),
      );
    }
  });
  return { config: { ...base, rituals }, problems };
}

function render(
  occurrences: RitualOccurrence[],
  config: Listable,
  first: Temporal.PlainDate,
  last: Temporal.PlainDate,
): string {
  const lines = [
    `Ritual occurrences from ${first} to ${last} (${config.calendar.timeZone}): ${occurrences.length}`,
    "",
  ];
  if (occurrences.length > 0) {
    lines.push(
      table(
        ["Date", "Time", "Ritual", "Frequency", "Assignee", "Opens issue"],
        occurrences.map((o) => [
          o.date,
          `${o.at.slice(11, 16)}${o.timeZone === config.calendar.timeZone ? "" : ` ${o.timeZone}`}`,
          o.handoff ? `${o.task} (@${o.handoff.outgoing} → @${o.handoff.incoming})` : o.task,
          o.frequency,
          `@${o.assignee}`,
          o.repo ? `${o.repo}${o.dueAt !== o.at ? ` on ${o.dueAt.slice(0, 10)}` : ""}` : "",
        ]),
      ),
    );
  }
  const events = config.rituals.filter((r) => r.frequency === "Every patch release" && !r.every);
  if (events.length > 0) {
    lines.push("", "On each patch release:");
    for (const r of events) lines.push(`  ${r.task} (DRI @${r.dri})`);
  }
  return `${lines.join("\n")}\n`;
}

/** Where the value at `keyPath` starts, or its nearest existing parent. */
function offsetOf(doc: ReturnType<typeof parseDocument>, keyPath: readonly PropertyKey[]): number {
  let node = doc.contents as YamlNode | null;
  let offset = node?.range?.[0] ?? 0;
  for (const key of keyPath) {
    if (isSeq(node) && typeof key === "number") node = (node.items[key] as YamlNode) ?? null;
    else if (isMap(node)) node = (node.get(String(key), true) as YamlNode | undefined) ?? null;
    else break;
    if (!node) break;
    offset = node.range?.[0] ?? offset;
  }
  return offset;
}

export interface BackfillCliOptions extends GlobalOptions {
  since?: string;
  ritual?: string;
  dryRun?: boolean;
}

/**
 * R47 on purpose: files the ritual occurrences since `--since` that no issue carries the marker
 * of (those before Bosun first ran, those catchUp: latest passed over), through the executor,
 * on the store itself (PostgreSQL with DATABASE_URL, else the embedded data directory, which a
 * running server holds: stop it first), applied with GITHUB_TOKEN. `--dry-run` applies nothing.
 */
export async function ritualsBackfill(opts: BackfillCliOptions): Promise<number> {
  if (opts.since === undefined) {
    throw new UserError('--since is required: the first day to backfill, "YYYY-MM-DD"');
  }
  parseDate("--since", opts.since);
  if (opts.server ?? process.env.BOSUN_SERVER) {
    throw new UserError(
      "bosun rituals backfill works on the store, not through a server: run it where the store is (DATABASE_URL, or BOSUN_DATA_DIR with the server stopped)",
    );
  }
  const { config } = await requireConfig(opts);
  const applier = opts.dryRun ? undefined : await directApplier(config.github.apiUrl);
  const [{ openStore }, { backfillRitualIssues }] = await Promise.all([
    import("../../store/index.js"),
    import("../../api/rituals.js"),
  ]);
  const url = databaseUrl();
  const store = await openStore({
    dataDir: url ? undefined : dataDir(),
    databaseUrl: url,
    holder: { command: "bosun rituals backfill" },
  });
  let result: BackfillResult;
  try {
    result = await backfillRitualIssues(
      { store, config, ...(applier ? { applier } : {}), owner: `cli:${randomUUID().slice(0, 8)}` },
      {
        since: opts.since,
        ...(opts.ritual !== undefined ? { ritual: opts.ritual } : {}),
        dryRun: opts.dryRun === true,
      },
      Temporal.Now.instant(),
    );
  } finally {
    await store.close();
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(renderBackfill(result, opts.dryRun === true));
  return result.results.some((r) => r.status === "failed") ? EXIT.problems : EXIT.ok;
}

function renderBackfill(result: BackfillResult, dryRun: boolean): string {
  const lines = [
    `Ritual occurrences since ${result.since} without an issue: ${result.results.length}${dryRun ? " (dry run: nothing is filed)" : ""}`,
  ];
  if (result.startedAt) lines.push(`Bosun first ran for this organisation at ${result.startedAt}.`);
  if (result.results.length > 0) {
    lines.push(
      "",
      table(
        ["Status", "Issue", "Why"],
        result.results.map((r) => [
          r.status,
          r.line,
          r.error ? `${r.reason} (${r.error})` : r.reason,
        ]),
      ),
    );
  }
  for (const o of result.observations) lines.push(`  ${o.rule} ${o.target}: ${o.message}`);
  return `${lines.join("\n")}\n`;
}

async function directApplier(apiUrl: string): Promise<EffectApplier> {
  const [{ authFromEnv, createClient }, { GitHubApplier }] = await Promise.all([
    import("../../github/client.js"),
    import("../../github/applier.js"),
  ]);
  const auth = authFromEnv(process.env, (p) => readFileSync(p, "utf8"));
  if (auth.kind === "none") {
    throw new UserError(
      "no GitHub credentials: set GITHUB_TOKEN (or GITHUB_APP_ID ...), or add --dry-run",
    );
  }
  return new GitHubApplier(createClient({ baseUrl: apiUrl, auth }));
}
