// Webhook intake for a running Bosun: the queue on the store's database, the endpoint's
// dependencies, and the worker that applies deliveries and then asks for decisions.
import {
  configuredRepositories,
  type DeliveryWorker,
  repositoryMatcher,
  startDeliveryWorker,
  type WorkerLog,
} from "../github/webhooks/index.js";
import type { HandbookConfig } from "../handbook/schema.js";
import type { WebhookDeps } from "../server/webhooks.js";
import type { DeliveryQueue, Store } from "../store/index.js";

export interface WebhookIntake {
  /** What `buildServer` needs for `POST /webhooks/github`. */
  deps: WebhookDeps;
  /** Starts applying stored deliveries; call once the server's log exists. */
  start(log: WorkerLog, onApplied: (deliveryId: string) => void): Promise<void>;
  stop(): Promise<void>;
}

export async function openWebhookIntake(
  store: Store,
  config: HandbookConfig,
  secret: string | undefined,
): Promise<WebhookIntake> {
  const repositories = repositoryMatcher(configuredRepositories(config));
  let log: WorkerLog | undefined;
  const queue: DeliveryQueue = await store.openDeliveryQueue({
    onError: (error) =>
      log
        ? log.warn({ error: error.message }, "webhook queue error")
        : process.stderr.write(`webhook queue: ${error.message}\n`),
  });
  let worker: DeliveryWorker | undefined;
  return {
    deps: { secret, repositories, store, queue },
    async start(workerLog, onApplied) {
      log = workerLog;
      worker = await startDeliveryWorker({
        store,
        queue,
        repositories,
        log: workerLog,
        onOutcome: (deliveryId, outcome) => {
          if (outcome.status !== "failed") onApplied(deliveryId);
        },
      });
    },
    async stop() {
      await worker?.stop();
      await queue.stop();
    },
  };
}
