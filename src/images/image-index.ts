// The online image index (Bob's `GET /api/docker`), asked only when the run may use the network.
// Loaded with a dynamic import so --offline runs never load it. Every request is bounded, and
// so is the whole lookup: the caller passes the lookup's deadline as `signal`.
// Any failure (unreachable, slow, HTTP error, non-JSON, wrong shape) becomes IndexUnavailableError,
// which the caller answers by using the bundled catalog.
import type { FindTags, TagQuery } from './search.js';
import { parseTag, type ImageTag } from './tags.js';
import { lineText } from './version.js';

export interface IndexOptions {
  /** Base URL, e.g. `https://bob.hex.pm`. */
  bobUrl: string;
  env: Record<string, string | undefined>;
  requestTimeoutMs: number;
  /** Aborts everything when the whole lookup runs out of time. */
  signal: AbortSignal;
}

export interface ImageIndex {
  find: FindTags;
  close(): Promise<void>;
}

export class IndexUnavailableError extends Error {
  override name = 'IndexUnavailableError';
}

// A page holds 100 tags; a query narrow enough to be useful fits in a few. Past this, keep
// what was read (each tag is still a real, verified one) rather than page on forever.
const MAX_PAGES = 20;

export async function openImageIndex(opts: IndexOptions): Promise<ImageIndex> {
  const http = await loadFetch(opts.env);
  const base = opts.bobUrl.replace(/\/+$/, '');
  // Requests run in parallel; once the search is settled (or has failed) close() ends the rest.
  const done = new AbortController();
  const signal = AbortSignal.any([opts.signal, done.signal]);
  const find: FindTags = async (query) => {
    const found: ImageTag[] = [];
    let offset = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const params = queryParams(query);
      if (offset > 0) params.set('offset', String(offset));
      const body = readPage(await getJson(http.fetch, `${base}/api/docker?${params}`, { ...opts, signal }));
      for (const row of body.tags) {
        const tag = row.repo === 'hexpm/elixir' ? parseTag(row.tag, row.archs, row.built_at) : null;
        if (tag) found.push(tag);
      }
      offset += body.tags.length;
      if (body.tags.length === 0 || offset >= body.total) break;
    }
    return found;
  };
  return {
    find,
    close: async () => {
      done.abort();
      await http.close();
    },
  };
}

/** The narrowest query Bob understands for `query`; the filters match by prefix. */
export function queryParams(query: TagQuery): URLSearchParams {
  const params = new URLSearchParams({ repo: 'hexpm/elixir' });
  if (query.elixir.exact && query.otp.exact) {
    params.set('tag', `${lineText(query.elixir)}-erlang-${lineText(query.otp)}-debian-${query.codename}-`);
    return params;
  }
  params.set('os', 'debian');
  params.set('os_version', `${query.codename}-`);
  // `1.18.` so the line 1.18 does not also pull in 1.180; OTP `27.3` must still find `27.3` itself.
  if (query.elixir.parts.length > 0) params.set('elixir_version', query.elixir.exact ? lineText(query.elixir) : `${lineText(query.elixir)}.`);
  params.set('erlang_version', lineText(query.otp));
  return params;
}

interface Row {
  repo: string;
  tag: string;
  archs: string[] | null;
  built_at: string | null;
}

/** Checks the page's shape; anything else means the index is not answering sensibly. */
function readPage(body: unknown): { tags: Row[]; total: number } {
  const page = body as { tags?: unknown; total?: unknown } | null;
  if (typeof page !== 'object' || page === null || !Array.isArray(page.tags) || !Number.isInteger(page.total)) {
    throw new IndexUnavailableError('it answered JSON of an unexpected shape');
  }
  for (const row of page.tags as Array<Partial<Row> | null>) {
    const ok =
      typeof row === 'object' &&
      row !== null &&
      typeof row.repo === 'string' &&
      typeof row.tag === 'string' &&
      (row.archs === null || (Array.isArray(row.archs) && row.archs.every((a) => typeof a === 'string'))) &&
      (row.built_at === null || typeof row.built_at === 'string');
    if (!ok) throw new IndexUnavailableError('it answered JSON of an unexpected shape');
  }
  return { tags: page.tags as Row[], total: page.total as number };
}

type Fetcher = (url: string, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<Response>;

async function getJson(fetcher: Fetcher, url: string, opts: IndexOptions): Promise<unknown> {
  const signal = AbortSignal.any([opts.signal, AbortSignal.timeout(opts.requestTimeoutMs)]);
  let text: string;
  try {
    const res = await fetcher(url, { signal, headers: { accept: 'application/json', 'user-agent': 'create-release' } });
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new IndexUnavailableError(`it answered HTTP ${res.status}`);
    }
    text = await res.text();
  } catch (error) {
    if (error instanceof IndexUnavailableError) throw error;
    throw new IndexUnavailableError(describeFailure(error, signal), { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new IndexUnavailableError('it answered something that is not JSON');
  }
}

function describeFailure(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'it did not answer in time';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (error as Error).message;
  return `it could not be reached (${detail})`;
}

interface Http {
  fetch: Fetcher;
  close(): Promise<void>;
}

/**
 * Node 20's global fetch ignores HTTP(S)_PROXY; undici's EnvHttpProxyAgent honours them and
 * NO_PROXY. It is loaded only when a proxy is set, so the common run pays nothing for it.
 */
export async function loadFetch(env: Record<string, string | undefined>): Promise<Http> {
  const pick = (...names: string[]) => names.map((n) => env[n]).find((v) => v !== undefined && v !== '') ?? '';
  const httpProxy = pick('http_proxy', 'HTTP_PROXY');
  const httpsProxy = pick('https_proxy', 'HTTPS_PROXY');
  if (!httpProxy && !httpsProxy) {
    return { fetch: (url, init) => globalThis.fetch(url, init), close: async () => {} };
  }
  const undici = await import('undici');
  // Values are passed explicitly (empty = none) so undici never reads process.env behind our back.
  // proxyTunnel: false sends plain-http requests to the proxy as absolute URLs, as curl does;
  // https always tunnels with CONNECT.
  const agent = new undici.EnvHttpProxyAgent({ httpProxy, httpsProxy, noProxy: pick('no_proxy', 'NO_PROXY'), proxyTunnel: false });
  return {
    fetch: (url, init) => undici.fetch(url, { ...init, dispatcher: agent }) as unknown as Promise<Response>,
    close: () => agent.destroy(),
  };
}
