import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fse from 'fs-extra';
import { describe, expect, it } from 'vitest';
import { inspectProject } from '../../src/inspect/index.js';
import { mixExsFor, shapesDir, writeProject } from './helpers.js';

function copyShape(name: string): string {
  const root = path.join(mkdtempSync(path.join(os.tmpdir(), 'create-release-inspect-')), name);
  fse.copySync(path.join(shapesDir, name), root);
  return root;
}

describe('inspectProject on a phx.new 1.7 project with Postgres', () => {
  it('reads every fact the generators use', async () => {
    const root = path.join(shapesDir, 'phx17-postgres');
    const facts = await inspectProject(root);
    const deps = [
      'phoenix', 'phoenix_ecto', 'ecto_sql', 'postgrex', 'phoenix_html', 'phoenix_live_reload',
      'phoenix_live_view', 'floki', 'phoenix_live_dashboard', 'esbuild', 'tailwind', 'heroicons',
      'swoosh', 'finch', 'telemetry_metrics', 'telemetry_poller', 'gettext', 'jason', 'dns_cluster', 'bandit',
    ];
    expect(facts).toEqual({
      root,
      version: '0.1.0',
      elixirRequirement: '~> 1.14',
      umbrella: null,
      apps: [
        {
          app: 'shop',
          dir: '',
          namespace: 'Shop',
          namespaceFrom: { from: 'mod: {Shop.Application, ...} in mix.exs', guessed: false },
          deps,
          version: '0.1.0',
          elixirRequirement: '~> 1.14',
          application: { mod: 'Shop.Application', extraApplications: ['logger', 'runtime_tools'] },
          hasPackage: false,
          elixircPaths: ['lib'],
          aliases: {
            setup: ['deps.get', 'ecto.setup', 'assets.setup', 'assets.build'],
            'ecto.setup': ['ecto.create', 'ecto.migrate', 'run priv/repo/seeds.exs'],
            'ecto.reset': ['ecto.drop', 'ecto.setup'],
            test: ['ecto.create --quiet', 'ecto.migrate --quiet', 'test'],
            'assets.setup': ['tailwind.install --if-missing', 'esbuild.install --if-missing'],
            'assets.build': ['tailwind shop', 'esbuild shop'],
            'assets.deploy': ['tailwind shop --minify', 'esbuild shop --minify', 'phx.digest'],
          },
          // phx.new 1.7 fetches heroicons from GitHub (over HTTPS: nothing for Docker to warn about).
          depSources: [{ name: 'heroicons', path: null, git: 'https://github.com/tailwindlabs/heroicons.git' }],
          loadTimeFiles: { files: [], unresolved: [] },
          endpoints: [{ module: 'ShopWeb.Endpoint', file: 'lib/shop_web/endpoint.ex', otpApp: 'shop', configured: true }],
          phoenix: true,
          releaseTasks: null,
          definedReleaseNames: [],
          repos: ['Shop.Repo'],
          ectoFrom: 'the ecto_sql dependency',
        },
      ],
      deps,
      releases: [],
      defaultRelease: null,
      ectoAdapters: ['postgrex'],
      dnsCluster: true,
      // The fixture keeps only the files these tests read: config.exs imports a prod.exs it lacks.
      config: { files: ['config/config.exs'], unresolved: [], missing: [{ path: 'config/prod.exs', from: 'config/config.exs:54' }] },
      releasesExs: false,
      runtimeExs: readFileSync(path.join(root, 'config/runtime.exs'), 'utf8'),
      warnings: [],
    });
  });

  it('accepts a relative directory and reports it absolute', async () => {
    const relative = path.relative(process.cwd(), path.join(shapesDir, 'phx17-postgres'));
    const facts = await inspectProject(relative);
    expect(facts.root).toBe(path.join(shapesDir, 'phx17-postgres'));
  });

  it('never looks into deps/, _build/ or node_modules/', async () => {
    const root = copyShape('phx17-postgres');
    // A link to itself makes any walk of these directories fail (ELOOP), and the broken
    // mix.exs files would fail any parse: the result must not change.
    for (const dir of ['deps/phoenix', '_build/prod/lib/shop', 'assets/node_modules/phoenix']) {
      mkdirSync(path.join(root, dir), { recursive: true });
      writeFileSync(path.join(root, dir, 'mix.exs'), 'defmodule Broken do\n  def project do [app: :broken\nend\n');
      symlinkSync('loop', path.join(root, dir, 'loop'));
    }
    const facts = await inspectProject(root);
    expect(facts.apps[0]!.app).toBe('shop');
    expect(facts.deps).toContain('phoenix');
  });
});

