import { type GitHubClient, type PendingValidator, validatorOf } from "./client.js";

export interface Page<T> {
  /** 1-based page number this response is. */
  page: number;
  /** The last page number, from the `Link` header, when GitHub gave one. */
  lastPage?: number;
  items: T[];
  /** GitHub answered 304: nothing changed since the stored ETag; `items` is empty. */
  notModified: boolean;
  /**
   * The page's validator, not yet stored: the caller stores it once the page's items, and all a
   * later 304 for this URL would stand for, are in the store.
   */
  validator?: PendingValidator;
}

/**
 * Walks a list endpoint page by page, following `Link: rel="next"`, starting at `params.page`.
 * Unlike `octokit.paginate` it surfaces 304 answers and page numbers, which resumable sync needs.
 */
export async function* pages<T>(
  client: GitHubClient,
  route: string,
  params: Record<string, string | number | undefined>,
  /** Aborted: no further page is requested (the caller resumes from its cursor later). */
  signal?: AbortSignal,
  /** `conditional: false`: no validators sent or returned, so every page carries its items. */
  options: { conditional?: boolean } = {},
): AsyncGenerator<Page<T>> {
  const request = options.conditional === false ? { request: { conditional: false } } : {};
  let page = Number(params.page ?? 1);
  let url: string | undefined;
  for (;;) {
    signal?.throwIfAborted();
    const response = url
      ? await client.request(`GET ${url}`, request)
      : await client.request(route, { per_page: 100, ...stripUndefined(params), page, ...request });
    if ((response as { notModified?: boolean }).notModified || response.status === 304) {
      yield { page, items: [], notModified: true };
      return;
    }
    const link = parseLink(response.headers.link);
    const items = Array.isArray(response.data) ? (response.data as T[]) : [];
    yield {
      page,
      lastPage: link.last ? pageOf(link.last) : link.next ? undefined : page,
      items,
      notModified: false,
      validator: validatorOf(response),
    };
    if (!link.next) return;
    url = link.next;
    page = pageOf(link.next) ?? page + 1;
  }
}

function stripUndefined(params: Record<string, string | number | undefined>) {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
}

export function parseLink(header: string | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  for (const part of (header ?? "").split(",")) {
    const m = /<([^>]+)>\s*;\s*rel="([^"]+)"/.exec(part);
    if (m) links[m[2]!] = m[1]!;
  }
  return links;
}

export function pageOf(url: string): number | undefined {
  const page = new URL(url, "http://x").searchParams.get("page");
  return page === null ? undefined : Number(page);
}
