// A plain plop user gets the same files: node-plop runs our generators through the plopfile
// adapter, and what it writes matches what create-release renders for the same project.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
});
