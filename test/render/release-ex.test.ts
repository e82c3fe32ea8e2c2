// The generated Release module: compiles without warnings, is `mix format`-clean, and really runs
// every repo's migrations up (and one repo down) against a stand-in Ecto.Migrator.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateInputOf } from '../helpers/facts.js';
import { fixtures, type PlanFixture } from '../plan/fixtures.js';
import { fileNamed, missingTools, renderFixture, scratchDir } from './helpers.js';

const scratch = scratchDir('release-ex');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const elixir = missingTools(['elixir', 'elixirc', 'mix']);
const withEcto = fixtures.filter((f) => f.answers.ecto);

// Ecto is not installable here (no Hex): this stand-in keeps the real signatures and prints
// each call, so the test sees what the Release module asked for.
const MIGRATOR_STUB = `defmodule Ecto.Migrator do
  def with_repo(repo, fun, _opts \\\\ []) do
    IO.puts("with_repo #{inspect(repo)}")
    {:ok, fun.(repo), []}
  end

  def run(repo, direction, opts) do
    IO.puts("run #{inspect(repo)} #{inspect(direction)} #{inspect(opts)}")
    []
  end
end
`;

/** The app whose Release module is generated: the project, or the umbrella app owning the repos. */
async function owner(f: PlanFixture): Promise<{ app: string; namespace: string; path: string }> {
  const { owner: app } = (await templateInputOf(f)).target;
  return { app: app.app, namespace: app.namespace, path: `${app.dir ? `${app.dir}/` : ''}lib/${app.app}/release.ex` };
}

function env(): NodeJS.ProcessEnv {
  return { ...process.env, HOME: scratch, MIX_HOME: path.join(scratch, '.mix'), LANG: 'C.UTF-8' };
}

/** Compiles the module (warnings are errors) and writes an .app so it can be loaded. */
async function build(f: PlanFixture): Promise<{ ebin: string; app: string; namespace: string }> {
  const { app, namespace, path: releaseEx } = await owner(f);
  const file = fileNamed(await renderFixture(f), releaseEx);
  const dir = path.join(scratch, f.name);
  const ebin = path.join(dir, 'ebin');
  mkdirSync(ebin, { recursive: true });
  const source = path.join(dir, 'release.ex');
  writeFileSync(source, file.content);
  writeFileSync(path.join(dir, 'ecto_migrator.ex'), MIGRATOR_STUB);
  // Two repos: migrate must visit every one of them.
  writeFileSync(
    path.join(ebin, `${app}.app`),
    `{application, ${app}, [{vsn, "0.1.0"}, {modules, []}, {registered, []}, {applications, [kernel, stdlib]},` +
      ` {env, [{ecto_repos, ['Elixir.Repo.One', 'Elixir.Repo.Two']}]}]}.\n`,
  );
  const compiled = spawnSync(
    'elixirc',
    ['--warnings-as-errors', '-o', ebin, path.join(dir, 'ecto_migrator.ex'), source],
    { cwd: dir, env: env(), encoding: 'utf8' },
  );
  expect(compiled.stderr, `${f.name}: elixirc`).toBe('');
  expect(compiled.status).toBe(0);
  return { ebin, app, namespace };
}

function evalElixir(ebin: string, code: string) {
  return spawnSync('elixir', ['-pa', ebin, '-e', code], { env: env(), encoding: 'utf8' });
}

describe.skipIf(elixir.skip)('lib/<app>/release.ex', () => {
  beforeAll(elixir.assertTools);

  for (const f of withEcto) {
    it(`compiles and migrates every repo up (${f.name})`, async () => {
      const { ebin, app, namespace } = await build(f);
      const result = evalElixir(
        ebin,
        `${namespace}.Release.migrate()
         started = for {a, _, _} <- Application.started_applications(), do: a
         IO.puts("ssl started: #{:ssl in started}")
         IO.puts("app started: #{:${app} in started}")
         IO.puts("app loaded: #{List.keymember?(Application.loaded_applications(), :${app}, 0)}")`,
      );
      expect(result.stderr).toBe('');
      expect(result.stdout.trim().split('\n')).toEqual([
        'with_repo Repo.One',
        'run Repo.One :up [all: true]',
        'with_repo Repo.Two',
        'run Repo.Two :up [all: true]',
        'ssl started: true',
        'app started: false',
        'app loaded: true',
      ]);
    });
  }

  it('rolls one repo back to a version', async () => {
    const { ebin } = await build(withEcto[0]!);
    const result = evalElixir(ebin, 'MyApp.Release.rollback(Repo.Two, 20240101000000)');
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toEqual(['with_repo Repo.Two', 'run Repo.Two :down [to: 20240101000000]']);
  });

  it('names the module and the app after the project', async () => {
    for (const f of withEcto) {
      const { app, namespace, path: releaseEx } = await owner(f);
      const { content } = fileNamed(await renderFixture(f), releaseEx);
      expect(content.startsWith(`defmodule ${namespace}.Release do\n`), f.name).toBe(true);
      expect(content).toContain(`  @app :${app}\n`);
      expect(content).toContain(`bin/${f.answers.release} eval "${namespace}.Release.migrate"`);
    }
  });

  for (const f of withEcto) {
    it(`is mix format-clean (${f.name})`, async () => {
      const file = fileNamed(await renderFixture(f), (await owner(f)).path);
      const dir = path.join(scratch, `format-${f.name}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'release.ex'), file.content);
      const result = spawnSync('mix', ['format', '--check-formatted', 'release.ex'], { cwd: dir, env: env(), encoding: 'utf8' });
      expect(result.stdout + result.stderr).toBe('');
      expect(result.status).toBe(0);
    });
  }
});
