// The only place Bosun constructs Octokit: authentication, throttling, retries and
// conditional requests are decided here once, for every caller.
import { createAppAuth } from "@octokit/auth-app";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import Bottleneck from "bottleneck";

export const BosunOctokit = Octokit.plugin(throttling, retry);
export type GitHubClient = InstanceType<typeof BosunOctokit>;

export type GitHubAuth =
  | { kind: "token"; token: string }
  | { kind: "app"; appId: string; privateKey: string; installationId: number }
  | { kind: "none" };

/** Remembers validators of GET responses so unchanged pages answer 304 and cost no rate limit. */
export interface EtagCache {
  get(key: string): Promise<{ etag: string | null; lastModified: string | null } | undefined>;
  set(key: string, value: { etag: string | null; lastModified: string | null }): Promise<void>;
}

export interface ClientOptions {
  baseUrl?: string;
  auth: GitHubAuth;
  etags?: EtagCache;
  /** Milliseconds between content-creating requests; GitHub asks for at least 1000. */
  writeSpacingMs?: number;
  /** Scales every wait: GitHub's `retry-after` seconds and the 5xx back-off (1000 = real seconds); tests shrink it. */
  retryAfterBaseMs?: number;
  /** How many times a 5xx answer is retried (after 1, 4, 9, 16 × retryAfterBaseMs). */
  serverErrorRetries?: number;
  /** How many times a rate-limited request is retried before the caller sees the error. */
  rateLimitRetries?: number;
  log?: {
    debug(msg: string): void;
    info(msg: string): void;
    warn(msg: string): void;
    error(msg: string): void;
  };
  userAgent?: string;
  /**
   * How long one HTTP request may take before it is abandoned (then retried as a 5xx would be):
   * a GitHub address that accepts connections and never answers must not hold a sync forever.
   */
  requestTimeoutMs?: number;
  /** Once aborted (shutdown), requests in flight and those waiting to retry end at once, unretried. */
  signal?: AbortSignal;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Reads auth from the environment: GITHUB_TOKEN, or GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY(_FILE) + GITHUB_APP_INSTALLATION_ID. */
export function authFromEnv(
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => string,
): GitHubAuth {
  if (env.GITHUB_TOKEN) return { kind: "token", token: env.GITHUB_TOKEN };
  if (env.GITHUB_APP_ID) {
    const key =
      env.GITHUB_APP_PRIVATE_KEY ??
      (env.GITHUB_APP_PRIVATE_KEY_FILE ? readFile(env.GITHUB_APP_PRIVATE_KEY_FILE) : undefined);
    const installation = Number(env.GITHUB_APP_INSTALLATION_ID);
    if (!key)
      throw new Error(
        "GITHUB_APP_ID is set but neither GITHUB_APP_PRIVATE_KEY nor GITHUB_APP_PRIVATE_KEY_FILE is",
      );
    if (!Number.isInteger(installation) || installation <= 0) {
      throw new Error(
        `GITHUB_APP_INSTALLATION_ID must be the installation's numeric id, found ${JSON.stringify(env.GITHUB_APP_INSTALLATION_ID ?? "")}`,
      );
    }
    return {
      kind: "app",
      appId: env.GITHUB_APP_ID,
      privateKey: key.replace(/\\n/g, "\n"),
      installationId: installation,
    };
  }
  return { kind: "none" };
}

export function createClient(options: ClientOptions): GitHubClient {
  const retries = options.rateLimitRetries ?? 3;
  const log = options.log ?? quietLog;
  const auth =
    options.auth.kind === "token"
      ? { auth: options.auth.token }
      : options.auth.kind === "app"
        ? {
            authStrategy: createAppAuth,
            auth: {
              appId: options.auth.appId,
              privateKey: options.auth.privateKey,
              installationId: options.auth.installationId,
            },
          }
        : {};
  // Both limits: wait as GitHub says and retry, a bounded number of times, and say so.
  const waitOrGiveUp =
    (what: string) =>
    (retryAfter: number, opts: { method: string; url: string }, _o: unknown, count: number) => {
      const retry = count < retries;
      log.warn(
        `${what} on ${opts.method} ${opts.url}; ${retry ? `retrying in ${retryAfter}s` : "giving up"}`,
      );
      return retry;
    };
  const octokit = new BosunOctokit({
    ...auth,
    baseUrl: options.baseUrl ?? "https://api.github.com",
    userAgent: options.userAgent ?? "bosun",
    log,
    request: {
      fetch: timedFetch(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, options.signal),
    },
    // 5xx and timeouts are retried with growing pauses; 403/429 belong to the throttling plugin.
    retry: {
      doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451],
      retries: options.serverErrorRetries ?? 4,
      retryAfterBaseValue: options.retryAfterBaseMs ?? 1000,
    },
    throttle: {
      // A private limiter per client: Octokit's default groups are process-wide singletons.
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeSpacingMs ?? 1000 }),
      // Writes that notify people (comments, reviews, issues) three times as far apart, as
      // Octokit's own default (3 s after 1 s) and GitHub's content-creation limits ask.
      notifications: new Bottleneck.Group({
        maxConcurrent: 1,
        minTime: 3 * (options.writeSpacingMs ?? 1000),
      }),
      retryAfterBaseValue: options.retryAfterBaseMs ?? 1000,
      onRateLimit: waitOrGiveUp("rate limit reached"),
      onSecondaryRateLimit: waitOrGiveUp("secondary rate limit"),
    },
  });
  if (options.etags) installConditionalRequests(octokit, options.etags);
  if (options.signal) abandonOnAbort(octokit, options.signal);
  return octokit;
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason instanceof Error ? signal.reason.message : "aborted";
  // Named AbortError: Octokit passes it through as it is, and the retry plugin does not retry it.
  return new DOMException(`GitHub request abandoned: ${reason}`, "AbortError");
}

