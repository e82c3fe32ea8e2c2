// The one object every template renders from, built once per run from the project facts, the
// answers, the chosen images and the project's file layout. Every decision lives here (and in the
// generators), so the templates only need `if` and `each`.
import type { DockerData } from './docker-data.js';
import type { ServerEnv } from './runtime-config/index.js';
import type { Target } from './target.js';
import type { Answers, AppFacts, ImageChoice, ProjectFacts } from './types.js';

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
  /** The OTP app whose release tasks bin/migrate runs (in an umbrella, the one owning the repos). */
  app: string;
  /** The release the scripts call, `bin/<release>`. */
  release: string;
  /** Namespace of `app`, e.g. `FleetMate`. */
  namespace: string;
  /** The module bin/migrate calls: the project's own release-tasks module, or the one generated. */
  releaseModule: string;
  /** The project already has `releaseModule` (at `releaseModulePath`): it is kept, not written. */
  releaseModuleExists: boolean;
  /** The release serves a Phoenix app. */
  phoenix: boolean;
  /**
   * The variables bin/server sets so the endpoints serve (PHX_SERVER, or the project's own switch),
   * each with its value quoted for sh and whether cmd needs `set "NAME=value"`. The templates put
   * them together (`NAME=value`): plop, which escapes what it substitutes, then renders them alike.
   */
  serverEnv: Array<ServerEnv & { sh: string; quoteBat: boolean }>;
  /** Where Mix copies overlays from for this release: `<rel_templates_path>/overlays`. */
  overlaysDir: string;
  /** The directory holding the release's templates and overlays, which the Dockerfile copies:
   *  `rel`, or the release's `rel_templates_path` when that lies outside it. */
  relDir: string;
  /** A repo for the rollback example in the release module's docs. */
  exampleRepo: string;
  ecto: boolean;
  /** The release includes executables for unix / windows. */
  unix: boolean;
  windows: boolean;
  /** Where the release module is (or is written), e.g. `lib/my_app/release.ex`. */
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
  /** Only with --docker: the Dockerfile is the only template that reads it. */
  image: ImageData | null;
  /** Only with --docker: what the Dockerfile copies and runs, and what .dockerignore leaves out. */
  docker: DockerData | null;
}

// Node majors with `-<codename>-slim` images on Docker Hub; newer Node dropped older codenames.
const NODE_BY_CODENAME: Record<string, string> = { bullseye: '22', bookworm: '24', trixie: '24' };
const DEFAULT_NODE = '24';

/** What template data is built from: the target, the answers, and what earlier steps decided. */
export interface TemplateInput {
  target: Target;
  answers: Answers;
  image: PlannedImage | null;
  /** What the Dockerfile copies and runs; null without --docker. */
  docker: DockerData | null;
  /** The variables bin/server sets (from the runtime.exs step). */
  serverEnv: ServerEnv[];
}

/** Builds the data every template renders from. Pure: no I/O. */
export function buildTemplateData({ target, answers, image, docker, serverEnv }: TemplateInput): TemplateData {
  const { facts, owner, release } = target;
  const tasks = releaseModuleOf(owner);
  const relTemplates = normalizeDir(release.relTemplatesPath ?? 'rel') || 'rel';
  const env = serverEnv.filter((e) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(e.name));
  return {
    app: owner.app,
    release: release.name,
    namespace: owner.namespace,
    releaseModule: tasks.module,
    releaseModuleExists: tasks.exists,
    phoenix: target.phoenix,
    serverEnv: env.map((e) => ({ ...e, sh: shellWord(e.value), quoteBat: !SAFE_WORD.test(e.value) })),
    overlaysDir: `${relTemplates}/overlays`,
    relDir: isUnder(relTemplates, 'rel') ? 'rel' : relTemplates,
    exampleRepo: owner.repos[0] ?? `${owner.namespace}.Repo`,
    ecto: answers.ecto,
    unix: release.includeExecutablesFor.includes('unix'),
    windows: release.includeExecutablesFor.includes('windows'),
    releaseModulePath: tasks.path,
    umbrella: facts.umbrella !== null,
    appsPath: facts.umbrella ? normalizeDir(facts.umbrella.appsPath) : '',
    umbrellaApps: facts.umbrella ? facts.apps.map((a) => ({ app: a.app, dir: trimSlashes(a.dir) })) : [],
    releaseCommand: mixReleaseCommand(facts, release.name),
    builtReleaseDir: builtReleaseDir(declaredReleasePath(facts, release.name), release.name),
    extraOverlays: extraOverlayDirs(release.overlays ?? [], relTemplates),
    image: image && describeImage(image),
    docker,
  };
}

/**
 * The module bin/migrate calls: the app's own release-tasks module when it has one, else the one
 * to generate, `<Namespace>.Release` (or `.ReleaseTasks` when the app already defines a
 * `Release` module that is something else).
 */
export function releaseModuleOf(owner: AppFacts): { module: string; path: string; exists: boolean } {
  if (owner.releaseTasks) return { module: owner.releaseTasks.module, path: owner.releaseTasks.file, exists: true };
  const taken = (name: string) => owner.definedReleaseNames.includes(name);
  const name = taken(`${owner.namespace}.Release`) ? 'ReleaseTasks' : 'Release';
  const file = name === 'Release' ? 'release.ex' : 'release_tasks.ex';
  return { module: `${owner.namespace}.${name}`, path: `${owner.dir ? `${trimSlashes(owner.dir)}/` : ''}lib/${owner.app}/${file}`, exists: false };
}

// A value that means the same bare in sh and in cmd.
const SAFE_WORD = /^[A-Za-z0-9_.:/@+-]+$/;

/** A value as one shell word: bare when it is plainly safe, else single-quoted. */
function shellWord(value: string): string {
  return SAFE_WORD.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
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
 * Mix copies `<rel_templates_path>/overlays` and every directory of `overlays:`. `COPY rel rel`
 * (and the copy of a `rel_templates_path` outside rel/) brings the first in; the others need their
 * own COPY. Paths outside the project cannot be copied
 * into a Docker build context and are left out.
 */
function extraOverlayDirs(overlays: string[], relTemplates: string): string[] {
  const dirs = overlays
    .map(normalizeDir)
    .filter((dir) => dir !== '' && dir !== '.' && !dir.startsWith('/') && !dir.split('/').includes('..'))
    .filter((dir) => !isUnder(dir, 'rel') && !isUnder(dir, relTemplates));
  return [...new Set(dirs)];
}

function isUnder(dir: string, parent: string): boolean {
  return dir === parent || dir.startsWith(`${parent}/`);
}

function normalizeDir(dir: string): string {
  return trimSlashes(dir.replace(/\/+/g, '/').replace(/^(\.\/)+/, ''));
}

function trimSlashes(dir: string): string {
  return dir.replace(/^\.\/+/, '').replace(/(.)\/+$/, '$1');
}
