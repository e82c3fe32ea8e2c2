// The one value object every platform file renders from (fly.toml, the Kubernetes manifests,
// compose.yaml), computed once per run from what the run already decided. Pure: no I/O, no
// prompts. Each platform's derived values (Fly's host name, the headless Service, the compose
// database) are computed here too, so the templates only substitute and the tests compare every
// file against this one object.
import { UsageError } from '../errors.js';
import type { ProductionValues } from '../production/values.js';
import { checkedName, DEPLOY_TARGETS, nameFromRelease, type DeployTarget } from './targets.js';
import { deployEnvOf, type DeployEnv } from './env.js';
import { platformValuesOf, type ComposeValues, type FlyValues, type KubernetesValues } from './platforms.js';

export type { DeployEnv, PlainVar, SecretVar } from './env.js';
export type { ComposeDatabase, ComposeValues, FlyValues, KubernetesValues } from './platforms.js';

export { DEPLOY_TARGETS, deployNameProblem, MAX_NAME_LENGTH, nameFromRelease, type DeployTarget } from './targets.js';

export type DeployDatabase = 'postgres' | 'mysql' | 'sqlite';

/** What the run decided that the platform files depend on; the CLI builds it from facts and answers. */
export interface DeployInput {
  /** `--deploy`, repeatable; kept in this order, duplicates dropped. */
  targets: DeployTarget[];
  /** `--name`, or null to derive it from the release. */
  name: string | null;
  /** The release name, e.g. `my_app`. */
  release: string;
  /** The release serves HTTP (a Phoenix endpoint that bin/server starts). */
  http: boolean;
  /** The port, probe paths, drain and grace the release itself runs by: the one set every file agrees with. */
  production: Pick<ProductionValues, 'port' | 'health' | 'drainSeconds' | 'graceSeconds'>;
  /** The prod config forces SSL (`force_ssl:` on the endpoint). */
  forceSsl: boolean;
  /** bin/migrate is part of the release (Ecto in use). */
  ecto: boolean;
  /** The Ecto adapters among the dependencies (`postgrex`, `myxql`, `tds`, `ecto_sqlite3`). */
  ectoAdapters: string[];
  /** Clustering is set up (`--cluster`); `dnsClusterQuery` when the app uses dns_cluster. */
  cluster: { dnsClusterQuery: boolean } | null;
  /** The variables config/runtime.exs reads (`System.get_env/fetch_env`), in the order it reads them. */
  runtimeEnv: string[];
}

/** Everything the platform files need, computed once per run. */
export interface DeployValues {
  /** Which platforms get files, in the order asked. */
  targets: DeployTarget[];
  /**
   * The platform app name: `--name`, else the release name with `_` → `-`. A DNS-1035 label
   * (lowercase letter first; letters, digits, `-`), at most 54 characters so that the longest
   * derived name, `<name>-headless`, is still a valid 63-character Service name.
   */
  name: string;
  /** The release, e.g. `my_app`; the image runs /app/bin/server, /app/bin/<release>, /app/bin/migrate. */
  release: string;
  /** The HTTP port the release listens on (runtime.exs reads PORT). */
  port: number;
  /** null when the release serves no HTTP (a plain Mix app): no HTTP service, no probes. */
  http: {
    /** The health plug's paths; null when health checks are off (probes then use TCP). */
    health: { live: string; ready: string } | null;
    /** The prod config forces SSL: a check over plain HTTP sends `X-Forwarded-Proto: https`. */
    forceSsl: boolean;
    /** Headers every HTTP check sends (the forwarded-proto header when `forceSsl`). */
    checkHeaders: Array<{ name: string; value: string }>;
  } | null;
  /** The drain budget in seconds set on the app's adapter. */
  drainSeconds: number;
  /** The platform grace period, above the drain (Fly's kill_timeout, compose's stop_grace_period). */
  graceSeconds: number;
  /** `/app/bin/migrate` when Ecto is in use, else null. It runs as its own step, never at container start. */
  migrate: string | null;
  /** The database the adapter talks to; null without Ecto (or with an adapter none of the platforms sets up). */
  database: DeployDatabase | null;
  /** With SQLite: the directory every platform mounts persistent storage at (DATABASE_PATH lives there). */
  dataDir: string | null;
  /** Clustering: node names from env.sh, DNS_CLUSTER_QUERY when dns_cluster is used, a shared RELEASE_COOKIE. */
  cluster: { dnsClusterQuery: boolean } | null;
  /** The variables the app reads at run time, platform-neutral (each platform's own values are below). */
  env: DeployEnv;
  /** The Dockerfile's runtime user (`USER nobody`, WORKDIR /app). */
  user: { name: 'nobody'; uid: 65534; gid: 65534 };
  /** Resource requests for Kubernetes (and the memory of Fly's Machines). */
  resources: { cpu: '250m'; memory: '512Mi' };
  /** Per platform, what only that platform needs; null when the platform is not a target. */
  fly: FlyValues | null;
  kubernetes: KubernetesValues | null;
  compose: ComposeValues | null;
}

