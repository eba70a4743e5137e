// The server's one way to answer an error: any BosunError as `toWire(err)` with its code's HTTP
// status (ERROR_CODES); Fastify's own client errors (unparsable JSON, a body too large) by the
// code their status stands for; anything else as "internal", logged here and never described
// to the client beyond the request it failed (no message, no stack trace).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { BosunError, codeForStatus, toWire } from "../errors.js";

export function sendError(reply: FastifyReply, err: BosunError): FastifyReply {
  return reply.code(err.http).send(toWire(err));
}

/** The BosunError an error thrown while answering `req` is answered as. */
export function asBosunError(err: unknown, req: FastifyRequest): BosunError {
  if (err instanceof BosunError) return err;
  const status = (err as Partial<FastifyError> | null)?.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new BosunError(codeForStatus(status), (err as Error).message);
  }
  return new BosunError(
    "internal",
    `the server failed to answer ${req.method} ${req.url.split("?")[0]} (request ${req.id}); its log has the details`,
  );
}

/** Installs the error handler; call it before any route or plugin is registered. */
export function answerErrors(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    const answer = asBosunError(err, req);
    if (answer.code === "internal") req.log.error({ err }, "request failed");
    return sendError(reply, answer);
  });
}
