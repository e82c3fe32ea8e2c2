// chooseImage against a real HTTP server on 127.0.0.1 standing in for Bob's image index.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChooseImageInput } from '../../src/images/index.js';
import { choose, closedPort, startFakeIndex, type FakeIndex, type FakeMode, type FakeTag } from './fake-index.js';
import { startFakeProxy, type FakeProxy } from './fake-proxy.js';

const open: Array<FakeIndex | FakeProxy> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function index(tags: Array<string | FakeTag>, opts: { pageSize?: number; mode?: FakeMode } = {}) {
  const server = await startFakeIndex({ ...opts, tags: tags.map((t) => (typeof t === 'string' ? { tag: t } : t)) });
  open.push(server);
  return server;
}

async function proxy() {
  const server = await startFakeProxy();
  open.push(server);
  return server;
}


const slim = (elixir: string, otp: string, codename = 'trixie', date = '20260610') =>
  `${elixir}-erlang-${otp}-debian-${codename}-${date}-slim`;

// For 1.18.4 / 27.3.4, the first tag each step of the search order can find. Each would beat
// the one before it if the steps were merged or reordered (newer elixir or otp), so only the
// order decides.
const STEP_TAGS = [
  slim('1.18.4', '27.3.4'), // exact
  slim('1.18.4', '27.3.5'), // exact elixir, otp 27.3
  slim('1.18.5', '27.3.1'), // elixir 1.18, otp 27.3
  slim('1.19.1', '27.3.2'), // any elixir, otp 27.3
  slim('1.18.4', '27.2.1'), // exact elixir, otp 27
  slim('1.18.6', '27.1'), // elixir 1.18, otp 27
  slim('1.19.2', '27.0'), // any elixir, otp 27
];

// Tags that would win some step if the search ignored codename, slim, the requirement,
// pre-releases or the OTP line.
const DISTRACTORS = [
  slim('1.18.4', '27.3.4', 'bullseye'),
  slim('1.18.4', '27.3.4').replace(/-slim$/, ''),
  '1.18.4-erlang-27.3.4-ubuntu-noble-20260610',
  slim('1.20.1', '27.3.9'),
  slim('1.18.7-rc.0', '27.3.4'),
  slim('1.18.4', '26.2.5'),
];

describe('chooseImage with the online index', () => {
  it('takes the exact tag, verified online, with no warning', async () => {
    const server = await index([...STEP_TAGS, ...DISTRACTORS]);
    const choice = await choose(server.url);
    expect(choice).toMatchObject({
      builder: `hexpm/elixir:${STEP_TAGS[0]}`,
      runner: 'debian:trixie-20260610-slim',
      elixir: '1.18.4',
      otp: '27.3.4',
      codename: 'trixie',
      date: '20260610',
      source: 'index',
      asOf: null,
    });
    expect(choice.warnings).toEqual([]);
    expect(choice.notes.join()).toContain('1.18.4 from --elixir');
    expect(server.requests[0]!.searchParams.get('tag')).toBe('1.18.4-erlang-27.3.4-debian-trixie-');
    expect(server.requests[0]!.searchParams.get('repo')).toBe('hexpm/elixir');
  });

  for (const [i, expected] of STEP_TAGS.entries()) {
    if (i === 0) continue;
    it(`reaches fallback step ${i + 1} when the earlier steps have nothing`, async () => {
      const server = await index([...STEP_TAGS.slice(i), ...DISTRACTORS]);
      const choice = await choose(server.url);
      expect(choice.builder).toBe(`hexpm/elixir:${expected}`);
      expect(choice.source).toBe('index');
      expect(choice.warnings).toEqual([
        `Docker image for Elixir 1.18.4 / OTP 27.3.4 not found, using hexpm/elixir:${expected}.`,
      ]);
    });
  }

  it('prefers the wanted versions on bookworm to a fallback on trixie', async () => {
    const server = await index([slim('1.18.4', '27.3.4', 'bookworm', '20260501'), STEP_TAGS[1]!]);
    const choice = await choose(server.url);
    expect(choice.builder).toBe(`hexpm/elixir:${slim('1.18.4', '27.3.4', 'bookworm', '20260501')}`);
    expect(choice.runner).toBe('debian:bookworm-20260501-slim');
    expect(choice.warnings).toEqual(['No Debian trixie image for Elixir 1.18.4 / OTP 27.3.4; using bookworm.']);
  });

  it('follows pages until total and finds a tag on the last page', async () => {
    const dates = ['20260101', '20260102', '20260103', '20260104', '20260105'];
    // Listed newest date last, so the index (sorted by build time) serves it on the last page.
    const server = await index(dates.map((d) => slim('1.18.4', '27.3.4', 'trixie', d)), { pageSize: 2 });
    const choice = await choose(server.url);
    expect(choice.date).toBe('20260105');
    const trixie = server.requests.filter((r) => r.searchParams.get('tag')?.endsWith('-trixie-'));
    expect(trixie.map((r) => r.searchParams.get('offset'))).toEqual([null, '2', '4']);
  });

  it('stops paging when the index keeps answering empty pages', async () => {
    const server = await index([], { mode: 'empty-pages' });
    const choice = await choose(server.url);
    expect(choice.source).toBe('catalog');
    // Each query stopped at its first, empty page instead of asking again towards the claimed total.
    const asked = server.requests.map((r) => r.search);
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked).size).toBe(asked.length);
    expect(choice.warnings.at(-1)).toMatch(/image index at .* has no fitting image; .* bundled catalog/);
  });

  it('prefers a tag built for amd64 and arm64 over a newer single-arch one', async () => {
    const server = await index([
      { tag: slim('1.18.4', '27.3.4', 'trixie', '20260610'), archs: ['amd64'] },
      { tag: slim('1.18.4', '27.3.4', 'trixie', '20260501'), archs: ['arm64', 'amd64'] },
      { tag: slim('1.18.4', '27.3.4', 'trixie', '20260701'), archs: null },
    ]);
    expect((await choose(server.url)).date).toBe('20260501');

    const fallback = await index([
      { tag: slim('1.18.3', '27.3.1'), archs: ['amd64'] },
      { tag: slim('1.18.2', '27.3.1'), archs: ['amd64', 'arm64'] },
    ]);
    expect((await choose(fallback.url)).elixir).toBe('1.18.2');
  });
});

