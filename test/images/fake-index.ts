// A stand-in for Bob's `GET /api/docker` on 127.0.0.1, filtering like the real one
// (hexpm/bob lib/bob/artifacts.ex): every filter is a prefix match, `tag` overrides the
// structured filters, rows sorted by built_at descending, paged by `offset`.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { chooseImage, type ChooseImageInput } from '../../src/images/index.js';

export interface FakeTag {
  tag: string;
  archs?: string[] | null;
  built_at?: string | null;
  repo?: string;
}

/** `ok` serves the tags; the others misbehave on every request (`slow-empty`: nothing, after 150 ms). */
export type FakeMode = 'ok' | 'http500' | 'not-json' | 'wrong-shape' | 'hang' | 'empty-pages' | 'slow-empty';

export interface FakeIndex {
  url: string;
  /** Every request the index received, as parsed URLs. */
  requests: URL[];
  /** The headers of each request, in the same order. */
  headers: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

const ELIXIR_TAG = /^(.+)-erlang-(.+)-(alpine|ubuntu|debian)-(.+)$/;

/** `body`: every /api/docker request gets this JSON as it is (rows of any shape, any total). */
export async function startFakeIndex(opts: { tags?: FakeTag[]; pageSize?: number; mode?: FakeMode; body?: unknown } = {}): Promise<FakeIndex> {
  const tags = (opts.tags ?? []).map((t, i) => ({
    repo: t.repo ?? 'hexpm/elixir',
    tag: t.tag,
    archs: t.archs === undefined ? ['amd64', 'arm64'] : t.archs,
    // Later entries count as built earlier, so the order of the list is the index's order.
    built_at: t.built_at === undefined ? new Date(Date.UTC(2026, 9, 1) - i * 3_600_000).toISOString() : t.built_at,
  }));
  const pageSize = opts.pageSize ?? 100;
  const mode = opts.mode ?? 'ok';
  const requests: URL[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake-index');
    requests.push(url);
    headers.push(req.headers);
    if (mode === 'hang') return; // accept, read, never answer
    if (url.pathname !== '/api/docker') return void res.writeHead(404).end();
    if (mode === 'http500') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
    if (opts.body !== undefined) return json(res, opts.body);
    if (mode === 'not-json') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"tags": [');
    if (mode === 'wrong-shape') return json(res, { results: [{ name: '1.18.4-erlang-27.3.4-debian-trixie-20260610-slim' }], count: 1 });
    const offset = Math.max(0, Number.parseInt(url.searchParams.get('offset') ?? '0', 10) || 0);
    if (mode === 'empty-pages') return json(res, { tags: [], total: 1_000_000, offset, page_size: pageSize });
    if (mode === 'slow-empty') return void setTimeout(() => json(res, { tags: [], total: 0, offset, page_size: pageSize }), 150);
    const matching = tags.filter((t) => matches(t, url.searchParams)).sort((a, b) => (b.built_at ?? '').localeCompare(a.built_at ?? ''));
    json(res, { tags: matching.slice(offset, offset + pageSize), total: matching.length, offset, page_size: pageSize });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    headers,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function matches(t: { repo: string; tag: string }, q: URLSearchParams): boolean {
  const prefix = (value: string | undefined, key: string) => !q.get(key) || (value ?? '').startsWith(q.get(key)!);
  if (!prefix(t.repo, 'repo') || !prefix(t.tag, 'tag')) return false;
  if (q.get('tag')) return true;
  const m = ELIXIR_TAG.exec(t.tag);
  const [elixir, erlang, os, osVersion] = m ? m.slice(1) : [];
  return (
    prefix(elixir, 'elixir_version') && prefix(erlang, 'erlang_version') && prefix(os, 'os') && prefix(osVersion, 'os_version')
  );
}

function json(res: http.ServerResponse, body: unknown) {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** chooseImage for Elixir 1.18.4 / OTP 27.3.4 (both from flags) against the index at `bobUrl`. */
export function choose(bobUrl: string, over: Partial<ChooseImageInput> = {}) {
  return chooseImage({
    elixir: { version: '1.18.4', source: '--elixir' },
    otp: { version: '27.3.4', source: '--otp' },
    elixirRequirement: '>= 1.17.0 and < 1.20.0',
    offline: false,
    bobUrl,
    env: {},
    ...over,
  });
}
