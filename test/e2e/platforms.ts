// The platform files as the deploy end-to-end test (deploy.test.ts) reads them, typed for the
// fields it runs, and how it performs what they say: a Kubernetes probe as the kubelet does, a
// platform's stop (its signal to the main process alone, then its grace period), the secrets
// filled with values that work with phx_prod's stand-ins.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { httpGet, stopProcess, type StartedProcess } from '../helpers/elixir.js';
import { parseYamlDocument } from '../helpers/schemas.js';

/** An image path (`at`) and the directory of this machine that holds it. */
export interface Mount {
  at: string;
  dir: string;
}

export interface KubeProbe {
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string; httpHeaders?: Array<{ name: string; value: string }> };
  tcpSocket?: { port: number | string; host?: string };
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

export interface KubeContainer {
  command?: string[];
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }>;
  envFrom?: Array<{ secretRef?: { name: string } }>;
  ports?: Array<{ name?: string; containerPort: number }>;
  startupProbe?: KubeProbe;
  livenessProbe?: KubeProbe;
  readinessProbe?: KubeProbe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}

export interface PodSpec {
  containers: KubeContainer[];
  volumes?: Array<{ name: string; emptyDir?: object }>;
  terminationGracePeriodSeconds?: number;
}

export interface Workload {
  spec: { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
}

export interface Manifests {
  deployment: Workload;
  job: Workload;
  service: { spec: { ports: Array<{ targetPort: number | string }> } };
  headless: { metadata: { name: string }; spec: { clusterIP?: string; selector: Record<string, string> } };
  secret: { metadata: { name: string }; stringData: Record<string, string> };
}

export async function readManifests(read: (file: string) => Promise<string>): Promise<Manifests> {
  // As kubectl reads them: YAML 1.1 and 1.2 must agree.
  const manifest = async (file: string) => parseYamlDocument(await read(`deploy/kubernetes/${file}`), file, { yaml11: true }) as unknown;
  return {
    deployment: (await manifest('deployment.yaml')) as Workload,
    job: (await manifest('migrate-job.yaml')) as Workload,
    service: (await manifest('service.yaml')) as Manifests['service'],
    headless: (await manifest('headless-service.yaml')) as Manifests['headless'],
    secret: (await manifest('secret.example.yaml')) as Manifests['secret'],
  };
}

export const appOf = (workload: Workload): KubeContainer => {
  const containers = workload.spec.template.spec.containers;
  if (containers.length !== 1) throw new Error(`${containers.length} containers: this test runs one`);
  return containers[0]!;
};

export const valueOf = (c: KubeContainer, name: string): string | undefined => c.env?.find((e) => e.name === name)?.value;

export interface ComposeService {
  command?: string | string[];
  env_file?: string | string[];
  environment?: Record<string, string> | string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; timeout: string; start_period: string };
  stop_grace_period?: string;
  stop_signal?: string;
}

export interface ComposeFile {
  services: Record<'app' | 'migrate', ComposeService>;
}

export interface FlyFile {
  app: string;
  kill_signal: string;
  kill_timeout: number;
  deploy?: { release_command?: string };
  env?: Record<string, string>;
  http_service?: {
    internal_port: number;
    checks?: Array<{ method: string; path: string; timeout: string; grace_period: string; headers?: Record<string, string> }>;
  };
}

// ---------------------------------------------------------------------------------------------
// Running what they say

/**
 * A value for each secret the files list, that works with the stand-ins; a secret this test does
 * not know fails it (tell it what to fill in). `db` is the stand-in database (a directory) as the
 * release sees it: DATABASE_URL's path names it.
 */
export function fillSecrets(names: string[], db: string): Record<string, string> {
  const values: Record<string, string> = {
    SECRET_KEY_BASE: randomBytes(48).toString('base64'),
    DATABASE_URL: `ecto://app:${randomBytes(12).toString('hex')}@localhost${db}`,
    RELEASE_COOKIE: randomBytes(32).toString('hex'),
  };
  const unknown = names.filter((name) => !(name in values));
  if (unknown.length > 0 || names.length === 0) throw new Error(`no test value for the secrets ${unknown.join(', ') || '(none listed)'}`);
  return Object.fromEntries(names.map((name) => [name, values[name]!]));
}

