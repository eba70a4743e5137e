import type { FastifyReply, FastifyRequest } from "fastify";
import { validationFailed } from "./errors.js";

export interface Page<T> {
  items: T[];
  page: number;
  perPage: number;
  lastPage: number;
}

/** Reads per_page (default 30, at most 100) and page (default 1), GitHub's way. */
export function pageParams(query: Record<string, unknown>): { page: number; perPage: number } {
  const perPage = Math.min(100, Math.max(1, Number(query.per_page ?? 30) || 30));
  const page = Math.max(1, Math.floor(Number(query.page ?? 1) || 1));
  return { page, perPage };
}

export function paginate<T>(all: readonly T[], query: Record<string, unknown>): Page<T> {
  const { page, perPage } = pageParams(query);
  const start = (page - 1) * perPage;
  return {
    items: all.slice(start, start + perPage),
    page,
    perPage,
    lastPage: Math.max(1, Math.ceil(all.length / perPage)),
  };
}

/** Sets GitHub's Link header (rel next/last/first/prev) for a page of results. */
export function setLink(
  request: FastifyRequest,
  reply: FastifyReply,
  base: string,
  page: { page: number; perPage: number; lastPage: number },
): void {
  const url = new URL(request.url, base);
  const link = (n: number, rel: string) => {
    url.searchParams.set("per_page", String(page.perPage));
    url.searchParams.set("page", String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const parts: string[] = [];
  if (page.page > 1) parts.push(link(page.page - 1, "prev"));
  if (page.page < page.lastPage) parts.push(link(page.page + 1, "next"));
  if (page.page < page.lastPage) parts.push(link(page.lastPage, "last"));
  if (page.page > 1) parts.push(link(1, "first"));
  if (parts.length > 0) reply.header("link", parts.join(", "));
}

/** Parses an ISO 8601 `since`; GitHub answers 422 for a malformed one. */
export function sinceParam(query: Record<string, unknown>): number | undefined {
  if (query.since === undefined) return undefined;
  const ms = Date.parse(String(query.since));
  if (Number.isNaN(ms)) {
    throw validationFailed({
      resource: "Search",
      field: "since",
      code: "invalid",
      value: query.since,
    });
  }
  return ms;
}
