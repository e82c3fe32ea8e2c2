// The summary a user copies from: the commands in order, each exactly as it must be typed, for
// the shapes that change them (no Phoenix, no Ecto, SQLite, a declared path, an umbrella with no
// releases:, git over SSH), and the Mix-style status lines.
import { describe, expect, it } from 'vitest';
import { formatAdvice, formatStatusLines, formatSummary, nextCommands, releaseDirOf, type DockerCommandInput, type NextCommand } from '../../src/summary.js';
import type { Answers, ProjectFacts } from '../../src/types.js';
import { appFacts, phoenixApp, projectFacts, release, targetOf } from '../helpers/facts.js';
import { fixture } from '../plan/fixtures.js';

const PHX_SERVER = [{ name: 'PHX_SERVER', value: 'true' }];
const withDocker: DockerCommandInput = { production: { graceSeconds: 30 }, docker: { sshHosts: [] } };

async function commandsOf(facts: ProjectFacts, answers: Answers, more = withDocker, serverEnv = PHX_SERVER): Promise<NextCommand[]> {
  const target = await targetOf(facts, { release: answers.release, app: answers.app ?? undefined });
  return nextCommands(target, answers, serverEnv, more);
}

const answersFor = (release: string, more: Partial<Answers> = {}): Answers => ({ ecto: true, docker: true, release, patchRuntime: false, deploy: [], ...more });

