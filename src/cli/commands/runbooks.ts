// `bosun runbooks import|list`, `bosun runbook show|open` (R48).
import { readFileSync } from "node:fs";
import path from "node:path";
import type { DataSource } from "../../api/views.js";
import type { EffectApplier } from "../../effects/executor.js";
import { importRunbooks, runbookChecklist } from "../../handbook/runbooks.js";
import { databaseUrl, dataDir, type GlobalOptions, serverUrl } from "../context.js";
import { withData } from "../data.js";
import { EXIT, UserError } from "../errors.js";
import { requireConfig } from "../load.js";
import { table } from "../table.js";

export interface ImportOptions extends GlobalOptions {
  dryRun?: boolean;
}

export async function runbooksImport(file: string, opts: ImportOptions): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new UserError(
      code === "ENOENT"
        ? `no such handbook page: ${path.resolve(file)}`
        : `cannot read ${file}: ${(err as Error).message}`,
    );
  }
  const result = importRunbooks(text, path.basename(file));
  if (result.runbooks.length === 0) {
    throw new UserError(`${file} has no "###" procedures to import`);
  }
  if (!opts.dryRun) {
    await withData(opts, "bosun runbooks import", (data) => data.importRunbooks(result.runbooks));
  }
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ...result, stored: !opts.dryRun }, null, 2)}\n`);
    return EXIT.ok;
  }
  const numbered = result.runbooks.filter((r) => r.kind === "numbered").length;
  process.stdout.write(
    `${table(
      ["Anchor", "Title", "Steps", "From"],
      result.runbooks.map((r) => [r.anchor, r.title, String(r.steps.length), r.kind]),
    )}\n\n${result.runbooks.length} runbooks (${numbered} with numbered steps) from ${file}; ${result.repaired} mis-encoded characters repaired; ${result.commentedOut} commented-out procedures left out.${opts.dryRun ? " Dry run: nothing stored." : ""}\n`,
  );
  return EXIT.ok;
}

export async function runbooksList(opts: GlobalOptions): Promise<number> {
  const list = await withData(opts, "bosun runbooks list", (data) => data.runbooks());
  if (opts.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
  else if (list.length === 0)
    process.stdout.write("No runbooks yet: bosun runbooks import <handbook-page.md>\n");
  else
    process.stdout.write(
      `${table(
        ["Anchor", "Title", "Steps", "Source"],
        list.map((r) => [r.anchor, r.title, String(r.steps), r.source]),
      )}\n`,
    );
  return EXIT.ok;
}

export async function runbookShow(anchor: string, opts: GlobalOptions): Promise<number> {
  // An unknown runbook is a RitualInputError (code "not-found"), here or from the server: exit 2.
  const runbook = await withData(opts, "bosun runbook show", (data) => data.runbook(anchor));
  if (opts.json) process.stdout.write(`${JSON.stringify(runbook, null, 2)}\n`);
  else
    process.stdout.write(
      `${runbook.title} (#${runbook.anchor}, ${runbook.source})\n\n${runbookChecklist(runbook)}\n`,
    );
  return EXIT.ok;
}

export interface OpenOptions extends GlobalOptions {
  repo?: string;
  assignee?: string;
  label?: string[];
  dryRun?: boolean;
}

/**
 * Opens the issue through the executor: the running server's (which holds the store and its
 * GitHub client) when there is one, else this process's, with a client from GITHUB_TOKEN.
 */
export async function runbookOpen(anchor: string, opts: OpenOptions): Promise<number> {
  const options = {
    ...(opts.repo ? { repo: opts.repo } : {}),
    ...(opts.assignee ? { assignee: opts.assignee } : {}),
    ...(opts.label ? { labels: opts.label } : {}),
    dryRun: opts.dryRun === true,
  };
  const server = await serverUrl(opts);
  let result: Awaited<ReturnType<DataSource["openRunbook"]>>;
  if (server) {
    const { RemoteData } = await import("../remote.js");
    result = await new RemoteData(server).openRunbook(anchor, options);
  } else {
    const { config } = await requireConfig(opts);
    const applier = opts.dryRun ? undefined : await directApplier(config.github.apiUrl);
    const [{ openStore }, { LocalData }] = await Promise.all([
      import("../../store/index.js"),
      import("../../api/local.js"),
    ]);
    const url = databaseUrl();
    const store = await openStore({
      dataDir: url ? undefined : dataDir(),
      databaseUrl: url,
      holder: { command: "bosun runbook open" },
    });
    try {
      const data = new LocalData(store, config, url ? "PostgreSQL (DATABASE_URL)" : dataDir());
      data.applier = applier;
      result = await data.openRunbook(anchor, options);
    } finally {
      await store.close();
    }
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else
    process.stdout.write(
      `${result.status}: ${result.line}${result.error ? ` (${result.error})` : ""}\n  ${result.reason}\n`,
    );
  return result.status === "failed" ? EXIT.problems : EXIT.ok;
}

async function directApplier(apiUrl: string): Promise<EffectApplier> {
  const [{ authFromEnv, createClient }, { GitHubApplier }] = await Promise.all([
    import("../../github/client.js"),
    import("../../github/applier.js"),
  ]);
  const auth = authFromEnv(process.env, (p) => readFileSync(p, "utf8"));
  if (auth.kind === "none") {
    throw new UserError(
      "no GitHub credentials: set GITHUB_TOKEN (or GITHUB_APP_ID ...), run it against a server (--server), or add --dry-run",
    );
  }
  return new GitHubApplier(createClient({ baseUrl: apiUrl, auth }));
}
