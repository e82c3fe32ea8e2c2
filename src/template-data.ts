// The one object every template renders from, built once per run from the project facts, the
// answers, the chosen images and the project's file layout. Every decision lives here (and in the
// generators), so the templates only need `if` and `each`.
import type { Answers, ImageChoice, ProjectFacts, UmbrellaApp } from './types.js';

/** Which files and directories exist in the project, so the Dockerfile COPYs only real paths. */
export interface ProjectLayout {
  /** `mix.lock` exists at the root. */
  mixLock: boolean;
  /** `config/config.exs` exists. */
  configExs: boolean;
  /** `config/prod.exs` exists. */
  prodConfig: boolean;
  /** `priv/` exists at the root (unused for umbrellas, whose `apps/` is copied whole). */
  priv: boolean;
  /**
   * The assets directory relative to the root, when it exists: `assets`, or in an umbrella the
   * web app's (`apps/my_app_web/assets`); null when there is none.
   */
  assetsDir: string | null;
  /** `<assetsDir>/package.json` exists. */
  assetsPackageJson: boolean;
  /** `<assetsDir>/package-lock.json` exists (`npm ci` needs it). */
  assetsPackageLock: boolean;
}

/**
 * The images as the chooser hands them over, plus `asOf` (the bundled catalog's date) and a third
 * source, `given`: tags typed in by a plop user, which nothing checked.
 */
export type PlannedImage = Omit<ImageChoice, 'source'> & {
  source: ImageChoice['source'] | 'given';
  asOf?: string | null;
};

export interface ImageData {
  elixir: string;
  otp: string;
  codename: string;
  /** `<codename>-<date>-slim`, the suffix both images share. */
  debianVersion: string;
  builder: string;
  runner: string;
  /** True when the tags were confirmed by the online index. */
  verified: boolean;
  /** True when the tags come from the bundled catalog, dated `catalogAsOf` when known. */
  fromCatalog: boolean;
  catalogAsOf: string | null;
  /** Major version of the `node:` image for the assets stage. */
  nodeVersion: string;
}

export interface TemplateData {
  /** The OTP app whose `Release` module is generated (in an umbrella, the one owning the repos). */
  app: string;
  /** The release the scripts call, `bin/<release>`. */
  release: string;
  /** Namespace of `app`, e.g. `MyApp` → `MyApp.Release`. */
  namespace: string;
  webModule: string | null;
  /** The scripts start the Phoenix endpoint (`PHX_SERVER=true`). */
  phoenix: boolean;
  ecto: boolean;
  docker: boolean;
  /** The release includes executables for unix / windows. */
  unix: boolean;
  windows: boolean;
  /** Where `Release` is written, e.g. `lib/my_app/release.ex`. */
  releaseModulePath: string;
  umbrella: boolean;
  /** The umbrella's `apps_path:` (`apps` as phx.new writes it); empty outside umbrellas. */
  appsPath: string;
  /** Every umbrella app (empty outside umbrellas), for the Dockerfile's per-app mix.exs. */
  umbrellaApps: Array<{ app: string; dir: string }>;
  /** The build command: `mix release`, or `mix release <name>` when mix.exs declares several. */
  releaseCommand: string;
  /** Where the builder stage assembles the release (`path:` of the release, else Mix's default). */
  builtReleaseDir: string;
  /** Overlay directories of `overlays:` that `COPY rel rel` does not bring into the image. */
  extraOverlays: string[];
  /** Only with `docker`: the Dockerfile is the only template that reads it. */
  image: ImageData | null;
  files: {
    mixLock: boolean;
    /** config/config.exs exists: the compile-time configuration. */
    compileConfig: boolean;
    prodConfig: boolean;
    runtimeConfig: boolean;
    priv: boolean;
  };
  /** An assets directory exists: the Dockerfile copies it and builds the static files. */
  assets: boolean;
  /** mix.exs has (or may have) the `assets.setup` / `assets.deploy` aliases phx.new writes. */
  assetsSetup: boolean;
  assetsDeploy: boolean;
  assetsDir: string;
  /** The assets directory needs its own COPY (in an umbrella, `COPY apps apps` brings it). */
  copyAssets: boolean;
  /** `<assetsDir>/package.json` exists: a Node stage installs its packages. */
  nodeStage: boolean;
  packageLock: boolean;
}

