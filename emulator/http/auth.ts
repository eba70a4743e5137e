import type { FastifyRequest } from "fastify";

/**
 * Who a request acts as. Tokens of the form `emulator:<login>` act as that user (so tests
 * can play several people); any other token, or none, acts as the default viewer. The
 * emulator checks no secrets: it stands in for GitHub on machines that cannot reach it.
 */
export function tokenOf(request: FastifyRequest): string {
  const header = request.headers.authorization ?? "";
  const match = /^(?:token|bearer)\s+(.+)$/i.exec(header.trim());
  return match?.[1] ?? "anonymous";
}

export function actorOf(request: FastifyRequest, defaultViewer: string): string {
  const token = tokenOf(request);
  if (token.startsWith("emulator:") && token.length > "emulator:".length) {
    return token.slice("emulator:".length);
  }
  return defaultViewer;
}
