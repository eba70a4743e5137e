// What a handler gets to apply one stored delivery to the store.
import type { Store } from "../../store/store.js";
import type { HandledEvent } from "./events.js";

export interface DeliveryContext {
  /** The repository as configured ("owner/name"), the key of every row written. */
  repo: string;
  event: HandledEvent;
  action: string | null;
  payload: unknown;
  /** When Bosun received the delivery: the time of events whose payload carries none. */
  receivedAt: string;
  /** The configured spelling of another repository (a transfer's target), or null. */
  resolveRepository(fullName: string): string | null;
}

/** Applies a delivery; throws PayloadError when a field Bosun reads is missing or malformed. */
export type DeliveryHandler = (store: Store, delivery: DeliveryContext) => Promise<void>;

/** "issues.labeled", "push": how logs and errors name a delivery's kind. */
export function describeDelivery(event: string, action: string | null): string {
  return action ? `${event}.${action}` : event;
}
