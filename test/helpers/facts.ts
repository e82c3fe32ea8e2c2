// Project facts as inspectProject would report them, built by hand for unit tests, and the
// target a run would decide from them (through the real decideTarget, asking nobody).
import { planRuntimeConfig, runtimeInputOf } from '../../src/runtime-config/index.js';
import { decideTarget, type Target } from '../../src/target.js';
import { buildDockerData } from '../../src/docker-data.js';
import type { PlannedImage, TemplateInput } from '../../src/template-data.js';
import type { Answers, AppFacts, DockerLayout, EndpointFacts, ProjectFacts, ReleaseFacts } from '../../src/types.js';

/** Which of the usual paths a fixture project has, in short; `dockerLayoutOf` spells it out. */
export interface LayoutShorthand {
  mixLock: boolean;
  configExs: boolean;
  prodConfig: boolean;
  priv: boolean;
  assetsDir: string | null;
  assetsPackageJson: boolean;
  assetsPackageLock: boolean;
}

/** The Docker layout inspect would read from a project with these paths (config.exs importing prod.exs). */
export function dockerLayoutOf(layout: LayoutShorthand, facts: ProjectFacts): DockerLayout {
  const config = layout.configExs ? ['config/config.exs', ...(layout.prodConfig ? ['config/prod.exs'] : [])] : [];
  return {
    mixLock: layout.mixLock,
    lock: [],
    compileConfig: config,
    runtimeConfig: facts.runtimeExs !== null ? ['config/runtime.exs'] : [],
    sources: facts.umbrella ? [facts.umbrella.appsPath] : ['lib', ...(layout.priv ? ['priv'] : [])],
    loadTimeFiles: [],
    assets: layout.assetsDir
      ? { dir: layout.assetsDir, packageJson: layout.assetsPackageJson, packageLock: layout.assetsPackageLock, scripts: {}, depsFromMix: false }
      : null,
    committedStatic: false,
    keyFiles: [],
    contextTruncated: false,
    gitIgnored: [],
  };
}

/** An app with nothing read from its code; `overrides` say what the test needs. */
export function appFacts(app: string, overrides: Partial<AppFacts> = {}): AppFacts {
  const namespace = overrides.namespace ?? app.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
  return {
    app,
    dir: '',
    namespace,
    namespaceFrom: { from: `mod: {${namespace}.Application, ...} in mix.exs`, guessed: false },
    deps: [],
    version: '0.1.0',
    elixirRequirement: '~> 1.14',
    application: { mod: `${namespace}.Application`, extraApplications: ['logger'] },
    hasPackage: false,
    elixircPaths: ['lib'],
    aliases: {},
    depSources: [],
    loadTimeFiles: { files: [], unresolved: [] },
    endpoints: [],
    phoenix: false,
    releaseTasks: null,
    definedReleaseNames: [],
    repos: [],
    ectoFrom: null,
    ...overrides,
  };
}

/** The endpoint phx.new writes for `app`: `<Namespace>Web.Endpoint` in lib/<app>_web/endpoint.ex. */
export function endpointOf(app: string, namespace: string, dir = ''): EndpointFacts {
  const prefix = dir ? `${dir}/` : '';
  return { module: `${namespace}Web.Endpoint`, file: `${prefix}lib/${app}_web/endpoint.ex`, otpApp: app, configured: true };
}

/** A phx.new-shaped app: Phoenix, its endpoint, and Ecto with `<Namespace>.Repo`. */
export function phoenixApp(app = 'my_app', overrides: Partial<AppFacts> = {}): AppFacts {
  const base = appFacts(app, overrides);
  return {
    ...base,
    deps: ['phoenix', 'phoenix_ecto', 'ecto_sql', 'postgrex', 'dns_cluster'],
    endpoints: [endpointOf(app, base.namespace, base.dir)],
    phoenix: true,
    repos: [`${base.namespace}.Repo`],
    ectoFrom: 'the ecto_sql dependency',
    aliases: { setup: ['deps.get'], 'assets.setup': ['esbuild.install --if-missing'], 'assets.deploy': ['esbuild default --minify', 'phx.digest'] },
    ...overrides,
  };
}

export function projectFacts(apps: AppFacts[], overrides: Partial<ProjectFacts> = {}): ProjectFacts {
  const deps = [...new Set(apps.flatMap((a) => a.deps))];
  return {
    root: `/projects/${apps[0]?.app ?? 'app'}`,
    version: '0.1.0',
    elixirRequirement: '~> 1.14',
    umbrella: null,
    apps,
    deps,
    releases: [],
    defaultRelease: null,
    ectoAdapters: ['postgrex', 'myxql', 'tds', 'ecto_sqlite3'].filter((a) => deps.includes(a)),
    dnsCluster: deps.includes('dns_cluster'),
    config: { files: ['config/config.exs'], unresolved: [], missing: [] },
    releasesExs: false,
    runtimeExs: 'import Config\n',
    warnings: [],
    ...overrides,
  };
}

export function release(
  name: string,
  includeExecutablesFor: ReleaseFacts['includeExecutablesFor'] = ['unix', 'windows'],
  more: Partial<ReleaseFacts> = {},
): ReleaseFacts {
  return { name, includeExecutablesFor, applications: {}, path: null, overlays: null, relTemplatesPath: null, ...more };
}

/** The target a non-interactive run decides for `facts` with these flags. */
export function targetOf(facts: ProjectFacts, options: { release?: string; app?: string } = {}): Promise<Target> {
  return decideTarget(facts, options, undefined);
}

/** Everything planFiles needs, as a run would compute it (the runtime.exs step included). */
export async function templateInputOf(f: {
  facts: ProjectFacts;
  answers: Answers;
  image: PlannedImage | null;
  layout: LayoutShorthand;
}): Promise<TemplateInput> {
  const target = await targetOf(f.facts, { release: f.answers.release, app: f.answers.app ?? undefined });
  const runtime = await planRuntimeConfig(runtimeInputOf(target, f.answers.ecto));
  const docker = f.answers.docker ? buildDockerData(target, dockerLayoutOf(f.layout, f.facts)) : null;
  return { target, answers: f.answers, image: f.image, docker, serverEnv: runtime.serverEnv };
}
