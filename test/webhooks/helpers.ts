// Shared by the webhook tests: the published example payloads, a webhook-only server, signed
// deliveries, and waiting for the worker.
import { randomUUID } from "node:crypto";
import examplesJson from "@octokit/webhooks-examples/api.github.com/index.json" with {
  type: "json",
};
import Fastify, { type FastifyInstance } from "fastify";
import { expect } from "vitest";
import {
  configuredRepositories,
  type DeliveryWorker,
  HANDLED_EVENTS,
  repositoryMatcher,
  signBody,
  startDeliveryWorker,
} from "../../src/github/webhooks/index.js";
import { registerWebhookRoutes } from "../../src/server/webhooks.js";
import type { DeliveryOutcome, DeliveryQueue, DeliveryRow, Store } from "../../src/store/index.js";

export const SECRET = "It's a Secret to Everybody";

/** Every event Bosun handles; the suite replays each one's published examples. */
export const EVENTS = HANDLED_EVENTS;

// biome-ignore lint/suspicious/noExplicitAny: example payloads are arbitrary JSON.
export type Payload = Record<string, any>;

const examples = examplesJson as unknown as { name: string; examples: Payload[] }[];

export function examplesOf(event: string): Payload[] {
  const found = examples.find((e) => e.name === event);
  if (!found) throw new Error(`@octokit/webhooks-examples has no ${event} examples`);
  return found.examples;
}

/**
 * The repositories the examples come from, as a configuration would list them: one
 * organisation per owner, each with its repositories.
 */
export function exampleRepositories(): string[] {
  const byOwner = new Map<string, Set<string>>();
  for (const event of EVENTS) {
    for (const payload of examplesOf(event)) {
      // Organisation-wide examples name only their organisation: configure it with one repository.
      const fullName = payload.repository?.full_name ?? `${payload.organization?.login}/.github`;
      const [owner, name] = String(fullName).split("/");
      if (!owner || !name) continue;
      if (!byOwner.has(owner)) byOwner.set(owner, new Set());
      byOwner.get(owner)!.add(name);
    }
  }
  return [...byOwner].flatMap(([organisation, names]) =>
    configuredRepositories({
      organisation,
      repositories: [...names].map((name) => ({ name })),
    } as Parameters<typeof configuredRepositories>[0]),
  );
}

export interface Delivery {
  event: string;
  body: string;
  deliveryId?: string;
  /** Default: the body signed with SECRET; null sends no signature. */
  signature?: string | null;
  contentType?: string;
}

export async function deliver(app: FastifyInstance, d: Delivery) {
  const headers: Record<string, string> = {
    "content-type": d.contentType ?? "application/json",
    "x-github-event": d.event,
    "x-github-delivery": d.deliveryId ?? randomUUID(),
  };
  const signature = d.signature === undefined ? signBody(SECRET, d.body) : d.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  return app.inject({ method: "POST", url: "/webhooks/github", headers, payload: d.body });
}

export interface Pipeline {
  app: FastifyInstance;
  queue: DeliveryQueue;
  worker: DeliveryWorker | null;
  outcomes: { deliveryId: string; outcome: DeliveryOutcome }[];
  close(): Promise<void>;
}

/**
 * The webhook route on a bare Fastify app, with the queue and (unless `worker: false`) a
 * worker on the same store, as `bosun serve` wires them.
 */
export async function startPipeline(
  store: Store,
  options: { repositories?: string[]; secret?: string | null; worker?: boolean } = {},
): Promise<Pipeline> {
  const repositories = repositoryMatcher(options.repositories ?? exampleRepositories());
  const queue = await store.openDeliveryQueue({
    pollingIntervalSeconds: 0.5,
    onError: (error) => {
      throw error;
    },
  });
  const app = Fastify({ logger: false });
  await registerWebhookRoutes(app, {
    secret: options.secret === null ? undefined : (options.secret ?? SECRET),
    repositories,
    store,
    queue,
  });
  const outcomes: Pipeline["outcomes"] = [];
  const worker =
    options.worker === false
      ? null
      : await startDeliveryWorker({
          store,
          queue,
          repositories,
          sweepIntervalMs: 60_000,
          onOutcome: (deliveryId, outcome) => outcomes.push({ deliveryId, outcome }),
        });
  return {
    app,
    queue,
    worker,
    outcomes,
    async close() {
      await app.close();
      await worker?.stop();
      await queue.stop();
    },
  };
}

/** Waits until the delivery is processed (with or without error) and returns its row. */
export async function processed(store: Store, deliveryId: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await store.getDelivery(deliveryId);
    if (row?.processedAt) return row;
    if (Date.now() > deadline) {
      throw new Error(
        `delivery ${deliveryId} not processed within ${timeoutMs} ms: ${JSON.stringify(row?.error ?? row)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Waits until no delivery is pending. */
export async function drained(store: Store, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await store.deliveryStats();
    if (stats.pending === 0) return stats;
    if (Date.now() > deadline)
      throw new Error(`deliveries still pending: ${JSON.stringify(stats)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function expectProcessedWithoutError(row: DeliveryRow) {
  expect(row.error, `${row.event}.${row.action} ${row.deliveryId}: ${row.error}`).toBeNull();
  expect(row.processedAt).not.toBeNull();
}
