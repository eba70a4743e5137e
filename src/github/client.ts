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
}

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
    // 5xx and timeouts are retried with growing pauses; 403/429 belong to the throttling plugin.
    retry: {
      doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451],
      retries: options.serverErrorRetries ?? 4,
      retryAfterBaseValue: options.retryAfterBaseMs ?? 1000,
    },
    throttle: {
      // A private limiter per client: Octokit's default groups are process-wide singletons.
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeSpacingMs ?? 1000 }),
      retryAfterBaseValue: options.retryAfterBaseMs ?? 1000,
      onRateLimit: waitOrGiveUp("rate limit reached"),
      onSecondaryRateLimit: waitOrGiveUp("secondary rate limit"),
    },
  });
  if (options.etags) installConditionalRequests(octokit, options.etags);
  return octokit;
}

/**
 * Adds `If-None-Match` to GETs whose validator we stored, and turns GitHub's 304 (which Octokit
 * raises as an error) into a response marked `notModified`, so callers can skip the page.
 */
function installConditionalRequests(octokit: GitHubClient, etags: EtagCache): void {
  octokit.hook.wrap("request", async (request, options) => {
    if (options.method !== "GET") return request(options);
    const key = octokit.request.endpoint.parse(options).url;
    const cached = await etags.get(key);
    // Inner hooks were bound to this same options object: change it in place, not a copy.
    if (cached?.etag) options.headers["if-none-match"] = cached.etag;
    else if (cached?.lastModified) options.headers["if-modified-since"] = cached.lastModified;
    try {
      const response = await request(options);
      const etag = response.headers.etag ?? null;
      const lastModified = response.headers["last-modified"] ?? null;
      if (etag || lastModified) await etags.set(key, { etag, lastModified });
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
