// One OTP app as the generators need it, with the names read from its code and config:
// the namespace, its endpoints, an existing release-tasks module, its repos, whether it uses Ecto.
import { CreateReleaseError } from '../errors.js';
import type { AppFacts, EndpointFacts, Provenance } from '../types.js';
import { configValue, type ConfigCall } from './config-files.js';
import type { MixExs } from './mix-exs.js';
import { camelize, validateAppName, validateNamespace } from './names.js';
import { oneLine } from './source-file.js';
import { listSourceFiles, readModules, type ModuleDef } from './source-modules.js';
import { aliasNames } from './values.js';

// Dependencies that bring ecto_sql with them (adapters and the frameworks that wrap them).
// The one list of them: Ecto is in use when the app depends on any.
export const ECTO_SQL_PROVIDERS = ['ecto_sql', 'ecto_sqlite3', 'ecto_ch', 'ash_postgres', 'ash_sqlite', 'ash_mysql'];

// Adapters and what each wrapper uses underneath, for the database advice and the Docker run line.
const ADAPTERS: Record<string, string> = {
  postgrex: 'postgrex',
  myxql: 'myxql',
  tds: 'tds',
  ecto_sqlite3: 'ecto_sqlite3',
  ash_postgres: 'postgrex',
  ash_sqlite: 'ecto_sqlite3',
  ash_mysql: 'myxql',
};

/** The Ecto adapters `deps` bring, in a fixed order. */
export function ectoAdaptersOf(deps: string[]): string[] {
  const found = new Set(deps.flatMap((dep) => (ADAPTERS[dep] ? [ADAPTERS[dep]!] : [])));
  return ['postgrex', 'myxql', 'tds', 'ecto_sqlite3'].filter((adapter) => found.has(adapter));
}

/** The app name from `app:`, or a one-line error saying what to write instead. */
export function requireAppName(mix: MixExs, label: string): string {
  if (!mix.app) {
    throw new CreateReleaseError(
      `${label}: no \`app:\` found in project/0; add \`app: :my_app\` to the keyword list project/0 returns`,
    );
  }
  // `nil` is an atom to Elixir, but to Mix `app: nil` means the project has no app at all.
  if (mix.app.name === null || mix.app.name === 'nil') {
    throw new CreateReleaseError(
      `${label}:${mix.app.line}: cannot read the app name from \`${oneLine(mix.app.text)}\`; ` +
        'write it as an atom (app: :my_app) or a module attribute set to one (@app :my_app)',
    );
  }
  validateAppName(mix.app.name, label);
  return mix.app.name;
}

/** What reading one app needs: where it is, its mix.exs, and the config calls that apply to it. */
export interface AppSource {
  root: string;
  /** '' for a single-app project, else `apps/<name>`. */
  dir: string;
  mix: MixExs;
  calls: ConfigCall[];
}

/** Reads one app. `warnings` receives what it could not decide (an endpoint nobody configures). */
export async function readApp(source: AppSource, warnings: string[]): Promise<AppFacts> {
  const { root, dir, mix, calls } = source;
  const app = requireAppName(mix, `${prefix(dir)}mix.exs`);
  const files = await listSourceFiles(root, dir, mix.elixircPaths);
  const repos = readRepos(calls, app);
  const namespace = namespaceFromConfig(calls, app) ?? namespaceFromCode(app, mix, repos) ?? (await namespaceFromModules(app, dir, files));
  const modules = await readModules(files, (text) => /Phoenix\.Endpoint|Ecto\.Migrator/.test(text) || text.includes(`${namespace.value}.Release`));
  const ectoFrom = readEctoUse(mix.deps, repos);
  return {
    app,
    dir,
    namespace: namespace.value,
    namespaceFrom: namespace.from,
    deps: mix.deps,
    version: mix.version,
    elixirRequirement: mix.elixirRequirement,
    application: mix.application,
    hasPackage: mix.hasPackage,
    elixircPaths: mix.elixircPaths,
    aliases: mix.aliases,
    depSources: mix.depSources,
    loadTimeFiles: mix.loadTimeFiles,
    endpoints: readEndpoints(modules, app, calls, warnings),
    phoenix: mix.deps.includes('phoenix') || modules.some((m) => m.endpoint),
    releaseTasks: pickReleaseTasks(modules),
    definedReleaseNames: modules.map((m) => m.name).filter((name) => name.startsWith(`${namespace.value}.Release`)),
    repos: repos?.modules ?? [],
    ectoFrom,
  };
}

interface Named {
  value: string;
  from: Provenance;
}

interface ReposRead {
  modules: string[];
  file: string;
}

