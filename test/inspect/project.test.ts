import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectProject } from '../../src/inspect/index.js';
import { mixExsFor, shapesDir, writeProject } from './helpers.js';

function copyShape(name: string): string {
  const root = path.join(mkdtempSync(path.join(os.tmpdir(), 'create-release-inspect-')), name);
  cpSync(path.join(shapesDir, name), root, { recursive: true });
  return root;
}

describe('inspectProject on a phx.new 1.7 project with Postgres', () => {
  it('reads every fact the generators use', async () => {
    const root = path.join(shapesDir, 'phx17-postgres');
    const facts = await inspectProject(root);
    expect(facts).toEqual({
      root,
      app: 'shop',
      version: '0.1.0',
      elixirRequirement: '~> 1.14',
      deps: [
        'phoenix', 'phoenix_ecto', 'ecto_sql', 'postgrex', 'phoenix_html', 'phoenix_live_reload',
        'phoenix_live_view', 'floki', 'phoenix_live_dashboard', 'esbuild', 'tailwind', 'heroicons',
        'swoosh', 'finch', 'telemetry_metrics', 'telemetry_poller', 'gettext', 'jason', 'dns_cluster', 'bandit',
      ],
      umbrella: null,
      releases: [],
      mixAliases: ['setup', 'ecto.setup', 'ecto.reset', 'test', 'assets.setup', 'assets.build', 'assets.deploy'],
      namespace: 'Shop',
      webModule: 'ShopWeb',
      phoenix: true,
      ecto: true,
      ectoAdapters: ['postgrex'],
      dnsCluster: true,
      releasesExs: false,
      runtimeExs: readFileSync(path.join(root, 'config/runtime.exs'), 'utf8'),
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
    expect(facts.app).toBe('shop');
    expect(facts.deps).toContain('phoenix');
  });
});

describe('mix.exs code we cannot run to the end', () => {
  it('stays bounded on helpers that recurse, and keeps what it can read', async () => {
    const root = writeProject({
      'mix.exs': `defmodule Loop.MixProject do
  use Mix.Project
  def project, do: [app: :loop, deps: [{:jason, "~> 1.4"}] ++ deps()]
  defp deps, do: deps() ++ deps() ++ [{:telemetry, "~> 1.2"}]
end
`,
    });
    const facts = await inspectProject(root);
    expect(facts.app).toBe('loop');
    expect(facts.deps).toEqual(['jason', 'telemetry']);
  });
});

describe('file encodings', () => {
  it('reads a mix.exs saved with a BOM and CRLF line endings', async () => {
    const root = writeProject({ 'mix.exs': '\uFEFF' + mixExsFor(':windows_app', ', deps: [{:plug, "~> 1.15"}]').replace(/\n/g, '\r\n') });
    const facts = await inspectProject(root);
    expect(facts).toMatchObject({ app: 'windows_app', version: '0.1.0', deps: ['plug'] });
  });
});

describe('namespace and web module', () => {
  it('takes an acronym namespace from config :app, namespace: and the endpoint module', async () => {
    const facts = await inspectProject(path.join(shapesDir, 'acronym-namespace'));
    expect(facts).toMatchObject({
      app: 'acme_api',
      namespace: 'AcmeAPI',
      webModule: 'AcmeAPIWeb',
      phoenix: true,
      ecto: false,
      releasesExs: false,
      runtimeExs: null,
    });
  });

  it('camelizes the app name when config has no namespace, ignoring other apps and module configs', async () => {
    const root = writeProject({
      'mix.exs': mixExsFor(':acme_api', ', deps: [{:phoenix, "~> 1.7"}]'),
      'config/config.exs': [
        'import Config',
        'config :other_app, namespace: OtherAPI',
        'config :acme_api, AcmeApiWeb.Endpoint, namespace: NotThis',
        '# config :acme_api, namespace: CommentedOut',
        'config :acme_api, ecto_repos: []',
        '',
      ].join('\n'),
    });
    const facts = await inspectProject(root);
    expect(facts.namespace).toBe('AcmeApi');
    expect(facts.webModule).toBe('AcmeApiWeb');
  });

  it('follows the endpoint module when it differs from the default', async () => {
    const root = writeProject({
      'mix.exs': mixExsFor(':storefront', ', deps: [{:phoenix, "~> 1.7"}]'),
      'lib/storefront_web/endpoint.ex': 'defmodule StoreFrontWeb.Endpoint do\n  use Phoenix.Endpoint, otp_app: :storefront\nend\n',
    });
    const facts = await inspectProject(root);
    expect(facts.namespace).toBe('Storefront');
    expect(facts.webModule).toBe('StoreFrontWeb');
  });

  it('treats a Phoenix-shaped endpoint as a web app even without the phoenix dep', async () => {
    const root = writeProject({
      'mix.exs': mixExsFor(':plain', ', deps: [{:plug_cowboy, "~> 2.7"}]'),
      'lib/plain_web/endpoint.ex': 'defmodule PlainWeb.Endpoint do\nend\n',
    });
    const facts = await inspectProject(root);
    expect(facts.webModule).toBe('PlainWeb');
    expect(facts.phoenix).toBe(true);
  });

  it('has no web module without phoenix and without an endpoint file', async () => {
    const root = writeProject({ 'mix.exs': mixExsFor(':plain', ', deps: [{:plug_cowboy, "~> 2.7"}]') });
    const facts = await inspectProject(root);
    expect(facts.webModule).toBeNull();
    expect(facts.phoenix).toBe(false);
  });

  it('the last namespace setting wins, as when Config evaluates the file', async () => {
    const root = writeProject({
      'mix.exs': mixExsFor(':acme'),
      'config/config.exs': 'import Config\nconfig :acme, namespace: First\nconfig :acme, namespace: Acme.Second\n',
    });
    expect((await inspectProject(root)).namespace).toBe('Acme.Second');
  });
});

describe('umbrella projects', () => {
  it('reads every app, and takes app, namespace and web module from the one web app', async () => {
    const root = path.join(shapesDir, 'umbrella');
    const facts = await inspectProject(root);
    expect(facts.umbrella).toEqual({
      appsPath: 'apps',
      apps: [
        {
          app: 'bank',
          dir: 'apps/bank',
          namespace: 'Bank',
          deps: ['dns_cluster', 'phoenix_pubsub', 'ecto_sql', 'postgrex', 'jason', 'swoosh', 'finch'],
          webModule: null,
          ecto: true,
          aliases: ['setup', 'ecto.setup', 'test'],
        },
        {
          app: 'bank_web',
          dir: 'apps/bank_web',
          namespace: 'BankWeb',
          deps: ['phoenix', 'phoenix_ecto', 'phoenix_html', 'phoenix_live_view', 'bank', 'jason', 'bandit'],
          webModule: 'BankWeb',
          ecto: false,
          aliases: ['setup'],
        },
      ],
    });
    expect(facts).toMatchObject({
      app: 'bank_web',
      namespace: 'BankWeb',
      webModule: 'BankWeb',
      version: '0.1.0',
      elixirRequirement: '~> 1.14',
      phoenix: true,
      ecto: true,
      ectoAdapters: ['postgrex'],
      dnsCluster: true,
      releases: [
        {
          name: 'bank',
          includeExecutablesFor: ['unix'],
          applications: { bank: 'permanent', bank_web: 'permanent' },
          path: null,
          overlays: null,
        },
      ],
    });
    expect(facts.deps[0]).toBe('phoenix_live_view');
    expect(new Set(facts.deps).size).toBe(facts.deps.length);
  });

  it('takes namespaces from an app config first, then the root config', async () => {
    const root = writeProject({
      'mix.exs': 'defmodule U.MixProject do\n  use Mix.Project\n  def project, do: [apps_path: "services"]\nend\n',
      'config/config.exs': 'import Config\nconfig :core, namespace: CoreAPI\nconfig :mailer, namespace: Ignored\n',
      'services/core/mix.exs': mixExsFor(':core'),
      'services/mailer/mix.exs': mixExsFor(':mailer'),
      'services/mailer/config/config.exs': 'import Config\nconfig :mailer, namespace: SMTPMailer\n',
      'services/portal/mix.exs': mixExsFor(':portal', ', deps: [{:phoenix, "~> 1.7"}]'),
      'services/portal/lib/portal/endpoint.ex': 'defmodule Portal.Endpoint do\nend\n',
      'services/site/mix.exs': mixExsFor(':site', ', deps: [{:phoenix, "~> 1.7"}]'),
      'services/site/lib/site_web/endpoint.ex': 'defmodule SiteWeb.Endpoint do\nend\n',
    });
    const facts = await inspectProject(root);
    const apps = facts.umbrella?.apps ?? [];
    expect(apps.map((app) => [app.dir, app.namespace, app.webModule])).toEqual([
      ['services/core', 'CoreAPI', null],
      ['services/mailer', 'SMTPMailer', null],
      ['services/portal', 'Portal', 'Portal'],
      ['services/site', 'Site', 'SiteWeb'],
    ]);
    // Two web apps: no single choice, so the first app stands for the project.
    expect(facts).toMatchObject({ app: 'core', namespace: 'CoreAPI', webModule: 'Portal', phoenix: true });
  });

  it('finds the app owning the repos from ecto_repos config when no app depends on ecto_sql', async () => {
    const root = writeProject({
      'mix.exs': 'defmodule U.MixProject do\n  use Mix.Project\n  def project, do: [apps_path: "apps"]\nend\n',
      'config/config.exs': 'import Config\nconfig :data, ecto_repos: [Data.Repo]\n',
      'apps/data/mix.exs': mixExsFor(':data'),
      'apps/web/mix.exs': mixExsFor(':web'),
    });
    const apps = (await inspectProject(root)).umbrella?.apps ?? [];
    expect(apps.map((app) => [app.app, app.ecto])).toEqual([
      ['data', true],
      ['web', false],
    ]);
  });

  it('trusts the ecto_sql dep over ecto_repos config, which phx.new also writes for the web app', async () => {
    const root = writeProject({
      'mix.exs': 'defmodule U.MixProject do\n  use Mix.Project\n  def project, do: [apps_path: "apps"]\nend\n',
      'config/config.exs': 'import Config\nconfig :data, ecto_repos: [Data.Repo]\nconfig :web, ecto_repos: [Data.Repo]\n',
      'apps/data/mix.exs': mixExsFor(':data', ', deps: [{:ecto_sql, "~> 3.10"}]'),
      'apps/web/mix.exs': mixExsFor(':web'),
    });
    const apps = (await inspectProject(root)).umbrella?.apps ?? [];
    expect(apps.map((app) => [app.app, app.ecto])).toEqual([
      ['data', true],
      ['web', false],
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
