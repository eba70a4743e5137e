// An organisation's people (`org_members`, `teams`, `team_members`) and when their listing was
// last complete (`people_syncs`). A sync replaces an organisation's view at once; webhooks
// change one member or one team membership in between.
import { Queries } from "./queries.js";
import { type DbRow, isoOrNull, json, num, str, strOrNull } from "./sql-values.js";

export interface OrgMemberInput {
  login: string;
  role: "admin" | "member";
  /** Null when unknown (a webhook's member_added does not say). */
  public: boolean | null;
}

export interface TeamInput {
  slug: string;
  githubId: number;
  name: string;
  privacy: string | null;
}

export interface TeamMemberInput {
  login: string;
  role: "member" | "maintainer";
}

export interface PeopleSnapshot {
  members: OrgMemberInput[];
  teams: (TeamInput & { members: TeamMemberInput[] })[];
}

export interface OrgPeopleView extends PeopleSnapshot {
  org: string;
  /** When a complete listing was last stored; null when never. */
  syncedAt: string | null;
  /** When a webhook last asked for a new listing; null when none is owed. */
  refreshRequestedAt: string | null;
  /** How many listings webhooks have asked for, ever: a sync passes on what it saw. */
  refreshRequests: number;
}

export class PeopleQueries extends Queries {
  /**
   * Replaces everything known of `org`'s people with `snapshot`, all or nothing. A request for
   * a listing made after the sync read `seenRequests` (a webhook during the sync) stays owed.
   */
  async replaceOrgPeople(
    org: string,
    snapshot: PeopleSnapshot,
    syncedAt: string,
    seenRequests = Number.MAX_SAFE_INTEGER,
  ): Promise<void> {
    const key = org.toLowerCase();
    await this.db.transaction(async (tx) => {
      for (const table of ["org_members", "teams", "team_members"])
        await tx.query(`DELETE FROM ${table} WHERE org = $1`, [key]);
      await tx.query(
        `INSERT INTO org_members (org, login_key, login, role, public, synced_at)
         SELECT $1, lower(m.login), m.login, m.role, m.public, $3::timestamptz
           FROM jsonb_to_recordset($2::jsonb) AS m(login text, role text, public boolean)
         ON CONFLICT (org, login_key) DO NOTHING`,
        [key, json(snapshot.members), syncedAt],
      );
      await tx.query(
        `INSERT INTO teams (org, slug, github_id, name, privacy, synced_at)
         SELECT $1, lower(t.slug), t."githubId", t.name, t.privacy, $3::timestamptz
           FROM jsonb_to_recordset($2::jsonb) AS t(slug text, "githubId" bigint, name text, privacy text)
         ON CONFLICT (org, slug) DO NOTHING`,
        [key, json(snapshot.teams.map(({ members: _m, ...t }) => t)), syncedAt],
      );
      const teamMembers = snapshot.teams.flatMap((t) =>
        t.members.map((m) => ({ slug: t.slug, login: m.login, role: m.role })),
      );
      await tx.query(
        `INSERT INTO team_members (org, slug, login_key, login, role)
         SELECT $1, lower(m.slug), lower(m.login), m.login, m.role
           FROM jsonb_to_recordset($2::jsonb) AS m(slug text, login text, role text)
         ON CONFLICT (org, slug, login_key) DO NOTHING`,
        [key, json(teamMembers)],
      );
      await tx.query(
        `INSERT INTO people_syncs (org, synced_at, refresh_requested_at)
         VALUES ($1, $2::timestamptz, NULL)
         ON CONFLICT (org) DO UPDATE SET synced_at = EXCLUDED.synced_at,
           refresh_requested_at = CASE
             WHEN people_syncs.refresh_requests > $3::bigint
             THEN people_syncs.refresh_requested_at END`,
        [key, syncedAt, seenRequests],
      );
    });
  }

