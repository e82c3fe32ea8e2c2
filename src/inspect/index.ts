import { stat } from 'node:fs/promises';
import path from 'node:path';
import { CreateReleaseError } from '../errors.js';
import type { AppFacts, ConfigFiles, ProjectFacts } from '../types.js';
import { ectoAdaptersOf, readApp } from './app-facts.js';
import { readConfigChain, type ConfigCall, type ConfigChain } from './config-files.js';
import { describeUnread, readMixExs, type MixExs } from './mix-exs.js';
import { readSourceFile } from './source-file.js';
import { readUmbrellaApps } from './umbrella.js';

export { camelize, validateAppName, validateNamespace } from './names.js';

// The compile-time config calls each inspection read, for later steps that look up settings
// (the production step's adapter and force_ssl) without reading the files again.
const configCalls = new WeakMap<ProjectFacts, ConfigCall[]>();

/** The config calls `inspectProject` read for these facts; undefined for facts built elsewhere. */
export function configCallsOf(facts: ProjectFacts): ConfigCall[] | undefined {
  return configCalls.get(facts);
}

/**
 * Reads a Mix project without Mix: mix.exs, the compile-time config chain for prod,
 * config/runtime.exs, and the app's own source under its prod `elixirc_paths` (only the files
 * that can name an endpoint or a release-tasks module are parsed). For an umbrella, the same for
 * each app. Nothing else is read, so deps/, _build/ and node_modules/ cost nothing.
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
  const [mix, chain, runtimeExs, releasesExs] = await Promise.all([
    readMixExs(source),
    readConfigChain(root, 'config/config.exs'),
    readSourceFile(path.join(root, 'config', 'runtime.exs'), 'config/runtime.exs'),
    isFile(path.join(root, 'config', 'releases.exs')),
  ]);
  const warnings: string[] = [];
  const apps =
    mix.appsPath === null
      ? [await readApp({ root, dir: '', mix, calls: chain.calls }, warnings)]
      : await readUmbrellaApps(root, mix.appsPath, chain, warnings);
  if (mix.appsPath === null) refuseLibrary(mix, apps[0]!);
  const deps = [...new Set([...mix.deps, ...apps.flatMap((app) => app.deps)])];
  warnings.unshift(...describeUnread(mix.unread, 'mix.exs', apps.length === 1 ? apps[0]!.app : null));
  const facts: ProjectFacts = {
    root,
    // An umbrella root often leaves these to its apps.
    version: mix.version ?? apps.find((a) => a.version)?.version ?? null,
    elixirRequirement: mix.elixirRequirement ?? apps.find((a) => a.elixirRequirement)?.elixirRequirement ?? null,
    umbrella: mix.appsPath === null ? null : { appsPath: mix.appsPath },
    apps,
    deps,
    releases: mix.releases,
    defaultRelease: mix.defaultRelease,
    ectoAdapters: ectoAdaptersOf(deps),
    dnsCluster: deps.includes('dns_cluster'),
    config: describeConfig(chain),
    releasesExs,
    runtimeExs,
    warnings,
  };
  configCalls.set(facts, chain.calls);
  return facts;
}

/**
 * A library is not something to release: without `releases:`, a project with no application
 * callback (`mod:`), or one published to Hex (`package:`), gets a refusal that says how to
 * declare a release if it really is deployed. When application/0 cannot be read, nothing is said.
 */
function refuseLibrary(mix: MixExs, app: AppFacts): void {
  if (mix.releases.length > 0 || mix.application === null) return;
  const why = mix.hasPackage
    ? 'it has a package: for Hex'
    : mix.application.mod === null
      ? 'its application/0 has no mod: callback, so a release would start nothing'
      : null;
  if (!why) return;
  throw new CreateReleaseError(
    `mix.exs describes a library (${why}) and declares no release: if ${app.app} really is deployed, ` +
      `declare it in project/0 (releases: [${app.app}: []]) and run create-release again`,
  );
}

function describeConfig(chain: ConfigChain): ConfigFiles {
  return {
    files: chain.files,
    unresolved: chain.unresolved.map((u) => `${u.file}:${u.line}: import_config ${u.text}`),
    missing: chain.missing.map((m) => ({ path: m.text, from: `${m.file}:${m.line}` })),
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
