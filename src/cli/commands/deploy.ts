import { readFileSync } from "node:fs";
import type { DataSource } from "../../api/views.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import type { DeployAnswer } from "../../rules/deploy-guard/index.js";
import type { GlobalOptions } from "../context.js";
import { withData } from "../data.js";
import { EXIT, UserError } from "../errors.js";
import { requireConfig } from "../load.js";

export interface DeployCheckOptions extends GlobalOptions {
  env: string;
  image: string;
  at?: string;
  override?: string;
  json?: boolean;
}

export interface DeployRecordOptions extends GlobalOptions {
  env: string;
  image: string;
  by?: string;
  note?: string;
  json?: boolean;
}

// Bad input from either side (here or the server) is a DeployInputError, code "bad-input": exit
// code 2, nothing written.

/** `bosun deploy check`: exit 0 allowed, 1 refused, 2 bad input. */
export async function deployCheck(opts: DeployCheckOptions): Promise<number> {
  if (opts.override !== undefined && opts.override.trim() === "") {
    throw new UserError(
      '--override: give the reason the deploy is coordinated, e.g. --override "agreed with #g-sales"',
    );
  }
  const answer = await withData(
    opts,
    "bosun deploy check",
    async (data) => {
      await placeCommitsDirectly(data, opts);
      return data.deployCheck({
        environment: opts.env,
        image: opts.image,
        ...(opts.at ? { at: opts.at } : {}),
        ...(opts.override ? { override: opts.override } : {}),
      });
    },
    (config) => precheckDeploy(config, opts),
  );
  process.stdout.write(opts.json ? `${JSON.stringify(answer, null, 2)}\n` : renderAnswer(answer));
  return answer.allowed ? EXIT.ok : EXIT.problems;
}

/**
 * R28 without a server: commits are placed through GitHub's compare API when this process has
 * credentials (GITHUB_TOKEN or a GitHub App); without them the answer says it cannot place them.
 * A server places them with its own client.
 */
async function placeCommitsDirectly(data: DataSource, opts: GlobalOptions): Promise<void> {
  const [{ LocalData }, { authFromEnv, createClient }, { githubCommitPlacer }] = await Promise.all([
    import("../../api/local.js"),
    import("../../github/client.js"),
    import("../../github/compare.js"),
  ]);
  if (!(data instanceof LocalData) || data.placer) return;
  let auth: ReturnType<typeof authFromEnv>;
  try {
    auth = authFromEnv(process.env, (p) => readFileSync(p, "utf8"));
  } catch (err) {
    throw new UserError((err as Error).message);
  }
  if (auth.kind === "none") return;
  const { config } = await requireConfig(opts);
  data.placer = githubCommitPlacer(createClient({ baseUrl: config.github.apiUrl, auth }));
}

/** The flags a local answer would refuse, checked before the store is opened. */
async function precheckDeploy(
  config: HandbookConfig,
  opts: { env: string; at?: string },
): Promise<void> {
  const [{ environmentOf }, { parseDeployAt }] = await Promise.all([
    import("../../rules/deploy-guard/index.js"),
    import("../../api/release.js"),
  ]);
  environmentOf(config.deployGuard, opts.env);
  if (opts.at !== undefined) parseDeployAt(opts.at);
}

export function renderAnswer(a: DeployAnswer): string {
  const mark = (ok: boolean | null) => (ok === true ? "ok  " : ok === false ? "NO  " : "??  ");
  const lines = [
    `${a.allowed ? "Allowed" : "Refused"}: ${a.image} to ${a.environment} at ${a.at}${a.version ? ` (version ${a.version})` : ""}`,
    ...a.checks.map((c) => `  ${mark(c.ok)}${c.rule}: ${c.message}`),
  ];
  return `${lines.join("\n")}\n`;
}

/** `bosun deploy record`: what now runs in an environment (R28 compares against it). */
export async function deployRecord(opts: DeployRecordOptions): Promise<number> {
  const row = await withData(
    opts,
    "bosun deploy record",
    (data) =>
      data.deployRecord({
        environment: opts.env,
        image: opts.image,
        ...(opts.by ? { by: opts.by } : {}),
        ...(opts.note ? { note: opts.note } : {}),
      }),
    (config) => precheckDeploy(config, opts),
  );
  process.stdout.write(
    opts.json
      ? `${JSON.stringify(row, null, 2)}\n`
      : `Recorded: ${row.image} runs in ${row.environment}${row.version ? ` (version ${row.version})` : row.sha ? ` (commit ${row.sha}, no release tag known)` : ""} since ${row.recordedAt}\n`,
  );
  return EXIT.ok;
}
