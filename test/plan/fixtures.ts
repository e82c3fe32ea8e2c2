// Fixture projects as the inspect step would describe them, with the layout and images a run
// would hand to plan. One per situation the generated files must handle.
import type { PlannedImage, ProjectLayout } from '../../src/template-data.js';
import type { Answers, ProjectFacts, ReleaseFacts, UmbrellaApp } from '../../src/types.js';

export interface PlanFixture {
  name: string;
  facts: ProjectFacts;
  answers: Answers;
  layout: ProjectLayout;
  image: PlannedImage | null;
  /** The release serves a web endpoint (bin/server sets PHX_SERVER), when the facts alone do not say. */
  servesWeb?: boolean;
}

export const catalogImage: PlannedImage = {
  elixir: '1.18.4',
  otp: '27.3.4.3',
  codename: 'trixie',
  date: '20250908',
  builder: 'hexpm/elixir:1.18.4-erlang-27.3.4.3-debian-trixie-20250908-slim',
  runner: 'debian:trixie-20250908-slim',
  source: 'catalog',
  warnings: [],
  asOf: '2026-11',
};

export const indexImage: PlannedImage = {
  elixir: '1.17.3',
  otp: '26.2.5.6',
  codename: 'bookworm',
  date: '20241016',
  builder: 'hexpm/elixir:1.17.3-erlang-26.2.5.6-debian-bookworm-20241016-slim',
  runner: 'debian:bookworm-20241016-slim',
  source: 'index',
  warnings: [],
};

const fullLayout: ProjectLayout = {
  mixLock: true,
  configExs: true,
  prodConfig: true,
  priv: true,
  assetsDir: null,
  assetsPackageJson: false,
  assetsPackageLock: false,
};

const runtimeExs = 'import Config\n';

function phoenixFacts(overrides: Partial<ProjectFacts> = {}): ProjectFacts {
  return {
    root: '/projects/my_app',
    app: 'my_app',
    version: '0.1.0',
    elixirRequirement: '~> 1.14',
    deps: ['phoenix', 'phoenix_ecto', 'ecto_sql', 'postgrex', 'dns_cluster'],
    umbrella: null,
    releases: [],
    namespace: 'MyApp',
    webModule: 'MyAppWeb',
    phoenix: true,
    ecto: true,
    ectoAdapters: ['postgrex'],
    dnsCluster: true,
    releasesExs: false,
    runtimeExs,
    ...overrides,
  };
}

function release(
  name: string,
  includeExecutablesFor: ReleaseFacts['includeExecutablesFor'],
  more: Partial<ReleaseFacts> = {},
): ReleaseFacts {
  return { name, includeExecutablesFor, applications: {}, path: null, overlays: null, ...more };
}

// An umbrella with a core app owning the repos (namespace from its own config) and two web apps,
// and three releases: everything, the admin site alone, and a worker with no web app.
const acmeApps: UmbrellaApp[] = [
  { app: 'admin_web', dir: 'apps/admin_web', namespace: 'AdminWeb', deps: ['phoenix', 'core'], webModule: 'AdminWeb', ecto: false },
  { app: 'core', dir: 'apps/core', namespace: 'Acme.Core', deps: ['ecto_sql', 'postgrex'], webModule: null, ecto: true },
  { app: 'shop_web', dir: 'apps/shop_web', namespace: 'ShopWeb', deps: ['phoenix', 'core'], webModule: 'ShopWeb', ecto: true },
];
const permanent = (...apps: string[]) => Object.fromEntries(apps.map((a) => [a, 'permanent']));
const acmeReleases = [
  release('acme', ['unix', 'windows'], { applications: permanent('core', 'admin_web', 'shop_web') }),
  release('admin', ['unix'], { applications: permanent('admin_web') }),
  release('worker', ['unix'], { applications: permanent('core') }),
];

const answers: Answers = { ecto: true, docker: true, release: 'my_app', patchRuntime: false };

