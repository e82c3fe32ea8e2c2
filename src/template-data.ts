// The one object every template renders from, built once per run from the project facts, the
// answers, the chosen images and the project's file layout. Every decision lives here (and in the
// generators), so the templates only need `if` and `each`.
import type { Answers, ImageChoice, ProjectFacts } from './types.js';

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
  /** Every umbrella app (empty outside umbrellas), for the Dockerfile's per-app mix.exs. */
  umbrellaApps: Array<{ app: string; dir: string }>;
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
  /** An assets directory exists: the Dockerfile runs `mix assets.setup` / `assets.deploy`. */
  assets: boolean;
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
  const owner = pickReleaseModuleOwner(facts);
  // Mix builds both kinds of executables unless the release says otherwise.
  const chosen = facts.releases.find((r) => r.name === answers.release);
  const executables = chosen?.includeExecutablesFor ?? ['unix', 'windows'];
  const assetsDir = layout.assetsDir ?? '';
  return {
    app: owner.app,
    release: answers.release,
    namespace: owner.namespace,
    webModule: facts.webModule,
    phoenix: usesPhoenix(facts),
    ecto: answers.ecto,
    docker: answers.docker,
    unix: executables.includes('unix'),
    windows: executables.includes('windows'),
    releaseModulePath: `${owner.dir}lib/${owner.app}/release.ex`,
    umbrella: facts.umbrella !== null,
    umbrellaApps: (facts.umbrella?.apps ?? []).map((a) => ({ app: a.app, dir: trimSlashes(a.dir) })),
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
    assetsDir,
    copyAssets: assetsDir !== '' && facts.umbrella === null,
    nodeStage: assetsDir !== '' && layout.assetsPackageJson,
    packageLock: assetsDir !== '' && layout.assetsPackageJson && layout.assetsPackageLock,
  };
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

/** In an umbrella, migrations belong to the app that owns the repos; elsewhere to the project. */
function pickReleaseModuleOwner(facts: ProjectFacts): { app: string; namespace: string; dir: string } {
  const apps = facts.umbrella?.apps ?? [];
  const owner = apps.find((a) => a.ecto) ?? apps.find((a) => a.app === facts.app) ?? apps[0];
  if (!owner) return { app: facts.app, namespace: facts.namespace, dir: '' };
  return { app: owner.app, namespace: owner.namespace, dir: `${trimSlashes(owner.dir)}/` };
}

function usesPhoenix(facts: ProjectFacts): boolean {
  return facts.phoenix || (facts.umbrella?.apps ?? []).some((a) => a.webModule !== null);
}

function trimSlashes(dir: string): string {
  return dir.replace(/^\.\/+/, '').replace(/\/+$/, '');
}
