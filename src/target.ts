// What a run is set up for: the release (as Mix would build it), the apps it holds, the web app
// and endpoints bin/server serves, and the app whose release tasks bin/migrate calls. Decided
// first: every later question and file looks at the project through it.
import path from 'node:path';
import { CreateReleaseError } from './errors.js';
import type { Prompter } from './options.js';
import type { AppFacts, EndpointFacts, ProjectFacts, ReleaseFacts } from './types.js';

export interface Target {
  facts: ProjectFacts;
  /** The release: its `releases:` entry, or Mix's default when mix.exs declares none. */
  release: ReleaseFacts;
  /** How the release was chosen, said to the user (`--release`, `default_release: in mix.exs`...). */
  releaseFrom: string;
  /** The apps the release holds (one for a single-app project). */
  apps: AppFacts[];
  /** Umbrellas: the web app bin/server serves (null when the release holds none); undefined elsewhere. */
  webApp?: string | null;
  /** The app the run is named after: the web app served, else the release's main app. */
  main: AppFacts;
  /** The endpoints bin/server starts. */
  endpoints: EndpointFacts[];
  /** bin/server sets PHX_SERVER: the release serves a Phoenix app. */
  phoenix: boolean;
  /** The app whose release tasks bin/migrate calls: the one owning the repos. */
  owner: AppFacts;
  /** Why Ecto looks in use (before --ecto/--no-ecto), or null. */
  ectoFrom: string | null;
}

// Release names become atoms and directory names: the same rule as app names.
const RELEASE_NAME = /^[a-z][a-z0-9_]*$/;

export async function decideTarget(
  facts: ProjectFacts,
  options: { release?: string; app?: string },
  prompter: Prompter | undefined,
): Promise<Target> {
  const { release, from } = await decideRelease(facts, options.release, prompter);
  const apps = appsInRelease(facts, release.name);
  if (!facts.umbrella) {
    const app = facts.apps[0]!;
    if (options.app !== undefined && options.app !== app.app) {
      throw new CreateReleaseError(
        `--app ${options.app}: only umbrella projects have several apps; this project is the app ${app.app}, so leave --app out`,
      );
    }
    return { facts, release, releaseFrom: from, apps, main: app, endpoints: app.endpoints, phoenix: app.phoenix, owner: app, ectoFrom: app.ectoFrom };
  }
  const web = await decideWebApp(facts, apps, release.name, options.app, prompter);
  const owner = pickReleaseTasksOwner(apps);
  return {
    facts,
    release,
    releaseFrom: from,
    apps,
    webApp: web?.app ?? null,
    main: web ?? owner,
    endpoints: web?.endpoints ?? [],
    phoenix: web !== null,
    owner,
    ectoFrom: owner.ectoFrom ?? apps.find((a) => a.ectoFrom)?.ectoFrom ?? null,
  };
}

async function decideRelease(
  facts: ProjectFacts,
  given: string | undefined,
  prompter: Prompter | undefined,
): Promise<{ release: ReleaseFacts; from: string }> {
  const names = facts.releases.map((r) => r.name);
  if (names.length === 0) {
    // Mix builds a release named after the app; an umbrella must declare its releases, and the
    // summary prints the entry to add, named after the umbrella's directory.
    const name = given ?? (facts.umbrella ? defaultUmbrellaRelease(facts) : facts.apps[0]!.app);
    if (!RELEASE_NAME.test(name)) {
      throw new CreateReleaseError(
        `--release ${name}: a release name is an atom; use a lowercase letter, then lowercase letters, digits or _`,
      );
    }
    if (given !== undefined && !facts.umbrella && given !== name) throw noSuchRelease(given, [name]);
    const from = given !== undefined ? '--release' : facts.umbrella ? 'not declared yet: named after the umbrella directory' : "Mix's default: no releases: in mix.exs";
    return { release: defaultRelease(name), from };
  }
  if (given !== undefined) {
    const found = facts.releases.find((r) => r.name === given);
    if (!found) throw noSuchRelease(given, names);
    return { release: found, from: '--release' };
  }
  if (names.length === 1) return { release: facts.releases[0]!, from: 'the only release in mix.exs' };
  const preferred = facts.defaultRelease && names.includes(facts.defaultRelease) ? facts.defaultRelease : null;
  if (prompter) {
    const ordered = preferred ? [preferred, ...names.filter((n) => n !== preferred)] : names;
    const chosen = await prompter.select('mix.exs declares several releases. Which one should bin/server start?', ordered);
    return { release: facts.releases.find((r) => r.name === chosen)!, from: 'your answer' };
  }
  if (preferred) return { release: facts.releases.find((r) => r.name === preferred)!, from: 'default_release: in mix.exs' };
  throw new CreateReleaseError(`mix.exs declares several releases (${names.join(', ')}); pick one with --release <name>`);
}

