// Every combination the platform files vary with: Ecto off or on with each adapter, clustering
// off / on / on with dns_cluster, force_ssl, health checks and HTTP each on and off (96 in all),
// rendered once for all three targets, each file parsed as its tool parses it.
import { planDeployFiles } from '../../src/deploy/plan.js';
import { buildDeployValues, type DeployInput, type DeployValues } from '../../src/deploy/values.js';
import { productionValuesOf } from '../../src/production/values.js';
import { renderFiles } from '../../src/render.js';
import type { RenderedFile } from '../../src/types.js';
import { parseToml, parseYaml, parseYamlDocument, type JsonObject } from '../helpers/schemas.js';

export interface Combination {
  label: string;
  input: DeployInput;
}

// What phx.new 1.8's runtime.exs reads, in its order, and one variable create-release does not know.
const PHOENIX_ENV = ['DATABASE_URL', 'ECTO_IPV6', 'POOL_SIZE', 'SECRET_KEY_BASE', 'PHX_HOST', 'PORT', 'DNS_CLUSTER_QUERY', 'PHX_SERVER', 'MAILER_API_KEY'];
const SQLITE_PHOENIX_ENV = ['DATABASE_PATH', 'POOL_SIZE', 'SECRET_KEY_BASE', 'PHX_HOST', 'PORT', 'DNS_CLUSTER_QUERY', 'PHX_SERVER'];

const ADAPTERS: Array<string | null> = [null, 'postgrex', 'myxql', 'ecto_sqlite3'];
const CLUSTERS: Array<DeployInput['cluster']> = [null, { dnsClusterQuery: false }, { dnsClusterQuery: true }];

export const combinations: Combination[] = ADAPTERS.flatMap((adapter) =>
  CLUSTERS.flatMap((cluster) =>
    [true, false].flatMap((http) =>
      [true, false].flatMap((health) =>
        [true, false].map((forceSsl): Combination => {
          const label = [
            adapter ?? 'no-ecto',
            cluster ? (cluster.dnsClusterQuery ? 'cluster+dns' : 'cluster') : 'single',
            http ? 'http' : 'no-http',
            health ? 'health' : 'no-health',
            forceSsl ? 'ssl' : 'no-ssl',
          ].join(' ');
          const runtimeEnv = http ? (adapter === 'ecto_sqlite3' ? SQLITE_PHOENIX_ENV : PHOENIX_ENV) : adapter ? ['DATABASE_URL'] : [];
          return {
            label,
            input: {
              targets: ['fly', 'kubernetes', 'compose'],
              name: null,
              release: 'my_app',
              http,
              production: productionValues({ health, drainSeconds: 25 }),
              forceSsl,
              ecto: adapter !== null,
              ectoAdapters: adapter ? [adapter] : [],
              cluster,
              runtimeEnv,
            },
          };
        }),
      ),
    ),
  ),
);

/** The production values a run with these answers computes. */
export function productionValues(choices: { health: boolean; drainSeconds: number }) {
  return productionValuesOf('my_app', { ...choices, adapter: 'bandit', cluster: false, epmdLessPort: null });
}

/** The files of one run, each parsed: what the tests look at. */
export interface Rendered {
  values: DeployValues;
  files: RenderedFile[];
  fly: JsonObject;
  /** Kubernetes objects by file name (under deploy/kubernetes/). */
  kubernetes: Map<string, JsonObject>;
  compose: JsonObject;
  /** .env.example as lines of text (parsed with dotenv where the tests need values). */
  envExample: string | null;
}

const cache = new Map<string, Promise<Rendered>>();

export function renderCombination(input: DeployInput): Promise<Rendered> {
  const key = JSON.stringify(input);
  let entry = cache.get(key);
  if (!entry) {
    entry = render(input);
    cache.set(key, entry);
  }
  return entry;
}

async function render(input: DeployInput): Promise<Rendered> {
  const values = buildDeployValues(input);
  const files = await renderFiles(planDeployFiles(values));
  const content = (p: string) => files.find((f) => f.path === p)?.content ?? null;
  const kubernetes = new Map<string, JsonObject>();
  for (const file of files.filter((f) => f.path.startsWith('deploy/kubernetes/'))) {
    kubernetes.set(file.path.slice('deploy/kubernetes/'.length), parseYamlDocument(file.content, file.path, { yaml11: true }));
  }
  const fly = content('fly.toml');
  const compose = content('compose.yaml');
  return {
    values,
    files,
    fly: fly === null ? {} : parseToml(fly),
    kubernetes,
    compose: compose === null ? {} : parseYaml(compose, 'compose.yaml')[0]!,
    envExample: content('.env.example'),
  };
}

/** A nested value by path, or undefined (the tests read parsed files loosely and assert on what they find). */
export function at(value: unknown, ...keys: Array<string | number>): any {
  let current: any = value;
  for (const key of keys) current = current?.[key];
  return current;
}