describe('chooseImage when the index fails', () => {
  async function expectCatalogFallback(bobUrl: string, reason: RegExp, over: Partial<ChooseImageInput> = {}) {
    const offline = await choose('http://unused.invalid', { offline: true });
    const choice = await choose(bobUrl, over);
    expect(choice.source).toBe('catalog');
    expect(choice.asOf).toMatch(/^\d{4}-\d{2}/);
    expect(choice.builder).toBe(offline.builder);
    expect(choice.warnings.at(-1)).toMatch(reason);
    expect(choice.warnings.at(-1)).toContain('not verified online');
    return choice;
  }

  it('falls back to the catalog on HTTP 500', async () => {
    const server = await index(STEP_TAGS, { mode: 'http500' });
    await expectCatalogFallback(server.url, /\(it answered HTTP 500\)/);
  });

  it('falls back to the catalog on malformed JSON', async () => {
    const server = await index(STEP_TAGS, { mode: 'not-json' });
    await expectCatalogFallback(server.url, /not JSON/);
  });

  it('falls back to the catalog on JSON of the wrong shape', async () => {
    const server = await index(STEP_TAGS, { mode: 'wrong-shape' });
    await expectCatalogFallback(server.url, /unexpected shape/);
  });

  it('falls back to the catalog when the connection is refused', async () => {
    await expectCatalogFallback(`http://127.0.0.1:${await closedPort()}`, /could not be reached \(ECONNREFUSED\)/);
  });

  it('gives up on an index that accepts and never answers, within the lookup bound', async () => {
    const server = await index(STEP_TAGS, { mode: 'hang' });
    await expectCatalogFallback(server.url, /did not answer in time/, { timeoutMs: 300 });
    expect(server.requests.length).toBeGreaterThan(0);
  });

  it('stops at once on Ctrl-C (the run signal) instead of falling back to the catalog', async () => {
    const server = await index(STEP_TAGS, { mode: 'hang' });
    const controller = new AbortController();
    const lookup = choose(server.url, { timeoutMs: 60_000, requestTimeoutMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(lookup).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests.length).toBeGreaterThan(0);
  });

  it('bounds the whole lookup, not only each request', async () => {
    // Every answer comes in time for its own request, but the search needs several rounds.
    const server = await index([], { mode: 'slow-empty' });
    await expectCatalogFallback(server.url, /did not answer in time/, { timeoutMs: 400, requestTimeoutMs: 10_000 });
  });

  it('sends no request at all when offline', async () => {
    const server = await index(STEP_TAGS);
    const choice = await choose(server.url, { offline: true });
    expect(server.requests).toHaveLength(0);
    expect(choice.source).toBe('catalog');
    expect(choice.warnings.at(-1)).toMatch(/^--offline: .* bundled catalog \(as of \d{4}-\d{2}\), not verified online/);
  });
});

describe('chooseImage through a proxy', () => {
  for (const name of ['HTTP_PROXY', 'http_proxy']) {
    it(`sends http requests through ${name}`, async () => {
      const server = await index([STEP_TAGS[0]!]);
      const fwd = await proxy();
      const choice = await choose(server.url, { env: { [name]: fwd.url } });
      expect(choice.source).toBe('index');
      expect(fwd.seen[0]).toMatch(new RegExp(`^GET ${server.url}/api/docker\\?`));
      expect(server.requests).toHaveLength(fwd.seen.length);
    });
  }

  it('tunnels https requests through HTTPS_PROXY', async () => {
    const fwd = await proxy();
    // The proxy refuses the tunnel, so nothing leaves the machine and the catalog answers.
    const choice = await choose('https://bob.example.test', { env: { HTTPS_PROXY: fwd.url } });
    expect(fwd.seen[0]).toBe('CONNECT bob.example.test:443');
    expect(choice.source).toBe('catalog');
    expect(choice.warnings.at(-1)).toContain('Could not use the image index at https://bob.example.test');
  });

  it('goes direct to hosts listed in NO_PROXY', async () => {
    const server = await index([STEP_TAGS[0]!]);
    const fwd = await proxy();
    const choice = await choose(server.url, { env: { HTTP_PROXY: fwd.url, NO_PROXY: 'localhost,127.0.0.1' } });
    expect(choice.source).toBe('index');
    expect(fwd.seen).toEqual([]);
    expect(server.requests.length).toBeGreaterThan(0);
  });

  it('leaves plain http alone when only HTTPS_PROXY is set', async () => {
    const server = await index([STEP_TAGS[0]!]);
    const fwd = await proxy();
    expect((await choose(server.url, { env: { HTTPS_PROXY: fwd.url } })).source).toBe('index');
    expect(fwd.seen).toEqual([]);
  });
});