function noSuchRelease(given: string, names: string[]): CreateReleaseError {
  return new CreateReleaseError(`mix.exs declares no release named "${given}"; choose one of: ${names.join(', ')}`);
}

/** The entry Mix assumes for a release mix.exs does not declare. */
export function defaultRelease(name: string): ReleaseFacts {
  return { name, includeExecutablesFor: ['unix', 'windows'], applications: {}, path: null, overlays: null, relTemplatesPath: null };
}

/** The umbrella's directory name (`shop_umbrella` → `shop`), as `mix new --umbrella` names it. */
export function defaultUmbrellaRelease(facts: ProjectFacts): string {
  const name = path
    .basename(facts.root)
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_umbrella$/, '')
    .replace(/^_+|_+$/g, '');
  return RELEASE_NAME.test(name) ? name : facts.apps[0]!.app;
}

/**
 * The apps a release holds: in an umbrella, those its `applications:` lists and the umbrella apps
 * they depend on, as Mix includes them; every app when the release lists none.
 */
export function appsInRelease(facts: Pick<ProjectFacts, 'apps' | 'releases' | 'umbrella'>, release: string): AppFacts[] {
  const apps = facts.apps;
  if (!facts.umbrella) return apps;
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

/** The umbrella web apps (an endpoint) among those a release holds. */
export function webAppsInRelease(facts: Pick<ProjectFacts, 'apps' | 'releases' | 'umbrella'>, release: string): AppFacts[] {
  return appsInRelease(facts, release).filter((a) => a.endpoints.length > 0);
}

async function decideWebApp(
  facts: ProjectFacts,
  apps: AppFacts[],
  release: string,
  given: string | undefined,
  prompter: Prompter | undefined,
): Promise<AppFacts | null> {
  const web = apps.filter((a) => a.endpoints.length > 0);
  if (given !== undefined) return requireWebApp(facts, web, release, given);
  if (web.length <= 1) return web[0] ?? null;
  const names = web.map((a) => a.app);
  if (!prompter) {
    throw new CreateReleaseError(
      `the umbrella has several web apps (${names.join(', ')}); pick the one bin/server serves with --app <name>`,
    );
  }
  const chosen = await prompter.select('The umbrella has several web apps. Which one should bin/server serve?', names);
  return web.find((a) => a.app === chosen)!;
}

function requireWebApp(facts: ProjectFacts, web: AppFacts[], release: string, given: string): AppFacts {
  const found = web.find((a) => a.app === given);
  if (found) return found;
  const app = facts.apps.find((a) => a.app === given);
  const choices = web.length > 0 ? `web apps: ${web.map((a) => a.app).join(', ')}` : 'it has none';
  if (!app) {
    throw new CreateReleaseError(
      `--app ${given}: the umbrella has no such app (apps: ${facts.apps.map((a) => a.app).join(', ')}); ${choices}`,
    );
  }
  if (app.endpoints.length === 0) {
    throw new CreateReleaseError(`--app ${given}: ${app.dir} is not a web app (no module uses Phoenix.Endpoint); ${choices}`);
  }
  throw new CreateReleaseError(
    `--app ${given}: release ${release} does not include it (see its applications: in mix.exs); ${choices}`,
  );
}

/**
 * In an umbrella, migrations belong to the app that owns the repos. An existing release-tasks
 * module decides it. Otherwise several apps may list the same repos (phx.new --umbrella gives the
 * web app `ecto_repos` too, for its generators): the app that depends on Ecto itself wins, and
 * among those the core app, one the others depend on and not a web app.
 */
function pickReleaseTasksOwner(apps: AppFacts[]): AppFacts {
  const withTasks = apps.filter((a) => a.releaseTasks);
  const byDep = apps.filter((a) => a.ectoFrom !== null && !a.ectoFrom.startsWith('ecto_repos'));
  const byRepos = apps.filter((a) => a.repos.length > 0);
  return pickCoreApp(withTasks, apps) ?? pickCoreApp(byDep, apps) ?? pickCoreApp(byRepos, apps) ?? pickCoreApp(apps, apps)!;
}

function pickCoreApp(candidates: AppFacts[], apps: AppFacts[]): AppFacts | undefined {
  const dependedOn = (a: AppFacts) => apps.some((other) => other.deps.includes(a.app));
  const web = (a: AppFacts) => a.endpoints.length > 0;
  return (
    candidates.find((a) => !web(a) && dependedOn(a)) ??
    candidates.find((a) => !web(a)) ??
    candidates.find(dependedOn) ??
    candidates[0]
  );
}
