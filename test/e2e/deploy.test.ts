// End-to-end proof that the platform files agree with the real release. The CLI writes fly.toml,
// deploy/kubernetes/ and compose.yaml for a copy of phx_prod, `mix release` builds it, and the
// release is then driven only through what those files say, each read with the parser its tool
// uses (test/helpers/schemas.ts): the environment each platform gives it (plain values, and every
// secret the files list, filled with values that work with the stand-ins), the commands that
// migrate and start it, the probes and checks that decide whether it is up, and the signal and
// grace period that stop it. Nothing the files say is copied into this test.
//
// A container becomes a process of this toolchain: the image's WORKDIR (/app, read from the
// Dockerfile) is the built release directory, each emptyDir a fresh directory, and the process
// gets only PATH, HOME and LANG besides what the platform sets (the image's en_US.UTF-8 is not
// installed on the test machines: C.UTF-8 stands in). Every run also gets ERL_EPMD_PORT, this
// toolchain's private epmd port: the toolchains run side by side, and env.sh starts distribution.
// Where the release listens on a free port instead of PORT's value, the test says so and checks
// first that the files agree on that value. A platform's stop signals the main process alone, as
// a container runtime does, not the process group.
//
// The fixture is phx_prod with test/fixtures/e2e-overlays/phx_prod_deploy copied over it:
// phx.new's runtime.exs on the stand-ins, DATABASE_URL and SECRET_KEY_BASE read with `|| raise`,
// so a platform file that forgets one of them stops the release from booting.
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import path from 'node:path';
import dotenv from 'dotenv';
import fse from 'fs-extra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { parseDockerfile, stageCopies, stageStart } from '../helpers/docker-replay.js';
import { findFreePort, httpGet, type StartedProcess } from '../helpers/elixir.js';
import { parseToml, parseYamlDocument, validateCompose, validateKubernetes, type JsonObject } from '../helpers/schemas.js';
import { describeToolchains, useWorkspace, type Toolchain } from '../helpers/toolchains.js';
import { snapshotTree } from '../helpers/tree.js';
import { describeOutput } from './cases.js';
import {
  appOf,
  drainOf,
  durationMs,
  fillSecrets,
  pollUntil,
  probe,
  readManifests,
  stopAsPlatform,
  stopIfRunning,
  valueOf,
  words,
  type ComposeFile,
  type ComposeService,
  type FlyFile,
  type KubeContainer,
  type Manifests,
  type Mount,
  type PodSpec,
} from './platforms.js';

const RELEASE = 'phx_prod';
const BUILD = 240_000;
const STEP = 120_000;
const OVERLAY = path.resolve(import.meta.dirname, '../fixtures/e2e-overlays/phx_prod_deploy');
const CLI_ARGS = ['--yes', '--offline', '--ecto', '--health', '--cluster', '--deploy', 'fly', '--deploy', 'kubernetes', '--deploy', 'compose'];

describeToolchains('the deploy files drive the real release', (tc) => describeDeploy(tc));

