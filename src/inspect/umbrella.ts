import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { CreateReleaseError } from '../errors.js';
import type { AppFacts } from '../types.js';
import { readApp } from './app-facts.js';
import { readConfigChain, type ConfigChain } from './config-files.js';
import { describeUnread, readMixExs } from './mix-exs.js';
import { readSourceFile } from './source-file.js';

/**
 * Reads every `<appsPath>/*\/mix.exs` (like Mix, a child directory without mix.exs is not an
 * app), sorted by directory name. The root's config chain applies to every app; an app's own
 * config/config.exs that the root does not import still says what the app's generators use
 * (its namespace, its repos), with the root's settings winning where both speak.
 */
export async function readUmbrellaApps(root: string, appsPath: string, rootChain: ConfigChain, warnings: string[]): Promise<AppFacts[]> {
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
    .map((entry) => `${appsPath.replace(/\/+$/, '')}/${entry.name}`)
    .sort();
  const read = await Promise.all(dirs.map((dir) => readUmbrellaApp(root, dir, rootChain)));
  const found = read.flatMap((entry) => (entry ? [entry.app] : []));
  // In directory order, whatever order the reads finished in.
  for (const entry of read) warnings.push(...(entry?.warnings ?? []));
  if (found.length === 0) {
    throw new CreateReleaseError(
      `mix.exs: apps_path ${JSON.stringify(appsPath)} holds no app with a mix.exs; ` +
        `create one with mix new ${appsPath}/my_app`,
    );
  }
  return found;
}

async function readUmbrellaApp(root: string, dir: string, rootChain: ConfigChain): Promise<{ app: AppFacts; warnings: string[] } | null> {
  const label = `${dir}/mix.exs`;
  const source = await readSourceFile(path.join(root, dir, 'mix.exs'), label);
  if (source === null) return null;
  const ownEntry = `${dir}/config/config.exs`;
  const [mix, own] = await Promise.all([
    readMixExs(source, label),
    rootChain.files.includes(ownEntry) ? null : readConfigChain(root, ownEntry),
  ]);
  const appWarnings: string[] = [];
  const app = await readApp({ root, dir, mix, calls: [...(own?.calls ?? []), ...rootChain.calls] }, appWarnings);
  return { app, warnings: [...describeUnread(mix.unread, label, app.app), ...appWarnings] };
}
