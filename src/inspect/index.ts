import { stat } from 'node:fs/promises';
import path from 'node:path';
import { CreateReleaseError } from '../errors.js';
import type { ProjectFacts } from '../types.js';
import { readWebModule, requireAppName, resolveNamespace, summarizeDeps } from './app-facts.js';
import { readMixExs, type MixExs } from './mix-exs.js';
import { EMPTY_APP_CONFIG, readAppConfig, type AppConfig } from './namespace.js';
import { readSourceFile } from './source-file.js';
import { readUmbrellaApps } from './umbrella.js';

export { camelize, validateAppName, validateNamespace } from './names.js';

/** What every project shape shares, read before we know whether it is an umbrella. */
interface Reading {
  root: string;
  mix: MixExs;
  config: AppConfig;
  releasesExs: boolean;
  runtimeExs: string | null;
}

/**
 * Reads a Mix project without Mix: mix.exs, config/config.exs, config/runtime.exs, whether assets/
 * and assets/package.json exist, and the endpoint file (for umbrellas, each app's mix.exs and
 * config). Nothing else is read, so deps/, _build/ and node_modules/ cost nothing.
 */
export async function inspectProject(dir: string): Promise<ProjectFacts> {
  const root = path.resolve(dir);
  await requireDirectory(root, dir);
  const source = await readSourceFile(path.join(root, 'mix.exs'), 'mix.exs');
  if (source === null) {
    throw new CreateReleaseError(
      `no mix.exs in ${root}: run create-release inside a Mix project, or pass its directory`,
    );
  }
  if (source.trim() === '') {
    throw new CreateReleaseError(`mix.exs in ${root} is empty; restore the project's mix.exs (mix new creates one)`);
  }
  const [mix, configSource, runtimeExs, releasesExs] = await Promise.all([
    readMixExs(source),
    readSourceFile(path.join(root, 'config', 'config.exs'), 'config/config.exs'),
    readSourceFile(path.join(root, 'config', 'runtime.exs'), 'config/runtime.exs'),
    isFile(path.join(root, 'config', 'releases.exs')),
  ]);
  const config = configSource === null ? EMPTY_APP_CONFIG : await readAppConfig(configSource, 'config/config.exs');
  const reading: Reading = { root, mix, config, releasesExs, runtimeExs };
  return mix.appsPath === null ? inspectSingleApp(reading) : inspectUmbrella(reading, mix.appsPath);
}

async function inspectSingleApp({ root, mix, config, releasesExs, runtimeExs }: Reading): Promise<ProjectFacts> {
  const app = requireAppName(mix, 'mix.exs');
  const namespace = resolveNamespace(app, config.namespaces.get(app), 'config/config.exs');
  const summary = summarizeDeps(mix.deps);
  // A Phoenix-shaped endpoint counts as a web app even without the phoenix dep (a vendored or
  // hand-rolled endpoint still reads `server: true` from the config PHX_SERVER sets).
  const endpoint = await readWebModule(root, [[`lib/${app}_web/endpoint.ex`, `${namespace}Web`]]);
  const webModule = endpoint ?? (summary.phoenix ? `${namespace}Web` : null);
  summary.phoenix ||= endpoint !== null;
  return {
    root,
    app,
    version: mix.version,
    elixirRequirement: mix.elixirRequirement,
    deps: mix.deps,
    umbrella: null,
    releases: mix.releases,
    namespace,
    webModule,
    ...summary,
    mixAliases: mix.aliases,
    releasesExs,
    runtimeExs,
  };
}

/**
 * An umbrella root has no `app:`. Its facts are the union view the generators need: `app`,
 * `namespace` and `webModule` come from the web app when exactly one app has a web module, else
 * from the first app (by directory name); `deps` and the flags derived from them cover the root
 * and every app; `releases` are the root's, where Mix requires umbrella releases to be declared.
 */
async function inspectUmbrella(reading: Reading, appsPath: string): Promise<ProjectFacts> {
  const { root, mix, config, releasesExs, runtimeExs } = reading;
  const readings = await readUmbrellaApps(root, appsPath, config);
  const apps = readings.map((entry) => entry.app);
  const web = apps.filter((app) => app.webModule !== null);
  const chosen = web.length === 1 ? web[0]! : apps[0]!;
  const deps = [...new Set([...mix.deps, ...apps.flatMap((app) => app.deps)])];
  return {
    root,
    app: chosen.app,
    version: mix.version ?? readings.find((entry) => entry.app === chosen)?.mix.version ?? null,
    elixirRequirement:
      mix.elixirRequirement ?? readings.find((entry) => entry.mix.elixirRequirement)?.mix.elixirRequirement ?? null,
    deps,
    umbrella: { appsPath, apps },
    releases: mix.releases,
    namespace: chosen.namespace,
    webModule: chosen.webModule ?? web[0]?.webModule ?? null,
    ...summarizeDeps(deps),
    phoenix: deps.includes('phoenix') || web.length > 0,
    releasesExs,
    runtimeExs,
  };
}

async function requireDirectory(root: string, given: string): Promise<void> {
  const info = await stat(root).catch(() => null);
  if (!info) {
    throw new CreateReleaseError(`directory ${given} does not exist; pass the directory of your Mix project`);
  }
  if (!info.isDirectory()) {
    throw new CreateReleaseError(`${given} is not a directory; pass the directory that holds mix.exs`);
  }
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (info) => info.isFile(),
    () => false,
  );
}
