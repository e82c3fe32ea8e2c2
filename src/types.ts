import type { DeployTarget } from './deploy/targets.js';
import type { ScriptJob } from './same-job.js';

// The typed hand-offs between the steps of one run:
//   cli → Options → inspect → ProjectFacts → answers → Answers → plan → FileSpec[]
//   → render → RenderedFile[] → commit → WriteResult[] → summary

/** A release declared under `releases:` in mix.exs. */
export interface ReleaseFacts {
  /** The release name, e.g. `my_app` for `releases: [my_app: [...]]`. */
  name: string;
  /** `include_executables_for:`; Mix's default is both. */
  includeExecutablesFor: Array<'unix' | 'windows'>;
  /** `applications:` as app name → start type (`permanent`, `temporary`, ...). */
  applications: Record<string, string>;
  /** `path:` when set (where `mix release` assembles it), else null. */
  path: string | null;
  /** `overlays:` when set (Mix always adds `<rel_templates_path>/overlays`). */
  overlays: string[] | null;
  /** `rel_templates_path:` when set (Mix's default is `rel`): where overlays/ and env.sh.eex live. */
  relTemplatesPath: string | null;
}

/** How a name the run acts on was established, so a wrong guess can be caught before writing. */
export interface Provenance {
  /** Where it was read, in words: `mod: {FleetMate.Application, []} in mix.exs`. */
  from: string;
  /** Nothing in the project said it: a convention filled the gap. */
  guessed: boolean;
}

/** A module that does `use Phoenix.Endpoint`. */
export interface EndpointFacts {
  /** e.g. `FleetMateWeb.Endpoint` */
  module: string;
  /** Project-relative path of the file that defines it. */
  file: string;
  /** The app whose config the endpoint reads (`otp_app:` of its `use`, else the app defining it). */
  otpApp: string;
  /** `config :<otpApp>, <module>, ...` appears in the compile-time config. */
  configured: boolean;
}

/** An existing module that runs migrations without Mix (`migrate/0` over `Ecto.Migrator`). */
export interface ReleaseTasksFacts {
  module: string;
  file: string;
}

/** What `application/0` declares. */
export interface ApplicationSpec {
  /** The callback module of `mod:`, e.g. `FleetMate.Application`; null when there is none. */
  mod: string | null;
  extraApplications: string[];
}

/** One OTP application of the project: the project itself, or one app of an umbrella. */
export interface AppFacts {
  app: string;
  /** Directory relative to the project root: '' for a single-app project, `apps/<name>` in an umbrella. */
  dir: string;
  /** The prefix of the app's modules, e.g. `FleetMate`. */
  namespace: string;
  namespaceFrom: Provenance;
  /** Names of the dependencies its mix.exs declares (any env), in order. */
  deps: string[];
  /** Its mix.exs `version:` and `elixir:` requirement, when literal. */
  version: string | null;
  elixirRequirement: string | null;
  /** `application/0`; null when it could not be read. */
  application: ApplicationSpec | null;
  /** mix.exs has `package:` (published to Hex). */
  hasPackage: boolean;
  /** Source directories of the prod build, relative to the app (`["lib"]` by default). */
  elixircPaths: string[];
  /** The `aliases:` of its mix.exs by name, with their commands; null when they cannot be read. */
  aliases: Record<string, string[]> | null;
  /** Dependencies fetched from a path (relative to the app's dir) or git rather than Hex. */
  depSources: Array<{ name: string; path: string | null; git: string | null }>;
  /** Files its mix.exs reads while Mix loads it (relative to the app's dir), and reads we could not follow. */
  loadTimeFiles: { files: string[]; unresolved: string[] };
  /** Modules in its source that `use Phoenix.Endpoint`, configured ones first. */
  endpoints: EndpointFacts[];
  /** A Phoenix app: a `phoenix` dependency or an endpoint. */
  phoenix: boolean;
  /** An existing release-tasks module, to be used rather than duplicated. */
  releaseTasks: ReleaseTasksFacts | null;
  /** Module names a generated release module could collide with, that the app already defines. */
  definedReleaseNames: string[];
  /** Exactly the `ecto_repos` of its config, in order. */
  repos: string[];
  /** Ecto is in use, and why (`ecto_sql dependency`, `ecto_repos in config/config.exs`...); null when not. */
  ectoFrom: string | null;
}

/**
 * Everything the generators need to know about the project, read without Mix.
 * A single-app project has one entry in `apps` (dir ''); an umbrella has one per app. Which of
 * them a run serves is decided afterwards (see `Target`), once the release is known.
 */
export interface ProjectFacts {
  /** Absolute path of the project root (the directory holding mix.exs). */
  root: string;
  /** `version:` when it is a literal string. */
  version: string | null;
  /** The `elixir:` requirement, e.g. `~> 1.14`. */
  elixirRequirement: string | null;
  /** Set when mix.exs has `apps_path:`. */
  umbrella: { appsPath: string } | null;
  apps: AppFacts[];
  /** Names of every dependency (root and apps). */
  deps: string[];
  /** Releases declared in mix.exs (empty when there is no `releases:`). */
  releases: ReleaseFacts[];
  /** `default_release:` of mix.exs. */
  defaultRelease: string | null;
  /** Ecto adapters the deps bring: postgrex, myxql, tds, ecto_sqlite3. */
  ectoAdapters: string[];
  dnsCluster: boolean;
  /** The compile-time configuration files Mix loads for prod, and imports it could not follow. */
  config: ConfigFiles;
  /** `config/releases.exs` exists (the pre-1.11 runtime config: then runtime.exs is not created). */
  releasesExs: boolean;
  /** Contents of `config/runtime.exs`, or null when it does not exist. */
  runtimeExs: string | null;
  /** What could not be read, each saying what was assumed and the flag that overrides it. */
  warnings: string[];
}