describe('mix.exs code we cannot run to the end', () => {
  it('stays bounded on helpers that recurse, and keeps what it can read', async () => {
    const root = writeProject({
      'mix.exs': `defmodule Loop.MixProject do
  use Mix.Project
  def project, do: [app: :loop, deps: [{:jason, "~> 1.4"}] ++ deps()]
  def application, do: [mod: {Loop.Application, []}]
  defp deps, do: deps() ++ deps() ++ [{:telemetry, "~> 1.2"}]
end
`,
    });
    const facts = await inspectProject(root);
    expect(facts.apps[0]!.app).toBe('loop');
    expect(facts.deps).toEqual(['jason', 'telemetry']);
  });
});

describe('file encodings', () => {
  it('reads a mix.exs saved with a BOM and CRLF line endings', async () => {
    const root = writeProject({ 'mix.exs': '\uFEFF' + mixExsFor(':windows_app', ', deps: [{:plug, "~> 1.15"}]').replace(/\n/g, '\r\n') });
    const facts = await inspectProject(root);
    expect(facts).toMatchObject({ apps: [{ app: 'windows_app' }], version: '0.1.0', deps: ['plug'] });
  });
});

describe('names read from the code', () => {
  it('takes an acronym namespace from config :app, namespace: and the endpoint from its use of Phoenix.Endpoint', async () => {
    const facts = await inspectProject(path.join(shapesDir, 'acronym-namespace'));
    expect(facts.apps[0]).toMatchObject({
      app: 'acme_api',
      namespace: 'AcmeAPI',
      namespaceFrom: { from: 'config :acme_api, namespace: AcmeAPI in config/config.exs', guessed: false },
      endpoints: [{ module: 'AcmeAPIWeb.Endpoint', otpApp: 'acme_api', configured: true }],
      phoenix: true,
      ectoFrom: null,
    });
    expect(facts).toMatchObject({ releasesExs: false, runtimeExs: null });
  });

  it('takes the namespace from mod:, then the repos, then the modules under lib/<app>/, and guesses only when nothing tells', async () => {
    const fromMod = writeProject({ 'mix.exs': mixExsFor(':fleetmate', '', 'FleetMate') });
    expect((await inspectProject(fromMod)).apps[0]!.namespace).toBe('FleetMate');

    const fromRepos = writeProject({
      'mix.exs': mixExsFor(':hub', ', releases: [hub: []]', null),
      'config/config.exs': 'import Config\nconfig :hub, ecto_repos: [HubCore.RepoBase]\n',
    });
    expect((await inspectProject(fromRepos)).apps[0]).toMatchObject({ namespace: 'HubCore', namespaceFrom: { guessed: false } });

    const fromModules = writeProject({
      'mix.exs': mixExsFor(':todo_app', ', releases: [todo_app: []]', null),
      'lib/todo_app.ex': 'defmodule Todo do\nend\n',
      'lib/todo_app/worker.ex': 'defmodule Todo.Worker do\nend\n',
    });
    expect((await inspectProject(fromModules)).apps[0]).toMatchObject({
      namespace: 'Todo',
      namespaceFrom: { from: 'the modules in lib/todo_app/', guessed: false },
    });

    const guessed = writeProject({ 'mix.exs': mixExsFor(':acme_api', ', releases: [acme_api: []]', null) });
    expect((await inspectProject(guessed)).apps[0]).toMatchObject({ namespace: 'AcmeApi', namespaceFrom: { guessed: true } });
  });

  it('ignores namespaces of other apps, module configs and comments; the last setting wins', async () => {
    const root = writeProject({
      'mix.exs': mixExsFor(':acme', '', 'Acme'),
      'config/config.exs': [
        'import Config',
        'config :other_app, namespace: OtherAPI',
        'config :acme, AcmeWeb.Endpoint, namespace: NotThis',
        '# config :acme, namespace: CommentedOut',
        'config :acme, namespace: First',
        'config :acme, namespace: Acme.Second',
        '',
      ].join('\n'),
    });
    expect((await inspectProject(root)).apps[0]!.namespace).toBe('Acme.Second');
  });

  it('finds an endpoint wherever it lives, under its real name, with its otp_app', async () => {
    const root = writeProject({
      'mix.exs': mixExsFor(':bolt', ', deps: [{:phoenix, "~> 1.7"}]', 'Bolt'),
      'config/config.exs': 'import Config\nconfig :bolt, BoltNG.Endpoint, url: [host: "localhost"]\n',
      'lib/web/endpoint.ex': 'defmodule BoltNG.Endpoint do\n  use Phoenix.Endpoint, otp_app: :bolt\nend\n',
      'lib/bolt/application.ex': 'defmodule Bolt.Application do\n  # not an endpoint: Phoenix.Endpoint only in a comment\nend\n',
    });
    expect((await inspectProject(root)).apps[0]!.endpoints).toEqual([
      { module: 'BoltNG.Endpoint', file: 'lib/web/endpoint.ex', otpApp: 'bolt', configured: true },
    ]);
  });

  it('resolves nested module names and reads every endpoint, leaving out one nobody configures', async () => {
    const root = writeProject({
      'mix.exs': mixExsFor(':shop', ', deps: [{:phoenix, "~> 1.7"}]', 'Shop'),
      'config/config.exs': 'import Config\nconfig :shop, Shop.Web.Endpoint, []\nconfig :shop, Shop.Web.Admin, []\n',
      'lib/shop/web/endpoint.ex': 'defmodule Shop.Web do\n  defmodule Endpoint do\n    use Phoenix.Endpoint, otp_app: :shop\n  end\nend\n',
      'lib/shop/web/admin.ex': 'defmodule Shop.Web.Admin do\n  use Phoenix.Endpoint, otp_app: :shop\nend\n',
      'lib/shop/test_endpoint.ex': 'defmodule Shop.TestEndpoint do\n  use Phoenix.Endpoint, otp_app: :shop\nend\n',
    });
    const facts = await inspectProject(root);
    expect(facts.apps[0]!.endpoints.map((e) => e.module)).toEqual(['Shop.Web.Endpoint', 'Shop.Web.Admin']);
    expect(facts.warnings).toEqual([
      'Shop.TestEndpoint (lib/shop/test_endpoint.ex) uses Phoenix.Endpoint but no config :shop, Shop.TestEndpoint exists: bin/server leaves it out.',
    ]);
  });

  it('reads only the prod elixirc_paths, and never a file outside them', async () => {
    const root = writeProject({
      'mix.exs': `defmodule Gazette.MixProject do
  use Mix.Project
  def project, do: [app: :gazette, elixirc_paths: elixirc_paths(Mix.env()), deps: [{:phoenix, "~> 1.2"}]]
  def application, do: [mod: {Gazette, []}]
  defp elixirc_paths(:test), do: ["lib", "web", "test/support"]
  defp elixirc_paths(_), do: ["lib", "web"]
end
`,
      'web/endpoint.ex': 'defmodule Gazette.Endpoint do\n  use Phoenix.Endpoint, otp_app: :gazette\nend\n',
      'test/support/endpoint.ex': 'defmodule Gazette.TestEndpoint do\n  use Phoenix.Endpoint, otp_app: :gazette\nend\n',
    });
    const app = (await inspectProject(root)).apps[0]!;
    expect(app).toMatchObject({ elixircPaths: ['lib', 'web'], namespace: 'Gazette' });
    expect(app.endpoints.map((e) => e.module)).toEqual(['Gazette.Endpoint']);
  });

  it('is a web app when a module uses Phoenix.Endpoint, even without the phoenix dep', async () => {
    const root = writeProject({
      'mix.exs': mixExsFor(':plain', ', deps: [{:plug_cowboy, "~> 2.7"}]', 'Plain'),
      'lib/plain_web/endpoint.ex': 'defmodule PlainWeb.Endpoint do\n  use Phoenix.Endpoint, otp_app: :plain\nend\n',
    });
    expect((await inspectProject(root)).apps[0]).toMatchObject({ phoenix: true, endpoints: [{ module: 'PlainWeb.Endpoint' }] });
    const none = writeProject({ 'mix.exs': mixExsFor(':plain', ', deps: [{:plug_cowboy, "~> 2.7"}]', 'Plain') });
    expect((await inspectProject(none)).apps[0]).toMatchObject({ phoenix: false, endpoints: [] });
  });

  it('finds an existing release-tasks module: migrate/0 over Ecto.Migrator, wherever it is', async () => {
    const root = writeProject({
      'mix.exs': mixExsFor(':chat_api', ', deps: [{:ecto_sql, "~> 3.10"}]', 'ChatApi'),
      'lib/release.ex': [
        'defmodule ChatApi.Release do',
        '  alias Ecto.Migrator',
        '  def migrate do',
        '    for repo <- repos(), do: {:ok, _, _} = Migrator.with_repo(repo, &Migrator.run(&1, :up, all: true))',
        '  end',
        '  defp repos, do: Application.fetch_env!(:chat_api, :ecto_repos)',
        'end',
        '',
      ].join('\n'),
      'lib/chat_api/stats.ex': 'defmodule ChatApi.Stats do\n  # Ecto.Migrator is mentioned only here\n  def migrate(x), do: x\nend\n',
    });
    expect((await inspectProject(root)).apps[0]).toMatchObject({
      releaseTasks: { module: 'ChatApi.Release', file: 'lib/release.ex' },
      definedReleaseNames: ['ChatApi.Release'],
    });
  });

  it('notes a Release module that is something else, so a generated one can take another name', async () => {
    const root = writeProject({
      'mix.exs': mixExsFor(':pager', ', deps: [{:ecto_sql, "~> 3.10"}]', 'Pager'),
      'lib/pager/release.ex': 'defmodule Pager.Release do\n  def version, do: "1"\nend\n',
    });
    expect((await inspectProject(root)).apps[0]).toMatchObject({ releaseTasks: null, definedReleaseNames: ['Pager.Release'] });
  });
});

