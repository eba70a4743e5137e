// POST /webhooks/github. An encapsulated plugin: its content-type parser hands the handler
// the raw body (the signature covers the exact bytes), and other routes keep Fastify's JSON
// parsing. The delivery is stored before the answer and processed later, from the queue.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { createIngest, type IngestResult } from "../github/webhooks/ingest.js";
import type { RepositoryMatcher } from "../github/webhooks/repositories.js";
import type { DeliveryQueue } from "../store/queue.js";
import type { RawDeliveryInput } from "../store/types.js";

/** GitHub caps webhook payloads at 25 MB. */
export const WEBHOOK_BODY_LIMIT = 25 * 1024 * 1024;

export interface WebhookDeps {
  /** Secret of X-Hub-Signature-256; undefined answers every delivery 503, saying how to set it. */
  secret: string | undefined;
  repositories: RepositoryMatcher;
  store: { ingestDelivery(d: RawDeliveryInput): Promise<boolean> };
  /** Where stored deliveries go for processing; without it, the worker's sweep finds them. */
  queue?: Pick<DeliveryQueue, "enqueue">;
}

export async function registerWebhookRoutes(
  app: FastifyInstance,
  deps: WebhookDeps,
): Promise<void> {
  const ingest = createIngest(deps);
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: WEBHOOK_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    // Fastify's per-request lines are left out (level warn): the handler writes one line per
    // delivery with what matters, at a fraction of the cost under a burst of deliveries.
    scope.post(
      "/webhooks/github",
      { bodyLimit: WEBHOOK_BODY_LIMIT, logLevel: "warn" },
      async (req, reply) => {
        let result: IngestResult;
        try {
          result = await ingest({
            event: header(req, "x-github-event"),
            deliveryId: header(req, "x-github-delivery"),
            signature: header(req, "x-hub-signature-256"),
            contentType: header(req, "content-type"),
            body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
          });
        } catch (error) {
          scope.log.error(
            { deliveryId: header(req, "x-github-delivery"), error: (error as Error).message },
            "delivery not stored: the store failed",
          );
          return reply
            .code(500)
            .send({ error: "the delivery could not be stored; GitHub can redeliver it" });
        }
        const { level, message, ...fields } = result.log;
        scope.log[level](fields, message);
        if (result.stored && deps.queue) {
          // Not awaited: the delivery is stored, and the worker's sweep enqueues it if this fails.
          deps.queue.enqueue([result.stored]).catch((error: unknown) => {
            scope.log.warn(
              { deliveryId: result.stored?.deliveryId, error: (error as Error).message },
              "delivery stored but not enqueued; the worker's sweep will pick it up",
            );
          });
        }
        return reply.code(result.status).send(result.body);
      },
    );
  });
}

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
