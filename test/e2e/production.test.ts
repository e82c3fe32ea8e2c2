// End-to-end proof of the production set-up on a real release: the generated health plug wired
// in the patched endpoint answers liveness and readiness (pending migrations, bin/migrate holding
// the migration lock, a database down or slow); SIGTERM lets a request in flight finish within
// the drain and exits 0; two instances named by the generated env.sh connect, through epmd and
// then epmd-less on a fixed port, and `rpc` reaches a running node.
//
// The fixture's Plug, Phoenix.Endpoint, Bandit and Ecto are stand-ins (test/fixtures/e2e/phx_prod,
// each labelled): the generated code compiles and runs against them as it would against the real
// ones. Each toolchain is a value: a second one (Elixir 1.18 / OTP 27) is one more entry.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { findFreePort, httpGet, runCommand, stopProcess, waitForHttp, type StartedProcess } from '../helpers/elixir.js';
import { describeToolchains, useWorkspace, type Toolchain } from '../helpers/toolchains.js';
import { describeOutput } from './cases.js';

const RELEASE = 'phx_prod';
const STEP = 120_000;
const BUILD = 240_000;
// The plug's own bound on each check (templates/lib/health.ex.hbs), plus room for a busy machine.
const PROBE_BUDGET_MS = 800 + 700;

describeToolchains('production set-up on a real release', (tc) => describeProduction(tc), { hostTools: ['shellcheck'] });

