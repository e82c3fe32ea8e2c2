// The deploy values written out for the templates: every variable string already quoted for the
// file it lands in (TOML, YAML, a .env line), lists the templates walk with `each`, and which
// blocks appear as booleans. The templates only substitute.
import type { Probe } from './platforms.js';
import type { DeployValues } from './values.js';

export interface DeployTemplateData {
  release: string;
  name: string;
  port: number;
  drainSeconds: number;
  graceSeconds: number;
  fly: ReturnType<typeof flyView> | null;
  kubernetes: ReturnType<typeof kubernetesView> | null;
  compose: ReturnType<typeof composeView> | null;
}

/** Pure: the same values always give the same data. */
export function buildDeployTemplateData(v: DeployValues): DeployTemplateData {
  return {
    release: v.release,
    name: v.name,
    port: v.port,
    drainSeconds: v.drainSeconds,
    graceSeconds: v.graceSeconds,
    fly: v.fly && flyView(v, v.fly),
    kubernetes: v.kubernetes && kubernetesView(v, v.kubernetes),
    compose: v.compose && composeView(v, v.compose),
  };
}

function flyView(v: DeployValues, fly: NonNullable<DeployValues['fly']>) {
  return {
    app: tomlString(v.name),
    killTimeout: fly.killTimeout,
    secrets: fly.env.secrets,
    releaseCommand: fly.releaseCommand && tomlString(fly.releaseCommand),
    sqlite: fly.mount !== null,
    /** The volume's name as a shell word (a fixed lowercase name). */
    volume: fly.mount?.source ?? null,
    mount: fly.mount && { source: tomlString(fly.mount.source), destination: tomlString(fly.mount.destination) },
    env: fly.env.plain.map((p) => ({ name: p.name, value: tomlString(p.value) })),
    ipv6: fly.env.plain.some((p) => p.name === 'ECTO_IPV6' && p.value === 'true'),
    http: v.http !== null,
    check: fly.check && {
      path: tomlString(fly.check.path),
      gracePeriod: tomlString(fly.check.gracePeriod),
      interval: tomlString(fly.check.interval),
      timeout: tomlString(fly.check.timeout),
      headers: (v.http?.checkHeaders ?? []).map((h) => ({ name: h.name, value: tomlString(h.value) })),
    },
    noCheck: v.http !== null && fly.check === null,
    memory: tomlString(fly.memory),
  };
}

function kubernetesView(v: DeployValues, k: NonNullable<DeployValues['kubernetes']>) {
  const labels = (map: Record<string, string>) => Object.entries(map).map(([key, value]) => ({ key, value: yamlString(value) }));
  const probe = (field: string, p: Probe) => ({
    field,
    path: p.path && yamlString(p.path),
    headers: (v.http?.checkHeaders ?? []).map((h) => ({ name: yamlString(h.name), value: yamlString(h.value) })),
    periodSeconds: p.periodSeconds,
    timeoutSeconds: p.timeoutSeconds,
    failureThreshold: p.failureThreshold,
  });
  const resources = [...(k.serviceName ? ['service.yaml'] : []), ...(k.headlessServiceName ? ['headless-service.yaml'] : []), ...(k.claimName ? ['data-volume-claim.yaml'] : [])];
  return {
    dir: k.dir,
    name: yamlString(v.name),
    image: yamlString(k.image),
    imageName: yamlString(k.registryImage),
    jobNameText: k.jobName,
    resources: ['deployment.yaml', ...resources, ...(k.jobName ? ['migrate-job.yaml'] : [])],
    appLabels: labels(k.appLabels),
    migrateLabels: labels(k.migrateLabels),
    secretName: yamlString(k.secretName),
    hasSecrets: k.env.secrets.length > 0,
    secrets: k.env.secrets.map((s) => ({ name: s.name, hint: s.hint })),
    serviceName: k.serviceName && yamlString(k.serviceName),
    headlessServiceName: k.headlessServiceName && yamlString(k.headlessServiceName),
    jobName: k.jobName && yamlString(k.jobName),
    migrate: v.migrate && yamlFlow([v.migrate]),
    claimName: k.claimName && yamlString(k.claimName),
    dataDir: v.dataDir && yamlString(v.dataDir),
    dataDirText: v.dataDir,
    replicas: k.replicas,
    rolling: k.strategy === 'RollingUpdate',
    preStop: yamlFlow(['sleep', String(k.preStopSeconds)]),
    preStopSeconds: k.preStopSeconds,
    terminationGracePeriodSeconds: k.terminationGracePeriodSeconds,
    releaseTmp: yamlString(k.releaseTmp),
    env: k.env.plain.map((p) => ({ name: p.name, value: yamlString(p.value.replaceAll('$(', '$$(')) })),
    podIp: k.podIp,
    http: v.http !== null,
    probes: k.probes && [probe('startupProbe', k.probes.startup), probe('livenessProbe', k.probes.liveness), probe('readinessProbe', k.probes.readiness)],
    uid: v.user.uid,
    gid: v.user.gid,
    cpu: yamlString(v.resources.cpu),
    memory: yamlString(v.resources.memory),
  };
}