describe('nextCommands', () => {
  it('a Phoenix app with Ecto, in Docker: build, start, migrate, remote, stop, list, then the Docker lines', async () => {
    const f = fixture('phoenix-ecto');
    expect(await commandsOf(f.facts, f.answers)).toEqual([
      { comment: 'To build the release', command: 'MIX_ENV=prod mix release' },
      { comment: 'To start your system with the Phoenix server running', command: '_build/prod/rel/my_app/bin/server' },
      { comment: 'To run migrations', command: '_build/prod/rel/my_app/bin/migrate' },
      { comment: 'Once it runs, to connect to it remotely', command: '_build/prod/rel/my_app/bin/my_app remote' },
      { comment: 'To stop it gracefully (you may also send SIGINT/SIGTERM)', command: '_build/prod/rel/my_app/bin/my_app stop' },
      { comment: 'To list all commands', command: '_build/prod/rel/my_app/bin/my_app' },
      { comment: 'To build the Docker image', command: 'docker build -t my_app .' },
      {
        comment: 'To run it (make a secret with `openssl rand -base64 48` or `mix phx.gen.secret`)',
        command: [
          'docker run --rm --stop-timeout 30 -p 4000:4000 \\',
          '  -e SECRET_KEY_BASE="$(openssl rand -base64 48)" \\',
          '  -e DATABASE_URL="ecto://USER:PASS@HOST/DATABASE" \\',
          '  -e PHX_HOST=localhost \\',
          '  -e PORT=4000 \\',
          '  my_app',
        ].join('\n'),
      },
    ]);
  });

  it('a plain app: started as an application, no migrations, and run in Docker with no variables or port', async () => {
    const f = fixture('plain-mix');
    const commands = await commandsOf(f.facts, f.answers);
    expect(commands.map((c) => c.comment)).not.toContain('To run migrations');
    expect(commands[1]).toEqual({ comment: 'To start the application', command: '_build/prod/rel/worker/bin/server' });
    expect(commands.at(-1)).toEqual({ comment: 'To run it', command: 'docker run --rm worker' });
  });

  it('no Docker: no Docker lines', async () => {
    const f = fixture('phoenix-ecto');
    const commands = await commandsOf(f.facts, { ...f.answers, docker: false });
    expect(commands.at(-1)).toEqual({ comment: 'To list all commands', command: '_build/prod/rel/my_app/bin/my_app' });
  });

  it('without a grace period, docker run keeps its own stop timeout', async () => {
    const f = fixture('phoenix-ecto');
    const commands = await commandsOf(f.facts, f.answers, { production: null, docker: null });
    expect(commands.at(-1)!.command.split('\n')[0]).toBe('docker run --rm -p 4000:4000 \\');
  });

  it('a plain app gets no stop timeout even with a grace period (nothing drains)', async () => {
    const f = fixture('plain-mix');
    expect((await commandsOf(f.facts, f.answers)).at(-1)!.command).toBe('docker run --rm worker');
  });

  it('SQLite alone: the database is a path in the container', async () => {
    const facts = projectFacts([phoenixApp('notes', { deps: ['phoenix', 'ecto_sqlite3'] })]);
    const run = (await commandsOf(facts, answersFor('notes'))).at(-1)!.command;
    expect(run).toContain('\n  -e DATABASE_PATH=/app/notes.db \\\n');
    expect(run).not.toContain('DATABASE_URL');
  });

  it('Ecto with no adapter read: DATABASE_URL', async () => {
    const facts = projectFacts([phoenixApp('notes', { deps: ['phoenix', 'ecto_sql'] })]);
    expect((await commandsOf(facts, answersFor('notes'))).at(-1)!.command).toContain('-e DATABASE_URL="ecto://USER:PASS@HOST/DATABASE"');
  });

  it('SQLite beside a server database: DATABASE_URL', async () => {
    const facts = projectFacts([phoenixApp('notes', { deps: ['phoenix', 'ecto_sqlite3', 'postgrex'] })]);
    expect((await commandsOf(facts, answersFor('notes'))).at(-1)!.command).toContain('-e DATABASE_URL="ecto://USER:PASS@HOST/DATABASE"');
  });

  it('no Ecto: no database variable', async () => {
    const f = fixture('phoenix-ecto');
    const run = (await commandsOf(f.facts, { ...f.answers, ecto: false })).at(-1)!.command;
    expect(run).not.toMatch(/DATABASE/);
    expect(run).toContain('-e SECRET_KEY_BASE=');
  });

  it('git dependencies over SSH: the build forwards the agent', async () => {
    const f = fixture('phoenix-ecto');
    const commands = await commandsOf(f.facts, f.answers, { production: null, docker: { sshHosts: ['github.com'] } });
    expect(commands.at(-2)).toEqual({ comment: 'To build the Docker image (your SSH agent fetches the git dependencies)', command: 'docker build --ssh default -t my_app .' });
  });

  it("the project's own server switch is named where bin/server is started", async () => {
    const f = fixture('phoenix-ecto');
    const commands = await commandsOf(f.facts, f.answers, withDocker, [{ name: 'START_ENDPOINT', value: 'true' }, ...PHX_SERVER]);
    expect(commands[1]!.comment).toBe('To start your system with the Phoenix server running (bin/server sets START_ENDPOINT=true, which config/runtime.exs reads)');
    const two = await commandsOf(f.facts, f.answers, withDocker, [{ name: 'SERVE', value: '1' }, { name: 'WEB', value: 'yes' }]);
    expect(two[1]!.comment).toContain('(bin/server sets SERVE=1 WEB=yes, which');
  });

  it("a release's declared path: every command runs from there; several releases: mix release names it", async () => {
    const f = fixture('release-path-overlays');
    const commands = await commandsOf(f.facts, f.answers);
    expect(commands.slice(1, 6).map((c) => c.command)).toEqual([
      'dist/storefront/bin/server',
      'dist/storefront/bin/migrate',
      'dist/storefront/bin/storefront remote',
      'dist/storefront/bin/storefront stop',
      'dist/storefront/bin/storefront',
    ]);
    const named = fixture('named-release');
    expect((await commandsOf(named.facts, named.answers))[0]).toEqual({ comment: 'To build the release', command: 'MIX_ENV=prod mix release storefront' });
  });

  describe('an umbrella that declares no release', () => {
    const umbrella = (apps: string[]) =>
      projectFacts(
        apps.map((a, i) => (i === 0 ? phoenixApp(a, { dir: `apps/${a}` }) : appFacts(a, { dir: `apps/${a}` }))),
        { root: '/projects/hub', umbrella: { appsPath: 'apps' } },
      );

    it('first says what to add to mix.exs, every app permanent, on one line when it fits', async () => {
      const facts = umbrella(['hub_web', 'hub']);
      const target = await targetOf(facts, { app: 'hub_web' });
      const [entry] = nextCommands(target, answersFor(target.release.name, { ecto: false, docker: false, app: 'hub_web' }), PHX_SERVER);
      expect(entry).toEqual({
        comment: 'Umbrella projects must declare their releases: add this entry to the list project/0 returns in mix.exs',
        command: 'releases: [\n  hub: [\n    applications: [hub_web: :permanent, hub: :permanent]\n  ]\n]',
        file: 'mix.exs',
      });
    });

    it('one app a line past 98 columns, as mix format would lay it out', async () => {
      const apps = ['hub_web', 'accounts', 'billing', 'catalog', 'inventory', 'notifications'];
      const facts = umbrella(apps);
      const target = await targetOf(facts, { app: 'hub_web' });
      const [entry] = nextCommands(target, answersFor(target.release.name, { ecto: false, docker: false, app: 'hub_web' }), PHX_SERVER);
      expect(entry!.command).toBe(
        [
          'releases: [',
          '  hub: [',
          '    applications: [',
          ...apps.map((a, i) => `      ${a}: :permanent${i < apps.length - 1 ? ',' : ''}`),
          '    ]',
          '  ]',
          ']',
        ].join('\n'),
      );
    });

    it('is exactly 98 columns at the most on one line', async () => {
      // The entry sits 6 columns in: "    applications: [" (19), the entries, "]" make 92 here.
      const fits = ['hub_web', 'aaaaaaaaaaaaaa', 'bbbbbbbbbbb'];
      const target = await targetOf(umbrella(fits), { app: 'hub_web' });
      const [entry] = nextCommands(target, answersFor(target.release.name, { ecto: false, docker: false, app: 'hub_web' }), PHX_SERVER);
      const line = entry!.command.split('\n')[2]!;
      expect(6 + line.length).toBe(98);
      const over = await targetOf(umbrella([...fits.slice(0, -1), 'bbbbbbbbbbbb']), { app: 'hub_web' });
      const [wrapped] = nextCommands(over, answersFor(over.release.name, { ecto: false, docker: false, app: 'hub_web' }), PHX_SERVER);
      expect(wrapped!.command.split('\n')[2]).toBe('    applications: [');
    });

    it('is not needed once mix.exs declares releases', async () => {
      const facts = { ...umbrella(['hub_web', 'hub']), releases: [release('hub')] };
      const target = await targetOf(facts, { app: 'hub_web' });
      const commands = nextCommands(target, answersFor('hub', { ecto: false, docker: false, app: 'hub_web' }), PHX_SERVER);
      expect(commands[0]!.comment).toBe('To build the release');
    });
  });

  it('releaseDirOf: the declared path, else _build/prod/rel/<release>', async () => {
    const declared = fixture('release-path-overlays');
    expect(releaseDirOf(await targetOf(declared.facts, { release: 'storefront' }))).toBe('dist/storefront');
    expect(releaseDirOf(await targetOf(fixture('phoenix-ecto').facts))).toBe('_build/prod/rel/my_app');
  });
});