/** fetch with a deadline per request, also ended by `stop` (shutdown). */
function timedFetch(timeoutMs: number, stop: AbortSignal | undefined): typeof fetch {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new Error(
      `requestTimeoutMs must be a positive number of milliseconds, found ${timeoutMs}`,
    );
  return async (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signals = [timeout, ...(stop ? [stop] : []), ...(init?.signal ? [init.signal] : [])];
    try {
      return await fetch(input, { ...init, signal: AbortSignal.any(signals) });
    } catch (err) {
      if (stop?.aborted) throw abortError(stop);
      if (timeout.aborted) {
        const url =
          typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
        throw new Error(
          `GitHub did not answer ${init?.method ?? "GET"} ${url} within ${timeoutMs / 1000} s`,
        );
      }
      throw err;
    }
  };
}

/**
 * Outermost hook: the retry and throttling plugins wait between attempts (a secondary rate
 * limit's `retry-after: 120`, three times), and a shutdown must not wait with them.
 */
function abandonOnAbort(octokit: GitHubClient, signal: AbortSignal): void {
  octokit.hook.wrap("request", (request, options) => {
    if (signal.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(abortError(signal));
      signal.addEventListener("abort", onAbort, { once: true });
      Promise.resolve(request(options))
        .then(resolve, reject)
        .finally(() => signal.removeEventListener("abort", onAbort));
    });
  });
}

/**
 * A GET's validator, handed back with its response instead of being stored on arrival: stored
 * before the data it covers, a crash in between would leave a validator whose 304 hides data the
 * store never got (the first full sync once ended with 10,500 of 25,443 events that way).
 * The caller calls `store()` once the data the response carries, and everything a 304 would
 * stand for, is in the store.
 */
export interface PendingValidator {
  key: string;
  etag: string | null;
  lastModified: string | null;
  store(): Promise<void>;
}

/** Per-request choices, passed as `request: { conditional: false }`. */
export interface ConditionalRequestOptions {
  /** false: send no validator and hand none back (a walk that must see every page's items). */
  conditional?: boolean;
}

/** The validator the client handed back with `response`, if GitHub sent one. */
export function validatorOf(response: unknown): PendingValidator | undefined {
  return (response as { validator?: PendingValidator } | undefined)?.validator;
}

/**
 * Adds `If-None-Match` to GETs whose validator we stored, and turns GitHub's 304 (which Octokit
 * raises as an error) into a response marked `notModified`, so callers can skip the page. A 200's
 * validator is not stored here but returned with the response ({@link validatorOf}).
 */
function installConditionalRequests(octokit: GitHubClient, etags: EtagCache): void {
  octokit.hook.wrap("request", async (request, options) => {
    if (options.method !== "GET") return request(options);
    if ((options.request as ConditionalRequestOptions | undefined)?.conditional === false)
      return request(options);
    const key = octokit.request.endpoint.parse(options).url;
    const cached = await etags.get(key);
    // Inner hooks were bound to this same options object: change it in place, not a copy.
    if (cached?.etag) options.headers["if-none-match"] = cached.etag;
    else if (cached?.lastModified) options.headers["if-modified-since"] = cached.lastModified;
    try {
      const response = await request(options);
      const etag = response.headers.etag ?? null;
      const lastModified = response.headers["last-modified"] ?? null;
      if (etag || lastModified) {
        const validator: PendingValidator = {
          key,
          etag,
          lastModified,
          store: () => etags.set(key, { etag, lastModified }),
        };
        // Not enumerable: callers that spread or serialise the response see GitHub's fields only.
        Object.defineProperty(response, "validator", { value: validator, enumerable: false });
      }
      return response;
    } catch (err) {
      const e = err as {
        status?: number;
        response?: { headers: Record<string, string>; url: string };
      };
      if (e.status === 304 && e.response) {
        return {
          status: 304,
          url: e.response.url,
          headers: e.response.headers,
          data: undefined,
          notModified: true,
        } as never;
      }
      throw err;
    }
  });
}

const quietLog = { debug() {}, info() {}, warn() {}, error() {} };