function readRepos(calls: ConfigCall[], app: string): ReposRead | null {
  const found = configValue(calls, app, null, 'ecto_repos');
  return found ? { modules: aliasNames(found.value), file: found.call.file } : null;
}

function namespaceFromConfig(calls: ConfigCall[], app: string): Named | null {
  const found = configValue(calls, app, null, 'namespace');
  if (!found) return null;
  const { value } = found;
  const written = value.kind === 'alias' ? value.name : value.kind === 'atom' ? `:${value.name}` : value.kind === 'string' ? JSON.stringify(value.text) : null;
  // A namespace computed from something we cannot read says nothing.
  if (written === null) return null;
  validateNamespace(written, found.call.file);
  return { value: written, from: { from: `config :${app}, namespace: ${written} in ${found.call.file}`, guessed: false } };
}

/** The prefix of `mod:`'s callback module, else of the first repo. */
function namespaceFromCode(app: string, mix: MixExs, repos: ReposRead | null): Named | null {
  const mod = mix.application?.mod;
  if (mod) return { value: parentOf(mod), from: { from: `mod: {${mod}, ...} in mix.exs`, guessed: false } };
  const repo = repos?.modules[0];
  if (repo?.includes('.')) {
    return { value: parentOf(repo), from: { from: `ecto_repos: [${repo}] in ${repos!.file}`, guessed: false } };
  }
  return null;
}

/** The first segment most modules under lib/<app>/ (and lib/<app>.ex) share; else the camelized app. */
async function namespaceFromModules(app: string, dir: string, files: Array<{ file: string; text: string }>): Promise<Named> {
  const own = files.filter((f) => f.file === `${prefix(dir)}lib/${app}.ex` || f.file.startsWith(`${prefix(dir)}lib/${app}/`));
  const modules = await readModules(own.slice(0, 20), () => true);
  const counts = new Map<string, number>();
  for (const m of modules) counts.set(m.name.split('.')[0]!, (counts.get(m.name.split('.')[0]!) ?? 0) + 1);
  const [best] = [...counts].sort((a, b) => b[1] - a[1]);
  if (best) return { value: best[0], from: { from: `the modules in ${prefix(dir)}lib/${app}/`, guessed: false } };
  return { value: camelize(app), from: { from: `the app name :${app} (nothing in the code names it)`, guessed: true } };
}

/** `FleetMate.Application` → `FleetMate`; a one-segment module is its own namespace. */
function parentOf(module: string): string {
  const parts = module.split('.');
  return parts.length > 1 ? parts.slice(0, -1).join('.') : module;
}

/**
 * The modules that `use Phoenix.Endpoint`. When config names some of them, the others (an
 * endpoint only tests start, say) are left out with a warning: they serve nothing in the release.
 */
function readEndpoints(modules: ModuleDef[], app: string, calls: ConfigCall[], warnings: string[]): EndpointFacts[] {
  const endpoints = modules
    .filter((m) => m.endpoint)
    .map((m) => {
      const otpApp = m.endpoint?.otpApp ?? app;
      const configured = calls.some((c) => c.app === otpApp && c.module === m.name);
      return { module: m.name, file: m.file, otpApp, configured };
    });
  if (!endpoints.some((e) => e.configured)) return endpoints;
  for (const e of endpoints.filter((x) => !x.configured)) {
    warnings.push(`${e.module} (${e.file}) uses Phoenix.Endpoint but no config :${e.otpApp}, ${e.module} exists: bin/server leaves it out.`);
  }
  // In the order the project's config names them: the first is its main endpoint.
  const firstConfig = (e: EndpointFacts) => calls.findIndex((c) => c.app === e.otpApp && c.module === e.module);
  return endpoints.filter((e) => e.configured).sort((a, b) => firstConfig(a) - firstConfig(b));
}

/** The release-tasks module to keep: one named `*.Release` first, else the first found. */
function pickReleaseTasks(modules: ModuleDef[]): { module: string; file: string } | null {
  const tasks = modules.filter((m) => m.releaseTasks);
  const chosen = tasks.find((m) => m.name.endsWith('.Release')) ?? tasks[0];
  return chosen ? { module: chosen.name, file: chosen.file } : null;
}

function readEctoUse(deps: string[], repos: ReposRead | null): string | null {
  const provider = ECTO_SQL_PROVIDERS.find((dep) => deps.includes(dep));
  if (provider === 'ecto_sql') return 'the ecto_sql dependency';
  if (provider) return `the ${provider} dependency (it brings ecto_sql)`;
  if (repos && repos.modules.length > 0) return `ecto_repos in ${repos.file}`;
  return null;
}

function prefix(dir: string): string {
  return dir ? `${dir}/` : '';
}
