// The packed CLI in a real pseudo-terminal (util-linux `script`), driven like a person would:
// wait until a question is on screen, then type. Covers the questions and their order, the
// conflict prompt (diff, overwrite, skip, all, quit) and Ctrl-C. In CI a missing `script` fails.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { findMissingTools } from '../helpers/elixir.js';
import { copyProject, snapshotTree } from '../helpers/tree.js';
import { put, read } from '../fixtures/hostile/project.js';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const noScript = findMissingTools(['script']).length > 0;

const ENTER = '\r';
const DOWN = '\x1b[B';
const CTRL_C = '\x03';
const CONFLICT = (file: string) => `${file} differs from what create-release would write. Overwrite?`;

/** A terminal session: everything the program printed, with escape sequences removed. */
class Terminal {
  private raw = '';
  private seen = 0;
  private exitCode: number | null = null;
  readonly exited: Promise<number>;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(args: string[], cwd: string) {
    const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
    // A wide terminal, so no question wraps across lines.
    const command = `stty cols 200 rows 50; exec ${[inject('cliBin'), ...args].map(quote).join(' ')}`;
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', TERM: 'xterm', SHELL: '/bin/sh' };
    delete env.FORCE_COLOR;
    this.child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (d) => (this.raw += d));
    this.child.stderr.on('data', (d) => (this.raw += d));
    this.exited = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code) => {
        this.exitCode = code ?? 1;
        resolve(this.exitCode);
      });
    });
  }

  get text(): string {
    return this.raw.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\x1b[()][0-9A-Za-z]/g, '').replaceAll('\r', '');
  }

  /** Waits (bounded) until `needle` appears after everything waited for so far. */
  async waitFor(needle: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.text.indexOf(needle, this.seen);
      if (at >= 0) {
        this.seen = at + needle.length;
        return;
      }
      if (this.exitCode !== null || Date.now() > deadline) {
        const why = this.exitCode !== null ? `the program exited (${this.exitCode})` : `${timeoutMs / 1000} s passed`;
        throw new Error(`waiting for ${JSON.stringify(needle)}, but ${why}; the screen so far:\n${this.text}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Answers the question `needle` (once it is on screen) with `keys`. */
  async answer(needle: string, keys: string): Promise<void> {
    await this.waitFor(needle);
    this.child.stdin.write(keys);
  }

  async finish(): Promise<number> {
    const code = await this.exited;
    this.child.stdin.end();
    return code;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

async function session(args: string[], cwd: string, drive: (t: Terminal) => Promise<void>): Promise<{ code: number; text: string }> {
  const terminal = new Terminal(args, cwd);
  try {
    await drive(terminal);
    return { code: await terminal.finish(), text: terminal.text };
  } catch (error) {
    terminal.kill();
    throw error;
  }
}

it.runIf(ci || noScript)('`script` (util-linux) is installed for the terminal tests (required in CI)', () => {
  expect(noScript, 'apt-get install util-linux (it provides `script`)').toBe(false);
});

describe.skipIf(noScript)('interactive runs in a pseudo-terminal', () => {
  it('asks the questions in order, shows the diff on d, overwrites on y, prints the equivalent command', async () => {
    const dir = copyProject('examples/hello');
    const mix = path.join(dir, 'mix.exs');
    writeFileSync(mix, readFileSync(mix, 'utf8').replace('deps: deps()\n', 'deps: deps(),\n      releases: [hello: [], hello_worker: []]\n'));
    put(dir, 'rel/overlays/bin/server.bat', '@echo off\r\necho mine\r\n');

    const { code, text } = await session([], dir, async (t) => {
      await t.answer('mix.exs declares several releases. Which one should bin/server start?', DOWN + ENTER);
      await t.answer('Add database migration support (Ecto)? (Y/n)', ENTER);
      await t.answer('Add a production Dockerfile and .dockerignore? (y/N)', ENTER);
      await t.answer('Add health checks (GET /health and /health/ready), plugged first in the endpoint? (Y/n)', ENTER);
      // examples/hello depends on dns_cluster: clustering defaults to yes, epmd-less to no.
      await t.answer('Name the node for clustering (rel/env.sh.eex)? (Y/n)', ENTER);
      await t.answer('without epmd? (y/N)', ENTER);
      await t.answer('Edit config/runtime.exs and lib/hello_web/endpoint.ex (each edit keeps the rest of the file as it is)? (Y/n)', ENTER);
      await t.answer(`${CONFLICT('rel/overlays/bin/server.bat')} (Yndaqh)`, `d${ENTER}`);
      // The diff, between the user's file and ours, then the same question again.
      await t.waitFor('--- a/rel/overlays/bin/server.bat\n+++ b/rel/overlays/bin/server.bat\n');
      await t.waitFor('-echo mine\n');
      await t.waitFor('+call "%~dp0\\hello_worker" start\n');
      await t.answer(`${CONFLICT('rel/overlays/bin/server.bat')} (Yndaqh)`, `y${ENTER}`);
    });
    expect(code, text).toBe(0);

    // Each question once, in this order (the selected release shown as the answer).
    const order = [
      'Which one should bin/server start? hello_worker',
      '(Ecto)? Yes',
      '.dockerignore? No',
      'in the endpoint? Yes',
      '(rel/env.sh.eex)? Yes',
      'without epmd? No',
      'as it is)? Yes',
      'Overwrite? overwrite this file',
    ];
    const positions = order.map((q) => text.indexOf(q));
    expect(positions.every((p) => p >= 0), text).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    expect(text).toContain('* overwriting rel/overlays/bin/server.bat\n');
    expect(text).toContain('* creating rel/overlays/bin/server\n');
    expect(text).toContain('* patching config/runtime.exs\n');
    const release = read(dir, 'lib/hello/release.ex');
    expect(release).toContain('Ecto.Migrator.with_repo(repo, &Ecto.Migrator.run(&1, :up, all: true))');
    expect(release).toContain('bin/hello_worker eval "Hello.Release.migrate"');
    expect(read(dir, 'rel/overlays/bin/server')).toContain('exec ./hello_worker start');
    expect(read(dir, 'config/runtime.exs')).toContain('if System.get_env("PHX_SERVER") do');

    // The last thing printed: a command that repeats the run without questions. It does.
    const lines = text.trimEnd().split('\n');
    expect(lines[lines.length - 3]).toBe('To do the same again without questions:');
    const command = lines[lines.length - 1]!.trim();
    expect(command).toMatch(/^npx create-release .*--release hello_worker .*--yes$/);
    for (const flag of ['--ecto', '--no-docker', '--health', '--cluster', '--patch-runtime']) expect(command.split(' ')).toContain(flag);
    expect(command).not.toContain('--epmd-less');
    expect(read(dir, 'lib/hello_web/endpoint.ex')).toContain('  plug HelloWeb.Health\n');
    const before = snapshotTree(dir, true);
    const again = await runCli(command.split(' ').slice(2), { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/^\* (creating|overwriting|patching|skipping)/m);
    expect(snapshotTree(dir, true)).toBe(before);
  });

  it('offers the deploy targets after Docker, picked with space, and repeats them as --deploy', async () => {
    const dir = copyProject('examples/hello');
    const { code, text } = await session(['--offline'], dir, async (t) => {
      await t.answer('Add database migration support (Ecto)? (Y/n)', ENTER);
      await t.answer('Add a production Dockerfile and .dockerignore? (y/N)', `y${ENTER}`);
      // Fly (the first), then Compose (two down); keys are read in order.
      await t.answer('Write deploy files for a platform?', ` ${DOWN}${DOWN} ${ENTER}`);
      await t.answer('plugged first in the endpoint? (Y/n)', ENTER);
      await t.answer('Name the node for clustering (rel/env.sh.eex)? (Y/n)', ENTER);
      await t.answer('without epmd? (y/N)', ENTER);
      await t.answer('Edit config/runtime.exs, lib/hello_web/endpoint.ex and .gitignore (each edit keeps the rest of the file as it is)? (Y/n)', ENTER);
    });
    expect(code, text).toBe(0);
    expect(text).toContain('* creating fly.toml\n');
    expect(text).toContain('* creating compose.yaml\n');
    expect(text).not.toContain('* creating deploy/kubernetes');
    expect(read(dir, '.gitignore')).toContain('\n.env\n');
    const lines = text.trimEnd().split('\n');
    const command = lines[lines.length - 1]!.trim();
    expect(command).toMatch(/ --docker --deploy fly --deploy compose /);
    const before = snapshotTree(dir, true);
    const again = await runCli(command.split(' ').slice(2).concat('--offline'), { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(snapshotTree(dir, true)).toBe(before);
  });

  const MIGRATE = 'rel/overlays/bin/migrate';
  const MIGRATE_BAT = 'rel/overlays/bin/migrate.bat';
  const USER: Record<string, string> = { [MIGRATE]: '#!/bin/sh\necho my migrate\n', [MIGRATE_BAT]: '@echo off\r\necho my migrate\r\n' };

  /** Two conflicting files (asked in this order), one identical, the rest missing. */
  async function conflictedProject(): Promise<string> {
    const dir = copyProject('examples/hello');
    expect((await runCli(['--yes', '--no-ecto', '--no-health', '--no-cluster'], { cwd: dir })).code).toBe(0);
    put(dir, MIGRATE, USER[MIGRATE]!, 0o700);
    put(dir, MIGRATE_BAT, USER[MIGRATE_BAT]!);
    return dir;
  }

  const matrix: Array<{ name: string; keys: string[]; code: number; kept: string[]; overwritten: string[] }> = [
    { name: 'y, y: both overwritten', keys: ['y', 'y'], code: 0, kept: [], overwritten: [MIGRATE, MIGRATE_BAT] },
    { name: 'n, n: both kept', keys: ['n', 'n'], code: 0, kept: [MIGRATE, MIGRATE_BAT], overwritten: [] },
    { name: 'y, n: the first overwritten, the second kept', keys: ['y', 'n'], code: 0, kept: [MIGRATE_BAT], overwritten: [MIGRATE] },
    { name: 'a: all overwritten, asked once', keys: ['a'], code: 0, kept: [], overwritten: [MIGRATE, MIGRATE_BAT] },
    { name: 'q: quit, exit 130, nothing written', keys: ['q'], code: 130, kept: [], overwritten: [] },
    { name: 'n, q: quit after a skip, exit 130, nothing written', keys: ['n', 'q'], code: 130, kept: [], overwritten: [] },
    { name: 'Ctrl-C at the second question: exit 130, nothing written', keys: ['n', CTRL_C], code: 130, kept: [], overwritten: [] },
  ];

  it.each(matrix)('conflict prompt: $name', async ({ keys, code, kept, overwritten }) => {
    const dir = await conflictedProject();
    const before = snapshotTree(dir, true);
    const result = await session(['--ecto', '--no-docker', '--health', '--no-cluster', '--patch-runtime'], dir, async (t) => {
      for (const [i, key] of keys.entries()) {
        const file = i === 0 ? MIGRATE : MIGRATE_BAT;
        await t.answer(`${CONFLICT(file)} (Yndaqh)`, key === CTRL_C ? key : key + ENTER);
      }
    });
    expect(result.code, result.text).toBe(code);
    if (keys[0] === 'a') expect(result.text).not.toContain(CONFLICT(MIGRATE_BAT));
    if (code === 130) {
      expect(result.text).toContain('Interrupted: nothing was written.');
      expect(result.text).not.toContain('ready to be deployed');
      expect(snapshotTree(dir, true)).toBe(before);
      return;
    }
    for (const file of kept) {
      expect(read(dir, file)).toBe(USER[file]);
      expect(result.text).toContain(`* skipping ${file}\n`);
    }
    for (const file of overwritten) {
      expect(read(dir, file)).not.toBe(USER[file]);
      expect(result.text).toContain(`* overwriting ${file}\n`);
    }
    expect(read(dir, 'lib/hello/release.ex')).toContain('defmodule Hello.Release do');
    expect(result.text).toContain('* identical rel/overlays/bin/server\n');
  });

  it('Ctrl-C at the first question: exit 130, the project as it was', async () => {
    const dir = copyProject('examples/hello');
    const before = snapshotTree(dir, true);
    const { code, text } = await session([], dir, async (t) => {
      await t.answer('Add database migration support (Ecto)?', CTRL_C);
    });
    expect(code, text).toBe(130);
    expect(text).toContain('Interrupted: nothing was written.');
    expect(text).not.toMatch(/^\s+at /m);
    expect(snapshotTree(dir, true)).toBe(before);
  });

  it('Ctrl-C at the question about editing the user\'s files, after the others were answered: exit 130, nothing written', async () => {
    const dir = copyProject('examples/hello');
    const before = snapshotTree(dir, true);
    const { code, text } = await session([], dir, async (t) => {
      await t.answer('(Ecto)?', ENTER);
      await t.answer('.dockerignore?', ENTER);
      await t.answer('in the endpoint?', ENTER);
      await t.answer('(rel/env.sh.eex)?', ENTER);
      await t.answer('without epmd?', ENTER);
      await t.answer('as it is)?', CTRL_C);
    });
    expect(code, text).toBe(130);
    expect(snapshotTree(dir, true)).toBe(before);
  });
});
