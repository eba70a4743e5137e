import { Octokit } from "@octokit/rest";

export interface Exchange {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

/** Expected 4xx answers in tests need not be logged. */
export const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** An Octokit pointed at the emulator that records every exchange for contract checks. */
export function recordingOctokit(
  baseUrl: string,
  log: Exchange[],
  token = "emulator:sharon-fdm",
): Octokit {
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(
      typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
    );
    const text = await response.clone().text();
    log.push({
      method: (init?.method ?? "GET").toUpperCase(),
      path: url.pathname,
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
    });
    return response;
  };
  return new Octokit({ baseUrl, auth: token, request: { fetch: recordingFetch }, log: quiet });
}
