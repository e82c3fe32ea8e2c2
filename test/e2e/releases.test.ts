// End-to-end proof on real Elixir toolchains (the host's Debian 12 elixir 1.14 / OTP 25, and
// Debian trixie's 1.18 / OTP 27 in a chroot: see test/helpers/toolchains.ts): run create-release
// on a fixture project, build the release with `MIX_ENV=prod mix release`, start `bin/server` and
// get an HTTP answer on 127.0.0.1, run `bin/migrate` and see the migration entry point run.
//
// The fixtures' `Ecto.Migrator` is a stand-in (Ecto cannot be fetched here): it records each call
// in $MIGRATOR_LOG, which is how these tests see what the generated release module did.
//
// Builds are slow on small machines, so the fixtures run one after another in this one file; the
// two toolchains run side by side (a build keeps about one core busy).
import { readdir, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { findFreePort, runCommand, stopProcess, waitForHttp } from '../helpers/elixir.js';
import { describeToolchains, type Toolchain, type Workspace } from '../helpers/toolchains.js';
import { describeOutput, e2eCases, type E2eCase } from './cases.js';

const STEP = 120_000;
const BUILD = 240_000;

// shellcheck runs on the host for either toolchain: the scripts do not depend on it.
describeToolchains('end-to-end', (toolchain) => {
  for (const c of e2eCases) describeCase(toolchain, c);
}, { hostTools: ['shellcheck'] });

function describeCase(toolchain: Toolchain, c: E2eCase): void {
  describe(c.fixture, () => {
    let ws: Workspace;
    // Each step needs the previous one; a failure is reported once, where it happened.
    const done = { generated: false, built: false };
    const relDir = () => path.join(ws.dir, '_build', 'prod', 'rel', c.release);
    const env = (extra: Record<string, string> = {}) => toolchain.env(ws, extra);

    beforeAll(async () => {
      ws = await toolchain.makeWorkspace(c.fixture);
    });
    afterAll(async () => {
      await toolchain.stopProcesses();
      await ws?.remove();
    });

    it(`generates the release files (create-release ${c.cliArgs.join(' ')})`, { timeout: STEP }, async () => {
      const result = await runCli(c.cliArgs, { cwd: ws.dir });
      expect(result.code, describeOutput(result)).toBe(0);
      done.generated = true;
      expect(result.stdout).toContain('Your application is ready to be deployed in a release!');
      expect(result.stdout).toContain(`_build/prod/rel/${c.release}/bin/server`);

      const overlays = c.overlaysDir ?? 'rel/overlays';
      expect(await modeOf(ws.dir, `${overlays}/bin/server`)).toBe(0o755);
      // Every fixture is Phoenix-shaped: its endpoint listens only when PHX_SERVER is set.
      expect(await readText(ws.dir, `${overlays}/bin/server`)).toContain(`PHX_SERVER=true exec ./${c.release} start`);
      if (c.ecto) {
        expect(await modeOf(ws.dir, `${overlays}/bin/migrate`)).toBe(0o755);
        expect(await readText(ws.dir, `${overlays}/bin/migrate`)).toContain(`./${c.release} eval ${c.ecto.module}.migrate`);
        expect(await readText(ws.dir, c.ecto.file)).toContain(`defmodule ${c.ecto.module} do`);
      } else {
        expect(existsSync(path.join(ws.dir, `${overlays}/bin/migrate`))).toBe(false);
      }
      expect(await listBat(path.join(ws.dir, `${overlays}/bin`))).toEqual(c.windows ? batFor(c) : []);
      if (overlays !== 'rel/overlays') expect(existsSync(path.join(ws.dir, 'rel/overlays'))).toBe(false);
    });

    it('writes shell scripts that pass shellcheck', { timeout: STEP }, async () => {
      need(done.generated, 'the files were not generated');
      const bin = path.join(ws.dir, c.overlaysDir ?? 'rel/overlays', 'bin');
      const scripts = (await readdir(bin)).filter((f) => !f.endsWith('.bat')).map((f) => path.join(bin, f));
      expect(scripts.length).toBe(c.ecto ? 2 : 1);
      const result = await runCommand('shellcheck', scripts, { cwd: ws.dir, env: process.env });
      expect(result.code, describeOutput(result)).toBe(0);
    });

    it('writes Elixir that is mix format clean and compiles without warnings', { timeout: BUILD }, async () => {
      need(done.generated, 'the files were not generated');
      // The fixture itself is formatted, so anything reported here was written by create-release.
      const format = await toolchain.runMix(['format', '--check-formatted'], { cwd: ws.dir, env: env() });
      expect(format.code, describeOutput(format)).toBe(0);
      const compile = await toolchain.runMix(['compile', '--warnings-as-errors'], { cwd: ws.dir, env: env({ MIX_ENV: 'prod' }) });
      expect(compile.code, describeOutput(compile)).toBe(0);
    });

    it('builds with MIX_ENV=prod mix release', { timeout: BUILD }, async () => {
      need(done.generated, 'the files were not generated');
      const result = await toolchain.runMix(['release'], { cwd: ws.dir, env: env({ MIX_ENV: 'prod' }), timeoutMs: BUILD - 10_000 });
      expect(result.code, describeOutput(result)).toBe(0);
      done.built = true;
      const bin = await readdir(path.join(relDir(), 'bin'));
      expect(bin).toContain('server');
      expect(bin).toContain(c.release);
      expect(bin.includes('migrate')).toBe(c.ecto !== null);
      // Built by this toolchain: the release carries its ERTS.
      expect(await readdir(relDir())).toContain(`erts-${toolchain.versions?.erts}`);
      expect(await listBat(path.join(relDir(), 'bin'))).toEqual(c.windows ? [`${c.release}.bat`, ...batFor(c)].sort() : []);
    });

    it('bin/server starts the release with its web server on 127.0.0.1', { timeout: STEP }, async () => {
      need(done.built, 'the release was not built');
      const port = await findFreePort();
      const server = toolchain.startProcess(path.join(relDir(), 'bin', 'server'), [], { cwd: ws.dir, env: env({ PORT: String(port) }) });
      const answer = await waitForHttp(`http://127.0.0.1:${port}/`, server, 60_000).catch((error: Error) => error);
      // Stopped whatever happened: SIGTERM to its process group, SIGKILL if it lingers.
      const stopped = await stopProcess(server);
      if (answer instanceof Error) throw answer;
      expect(answer).toEqual({ status: 200, body: c.body });
      // SIGTERM makes the VM shut down gracefully; an exit code of 0 says it did.
      expect(stopped, server.output()).toBe(0);
    });

    const ecto = c.ecto;
    if (ecto) it('bin/migrate runs every repo up through the generated release module', { timeout: STEP }, async () => {
      need(done.built, 'the release was not built');
      const log = path.join(ws.scratch, 'migrator.log');
      const result = await toolchain.runCommand(path.join(relDir(), 'bin', 'migrate'), [], {
        cwd: ws.dir,
        env: env({ MIGRATOR_LOG: toolchain.pathFor(log) }),
        timeoutMs: STEP - 10_000,
      });
      expect(result.code, describeOutput(result)).toBe(0);
      const lines = existsSync(log) ? (await readFile(log, 'utf8')).trim().split('\n') : [];
      expect(lines).toEqual(ecto.log);
    });
  });
}

function need(condition: boolean, what: string): void {
  if (!condition) throw new Error(`${what}: see the first failing test of this fixture`);
}

async function modeOf(dir: string, file: string): Promise<number> {
  return (await stat(path.join(dir, file))).mode & 0o777;
}

function readText(dir: string, file: string): Promise<string> {
  return readFile(path.join(dir, file), 'utf8');
}

async function listBat(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.bat')).sort();
}

function batFor(c: E2eCase): string[] {
  return c.ecto ? ['migrate.bat', 'server.bat'] : ['server.bat'];
}