/** A command as compose or fly.toml gives it: a list, or a string of words. */
export function words(command: string | string[]): string[] {
  return Array.isArray(command) ? command : command.trim().split(/\s+/);
}

/** A duration in ms: a number of seconds (Kubernetes), or `5s`, `500ms`, `1m` (Fly, Compose). */
export function durationMs(duration: number | string): number {
  if (typeof duration === 'number') return duration * 1000;
  const match = /^(\d+)(ms|s|m)$/.exec(duration);
  if (!match) throw new Error(`not a duration: ${duration}`);
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] as 'ms' | 's' | 'm'];
}

/** The drain the release's adapter was given (the stand-in Bandit logs it at start). */
export function drainOf(server: StartedProcess): number {
  const match = /shutdown_timeout=(\d+)/.exec(server.output());
  if (!match) throw new Error(`the release did not log its drain:\n${server.output()}`);
  return Number(match[1]);
}

/** A Kubernetes probe as the kubelet performs it: httpGet (200-399 passes) or tcpSocket, within timeoutSeconds. */
export async function probe(p: KubeProbe, podIp: string, port: (named: number | string) => number): Promise<{ ok: boolean; status: number | null }> {
  const timeoutMs = durationMs(p.timeoutSeconds ?? 1);
  if (p.httpGet) {
    const get = p.httpGet;
    if ((get.scheme ?? 'HTTP') !== 'HTTP') throw new Error(`scheme ${get.scheme} is not probed here`);
    const headers = Object.fromEntries((get.httpHeaders ?? []).map((h) => [h.name, h.value]));
    const answer = await httpGet(`http://${get.host ?? podIp}:${port(get.port)}${get.path ?? '/'}`, timeoutMs, headers).catch(() => null);
    return { ok: answer !== null && answer.status >= 200 && answer.status < 400, status: answer?.status ?? null };
  }
  if (p.tcpSocket) {
    const { host = podIp, port: named } = p.tcpSocket;
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port: port(named), timeout: timeoutMs });
      const end = (connected: boolean) => {
        socket.destroy();
        resolve(connected);
      };
      socket.on('connect', () => end(true));
      socket.on('timeout', () => end(false));
      socket.on('error', () => end(false));
    });
    return { ok, status: null };
  }
  throw new Error(`a probe this test cannot perform: ${JSON.stringify(p)}`);
}

/** Tries `attempt` every `everyMs` until it passes; fails once `budgetMs` is spent or the release exits. Returns the time taken. */
export async function pollUntil(attempt: () => Promise<boolean>, opts: { everyMs: number; budgetMs: number; process: StartedProcess }): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (opts.process.hasExited()) throw new Error(`the release exited with ${await opts.process.exited}:\n${opts.process.output()}`);
    if (await attempt()) return Date.now() - started;
    if (Date.now() - started > opts.budgetMs) throw new Error(`not up within ${opts.budgetMs} ms; the release's output:\n${opts.process.output()}`);
    await new Promise((resolve) => setTimeout(resolve, opts.everyMs));
  }
}

/**
 * A platform's stop: `signal` to the container's main process alone (not its process group, as a
 * test's stopProcess does), then up to `graceMs` for it to exit. The exit code, or null if it did not.
 */
export async function stopAsPlatform(server: StartedProcess, signal: string, graceMs: number): Promise<number | null> {
  process.kill(server.child.pid!, signal as NodeJS.Signals);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), Math.max(graceMs, 0))));
  const code = await Promise.race([server.exited, late]);
  clearTimeout(timer);
  return code;
}

export async function stopIfRunning(server: StartedProcess | undefined): Promise<void> {
  if (server && !server.hasExited()) await stopProcess(server);
}
