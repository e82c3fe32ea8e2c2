// A plain plop user gets the same files: node-plop runs our generators through the plopfile
// adapter, and what it writes matches what create-release renders for the same project.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodePlop from 'node-plop';
import { afterAll, describe, expect, it } from 'vitest';
import plopfile from '../../generators/plopfile.js';
import { fixture } from '../plan/fixtures.js';
import { renderFixture, scratchDir } from './helpers.js';

const scratch = scratchDir('plop');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function runPlop(generator: string, answers: Record<string, unknown>, project: string) {
  const plop = await nodePlop(undefined, { destBasePath: project, force: false });
  plopfile(plop);
  const result = await plop.getGenerator(generator).runActions(answers);
  expect(result.failures).toEqual([]);
  return result.changes.map((c) => c.path);
}

describe('generators/plopfile', () => {
  it('registers the release and docker generators with the prompts they declare', async () => {
    const plop = await nodePlop(undefined, { destBasePath: scratch, force: false });
    plopfile(plop);
    expect(plop.getGeneratorList().map((g) => g.name)).toEqual(['release', 'docker']);
    const names = (g: string) => (plop.getGenerator(g).prompts as Array<{ name: string }>).map((p) => p.name);
    expect(names('release')).toContain('ecto');
    expect(names('docker')).not.toContain('ecto');
  });

  it('writes what create-release writes, with modes and line endings', async () => {
    const project = path.join(scratch, 'my_app');
    mkdirSync(path.join(project, 'config'), { recursive: true });
    for (const file of ['mix.exs', 'mix.lock', 'config/config.exs', 'config/prod.exs', 'config/runtime.exs']) {
      writeFileSync(path.join(project, file), '');
    }
    mkdirSync(path.join(project, 'priv'));
    const base = { app: 'my_app', release: 'my_app', namespace: 'MyApp', phoenix: true };
    await runPlop('release', { ...base, ecto: true }, project);
    await runPlop('docker', { ...base, elixir: '1.17.3', otp: '26.2.5.6', debian: 'bookworm-20241016' }, project);

    // The same project as create-release sees it, with the images typed in by hand.
    const f = fixture('phoenix-no-ecto');
    const ours = await renderFixture({
      ...f,
      answers: { ...f.answers, ecto: true },
      layout: { ...f.layout, mixLock: true, priv: true },
      image: { ...f.image!, source: 'given' },
    });
    for (const file of ours) {
      const written = path.join(project, file.path);
      expect(readFileSync(written, 'utf8'), file.path).toBe(file.content);
      expect(statSync(written).mode & 0o111, file.path).toBe(file.mode & 0o111);
    }
  });

  describe('the questions plop asks in place of reading the project', () => {
    type Question = { name: string; default?: unknown; validate?: (v: string) => boolean | string };
    async function questions(dest: string): Promise<Record<string, Question>> {
      const plop = await nodePlop(undefined, { destBasePath: dest, force: false });
      plopfile(plop);
      return Object.fromEntries((plop.getGenerator('docker').prompts as Question[]).map((q) => [q.name, q]));
    }

    it('the app name: from the folder, made an atom; refused unless it is one', async () => {
      const q = await questions(path.join(scratch, 'My-Shop.v2'));
      expect(q.app!.default).toBe('my_shop_v2');
      expect(q.app!.validate!('my_shop2')).toBe(true);
      for (const bad of ['MyShop', '2shop', 'my-shop', '']) {
        expect(q.app!.validate!(bad), bad).toBe('Use a lowercase letter, then lowercase letters, digits or _');
      }
    });

    it('the release defaults to the app, the namespace to its camelized name; Phoenix is assumed', async () => {
      const q = await questions(scratch);
      expect((q.release!.default as (a: object) => unknown)({ app: 'my_shop' })).toBe('my_shop');
      expect((q.namespace!.default as (a: object) => unknown)({ app: 'my_shop' })).toBe('MyShop');
      expect(q.phoenix!.default).toBe(true);
    });

    it('the image: versions are required, the Debian snapshot is <codename>-<date>', async () => {
      const q = await questions(scratch);
      for (const name of ['elixir', 'otp']) {
        expect(q[name]!.validate!('1.18.3')).toBe(true);
        expect(q[name]!.validate!('  '), name).toBe('Required');
      }
      expect(q.debian!.validate!('trixie-20250908')).toBe(true);
      for (const bad of ['trixie', 'trixie-2025090', '20250908', 'Trixie-20250908']) {
        expect(q.debian!.validate!(bad), bad).toBe('Write it as <codename>-<YYYYMMDD>');
      }
    });
  });

  it('a plain Mix app without Ecto: no PHX_SERVER, no migrate script; the image from trimmed answers', async () => {
    const project = path.join(scratch, 'worker');
    mkdirSync(path.join(project, 'config'), { recursive: true });
    writeFileSync(path.join(project, 'mix.exs'), '');
    const base = { app: 'worker', release: 'jobs', namespace: 'Worker', phoenix: false };
    const written = await runPlop('release', { ...base, ecto: false }, project);
    expect(written.map((p) => p.replace(/^.*(?=rel\/)/, '')).sort()).toEqual(['rel/overlays/bin/server', 'rel/overlays/bin/server.bat']);
    expect(readFileSync(path.join(project, 'rel/overlays/bin/server'), 'utf8')).not.toContain('PHX_SERVER');
    expect(readFileSync(path.join(project, 'rel/overlays/bin/server'), 'utf8')).toContain('exec ./jobs start');
    expect(readFileSync(path.join(project, 'rel/overlays/bin/server.bat'), 'utf8')).toMatch(/\r\n/);

    await runPlop('docker', { ...base, elixir: ' 1.18.3 ', otp: ' 27.3.4 ', debian: 'trixie-20250908' }, project);
    const dockerfile = readFileSync(path.join(project, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('hexpm/elixir:1.18.3-erlang-27.3.4-debian-trixie-20250908-slim');
    expect(dockerfile).toContain('debian:trixie-20250908-slim');
    expect(dockerfile).toMatch(/^COPY --from=builder .*\/rel\/jobs \.\/$/m);
    expect(dockerfile).toContain('CMD ["/app/bin/jobs", "start"]');
    expect(existsSync(path.join(project, 'rel/overlays/bin/migrate'))).toBe(false);
  });
});
