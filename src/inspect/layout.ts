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
export async function inspectLayout(
  facts: Pick<ProjectFacts, 'root' | 'umbrella' | 'apps'>,
  webApp: string | null | undefined,
): Promise<ProjectLayout> {
  const at = (rel: string) => exists(path.join(facts.root, rel));
  // An umbrella's assets are those of the web app the run serves (`answers.app`); none without one.
  const webDir = facts.umbrella ? facts.apps.find((a) => a.app === webApp)?.dir : '.';
  const assetsCandidate = webDir === undefined ? null : webDir === '.' ? 'assets' : `${webDir}/assets`;
  const assetsAt = (rel: string) => (assetsCandidate === null ? Promise.resolve(false) : at(`${assetsCandidate}/${rel}`));
  const [mixLock, configExs, prodConfig, priv, assets, packageJson, packageLock] = await Promise.all([
    at('mix.lock'),
    at('config/config.exs'),
    at('config/prod.exs'),
    at('priv'),
    assetsAt('.'),
    assetsAt('package.json'),
    assetsAt('package-lock.json'),
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
