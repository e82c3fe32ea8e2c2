import path from 'node:path';
import { CreateReleaseError } from '../errors.js';
import type { ProjectFacts } from '../types.js';
import type { MixExs } from './mix-exs.js';
import { camelize, validateAppName, validateNamespace } from './names.js';
import { readEndpointModule } from './namespace.js';
import { readSourceFile } from './source-file.js';

const ECTO_ADAPTERS = ['postgrex', 'myxql', 'tds', 'ecto_sqlite3'];

/** The app name from `app:`, or a one-line error saying what to write instead. */
export function requireAppName(mix: MixExs, label: string): string {
  if (!mix.app) {
    throw new CreateReleaseError(
      `${label}: no \`app:\` found in project/0; add \`app: :my_app\` to the keyword list project/0 returns`,
    );
  }
  // `nil` is an atom to Elixir, but to Mix `app: nil` means the project has no app at all.
  if (mix.app.name === null || mix.app.name === 'nil') {
    throw new CreateReleaseError(
      `${label}:${mix.app.line}: cannot read the app name from \`${oneLine(mix.app.text)}\`; ` +
        'write it as an atom (app: :my_app) or a module attribute set to one (@app :my_app)',
    );
  }
  validateAppName(mix.app.name, label);
  return mix.app.name;
}

/** `config :<app>, namespace: X` when set (and a valid alias), else the camelized app name. */
export function resolveNamespace(app: string, configured: string | undefined, configLabel: string): string {
  if (configured === undefined) return camelize(app);
  validateNamespace(configured, configLabel);
  return configured;
}

/**
 * The web module of a Phoenix app: taken from the first endpoint file that exists (its
 * `defmodule X.Endpoint`), else the module that file's location implies. `candidates` pairs an
 * endpoint path (relative to `appDir`) with that implied module. Null when no candidate exists.
 */
export async function readWebModule(appDir: string, candidates: Array<[string, string]>): Promise<string | null> {
  for (const [file, implied] of candidates) {
    // An endpoint we cannot read only loses the confirmation, not the run.
    const source = await readSourceFile(path.join(appDir, file), file).catch(() => '');
    if (source === null) continue;
    return (source && (await readEndpointModule(source))) || implied;
  }
  return null;
}

/** Which of the deps the generators care about are present. */
export function summarizeDeps(deps: string[]): Pick<ProjectFacts, 'phoenix' | 'ecto' | 'ectoAdapters' | 'dnsCluster'> {
  return {
    phoenix: deps.includes('phoenix'),
    ecto: deps.includes('ecto_sql'),
    ectoAdapters: ECTO_ADAPTERS.filter((adapter) => deps.includes(adapter)),
    dnsCluster: deps.includes('dns_cluster'),
  };
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 60)}...` : flat;
}