// Node majors with `-<codename>-slim` images on Docker Hub; newer Node dropped older codenames.
const NODE_BY_CODENAME: Record<string, string> = { bullseye: '22', bookworm: '24', trixie: '24' };
const DEFAULT_NODE = '24';

/** Builds the data every template renders from. Pure: no I/O. */
export function buildTemplateData(
  facts: ProjectFacts,
  answers: Answers,
  image: PlannedImage | null,
  layout: ProjectLayout,
): TemplateData {
  const owner = pickReleaseModuleOwner(facts, answers);
  // Mix builds both kinds of executables unless the release says otherwise.
  const chosen = facts.releases.find((r) => r.name === answers.release);
  const executables = chosen?.includeExecutablesFor ?? ['unix', 'windows'];
  const webApp = facts.umbrella ? pickWebApp(facts, answers) : null;
  const assetsDir = layout.assetsDir ?? '';
  return {
    app: owner.app,
    release: answers.release,
    namespace: owner.namespace,
    webModule: facts.umbrella ? (webApp?.webModule ?? null) : facts.webModule,
    phoenix: facts.umbrella ? webApp !== null : facts.phoenix,
    ecto: answers.ecto,
    docker: answers.docker,
    unix: executables.includes('unix'),
    windows: executables.includes('windows'),
    releaseModulePath: `${owner.dir}lib/${owner.app}/release.ex`,
    umbrella: facts.umbrella !== null,
    appsPath: facts.umbrella ? normalizeDir(facts.umbrella.appsPath) : '',
    umbrellaApps: (facts.umbrella?.apps ?? []).map((a) => ({ app: a.app, dir: trimSlashes(a.dir) })),
    releaseCommand: mixReleaseCommand(facts, answers.release),
    builtReleaseDir: builtReleaseDir(declaredReleasePath(facts, answers.release), answers.release),
    extraOverlays: extraOverlayDirs(chosen?.overlays ?? []),
    image: image && describeImage(image),
    files: {
      mixLock: layout.mixLock,
      compileConfig: layout.configExs,
      // Mix reads config/prod.exs only through an import in config.exs.
      prodConfig: layout.configExs && layout.prodConfig,
      runtimeConfig: facts.runtimeExs !== null,
      priv: layout.priv,
    },
    assets: assetsDir !== '',
    // Phoenix 1.6 has no assets.setup alias, older apps neither: run only the aliases mix.exs has.
    assetsSetup: assetsDir !== '' && mayHaveAlias(facts, 'assets.setup'),
    assetsDeploy: assetsDir !== '' && mayHaveAlias(facts, 'assets.deploy'),
    assetsDir,
    copyAssets: assetsDir !== '' && facts.umbrella === null,
    nodeStage: assetsDir !== '' && layout.assetsPackageJson,
    packageLock: assetsDir !== '' && layout.assetsPackageJson && layout.assetsPackageLock,
  };
}

function mayHaveAlias(facts: ProjectFacts, name: string): boolean {
  return facts.mixAliases == null || facts.mixAliases.includes(name);
}

function describeImage(image: PlannedImage): ImageData {
  return {
    elixir: image.elixir,
    otp: image.otp,
    codename: image.codename,
    debianVersion: `${image.codename}-${image.date}-slim`,
    builder: image.builder,
    runner: image.runner,
    verified: image.source === 'index',
    fromCatalog: image.source === 'catalog',
    catalogAsOf: image.source === 'catalog' ? (image.asOf ?? null) : null,
    nodeVersion: NODE_BY_CODENAME[image.codename] ?? DEFAULT_NODE,
  };
}

/**
 * The umbrella apps a release holds: those its `applications:` lists and the umbrella apps they
 * depend on, as Mix includes them; every app when the release lists none (or is not declared).
 */
export function appsInRelease(facts: Pick<ProjectFacts, 'umbrella' | 'releases'>, release: string): UmbrellaApp[] {
  const apps = facts.umbrella?.apps ?? [];
  const listed = Object.keys(facts.releases.find((r) => r.name === release)?.applications ?? {});
  const wanted = new Set(listed.filter((name) => apps.some((a) => a.app === name)));
  if (wanted.size === 0) return apps;
  for (const name of wanted) {
    for (const dep of apps.find((a) => a.app === name)?.deps ?? []) {
      if (apps.some((a) => a.app === dep)) wanted.add(dep);
    }
  }
  return apps.filter((a) => wanted.has(a.app));
}

