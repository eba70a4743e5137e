// The one error type of Bosun: a message a person can act on and a code from a closed set. The
// code alone decides the HTTP status the server answers and the exit code the CLI ends with,
// and it travels on the wire (`{ error, code }`) so the CLI rethrows what the server threw.
// A leaf module: it imports nothing from src/, so every layer (rules included) may use it.

/** Exit codes: 0 done, 1 a check found problems (or a refusal), 2 bad input or usage. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Every error code, its HTTP status and its exit code. `refused` is 422 rather than 409: the
 * request was understood and the state is fine, but the handbook (a rule, a policy) says no, so
 * asking again unchanged gets the same answer; 409 is for state (`not-ready`, `conflict`) that
 * changes by itself or by another action.
 */
export const ERROR_CODES = {
  "bad-input": {
    http: 400,
    exit: EXIT.usage,
    meaning: "the input (a flag, a query parameter, a body field) is wrong; the message says how",
  },
  "not-found": {
    http: 404,
    exit: EXIT.usage,
    meaning: "what was named (a runbook, a route) does not exist",
  },
  "not-ready": {
    http: 409,
    exit: EXIT.problems,
    meaning: "nothing to answer from yet (never synced, nothing configured); ask again later",
  },
  refused: {
    http: 422,
    exit: EXIT.problems,
    meaning: "understood, but a rule or policy refuses it; asking again unchanged will not help",
  },
  conflict: {
    http: 409,
    exit: EXIT.problems,
    meaning: "the target is held or was changed by someone else (a lock, a concurrent write)",
  },
  unavailable: {
    http: 503,
    exit: EXIT.problems,
    meaning: "the Bosun server (or a service it needs) cannot be reached",
  },
  "invalid-config": {
    http: 500,
    exit: EXIT.problems,
    meaning:
      "the handbook configuration has errors (each with file:line:column and key); nothing was started or written",
  },
  internal: {
    http: 500,
    exit: EXIT.problems,
    meaning: "a bug or an unexpected failure; the server's log has the details",
  },
} as const satisfies Record<string, { http: number; exit: ExitCode; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}

/** A Bosun error: printed as one line (no stack trace), answered with its code's HTTP status. */
export class BosunError extends Error {
  override name = "BosunError";
  readonly details?: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (options.details !== undefined) this.details = options.details;
  }

  get http(): number {
    return ERROR_CODES[this.code].http;
  }

  get exitCode(): ExitCode {
    return ERROR_CODES[this.code].exit;
  }
}

/** True for a {@link BosunError}, of one of `codes` when given. */
export function isBosunError(err: unknown, ...codes: ErrorCode[]): err is BosunError {
  return err instanceof BosunError && (codes.length === 0 || codes.includes(err.code));
}

/** The JSON body the server answers with. `error` is the message, as clients have always read it. */
export interface WireError {
  error: string;
  code: ErrorCode;
  details?: Record<string, unknown>;
}

export function toWire(err: BosunError): WireError {
  return {
    error: err.message,
    code: err.code,
    ...(err.details !== undefined ? { details: err.details } : {}),
  };
}

/** The code an answer without one (an older server, a proxy) stands for, from its status. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 404 || status === 410) return "not-found";
  if (status === 409) return "not-ready";
  if (status === 423) return "conflict";
  if (status === 422) return "refused";
  if (status === 502 || status === 503 || status === 504) return "unavailable";
  if (status >= 400 && status < 500) return "bad-input";
  return "internal";
}

/**
 * The error an HTTP answer carries: `body` is the parsed JSON (or the raw text when it was not
 * JSON). With a known `code` it is the server's error as thrown; without one the status decides
 * the code, and a body without a message is described as "`who` answered `status`: its text".
 */
export function fromWire(status: number, body: unknown, who = "the server"): BosunError {
  const wire = (typeof body === "object" && body !== null ? body : {}) as Partial<
    Record<keyof WireError | "message" | "statusCode", unknown>
  >;
  const text = typeof body === "string" ? (body.trim().split("\n")[0] ?? "").slice(0, 200) : "";
  // Fastify's default answer ({ statusCode, error: "Bad Request", message }) has the reason in `message`.
  const said =
    typeof wire.statusCode === "number" && typeof wire.message === "string"
      ? wire.message
      : wire.error;
  const message =
    typeof said === "string" && said !== ""
      ? said
      : `${who} answered ${status}${text ? `: ${text}` : ""}`;
  const code = isErrorCode(wire.code) ? wire.code : codeForStatus(status);
  const details =
    typeof wire.details === "object" && wire.details !== null && !Array.isArray(wire.details)
      ? (wire.details as Record<string, unknown>)
      : undefined;
  return new BosunError(code, message, details ? { details } : {});
}
