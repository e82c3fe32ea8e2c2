// What the image index is asked, and what of its answers is believed: the fake index (a real
// HTTP server on 127.0.0.1) filters as Bob does but forgives a misspelled filter, so these pin
// the requests themselves and the rows the lookup accepts.
import { afterEach, describe, expect, it } from 'vitest';
import { choose, startFakeIndex, type FakeIndex } from './fake-index.js';

const open: FakeIndex[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function index(opts: Parameters<typeof startFakeIndex>[0]) {
  const server = await startFakeIndex(opts);
  open.push(server);
  return server;
}


const TAG = '1.18.4-erlang-27.3.4-debian-trixie-20260610-slim';
const queries = (server: FakeIndex) => server.requests.map((r) => decodeURIComponent(r.search)).sort();

describe('the queries', () => {
  it('asks each step of the search order once, per codename, with the filters Bob reads', async () => {
    const server = await index({ tags: [] });
    await choose(server.url);
    const structured = (os: string, elixir: string, erlang: string) =>
      `?repo=hexpm/elixir&os=debian&os_version=${os}-&elixir_version=${elixir}&erlang_version=${erlang}`;
    const expected: string[] = [];
    for (const os of ['bookworm', 'trixie']) {
      // Exact elixir, then its minor line, then every minor line the requirement allows
      // ("1.18." so the line 1.18 does not take in 1.180), at OTP 27.3 and then 27.
      for (const elixir of ['1.17.', '1.18.', '1.18.4', '1.19.']) expected.push(structured(os, elixir, '27'), structured(os, elixir, '27.3'));
    }
    expected.push('?repo=hexpm/elixir&tag=1.18.4-erlang-27.3.4-debian-bookworm-', '?repo=hexpm/elixir&tag=1.18.4-erlang-27.3.4-debian-trixie-');
    expect(queries(server)).toEqual(expected.sort());
  });

  it('a wanted line (Elixir 1.18, OTP 27) is asked as prefixes', async () => {
    const server = await index({ tags: [] });
    await choose(server.url, { elixir: { version: '1.18', source: '--elixir' }, otp: { version: '27', source: '--otp' } });
    expect(queries(server)).toContain('?repo=hexpm/elixir&os=debian&os_version=trixie-&elixir_version=1.18.&erlang_version=27');
    expect(queries(server).some((q) => q.includes('tag='))).toBe(false);
  });

  it('says who asks and that it wants JSON', async () => {
    const server = await index({ tags: [{ tag: TAG }] });
    await choose(server.url);
    expect(server.headers[0]).toMatchObject({ accept: 'application/json', 'user-agent': 'create-release' });
  });

  it('a base URL with a trailing slash still reaches /api/docker', async () => {
    const server = await index({ tags: [{ tag: TAG }] });
    const choice = await choose(`${server.url}/`);
    expect(choice.source).toBe('index');
    expect(server.requests[0]!.pathname).toBe('/api/docker');
  });

  it('stops paging after 20 pages of an index that never reaches its total', async () => {
    const row = { repo: 'hexpm/elixir', tag: '1.15.0-erlang-26.0-debian-trixie-20240101-slim', archs: null, built_at: null };
    const server = await index({ body: { tags: [row], total: 1_000_000, offset: 0, page_size: 1 } });
    await choose(server.url, { timeoutMs: 20_000, requestTimeoutMs: 5000 });
    const first = server.requests.filter((r) => r.searchParams.get('tag') === '1.18.4-erlang-27.3.4-debian-trixie-');
    expect(first.map((r) => r.searchParams.get('offset'))).toEqual([null, ...Array.from({ length: 19 }, (_, i) => String(i + 1))]);
  });
});

describe('the per-request bound', () => {
  it('a request slower than requestTimeoutMs is given up even when the whole lookup has longer', async () => {
    // Every answer comes after 150 ms: within the lookup's 10 s, but not within 100 ms.
    const server = await index({ mode: 'slow-empty' });
    const choice = await choose(server.url, { timeoutMs: 10_000, requestTimeoutMs: 100 });
    expect(choice.source).toBe('catalog');
    expect(choice.warnings.at(-1)).toMatch(/\(it did not answer in time\)/);
  });
});

describe('rows of the wrong shape', () => {
  const good = { repo: 'hexpm/elixir', tag: TAG, archs: ['amd64', 'arm64'], built_at: '2026-06-10T00:00:00Z' };
  const rows: Array<[string, unknown]> = [
    ['null', null],
    ['a string', TAG],
    ['no repo', { ...good, repo: undefined }],
    ['a numeric repo', { ...good, repo: 1 }],
    ['a numeric tag', { ...good, tag: 1 }],
    ['archs as a string', { ...good, archs: 'amd64' }],
    ['archs of numbers', { ...good, archs: [64] }],
    ['no archs', { ...good, archs: undefined }],
    ['a numeric built_at', { ...good, built_at: 20260610 }],
    ['no built_at', { ...good, built_at: undefined }],
  ];

  it.each(rows)('%s: the index is not used, and the warning says why', async (_name, row) => {
    const server = await index({ body: { tags: [good, row], total: 2, offset: 0, page_size: 100 } });
    const choice = await choose(server.url);
    expect(choice.source).toBe('catalog');
    expect(choice.warnings.at(-1)).toContain('(it answered JSON of an unexpected shape)');
  });

  it.each([
    ['null', null],
    ['no tags list', { tags: 'none', total: 0 }],
    ['a total that is no whole number', { tags: [], total: '1' }],
  ])('a page that is %s is not used either', async (_name, body) => {
    const server = await index({ body });
    const choice = await choose(server.url);
    expect(choice.source).toBe('catalog');
    expect(choice.warnings.at(-1)).toContain('(it answered JSON of an unexpected shape)');
  });

  it('a row with null archs and built_at is a tag like any other', async () => {
    const server = await index({ body: { tags: [{ ...good, archs: null, built_at: null }], total: 1, offset: 0, page_size: 100 } });
    const choice = await choose(server.url);
    expect(choice).toMatchObject({ source: 'index', builder: `hexpm/elixir:${TAG}` });
  });

  it("a row of another repository's images is not taken", async () => {
    const server = await index({ body: { tags: [{ ...good, repo: 'hexpm/erlang' }], total: 1, offset: 0, page_size: 100 } });
    const choice = await choose(server.url);
    expect(choice.source).toBe('catalog');
    expect(choice.warnings.at(-1)).toMatch(/has no fitting image/);
  });
});
