// The conflict matrix through the packed CLI (no terminal): files missing, identical and
// different, under --force, --skip, neither, --dry-run (and its combinations), with --json;
// statuses, exit codes and the bytes left on disk. Interactive answers: test/cli/pty.test.ts.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { copyProject, snapshotTree } from '../helpers/tree.js';
import { OLD_TIME, put, read } from '../fixtures/hostile/project.js';

type State = 'missing' | 'identical' | 'different';

// Each state is there; the run also patches config/runtime.exs (--yes). Two files differ, so
// "every conflicting file" means more than one.
// (A user's own release module is kept, never a conflict: see test/cli/real-world.test.ts.)
const FILES: Record<string, State> = {
  'rel/overlays/bin/server': 'missing',
  'rel/overlays/bin/server.bat': 'different',
  'rel/overlays/bin/migrate': 'different',
  'rel/overlays/bin/migrate.bat': 'missing',
  'lib/hello/release.ex': 'identical',
};
const USER_MIGRATE = '#!/bin/sh\n# my own migration script\necho mine\n';
const USER_SERVER_BAT = '@echo off\r\nrem my own start script\r\necho mine\r\n';

const USER_CONTENT: Record<string, string> = { 'rel/overlays/bin/migrate': USER_MIGRATE, 'rel/overlays/bin/server.bat': USER_SERVER_BAT };
const USER_MODE: Record<string, number> = { 'rel/overlays/bin/migrate': 0o700, 'rel/overlays/bin/server.bat': 0o600 };

/** What a clean `--yes` run writes: the bytes and modes every status is measured against. */
const reference: Record<string, { bytes: Buffer; mode: number }> = {};
beforeAll(async () => {
  const dir = copyProject('examples/hello');
  const { code, stderr } = await runCli(['--yes'], { cwd: dir });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  for (const file of [...Object.keys(FILES), 'config/runtime.exs']) {
    const full = path.join(dir, file);
    reference[file] = { bytes: readFileSync(full), mode: statSync(full).mode & 0o777 };
  }
});

/** examples/hello with every file of FILES in its state, user files with old mtimes. */
function conflictedProject(): string {
  const dir = copyProject('examples/hello');
  for (const [file, state] of Object.entries(FILES)) {
    if (state === 'identical') put(dir, file, reference[file]!.bytes, reference[file]!.mode);
    if (state === 'different') put(dir, file, USER_CONTENT[file]!, USER_MODE[file]!);
  }
  return dir;
}

const filesIn = (state: State) => Object.keys(FILES).filter((f) => FILES[f] === state);

interface Row {
  flags: string[];
  code: number;
  /** The status word of a different file (missing ones are created, identical ones identical). */
  different?: 'overwriting' | 'skipping' | 'conflict';
  dryRun?: boolean;
}

const rows: Row[] = [
  { flags: ['--force'], code: 0, different: 'overwriting' },
  { flags: ['--skip'], code: 0, different: 'skipping' },
  { flags: [], code: 1 },
  { flags: ['--dry-run'], code: 0, different: 'conflict', dryRun: true },
  { flags: ['--dry-run', '--force'], code: 0, different: 'overwriting', dryRun: true },
  { flags: ['--dry-run', '--skip'], code: 0, different: 'skipping', dryRun: true },
  { flags: ['--force', '--skip'], code: 2 },
];

