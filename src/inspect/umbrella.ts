import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { CreateReleaseError } from '../errors.js';
import type { UmbrellaApp } from '../types.js';
import { readWebModule, requireAppName, resolveNamespace } from './app-facts.js';
import { readMixExs, type MixExs } from './mix-exs.js';
import { EMPTY_APP_CONFIG, readAppConfig, type AppConfig } from './namespace.js';
import { readSourceFile } from './source-file.js';

/** An umbrella app with what its own mix.exs declares (version, requirement) kept alongside. */
export interface UmbrellaAppReading {
  app: UmbrellaApp;
  mix: MixExs;
}

type AppReading = UmbrellaAppReading & { listsRepos: boolean };

/**
 * Reads every `<appsPath>/*\/mix.exs` (like Mix, a child directory without mix.exs is not an
 * app), sorted by directory name. `rootConfig` holds the umbrella's config/config.exs settings,
 * which apps share unless they have their own config/config.exs.
 */
export async function readUmbrellaApps(
  root: string,
  appsPath: string,
  rootConfig: AppConfig,
): Promise<UmbrellaAppReading[]> {
  const entries = await readdir(path.join(root, appsPath), { withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      throw new CreateReleaseError(
        `mix.exs: apps_path ${JSON.stringify(appsPath)} cannot be read (${error.code ?? error.message}); ` +
          'create it or fix apps_path in mix.exs',
      );
    },
  );
  const dirs = entries
    .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
    .map((entry) => entry.name)
    .sort();
  const apps = await Promise.all(dirs.map((name) => readApp(root, `${appsPath}/${name}`, rootConfig)));
  const found = apps.filter((app): app is AppReading => app !== null);
  if (found.length === 0) {
    throw new CreateReleaseError(
      `mix.exs: apps_path ${JSON.stringify(appsPath)} holds no app with a mix.exs; ` +
        `create one with mix new ${appsPath}/my_app`,
    );
  }
  // phx.new --umbrella lists `ecto_repos` for the web app too (for its generators), so the config
  // only says who owns the repos when no app depends on ecto_sql.
  const byDep = found.some((entry) => entry.app.ecto);
  return found.map(({ listsRepos, ...entry }) =>
    byDep || !listsRepos ? entry : { ...entry, app: { ...entry.app, ecto: true } },
  );
}

async function readApp(
  root: string,
  dir: string,
  rootConfig: AppConfig,
): Promise<AppReading | null> {
  const appDir = path.join(root, dir);
  const mixLabel = `${dir}/mix.exs`;
  const configLabel = `${dir}/config/config.exs`;
  const [source, configSource] = await Promise.all([
    readSourceFile(path.join(appDir, 'mix.exs'), mixLabel),
    readSourceFile(path.join(appDir, 'config', 'config.exs'), configLabel),
  ]);
  if (source === null) return null;
  const mix = await readMixExs(source, mixLabel);
  const app = requireAppName(mix, mixLabel);
  const own = configSource === null ? EMPTY_APP_CONFIG : await readAppConfig(configSource, configLabel);
  const namespace = own.namespaces.has(app)
    ? resolveNamespace(app, own.namespaces.get(app), configLabel)
    : resolveNamespace(app, rootConfig.namespaces.get(app), 'config/config.exs');
  const listsRepos = own.ectoRepoApps.has(app) || rootConfig.ectoRepoApps.has(app);
  // phx.new --umbrella puts the endpoint of `my_app_web` in lib/my_app_web/endpoint.ex; a
  // single app made into an umbrella keeps lib/<app>_web/endpoint.ex.
  // An endpoint file makes a web app, with or without the phoenix dep (see inspectSingleApp).
  const webModule = await readWebModule(appDir, [
    [`lib/${app}/endpoint.ex`, namespace],
    [`lib/${app}_web/endpoint.ex`, `${namespace}Web`],
  ]);
  return { app: { app, dir, namespace, deps: mix.deps, webModule, ecto: mix.deps.includes('ecto_sql'), aliases: mix.aliases }, mix, listsRepos };
}
