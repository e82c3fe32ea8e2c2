import { access } from 'node:fs/promises';
import path from 'node:path';
import type { ProjectLayout } from '../template-data.js';
import type { ProjectFacts } from '../types.js';

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** Which of the files the Dockerfile may COPY exist: existence checks only, no reads. */
export async function inspectLayout(facts: Pick<ProjectFacts, 'root' | 'umbrella' | 'app'>): Promise<ProjectLayout> {
  const at = (rel: string) => exists(path.join(facts.root, rel));
  // `facts.app` is the web app the run serves (chosen by --app or a prompt when there are several).
  const apps = facts.umbrella?.apps ?? [];
  const webApp =
    apps.find((a) => a.app === facts.app && a.webModule) ?? apps.find((a) => a.webModule) ?? apps.find((a) => a.app === facts.app);
  const assetsCandidate = webApp ? `${webApp.dir}/assets` : 'assets';
  const [mixLock, configExs, prodConfig, priv, assets, packageJson, packageLock] = await Promise.all([
    at('mix.lock'),
    at('config/config.exs'),
    at('config/prod.exs'),
    at('priv'),
    at(assetsCandidate),
    at(`${assetsCandidate}/package.json`),
    at(`${assetsCandidate}/package-lock.json`),
  ]);
  return {
    mixLock,
    configExs,
    prodConfig,
    priv,
    assetsDir: assets ? assetsCandidate : null,
    assetsPackageJson: assets && packageJson,
    assetsPackageLock: assets && packageLock,
  };
}
