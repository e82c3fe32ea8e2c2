// What the Dockerfile must copy, and what the build context would carry, read from the project
// (only under --docker). Existence checks, package.json's scripts, .gitignore and mix.lock; the
// config chain and the files mix.exs reads come from the facts already read.
import { access, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Target } from '../target.js';
import type { DockerLayout } from '../types.js';
import { readMixLock } from './mix-lock.js';

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

// Directories the generated .dockerignore leaves out of the context (its first rules say so too).
export const CONTEXT_SKIPPED_DIRS = ['.git', '_build', 'deps', 'node_modules', '.elixir_ls', 'test', 'doc', 'cover', 'tmp'];
// `mix phx.gen.cert` writes development certificates here; the .dockerignore leaves them out.
export const DEV_CERT_DIR = 'priv/cert';
const KEY_LIKE = /\.(pem|key|p12|pfx|jks|keystore)$|^id_(rsa|dsa|ecdsa|ed25519)$/;
// Enough for any real project; a bigger tree is not walked further (the warning says so).
const MAX_CONTEXT_ENTRIES = 20_000;

export async function inspectDockerLayout(target: Target): Promise<DockerLayout> {
  const { facts } = target;
  const root = facts.root;
  const at = (rel: string) => exists(path.join(root, rel));
  const web = facts.umbrella ? facts.apps.find((a) => a.app === target.webApp) : facts.apps[0];
  const webDir = web ? web.dir : null;
  const prefix = (dir: string) => (dir ? `${dir}/` : '');
  const single = facts.umbrella ? null : facts.apps[0]!;
  const loadTimeCandidates = facts.apps.flatMap((a) => a.loadTimeFiles.files.map((f) => path.posix.normalize(`${prefix(a.dir)}${f}`)));
  const [mixLock, lock, runtime, releases, sources, loadTime, assets, committedStatic, context, ignored] = await Promise.all([
    at('mix.lock'),
    readMixLock(root),
    at('config/runtime.exs'),
    at('config/releases.exs'),
    single ? existingOf([...single.elixircPaths, 'priv'], at) : Promise.resolve([facts.umbrella!.appsPath]),
    existingOf([...new Set(loadTimeCandidates)].filter((f) => !f.startsWith('../')), at),
    webDir === null ? Promise.resolve(null) : readAssets(root, `${prefix(webDir)}assets`),
    webDir === null ? Promise.resolve(false) : hasFiles(path.join(root, prefix(webDir), 'priv/static')),
    walkContext(root),
    readGitIgnored(root, [...facts.config.files, ...facts.config.missing.map((m) => m.path)]),
  ]);
  return {
    mixLock,
    lock,
    compileConfig: facts.config.files,
    runtimeConfig: [...(runtime ? ['config/runtime.exs'] : []), ...(releases ? ['config/releases.exs'] : [])],
    sources,
    loadTimeFiles: loadTime,
    assets,
    committedStatic,
    keyFiles: context.keyFiles,
    contextTruncated: context.truncated,
    gitIgnored: ignored,
  };
}

async function existingOf(paths: string[], at: (rel: string) => Promise<boolean>): Promise<string[]> {
  const normal = [...new Set(paths.map((p) => path.posix.normalize(p).replace(/\/+$/, '')))];
  const found = await Promise.all(normal.map(at));
  return normal.filter((_, i) => found[i]);
}

async function readAssets(root: string, dir: string): Promise<DockerLayout['assets']> {
  if (!(await exists(path.join(root, dir)))) return null;
  const text = await readFile(path.join(root, dir, 'package.json'), 'utf8').catch(() => null);
  const lock = await exists(path.join(root, dir, 'package-lock.json'));
  let scripts: Record<string, string> = {};
  let depsFromMix = false;
  if (text !== null) {
    try {
      const json = JSON.parse(text) as { scripts?: Record<string, string>; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
      scripts = json.scripts ?? {};
      // `"phoenix": "file:../deps/phoenix"`: npm needs the fetched Mix deps first.
      depsFromMix = Object.values({ ...json.dependencies, ...json.devDependencies }).some((v) => /^file:\.\.\/+(\.\.\/+)*deps\//.test(String(v)));
    } catch {
      // An unreadable package.json still means npm packages; its scripts are unknown.
    }
  }
  return { dir, packageJson: text !== null, packageLock: lock, scripts, depsFromMix };
}

async function hasFiles(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.some((e) => e.isFile() && e.name !== '.gitkeep' && !e.name.endsWith('.gitignore'));
}

/** Key-like files a `docker build` would send, walking what the .dockerignore keeps (bounded). */
async function walkContext(root: string): Promise<{ keyFiles: string[]; truncated: boolean }> {
  const keyFiles: string[] = [];
  let seen = 0;
  const pending = [''];
  while (pending.length > 0) {
    const rel = pending.pop()!;
    const entries = await readdir(path.join(root, rel), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (++seen > MAX_CONTEXT_ENTRIES) return { keyFiles, truncated: true };
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!CONTEXT_SKIPPED_DIRS.includes(entry.name) && !child.endsWith(DEV_CERT_DIR)) pending.push(child);
      } else if (KEY_LIKE.test(entry.name) && !/^\.env/.test(entry.name)) {
        keyFiles.push(child);
      }
    }
  }
  return { keyFiles: keyFiles.sort(), truncated: false };
}

/** Which of `files` the project's .gitignore excludes (a CI checkout will not have them). */
async function readGitIgnored(root: string, files: string[]): Promise<string[]> {
  const text = await readFile(path.join(root, '.gitignore'), 'utf8').catch(() => null);
  if (text === null || files.length === 0) return [];
  const { default: ignore } = await import('ignore');
  const rules = ignore().add(text);
  return files.filter((file) => rules.ignores(file));
}