describe('the conflict matrix (non-interactive)', () => {
  it.each(rows.map((row) => ({ ...row, label: row.flags.join(' ') || 'neither flag' })))(
    '--yes $label: exit $code',
    async ({ flags, code, different, dryRun }) => {
      const dir = conflictedProject();
      const before = snapshotTree(dir, true);
      const result = await runCli(['--yes', ...flags], { cwd: dir });
      expect(result.code, result.stderr).toBe(code);

      if (code !== 0) {
        // What was read may be shown; nothing about files or what to do next.
        expect(result.stdout).not.toMatch(/^\* |ready to be deployed/m);
        expect(snapshotTree(dir, true)).toBe(before);
        if (code === 1) {
          // Every conflicting file is listed, with both ways out.
          expect(result.stderr).toContain('2 files differ from what create-release would write:');
          for (const file of filesIn('different')) expect(result.stderr).toContain(`\n  ${file}\n`);
          expect(result.stderr).toMatch(/--force.*--skip/);
          expect(result.stderr).not.toContain('rel/overlays/bin/server\n');
        } else {
          expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
          expect(result.stderr).toMatch(/--force and --skip/);
        }
        return;
      }

      expect(result.stderr).toBe('');
      for (const file of filesIn('missing')) expect(result.stdout).toContain(`* creating ${file}\n`);
      for (const file of filesIn('identical')) expect(result.stdout).toContain(`* identical ${file}\n`);
      for (const file of filesIn('different')) expect(result.stdout).toContain(`* ${different} ${file}\n`);
      expect(result.stdout).toContain('* patching config/runtime.exs\n');

      if (dryRun) {
        expect(snapshotTree(dir, true)).toBe(before);
        expect(result.stdout).toContain('Dry run: nothing was written.');
        // A dry run that would stop on conflicts says so, and how to go on.
        const closing = result.stdout.trimEnd().split('\n').at(-1)!;
        if (different === 'conflict') {
          expect(closing).toContain(`${filesIn('different').join(', ')} differ from what create-release writes`);
          expect(closing).toMatch(/--force.*--skip/);
        } else {
          expect(closing).toBe('Dry run: nothing was written. Run again without --dry-run to apply these changes.');
        }
        expect(result.stdout).not.toContain('ready to be deployed');
        for (const file of filesIn('missing')) expect(result.stdout).toContain(`--- /dev/null\n+++ b/${file}\n`);
        for (const file of filesIn('identical')) expect(result.stdout).not.toContain(`+++ b/${file}\n`);
        for (const file of filesIn('different')) {
          const shown = result.stdout.includes(`--- a/${file}\n+++ b/${file}\n`);
          expect(shown, file).toBe(different !== 'skipping');
        }
        if (different !== 'skipping') {
          expect(result.stdout).toContain('\n-echo mine\n');
          expect(result.stdout).toContain('\n+exec ./hello eval Hello.Release.migrate\n');
        }
        expect(result.stdout).toContain('+++ b/config/runtime.exs\n');
        expect(result.stdout).toContain('+if System.get_env("PHX_SERVER") do\n');
        return;
      }

      for (const file of filesIn('missing')) expectReference(dir, file);
      for (const file of filesIn('identical')) expectUntouched(dir, file, reference[file]!.bytes, reference[file]!.mode);
      for (const file of filesIn('different')) {
        if (different === 'overwriting') expectReference(dir, file);
        else expectUntouched(dir, file, Buffer.from(USER_CONTENT[file]!), USER_MODE[file]!);
      }
      expect(read(dir, 'config/runtime.exs')).toBe(reference['config/runtime.exs']!.bytes.toString('utf8'));
    },
  );

  it('a re-run after --force finds every file identical and needs no flag', async () => {
    const dir = conflictedProject();
    expect((await runCli(['--yes', '--force'], { cwd: dir })).code).toBe(0);
    const before = snapshotTree(dir, true);
    const again = await runCli(['--yes'], { cwd: dir });
    expect(again.code).toBe(0);
    for (const file of Object.keys(FILES)) expect(again.stdout).toContain(`* identical ${file}\n`);
    expect(snapshotTree(dir, true)).toBe(before);
  });

  it('a re-run with --skip keeps skipping the same files and changes nothing', async () => {
    const dir = conflictedProject();
    expect((await runCli(['--yes', '--skip'], { cwd: dir })).code).toBe(0);
    const before = snapshotTree(dir, true);
    const again = await runCli(['--yes', '--skip'], { cwd: dir });
    expect(again.code).toBe(0);
    for (const file of filesIn('different')) expect(again.stdout).toContain(`* skipping ${file}\n`);
    for (const file of filesIn('missing')) expect(again.stdout).toContain(`* identical ${file}\n`);
    expect(snapshotTree(dir, true)).toBe(before);
  });

  it('one conflicting file is named alone, in the singular', async () => {
    const dir = copyProject('examples/hello');
    put(dir, 'rel/overlays/bin/server', '#!/bin/sh\necho mine\n', 0o755);
    const before = snapshotTree(dir, true);
    const { code, stderr } = await runCli(['--yes'], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'error: a file differs from what create-release would write:\n  rel/overlays/bin/server\nre-run with --force to overwrite it or --skip to keep yours\n',
    );
    expect(snapshotTree(dir, true)).toBe(before);
  });
});

