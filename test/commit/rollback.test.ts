import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitFiles, type CommitOptions, type FsOps } from '../../src/commit/index.js';
import { CreateReleaseError, InterruptedError } from '../../src/errors.js';
import { snapshotTree } from '../helpers/tree.js';
import { errnoError, hookCall, makeUserProject, readOnDisk, userProjectFiles as files } from './project.js';
import { chattrWorks } from '../fixtures/hostile/lock.js';

const roots: string[] = [];
const unfreeze: string[] = [];
afterEach(() => {
  for (const dir of unfreeze.splice(0)) execFileSync('chattr', ['-i', dir]);
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function projectWithUserFiles(): string {
  const root = makeUserProject();
  roots.push(root);
  return root;
}

async function expectFailure(root: string, options: Partial<CommitOptions>): Promise<CreateReleaseError> {
  const error = await commitFiles(root, files, { policy: 'force', dryRun: false, ...options }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CreateReleaseError);
  return error as CreateReleaseError;
}

describe('a failure in the middle of the run', () => {
  it('the third rename failing restores the overwritten files exactly and removes the created ones', async () => {
    const root = projectWithUserFiles();
    const before = snapshotTree(root, true);
    const fsOps = hookCall('rename', (n, [, to]) => {
      if (n === 3) throw errnoError('EACCES', 'rename', to);
    });
    const error = await expectFailure(root, { fsOps });
    expect(error.message).toBe('could not write rel/overlays/bin/migrate: permission denied (EACCES); nothing was changed');
    expect(error.exitCode).toBe(1);
    // Bytes, modes and mtimes of the two overwritten files are back; no temp file, no lib/ left.
    expect(snapshotTree(root, true)).toBe(before);
    expect(existsSync(path.join(root, 'lib'))).toBe(false);
  });

  it('a directory that cannot be created leaves everything as it was', async () => {
    const root = projectWithUserFiles();
    const before = snapshotTree(root, true);
    const fsOps = hookCall('mkdir', (n, [dir]) => {
      if (dir.endsWith(`${path.sep}my_app`)) throw errnoError('EACCES', 'mkdir', dir);
    });
    const error = await expectFailure(root, { fsOps });
    expect(error.message).toBe('could not create the directory lib/my_app: permission denied (EACCES); nothing was changed');
    expect(snapshotTree(root, true)).toBe(before);
  });

  it('a disk that fills up mid-write leaves no partial temp file', async () => {
    const root = projectWithUserFiles();
    const before = snapshotTree(root, true);
    const writeFile: FsOps['writeFile'] = async (p, data, options) => {
      if (p.includes('.release.ex.')) {
        await fs.writeFile(p, data.subarray(0, 5), options);
        throw errnoError('ENOSPC', 'write', p);
      }
      return fs.writeFile(p, data, options);
    };
    const error = await expectFailure(root, { fsOps: { writeFile } });
    expect(error.message).toBe('could not write lib/my_app/release.ex: no space left on device (ENOSPC); nothing was changed');
    expect(snapshotTree(root, true)).toBe(before);
  });

  it('says so when undoing fails too, naming what to check', async () => {
    const root = projectWithUserFiles();
    let failing = false;
    const fsOps = hookCall('rename', (n, [, to]) => {
      if (n === 3) failing = true;
      if (failing && to.endsWith('Dockerfile')) throw errnoError('EIO', 'rename', to);
      if (n === 3) throw errnoError('EACCES', 'rename', to);
    });
    const error = await expectFailure(root, { fsOps });
    expect(error.message).toBe(
      'could not write rel/overlays/bin/migrate: permission denied (EACCES); undoing the run also failed for Dockerfile (input/output error (EIO)): check those by hand (git status)',
    );
    // Everything else was still undone.
    expect(readOnDisk(root, 'rel/overlays/bin/server')).toMatchObject({ text: '#!/bin/sh\necho mine\n', mode: 0o700 });
    expect(snapshotTree(root)).not.toMatch(/\.tmp|migrate|lib/);
  });
});

describe('a read-only directory', () => {
  // Root ignores 0555, but not the immutable attribute; elsewhere a plain chmod is the real case.
  const isRoot = process.getuid?.() === 0;
  const freeze = isRoot ? chattrWorks() : true;

  it.skipIf(!freeze)('refuses with one line and leaves the files written before it undone', async () => {
    const root = projectWithUserFiles();
    const dir = path.join(root, 'rel/overlays/bin');
    if (isRoot) {
      execFileSync('chattr', ['+i', dir]);
      unfreeze.push(dir);
    } else {
      chmodSync(dir, 0o555);
    }
    try {
      const before = snapshotTree(root, true);
      const error = await expectFailure(root, {});
      expect(error.message).toMatch(/^could not write rel\/overlays\/bin\/server: (permission denied \(EACCES\)|operation not permitted \(EPERM\)); nothing was changed$/);
      expect(snapshotTree(root, true)).toBe(before);
    } finally {
      if (!isRoot) chmodSync(dir, 0o755);
    }
  });

  it('an injected EACCES on the temp file behaves the same', async () => {
    const root = projectWithUserFiles();
    const before = snapshotTree(root, true);
    const fsOps = hookCall('writeFile', (_n, [p]) => {
      if (path.dirname(p).endsWith('bin')) throw errnoError('EACCES', 'open', p);
    });
    const error = await expectFailure(root, { fsOps });
    expect(error.message).toBe('could not write rel/overlays/bin/server: permission denied (EACCES); nothing was changed');
    expect(snapshotTree(root, true)).toBe(before);
  });
});

describe('Ctrl-C', () => {
  it('an abort between two files undoes the files already written (exit 130)', async () => {
    const root = projectWithUserFiles();
    const before = snapshotTree(root, true);
    const controller = new AbortController();
    const fsOps = hookCall('rename', (n) => {
      if (n === 2) controller.abort();
    });
    const error = await expectFailure(root, { fsOps, signal: controller.signal });
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error.exitCode).toBe(130);
    expect(snapshotTree(root, true)).toBe(before);
  });

  it('an abort while a conflict question is open ends the run with nothing written', async () => {
    const root = projectWithUserFiles();
    const before = snapshotTree(root, true);
    const controller = new AbortController();
    const askConflict = () => {
      controller.abort();
      return new Promise<never>(() => undefined);
    };
    const error = await expectFailure(root, { policy: 'ask', askConflict, signal: controller.signal });
    expect(error).toBeInstanceOf(InterruptedError);
    expect(snapshotTree(root, true)).toBe(before);
  });

  it('an abort before the run starts touches nothing', async () => {
    const root = projectWithUserFiles();
    const before = snapshotTree(root, true);
    const error = await expectFailure(root, { signal: AbortSignal.abort() });
    expect(error).toBeInstanceOf(InterruptedError);
    expect(snapshotTree(root, true)).toBe(before);
  });
});
