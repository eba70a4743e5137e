// The Store: every query Bosun makes, behind typed methods. Nothing outside src/store
// writes SQL. The same statements run on PGlite and PostgreSQL.
//
// How it is built: each table or concern is a module (issues.ts, labels.ts, kpi.ts ...) whose
// class of queries extends `Queries` (a Db and nothing else). Store is assembled from the
// modules listed in MODULES below with the TypeScript handbook's mixin pattern: an interface
// declaration merges their methods into Store's type, and mixQueries copies them onto Store's
// prototype (refusing a name defined twice). Callers keep one `Store` with every method, each
// written and documented once, in its module; one-line delegating methods would have repeated
// every signature. Modules hold no state: what a Store holds (the driver, the close hook, the
// ingest batcher) and what needs a whole Store (transaction, processDelivery) are defined here.
import { AuditQueries } from "./audit.js";
import { CommentQueries } from "./comments.js";
import { CommitStatusQueries } from "./commit-statuses.js";
import type { Backend, Db } from "./db.js";
import { DeliveryQueries, processDeliveryOnce } from "./deliveries.js";
import { DeployQueries } from "./deploys.js";
import { IssueEventQueries } from "./events.js";
import { IngestBatcher } from "./ingest-batch.js";
import { IssueQueries } from "./issues.js";
import { KpiQueries } from "./kpi.js";
import { LabelQueries } from "./labels.js";
import { LoginQueries } from "./logins.js";
import { MaintenanceQueries } from "./maintenance.js";
import { MilestoneQueries } from "./milestones.js";
import { NotificationQueries } from "./notifications.js";
import { PeopleQueries } from "./people.js";
import { PullCommitQueries } from "./pull-commits.js";
import { PullFileQueries } from "./pull-files.js";
import { mixQueries, Queries } from "./queries.js";
import { RefQueries } from "./refs.js";
import { ReleaseTrainQueries } from "./release-train.js";
import { RepositoryQueries } from "./repositories.js";
import { RitualQueries } from "./rituals.js";
import { SyncCursorQueries } from "./sync-cursors.js";
import type { DeliveryOutcome, DeliveryRow, RawDeliveryInput } from "./types.js";

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the mixin pattern (see above and the end of this file).
export class Store extends Queries {
  private ingestBatcher: IngestBatcher | undefined;

  /**
   * Wraps an already-migrated database. Use openStore() to open one: it migrates, takes
   * the embedded store's lock, and releases it on close through `onClose`.
   */
  constructor(
    db: Db,
    private readonly onClose: () => void | Promise<void> = () => {},
  ) {
    super(db);
  }

  get backend(): Backend {
    return this.db.backend;
  }

  /**
   * Runs fn against a Store bound to one transaction; all or nothing. Use only the store
   * passed to fn inside it: on PGlite, a query on the outer store waits for the
   * transaction to end, which never comes.
   */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new Store(tx)));
  }

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      await this.onClose();
    }
  }

  /**
   * Stores a delivery as received unless its id is known; true when it is new. Deliveries
   * arriving together share one INSERT (see ingest-batch.ts); the database casts the payload
   * text to jsonb, so it is never re-serialised here.
   */
  ingestDelivery(d: RawDeliveryInput): Promise<boolean> {
    this.ingestBatcher ??= new IngestBatcher(this.db);
    return this.ingestBatcher.ingest(d);
  }

  /**
   * Processes a delivery once: locks its row, skips it when it is unknown or already
   * processed (by anyone), runs `apply` against a store bound to the same transaction, and
   * marks it processed. When apply throws, its writes are rolled back and the delivery is
   * marked processed with the error, so one bad delivery never blocks the others. When the
   * database cannot even record that (connection lost), the error propagates and nothing is
   * marked: the queue retries the job.
   */
  processDelivery(
    deliveryId: string,
    apply: (store: Store, delivery: DeliveryRow) => Promise<void>,
  ): Promise<DeliveryOutcome> {
    return processDeliveryOnce(this.db, deliveryId, (tx, delivery) =>
      apply(new Store(tx), delivery),
    );
  }
}

/** Every query module; adding one is its file plus one line here. */
const MODULES = [
  MaintenanceQueries,
  RepositoryQueries,
  IssueQueries,
  IssueEventQueries,
  LabelQueries,
  MilestoneQueries,
  CommentQueries,
  RefQueries,
  CommitStatusQueries,
  PullFileQueries,
  PullCommitQueries,
  DeliveryQueries,
  SyncCursorQueries,
  AuditQueries,
  KpiQueries,
  ReleaseTrainQueries,
  DeployQueries,
  RitualQueries,
  LoginQueries,
  NotificationQueries,
  PeopleQueries,
] as const;

/** The methods of every module in MODULES, as one type. */
type ModuleMethods = UnionToIntersection<InstanceType<(typeof MODULES)[number]>>;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (
  i: infer I,
) => void
  ? I
  : never;

/** Store's type: its own members and every module's methods (mixQueries puts them there). */
export interface Store extends ModuleMethods {}
mixQueries(Store, MODULES);