function describeProduction(tc: Toolchain): void {
  {
    const workspace = useWorkspace(tc, 'phx_prod');
    const done = { built: false };
    const dir = () => workspace().dir;
    const bin = (name: string) => path.join(dir(), '_build/prod/rel', RELEASE, 'bin', name);
    const db = () => path.join(workspace().scratch, 'db');
    /** The release's environment: no distribution unless a test names the node. */
    const env = (extra: Record<string, string> = {}) => tc.env(workspace(), { STANDIN_DB_DIR: tc.pathFor(db()), ...extra });

    async function build(cliArgs: string[]): Promise<void> {
      const generated = await runCli(['--yes', '--offline', ...cliArgs], { cwd: dir() });
      expect(generated.code, describeOutput(generated)).toBe(0);
      const release = await tc.runMix(['release', '--overwrite'], { cwd: dir(), env: env({ MIX_ENV: 'prod' }), timeoutMs: BUILD - 10_000 });
      expect(release.code, describeOutput(release)).toBe(0);
    }

    async function startServer(extra: Record<string, string> = {}): Promise<{ server: StartedProcess; url: string }> {
      const port = await findFreePort();
      const server = tc.startProcess(bin('server'), [], { cwd: dir(), env: env({ PORT: String(port), ...extra }) });
      const url = `http://127.0.0.1:${port}`;
      await waitForHttp(`${url}/health`, server, 60_000);
      return { server, url };
    }

    describe('health checks and graceful shutdown', () => {
      let server: StartedProcess;
      let url = '';

      beforeAll(async () => {
        await build(['--ecto', '--health', '--cluster']);
        done.built = true;
        await mkdir(db(), { recursive: true });
        ({ server, url } = await startServer());
      }, BUILD);

      it('the release compiled the generated plug into the patched endpoint; the drain reached the adapter', () => {
        expect(server.output()).toContain('shutdown_timeout=25000');
      });

      it('the written and patched Elixir is mix format clean and compiles without warnings', { timeout: BUILD }, async () => {
        const format = await tc.runMix(['format', '--check-formatted'], { cwd: dir(), env: env() });
        expect(format.code, describeOutput(format)).toBe(0);
        const compile = await tc.runMix(['compile', '--warnings-as-errors', '--force'], { cwd: dir(), env: env({ MIX_ENV: 'prod' }) });
        expect(compile.code, describeOutput(compile)).toBe(0);
      });

      it('the env.sh Mix rendered into the release passes shellcheck', async () => {
        const envSh = path.join(dir(), '_build/prod/rel', RELEASE, 'releases/0.1.0/env.sh');
        // shellcheck is a host tool: it reads the file where the host sees it.
        const check = await runCommand('shellcheck', ['--shell=sh', envSh], { cwd: dir(), env: process.env });
        expect(check.code, describeOutput(check)).toBe(0);
      });

      it('liveness answers 200 ok; readiness 503 while a migration is pending, and the probe created nothing', async () => {
        expect(await httpGet(`${url}/health`)).toEqual({ status: 200, body: 'ok' });
        expect(await httpGet(`${url}/health/ready`)).toEqual({
          status: 503,
          body: '{"status":"not_ready","checks":{"migrations:PhxProd.Repo":"pending"}}',
        });
        expect(existsSync(path.join(db(), 'schema_migrations'))).toBe(false);
      });

      it('while bin/migrate holds the migration lock, probes answer within their bound; after it, ready', { timeout: STEP }, async () => {
        const migrate = tc.startProcess(bin('migrate'), [], { cwd: dir(), env: env({ MIGRATOR_HOLD_MS: '2500' }) });
        try {
          await waitFor(() => existsSync(path.join(db(), 'lock')), 30_000, () => migrate.output());
          for (const probe of ['/health/ready', '/health']) {
            const started = Date.now();
            const answer = await httpGet(`${url}${probe}`, PROBE_BUDGET_MS);
            expect(Date.now() - started, probe).toBeLessThan(PROBE_BUDGET_MS);
            expect(answer.status, probe).toBe(probe === '/health' ? 200 : 503);
          }
          expect(existsSync(path.join(db(), 'lock')), 'the lock was still held during the probes').toBe(true);
          expect(await migrate.exited, migrate.output()).toBe(0);
        } finally {
          await stopProcess(migrate);
        }
        expect(await httpGet(`${url}/health/ready`)).toEqual({
          status: 200,
          body: '{"status":"ready","checks":{"database:PhxProd.Repo":"ok","migrations:PhxProd.Repo":"ok"}}',
        });
      });

      it('a database that is slow or down fails readiness within the bound, naming the check, never the error', async () => {
        await writeFile(path.join(db(), 'slow_ms'), '4000');
        const started = Date.now();
        const slow = await httpGet(`${url}/health/ready`, 3_000);
        expect(Date.now() - started).toBeLessThan(PROBE_BUDGET_MS);
        expect(slow).toEqual({ status: 503, body: '{"status":"not_ready","checks":{"database:PhxProd.Repo":"timeout","migrations:PhxProd.Repo":"timeout"}}' });
        await rm(db(), { recursive: true });
        const down = await httpGet(`${url}/health/ready`);
        expect(down.status).toBe(503);
        expect(down.body).toContain('"database:PhxProd.Repo":"error"');
        expect(down.body).not.toMatch(/refused|app_user|db\.internal|relation/);
        expect((await httpGet(`${url}/health`)).status).toBe(200);
        await mkdir(db());
      });

      it('probes are answered before the logger and the router: only other requests are logged', async () => {
        expect((await httpGet(`${url}/`)).body).toBe('phx_prod ok');
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(server.output()).toContain('GET /\n');
        expect(server.output()).not.toContain('/health');
      });

      it('SIGTERM with a request in flight: it completes within the drain, and the release exits 0', { timeout: STEP }, async () => {
        const inFlight = httpGet(`${url}/slow?ms=3000`, 20_000);
        await new Promise((resolve) => setTimeout(resolve, 500));
        const started = Date.now();
        const stopped = stopProcess(server, 25_000);
        expect(await inFlight).toEqual({ status: 200, body: 'slow done' });
        expect(await stopped, server.output()).toBe(0);
        expect(Date.now() - started).toBeLessThan(25_000);
      });
    });

    describe('the drain is what keeps the request alive', () => {
      it('with the budget cut to 1 s in runtime.exs, a 3 s request in flight is cut at shutdown', { timeout: BUILD }, async () => {
        need(done.built);
        const runtime = path.join(dir(), 'config/runtime.exs');
        const text = await readFile(runtime, 'utf8');
        expect(text).toContain('shutdown_timeout: 25_000');
        await writeFile(runtime, text.replace('shutdown_timeout: 25_000', 'shutdown_timeout: 1_000'));
        try {
          const release = await tc.runMix(['release', '--overwrite'], { cwd: dir(), env: env({ MIX_ENV: 'prod' }), timeoutMs: BUILD - 10_000 });
          expect(release.code, describeOutput(release)).toBe(0);
          const { server, url } = await startServer();
          expect(server.output()).toContain('shutdown_timeout=1000');
          const inFlight = httpGet(`${url}/slow?ms=3000`, 20_000).catch((error: Error) => error);
          await new Promise((resolve) => setTimeout(resolve, 500));
          expect(await stopProcess(server, 25_000), server.output()).toBe(0);
          expect(await inFlight).toBeInstanceOf(Error);
        } finally {
          await writeFile(runtime, text);
        }
      });
    });

    describe('clustering: two instances named by the generated env.sh', () => {
      it('connect through epmd, and rpc reaches a running node', { timeout: STEP }, async () => {
        need(done.built);
        const epmdPort = await findFreePort();
        const named = (node: string) => withoutDistribution({ ...env(), ERL_EPMD_PORT: String(epmdPort), RELEASE_NODE: node });
        try {
          await connectTwo(named('a@127.0.0.1'), named('b@127.0.0.1'), 'b@127.0.0.1');
        } finally {
          // The epmd the nodes started, on its private port.
          await tc.runCommand('epmd', ['-port', String(epmdPort), '-kill'], { cwd: dir(), env: env() });
        }
      });

      it('--epmd-less: connect on the fixed port with no epmd running, and rpc reaches a running node', { timeout: BUILD + STEP }, async () => {
        need(done.built);
        // A port of this run's own: the toolchains run side by side, and each pair of nodes binds it.
        const distPort = await findFreePort();
        await build(['--ecto', '--health', '--cluster', `--epmd-less=${distPort}`]);
        // Any epmd these nodes started would listen here: nothing must.
        const epmdPort = await findFreePort();
        const named = (node: string, ip: string) =>
          withoutDistribution({ ...env(), ERL_EPMD_PORT: String(epmdPort), RELEASE_NODE: node, ERL_AFLAGS: `-kernel inet_dist_use_interface {${ip.replaceAll('.', ',')}}` });
        // Both listen on the one fixed port, each on its own loopback address.
        await connectTwo(named('a@127.0.0.1', '127.0.0.1'), named('b@127.0.0.2', '127.0.0.2'), 'b@127.0.0.2');
        expect(await isListening(epmdPort)).toBe(false);
      });

      /** Starts both, connects the first to the second over rpc, checks Node.list/0 on both sides. */
      async function connectTwo(first: NodeJS.ProcessEnv, second: NodeJS.ProcessEnv, secondName: string): Promise<void> {
        const ports = [await findFreePort(), await findFreePort()];
        const a = tc.startProcess(bin('server'), [], { cwd: dir(), env: { ...first, PORT: String(ports[0]) } });
        const b = tc.startProcess(bin('server'), [], { cwd: dir(), env: { ...second, PORT: String(ports[1]) } });
        try {
          await Promise.all([waitForHttp(`http://127.0.0.1:${ports[0]}/health`, a), waitForHttp(`http://127.0.0.1:${ports[1]}/health`, b)]);
          // The rpc shell needs no interface of its own: it does not listen.
          const rpcEnv = (e: NodeJS.ProcessEnv) => ({ ...e, ERL_AFLAGS: '' });
          const name = await tc.runCommand(bin(RELEASE), ['rpc', 'IO.puts(node())'], { cwd: dir(), env: rpcEnv(first) });
          expect(name.stdout.trim(), describeOutput(name)).toBe(first.RELEASE_NODE);
          const connect = await tc.runCommand(bin(RELEASE), ['rpc', `IO.inspect(Node.connect(:"${secondName}")); IO.inspect(Node.list())`], { cwd: dir(), env: rpcEnv(first) });
          expect(connect.stdout.trim().split('\n'), describeOutput(connect)).toEqual(['true', `[:"${secondName}"]`]);
          const other = await tc.runCommand(bin(RELEASE), ['rpc', 'IO.inspect(Node.list())'], { cwd: dir(), env: rpcEnv(second) });
          expect(other.stdout.trim(), describeOutput(other)).toBe(`[:"${first.RELEASE_NODE}"]`);
        } finally {
          expect(await stopProcess(a), a.output()).toBe(0);
          expect(await stopProcess(b), b.output()).toBe(0);
        }
      }
    });
  }
}

/** The test environment turns distribution off; these tests leave it to env.sh. */
function withoutDistribution(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.RELEASE_DISTRIBUTION;
  return copy;
}

function need(built: boolean): void {
  if (!built) throw new Error('the release was not built: see the first failing test');
}

async function waitFor(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out; output so far:\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