function describeDeploy(tc: Toolchain): void {
  const workspace = useWorkspace(tc, 'phx_prod');
  const dir = () => workspace().dir;
  const releaseDir = () => path.join(dir(), '_build/prod/rel', RELEASE);
  const read = (file: string) => readFile(path.join(dir(), file), 'utf8');
  let image: { workdir: string; cmd: string[] } = { workdir: '', cmd: [] };
  let epmdPort = 0;

  /** What every container starts with before its platform adds anything (see the top of the file). */
  const containerBase = (): Record<string, string> => {
    const env = tc.env(workspace());
    return { PATH: env.PATH!, HOME: env.HOME!, LANG: env.LANG!, ERL_EPMD_PORT: String(epmdPort) };
  };

  /** A container of the image as a process here: its paths mapped (WORKDIR, volumes), its env with them. */
  const container = (mounts: Mount[] = []) => {
    const all = [{ at: image.workdir, dir: releaseDir() }, ...mounts];
    const hostPath = (imagePath: string) => {
      const mount = all.filter((m) => imagePath === m.at || imagePath.startsWith(`${m.at}/`)).sort((a, b) => b.at.length - a.at.length)[0];
      return mount ? path.join(mount.dir, path.posix.relative(mount.at, imagePath)) : null;
    };
    return {
      /** A value as the process must see it: a path in the image becomes this toolchain's path to it. */
      value: (value: string) => {
        const mapped = value.startsWith('/') ? hostPath(value) : null;
        return mapped ? tc.pathFor(mapped) : value;
      },
      /** A command: an absolute path must be in the image's mapped part; a bare name is found on PATH. */
      argv: (words: string[]) => {
        const [command, ...args] = words;
        if (!command) throw new Error('an empty command');
        if (!command.startsWith('/')) return { command, args };
        const mapped = hostPath(command);
        if (!mapped || !existsSync(mapped)) throw new Error(`${command}: not in the image's release (${image.workdir} is ${releaseDir()})`);
        return { command: mapped, args };
      },
      cwd: hostPath(image.workdir)!,
    };
  };
  type Container = ReturnType<typeof container>;

  const run = (c: Container, words: string[], env: Record<string, string>) => {
    const { command, args } = c.argv(words);
    return tc.runCommand(command, args, { cwd: c.cwd, env, timeoutMs: STEP - 10_000 });
  };
  const start = (c: Container, words: string[], env: Record<string, string>) => {
    const { command, args } = c.argv(words);
    return tc.startProcess(command, args, { cwd: c.cwd, env });
  };

  /** A directory of the pod's own, as an emptyDir is: new, and writable by anyone. */
  const emptyDir = async (name: string) => {
    const made = await mkdtemp(path.join(workspace().scratch, `${name}-`));
    await chmod(made, 0o777);
    return made;
  };

  /** The stand-in database of one platform: a directory (test/fixtures/e2e/phx_prod/lib/ecto). */
  const database = async (platform: string) => {
    const db = path.join(workspace().scratch, `db-${platform}`);
    await mkdir(db);
    return db;
  };

  beforeAll(async () => {
    await fse.copy(OVERLAY, dir());
    const generated = await runCli(CLI_ARGS, { cwd: dir() });
    expect(generated.code, describeOutput(generated)).toBe(0);
    const release = await tc.runMix(['release'], { cwd: dir(), env: tc.env(workspace(), { MIX_ENV: 'prod' }), timeoutMs: BUILD - 10_000 });
    expect(release.code, describeOutput(release)).toBe(0);
    const plan = parseDockerfile(await read('Dockerfile'));
    image = stageStart(plan, plan.stages.at(-1)!.label);
    epmdPort = await findFreePort();
  }, BUILD);

  afterAll(async () => {
    // The epmd the releases started on this toolchain's port.
    if (epmdPort) await tc.runCommand('epmd', ['-port', String(epmdPort), '-kill'], { cwd: dir(), env: tc.env(workspace()) });
  });

  it('the runner image copies the release to its WORKDIR and starts its CMD from there', async () => {
    const plan = parseDockerfile(await read('Dockerfile'));
    const runner = plan.stages.at(-1)!;
    const copies = stageCopies(plan, runner.label).filter((c) => c.from !== null);
    expect(copies.map((c) => path.posix.resolve(c.workdir, c.dest))).toEqual([image.workdir]);
    expect(copies[0]!.sources).toHaveLength(1);
    expect(copies[0]!.sources[0]).toMatch(new RegExp(`/_build/prod/rel/${RELEASE}$`));
    expect(existsSync(container().argv(image.cmd).command)).toBe(true);
  });

  describe('Kubernetes: the manifests, as a pod would run them', () => {
    // The downward API's status.podIP: the release serves on loopback (the fixture binds it).
    const POD_IP = '127.0.0.1';
    let k: Manifests;
    let secret: Record<string, string> = {};
    let server: StartedProcess | undefined;
    /** The app's container: the one `kubectl exec` enters. */
    let appPod: Awaited<ReturnType<typeof pod>> | undefined;
    let port = 0;
    let untouched = '';

    /** A container of the manifests as a process: its volumes, env (env over envFrom's Secret) and command. */
    async function pod(spec: PodSpec, c: KubeContainer) {
      const mounts: Mount[] = [];
      for (const mount of c.volumeMounts ?? []) {
        const volume = spec.volumes?.find((v) => v.name === mount.name);
        if (!volume?.emptyDir) throw new Error(`volume ${mount.name}: only emptyDir is run here`);
        mounts.push({ at: mount.mountPath, dir: await emptyDir(mount.name) });
      }
      const box = container(mounts);
      const env: Record<string, string> = { ...containerBase() };
      for (const from of c.envFrom ?? []) {
        if (from.secretRef?.name !== k.secret.metadata.name) throw new Error(`envFrom ${JSON.stringify(from)}: not the Secret of secret.example.yaml`);
        Object.assign(env, secret);
      }
      for (const variable of c.env ?? []) {
        if (variable.value !== undefined) env[variable.name] = box.value(variable.value);
        else if (variable.valueFrom?.fieldRef?.fieldPath === 'status.podIP') env[variable.name] = POD_IP;
        else throw new Error(`env ${variable.name}: ${JSON.stringify(variable)} is not run here`);
      }
      // command replaces the image's ENTRYPOINT (it has none), args its CMD.
      const words = [...(c.command ?? []), ...(c.args ?? (c.command ? [] : image.cmd))];
      return { box, env, words, mounts };
    }

    /** The port of the app's container a probe or Service names (a number, or a port's name), as the release runs it. */
    const appPort = (named: number | string) => {
      const app = appOf(k.deployment);
      const declared = typeof named === 'number' ? named : app.ports?.find((p) => p.name === named)?.containerPort;
      // The release listens on a free port instead of PORT's value: the files must agree on that value.
      if (declared !== Number(valueOf(app, 'PORT'))) throw new Error(`port ${named} is ${declared}, PORT is ${valueOf(app, 'PORT')}`);
      return port;
    };

    beforeAll(async () => {
      k = await readManifests(read);
      const db = await database('kubernetes');
      secret = fillSecrets(Object.keys(k.secret.stringData), tc.pathFor(db));
      port = await findFreePort();
      untouched = snapshotTree(releaseDir());
    });
    afterAll(() => stopIfRunning(server));

    it('every manifest is valid; the Deployment and the Job read the Secret secret.example.yaml describes', () => {
      for (const [file, object] of Object.entries(k)) expect(validateKubernetes(object as unknown as JsonObject), file).toEqual({ valid: true, errors: [] });
      for (const c of [appOf(k.deployment), appOf(k.job)]) expect(c.envFrom).toEqual([{ secretRef: { name: k.secret.metadata.name } }]);
    });

    it('containerPort, the Service targetPort, the probes port and PORT agree', () => {
      const app = appOf(k.deployment);
      const containerPort = Number(valueOf(app, 'PORT'));
      expect(app.ports?.map((p) => p.containerPort)).toEqual([containerPort]);
      const service = k.service.spec.ports.map((p) => p.targetPort);
      expect(service.map(appPort)).toEqual([port]);
      const probes = [app.startupProbe, app.livenessProbe, app.readinessProbe];
      expect(probes.map((p) => appPort(p!.httpGet?.port ?? p!.tcpSocket!.port))).toEqual([port, port, port]);
    });

    it('before the migrate Job: the startup probe passes within its budget, liveness passes, readiness fails with 503', { timeout: STEP }, async () => {
      const spec = k.deployment.spec.template.spec;
      const app = appOf(k.deployment);
      const p = await pod(spec, app);
      appPod = p;
      server = start(p.box, p.words, { ...p.env, PORT: String(port) });
      const running = server;
      const startup = app.startupProbe!;
      // Kubernetes restarts the container after failureThreshold failed startup probes.
      await pollUntil(async () => (await probe(startup, POD_IP, appPort)).ok, {
        everyMs: durationMs(startup.periodSeconds ?? 10),
        budgetMs: durationMs(startup.periodSeconds ?? 10) * (startup.failureThreshold ?? 3),
        process: running,
      });
      expect(await probe(app.livenessProbe!, POD_IP, appPort)).toEqual({ ok: true, status: 200 });
      expect(await probe(app.readinessProbe!, POD_IP, appPort)).toEqual({ ok: false, status: 503 });
    });

    it("the Job's command with the Job's env exits 0; then readiness passes", { timeout: STEP }, async () => {
      const job = appOf(k.job);
      const p = await pod(k.job.spec.template.spec, job);
      const migrated = await run(p.box, p.words, p.env);
      expect(migrated.code, describeOutput(migrated)).toBe(0);
      const app = appOf(k.deployment);
      expect(await probe(app.readinessProbe!, POD_IP, appPort)).toEqual({ ok: true, status: 200 });
    });

    it('env.sh names the node <release>@POD_IP, and the release asks DNS for the headless Service of the pods', { timeout: STEP }, async () => {
      const app = appOf(k.deployment);
      const labels = k.deployment.spec.template.metadata.labels;
      expect(k.headless.spec.clusterIP).toBe('None');
      expect(labels).toMatchObject(k.headless.spec.selector);
      // `kubectl exec` into the app's container, with its env.
      const p = appPod!;
      const rpc = await run(p.box, [`${image.workdir}/bin/${RELEASE}`, 'rpc', `IO.puts(node()); IO.puts(Application.get_env(:${RELEASE}, :dns_cluster_query))`], p.env);
      expect(rpc.stdout.trim().split('\n'), describeOutput(rpc)).toEqual([`${RELEASE}@${POD_IP}`, k.headless.metadata.name]);
    });

    it('preStop, then SIGTERM with a request in flight: it completes, and the release exits 0 within terminationGracePeriodSeconds', { timeout: STEP }, async () => {
      const spec = k.deployment.spec.template.spec;
      const app = appOf(k.deployment);
      const running = server!;
      const drainMs = drainOf(running);
      const grace = spec.terminationGracePeriodSeconds!;
      const preStop = app.lifecycle!.preStop!.exec!.command;
      const p = appPod!;
      // The countdown starts with preStop; the pod keeps serving through it.
      const started = Date.now();
      const hook = run(p.box, preStop, p.env);
      expect(await probe(app.livenessProbe!, POD_IP, appPort)).toEqual({ ok: true, status: 200 });
      const hooked = await hook;
      expect(hooked.code, describeOutput(hooked)).toBe(0);
      const hookMs = Date.now() - started;
      const inFlight = httpGet(`http://${POD_IP}:${port}/slow?ms=3000`, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const code = await stopAsPlatform(running, 'SIGTERM', grace * 1000 - (Date.now() - started));
      expect(await inFlight).toEqual({ status: 200, body: 'slow done' });
      expect(code, running.output()).toBe(0);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(grace * 1000);
      // The budget itself: a request may take the whole drain after preStop.
      expect(grace * 1000).toBeGreaterThan(hookMs + drainMs);
    });

    it('the pod, the Job and exec wrote nothing under /app, which the manifests mount read-only', () => {
      expect(snapshotTree(releaseDir())).toBe(untouched);
    });
  });

  describe('Compose: compose.yaml and .env.example, as docker compose would run them', () => {
    let compose: ComposeFile;
    let dotenvFile: Record<string, string> = {};
    let server: StartedProcess | undefined;
    let port = 0;

    /** A service's environment: .env (.env.example filled in) under env_file, then `environment`. */
    const serviceEnv = (service: ComposeService): Record<string, string> => {
      const files = [service.env_file ?? []].flat();
      expect(files).toEqual(['.env']);
      const environment = Array.isArray(service.environment)
        ? Object.fromEntries(service.environment.map((line) => line.split(/=(.*)/s).slice(0, 2)))
        : (service.environment ?? {});
      for (const [name, value] of Object.entries(environment)) if (String(value).includes('$')) throw new Error(`${name}: interpolation is not done here`);
      return { ...containerBase(), ...dotenvFile, ...environment };
    };

    beforeAll(async () => {
      compose = parseYamlDocument(await read('compose.yaml'), 'compose.yaml') as unknown as ComposeFile;
      expect(validateCompose(compose)).toEqual({ valid: true, errors: [] });
      const example = dotenv.parse(await read('.env.example'));
      const db = await database('compose');
      const secrets = fillSecrets(Object.keys(example).filter((name) => example[name] === ''), tc.pathFor(db));
      dotenvFile = { ...example, ...secrets };
      port = await findFreePort();
    });
    afterAll(() => stopIfRunning(server));

    it("the migrate service's command exits 0, and the app starts only after it has", { timeout: STEP }, async () => {
      expect(compose.services.app.depends_on).toMatchObject({ migrate: { condition: 'service_completed_successfully' } });
      const migrate = compose.services.migrate;
      const migrated = await run(container(), words(migrate.command!), serviceEnv(migrate));
      expect(migrated.code, describeOutput(migrated)).toBe(0);
    });

    it("the app's healthcheck fails while nothing listens, and passes within start_period once the release runs", { timeout: STEP }, async () => {
      const app = compose.services.app;
      const env = serviceEnv(app);
      expect(app.ports).toEqual([`${env.PORT}:${env.PORT}`]);
      const [form, ...test] = app.healthcheck!.test;
      expect(form).toBe('CMD');
      // The release listens on a free port instead of PORT's value: the check is pointed at it.
      const target = `/dev/tcp/127.0.0.1/${env.PORT}`;
      expect(test.join(' ')).toContain(target);
      const check = test.map((word) => word.replaceAll(target, `/dev/tcp/127.0.0.1/${port}`));
      const timeoutMs = durationMs(app.healthcheck!.timeout);
      const healthcheck = () => run(container(), check, env).then((r) => r.code === 0);
      expect((await run(container(), check, env)).code).not.toBe(0);
      server = start(container(), image.cmd, { ...env, PORT: String(port) });
      // Checked more often than `interval`, for speed: the budget is the file's.
      await pollUntil(healthcheck, { everyMs: 500, budgetMs: durationMs(app.healthcheck!.start_period) + timeoutMs, process: server });
    });

    it('SIGTERM (stop_signal): the release exits 0 within stop_grace_period, which is above the drain it uses', { timeout: STEP }, async () => {
      const app = compose.services.app;
      const graceMs = durationMs(app.stop_grace_period!);
      const running = server!;
      expect(graceMs).toBeGreaterThan(drainOf(running));
      const started = Date.now();
      expect(await stopAsPlatform(running, app.stop_signal ?? 'SIGTERM', graceMs), running.output()).toBe(0);
      expect(Date.now() - started).toBeLessThan(graceMs);
    });
  });

  describe('Fly: fly.toml, as a Machine would run it', () => {
    let fly: FlyFile;
    let env: Record<string, string> = {};
    let server: StartedProcess | undefined;
    let port = 0;
    const IMAGE_SUFFIX = '01JDEPLOYTEST';

    beforeAll(async () => {
      const text = await read('fly.toml');
      fly = parseToml(text) as unknown as FlyFile;
      // The secrets are listed only in comments, as `fly secrets set NAME=...` lines to run.
      const names = [...text.matchAll(/^#\s+fly secrets set (\w+)=\.\.\./gm)].map((m) => m[1]!);
      const db = await database('fly');
      // What Fly sets on every Machine (the release_command's too): the app, its private 6PN
      // address (IPv6 loopback stands in for it) and the image deployed.
      const machine = { FLY_APP_NAME: fly.app, FLY_PRIVATE_IP: '::1', FLY_IMAGE_REF: `registry.fly.io/${fly.app}:deployment-${IMAGE_SUFFIX}` };
      env = { ...containerBase(), ...machine, ...fly.env, ...fillSecrets(names, tc.pathFor(db)) };
      port = await findFreePort();
    });
    afterAll(() => stopIfRunning(server));

    it('[deploy] release_command, with [env] and the secrets, exits 0', { timeout: STEP }, async () => {
      const migrated = await run(container(), words(fly.deploy!.release_command!), env);
      expect(migrated.code, describeOutput(migrated)).toBe(0);
    });

    it('the [[http_service.checks]] GET answers 200 on internal_port within grace_period', { timeout: STEP }, async () => {
      const service = fly.http_service!;
      expect(service.internal_port).toBe(Number(env.PORT));
      const [check] = service.checks!;
      expect(check!.method).toBe('GET');
      // The release listens on a free port instead of internal_port, which is PORT's value.
      server = start(container(), image.cmd, { ...env, PORT: String(port) });
      const running = server;
      const get = () => httpGet(`http://127.0.0.1:${port}${check!.path}`, durationMs(check!.timeout), check!.headers ?? {}).catch(() => null);
      const elapsed = await pollUntil(async () => (await get())?.status === 200, { everyMs: 500, budgetMs: durationMs(check!.grace_period), process: running });
      expect(elapsed).toBeLessThan(durationMs(check!.grace_period));
    });

    it('env.sh names the node <app>-<image>@FLY_PRIVATE_IP, and the release asks DNS for <app>.internal', { timeout: STEP }, async () => {
      const rpc = await run(container(), [`${image.workdir}/bin/${RELEASE}`, 'rpc', `IO.puts(node()); IO.puts(Application.get_env(:${RELEASE}, :dns_cluster_query))`], env);
      expect(rpc.stdout.trim().split('\n'), describeOutput(rpc)).toEqual([`${fly.app}-${IMAGE_SUFFIX}@::1`, `${fly.app}.internal`]);
    });

    it('kill_signal: the release exits 0 within kill_timeout, which is above the drain it uses', { timeout: STEP }, async () => {
      const running = server!;
      const timeoutMs = fly.kill_timeout * 1000;
      expect(timeoutMs).toBeGreaterThan(drainOf(running));
      const started = Date.now();
      expect(await stopAsPlatform(running, fly.kill_signal, timeoutMs), running.output()).toBe(0);
      expect(Date.now() - started).toBeLessThan(timeoutMs);
    });
  });
}
