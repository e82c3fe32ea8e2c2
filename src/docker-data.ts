// What the Dockerfile copies and runs, derived from what the project is, in the order that keeps
// rebuilds cheap: dependencies before code, compile-time config before `deps.compile`, runtime
// config last. Pure: the layout was read by inspect/docker-layout.ts. Also what Docker cannot
// build from this project, said as warnings.
import path from 'node:path';
import type { Target } from './target.js';
import type { AppFacts, DockerLayout } from './types.js';

/** `COPY <sources> <dest>`. */
export interface Copy {
  sources: string;
  dest: string;
}

export interface DockerAssets {
  /** The served web app has an assets directory (every other field is false or empty without one). */
  present: boolean;
  dir: string;
  /** The assets directory needs its own COPY (an umbrella's comes with `COPY apps apps`). */
  copy: boolean;
  /** `mix assets.setup` / `mix assets.deploy`: the aliases mix.exs has (both when they cannot be read). */
  setup: boolean;
  deploy: boolean;
  /** A pre-esbuild pipeline: `npm run <script>` of package.json, then `mix phx.digest`. */
  npmScript: string | null;
  /** npm runs in the builder (Node from Debian), after `mix deps.get`: the build calls node/npm, or package.json needs deps/. */
  npmInBuilder: boolean;
  /** A Node stage installs the npm packages and the builder copies node_modules. */
  nodeModulesStage: boolean;
  packageLock: boolean;
}

export interface DockerData {
  mixLock: boolean;
  /** Before `mix deps.get`: umbrella apps' mix.exs, files mix.exs reads, path deps inside the project. */
  depsCopies: Copy[];
  /** Hosts of git deps fetched over SSH: known_hosts and a BuildKit ssh mount for `mix deps.get`. */
  sshHosts: string[];
  /** `COPY config config` because an import could not be followed; else `configCopies`. */
  configCopyAll: boolean;
  configCopies: Copy[];
  sourceCopies: string[];
  runtimeCopies: string[];
  /** Debian packages the builder installs. */
  buildPackages: string;
  /** A dependency builds Rust code (rustler without rustler_precompiled): the builder gets a Rust toolchain. */
  rust: boolean;
  assets: DockerAssets;
  /** Leave built static files out of the context: only when the Dockerfile builds them again. */
  ignoreBuiltStatic: boolean;
}

// Packages built with make that need nothing beyond a C compiler (build-essential).
const C_ONLY = new Set(['bcrypt_elixir', 'argon2_elixir', 'exqlite', 'elixir_make', 'jiffy', 'hackney', 'fast_tls']);
const NODE_COMMAND = /(^|\s)(cmd\s+(--cd\s+\S+\s+)?)?(npm|npx|node|yarn|pnpm)(\s|$)/;

export function buildDockerData(target: Target, layout: DockerLayout): DockerData {
  const { facts } = target;
  const assets = decideAssets(target, layout);
  const sshHosts = [...new Set(facts.apps.flatMap((a) => a.depSources).flatMap((d) => (d.git ? sshHost(d.git) : [])))];
  const rust = needsRust(facts.deps, layout);
  const packages = ['build-essential', 'git', ...(rust ? ['curl'] : []), ...(sshHosts.length > 0 ? ['openssh-client'] : []), ...(assets.npmInBuilder ? ['nodejs', 'npm'] : [])];
  return {
    mixLock: layout.mixLock,
    depsCopies: [...umbrellaMixCopies(target), ...groupByDir(layout.loadTimeFiles), ...pathDepCopies(target).map((dir) => ({ sources: dir, dest: dir }))],
    sshHosts,
    configCopyAll: facts.config.unresolved.length > 0,
    configCopies: groupByDir(layout.compileConfig),
    sourceCopies: layout.sources,
    runtimeCopies: layout.runtimeConfig,
    buildPackages: packages.join(' '),
    rust,
    assets,
    ignoreBuiltStatic: assets.deploy || assets.npmScript !== null,
  };
}

const NO_ASSETS: DockerAssets = {
  present: false,
  dir: '',
  copy: false,
  setup: false,
  deploy: false,
  npmScript: null,
  npmInBuilder: false,
  nodeModulesStage: false,
  packageLock: false,
};

function decideAssets(target: Target, layout: DockerLayout): DockerAssets {
  const found = layout.assets;
  if (!found) return NO_ASSETS;
  const aliases = webAliases(target);
  const deploy = aliases === null ? ['?'] : expandAlias(aliases, 'assets.deploy');
  const script = deploy ? null : (['deploy', 'build'].find((name) => name in found.scripts) ?? null);
  const needsNode = (deploy ?? []).some((command) => NODE_COMMAND.test(command)) || script !== null;
  const npmInBuilder = found.packageJson && (needsNode || found.depsFromMix);
  return {
    present: true,
    dir: found.dir,
    copy: target.facts.umbrella === null,
    setup: deploy !== null && (aliases === null || 'assets.setup' in aliases),
    deploy: deploy !== null,
    npmScript: script,
    npmInBuilder,
    nodeModulesStage: found.packageJson && !npmInBuilder,
    packageLock: found.packageLock,
  };
}

/** The aliases of the web app the release serves (its mix.exs has the asset aliases). */
function webAliases(target: Target): Record<string, string[]> | null {
  const web = target.facts.umbrella ? target.facts.apps.find((a) => a.app === target.webApp) : target.main;
  return web ? web.aliases : {};
}

/** An alias's commands with the aliases it calls expanded (`assets.deploy` → `assets.build` → ...); null when absent. */
function expandAlias(aliases: Record<string, string[]>, name: string, depth = 0): string[] | null {
  const commands = aliases[name];
  if (!commands) return null;
  return commands.flatMap((command) => {
    const task = command.split(/\s+/)[0] ?? '';
    return task !== name && aliases[task] && depth < 8 ? (expandAlias(aliases, task, depth + 1) ?? []) : [command];
  });
}

