// Versioned schema migrations, one list for PGlite and PostgreSQL. They are TS strings
// rather than .sql files so that they ship inside the compiled dist with nothing to copy.
// Rules: never edit a migration that has shipped; add a new one with the next version.
import { type Db, SETUP_LOCK_KEY } from "./db.js";
import { StoreTooNewError } from "./errors.js";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "github mirror",
    // Natural keys from GitHub throughout (repository full name + number, GitHub ids for
    // comments, reviews and events) so that every upsert is idempotent. Issues and pull
    // requests share one table because GitHub numbers them in one sequence per repository.
    sql: `
      CREATE TABLE repositories (
        full_name      text PRIMARY KEY,
        github_id      bigint,
        default_branch text,
        private        boolean NOT NULL DEFAULT false,
        archived       boolean NOT NULL DEFAULT false,
        created_at     timestamptz,
        updated_at     timestamptz,
        raw            jsonb,
        synced_at      timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE issues (
        repo             text NOT NULL,
        number           integer NOT NULL,
        github_id        bigint,
        is_pull_request  boolean NOT NULL,
        title            text NOT NULL,
        body             text,
        state            text NOT NULL CHECK (state IN ('open', 'closed')),
        state_reason     text,
        author           text,
        author_type      text,
        assignees        text[] NOT NULL DEFAULT '{}',
        milestone_number integer,
        locked           boolean NOT NULL DEFAULT false,
        comments_count   integer NOT NULL DEFAULT 0,
        created_at       timestamptz NOT NULL,
        updated_at       timestamptz NOT NULL,
        closed_at        timestamptz,
        draft            boolean,
        merged_at        timestamptz,
        head_ref         text,
        head_sha         text,
        base_ref         text,
        raw              jsonb,
        synced_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (repo, number)
      );
      CREATE INDEX issues_repo_state ON issues (repo, state, is_pull_request);
      CREATE INDEX issues_updated_at ON issues (updated_at);

      CREATE TABLE labels (
        repo        text NOT NULL,
        name        text NOT NULL,
        color       text,
        description text,
        github_id   bigint,
        PRIMARY KEY (repo, name)
      );

      -- Current labels per issue. No foreign key to labels: an issue can carry a label
      -- before the label list has been synced.
      CREATE TABLE issue_labels (
        repo       text NOT NULL,
        number     integer NOT NULL,
        label_name text NOT NULL,
        PRIMARY KEY (repo, number, label_name),
        FOREIGN KEY (repo, number) REFERENCES issues (repo, number) ON DELETE CASCADE
      );
      CREATE INDEX issue_labels_label ON issue_labels (repo, label_name);

      CREATE TABLE milestones (
        repo          text NOT NULL,
        number        integer NOT NULL,
        github_id     bigint,
        title         text NOT NULL,
        description   text,
        state         text NOT NULL CHECK (state IN ('open', 'closed')),
        due_on        timestamptz,
        open_issues   integer NOT NULL DEFAULT 0,
        closed_issues integer NOT NULL DEFAULT 0,
        created_at    timestamptz,
        updated_at    timestamptz,
        closed_at     timestamptz,
        raw           jsonb,
        PRIMARY KEY (repo, number)
      );

      CREATE TABLE comments (
        id           bigint PRIMARY KEY,
        repo         text NOT NULL,
        issue_number integer NOT NULL,
        author       text,
        author_type  text,
        body         text NOT NULL,
        created_at   timestamptz NOT NULL,
        updated_at   timestamptz NOT NULL,
        raw          jsonb
      );
      CREATE INDEX comments_issue ON comments (repo, issue_number, created_at);

      CREATE TABLE reviews (
        id           bigint PRIMARY KEY,
        repo         text NOT NULL,
        pull_number  integer NOT NULL,
        author       text,
        state        text NOT NULL,
        body         text,
        commit_id    text,
        submitted_at timestamptz,
        raw          jsonb
      );
      CREATE INDEX reviews_pull ON reviews (repo, pull_number);

      CREATE TABLE issue_events (
        id           bigint PRIMARY KEY,
        repo         text NOT NULL,
        issue_number integer NOT NULL,
        event        text NOT NULL,
        actor        text,
        label_name   text,
        created_at   timestamptz NOT NULL,
        raw          jsonb
      );
      CREATE INDEX issue_events_repo_time ON issue_events (repo, created_at);
      CREATE INDEX issue_events_issue ON issue_events (repo, issue_number, created_at);

      CREATE TABLE refs (
        repo      text NOT NULL,
        name      text NOT NULL,
        sha       text NOT NULL,
        protected boolean,
        synced_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (repo, name)
      );

      CREATE TABLE tags (
        repo       text NOT NULL,
        name       text NOT NULL,
        sha        text NOT NULL,
        created_at timestamptz,
        synced_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (repo, name)
      );
    `,
  },
  {
    version: 2,
    name: "ingest bookkeeping",
    sql: `
      CREATE TABLE webhook_deliveries (
        delivery_id  text PRIMARY KEY,
        event        text NOT NULL,
        action       text,
        repository   text,
        received_at  timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        error        text,
        payload      jsonb NOT NULL
      );
      CREATE INDEX webhook_deliveries_pending
        ON webhook_deliveries (received_at) WHERE processed_at IS NULL;

      CREATE TABLE sync_cursors (
        repo       text NOT NULL,
        resource   text NOT NULL,
        cursor     text,
        etag       text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (repo, resource)
      );

      CREATE TABLE etags (
        key           text PRIMARY KEY,
        etag          text,
        last_modified text,
        updated_at    timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 3,
    name: "audit log and kpi snapshots",
    // effect_key is always the effect's idempotency key. idempotency_key repeats it only
    // on rows that own the key (claims); dry-run and other recorded rows leave it NULL, and
    // UNIQUE ignores NULLs, so they never block a later real run.
    sql: `
      CREATE TABLE audit_log (
        id               bigserial PRIMARY KEY,
        idempotency_key  text UNIQUE,
        effect_key       text NOT NULL,
        plan_id          text,
        rule             text,
        effect_type      text NOT NULL,
        target           text NOT NULL,
        effect           jsonb,
        reason           text,
        status           text NOT NULL
          CHECK (status IN ('claimed', 'applied', 'skipped', 'failed', 'dry-run')),
        outcome          jsonb,
        error            text,
        claimed_by       text,
        claimed_at       timestamptz,
        lease_expires_at timestamptz,
        attempts         integer NOT NULL DEFAULT 0,
        finished_at      timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX audit_log_target ON audit_log (target, id);
      CREATE INDEX audit_log_rule ON audit_log (rule, id);
      CREATE INDEX audit_log_effect_key ON audit_log (effect_key);

      CREATE TABLE kpi_snapshots (
        id          bigserial PRIMARY KEY,
        as_of       timestamptz NOT NULL,
        config_hash text NOT NULL,
        payload     jsonb NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (as_of, config_hash)
      );
    `,
  },
  {
    version: 4,
    name: "webhook processing",
    // A create event or a published release names a branch or tag without its commit: the
    // row records that it exists, and the push delivery or the next sync fills in the sha.
    // commit_statuses keeps the latest commit status per context and the latest check run
    // per name, for each commit (the merge gate reads them). `retries` counts explicit
    // retries of a failed delivery, so each retry gets a job of its own in the queue.
    sql: `
      ALTER TABLE refs ALTER COLUMN sha DROP NOT NULL;
      ALTER TABLE tags ALTER COLUMN sha DROP NOT NULL;

      ALTER TABLE webhook_deliveries ADD COLUMN retries integer NOT NULL DEFAULT 0;

      CREATE TABLE commit_statuses (
        repo        text NOT NULL,
        sha         text NOT NULL,
        kind        text NOT NULL CHECK (kind IN ('status', 'check_run')),
        context     text NOT NULL,
        state       text NOT NULL,
        conclusion  text,
        description text,
        target_url  text,
        github_id   bigint,
        updated_at  timestamptz NOT NULL,
        raw         jsonb,
        PRIMARY KEY (repo, sha, kind, context)
      );
    `,
  },
  {
    version: 5,
    name: "runbooks",
    // Runbooks imported from handbook pages (R48), one row per anchor: importing a newer
    // version of a page replaces its procedures. Kept in the store rather than in files so that
    // every process sharing one PostgreSQL serves and files the same checklists.
    sql: `
      CREATE TABLE runbooks (
        anchor      text PRIMARY KEY,
        aliases     text[] NOT NULL DEFAULT '{}',
        title       text NOT NULL,
        source      text NOT NULL,
        kind        text NOT NULL,
        runbook     jsonb NOT NULL,
        imported_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 6,
    name: "pull request files and deploys",
    // pull_files: the changed paths of an open pull request at one head commit (the merge gate
    // tells docs-only changes apart, R10); refreshed when the head moves. deploys: what runs in
    // each environment, as `bosun deploy record` was told (R28 never deploys an older one).
    sql: `
      CREATE TABLE pull_files (
        repo      text NOT NULL,
        number    integer NOT NULL,
        head_sha  text NOT NULL,
        paths     text[] NOT NULL DEFAULT '{}',
        complete  boolean NOT NULL DEFAULT true,
        synced_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (repo, number)
      );

      CREATE TABLE deploys (
        id          bigserial PRIMARY KEY,
        environment text NOT NULL,
        image       text NOT NULL,
        version     text,
        sha         text,
        recorded_by text,
        note        text,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX deploys_environment ON deploys (environment, id);
    `,
  },
  {
    version: 7,
    name: "github logins",
    // Whether each login the configuration names exists on GitHub, as last checked: the merge
    // gate refuses an exception that waits on a person GitHub does not know.
    sql: `
      CREATE TABLE github_logins (
        login      text PRIMARY KEY,
        found      boolean NOT NULL,
        checked_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 8,
    name: "change xids",
    // The transaction that last changed each issue (row or labels) and wrote each event: a
    // reader that keeps them in memory (the KPI report) re-reads only what changed since a
    // snapshot's xmin, which no transaction still running or yet to come can fall below.
    sql: `
      ALTER TABLE issues ADD COLUMN change_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
      ALTER TABLE issue_events ADD COLUMN change_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
      CREATE INDEX issues_change_xid ON issues (change_xid);
      CREATE INDEX issue_events_change_xid ON issue_events (change_xid);

      -- Issues deleted (or transferred away) on GitHub, so those readers forget them too.
      CREATE TABLE issue_deletions (
        repo       text NOT NULL,
        number     integer NOT NULL,
        deleted_at timestamptz NOT NULL DEFAULT now(),
        change_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        PRIMARY KEY (repo, number)
      );
      CREATE INDEX issue_deletions_change_xid ON issue_deletions (change_xid);
    `,
  },
  {
    version: 9,
    name: "notifications",
    // Every message Bosun posted to Slack, with what Slack answered: its channel id and ts. A
    // message about a subject ("rc-cut:4.62.0") is found again by (channel, subject), so a
    // follow-up goes in its thread and a changed fact edits it instead of posting again.
    sql: `
      CREATE TABLE notifications (
        id          bigserial PRIMARY KEY,
        channel     text NOT NULL,
        subject     text,
        mode        text NOT NULL,
        channel_id  text,
        ts          text,
        thread_ts   text,
        message     text NOT NULL,
        text        text NOT NULL,
        effect_key  text,
        edits       integer NOT NULL DEFAULT 0,
        posted_at   timestamptz NOT NULL DEFAULT now(),
        edited_at   timestamptz
      );
      CREATE UNIQUE INDEX notifications_subject ON notifications (channel, subject)
        WHERE subject IS NOT NULL;
    `,
  },
  {
    version: 10,
    name: "pull request commits and release comparisons",
    // pull_commits: an open pull request's commits (sha, message, parents) at one head commit;
    // the merge gate refuses a closing keyword in a commit message (R8). pull_release_compares:
    // that head compared with the latest release tag (compare API: status, counts, merge base,
    // the first commits after the tag), for where a released-bug fix branched off (R7). Both
    // are read again when the head moves; the comparison also when a newer release is tagged.
    sql: `
      CREATE TABLE pull_commits (
        repo      text NOT NULL,
        number    integer NOT NULL,
        head_sha  text NOT NULL,
        commits   jsonb NOT NULL DEFAULT '[]',
        complete  boolean NOT NULL DEFAULT true,
        synced_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (repo, number)
      );

      CREATE TABLE pull_release_compares (
        repo           text NOT NULL,
        number         integer NOT NULL,
        head_sha       text NOT NULL,
        tag            text NOT NULL,
        tag_sha        text,
        status         text NOT NULL,
        ahead_by       integer NOT NULL DEFAULT 0,
        behind_by      integer NOT NULL DEFAULT 0,
        merge_base_sha text,
        commits        text[] NOT NULL DEFAULT '{}',
        synced_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (repo, number)
      );
    `,
  },
  {
    version: 11,
    name: "ritual starts",
    // When Bosun first decided the rituals of an organisation (R47): occurrences due before it
    // are not filed unless asked (bosun rituals backfill). One row per organisation, in lower
    // case as GitHub compares them, written once: every process sharing the store, and every
    // restart, reads the same instant.
    sql: `
      CREATE TABLE ritual_starts (
        organisation text PRIMARY KEY,
        started_at   timestamptz NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 12,
    name: "people",
    // An organisation's members and teams (src/store/people.ts). Organisations and logins are
    // keyed in lower case, as GitHub compares them; `login` keeps GitHub's spelling. `public`
    // is null when a webhook added the member and no sync has said yet. `people_syncs` records
    // the last complete listing: a member list that was never synced, or is stale, cannot tell
    // a community contributor from a concealed member. `refresh_requests` counts webhooks that
    // asked for a listing, so a sync clears only the requests it started after.
    sql: `
      CREATE TABLE org_members (
        org        text NOT NULL,
        login_key  text NOT NULL,
        login      text NOT NULL,
        role       text NOT NULL,
        public     boolean,
        synced_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (org, login_key)
      );
      CREATE TABLE teams (
        org        text NOT NULL,
        slug       text NOT NULL,
        github_id  bigint NOT NULL,
        name       text NOT NULL,
        privacy    text,
        synced_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (org, slug)
      );
      CREATE TABLE team_members (
        org        text NOT NULL,
        slug       text NOT NULL,
        login_key  text NOT NULL,
        login      text NOT NULL,
        role       text NOT NULL,
        PRIMARY KEY (org, slug, login_key)
      );
      CREATE TABLE people_syncs (
        org                  text PRIMARY KEY,
        synced_at            timestamptz,
        refresh_requested_at timestamptz,
        refresh_requests     bigint NOT NULL DEFAULT 0
      );
    `,
  },
  {
    version: 16,
    name: "comment tombstones",
    // Comments deleted on GitHub: a late edit (a webhook delivered out of order, a sync page
    // read before the deletion) never brings one back.
    sql: `
      CREATE TABLE comment_deletions (
        id         bigint PRIMARY KEY,
        repo       text NOT NULL,
        deleted_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX comments_repo_updated ON comments (repo, updated_at, id);
    `,
  },
];

export const LATEST_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

// The set-up lock the queue's set-up also takes (db.ts), so that a process creating the
// queue's schema never runs beside another's migrations or queue set-up.
const MIGRATION_LOCK_KEY = SETUP_LOCK_KEY;

export interface MigrationResult {
  from: number;
  to: number;
  applied: number[];
}

/**
 * Brings the schema up to LATEST_VERSION in one transaction. Concurrent callers on one
 * PostgreSQL queue on an advisory lock, so exactly one applies each migration. A store
 * newer than this code is refused before anything is written.
 */
export function migrate(
  db: Db,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  const known = Math.max(0, ...migrations.map((m) => m.version));
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), '')))", [
      MIGRATION_LOCK_KEY,
    ]);
    const applied = await appliedVersions(tx);
    const from = Math.max(0, ...applied);
    if (from > known) {
      throw new StoreTooNewError(
        from,
        known,
        db.backend === "postgres" ? "DATABASE_URL" : "BOSUN_DATA_DIR",
      );
    }
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      );
    `);
    const done = new Set(applied);
    const pending = [...migrations]
      .filter((m) => !done.has(m.version))
      .sort((a, b) => a.version - b.version);
    for (const migration of pending) {
      await tx.exec(migration.sql);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
    }
    return {
      from,
      to: Math.max(from, ...pending.map((m) => m.version)),
      applied: pending.map((m) => m.version),
    };
  });
}

/** Versions recorded in schema_migrations; empty for a new store. Reads only. */
export async function appliedVersions(db: Db): Promise<number[]> {
  const { rows: exists } = await db.query<{ t: string | null }>(
    "SELECT to_regclass('schema_migrations')::text AS t",
  );
  if (!exists[0]?.t) return [];
  const { rows } = await db.query<{ version: number }>(
    "SELECT version FROM schema_migrations ORDER BY version",
  );
  return rows.map((r) => Number(r.version));
}