describe('--json with conflicts and dry runs: one JSON document on stdout, nothing human there', () => {
  const parse = (stdout: string) => {
    expect(stdout).not.toMatch(/^\* /m);
    expect(stdout).not.toContain('ready to be deployed');
    return JSON.parse(stdout) as Record<string, unknown>;
  };
  const statusOf = (doc: Record<string, unknown>) =>
    Object.fromEntries((doc.files as Array<{ path: string; status: string }>).map((f) => [f.path, f.status]));

  it('--dry-run: every status, a unified diff for each file that would change, nothing written', async () => {
    const dir = conflictedProject();
    const before = snapshotTree(dir, true);
    const { code, stdout, stderr } = await runCli(['--yes', '--json', '--dry-run'], { cwd: dir });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const doc = parse(stdout);
    expect(statusOf(doc)).toEqual({
      'rel/overlays/bin/server': 'create',
      'rel/overlays/bin/server.bat': 'conflict',
      'rel/overlays/bin/migrate': 'conflict',
      'rel/overlays/bin/migrate.bat': 'create',
      'lib/hello/release.ex': 'identical',
      'lib/hello_web/health.ex': 'create',
      'rel/env.sh.eex': 'create',
      'rel/env.bat.eex': 'create',
      'config/runtime.exs': 'patch',
      'lib/hello_web/endpoint.ex': 'patch',
    });
    const files = doc.files as Array<{ path: string; diff?: string }>;
    expect(files.find((f) => f.path === 'rel/overlays/bin/migrate')?.diff).toMatch(/^--- a\/rel\/overlays\/bin\/migrate\n\+\+\+ b\/rel\/overlays\/bin\/migrate\n/);
    expect(files.find((f) => f.path === 'rel/overlays/bin/server')?.diff).toMatch(/^--- \/dev\/null\n/);
    expect(files.find((f) => f.path === 'lib/hello/release.ex')?.diff).toBeUndefined();
    expect(snapshotTree(dir, true)).toBe(before);
  });

  it('--force: overwrite statuses, the files written', async () => {
    const dir = conflictedProject();
    const { code, stdout, stderr } = await runCli(['--yes', '--json', '--force'], { cwd: dir });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const statuses = statusOf(parse(stdout));
    for (const file of filesIn('different')) expect(statuses[file]).toBe('overwrite');
    for (const file of filesIn('different')) expectReference(dir, file);
  });

  it('--skip: skip statuses, the user files kept', async () => {
    const dir = conflictedProject();
    const { code, stdout } = await runCli(['--yes', '--json', '--skip'], { cwd: dir });
    expect(code).toBe(0);
    const statuses = statusOf(parse(stdout));
    for (const file of filesIn('different')) expect(statuses[file]).toBe('skip');
    expect(read(dir, 'rel/overlays/bin/migrate')).toBe(USER_MIGRATE);
  });

  it('neither flag: exit 1, the error and the conflicting files as JSON on stdout, nothing written', async () => {
    const dir = conflictedProject();
    const before = snapshotTree(dir, true);
    const { code, stdout, stderr } = await runCli(['--yes', '--json'], { cwd: dir });
    expect(code).toBe(1);
    const doc = parse(stdout) as { error: { exitCode: number; message: string; conflicts: string[] } };
    expect(doc.error.exitCode).toBe(1);
    expect(doc.error.conflicts).toEqual(filesIn('different'));
    expect(doc.error.message).toContain('--force');
    expect(stderr).toContain('error: 2 files differ');
    expect(snapshotTree(dir, true)).toBe(before);
  });
});

describe('project-local template overrides', () => {
  const OVERRIDE = '#!/bin/sh\n# our own server script for {{release}}\nexport ERL_AFLAGS="-kernel shell_history enabled"\nPHX_SERVER=true exec ./{{release}} start\n';

  it('.create-release/templates/rel/overlays/bin/server.hbs replaces the bundled template', async () => {
    const dir = copyProject('examples/hello');
    put(dir, '.create-release/templates/rel/overlays/bin/server.hbs', OVERRIDE);
    const { code, stdout, stderr } = await runCli(['--yes'], { cwd: dir });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('* creating rel/overlays/bin/server\n');
    expect(read(dir, 'rel/overlays/bin/server')).toBe(
      '#!/bin/sh\n# our own server script for hello\nexport ERL_AFLAGS="-kernel shell_history enabled"\nPHX_SERVER=true exec ./hello start\n',
    );
    expect(statSync(path.join(dir, 'rel/overlays/bin/server')).mode & 0o777).toBe(0o755);
    // The other files still come from the bundled templates.
    expect(read(dir, 'rel/overlays/bin/migrate')).toContain('exec ./hello eval Hello.Release.migrate');
    expect(read(dir, 'rel/overlays/bin/server.bat')).toContain('set PHX_SERVER=true\r\n');
    // Re-running with the override in place is a no-op.
    const again = await runCli(['--yes'], { cwd: dir });
    expect(again.stdout).toContain('* identical rel/overlays/bin/server\n');
  });

  it('a file written from the bundled template conflicts with the override until --force', async () => {
    const dir = copyProject('examples/hello');
    expect((await runCli(['--yes'], { cwd: dir })).code).toBe(0);
    put(dir, '.create-release/templates/rel/overlays/bin/server.hbs', OVERRIDE);
    const stopped = await runCli(['--yes'], { cwd: dir });
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('\n  rel/overlays/bin/server\n');
    const forced = await runCli(['--yes', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('* overwriting rel/overlays/bin/server\n');
    expect(read(dir, 'rel/overlays/bin/server')).toContain('# our own server script for hello');
    expect(existsSync(path.join(dir, '.create-release/templates/rel/overlays/bin/server.hbs'))).toBe(true);
  });
});

function expectReference(dir: string, file: string): void {
  const full = path.join(dir, file);
  expect(readFileSync(full).equals(reference[file]!.bytes), `${file} has the generated bytes`).toBe(true);
  expect(statSync(full).mode & 0o777, `${file} mode`).toBe(reference[file]!.mode);
}

function expectUntouched(dir: string, file: string, bytes: Buffer, mode: number): void {
  const full = path.join(dir, file);
  const st = statSync(full);
  expect(readFileSync(full).equals(bytes), `${file} kept its bytes`).toBe(true);
  expect(st.mode & 0o777, `${file} mode`).toBe(mode);
  expect(st.mtimeMs, `${file} mtime`).toBe(OLD_TIME.getTime());
}
