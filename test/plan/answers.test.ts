// Each answer from its flag, else a question (only with a prompter), else the detected default;
// and the command line that repeats an interactive run, quoted for a POSIX shell.
import { describe, expect, it } from 'vitest';
import { decideAnswers, equivalentCommand, type EarlyAnswers } from '../../src/answers.js';
import { decideTarget } from '../../src/target.js';
import { scriptedPrompter } from '../helpers/memory-io.js';
import { fixture } from './fixtures.js';

const withEcto = () => decideTarget(fixture('phoenix-ecto').facts, {}, undefined);
const withoutEcto = () => decideTarget(fixture('phoenix-no-ecto').facts, {}, undefined);

describe('decideAnswers', () => {
  it('no flags, no prompter: Ecto as detected, no Docker, no platform, edits only with --yes', async () => {
    const early: EarlyAnswers[] = [];
    const plan = async (e: EarlyAnswers) => (early.push(e), ['config/runtime.exs']);
    expect(await decideAnswers(await withEcto(), { yes: false }, undefined, plan)).toEqual({ release: 'my_app', ecto: true, docker: false, deploy: [], patchRuntime: false });
    expect(await decideAnswers(await withoutEcto(), { yes: true }, undefined, plan)).toMatchObject({ ecto: false, patchRuntime: true });
    expect(early).toEqual([
      { ecto: true, docker: false, deploy: [] },
      { ecto: false, docker: false, deploy: [] },
    ]);
  });

  it('asks each question in order, offering what was detected', async () => {
    const defaults: Array<[string, boolean]> = [];
    const prompter = scriptedPrompter({ confirm: (m, d) => (defaults.push([m, d]), d) });
    await decideAnswers(await withoutEcto(), { yes: false }, prompter, async () => ['config/runtime.exs']);
    expect(defaults).toEqual([
      ['Add database migration support (Ecto)?', false],
      ['Add a production Dockerfile and .dockerignore?', false],
      ['Edit config/runtime.exs (each edit keeps the rest of the file as it is)?', true],
    ]);
  });

  it('with Docker, asks for platforms, offering each by its name', async () => {
    let offered: string[] = [];
    const prompter = scriptedPrompter({ confirm: () => true, checkbox: (_m, values) => ((offered = values), ['compose']) });
    const answers = await decideAnswers(await withEcto(), { yes: false }, prompter, async () => []);
    expect(prompter.asked).toContain('Write deploy files for a platform? (space to pick, enter when done)');
    expect(offered).toEqual(['fly', 'kubernetes', 'compose']);
    expect(answers).toMatchObject({ docker: true, deploy: ['compose'] });
  });

  it('flags answer without a question; --deploy means Docker', async () => {
    const prompter = scriptedPrompter({});
    const answers = await decideAnswers(await withEcto(), { yes: false, ecto: false, deploy: ['fly'], patchRuntime: false }, prompter, async () => ['x']);
    expect(prompter.asked).toEqual([]);
    expect(answers).toMatchObject({ ecto: false, docker: true, deploy: ['fly'], patchRuntime: false });
    const noDocker = await decideAnswers(await withEcto(), { yes: false, docker: false }, prompter, async () => []);
    expect(noDocker).toMatchObject({ docker: false, deploy: [] });
    expect(prompter.asked).toEqual(['Add database migration support (Ecto)?']);
  });

  it('names every file it would edit, each once, and asks nothing when there is none', async () => {
    const prompter = scriptedPrompter({ confirm: () => false });
    await decideAnswers(await withEcto(), { yes: false }, prompter, async () => ['config/runtime.exs', 'lib/my_app_web/endpoint.ex', 'config/runtime.exs', '.gitignore']);
    expect(prompter.asked.at(-1)).toBe('Edit config/runtime.exs, lib/my_app_web/endpoint.ex and .gitignore (each edit keeps the rest of the file as it is)?');
    const none = scriptedPrompter({ confirm: () => false });
    expect((await decideAnswers(await withEcto(), { yes: true }, none, async () => [])).patchRuntime).toBe(true);
    expect(none.asked.some((q) => q.startsWith('Edit'))).toBe(false);
  });
});

describe('equivalentCommand', () => {
  const answers = { release: 'my_app', ecto: false, docker: true, deploy: [], patchRuntime: true };

  it('the directory, quoted for a shell when it needs it', async () => {
    const facts = fixture('phoenix-ecto').facts;
    expect(equivalentCommand({ dir: 'apps/my_app-2.0' }, answers, facts)).toBe('npx create-release apps/my_app-2.0 --no-ecto --docker --patch-runtime --yes');
    expect(equivalentCommand({ dir: "my app's" }, answers, facts)).toBe(`npx create-release 'my app'\\''s' --no-ecto --docker --patch-runtime --yes`);
  });

  it('each platform, the name on them (quoted), and the production flags before the edits', async () => {
    const facts = fixture('phoenix-ecto').facts;
    const command = equivalentCommand({ dir: '.', name: 'shop prod' }, { ...answers, deploy: ['fly', 'compose'], patchRuntime: false }, facts, null, ['--health', '--drain 30']);
    expect(command).toBe("npx create-release --no-ecto --docker --deploy fly --deploy compose --name 'shop prod' --health --drain 30 --no-patch-runtime --yes");
    expect(equivalentCommand({ dir: '.', name: 'shop' }, answers, facts)).not.toContain('--name');
  });

  it('--release when mix.exs declares several releases', async () => {
    const named = fixture('named-release');
    expect(equivalentCommand({ dir: '.' }, { ...answers, release: 'storefront' }, named.facts)).toContain('npx create-release --release storefront --no-ecto');
    const single = fixture('unix-only');
    expect(equivalentCommand({ dir: '.' }, answers, single.facts)).not.toContain('--release');
  });
});
