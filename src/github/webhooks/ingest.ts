// What the webhook endpoint does with one request, apart from HTTP: verify, parse, decide
// whether Bosun keeps the delivery, store it. Processing happens later, from the queue; this
// only answers once the delivery is stored (or deliberately not stored).
import type { PendingDelivery, RawDeliveryInput } from "../../store/types.js";
import { organisationScope, unconfiguredOrganisation } from "./apply-people.js";
import { isHandledEvent } from "./events.js";
import type { RepositoryMatcher } from "./repositories.js";
import { verifySignature } from "./signature.js";

export interface IngestRequest {
  /** X-GitHub-Event */
  event: string | undefined;
  /** X-GitHub-Delivery */
  deliveryId: string | undefined;
  /** X-Hub-Signature-256 */
  signature: string | undefined;
  contentType: string | undefined;
  /** The exact bytes received: the signature covers them. */
  body: Buffer;
}

/** One structured log line per request; it never carries the secret or the signature. */
export interface IngestLog {
  level: "info" | "warn";
  message: string;
  deliveryId?: string;
  event?: string;
  action?: string | null;
  repository?: string | null;
}

export interface IngestResult {
  status: 200 | 202 | 400 | 401 | 503;
  body: Record<string, unknown>;
  log: IngestLog;
  /** Set when a new delivery was stored: the caller enqueues it. */
  stored?: PendingDelivery;
}

export interface IngestDeps {
  /** Undefined when none is configured: every delivery is then refused (503). */
  secret: string | undefined;
  repositories: RepositoryMatcher;
  store: { ingestDelivery(d: RawDeliveryInput): Promise<boolean> };
}

export const NO_SECRET_MESSAGE =
  "webhooks are disabled: no webhook secret is configured. Set BOSUN_WEBHOOK_SECRET " +
  "(or github.webhookSecret in bosun.yml) to the secret of the GitHub webhook and restart Bosun";

// GitHub's delivery ids are UUIDs; anything this long is not one of them.
const MAX_DELIVERY_ID = 200;

export type Ingest = (request: IngestRequest) => Promise<IngestResult>;

export function createIngest(deps: IngestDeps): Ingest {
  return async (request) => {
    if (deps.secret === undefined) {
      return refuse(503, NO_SECRET_MESSAGE, "warn");
    }
    if (!request.signature) {
      return refuse(
        401,
        "missing X-Hub-Signature-256: the webhook must be configured with a secret",
        "warn",
        request,
      );
    }
    if (!verifySignature(deps.secret, request.body, request.signature)) {
      return refuse(
        401,
        "X-Hub-Signature-256 does not match the body under the configured secret",
        "warn",
        request,
      );
    }
    const event = request.event;
    if (!event) return refuse(400, "missing X-GitHub-Event header", "warn", request);
    const deliveryId = request.deliveryId;
    if (!deliveryId || deliveryId.length > MAX_DELIVERY_ID) {
      return refuse(400, "missing or over-long X-GitHub-Delivery header", "warn", request);
    }

    const parsed = parseBody(request);
    if (typeof parsed === "string") return refuse(400, parsed, "warn", request);
    const { text, payload } = parsed;
    const action = typeof payload.action === "string" ? payload.action : null;
    const context = { deliveryId, event, action };

    if (event === "ping") {
      return {
        status: 200,
        body: { pong: true },
        log: { level: "info", message: "ping", ...context },
      };
    }
    if (!isHandledEvent(event)) {
      return skip(`event ${event} is not one Bosun handles`, context, null);
    }
    // Organisation-wide events (members, teams) are kept under the configured organisation.
    const orgScope = organisationScope(event, payload, deps.repositories.names);
    const fullName = orgScope ?? repositoryName(payload);
    if (fullName === null) {
      const reason = unconfiguredOrganisation(event, payload) ?? "payload names no repository";
      return skip(reason, context, null);
    }
    const repository = orgScope ?? deps.repositories.resolve(fullName);
    if (repository === null) {
      return skip(`repository ${fullName} is not configured in bosun.yml`, context, fullName);
    }

    const isNew = await deps.store.ingestDelivery({
      deliveryId,
      event,
      action,
      repository,
      payload: text,
    });
    const logged = { ...context, repository };
    if (!isNew) {
      return {
        status: 200,
        body: { duplicate: true, deliveryId },
        log: { level: "info", message: "duplicate delivery ignored", ...logged },
      };
    }
    return {
      status: 202,
      body: { stored: true, deliveryId },
      log: { level: "info", message: "delivery stored", ...logged },
      stored: { deliveryId, retries: 0 },
    };
  };
}

type Payload = Record<string, unknown>;

/** The JSON text and its value; a message when the body is not a JSON object. */
function parseBody(request: IngestRequest): { text: string; payload: Payload } | string {
  let text = request.body.toString("utf8");
  // A webhook set to "application/x-www-form-urlencoded" sends the JSON as `payload=...`.
  if (request.contentType?.startsWith("application/x-www-form-urlencoded")) {
    const field = new URLSearchParams(text).get("payload");
    if (field === null) return "form-encoded body has no payload field";
    text = field;
  }
  // Before parsing: a body nested thousands deep overflows the stack of the parser or of the
  // store's jsonb (PGlite hung on 20,000 levels), and no GitHub payload comes near the limit.
  const tooDeep = nestingTooDeepAt(text, MAX_NESTING);
  if (tooDeep >= 0) {
    return `body nests JSON more than ${MAX_NESTING} levels deep (at character ${tooDeep}); GitHub's payloads nest far less, so this is not a delivery Bosun accepts`;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `body is not valid JSON: ${(error as Error).message}`;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return "body must be a JSON object";
  }
  // PostgreSQL's jsonb refuses the escape \u0000, which JSON allows (a NUL in an issue body);
  // stored as U+FFFD instead, the delivery is kept rather than refused on every redelivery.
  if (text.includes("\\u0000")) text = text.replaceAll("\\u0000", "\\ufffd");
  return { text, payload: value as Payload };
}

/** Deeper than any GitHub payload (they nest about 10 levels) by a wide margin. */
export const MAX_NESTING = 64;

const OPEN_BRACE = 0x7b; // {
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACE = 0x7d; // }
const CLOSE_BRACKET = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * The offset at which `text` opens its (limit+1)-th nested object or array, or -1. One pass,
 * no recursion, brackets inside strings ignored; malformed JSON is left to JSON.parse.
 */
export function nestingTooDeepAt(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return i;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return -1;
}

function repositoryName(payload: Payload): string | null {
  const repository = payload.repository;
  if (typeof repository !== "object" || repository === null) return null;
  const fullName = (repository as Payload).full_name;
  return typeof fullName === "string" ? fullName : null;
}

function refuse(
  status: 400 | 401 | 503,
  error: string,
  level: IngestLog["level"],
  request?: IngestRequest,
): IngestResult {
  const log: IngestLog = { level, message: `delivery refused: ${error}` };
  if (request?.deliveryId) log.deliveryId = request.deliveryId.slice(0, MAX_DELIVERY_ID);
  if (request?.event) log.event = request.event.slice(0, 100);
  return { status, body: { error }, log };
}

function skip(
  reason: string,
  context: { deliveryId: string; event: string; action: string | null },
  repository: string | null,
): IngestResult {
  return {
    status: 202,
    body: { skipped: reason, deliveryId: context.deliveryId },
    log: { level: "info", message: `delivery skipped: ${reason}`, ...context, repository },
  };
}