export const fixtures: PlanFixture[] = [
  {
    name: 'phoenix-ecto',
    facts: phoenixFacts(),
    answers,
    layout: { ...fullLayout, assetsDir: 'assets' },
    image: catalogImage,
  },
  {
    name: 'phoenix-no-ecto',
    facts: phoenixFacts({ deps: ['phoenix'], ecto: false, ectoAdapters: [], dnsCluster: false }),
    answers: { ...answers, ecto: false },
    layout: { ...fullLayout, mixLock: false, priv: false },
    image: indexImage,
  },
  {
    name: 'phoenix-assets-npm',
    facts: phoenixFacts(),
    answers,
    layout: { ...fullLayout, assetsDir: 'assets', assetsPackageJson: true, assetsPackageLock: true },
    image: catalogImage,
  },
  {
    name: 'plain-mix',
    facts: phoenixFacts({
      root: '/projects/worker',
      app: 'worker',
      deps: [],
      namespace: 'Worker',
      webModule: null,
      phoenix: false,
      ecto: false,
      ectoAdapters: [],
      dnsCluster: false,
      runtimeExs: null,
    }),
    answers: { ...answers, ecto: false, release: 'worker' },
    layout: { ...fullLayout, mixLock: false, configExs: false, prodConfig: false, priv: false },
    image: catalogImage,
  },
  {
    name: 'named-release',
    facts: phoenixFacts({
      app: 'shop',
      namespace: 'Acme.Shop',
      webModule: 'Acme.ShopWeb',
      releases: [release('storefront', ['unix', 'windows']), release('admin', ['unix'])],
    }),
    answers: { ...answers, release: 'storefront' },
    layout: { ...fullLayout, prodConfig: false },
    image: catalogImage,
  },
  {
    name: 'unix-only',
    facts: phoenixFacts({ releases: [release('my_app', ['unix'])] }),
    answers: { ...answers, docker: false },
    layout: fullLayout,
    image: null,
  },
  {
    name: 'umbrella',
    facts: phoenixFacts({
      root: '/projects/hub',
      app: 'hub_umbrella',
      namespace: 'HubUmbrella',
      webModule: null,
      phoenix: false,
      umbrella: {
        appsPath: 'apps',
        apps: [
          { app: 'hub', dir: 'apps/hub', namespace: 'Hub', deps: ['ecto_sql', 'postgrex'], webModule: null, ecto: true },
          {
            app: 'hub_web',
            dir: 'apps/hub_web',
            namespace: 'HubWeb',
            deps: ['phoenix', 'hub'],
            webModule: 'HubWeb',
            ecto: false,
          },
        ],
      },
      releases: [release('hub', ['unix', 'windows'])],
    }),
    answers: { ...answers, release: 'hub' },
    layout: {
      ...fullLayout,
      priv: false,
      assetsDir: 'apps/hub_web/assets',
      assetsPackageJson: true,
      assetsPackageLock: false,
    },
    image: catalogImage,
  },
  {
    // A release named apart from its app, assembled under `path:`, with an overlay dir of its own.
    name: 'release-path-overlays',
    facts: phoenixFacts({
      root: '/projects/store_v2',
      app: 'store_v2',
      namespace: 'StoreV2',
      webModule: 'StoreV2Web',
      releases: [
        release('storefront', ['unix'], { path: 'dist/storefront', overlays: ['rel/overlays', 'deploy/overlays'] }),
      ],
    }),
    answers: { ...answers, release: 'storefront' },
    layout: fullLayout,
    image: catalogImage,
  },
  {
    // No Phoenix, Ecto with an acronym namespace from config.
    name: 'plain-otp-ecto',
    facts: phoenixFacts({
      root: '/projects/acme_api',
      app: 'acme_api',
      deps: ['ecto_sql', 'postgrex'],
      namespace: 'AcmeAPI',
      webModule: null,
      phoenix: false,
      dnsCluster: false,
    }),
    answers: { ...answers, release: 'acme_api' },
    layout: { ...fullLayout, prodConfig: false },
    image: indexImage,
  },
  {
    name: 'umbrella-two-web',
    facts: phoenixFacts({
      root: '/projects/acme_umbrella',
      app: 'shop_web',
      namespace: 'ShopWeb',
      webModule: 'ShopWeb',
      umbrella: { appsPath: 'apps', apps: acmeApps },
      releases: acmeReleases,
    }),
    answers: { ...answers, release: 'acme', app: 'shop_web' },
    layout: { ...fullLayout, priv: false },
    image: catalogImage,
    servesWeb: true,
  },
  {
    name: 'umbrella-worker',
    facts: phoenixFacts({
      root: '/projects/acme_umbrella',
      app: 'core',
      namespace: 'Acme.Core',
      webModule: null,
      phoenix: false,
      umbrella: { appsPath: 'apps', apps: acmeApps },
      releases: acmeReleases,
    }),
    answers: { ...answers, release: 'worker', app: null },
    layout: { ...fullLayout, priv: false },
    image: catalogImage,
    servesWeb: false,
  },
];

export function fixture(name: string): PlanFixture {
  const found = fixtures.find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}
