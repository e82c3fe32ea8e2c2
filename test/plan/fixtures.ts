// Fixture projects as the inspect step would describe them, with the layout and images a run
// would hand to plan. One per situation the generated files must handle.
import type { PlannedImage } from '../../src/template-data.js';
import type { Answers, AppFacts, ProjectFacts } from '../../src/types.js';
import { appFacts, endpointOf, phoenixApp, projectFacts, release, type LayoutShorthand } from '../helpers/facts.js';

export interface PlanFixture {
  name: string;
  facts: ProjectFacts;
  answers: Answers;
  layout: LayoutShorthand;
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

const fullLayout: LayoutShorthand = {
  mixLock: true,
  configExs: true,
  prodConfig: true,
  priv: true,
  assetsDir: null,
  assetsPackageJson: false,
  assetsPackageLock: false,
};

const runtimeExs = 'import Config\n';

function phoenixFacts(app: Partial<AppFacts> = {}, overrides: Partial<ProjectFacts> = {}): ProjectFacts {
  return projectFacts([phoenixApp('my_app', app)], { root: '/projects/my_app', runtimeExs, ...overrides });
}

// An umbrella with a core app owning the repos (namespace from its own config) and two web apps,
// and three releases: everything, the admin site alone, and a worker with no web app.
const acmeApps: AppFacts[] = [
  appFacts('admin_web', { dir: 'apps/admin_web', namespace: 'AdminWeb', deps: ['phoenix', 'core'], phoenix: true, endpoints: [endpointOf('admin_web', 'Admin', 'apps/admin_web')] }),
  appFacts('core', { dir: 'apps/core', namespace: 'Acme.Core', deps: ['ecto_sql', 'postgrex'], repos: ['Acme.Core.Repo'], ectoFrom: 'the ecto_sql dependency' }),
  appFacts('shop_web', {
    dir: 'apps/shop_web',
    namespace: 'ShopWeb',
    deps: ['phoenix', 'core'],
    phoenix: true,
    endpoints: [endpointOf('shop_web', 'Shop', 'apps/shop_web')],
    repos: ['Acme.Core.Repo'],
    ectoFrom: 'ecto_repos in config/config.exs',
  }),
];
const permanent = (...apps: string[]) => Object.fromEntries(apps.map((a) => [a, 'permanent']));
const acmeReleases = [
  release('acme', ['unix', 'windows'], { applications: permanent('core', 'admin_web', 'shop_web') }),
  release('admin', ['unix'], { applications: permanent('admin_web') }),
  release('worker', ['unix'], { applications: permanent('core') }),
];
const acme = projectFacts(acmeApps, { root: '/projects/acme_umbrella', umbrella: { appsPath: 'apps' }, releases: acmeReleases, runtimeExs });

const answers: Answers = { ecto: true, docker: true, release: 'my_app', patchRuntime: false, deploy: [] };

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
    facts: phoenixFacts({ deps: ['phoenix'], repos: [], ectoFrom: null }),
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
    facts: projectFacts([appFacts('worker')], { root: '/projects/worker', runtimeExs: null }),
    answers: { ...answers, ecto: false, release: 'worker' },
    layout: { ...fullLayout, mixLock: false, configExs: false, prodConfig: false, priv: false },
    image: catalogImage,
  },
  {
    name: 'named-release',
    facts: projectFacts([phoenixApp('shop', { namespace: 'Acme.Shop', endpoints: [endpointOf('shop', 'Acme.Shop')], repos: ['Acme.Shop.Repo'] })], {
      releases: [release('storefront', ['unix', 'windows']), release('admin', ['unix'])],
      runtimeExs,
    }),
    answers: { ...answers, release: 'storefront' },
    layout: { ...fullLayout, prodConfig: false },
    image: catalogImage,
  },
  {
    name: 'unix-only',
    facts: phoenixFacts({}, { releases: [release('my_app', ['unix'])] }),
    answers: { ...answers, docker: false },
    layout: fullLayout,
    image: null,
  },
  {
    name: 'umbrella',
    facts: projectFacts(
      [
        appFacts('hub', { dir: 'apps/hub', namespace: 'Hub', deps: ['ecto_sql', 'postgrex'], repos: ['Hub.Repo'], ectoFrom: 'the ecto_sql dependency' }),
        appFacts('hub_web', { dir: 'apps/hub_web', namespace: 'HubWeb', deps: ['phoenix', 'hub'], phoenix: true, endpoints: [endpointOf('hub_web', 'Hub', 'apps/hub_web')], aliases: { setup: ['deps.get'], 'assets.setup': ['esbuild.install --if-missing'], 'assets.deploy': ['esbuild default --minify', 'phx.digest'] } }),
      ],
      { root: '/projects/hub', umbrella: { appsPath: 'apps' }, releases: [release('hub', ['unix', 'windows'])], runtimeExs },
    ),
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
    facts: projectFacts([phoenixApp('store_v2', { namespace: 'StoreV2' })], {
      root: '/projects/store_v2',
      releases: [release('storefront', ['unix'], { path: 'dist/storefront', overlays: ['rel/overlays', 'deploy/overlays'] })],
      runtimeExs,
    }),
    answers: { ...answers, release: 'storefront' },
    layout: fullLayout,
    image: catalogImage,
  },
  {
    // No Phoenix, Ecto with an acronym namespace from config.
    name: 'plain-otp-ecto',
    facts: projectFacts(
      [appFacts('acme_api', { namespace: 'AcmeAPI', deps: ['ecto_sql', 'postgrex'], repos: ['AcmeAPI.Repo'], ectoFrom: 'the ecto_sql dependency' })],
      { root: '/projects/acme_api', runtimeExs },
    ),
    answers: { ...answers, release: 'acme_api' },
    layout: { ...fullLayout, prodConfig: false },
    image: indexImage,
  },
  {
    name: 'umbrella-two-web',
    facts: acme,
    answers: { ...answers, release: 'acme', app: 'shop_web' },
    layout: { ...fullLayout, priv: false },
    image: catalogImage,
    servesWeb: true,
  },
  {
    name: 'umbrella-worker',
    facts: acme,
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
