// The platform files agree with each other and with the deploy values they came from, in every
// combination: grace above the drain, checks on the health plug's paths (not redirected), the
// migrations as their own step only, every variable provided and no secret with a value,
// clustering names that resolve to the pods, selectors that pick the right pods.
import dotenv from 'dotenv';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../helpers/schemas.js';
import { at, combinations, renderCombination, type Rendered } from './combinations.js';

const MIGRATE = '/app/bin/migrate';

const container = (object: JsonObject | undefined) => at(object, 'spec', 'template', 'spec', 'containers', 0);
const seconds = (duration: string) => {
  const match = /^(\d+)s$/.exec(duration);
  if (!match) throw new Error(`not a duration in seconds: ${duration}`);
  return Number(match[1]);
};
const envNames = (c: unknown): string[] => (at(c, 'env') ?? []).map((e: { name: string }) => e.name);
const envValue = (c: unknown, name: string) => (at(c, 'env') ?? []).find((e: { name: string }) => e.name === name);

describe.each(combinations.map((c) => [c.label, c] as const))('%s', (_, c) => {
  const load = () => renderCombination(c.input);

  it('gives every platform a grace period above the drain', async () => {
    const { values, fly, kubernetes, compose } = await load();
    expect(fly.kill_signal).toBe('SIGTERM');
    expect(fly.kill_timeout).toBeGreaterThan(values.drainSeconds);
    expect(fly.kill_timeout).toBeLessThanOrEqual(300);
    const pod = at(kubernetes.get('deployment.yaml'), 'spec', 'template', 'spec');
    const preStop = at(container(kubernetes.get('deployment.yaml')), 'lifecycle', 'preStop', 'exec', 'command');
    expect(preStop[0]).toBe('sleep');
    // Kubernetes counts the grace period from the start of preStop.
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(Number(preStop[1]) + values.drainSeconds);
    expect(seconds(at(compose, 'services', 'app', 'stop_grace_period'))).toBeGreaterThan(values.drainSeconds);
  });

  it('checks health on the health plug paths, without being redirected, on the port the release listens on', async () => {
    const { values, fly, kubernetes, compose } = await load();
    const app = container(kubernetes.get('deployment.yaml'));
    const probes = ['startupProbe', 'livenessProbe', 'readinessProbe'].map((p) => app[p]);
    const healthcheck: string[] | undefined = at(compose, 'services', 'app', 'healthcheck', 'test');
    if (!values.http) {
      expect(fly.http_service).toBeUndefined();
      expect(probes).toEqual([undefined, undefined, undefined]);
      expect(app.ports).toBeUndefined();
      expect(kubernetes.has('service.yaml')).toBe(false);
      expect(healthcheck).toBeUndefined();
      expect(at(compose, 'services', 'app', 'ports')).toBeUndefined();
      return;
    }
    expect(at(fly, 'http_service', 'internal_port')).toBe(values.port);
    expect(app.ports).toEqual([{ name: 'http', containerPort: values.port, protocol: 'TCP' }]);
    expect(at(kubernetes.get('service.yaml'), 'spec', 'ports', 0, 'targetPort')).toBe('http');
    expect(at(compose, 'services', 'app', 'ports')).toEqual([`${values.port}:${values.port}`]);
    const headers = values.http.forceSsl ? [{ name: 'X-Forwarded-Proto', value: 'https' }] : [];
    expect(values.http.checkHeaders).toEqual(headers);
    const health = values.http.health;
    if (!health) {
      expect(at(fly, 'http_service', 'checks')).toBeUndefined();
      for (const probe of probes) expect(probe.tcpSocket).toEqual({ port: 'http' });
      expect(healthcheck).toEqual(['CMD', 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${values.port}`]);
      return;
    }
    const [check] = at(fly, 'http_service', 'checks');
    expect(check.path).toBe(health.live);
    expect(check.method).toBe('GET');
    expect(check.headers ?? {}).toEqual(Object.fromEntries(headers.map((h) => [h.name, h.value])));
    expect(probes.map((p) => p.httpGet.path)).toEqual([health.live, health.live, health.ready]);
    for (const probe of probes) {
      expect(probe.httpGet.port).toBe('http');
      expect(probe.httpGet.httpHeaders ?? []).toEqual(headers);
    }
    const script = healthcheck![3]!;
    expect(healthcheck!.slice(0, 3)).toEqual(['CMD', 'bash', '-c']);
    expect(script).toContain(`/dev/tcp/127.0.0.1/${values.port}`);
    expect(script).toContain(`GET ${health.live} HTTP/1.1\\r\\n`);
    expect(script.includes('X-Forwarded-Proto: https')).toBe(values.http.forceSsl);
    expect(script).toMatch(/grep -q '\^HTTP\/1\.\[01\] 200'$/);
  });

  it('runs /app/bin/migrate only as its own step, never in the app container', async () => {
    const { values, fly, kubernetes, compose } = await load();
    expect(values.migrate).toBe(c.input.ecto ? MIGRATE : null);
    // Fly's release Machine sees no volume: SQLite migrates in the app's Machine, by hand.
    expect(at(fly, 'deploy', 'release_command')).toBe(values.migrate && values.database !== 'sqlite' ? MIGRATE : undefined);
    const deployment = container(kubernetes.get('deployment.yaml'));
    expect(deployment.command).toBeUndefined();
    expect(deployment.args).toBeUndefined();
    const app = at(compose, 'services', 'app');
    expect(app.command).toBeUndefined();
    expect(app.entrypoint).toBeUndefined();
    if (!values.migrate) {
      expect(kubernetes.has('migrate-job.yaml')).toBe(false);
      expect(at(compose, 'services', 'migrate')).toBeUndefined();
      return;
    }
    const job = kubernetes.get('migrate-job.yaml');
    expect(container(job).command).toEqual([MIGRATE]);
    expect(at(job, 'spec', 'template', 'spec', 'restartPolicy')).toBe('Never');
    expect(at(compose, 'services', 'migrate', 'command')).toEqual([MIGRATE]);
    expect(at(app, 'depends_on', 'migrate')).toEqual({ condition: 'service_completed_successfully' });
    // The Job migrates the same database the app uses: same image, same variables.
    expect(container(job).image).toBe(deployment.image);
    expect(container(job).envFrom).toEqual(deployment.envFrom);
    expect(envNames(container(job))).toEqual(envNames(deployment).filter((n) => n !== 'POD_IP'));
    expect(at(compose, 'services', 'migrate', 'environment')).toEqual(app.environment);
    expect(at(compose, 'services', 'migrate', 'env_file')).toEqual(app.env_file);
  });

  it('provides every variable the app reads, and never a secret with a value', async () => {
    const { values, fly, kubernetes, compose, envExample, files } = await load();
    const secrets = values.env.secrets.map((s) => s.name);
    const plain = values.env.plain.map((p) => p.name);
    // Fly: plain settings in [env], secrets named in the `fly secrets set` lines.
    const flyText = files.find((f) => f.path === 'fly.toml')!.content;
    expect(Object.keys(fly.env ?? {})).toEqual(expect.arrayContaining(plain));
    for (const name of secrets) {
      expect(at(fly, 'env', name)).toBeUndefined();
      expect(flyText).toContain(`#   fly secrets set ${name}=...`);
    }
    // Kubernetes: plain settings inline, secrets from the Secret whose example lists them empty.
    const deployment = container(kubernetes.get('deployment.yaml'));
    expect(envNames(deployment)).toEqual(expect.arrayContaining(plain));
    for (const name of secrets) expect(envNames(deployment)).not.toContain(name);
    const secret = kubernetes.get('secret.example.yaml');
    if (secrets.length === 0) {
      expect(secret).toBeUndefined();
      expect(deployment.envFrom).toBeUndefined();
    } else {
      expect(at(secret, 'stringData')).toEqual(Object.fromEntries(secrets.map((n) => [n, ''])));
      expect(deployment.envFrom).toEqual([{ secretRef: { name: at(secret, 'metadata', 'name') } }]);
      expect(kubernetes.get('kustomization.yaml')!.resources).not.toContain('secret.example.yaml');
    }
    // Compose: everything in .env (secrets empty), or set in compose.yaml from its own services.
    const app = at(compose, 'services', 'app');
    const dotenvValues = envExample === null ? {} : dotenv.parse(envExample);
    const fromCompose = Object.keys(app.environment ?? {});
    for (const name of [...secrets, ...plain]) expect([...Object.keys(dotenvValues), ...fromCompose], name).toContain(name);
    for (const name of [...secrets, ...values.compose!.env.secrets.map((s) => s.name)]) {
      if (name in dotenvValues) expect(dotenvValues[name], name).toBe('');
    }
    if (envExample !== null) expect(app.env_file).toBe('.env');
    // A database URL in compose.yaml carries the password only as a reference to .env.
    const url: string | undefined = app.environment?.DATABASE_URL;
    if (url) expect(url).toMatch(/^ecto:\/\/[a-z_0-9]+:\$\{DB_PASSWORD:\?[^}]*\}@db\/my_app$/);
  });

  it('clusters the pods through names that resolve to them', async () => {
    const { values, fly, kubernetes, compose } = await load();
    const deployment = container(kubernetes.get('deployment.yaml'));
    const podIp = envValue(deployment, 'POD_IP');
    const headless = kubernetes.get('headless-service.yaml');
    const secretNames = values.env.secrets.map((s) => s.name);
    if (!values.cluster) {
      expect(podIp).toBeUndefined();
      expect(headless).toBeUndefined();
      expect(secretNames).not.toContain('RELEASE_COOKIE');
      expect(at(kubernetes.get('deployment.yaml'), 'spec', 'replicas')).toBe(1);
      return;
    }
    expect(secretNames).toContain('RELEASE_COOKIE');
    expect(podIp).toEqual({ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
    expect(at(headless, 'spec', 'clusterIP')).toBe('None');
    expect(at(headless, 'spec', 'publishNotReadyAddresses')).toBe(true);
    expect(at(headless, 'spec', 'selector')).toEqual(at(kubernetes.get('deployment.yaml'), 'spec', 'template', 'metadata', 'labels'));
    const query = envValue(deployment, 'DNS_CLUSTER_QUERY');
    const flyQuery = at(fly, 'env', 'DNS_CLUSTER_QUERY');
    const composeQuery = at(compose, 'services', 'app', 'environment', 'DNS_CLUSTER_QUERY');
    if (!values.cluster.dnsClusterQuery) {
      expect([query, flyQuery, composeQuery]).toEqual([undefined, undefined, undefined]);
      return;
    }
    expect(query).toEqual({ name: 'DNS_CLUSTER_QUERY', value: at(headless, 'metadata', 'name') });
    expect(flyQuery).toBe(`${fly.app}.internal`);
    expect(composeQuery).toBe('app');
  });

  it('selects the app pods, and only them, in every Service', async () => {
    const { kubernetes } = await load();
    const deployment = kubernetes.get('deployment.yaml');
    const podLabels = at(deployment, 'spec', 'template', 'metadata', 'labels');
    expect(at(deployment, 'spec', 'selector', 'matchLabels')).toEqual(podLabels);
    const jobLabels = at(kubernetes.get('migrate-job.yaml'), 'spec', 'template', 'metadata', 'labels');
    for (const file of ['service.yaml', 'headless-service.yaml']) {
      const selector: Record<string, string> | undefined = at(kubernetes.get(file), 'spec', 'selector');
      if (!selector) continue;
      expect(selector).toEqual(podLabels);
      if (jobLabels) expect(Object.entries(selector).every(([k, v]) => jobLabels[k] === v), `${file} selects the migration pod`).toBe(false);
    }
  });

  it('lists every manifest in the kustomization, which points the image of every pod at one registry image', async () => {
    const { values, kubernetes } = await load();
    const kustomization = kubernetes.get('kustomization.yaml')!;
    const manifests = [...kubernetes.keys()].filter((f) => f !== 'kustomization.yaml' && f !== 'secret.example.yaml');
    expect([...(kustomization.resources as string[])].sort()).toEqual(manifests.sort());
    const images = kustomization.images as Array<{ name: string }>;
    expect(images).toHaveLength(1);
    for (const file of ['deployment.yaml', 'migrate-job.yaml']) {
      if (kubernetes.has(file)) expect(container(kubernetes.get(file)).image).toBe(images[0]!.name);
    }
    expect(at(kubernetes.get('deployment.yaml'), 'metadata', 'name')).toBe(values.name);
  });

  it('runs as the Dockerfile user on a read-only root, with the release temp directory writable', async () => {
    const { values, kubernetes } = await load();
    for (const file of ['deployment.yaml', 'migrate-job.yaml']) {
      const object = kubernetes.get(file);
      if (!object) continue;
      const pod = at(object, 'spec', 'template', 'spec');
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: values.user.uid, runAsGroup: values.user.gid });
      const c0 = container(object);
      expect(c0.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      const tmp = envValue(c0, 'RELEASE_TMP')?.value;
      const mount = (c0.volumeMounts as Array<{ name: string; mountPath: string }>).find((m) => m.mountPath === tmp);
      expect(mount, `${file}: RELEASE_TMP ${tmp} is a mount`).toBeDefined();
      expect((pod.volumes as Array<{ name: string; emptyDir?: object }>).find((v) => v.name === mount!.name)?.emptyDir).toEqual({});
      // A crash dump goes to the working directory (/app, read-only) unless told otherwise.
      expect(path.posix.dirname(envValue(c0, 'ERL_CRASH_DUMP')?.value ?? '/app/erl_crash.dump'), file).toBe(tmp);
    }
  });

  it('keeps the database where each platform can reach it', async () => {
    const { values, fly, kubernetes, compose } = await load();
    const services = Object.keys(at(compose, 'services'));
    const database = at(compose, 'services', 'db');
    // Every dependency is a service, every named volume is declared.
    for (const service of services) {
      for (const dependency of Object.keys(at(compose, 'services', service, 'depends_on') ?? {})) expect(services).toContain(dependency);
      for (const volume of (at(compose, 'services', service, 'volumes') ?? []) as string[]) expect(Object.keys(compose.volumes ?? {})).toContain(volume.split(':')[0]);
    }
    if (values.database === 'postgres' || values.database === 'mysql') {
      expect(database.image).toMatch(values.database === 'postgres' ? /^postgres:\d+$/ : /^mysql:\d+\.\d+$/);
      expect(database.healthcheck.test[0]).toBe('CMD');
      const migrateOrApp = values.migrate ? 'migrate' : 'app';
      expect(at(compose, 'services', migrateOrApp, 'depends_on', 'db')).toEqual({ condition: 'service_healthy' });
    } else {
      expect(database).toBeUndefined();
    }
    if (values.database !== 'sqlite') {
      expect(fly.mounts).toBeUndefined();
      expect(kubernetes.has('data-volume-claim.yaml')).toBe(false);
      return;
    }
    const dir = values.dataDir!;
    expect(values.env.plain.find((p) => p.name === 'DATABASE_PATH')?.value).toBe(`${dir}/my_app.db`);
    expect(fly.mounts).toEqual({ source: 'data', destination: dir });
    const claim = at(kubernetes.get('data-volume-claim.yaml'), 'metadata', 'name');
    for (const file of ['deployment.yaml', 'migrate-job.yaml']) {
      const pod = at(kubernetes.get(file), 'spec', 'template', 'spec');
      const volume = (pod.volumes as Array<{ name: string; persistentVolumeClaim?: { claimName: string } }>).find((v) => v.persistentVolumeClaim?.claimName === claim);
      expect(container(kubernetes.get(file)).volumeMounts).toContainEqual({ name: volume!.name, mountPath: dir });
    }
    expect(at(kubernetes.get('deployment.yaml'), 'spec', 'strategy', 'type')).toBe('Recreate');
    for (const service of ['migrate', 'app', 'data-permissions']) expect(at(compose, 'services', service, 'volumes')).toEqual([`data:${dir}`]);
    expect(at(compose, 'services', 'data-permissions', 'command')).toEqual(['chown', `${values.user.uid}:${values.user.gid}`, dir]);
  });
});
