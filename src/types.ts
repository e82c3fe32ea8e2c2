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
  /** `overlays:` when set (Mix's default is `["rel/overlays"]`). */
  overlays: string[] | null;
}

/** One app of an umbrella project (`apps/<name>`). */
export interface UmbrellaApp {
  app: string;
  /** Directory relative to the project root, e.g. `apps/my_app_web`. */
  dir: string;
  namespace: string;
  deps: string[];
  /** The web module when the app depends on Phoenix and has an endpoint. */
  webModule: string | null;
  /** Owns repos: an `ecto_sql` dep, or, when no app of the umbrella has one, `ecto_repos:` config. */
  ecto: boolean;
  /** The `aliases:` of the app's mix.exs by name; null when they cannot be read. */
  aliases?: string[] | null;
}

/**
 * Everything the generators need to know about the project, read without Mix.
 * For an umbrella root (which has no `app:`), `app`, `namespace` and `webModule` are those of the
 * web app when exactly one app has a web module, else of the first app by directory name; `deps`
 * and the flags derived from them cover the root and every app; `releases` are the root's.
 */
export interface ProjectFacts {
  /** Absolute path of the project root (the directory holding mix.exs). */
  root: string;
  /** OTP application name (`app:` in `project/0`), e.g. `my_app`. */
  app: string;
  /** `version:` when it is a literal string. */
  version: string | null;
  /** The `elixir:` requirement, e.g. `~> 1.14`. */
  elixirRequirement: string | null;
  /** Names of the dependencies declared in mix.exs (any env), in order. */
  deps: string[];
  /** Set when mix.exs has `apps_path:`. */
  umbrella: { appsPath: string; apps: UmbrellaApp[] } | null;
  /** Releases declared in mix.exs (empty when there is no `releases:`). */
  releases: ReleaseFacts[];
  /** Module namespace: `config :app, namespace: X`, else the camelized app name. */
  namespace: string;
  /** `<Namespace>Web` for Phoenix projects, else null. */
  webModule: string | null;
  phoenix: boolean;
  /** `ecto_sql` is a dependency. */
  ecto: boolean;
  /** Ecto adapters among the deps: postgrex, myxql, tds, ecto_sqlite3. */
  ectoAdapters: string[];
  dnsCluster: boolean;
  /** `config/releases.exs` exists (the pre-1.11 runtime config: then runtime.exs is not created). */
  releasesExs: boolean;
  /** The `aliases:` of mix.exs by name (in an umbrella, the web app's); null or absent when unknown. */
  mixAliases?: string[] | null;
  /** Contents of `config/runtime.exs`, or null when it does not exist. */
  runtimeExs: string | null;
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
}

export interface RenderedFile {
  path: string;
  content: string;
  mode: number;
  /** An edit of an existing user file (config/runtime.exs) rather than a generated file:
   *  reported as `patch`, and never a conflict since it was computed from the file's content. */
  patch?: boolean;
}

export type FileStatus = 'create' | 'identical' | 'overwrite' | 'skip' | 'conflict' | 'patch';

export interface WriteResult {
  path: string;
  status: FileStatus;
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
