// What each platform derives from the common deploy values: names, its own values for the plain
// variables, checks and probes. Decided here, so the templates only substitute.
import { withPlain, type DeployEnv, type PlainVar } from './env.js';
import type { CommonValues } from './values.js';

export interface FlyValues {
  /** The host Fly serves the app on, `<name>.fly.dev`: PHX_HOST there. */
  host: string;
  /** `[env]`: the plain variables with Fly's values (the secrets go to `fly secrets set`). */
  env: DeployEnv;
  /** `[deploy] release_command`: bin/migrate, except with SQLite, whose volume the release Machine never sees. */
  releaseCommand: string | null;
  /** `kill_timeout` in seconds: the grace period (Fly allows 300 at most, its default is 5). */
  killTimeout: number;
  /** `[[vm]] memory`, the memory Kubernetes requests. */
  memory: string;
  /** With SQLite: the volume holding the database. */
  mount: { source: string; destination: string } | null;
  /** `[[http_service.checks]]` on the liveness path; null without health checks. */
  check: { path: string; gracePeriod: string; interval: string; timeout: string } | null;
}

export interface Probe {
  /** `httpGet` on `path` (with the check headers), or `tcpSocket` when health checks are off. */
  path: string | null;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

export interface KubernetesValues {
  /** Where the manifests go, relative to the project. */
  dir: string;
  /** The image as the manifests name it; kustomization.yaml's `images:` points it at a registry. */
  image: string;
  /** The registry image the kustomization substitutes, a placeholder to edit. */
  registryImage: string;
  /** Labels of the app's pods (and the Services' selector); the migration Job's pods differ in `component`. */
  appLabels: Record<string, string>;
  migrateLabels: Record<string, string>;
  /** The Secret the containers read their secret variables from. */
  secretName: string;
  /** The Service in front of the HTTP port; null without HTTP. */
  serviceName: string | null;
  /** The headless Service whose DNS lists every pod, for clustering; null without clustering. */
  headlessServiceName: string | null;
  /** The Job that runs bin/migrate; null without Ecto. */
  jobName: string | null;
  /** With SQLite: the PersistentVolumeClaim mounted at the data directory. */
  claimName: string | null;
  /** Two pods when they form a cluster (PubSub spans nodes only then), else one. */
  replicas: number;
  /** `Recreate` with SQLite (one writer, one ReadWriteOnce volume), else a rolling update with no pod down. */
  strategy: 'RollingUpdate' | 'Recreate';
  /** The preStop sleep: endpoints stop routing to the pod before SIGTERM starts the drain. */
  preStopSeconds: number;
  /** Above preStop + drain: the grace period counts from the start of preStop. */
  terminationGracePeriodSeconds: number;
  /** The root file system is read-only; RELEASE_TMP and the crash dump are on an emptyDir mounted here. */
  releaseTmp: string;
  /** The env of the app's container: plain values inline (RELEASE_TMP, ERL_CRASH_DUMP, DNS_CLUSTER_QUERY added), secrets from `secretName`. */
  env: DeployEnv;
  /** POD_IP from the downward API, for env.sh's node name (clustering). */
  podIp: boolean;
  /** null without HTTP. */
  probes: { startup: Probe; liveness: Probe; readiness: Probe } | null;
}

export interface ComposeDatabase {
  /** The service name, the host in DATABASE_URL. */
  service: string;
  image: string;
  /** The named volume and where the image keeps its data. */
  volume: string;
  dataPath: string;
  /** The container's own settings; the password comes from `.env` through interpolation. */
  environment: PlainVar[];
  /** `healthcheck.test`, exec form. */
  healthcheck: string[];
}

export interface ComposeValues {
  /** What `.env.example` lists and `env_file: .env` feeds the release's services. */
  env: DeployEnv;
  /** Set in compose.yaml itself because they follow from its services: DATABASE_URL, DNS_CLUSTER_QUERY. */
  derived: PlainVar[];
  /** The database service, for Postgres and MySQL. */
  database: ComposeDatabase | null;
  /** With SQLite: the named volume at the data directory, made writable for the release's user first. */
  dataVolume: { name: string; target: string } | null;
  /** `healthcheck.test` of the app (bash's /dev/tcp: the slim image has no curl); null without HTTP. */
  healthcheck: string[] | null;
}

const DB_PASSWORD = 'DB_PASSWORD';

export function platformValuesOf(v: CommonValues) {
  return { fly: () => flyValuesOf(v), kubernetes: () => kubernetesValuesOf(v), compose: () => composeValuesOf(v) };
}

function flyValuesOf(v: CommonValues): FlyValues {
  const host = `${v.name}.fly.dev`;
  const socketDatabase = v.database === 'postgres' || v.database === 'mysql';
  // Fly's private network, and Fly Postgres on it, is IPv6 only.
  const ipv6 = socketDatabase ? [{ name: 'ECTO_IPV6', value: 'true' }] : [];
  const env = withPlain(v.env, {
    set: [{ name: 'PHX_HOST', value: host }, ...ipv6],
    add: [...ipv6, ...(v.cluster?.dnsClusterQuery ? [{ name: 'DNS_CLUSTER_QUERY', value: `${v.name}.internal` }] : [])],
  });
  return {
    host,
    env,
    releaseCommand: v.database === 'sqlite' ? null : v.migrate,
    killTimeout: v.graceSeconds,
    memory: v.resources.memory.replace(/Mi$/, 'mb'),
    mount: v.dataDir ? { source: 'data', destination: v.dataDir } : null,
    check: v.http?.health ? { path: v.http.health.live, gracePeriod: '20s', interval: '15s', timeout: '5s' } : null,
  };
}

function kubernetesValuesOf(v: CommonValues): KubernetesValues {
  const base = { 'app.kubernetes.io/name': v.name };
  const headless = v.cluster ? `${v.name}-headless` : null;
  const releaseTmp = '/tmp';
  const preStopSeconds = 5;
  const env = withPlain(v.env, {
    add: [
      // The short name resolves through the pod's DNS search list, in whatever namespace it runs.
      ...(v.cluster?.dnsClusterQuery && headless ? [{ name: 'DNS_CLUSTER_QUERY', value: headless }] : []),
      { name: 'RELEASE_TMP', value: releaseTmp },
      { name: 'ERL_CRASH_DUMP', value: `${releaseTmp}/erl_crash.dump` },
    ],
  });
  const probe = (path: string | null, periodSeconds: number, timeoutSeconds: number, failureThreshold: number): Probe => ({ path, periodSeconds, timeoutSeconds, failureThreshold });
  const health = v.http?.health ?? null;
  return {
    dir: 'deploy/kubernetes',
    image: v.name,
    registryImage: `registry.example.com/${v.name}`,
    appLabels: { ...base, 'app.kubernetes.io/component': 'app' },
    migrateLabels: { ...base, 'app.kubernetes.io/component': 'migrate' },
    secretName: `${v.name}-env`,
    serviceName: v.http ? v.name : null,
    headlessServiceName: headless,
    jobName: v.migrate ? `${v.name}-migrate` : null,
    claimName: v.dataDir ? `${v.name}-data` : null,
    replicas: v.cluster && !v.dataDir ? 2 : 1,
    strategy: v.dataDir ? 'Recreate' : 'RollingUpdate',
    preStopSeconds,
    terminationGracePeriodSeconds: preStopSeconds + v.graceSeconds,
    releaseTmp,
    env,
    podIp: v.cluster !== null,
    probes: v.http
      ? {
          // Up to a minute to boot, checked often so a ready pod gets traffic soon.
          startup: probe(health?.live ?? null, 2, 2, 30),
          liveness: probe(health?.live ?? null, 10, 2, 3),
          readiness: probe(health?.ready ?? null, 5, 3, 3),
        }
      : null,
  };
}

function composeValuesOf(v: CommonValues): ComposeValues {
  const database = composeDatabaseOf(v);
  const derived: PlainVar[] = [
    ...(database ? [{ name: 'DATABASE_URL', value: `ecto://${v.release.slice(0, 32)}:\${${DB_PASSWORD}:?set ${DB_PASSWORD} in .env}@${database.service}/${v.release}` }] : []),
    // Compose's DNS answers a service name with the address of each of its containers.
    ...(v.cluster?.dnsClusterQuery ? [{ name: 'DNS_CLUSTER_QUERY', value: 'app' }] : []),
  ];
  const secrets = [
    ...v.env.secrets.filter((s) => !derived.some((d) => d.name === s.name)),
    ...(database ? [{ name: DB_PASSWORD, hint: 'the database password, letters and digits only (it goes into DATABASE_URL): openssl rand -hex 24' }] : []),
  ];
  // Compose runs on the machine at hand, where the app is at localhost:<port>.
  const plain = withPlain(v.env, { set: [{ name: 'PHX_HOST', value: 'localhost' }] }).plain;
  return {
    env: { secrets, plain: plain.filter((p) => !derived.some((d) => d.name === p.name)) },
    derived,
    database,
    dataVolume: v.dataDir ? { name: 'data', target: v.dataDir } : null,
    healthcheck: v.http ? ['CMD', 'bash', '-c', httpCheckScript(v)] : null,
  };
}

function composeDatabaseOf(v: CommonValues): ComposeDatabase | null {
  const user = v.release.slice(0, 32);
  const password = `\${${DB_PASSWORD}:?set ${DB_PASSWORD} in .env}`;
  if (v.database === 'postgres') {
    return {
      service: 'db',
      image: 'postgres:17',
      volume: 'db-data',
      dataPath: '/var/lib/postgresql/data',
      environment: [
        { name: 'POSTGRES_USER', value: user },
        { name: 'POSTGRES_PASSWORD', value: password },
        { name: 'POSTGRES_DB', value: v.release },
      ],
      healthcheck: ['CMD', 'pg_isready', '--username', user, '--dbname', v.release],
    };
  }
  if (v.database === 'mysql') {
    return {
      service: 'db',
      image: 'mysql:8.4',
      volume: 'db-data',
      dataPath: '/var/lib/mysql',
      environment: [
        { name: 'MYSQL_DATABASE', value: v.release },
        { name: 'MYSQL_USER', value: user },
        { name: 'MYSQL_PASSWORD', value: password },
        { name: 'MYSQL_RANDOM_ROOT_PASSWORD', value: 'yes' },
      ],
      // Over TCP: the image's first-run server listens on no port, so this waits for the real one.
      healthcheck: ['CMD', 'mysqladmin', 'ping', '--host=127.0.0.1', '--silent'],
    };
  }
  return null;
}

/**
 * A health check with what Debian's slim image has: bash opens a TCP connection itself
 * (`/dev/tcp`), so no curl is needed. With the health plug it asks the liveness path and wants a
 * 200 (a redirect fails it); without, an accepted connection is enough.
 */
function httpCheckScript(v: CommonValues): string {
  const connect = `exec 3<>/dev/tcp/127.0.0.1/${v.port}`;
  const health = v.http?.health;
  if (!health) return connect;
  const headers = ['Host: localhost', ...(v.http?.checkHeaders ?? []).map((h) => `${h.name}: ${h.value}`), 'Connection: close'];
  const request = [`GET ${health.live} HTTP/1.1`, ...headers, '', ''].join('\\r\\n');
  return `${connect} && printf '${request}' >&3 && head -n 1 <&3 | grep -q '^HTTP/1.[01] 200'`;
}