/** The compile-time config files, for the Dockerfile's COPY and for warnings. */
export interface ConfigFiles {
  /** Project-relative, in load order: config/config.exs and what it imports for prod. */
  files: string[];
  /** `import_config` calls whose path could not be worked out (`file:line: text`). */
  unresolved: string[];
  /** Imported files that do not exist (`path`, imported from `file:line`). */
  missing: Array<{ path: string; from: string }>;
}

/** What the Dockerfile must copy and what the build context would carry (read under --docker). */
export interface DockerLayout {
  mixLock: boolean;
  /** mix.lock's packages (version, build tools, deps): native builds and versions. */
  lock: Array<{ name: string; version: string | null; buildTools: string[]; deps: string[] }>;
  /** The compile-time config files Mix loads for prod, in order (config/config.exs first). */
  compileConfig: string[];
  /** config/runtime.exs and config/releases.exs, those that exist. */
  runtimeConfig: string[];
  /** What `mix compile` reads: a single app's prod elixirc_paths and priv/ that exist; an umbrella's apps_path. */
  sources: string[];
  /** Files the mix.exs files read while Mix loads them, project-relative, that exist. */
  loadTimeFiles: string[];
  /** The served web app's assets directory, when it exists. */
  assets: {
    dir: string;
    packageJson: boolean;
    packageLock: boolean;
    /** package.json's scripts (`deploy`, `build`...). */
    scripts: Record<string, string>;
    /** package.json depends on `file:../deps/...`: npm needs the Mix deps fetched first. */
    depsFromMix: boolean;
  } | null;
  /** The web app's priv/static holds files (committed built assets, say). */
  committedStatic: boolean;
  /** Key-like files (*.pem, *.key, id_rsa...) a `docker build` would send, project-relative. */
  keyFiles: string[];
  /** The walk for them stopped early in a very large tree. */
  contextTruncated: boolean;
  /** Config files (loaded or missing) that .gitignore excludes. */
  gitIgnored: string[];
}

/** Where a wanted toolchain version came from, said to the user. */
export interface WantedVersion {
  version: string;
  source: string;
}

export interface Toolchain {
  elixir: WantedVersion | null;
  otp: WantedVersion | null;
}

/** The Docker images chosen for the Dockerfile. */
export interface ImageChoice {
  elixir: string;
  otp: string;
  /** Debian codename, e.g. `trixie`. */
  codename: string;
  /** Debian snapshot date, e.g. `20251006`. */
  date: string;
  /** `hexpm/elixir:<elixir>-erlang-<otp>-debian-<codename>-<date>-slim` */
  builder: string;
  /** `debian:<codename>-<date>-slim` */
  runner: string;
  /** `index` when verified online, `catalog` when taken from the bundled list. */
  source: 'index' | 'catalog';
  /** The bundled catalog's as-of date, when `source` is `catalog`. */
  asOf?: string | null;
  /** Where each version came from and what was chosen, said to the user. */
  notes?: string[];
  warnings: string[];
}

/** The user's decisions: from a flag, else a prompt, else the detected default. */
export interface Answers {
  ecto: boolean;
  docker: boolean;
  /** The release whose binary the scripts call. */
  release: string;
  patchRuntime: boolean;
  /** The platforms to write deploy files for (none unless asked; they need the Docker image). */
  deploy: DeployTarget[];
  /**
   * Umbrella projects: the web app whose endpoint bin/server, runtime.exs and the Docker assets
   * are set up for (`--app`), null when the release holds none. Not set outside umbrellas.
   */
  app?: string | null;
}

export type Eol = 'lf' | 'crlf';

/** One file to write, decided by `plan` with no I/O. */
export interface FileSpec {
  /** POSIX path relative to the project root. */
  path: string;
  /** Template path relative to `templates/`, e.g. `rel/overlays/bin/server.hbs`. */
  template: string;
  mode: number;
  eol: Eol;
  data: Record<string, unknown>;
  /** An overlay script: an existing file that starts the release the same way is kept. */
  sameJob?: ScriptJob;
  /** The project's own version of this file (its release module): kept when it differs, for this reason. */
  keep?: string;
}

export interface RenderedFile {
  path: string;
  content: string;
  mode: number;
  sameJob?: ScriptJob;
  /** The project's own version of this file: kept as it is when it differs, for this reason. */
  keep?: string;
  /** An edit of an existing user file (config/runtime.exs) rather than a generated file:
   *  reported as `patch`, and never a conflict since it was computed from the file's content. */
  patch?: boolean;
}

export type FileStatus = 'create' | 'identical' | 'keep' | 'overwrite' | 'skip' | 'conflict' | 'patch';

export interface WriteResult {
  path: string;
  status: FileStatus;
  /** Why a file is kept (`ChatApi.Release is the project's own...`, `starts the release the same way`). */
  note?: string;
  /** Unified diff against the file on disk (dry runs and conflicts). */
  diff?: string;
  /** An `identical` script that is not executable on disk (left as it is, reported). */
  notExecutable?: boolean;
}

/** A missing piece of `config/runtime.exs`, with the snippet that adds it. */
export interface RuntimeAdvice {
  setting: 'PHX_SERVER' | 'PHX_HOST' | 'ECTO_IPV6';
  message: string;
  snippet: string;
}