describe('Ecto in use', () => {
  const ectoOf = async (deps: string, config = '') => {
    const files: Record<string, string> = { 'mix.exs': mixExsFor(':store', `, deps: ${deps}`, 'Store') };
    if (config) files['config/config.exs'] = `import Config\n${config}\n`;
    const facts = await inspectProject(writeProject(files));
    return { from: facts.apps[0]!.ectoFrom, repos: facts.apps[0]!.repos, adapters: facts.ectoAdapters };
  };

  it('through ecto_sql, a wrapper that brings it, or ecto_repos configured', async () => {
    expect(await ectoOf('[{:ecto_sql, "~> 3.10"}, {:postgrex, ">= 0.0.0"}]')).toEqual({ from: 'the ecto_sql dependency', repos: [], adapters: ['postgrex'] });
    expect(await ectoOf('[{:ecto_sqlite3, "~> 0.17"}]', 'config :store, ecto_repos: [Store.Repo]')).toEqual({
      from: 'the ecto_sqlite3 dependency (it brings ecto_sql)',
      repos: ['Store.Repo'],
      adapters: ['ecto_sqlite3'],
    });
    expect(await ectoOf('[{:ash_postgres, "~> 2.0"}]', 'config :store, ecto_repos: [Store.Repo]')).toMatchObject({
      from: 'the ash_postgres dependency (it brings ecto_sql)',
      adapters: ['postgrex'],
    });
    expect(await ectoOf('[]', 'config :store, ecto_repos: [Store.RepoBase, Store.ReadRepo]')).toEqual({
      from: 'ecto_repos in config/config.exs',
      repos: ['Store.RepoBase', 'Store.ReadRepo'],
      adapters: [],
    });
    expect(await ectoOf('[{:postgrex, ">= 0.0.0"}]')).toMatchObject({ from: null });
  });

  it('reads ecto_repos from the config files config.exs imports for prod', async () => {
    const root = writeProject({
      'mix.exs': mixExsFor(':store', ', deps: [{:ecto_sql, "~> 3.10"}]', 'Store'),
      'config/config.exs': 'import Config\nimport_config "repo.exs"\nimport_config "#{config_env()}.exs"\n',
      'config/repo.exs': 'import Config\nconfig :store, ecto_repos: [Store.Repo]\n',
      'config/prod.exs': 'import Config\nconfig :store, ecto_repos: [Store.Repo, Store.Replica]\n',
      'config/dev.exs': 'import Config\nconfig :store, ecto_repos: [Store.DevOnly]\n',
    });
    const facts = await inspectProject(root);
    expect(facts.apps[0]!.repos).toEqual(['Store.Repo', 'Store.Replica']);
    expect(facts.config.files).toEqual(['config/config.exs', 'config/repo.exs', 'config/prod.exs']);
  });
});