describe('formatSummary', () => {
  it('opens with the line users look for, then each comment and its command indented by four', () => {
    const text = formatSummary([
      { comment: 'To build the release', command: 'MIX_ENV=prod mix release' },
      { comment: 'Add to mix.exs', command: 'releases: [\n\n  hub: []\n]', file: 'mix.exs' },
      { comment: 'A note with nothing to run', command: '' },
    ]);
    expect(text).toBe(
      [
        'Your application is ready to be deployed in a release!',
        '',
        '    # To build the release',
        '    MIX_ENV=prod mix release',
        '',
        '    # Add to mix.exs',
        '    releases: [',
        '',
        '      hub: []',
        '    ]',
        '',
        '    # A note with nothing to run',
        '',
      ].join('\n'),
    );
  });
});

describe('formatStatusLines', () => {
  it("one line per file in Mix's words, with the reason a file is kept", () => {
    const paint = (status: string, text: string) => `<${status}>${text}`;
    const text = formatStatusLines(
      [
        { path: 'rel/overlays/bin/server', status: 'create' },
        { path: 'a', status: 'identical' },
        { path: 'b', status: 'keep', note: 'it already starts the release the same way' },
        { path: 'c', status: 'overwrite' },
        { path: 'd', status: 'skip' },
        { path: 'e', status: 'conflict' },
        { path: 'config/runtime.exs', status: 'patch' },
      ],
      paint,
    );
    expect(text).toBe(
      [
        '<create>* creating rel/overlays/bin/server',
        '<identical>* identical a',
        '<keep>* keeping b (it already starts the release the same way)',
        '<overwrite>* overwriting c',
        '<skip>* skipping d',
        '<conflict>* conflict e',
        '<patch>* patching config/runtime.exs',
      ].join('\n'),
    );
  });
});

describe('formatAdvice', () => {
  it('each message, a blank line, its snippet indented by four (blank lines left blank), apart from the next', () => {
    const text = formatAdvice([
      { setting: 'PHX_SERVER', message: 'config/runtime.exs never reads PHX_SERVER:', snippet: 'if System.get_env("PHX_SERVER") do\n\n  config :a, A.Endpoint, server: true\nend' },
      { setting: 'PHX_HOST', message: 'config/runtime.exs never reads PHX_HOST:', snippet: 'host = System.get_env("PHX_HOST")' },
    ]);
    expect(text).toBe(
      [
        'config/runtime.exs never reads PHX_SERVER:',
        '',
        '    if System.get_env("PHX_SERVER") do',
        '',
        '      config :a, A.Endpoint, server: true',
        '    end',
        '',
        'config/runtime.exs never reads PHX_HOST:',
        '',
        '    host = System.get_env("PHX_HOST")',
        '',
      ].join('\n'),
    );
  });
});