/** The umbrella web apps (a Phoenix endpoint) among those a release holds. */
export function webAppsInRelease(facts: Pick<ProjectFacts, 'umbrella' | 'releases'>, release: string): UmbrellaApp[] {
  return appsInRelease(facts, release).filter((a) => a.webModule !== null);
}

/**
 * The umbrella web app whose endpoint the run sets up: the one answered (`--app` or the prompt;
 * null when the run decided there is none), else the one the facts name, else the first.
 */
export function pickWebApp(
  facts: Pick<ProjectFacts, 'umbrella' | 'releases' | 'webModule'>,
  answers: Pick<Answers, 'release' | 'app'>,
): UmbrellaApp | null {
  const web = webAppsInRelease(facts, answers.release);
  if (answers.app !== undefined) return web.find((a) => a.app === answers.app) ?? null;
  return web.find((a) => a.webModule === facts.webModule) ?? web[0] ?? null;
}

/**
 * In an umbrella, migrations belong to the app of the release that owns the repos. Several may
 * name the same repos (phx.new --umbrella configures `ecto_repos` for the web app too): the core
 * app, one the others depend on and not a web app, is the owner. With `--ecto` and no app owning
 * repos, the same rule picks the core app.
 */
function pickReleaseModuleOwner(facts: ProjectFacts, answers: Answers): { app: string; namespace: string; dir: string } {
  if (!facts.umbrella) return { app: facts.app, namespace: facts.namespace, dir: '' };
  const apps = appsInRelease(facts, answers.release);
  const owner = pickCoreApp(apps.filter((a) => a.ecto), apps) ?? pickCoreApp(apps, apps) ?? facts.umbrella.apps[0]!;
  return { app: owner.app, namespace: owner.namespace, dir: `${trimSlashes(owner.dir)}/` };
}

function pickCoreApp(candidates: UmbrellaApp[], apps: UmbrellaApp[]): UmbrellaApp | undefined {
  const dependedOn = (a: UmbrellaApp) => apps.some((other) => other.deps.includes(a.app));
  return (
    candidates.find((a) => a.webModule === null && dependedOn(a)) ??
    candidates.find((a) => a.webModule === null) ??
    candidates.find(dependedOn) ??
    candidates[0]
  );
}

/** With several releases, `mix release` without a name stops and asks for one. */
export function mixReleaseCommand(facts: Pick<ProjectFacts, 'releases'>, release: string): string {
  return facts.releases.length > 1 ? `mix release ${release}` : 'mix release';
}

/** The release's `path:` (relative to the project, or absolute), tidied; '' when not set. */
export function declaredReleasePath(facts: Pick<ProjectFacts, 'releases'>, release: string): string {
  const declared = facts.releases.find((r) => r.name === release)?.path;
  return declared ? normalizeDir(declared) : '';
}

/** The release's directory in the builder, whose WORKDIR is /app. */
function builtReleaseDir(declaredPath: string, release: string): string {
  if (declaredPath === '') return `/app/_build/\${MIX_ENV}/rel/${release}`;
  return declaredPath.startsWith('/') ? declaredPath : `/app/${declaredPath}`;
}

/**
 * Mix copies `rel/overlays` and every directory of `overlays:`. `COPY rel rel` brings the first
 * into the image; the others need their own COPY. Paths outside the project cannot be copied
 * into a Docker build context and are left out.
 */
function extraOverlayDirs(overlays: string[]): string[] {
  const dirs = overlays
    .map(normalizeDir)
    .filter((dir) => dir !== '' && dir !== '.' && !dir.startsWith('/') && !dir.split('/').includes('..'))
    .filter((dir) => dir !== 'rel' && !dir.startsWith('rel/'));
  return [...new Set(dirs)];
}

function normalizeDir(dir: string): string {
  return trimSlashes(dir.replace(/\/+/g, '/').replace(/^(\.\/)+/, ''));
}

function trimSlashes(dir: string): string {
  return dir.replace(/^\.\/+/, '').replace(/(.)\/+$/, '$1');
}