/** Fly stops a Machine at most 300 s after the kill signal. */
export const FLY_MAX_KILL_TIMEOUT = 300;

const DATABASE_OF_ADAPTER: Record<string, DeployDatabase> = { postgrex: 'postgres', myxql: 'mysql', ecto_sqlite3: 'sqlite' };

/** Builds the deploy values. Throws a UsageError for a `--name` or `--drain` the platforms cannot take. */
export function buildDeployValues(input: DeployInput): DeployValues {
  const targets = DEPLOY_TARGETS.filter((t) => input.targets.includes(t)).sort((a, b) => input.targets.indexOf(a) - input.targets.indexOf(b));
  const name = input.name === null ? nameFromRelease(input.release) : checkedName(input.name);
  const { drainSeconds, graceSeconds, health } = checkedDrain(input.production, targets);
  const port = input.production.port.default;
  const database = input.ecto ? databaseOf(input.ectoAdapters) : null;
  const http = input.http
    ? {
        health: health && { live: health.liveness, ready: health.readiness },
        forceSsl: input.forceSsl,
        checkHeaders: input.forceSsl ? [{ name: 'X-Forwarded-Proto', value: 'https' }] : [],
      }
    : null;
  const dataDir = database === 'sqlite' ? '/data' : null;
  const env = deployEnvOf({ runtimeEnv: input.runtimeEnv, http: input.http, port, database, dataDir, release: input.release, cluster: input.cluster !== null });
  const common = {
    targets,
    name,
    release: input.release,
    port,
    http,
    drainSeconds,
    graceSeconds,
    migrate: input.ecto ? '/app/bin/migrate' : null,
    database,
    dataDir,
    cluster: input.cluster,
    env,
    user: { name: 'nobody', uid: 65534, gid: 65534 },
    resources: { cpu: '250m', memory: '512Mi' },
  } as const;
  const platforms = platformValuesOf(common);
  return {
    ...common,
    targets: [...targets],
    fly: targets.includes('fly') ? platforms.fly() : null,
    kubernetes: targets.includes('kubernetes') ? platforms.kubernetes() : null,
    compose: targets.includes('compose') ? platforms.compose() : null,
  };
}

function checkedDrain<P extends DeployInput['production']>(production: P, targets: DeployTarget[]): P {
  const seconds = production.drainSeconds;
  if (!Number.isInteger(seconds) || seconds < 1) throw new UsageError(`--drain ${seconds}: give a whole number of seconds, 1 or more`);
  const max = FLY_MAX_KILL_TIMEOUT - (production.graceSeconds - seconds);
  if (targets.includes('fly') && production.graceSeconds > FLY_MAX_KILL_TIMEOUT) {
    throw new UsageError(`--drain ${seconds}: Fly stops a Machine at most ${FLY_MAX_KILL_TIMEOUT} s after SIGTERM, so the drain can be at most ${max} s there`);
  }
  return production;
}

/** The first adapter the platforms know how to provision; tds (SQL Server) gets no database service. */
function databaseOf(adapters: string[]): DeployDatabase | null {
  for (const adapter of adapters) {
    const database = DATABASE_OF_ADAPTER[adapter];
    if (database) return database;
  }
  return null;
}

/** The fields every platform's values are derived from. */
export type CommonValues = Omit<DeployValues, 'fly' | 'kubernetes' | 'compose'>;
