// Rituals and runbooks (R47, R48). Runbooks are stored whole as JSON
// (src/handbook/runbook-model.ts); ritual issues are found by the hidden marker in their body
// (src/rules/rituals/marker.ts).
import { Queries } from "./queries.js";
import { type DbRow, iso, json, num, str, ts } from "./sql-values.js";

export class RitualQueries extends Queries {
  /** Stores runbooks by anchor, replacing a runbook of the same anchor; all or nothing. */
  async putRunbooks(
    runbooks: readonly {
      anchor: string;
      aliases: string[];
      title: string;
      source: string;
      kind: string;
    }[],
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const r of runbooks) {
        await tx.query(
          `INSERT INTO runbooks (anchor, aliases, title, source, kind, runbook, imported_at)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, now())
           ON CONFLICT (anchor) DO UPDATE
             SET aliases = EXCLUDED.aliases, title = EXCLUDED.title, source = EXCLUDED.source,
                 kind = EXCLUDED.kind, runbook = EXCLUDED.runbook, imported_at = now()`,
          [r.anchor, r.aliases, r.title, r.source, r.kind, json(r)],
        );
      }
    });
  }

  /** Every stored runbook (the JSON given to putRunbooks), by title. */
  async listRunbooks(): Promise<{ runbook: unknown; importedAt: string }[]> {
    const { rows } = await this.db.query<DbRow>(
      "SELECT runbook, imported_at FROM runbooks ORDER BY title, anchor",
    );
    return rows.map((r) => ({ runbook: r.runbook, importedAt: iso(r.imported_at) }));
  }

  /** The runbook with this anchor, or with it among its aliases. */
  async getRunbook(anchor: string): Promise<unknown | null> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT runbook FROM runbooks WHERE anchor = $1 OR $1 = ANY(aliases)
        ORDER BY (anchor = $1) DESC LIMIT 1`,
      [anchor],
    );
    return rows[0]?.runbook ?? null;
  }

  /**
   * When Bosun first decided the rituals of `organisation` (R47): the instant recorded by the
   * first decision run, which this call makes when none is recorded yet. `at` is that run's
   * instant; it is recorded only when it is not in the future of the database's clock (a
   * `bosun plan --at` a week ahead is a question, not a run), and then used for that call
   * alone. Insert-if-absent, then read (two statements, so the read sees a row another process
   * committed meanwhile): two processes starting together both read the row the first wrote.
   */
  async ritualsStartedAt(organisation: string, at: string): Promise<string> {
    await this.db.query(
      `INSERT INTO ritual_starts (organisation, started_at)
       SELECT lower($1), $2::timestamptz WHERE $2::timestamptz <= now() + interval '5 minutes'
       ON CONFLICT (organisation) DO NOTHING`,
      [organisation, ts(at)],
    );
    return (await this.ritualsStart(organisation)) ?? at;
  }

  /** The recorded start of `organisation`'s rituals (see {@link ritualsStartedAt}), if any. */
  async ritualsStart(organisation: string): Promise<string | null> {
    const { rows } = await this.db.query<DbRow>(
      "SELECT started_at FROM ritual_starts WHERE organisation = lower($1)",
      [organisation],
    );
    return rows[0] ? iso(rows[0].started_at) : null;
  }

  /** Issues (not pull requests) whose body contains `marker`, with that body. */
  async listIssuesWithMarker(marker: string): Promise<
    {
      repo: string;
      number: number;
      state: "open" | "closed";
      title: string;
      body: string;
      createdAt: string;
    }[]
  > {
    const { rows } = await this.db.query<DbRow>(
      `SELECT repo, number, state, title, body, created_at FROM issues
        WHERE NOT is_pull_request AND strpos(body, $1) > 0
        ORDER BY repo, number`,
      [marker],
    );
    return rows.map((r) => ({
      repo: str(r.repo),
      number: num(r.number),
      state: r.state === "closed" ? "closed" : "open",
      title: str(r.title),
      body: str(r.body),
      createdAt: iso(r.created_at),
    }));
  }
}
