// The packed package's bin, run as a user would in a non-TTY shell, against a Phoenix project.
import { chmodSync, mkdirSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { copyProject, snapshotTree } from '../helpers/tree.js';

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');
const modeOf = (dir: string, file: string) => statSync(path.join(dir, file)).mode & 0o777;

describe('create-release --yes on a Phoenix project (examples/hello)', () => {
  it('writes the release files with the right content, modes and line endings', async () => {
    const dir = copyProject('examples/hello');
    const { code, stdout, stderr } = await runCli(['--yes'], { cwd: dir });
    expect(stderr).toBe('');
    expect(code).toBe(0);

    expect(stdout).toContain('* creating rel/overlays/bin/server\n');
    expect(stdout).toContain('* creating rel/overlays/bin/server.bat\n');
    expect(stdout).toContain('* creating rel/overlays/bin/migrate\n');
    expect(stdout).toContain('* creating rel/overlays/bin/migrate.bat\n');
    expect(stdout).toContain('* creating lib/hello/release.ex\n');
    expect(stdout).toContain('* patching config/runtime.exs\n');

    const server = read(dir, 'rel/overlays/bin/server');
    expect(server).toMatch(/^#!\/bin\/sh\n/);
    expect(server).toContain('set -eu');
    expect(server).toContain('cd -P -- "$(dirname -- "$0")"');
    expect(server).toContain('PHX_SERVER=true exec ./hello start');
    expect(read(dir, 'rel/overlays/bin/migrate')).toContain('exec ./hello eval Hello.Release.migrate');
    expect(modeOf(dir, 'rel/overlays/bin/server')).toBe(0o755);
    expect(modeOf(dir, 'rel/overlays/bin/migrate')).toBe(0o755);

    const bat = read(dir, 'rel/overlays/bin/server.bat');
    expect(bat).toContain('set PHX_SERVER=true\r\n');
    expect(bat).toContain('call "%~dp0\\hello" start\r\n');
    expect(bat.replaceAll('\r\n', '')).not.toContain('\n');
    expect(read(dir, 'rel/overlays/bin/migrate.bat')).toContain('call "%~dp0\\hello" eval Hello.Release.migrate\r\n');

    const release = read(dir, 'lib/hello/release.ex');
    expect(release).toContain('defmodule Hello.Release do');
    expect(release).toContain('@app :hello');
    expect(release).toContain('Ecto.Migrator.with_repo(repo, &Ecto.Migrator.run(&1, :up, all: true))');
    expect(release).toContain('Application.ensure_all_started(:ssl)');

    const runtime = read(dir, 'config/runtime.exs');
    expect(runtime).toContain('if System.get_env("PHX_SERVER") do\n  config :hello, HelloWeb.Endpoint, server: true\nend');
    expect(runtime.startsWith('import Config\n')).toBe(true);

    // The example lacks PHX_HOST and ECTO_IPV6 (postgrex): both are advised with real names.
    expect(stdout).toContain('System.get_env("PHX_HOST")');
    expect(stdout).toContain('maybe_ipv6 = if System.get_env("ECTO_IPV6") in ~w(true 1), do: [:inet6], else: []');
    expect(stdout).toContain('Hello.Repo');

    const summary = stdout.slice(stdout.indexOf('Your application is ready to be deployed in a release!'));
    expect(summary).not.toBe('');
    expect(summary).toContain('MIX_ENV=prod mix release');
    expect(summary).toContain('_build/prod/rel/hello/bin/server');
    expect(summary).toContain('_build/prod/rel/hello/bin/migrate');
    expect(summary).toContain('_build/prod/rel/hello/bin/hello remote');
    expect(summary).not.toContain('docker');
  });

  it('reports every file identical on a second run and changes nothing, not even mtimes', async () => {
    const dir = copyProject('examples/hello');
    expect((await runCli(['--yes'], { cwd: dir })).code).toBe(0);
    const before = snapshotTree(dir, true);
    const second = await runCli(['--yes'], { cwd: dir });
    expect(second.code).toBe(0);
    for (const file of ['server', 'server.bat', 'migrate', 'migrate.bat']) {
      expect(second.stdout).toContain(`* identical rel/overlays/bin/${file}\n`);
    }
    expect(second.stdout).toContain('* identical lib/hello/release.ex\n');
    expect(second.stdout).not.toContain('runtime.exs\n');
    expect(snapshotTree(dir, true)).toBe(before);
  });

  it('--no-ecto writes no migration files', async () => {
    const dir = copyProject('examples/hello');
    const { code, stdout } = await runCli(['--yes', '--no-ecto'], { cwd: dir });
    expect(code).toBe(0);
    expect(existsSync(path.join(dir, 'rel/overlays/bin/migrate'))).toBe(false);
    expect(existsSync(path.join(dir, 'rel/overlays/bin/migrate.bat'))).toBe(false);
    expect(existsSync(path.join(dir, 'lib/hello/release.ex'))).toBe(false);
    expect(stdout).toContain('* creating rel/overlays/bin/server\n');
    expect(stdout).not.toContain('bin/migrate');
  });

  it('takes the project directory as an argument', async () => {
    const dir = copyProject('examples/hello');
    const { code, stdout } = await runCli([dir, '--yes', '--no-ecto'], { cwd: path.dirname(dir) });
    expect(code).toBe(0);
    expect(stdout).toContain('* creating rel/overlays/bin/server\n');
    expect(existsSync(path.join(dir, 'rel/overlays/bin/server'))).toBe(true);
  });

  it('without a terminal and without --yes, never waits and leaves runtime.exs to the user', async () => {
    const dir = copyProject('examples/hello');
    const runtimeBefore = read(dir, 'config/runtime.exs');
    const { code, stdout } = await runCli([], { cwd: dir });
    expect(code).toBe(0);
    expect(read(dir, 'config/runtime.exs')).toBe(runtimeBefore);
    expect(stdout).toContain('if System.get_env("PHX_SERVER") do');
    expect(stdout).toContain('--patch-runtime');
    expect(stdout).toContain('* creating lib/hello/release.ex\n');
  });

  it('--json prints one JSON document on stdout and nothing human there', async () => {
    const dir = copyProject('examples/hello');
    const { code, stdout } = await runCli(['--yes', '--json'], { cwd: dir });
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.read).toMatchObject({ app: { name: 'hello' }, namespace: { name: 'Hello', guessed: false }, endpoints: [{ module: 'HelloWeb.Endpoint' }] });
    expect(doc.facts.apps[0]).toMatchObject({ app: 'hello', namespace: 'Hello' });
    expect(doc.answers).toMatchObject({ ecto: true, docker: false, release: 'hello' });
    expect(doc.files).toContainEqual({ path: 'rel/overlays/bin/server', status: 'create' });
    expect(doc.next.map((n: { command: string }) => n.command)).toContain('MIX_ENV=prod mix release');
  });

  it('--version and --help answer without touching anything', async () => {
    const dir = copyProject('examples/hello');
    const before = snapshotTree(dir);
    const version = await runCli(['--version'], { cwd: dir });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await runCli(['--help'], { cwd: dir });
    expect(help.code).toBe(0);
    for (const flag of ['--docker', '--ecto', '--yes', '--force', '--skip', '--dry-run', '--json', '--offline']) {
      expect(help.stdout).toContain(flag);
    }
    expect(snapshotTree(dir)).toBe(before);
  });

  it('writes nothing when a file it would write has other content, and names it', async () => {
    const dir = copyProject('examples/hello');
    mkdirSync(path.join(dir, 'rel/overlays/bin'), { recursive: true });
    writeFileSync(path.join(dir, 'rel/overlays/bin/migrate'), '#!/bin/sh\nexec ./hello eval "Hello.Tasks.migrate()"\n');
    const before = snapshotTree(dir, true);
    const { code, stdout, stderr } = await runCli(['--yes'], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toContain('rel/overlays/bin/migrate');
    expect(stderr).toContain('--force');
    expect(stderr).toContain('--skip');
    expect(stdout).not.toContain('ready to be deployed');
    expect(snapshotTree(dir, true)).toBe(before);
  });
});

describe('an identical script that lost its exec bit', () => {
  it('is left as it is and reported with the command that fixes it', async () => {
    const dir = copyProject('examples/hello');
    expect((await runCli(['--yes'], { cwd: dir })).code).toBe(0);
    chmodSync(path.join(dir, 'rel/overlays/bin/server'), 0o644);
    const before = snapshotTree(dir, true);
    const { code, stdout } = await runCli(['--yes'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toContain('* identical rel/overlays/bin/server\n');
    expect(stdout).toContain('warning: rel/overlays/bin/server is not executable: run chmod +x rel/overlays/bin/server');
    expect(stdout).not.toContain('bin/migrate is not executable');
    expect(snapshotTree(dir, true)).toBe(before);
  });
});

describe('a project configured by config/releases.exs (Elixir 1.9-1.10 style)', () => {
  it('gets no config/runtime.exs, which would silently replace it, but the snippet for releases.exs', async () => {
    const dir = copyProject('examples/hello');
    const runtime = read(dir, 'config/runtime.exs');
    rmSync(path.join(dir, 'config/runtime.exs'));
    writeFileSync(path.join(dir, 'config/releases.exs'), runtime);
    const { code, stdout } = await runCli(['--yes'], { cwd: dir });
    expect(code).toBe(0);
    expect(existsSync(path.join(dir, 'config/runtime.exs'))).toBe(false);
    expect(read(dir, 'config/releases.exs')).toBe(runtime);
    expect(stdout).toContain('add this to config/releases.exs');
    expect(stdout).toContain('config :hello, HelloWeb.Endpoint, server: true');
  });
});
