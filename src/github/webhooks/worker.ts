// The webhook worker: takes delivery ids from the queue and applies each delivery to the
// store, once (Store.processDelivery locks the delivery and skips processed ones, so a job
// run twice, or by two processes, applies nothing twice). On start, and then periodically,
// it sweeps unprocessed deliveries into the queue: a process that died between storing a
// delivery and enqueueing it loses nothing.
import type { DeliveryQueue } from "../../store/queue.js";
import type { Store } from "../../store/store.js";
import type { DeliveryOutcome } from "../../store/types.js";
import { applyDelivery } from "./apply.js";
import type { RepositoryMatcher } from "./repositories.js";

/** The part of a pino logger the worker uses (Fastify's `app.log` fits). */
export interface WorkerLog {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface DeliveryWorkerOptions {
  store: Store;
  queue: DeliveryQueue;
  repositories: RepositoryMatcher;
  log?: WorkerLog;
  /** How often to sweep for deliveries nobody enqueued. Default one minute. */
  sweepIntervalMs?: number;
  /** The periodic sweep leaves deliveries younger than this to the process that stored them. */
  sweepGraceMs?: number;
  /** Told about every delivery the worker took (metrics, tests). */
  onOutcome?: (deliveryId: string, outcome: DeliveryOutcome) => void;
}

export interface DeliveryWorker {
  /**
   * Enqueues unprocessed deliveries (received before `receivedBefore`); returns how many. The
   * worker sweeps by itself on start (without being awaited) and every `sweepIntervalMs`.
   */
  sweep(receivedBefore?: string): Promise<number>;
  /** Sends a failed delivery back to the queue; false when it has not failed. */
  retry(deliveryId: string): Promise<boolean>;
  /** Stops taking jobs and sweeping; stop the queue afterwards, then close the store. */
  stop(): Promise<void>;
}

const SWEEP_PAGE = 500;

export async function startDeliveryWorker(options: DeliveryWorkerOptions): Promise<DeliveryWorker> {
  const { store, queue, repositories, log } = options;
  let stopped = false;
  let sweeping: Promise<number> | null = null;

  const processOne = async (deliveryId: string) => {
    const outcome = await store.processDelivery(deliveryId, (tx, delivery) =>
      applyDelivery(tx, delivery, repositories),
    );
    if (outcome.status === "failed") {
      log?.warn({ deliveryId, error: outcome.error }, "delivery failed; retry it once fixed");
    } else {
      log?.debug({ deliveryId, outcome: outcome.status }, "delivery processed");
    }
    options.onOutcome?.(deliveryId, outcome);
  };

  const sweepAll = async (receivedBefore?: string): Promise<number> => {
    let count = 0;
    let after: { receivedAt: string; deliveryId: string } | undefined;
    for (;;) {
      const page = await store.pendingDeliveryIds({
        limit: SWEEP_PAGE,
        ...(after ? { after } : {}),
        ...(receivedBefore ? { receivedBefore } : {}),
      });
      if (page.length === 0) return count;
      await queue.enqueue(page.map(({ deliveryId, retries }) => ({ deliveryId, retries })));
      count += page.length;
      const last = page[page.length - 1]!;
      after = { receivedAt: last.receivedAt, deliveryId: last.deliveryId };
    }
  };

  // One sweep at a time; a second request while one runs shares its result.
  const sweep = (receivedBefore?: string): Promise<number> => {
    sweeping ??= sweepAll(receivedBefore).finally(() => {
      sweeping = null;
    });
    return sweeping;
  };

  await queue.work(async (deliveryIds) => {
    for (const deliveryId of deliveryIds) await processOne(deliveryId);
  });
  // In the background: after an outage the backlog may be large, and the server need not wait.
  sweep().then(
    (swept) => {
      if (swept > 0) log?.info({ deliveries: swept }, "unprocessed deliveries sent to the queue");
    },
    (error: unknown) => {
      log?.error({ error: (error as Error).message }, "sweeping unprocessed deliveries failed");
    },
  );

  const grace = options.sweepGraceMs ?? 30_000;
  const timer = setInterval(() => {
    if (stopped) return;
    sweep(new Date(Date.now() - grace).toISOString()).catch((error: unknown) => {
      log?.error({ error: (error as Error).message }, "sweeping unprocessed deliveries failed");
    });
  }, options.sweepIntervalMs ?? 60_000);
  timer.unref();

  return {
    sweep,
    async retry(deliveryId) {
      const pending = await store.retryDelivery(deliveryId);
      if (!pending) return false;
      await queue.enqueue([pending]);
      return true;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await sweeping?.catch(() => {});
    },
  };
}