function composeView(v: DeployValues, c: NonNullable<DeployValues['compose']>) {
  const dependency = (service: string, condition: string) => ({ service, condition });
  const setup = [
    ...(c.database ? [dependency(c.database.service, 'service_healthy')] : []),
    ...(c.dataVolume ? [dependency('data-permissions', 'service_completed_successfully')] : []),
  ];
  const environment = c.derived.map((p) => ({ name: p.name, value: yamlString(p.value) }));
  return {
    project: yamlString(v.name),
    database: c.database && {
      service: c.database.service,
      image: yamlString(c.database.image),
      environment: c.database.environment.map((p) => ({ name: p.name, value: yamlString(p.value) })),
      volume: yamlString(`${c.database.volume}:${c.database.dataPath}`),
      volumeName: c.database.volume,
      healthcheck: yamlFlow(c.database.healthcheck),
    },
    dataVolume: c.dataVolume && { name: c.dataVolume.name, mount: yamlString(`${c.dataVolume.name}:${c.dataVolume.target}`), chown: yamlFlow(['chown', `${v.user.uid}:${v.user.gid}`, c.dataVolume.target]) },
    migrate: v.migrate && yamlFlow([v.migrate]),
    migrateDependsOn: setup,
    appDependsOn: v.migrate ? [...setup.filter((d) => d.condition === 'service_healthy'), dependency('migrate', 'service_completed_successfully')] : setup,
    envFile: c.env.secrets.length + c.env.plain.length > 0,
    environment,
    http: v.http !== null,
    ports: yamlString(`${v.port}:${v.port}`),
    healthcheck: c.healthcheck && yamlFlow(c.healthcheck),
    stopGracePeriod: `${v.graceSeconds}s`,
    uid: v.user.uid,
    volumes: [...(c.database ? [c.database.volume] : []), ...(c.dataVolume ? [c.dataVolume.name] : [])],
    // .env.example
    secrets: c.env.secrets,
    plain: c.env.plain.map((p) => ({ name: p.name, value: dotenvValue(p.value) })),
    derived: c.derived.map((p) => p.name),
  };
}

// YAML 1.1 (Kubernetes' parser) reads these bare words as booleans or null; YAML 1.2 reads
// numbers, `.inf` and `~` specially too: such strings are quoted.
const YAML_SPECIAL = /^(y|n|yes|no|on|off|true|false|null|~)$/i;
const YAML_BARE = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;

/** A string as a YAML scalar: bare when that reads back as the same string in YAML 1.1 and 1.2, else double-quoted. */
export function yamlString(value: string): string {
  return YAML_BARE.test(value) && !YAML_SPECIAL.test(value) ? value : JSON.stringify(value);
}

/** A list of strings as a YAML flow sequence, `["a", "b"]` (JSON is valid YAML). */
function yamlFlow(items: string[]): string {
  return `[${items.map((i) => JSON.stringify(i)).join(', ')}]`;
}

/** A TOML basic string: JSON's escapes are TOML's, but TOML also wants DEL escaped. */
export function tomlString(value: string): string {
  return JSON.stringify(value).replaceAll('\u007f', '\\u007F');
}

/** A value on a .env line: bare when plain, else single-quoted (taken literally, no interpolation). */
function dotenvValue(value: string): string {
  if (/^[A-Za-z0-9_./:@-]*$/.test(value)) return value;
  // Plain values are create-release's own (env.ts): none holds a quote.
  if (value.includes("'")) throw new Error(`dotenvValue: cannot quote ${value}`);
  return `'${value}'`;
}
