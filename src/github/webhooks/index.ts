// GitHub webhooks: ingest (verify, parse, store) and the worker that applies stored
// deliveries to the store. The HTTP route is src/server/webhooks.ts; the queue is
// src/store/queue.ts.
export { applyDelivery } from "./apply.js";
export { HANDLED_EVENTS, type HandledEvent, isHandledEvent } from "./events.js";
export {
  createIngest,
  type Ingest,
  type IngestLog,
  type IngestRequest,
  type IngestResult,
  NO_SECRET_MESSAGE,
} from "./ingest.js";
export {
  configuredRepositories,
  type RepositoryMatcher,
  repositoryMatcher,
} from "./repositories.js";
export { signBody, verifySignature } from "./signature.js";
export {
  type DeliveryWorker,
  type DeliveryWorkerOptions,
  startDeliveryWorker,
  type WorkerLog,
} from "./worker.js";