function umbrellaMixCopies(target: Target): Copy[] {
  if (!target.facts.umbrella) return [];
  return target.facts.apps.map((a) => ({ sources: `${a.dir}/mix.exs`, dest: `${a.dir}/` }));
}

/** `COPY a/x a/y a/` per directory, in first-seen order. */
function groupByDir(files: string[]): Copy[] {
  const byDir = new Map<string, string[]>();
  for (const file of files) {
    const dir = path.posix.dirname(file);
    byDir.set(dir, [...(byDir.get(dir) ?? []), file]);
  }
  return [...byDir].map(([dir, sources]) => ({ sources: sources.join(' '), dest: dir === '.' ? './' : `${dir}/` }));
}

/** Path deps inside the project and outside the umbrella's apps: `mix deps.get` and `deps.compile` need them. */
function pathDepCopies(target: Target): string[] {
  const appsPath = target.facts.umbrella?.appsPath;
  const dirs = target.facts.apps.flatMap((a) => pathDeps(a).filter((d) => d.inside).map((d) => d.dir));
  return [...new Set(dirs)].filter((dir) => !appsPath || !(dir === appsPath || dir.startsWith(`${appsPath}/`)));
}

function pathDeps(app: AppFacts): Array<{ name: string; dir: string; inside: boolean; written: string }> {
  return app.depSources.flatMap((d) => {
    if (!d.path) return [];
    // join() would make `/opt/lib` relative (`opt/lib`): an absolute path stays absolute, and outside.
    const joined = path.posix.isAbsolute(d.path) ? d.path : path.posix.join(app.dir || '.', d.path);
    const dir = path.posix.normalize(joined).replace(/\/+$/, '');
    return [{ name: d.name, dir, inside: !path.posix.isAbsolute(dir) && dir !== '..' && !dir.startsWith('../'), written: d.path }];
  });
}

function sshHost(url: string): string[] {
  const scp = /^[\w.-]+@([\w.-]+):/.exec(url);
  const ssh = /^ssh:\/\/(?:[\w.-]+@)?([\w.-]+)/.exec(url);
  const host = scp?.[1] ?? ssh?.[1];
  return host ? [host] : [];
}

/** Something builds Rust code: a locked package (or the project) uses rustler without its precompiled NIFs. */
function needsRust(deps: string[], layout: DockerLayout): boolean {
  const compilesRust = (packageDeps: string[]) => packageDeps.includes('rustler') && !packageDeps.includes('rustler_precompiled');
  return compilesRust(deps) || layout.lock.some((p) => compilesRust(p.deps));
}

/** What Docker cannot build from this project as it is, each with the fix. */
export function dockerWarnings(target: Target, layout: DockerLayout, data: DockerData): string[] {
  const { facts } = target;
  const warnings: string[] = [];
  for (const where of facts.config.unresolved) {
    warnings.push(`${where} imports a file whose path is computed: the Dockerfile copies all of config/ before compiling dependencies (so a change to runtime.exs rebuilds them).`);
  }
  for (const missing of facts.config.missing) {
    warnings.push(`${missing.from} imports ${missing.path}, which does not exist: the image build fails at \`mix deps.compile\`; create it, or move its settings into config/runtime.exs (read from environment variables at boot).`);
  }
  for (const file of layout.gitIgnored) {
    warnings.push(`${file} is ignored by git (.gitignore): a build from a fresh checkout (CI) will not have it; move its settings into config/runtime.exs, read from environment variables.`);
  }
  for (const app of facts.apps) {
    const mixExs = `${app.dir ? `${app.dir}/` : ''}mix.exs`;
    for (const code of app.loadTimeFiles.unresolved) {
      warnings.push(`${mixExs} reads a file whose path is computed (\`${code}\`): copy that file before \`mix deps.get\` in the Dockerfile, or the build fails there.`);
    }
    for (const dep of pathDeps(app).filter((d) => !d.inside)) {
      warnings.push(
        `dependency ${dep.name} comes from ${dep.written}, outside the project, which \`docker build .\` cannot see: build from the parent directory (docker build -f ${path.posix.basename(facts.root)}/Dockerfile ..) and adjust the COPY lines, or publish the dependency (Hex, a git repository) or vendor it into the project.`,
      );
    }
  }
  if (data.sshHosts.length > 0) {
    warnings.push(`git dependencies are fetched over SSH (${data.sshHosts.join(', ')}): the Dockerfile mounts your SSH agent for \`mix deps.get\` (BuildKit); build with \`docker build --ssh default .\` and never copy keys into the image.`);
  }
  const make = layout.lock.filter((p) => p.buildTools.includes('make') && !C_ONLY.has(p.name)).map((p) => p.name);
  if (make.length > 0) {
    warnings.push(`${make.join(', ')} ${make.length === 1 ? 'compiles' : 'compile'} native code with make: the builder has build-essential; if ${make.length === 1 ? 'it needs' : 'they need'} system libraries (their -dev packages), add them to the builder's apt-get line.`);
  }
  if (layout.keyFiles.length > 0) {
    const shown = layout.keyFiles.slice(0, 5).join(', ') + (layout.keyFiles.length > 5 ? `, and ${layout.keyFiles.length - 5} more` : '');
    warnings.push(`key-like files will be in the Docker build context and, under priv/, in the image: ${shown}. Keep those the app needs at run time (a CA bundle, say); add the others (private keys) to .dockerignore.`);
  }
  if (layout.contextTruncated) warnings.push(`the project has more than 20000 entries outside deps/ and _build/: key-like files were not looked for everywhere.`);
  return warnings;
}
