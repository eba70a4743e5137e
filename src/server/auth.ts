// Who may use the HTTP API. Writes (every POST but the webhook, which carries its own HMAC, and
// the deploy check, a read that takes a body) change what Bosun believes or files issues as
// Bosun, so they need the API token (BOSUN_API_TOKEN) always; reads and the dashboard need it
// once `serve` listens beyond loopback. The probes stay open, because a supervisor asks them
// without credentials and they reveal nothing.
//
// The token travels as `Authorization: Bearer <token>`; a browser may give it as the password
// of Basic authentication (any user name), so the dashboard works without a proxy.
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { BosunError } from "../errors.js";

export interface ApiAuth {
  /** BOSUN_API_TOKEN; undefined: writes are refused (unless `writesWithoutToken`). */
  token: string | undefined;
  /** Reads and the dashboard need the token too (`serve` beyond loopback). */
  readsNeedToken: boolean;
  /** `preview` on loopback with no token: writes reach only the emulator, so they stay open. */
  writesWithoutToken: boolean;
}

/** The shortest token accepted: shorter ones can be guessed. */
export const MIN_TOKEN_LENGTH = 16;

/** Paths answered to anyone: the probes, and the webhook (its X-Hub-Signature-256 decides). */
const OPEN_PATHS = new Set(["/healthz", "/readyz", "/webhooks/github"]);
/** POST routes that only read: a body carries the question. */
const READ_POSTS = new Set(["/api/deploy/check"]);

/** True for the addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  return (
    h === "localhost" ||
    h === "::1" ||
    h === "0:0:0:0:0:0:0:1" ||
    /^127(\.\d{1,3}){3}$/.test(h) ||
    /^::ffff:127(\.\d{1,3}){3}$/.test(h)
  );
}

/**
 * The policy of `bosun serve` (mode "serve") or `bosun preview` (mode "preview") listening on
 * `host`, from BOSUN_API_TOKEN in `env`. Preview serves an emulated GitHub, so its reads are
 * open and, on loopback, so are its writes unless a token is set.
 */
export function apiAuthFor(options: {
  host: string;
  env: NodeJS.ProcessEnv;
  mode: "serve" | "preview";
}): ApiAuth {
  const raw = options.env.BOSUN_API_TOKEN;
  const token = raw === undefined || raw.trim() === "" ? undefined : raw.trim();
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new BosunError(
      "bad-input",
      `BOSUN_API_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters, found ${token.length}; make one with: openssl rand -hex 32`,
    );
  }
  const loopback = isLoopbackHost(options.host);
  return {
    token,
    readsNeedToken: options.mode === "serve" && !loopback,
    writesWithoutToken: options.mode === "preview" && loopback && token === undefined,
  };
}

/** What a request to `path` with `method` needs. */
export function accessOf(method: string, path: string): "open" | "read" | "write" {
  if (OPEN_PATHS.has(path)) return "open";
  const m = method.toUpperCase();
  if (m === "GET" || m === "HEAD" || m === "OPTIONS") return "read";
  return READ_POSTS.has(path) ? "read" : "write";
}

const NO_TOKEN_WRITES =
  "writes through the API are disabled: no API token is configured. Set BOSUN_API_TOKEN on the " +
  `server (at least ${MIN_TOKEN_LENGTH} characters, e.g. openssl rand -hex 32) and restart it, then ` +
  "set the same BOSUN_API_TOKEN where the CLI runs (it sends Authorization: Bearer <token>)";

const NO_TOKEN_READS =
  "this Bosun server listens beyond loopback and has no API token: set BOSUN_API_TOKEN on the " +
  "server and restart it, or listen on 127.0.0.1 behind a reverse proxy that authenticates (README, Authentication)";

/** Installs the check on every route of `app`; call it before the routes are registered. */
export function requireApiToken(app: FastifyInstance, auth: ApiAuth): void {
  const expected = auth.token === undefined ? undefined : digest(auth.token);
  // onRequest: before the body is read, so a stranger's body is never parsed.
  app.addHook("onRequest", async (req, reply) => {
    const path = req.routeOptions.url ?? req.url.split("?")[0] ?? "/";
    const access = accessOf(req.method, path);
    if (access === "open") return;
    if (access === "read" && !auth.readsNeedToken) return;
    if (access === "write" && auth.writesWithoutToken) return;
    const what = `${req.method} ${path}`;
    if (expected === undefined) {
      return refuse(
        reply,
        403,
        `${what}: ${access === "write" ? NO_TOKEN_WRITES : NO_TOKEN_READS}`,
      );
    }
    const given = presentedToken(req);
    if (given === undefined) {
      return refuse(
        reply,
        401,
        `${what} needs the API token: send Authorization: Bearer <BOSUN_API_TOKEN> (the CLI sends $BOSUN_API_TOKEN)`,
        challenge(access, path),
      );
    }
    if (!timingSafeEqual(digest(given), expected)) {
      return refuse(
        reply,
        401,
        `${what}: the API token given does not match the server's BOSUN_API_TOKEN`,
        challenge(access, path),
      );
    }
  });
}

// Digests have one length whatever the tokens' lengths, as timingSafeEqual requires, and
// comparing them tells a forger nothing about how much of a guess was right.
function digest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** The token in `Authorization: Bearer <token>`, or the password of `Basic`. */
function presentedToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== "string") return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return undefined;
  if (scheme.toLowerCase() === "bearer") return value;
  if (scheme.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon < 0 ? undefined : decoded.slice(colon + 1);
  }
  return undefined;
}

/** Browsers prompt for Basic credentials on the dashboard's pages; API clients get Bearer. */
function challenge(access: "read" | "write", path: string): string {
  return access === "read" && !path.startsWith("/api/")
    ? 'Basic realm="Bosun", charset="UTF-8"'
    : 'Bearer realm="Bosun"';
}

function refuse(reply: FastifyReply, status: 401 | 403, error: string, authenticate?: string) {
  if (authenticate) reply.header("www-authenticate", authenticate);
  // "refused": the CLI exits 1 with the message; there is no credentials code in ERROR_CODES.
  return reply.code(status).send({ error, code: "refused" });
}