  /** Everything known of `org`'s people, members and teams ordered by login and slug. */
  async orgPeople(org: string): Promise<OrgPeopleView> {
    const key = org.toLowerCase();
    const [sync, members, teams, teamMembers] = await Promise.all([
      this.db.query<DbRow>(
        "SELECT synced_at, refresh_requested_at, refresh_requests FROM people_syncs WHERE org = $1",
        [key],
      ),
      this.db.query<DbRow>(
        "SELECT login, role, public FROM org_members WHERE org = $1 ORDER BY login_key",
        [key],
      ),
      this.db.query<DbRow>(
        "SELECT slug, github_id, name, privacy FROM teams WHERE org = $1 ORDER BY slug",
        [key],
      ),
      this.db.query<DbRow>(
        "SELECT slug, login, role FROM team_members WHERE org = $1 ORDER BY slug, login_key",
        [key],
      ),
    ]);
    const byTeam = new Map<string, TeamMemberInput[]>();
    for (const r of teamMembers.rows) {
      const list = byTeam.get(str(r.slug)) ?? [];
      list.push({ login: str(r.login), role: str(r.role) as TeamMemberInput["role"] });
      byTeam.set(str(r.slug), list);
    }
    return {
      org: key,
      syncedAt: isoOrNull(sync.rows[0]?.synced_at),
      refreshRequestedAt: isoOrNull(sync.rows[0]?.refresh_requested_at),
      refreshRequests: num(sync.rows[0]?.refresh_requests ?? 0),
      members: members.rows.map((r) => ({
        login: str(r.login),
        role: str(r.role) as OrgMemberInput["role"],
        public: r.public === null || r.public === undefined ? null : r.public === true,
      })),
      teams: teams.rows.map((r) => ({
        slug: str(r.slug),
        githubId: num(r.github_id),
        name: str(r.name),
        privacy: strOrNull(r.privacy),
        members: byTeam.get(str(r.slug)) ?? [],
      })),
    };
  }

  /** Adds or updates one member; a `public` of null keeps what a sync last said. */
  async upsertOrgMember(org: string, member: OrgMemberInput, at: string): Promise<void> {
    await this.db.query(
      `INSERT INTO org_members (org, login_key, login, role, public, synced_at)
       VALUES (lower($1), lower($2), $2, $3, $4, $5::timestamptz)
       ON CONFLICT (org, login_key) DO UPDATE SET login = EXCLUDED.login, role = EXCLUDED.role,
         public = coalesce(EXCLUDED.public, org_members.public), synced_at = EXCLUDED.synced_at`,
      [org, member.login, member.role, member.public, at],
    );
  }

  /** Removes a member from the organisation and from each of its teams. */
  async removeOrgMember(org: string, login: string): Promise<void> {
    for (const table of ["org_members", "team_members"])
      await this.db.query(`DELETE FROM ${table} WHERE org = lower($1) AND login_key = lower($2)`, [
        org,
        login,
      ]);
  }

  async addTeamMember(
    org: string,
    team: TeamInput,
    member: TeamMemberInput,
    at: string,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO teams (org, slug, github_id, name, privacy, synced_at)
       VALUES (lower($1), lower($2), $3, $4, $5, $6::timestamptz)
       ON CONFLICT (org, slug) DO UPDATE SET github_id = EXCLUDED.github_id,
         name = EXCLUDED.name, privacy = EXCLUDED.privacy, synced_at = EXCLUDED.synced_at`,
      [org, team.slug, team.githubId, team.name, team.privacy, at],
    );
    await this.db.query(
      `INSERT INTO team_members (org, slug, login_key, login, role)
       VALUES (lower($1), lower($2), lower($3), $3, $4)
       ON CONFLICT (org, slug, login_key) DO UPDATE SET login = EXCLUDED.login, role = EXCLUDED.role`,
      [org, team.slug, member.login, member.role],
    );
  }

  async removeTeamMember(org: string, slug: string, login: string): Promise<void> {
    await this.db.query(
      "DELETE FROM team_members WHERE org = lower($1) AND slug = lower($2) AND login_key = lower($3)",
      [org, slug, login],
    );
  }

  /** Forgets a deleted team and who was in it (a deleted team's payload has no slug). */
  async removeTeam(org: string, githubId: number): Promise<void> {
    await this.db.query(
      `DELETE FROM team_members tm USING teams t
        WHERE t.org = lower($1) AND t.github_id = $2 AND tm.org = t.org AND tm.slug = t.slug`,
      [org, githubId],
    );
    await this.db.query("DELETE FROM teams WHERE org = lower($1) AND github_id = $2", [
      org,
      githubId,
    ]);
  }

  /** Asks for a new complete listing (a webhook said something changed). */
  async requestPeopleRefresh(org: string, at: string): Promise<void> {
    await this.db.query(
      `INSERT INTO people_syncs (org, synced_at, refresh_requested_at, refresh_requests)
       VALUES (lower($1), NULL, $2::timestamptz, 1)
       ON CONFLICT (org) DO UPDATE SET refresh_requested_at = EXCLUDED.refresh_requested_at,
         refresh_requests = people_syncs.refresh_requests + 1`,
      [org, at],
    );
  }
}
