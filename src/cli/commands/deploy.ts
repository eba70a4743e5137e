import type { DeployAnswer } from "../../rules/deploy-guard/index.js";
import type { GlobalOptions } from "../context.js";
import { withData } from "../data.js";
import { EXIT, UserError } from "../errors.js";

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
  const answer = await withData(opts, "bosun deploy check", (data) =>
    data.deployCheck({
      environment: opts.env,
      image: opts.image,
      ...(opts.at ? { at: opts.at } : {}),
      ...(opts.override ? { override: opts.override } : {}),
    }),
  );
  process.stdout.write(opts.json ? `${JSON.stringify(answer, null, 2)}\n` : renderAnswer(answer));
  return answer.allowed ? EXIT.ok : EXIT.problems;
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
  const row = await withData(opts, "bosun deploy record", (data) =>
    data.deployRecord({
      environment: opts.env,
      image: opts.image,
      ...(opts.by ? { by: opts.by } : {}),
      ...(opts.note ? { note: opts.note } : {}),
    }),
  );
  process.stdout.write(
    opts.json
      ? `${JSON.stringify(row, null, 2)}\n`
      : `Recorded: ${row.image} runs in ${row.environment}${row.version ? ` (version ${row.version})` : row.sha ? ` (commit ${row.sha}, no release tag known)` : ""} since ${row.recordedAt}\n`,
  );
  return EXIT.ok;
}
