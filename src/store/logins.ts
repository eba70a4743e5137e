// GitHub logins the configuration names, and whether GitHub knows them (`github_logins`).
import { Queries } from "./queries.js";

export class LoginQueries extends Queries {
  async setLoginFound(login: string, found: boolean): Promise<void> {
    await this.db.query(
      `INSERT INTO github_logins (login, found, checked_at) VALUES (lower($1), $2, now())
       ON CONFLICT (login) DO UPDATE SET found = EXCLUDED.found, checked_at = now()`,
      [login, found],
    );
  }

  /** Logins checked within `maxAgeMs`, lower case: those need no new look-up. */
  async recentlyCheckedLogins(maxAgeMs: number): Promise<Set<string>> {
    const { rows } = await this.db.query<{ login: string }>(
      "SELECT login FROM github_logins WHERE checked_at > now() - ($1::bigint * interval '1 millisecond')",
      [maxAgeMs],
    );
    return new Set(rows.map((r) => r.login));
  }

  /** Logins GitHub answered 404 for, lower case. */
  async missingLogins(): Promise<string[]> {
    const { rows } = await this.db.query<{ login: string }>(
      "SELECT login FROM github_logins WHERE NOT found ORDER BY login",
    );
    return rows.map((r) => r.login);
  }
}
