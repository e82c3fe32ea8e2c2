// What the run read and will act on, shown before the first question (and at the top of every
// other run, and in --json): app, release, endpoints, release module, repos, adapter, each with
// where it came from, and what was guessed marked as such, so a wrong guess is caught before a
// file is written.
import type { RuntimePlan } from './runtime-config/index.js';
import type { Target } from './target.js';
import { releaseModuleOf } from './template-data.js';

export interface Reading {
  app: { name: string; dir: string };
  namespace: { name: string; from: string; guessed: boolean };
  release: { name: string; from: string };
  /** The endpoints bin/server starts; `none` says why there are none. */
  endpoints: Array<{ module: string; file: string; otpApp: string }>;
  phoenix: boolean;
  /** How bin/server turns the endpoints on. */
  serverEnv: RuntimePlan['serverEnv'];
  /** Ecto as detected (before --ecto/--no-ecto): the release module and repos, else null. */
  ecto: {
    from: string;
    module: string;
    file: string;
    exists: boolean;
    repos: string[];
    adapters: string[];
  } | null;
  /** What the production step read (adapter, force_ssl, dns_cluster...), as label and value. */
  production: Array<[string, string]>;
}

export function describeReading(target: Target, runtime: RuntimePlan, production: Array<[string, string]> = []): Reading {
  const { owner, main } = target;
  const tasks = releaseModuleOf(owner);
  return {
    app: { name: owner.app, dir: owner.dir },
    namespace: { name: owner.namespace, from: owner.namespaceFrom.from, guessed: owner.namespaceFrom.guessed },
    release: { name: target.release.name, from: target.releaseFrom },
    endpoints: target.endpoints.map((e) => ({ module: e.module, file: e.file, otpApp: e.otpApp })),
    phoenix: target.phoenix || main.phoenix,
    serverEnv: runtime.serverEnv,
    ecto: target.ectoFrom
      ? {
          from: target.ectoFrom,
          module: tasks.module,
          file: tasks.path,
          exists: tasks.exists,
          repos: owner.repos,
          adapters: target.facts.ectoAdapters,
        }
      : null,
    production,
  };
}

/** The block printed at the top of a run. */
export function formatReading(reading: Reading): string {
  const rows: Array<[string, string]> = [];
  const app = reading.app.dir ? `${reading.app.name} (${reading.app.dir})` : reading.app.name;
  rows.push(['app', app]);
  const ns = reading.namespace;
  rows.push(['namespace', ns.guessed ? `${ns.name}  GUESSED from ${ns.from}: set config :${reading.app.name}, namespace: ... if it is wrong` : `${ns.name}  from ${ns.from}`]);
  rows.push(['release', `${reading.release.name}  (${reading.release.from})`]);
  if (reading.endpoints.length > 0) {
    for (const e of reading.endpoints) rows.push(['endpoint', `${e.module}  in ${e.file}`]);
    const env = reading.serverEnv.map((e) => `${e.name}=${e.value}`).join(' ');
    if (env) rows.push(['bin/server', `sets ${env}`]);
  } else if (reading.phoenix) {
    rows.push(['endpoint', 'none found: no module under the source paths uses Phoenix.Endpoint']);
  }
  const ecto = reading.ecto;
  if (ecto) {
    rows.push(['migrations', `${ecto.module}.migrate  ${ecto.exists ? `(the project's own, in ${ecto.file})` : `(to write at ${ecto.file})`}`]);
    rows.push(['repos', ecto.repos.length > 0 ? ecto.repos.join(', ') : 'none in ecto_repos (config)']);
    if (ecto.adapters.length > 0) rows.push(['adapter', ecto.adapters.join(', ')]);
    rows.push(['ecto', `in use: ${ecto.from}`]);
  } else {
    rows.push(['ecto', 'not in use (no ecto_sql or wrapper dependency, no ecto_repos): pass --ecto if it is']);
  }
  rows.push(...reading.production);
  const width = Math.max(...rows.map(([label]) => label.length));
  return `Read from the project:\n${rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')}\n`;
}