describe('what cannot be released or read', () => {
  it('refuses a library: a package for Hex, or no mod: callback, and no releases', async () => {
    const hex = writeProject({ 'mix.exs': mixExsFor(':site_kit', ', package: [licenses: ["MIT"]]', 'SiteKit') });
    await expect(inspectProject(hex)).rejects.toThrow(
      /^mix.exs describes a library \(it has a package: for Hex\) and declares no release: .*releases: \[site_kit: \[\]\]/,
    );
    const noMod = writeProject({ 'mix.exs': mixExsFor(':site_kit', ', deps: [{:phoenix, "~> 1.7"}]', null) });
    await expect(inspectProject(noMod)).rejects.toThrow(/library \(its application\/0 has no mod: callback/);
    const declared = writeProject({ 'mix.exs': mixExsFor(':site_kit', ', package: [], releases: [site_kit: []]', 'SiteKit') });
    await expect(inspectProject(declared)).resolves.toMatchObject({ releases: [{ name: 'site_kit' }] });
  });

  it('warns when deps or releases are computed at load time, naming what was assumed and the flag', async () => {
    const root = writeProject({
      'mix.exs': `defmodule Dyn.MixProject do
  use Mix.Project
  def project, do: [app: :dyn, deps: deps(), releases: Dyn.Releases.all()]
  def application, do: [mod: {Dyn.Application, []}]
  defp deps, do: [{:plug, "~> 1.15"}] ++ (Code.eval_file("deps.exs") |> elem(0))
end
`,
    });
    const facts = await inspectProject(root);
    expect(facts.deps).toEqual(['plug']);
    expect(facts.warnings).toEqual([
      expect.stringMatching(/^mix.exs:3: could not read releases: statically \(`Dyn.Releases.all\(\)` is computed.*--release <name>/),
      expect.stringMatching(/^mix.exs:5: could not read deps: statically \(`Code.eval_file\("deps.exs"\) \|> elem\(0\)` is computed.*--ecto/),
    ]);
  });
});

describe('umbrella projects', () => {
  it('reads every app with its own names, endpoints and repos', async () => {
    const root = path.join(shapesDir, 'umbrella');
    const facts = await inspectProject(root);
    expect(facts.umbrella).toEqual({ appsPath: 'apps' });
    expect(facts.apps.map((a) => [a.app, a.dir, a.namespace, a.endpoints.map((e) => e.module), a.repos, a.ectoFrom])).toEqual([
      ['bank', 'apps/bank', 'Bank', [], ['Bank.Repo'], 'the ecto_sql dependency'],
      ['bank_web', 'apps/bank_web', 'BankWeb', ['BankWeb.Endpoint'], ['Bank.Repo'], 'ecto_repos in config/config.exs'],
    ]);
    expect(facts.apps.map((a) => Object.keys(a.aliases ?? {}))).toEqual([['setup', 'ecto.setup', 'test'], ['setup']]);
    expect(facts).toMatchObject({
      version: '0.1.0',
      elixirRequirement: '~> 1.14',
      ectoAdapters: ['postgrex'],
      dnsCluster: true,
      releases: [
        {
          name: 'bank',
          includeExecutablesFor: ['unix'],
          applications: { bank: 'permanent', bank_web: 'permanent' },
          path: null,
          overlays: null,
          relTemplatesPath: null,
        },
      ],
    });
    expect(facts.deps[0]).toBe('phoenix_live_view');
    expect(new Set(facts.deps).size).toBe(facts.deps.length);
  });

  it('takes namespaces from an app config first, then the root config, and endpoints from each app', async () => {
    const root = writeProject({
      'mix.exs': 'defmodule U.MixProject do\n  use Mix.Project\n  def project, do: [apps_path: "services"]\nend\n',
      'config/config.exs': 'import Config\nconfig :core, namespace: CoreAPI\nconfig :mailer, namespace: Ignored\n',
      'services/core/mix.exs': mixExsFor(':core', '', null),
      'services/mailer/mix.exs': mixExsFor(':mailer', '', null),
      'services/mailer/config/config.exs': 'import Config\nconfig :mailer, namespace: SMTPMailer\n',
      'services/portal/mix.exs': mixExsFor(':portal', ', deps: [{:phoenix, "~> 1.7"}]', 'Portal'),
      'services/portal/lib/portal/endpoint.ex': 'defmodule Portal.Endpoint do\n  use Phoenix.Endpoint, otp_app: :portal\nend\n',
      'services/site/mix.exs': mixExsFor(':site', ', deps: [{:phoenix, "~> 1.7"}]', 'Site'),
      'services/site/lib/site_web/endpoint.ex': 'defmodule SiteWeb.Endpoint do\n  use Phoenix.Endpoint, otp_app: :site\nend\n',
    });
    const facts = await inspectProject(root);
    expect(facts.apps.map((app) => [app.dir, app.namespace, app.endpoints.map((e) => e.module)])).toEqual([
      ['services/core', 'CoreAPI', []],
      // The root config wins where both speak: as when the release is built from the root.
      ['services/mailer', 'Ignored', []],
      ['services/portal', 'Portal', ['Portal.Endpoint']],
      ['services/site', 'Site', ['SiteWeb.Endpoint']],
    ]);
  });

  it('a web app whose module prefix differs from its atom', async () => {
    const root = writeProject({
      'mix.exs': 'defmodule U.MixProject do\n  use Mix.Project\n  def project, do: [apps_path: "apps"]\nend\n',
      'apps/storefront_web/mix.exs': mixExsFor(':storefront_web', ', deps: [{:phoenix, "~> 1.7"}]', 'StoreFrontWeb'),
      'apps/storefront_web/lib/storefront_web/endpoint.ex':
        'defmodule StoreFrontWeb.Endpoint do\n  use Phoenix.Endpoint, otp_app: :storefront_web\nend\n',
    });
    expect((await inspectProject(root)).apps[0]).toMatchObject({
      namespace: 'StoreFrontWeb',
      endpoints: [{ module: 'StoreFrontWeb.Endpoint', file: 'apps/storefront_web/lib/storefront_web/endpoint.ex', otpApp: 'storefront_web' }],
    });
  });

  it('reads the apps config the root imports with a wildcard', async () => {
    const root = writeProject({
      'mix.exs': 'defmodule U.MixProject do\n  use Mix.Project\n  def project, do: [apps_path: "apps"]\nend\n',
      'config/config.exs': 'import Config\nimport_config "../apps/*/config/config.exs"\n',
      'apps/data/mix.exs': mixExsFor(':data', '', null),
      'apps/data/config/config.exs': 'import Config\nconfig :data, ecto_repos: [Data.Repo]\n',
      'apps/web/mix.exs': mixExsFor(':web', '', null),
    });
    const facts = await inspectProject(root);
    expect(facts.config.files).toEqual(['config/config.exs', 'apps/data/config/config.exs']);
    expect(facts.apps.map((app) => [app.app, app.repos, app.ectoFrom])).toEqual([
      ['data', ['Data.Repo'], 'ecto_repos in apps/data/config/config.exs'],
      ['web', [], null],
    ]);
  });

  it('refuses an apps_path that holds no app', async () => {
    const root = writeProject({
      'mix.exs': 'defmodule U.MixProject do\n  use Mix.Project\n  def project, do: [apps_path: "apps"]\nend\n',
      'apps/README.md': 'nothing here',
    });
    await expect(inspectProject(root)).rejects.toThrow(/apps_path "apps" holds no app with a mix.exs/);
  });

  it('names the app file when an umbrella app has a problem', async () => {
    const root = writeProject({
      'mix.exs': 'defmodule U.MixProject do\n  use Mix.Project\n  def project, do: [apps_path: "apps"]\nend\n',
      'apps/good/mix.exs': mixExsFor(':good'),
      'apps/bad/mix.exs': mixExsFor(':"Bad App"'),
    });
    await expect(inspectProject(root)).rejects.toThrow(/^apps\/bad\/mix.exs: app name "Bad App" is not valid/);
  });
});
