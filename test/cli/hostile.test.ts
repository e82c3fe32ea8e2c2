// Bad and hostile input through the packed CLI: a failure is an exit code, exactly one line on
// stderr (no stack trace) and the whole tree as it was (paths, modes, bytes, mtimes); odd but
// valid projects succeed. Then real mid-write failures: the files written before are undone.
import { spawn } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { copyProject, snapshotTree } from '../helpers/tree.js';
import { hostileCases, type HostileCase } from '../fixtures/hostile/cases.js';
import { lockDir, pickLockWay, runLocked } from '../fixtures/hostile/lock.js';
import { makeScratch, put, read, snapshotAll } from '../fixtures/hostile/project.js';

const lockWay = pickLockWay();
const ci = process.env.CI === 'true' || process.env.CI === '1';

async function runCase(c: HostileCase) {
  const { base, dir } = makeScratch();
  c.build(dir, base);
  if (c.lock && !lockWay) throw new Error('no way to make a directory read-only here (chattr +i, setpriv as nobody, chmod)');
  const unlock = c.lock && lockWay ? lockDir(lockWay, dir, path.join(dir, c.lock)) : () => undefined;
  try {
    const before = snapshotAll(base);
    const args = c.args ?? ['--yes'];
    const cwd = c.inBase ? base : dir;
    const result = c.lock && lockWay ? await runLocked(lockWay, args, { cwd }) : await runCli(args, { cwd });
    return { base, dir, before, after: snapshotAll(base), result };
  } finally {
    unlock();
  }
}

describe('hostile input', () => {
  it('has at least 40 cases, failures and successes', () => {
    expect(hostileCases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(hostileCases.map((c) => c.name)).size).toBe(hostileCases.length);
    expect(hostileCases.filter((c) => c.code === 0).length).toBeGreaterThanOrEqual(10);
  });

  it.runIf(ci || lockWay !== null)('can make a directory read-only on this machine (required in CI)', () => {
    expect(lockWay, 'chattr +i, setpriv (run as nobody) or a non-root chmod').not.toBeNull();
  });

  const failures = hostileCases.filter((c) => c.code !== 0 && (c.lock === undefined || lockWay !== null || ci));
  it.each(failures)('$name: exit $code, one line, tree unchanged', async (c) => {
    const { before, after, result } = await runCase(c);
    expect(result.code, result.stderr).toBe(c.code);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(c.message!);
    expect(result.stderr).not.toMatch(/\n\s+at |unexpected failure/);
    expect(result.stdout).not.toContain('ready to be deployed');
    expect(after).toBe(before);
  });

  const successes = hostileCases.filter((c) => c.code === 0);
  it.each(successes)('$name: succeeds', async (c) => {
    const { dir, result } = await runCase(c);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Your application is ready to be deployed in a release!');
    for (const file of c.creates ?? []) {
      expect(existsSync(path.join(dir, file)), file).toBe(true);
      expect(result.stdout).toMatch(new RegExp(`^\\* (creating|patching) ${file.replaceAll('.', '\\.')}$`, 'm'));
    }
    c.check?.(dir, result.stdout);
  });
});

describe('a write that fails in the middle of the run', () => {
  // The release module is the fifth file (after server, server.bat, migrate, migrate.bat):
  // lib/hello already exists in the example, so locking it lets the first four be written.
  it.runIf(lockWay !== null || ci)('undoes the overwritten and created files exactly (lib/hello read-only)', async () => {
    const dir = copyProject('examples/hello');
    put(dir, 'rel/overlays/bin/server', '#!/bin/sh\necho mine\n', 0o700);
    const unlock = lockDir(lockWay!, dir, path.join(dir, 'lib/hello'));
    const seen = watchNames(path.join(dir, 'rel/overlays/bin'));
    try {
      const before = snapshotTree(dir, true);
      const result = await runLocked(lockWay!, ['--yes', '--force'], { cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^error: could not write lib\/hello\/release\.ex: (operation not permitted \(EPERM\)|permission denied \(EACCES\)); nothing was changed\n$/,
      );
      // The earlier files really were written (to their temp files, removed again), not refused
      // up front; every file is on disk before any target is replaced, so none was.
      await seen.waitFor(['server', 'server.bat', 'migrate', 'migrate.bat'].map((file) => `.${file}.create-release.tmp`));
      expect(snapshotTree(dir, true)).toBe(before);
      expect(read(dir, 'rel/overlays/bin/server')).toBe('#!/bin/sh\necho mine\n');
    } finally {
      seen.close();
      unlock();
    }
  });

  it.runIf(lockWay !== null || ci)('undoes all five files when the last one, the runtime.exs patch, fails', async () => {
    const dir = copyProject('examples/hello');
    const unlock = lockDir(lockWay!, dir, path.join(dir, 'config'));
    try {
      const before = snapshotTree(dir, true);
      const result = await runLocked(lockWay!, ['--yes'], { cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: could not write config\/runtime\.exs: .*; nothing was changed\n$/);
      expect(snapshotTree(dir, true)).toBe(before);
      expect(existsSync(path.join(dir, 'rel'))).toBe(false);
      expect(existsSync(path.join(dir, 'lib/hello/release.ex'))).toBe(false);
    } finally {
      unlock();
    }
  });
});

describe('output that goes nowhere', () => {
  it('stdout closed early (as with `| head -1`): no stack trace, exit 0, the files written', async () => {
    const dir = copyProject('examples/hello');
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(inject('cliBin'), ['--yes'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ code: exitCode, stderr: err }));
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(read(dir, 'rel/overlays/bin/server')).toContain('exec ./hello start');
  });
});

/**
 * Names created or renamed in a directory (inotify), to see that a run really wrote there. A temp
 * file is recorded without its pid and random part: `.server.create-release.tmp`.
 */
function watchNames(dir: string) {
  const names = new Set<string>();
  const watcher = watch(dir, (_event, name) => {
    if (name) names.add(String(name).replace(/-\d+-[a-z0-9]+\.tmp$/, '.tmp'));
  });
  return {
    close: () => watcher.close(),
    async waitFor(expected: string[]) {
      // Events arrive asynchronously after the child exits; a bounded wait, not a timing assertion.
      for (let i = 0; i < 100 && !expected.every((n) => names.has(n)); i++) await new Promise((r) => setTimeout(r, 20));
      expect([...names].filter((n) => expected.includes(n)).sort()).toEqual([...expected].sort());
    },
  };
}
