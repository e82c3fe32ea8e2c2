// Fixture projects as the inspect step would describe them, with the layout and images a run
// would hand to plan. One per situation the generated files must handle.
import type { PlannedImage, ProjectLayout } from '../../src/template-data.js';
import type { Answers, ProjectFacts, ReleaseFacts } from '../../src/types.js';

export interface PlanFixture {
  name: string;
  facts: ProjectFacts;
  answers: Answers;
  layout: ProjectLayout;
  image: PlannedImage | null;
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
    assets: { dir: false, packageJson: false },
    runtimeExs,
    ...overrides,
  };
}

function release(name: string, includeExecutablesFor: ReleaseFacts['includeExecutablesFor']): ReleaseFacts {
  return { name, includeExecutablesFor, applications: {}, path: null, overlays: null };
}

const answers: Answers = { ecto: true, docker: true, release: 'my_app', patchRuntime: false };

export const fixtures: PlanFixture[] = [
  {
    name: 'phoenix-ecto',
    facts: phoenixFacts({ assets: { dir: true, packageJson: false } }),
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
    facts: phoenixFacts({ assets: { dir: true, packageJson: true } }),
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
];

export function fixture(name: string): PlanFixture {
  const found = fixtures.find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}
