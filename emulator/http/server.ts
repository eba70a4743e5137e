import { createHash, randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Core } from "../core.js";
import type { RepoData } from "../state/model.js";
import { actorOf, tokenOf } from "./auth.js";
import { badJson, HttpError, notFound } from "./errors.js";
import type { FaultBoard } from "./faults.js";
import { paginate, setLink } from "./paging.js";
import type { RateLimiter } from "./ratelimit.js";

export interface ServerParts {
  core: Core;
  faults: FaultBoard;
  limiter: RateLimiter;
  /** Requests per "METHOD /route/template"; read by benchmarks through /_emulator/requests. */
  counters: Map<string, number>;
  defaultViewer: string;
  /** GitHub's deep-pagination limit on repository-wide lists, in pages; null serves every page. */
  paginationCap: { pages: number | null };
}

/** Helpers every route module uses. */
export interface Api {
  core: Core;
  parts: ServerParts;
  repoOf(request: FastifyRequest): RepoData;
  actor(request: FastifyRequest): string;
  body(request: FastifyRequest): Record<string, unknown>;
  /** Sends one page of `all`, rendered, with a Link header. */
  sendPage<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    all: readonly T[],
    render: (item: T) => unknown,
    options?: { repositoryWide?: boolean },
  ): unknown;
}

const DOCS = "https://docs.github.com/rest";

export function buildServer(parts: ServerParts): { app: FastifyInstance; api: Api } {
  const app = Fastify({
    logger: false,
    bodyLimit: 50 * 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2000 },
  } as never) as unknown as FastifyInstance;
  const { core } = parts;

  // GitHub accepts an empty body where JSON is optional and answers 400 for broken JSON.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(badJson(), undefined);
    }
  });

  app.addHook("onRequest", async (request, reply) => {
    if (request.url.startsWith("/_emulator")) return;
    const route = `${request.method} ${request.routeOptions.url ?? "(unknown)"}`;
    parts.counters.set(route, (parts.counters.get(route) ?? 0) + 1);
    const path = request.url.split("?")[0] ?? request.url;
    const window = parts.limiter.window(tokenOf(request));
    for (const fault of parts.faults.take(request.method, path)) {
      if (fault.kind === "slow") await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000));
      else if (fault.kind === "server-error") {
        const status = fault.status ?? 502;
        throw new HttpError(status, {
          message: status === 502 ? "Server Error" : "Service Unavailable",
          documentation_url: DOCS,
          status: String(status),
        });
      } else if (fault.kind === "primary-rate-limit") {
        throw primaryLimit(
          window.limit,
          window.used,
          Math.floor(Date.now() / 1000) + (fault.retryAfter ?? 60),
        );
      } else if (fault.kind === "secondary-rate-limit") {
        const status = fault.status ?? 403;
        throw new HttpError(
          status,
          {
            message:
              "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
            documentation_url:
              "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
            status: String(status),
          },
          { "retry-after": String(fault.retryAfter ?? 60) },
        );
      }
    }
    if (window.used >= window.limit && request.routeOptions.url !== "/rate_limit") {
      throw primaryLimit(window.limit, window.used, window.reset);
    }
    reply.header("x-github-request-id", randomUUID().toUpperCase().slice(0, 23));
  });

  // Conditional requests: a matching If-None-Match answers 304 and costs no rate limit.
  app.addHook("onSend", async (request, reply, payload) => {
    if (request.url.startsWith("/_emulator")) return payload;
    const token = tokenOf(request);
    let counted = true;
    if (request.method === "GET" && reply.statusCode === 200 && typeof payload === "string") {
      const etag = `W/"${createHash("sha1").update(payload).digest("hex")}"`;
      reply.header("etag", etag);
      const inm = request.headers["if-none-match"];
      if (
        inm
          ?.split(",")
          .map((t) => t.trim())
          .some((t) => t === etag || t === etag.slice(2) || t === "*")
      ) {
        reply.code(304);
        counted = false;
        payload = "";
      }
    }
    const isLimitAnswer = reply.statusCode === 403 || reply.statusCode === 429;
    const window =
      counted && !isLimitAnswer && request.routeOptions.url !== "/rate_limit"
        ? parts.limiter.count(token)
        : parts.limiter.window(token);
    if (!reply.hasHeader("x-ratelimit-limit")) {
      reply.header("x-ratelimit-limit", String(window.limit));
      reply.header("x-ratelimit-remaining", String(Math.max(0, window.limit - window.used)));
      reply.header("x-ratelimit-used", String(window.used));
      reply.header("x-ratelimit-reset", String(window.reset));
      reply.header("x-ratelimit-resource", "core");
    }
    reply.header("x-github-api-version-selected", "2022-11-28");
    return payload;
  });

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof HttpError) {
      reply.code(error.status).headers(error.headers).send(error.body);
      return;
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      reply.code(status).send({
        message: (error as Error).message,
        documentation_url: DOCS,
        status: String(status),
      });
      return;
    }
    // A bug in the emulator: answer like GitHub's 500 and keep serving.
    console.error("emulator: unhandled error", error);
    reply.code(500).send({ message: "Server Error", documentation_url: DOCS, status: "500" });
  });

  app.setNotFoundHandler((_request, reply) => {
    const error = notFound();
    reply.code(404).send(error.body);
  });

  const api: Api = {
    core,
    parts,
    repoOf(request) {
      const { owner, repo } = request.params as { owner: string; repo: string };
      const data = core.state.repo(owner, repo);
      if (!data) throw notFound();
      return data;
    },
    actor(request) {
      return actorOf(request, parts.defaultViewer);
    },
    body(request) {
      const body = request.body;
      if (body === undefined || body === null) return {};
      if (typeof body !== "object" || Array.isArray(body)) throw badJson();
      return body as Record<string, unknown>;
    },
    sendPage(request, reply, all, render, options) {
      const page = paginate(all, request.query as Record<string, unknown>);
      const cap = options?.repositoryWide ? parts.paginationCap.pages : null;
      if (cap !== null && page.page > cap) throw paginationLimited();
      // Past the cap GitHub's rel=last points at the deepest page it will serve.
      if (cap !== null) page.lastPage = Math.min(page.lastPage, cap);
      setLink(request, reply, core.render.base, page);
      return page.items.map(render);
    },
  };
  return { app, api };
}

function primaryLimit(limit: number, used: number, reset: number): HttpError {
  return new HttpError(
    403,
    {
      message:
        "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.",
      documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
      status: "403",
    },
    {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": "0",
      "x-ratelimit-used": String(used),
      "x-ratelimit-reset": String(reset),
      "x-ratelimit-resource": "core",
    },
  );
}

function paginationLimited(): HttpError {
  return new HttpError(422, {
    message:
      "In order to keep the API fast for everyone, pagination is limited for this resource. Check the rel=last link relation in the Link header to see how far back you can traverse.",
    documentation_url: "https://docs.github.com/v3/#pagination",
    status: "422",
  });
}
