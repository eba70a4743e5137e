import { randomUUID } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";
import { webhookShape } from "./shape.js";

export interface WebhookTarget {
  id: number;
  url: string;
  secret: string;
  /** Events to send; undefined or ["*"] sends all. */
  events?: string[];
}

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface Delivery {
  id: number;
  guid: string;
  event: string;
  action: string | null;
  targetId: number;
  url: string;
  redelivery: boolean;
  status: "pending" | "delivered" | "failed";
  attempts: DeliveryAttempt[];
  /** The exact body sent, so redelivery and signature checks see the same bytes. */
  body: string;
}

export interface DispatcherOptions {
  /** Attempts per delivery, including the first (GitHub itself does not retry; tests want it). */
  attempts?: number;
  /** Backoff before retry n is baseDelayMs * 2^(n-1). */
  baseDelayMs?: number;
  timeoutMs?: number;
  /** Deliveries kept in the log, oldest dropped first. */
  logSize?: number;
  hookId?: number;
}

/**
 * Posts signed webhook deliveries to configured targets, retries failures with exponential
 * backoff, and keeps a delivery log from which any delivery can be redelivered by id.
 */
export class WebhookDispatcher {
  private readonly targets: WebhookTarget[] = [];
  private readonly log: Delivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private nextTargetId = 1;
  private nextDeliveryId = 1;
  private closed = false;
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly timeoutMs: number;
  private readonly logSize: number;
  private readonly hookId: number;

  constructor(options: DispatcherOptions = {}) {
    this.attempts = options.attempts ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.logSize = options.logSize ?? 10_000;
    this.hookId = options.hookId ?? 480_000_000;
  }

  addTarget(url: string, secret: string, events?: string[]): WebhookTarget {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new Error(`webhook url must be http(s); got ${url}`);
    }
    const target: WebhookTarget = { id: this.nextTargetId++, url, secret, events };
    this.targets.push(target);
    return target;
  }

  removeTarget(id: number): boolean {
    const index = this.targets.findIndex((t) => t.id === id);
    if (index < 0) return false;
    this.targets.splice(index, 1);
    return true;
  }

  listTargets(): WebhookTarget[] {
    return this.targets.slice();
  }

  /** Queues one delivery per interested target; returns them (already in the log). */
  emit(event: string, payload: Record<string, unknown>): Delivery[] {
    if (this.closed) return [];
    const body = JSON.stringify(webhookShape(payload));
    const out: Delivery[] = [];
    for (const target of this.targets) {
      if (target.events && !target.events.includes("*") && !target.events.includes(event)) continue;
      const delivery = this.record({
        guid: randomUUID(),
        event,
        action: typeof payload.action === "string" ? payload.action : null,
        targetId: target.id,
        url: target.url,
        redelivery: false,
        body,
      });
      this.track(this.deliver(delivery, target, 1));
      out.push(delivery);
    }
    return out;
  }

  deliveries(): Delivery[] {
    return this.log.slice().reverse();
  }

  delivery(id: number): Delivery | undefined {
    return this.log.find((d) => d.id === id);
  }

  /** Sends a logged delivery again, with its original GUID, as GitHub's redeliver does. */
  redeliver(id: number): Delivery | undefined {
    const original = this.delivery(id);
    if (!original) return undefined;
    const target = this.targets.find((t) => t.id === original.targetId) ?? {
      id: original.targetId,
      url: original.url,
      secret: "",
    };
    const delivery = this.record({ ...original, redelivery: true });
    this.track(this.deliver(delivery, target, 1));
    return delivery;
  }

  /** Resolves when every queued delivery (and pending retry) has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  close(): void {
    this.closed = true;
    // Pending backoffs end now, so idle() and shutdown never wait on a timer.
    for (const [timer, resolve] of this.timers) {
      clearTimeout(timer);
      resolve();
    }
    this.timers.clear();
  }

  private record(fields: Omit<Delivery, "id" | "status" | "attempts">): Delivery {
    const delivery: Delivery = {
      ...fields,
      id: this.nextDeliveryId++,
      status: "pending",
      attempts: [],
    };
    this.log.push(delivery);
    if (this.log.length > this.logSize) this.log.splice(0, this.log.length - this.logSize);
    return delivery;
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async deliver(delivery: Delivery, target: WebhookTarget, attempt: number): Promise<void> {
    if (this.closed) return;
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(target.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/emulator",
          "x-github-event": delivery.event,
          "x-github-delivery": delivery.guid,
          "x-github-hook-id": String(this.hookId + target.id),
          "x-github-hook-installation-target-type": "repository",
          "x-hub-signature-256": await sign(target.secret, delivery.body),
        },
        body: delivery.body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      await response.arrayBuffer();
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    delivery.attempts.push({
      at: new Date().toISOString(),
      status,
      error,
      durationMs: Math.round(performance.now() - started),
    });
    if (!error) {
      delivery.status = "delivered";
      return;
    }
    if (attempt >= this.attempts || this.closed) {
      delivery.status = "failed";
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          resolve();
        },
        this.baseDelayMs * 2 ** (attempt - 1),
      );
      this.timers.set(timer, resolve);
    });
    await this.deliver(delivery, target, attempt + 1);
  }
}
