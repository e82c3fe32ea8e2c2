// The transaction's rarer promises: files on the disk before they get their names, a replaced
// file's owner kept, other people's files and directories left alone, and a run undone exactly.
import { chownSync, existsSync, lstatSync, readdirSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitFiles, type CommitOptions, type FsOps } from '../../src/commit/index.js';
import { CreateReleaseError, InterruptedError } from '../../src/errors.js';
import { snapshotTree } from '../helpers/tree.js';
import { errnoError, hookCall, makeUserProject, OLD_TIME, rendered, userProjectFiles as files } from './project.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function project(): string {
  const root = makeUserProject();
  roots.push(root);
  return root;
}

const commit = (root: string, options: Partial<CommitOptions> = {}) => commitFiles(root, files, { policy: 'force', dryRun: false, ...options });

async function failure(root: string, options: Partial<CommitOptions>): Promise<CreateReleaseError> {
  const error = await commit(root, options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CreateReleaseError);
  return error as CreateReleaseError;
}

const failRename = (n: number): Partial<FsOps> =>
  hookCall('rename', (call, [, to]) => {
    if (call === n) throw errnoError('EACCES', 'rename', to);
  });

describe('durability', () => {
  it('flushes each file before it takes its name, and every directory that got a name after the renames', async () => {
    const root = project();
    const log: string[] = [];
    const rel = (p: string) => path.relative(root, p) || '.';
    const fsOps = {
      ...hookCall('syncFile', (_n, [p]) => void log.push(`syncFile ${rel(p)}`)),
      ...hookCall('rename', (_n, [from, to]) => void log.push(`rename ${rel(from)} ${rel(to)}`)),
      ...hookCall('syncDir', (_n, [p]) => void log.push(`syncDir ${rel(p)}`)),
    };
    await commit(root, { fsOps });
    const renames = log.filter((l) => l.startsWith('rename'));
    expect(renames.map((l) => l.split(' ')[2])).toEqual(files.map((f) => f.path));
    for (const line of renames) {
      const temp = line.split(' ')[1]!;
      expect(log.indexOf(`syncFile ${temp}`), temp).toBeGreaterThanOrEqual(0);
      expect(log.indexOf(`syncFile ${temp}`)).toBeLessThan(log.indexOf(line));
    }
    const lastRename = log.indexOf(renames.at(-1)!);
    const dirSyncs = log.filter((l) => l.startsWith('syncDir'));
    expect(dirSyncs.every((l) => log.indexOf(l) > lastRename)).toBe(true);
    // The new names: in the root (Dockerfile, lib), bin/, lib/ (my_app) and lib/my_app/; each once.
    expect(dirSyncs.map((l) => l.slice('syncDir '.length)).sort()).toEqual(['.', 'lib', 'lib/my_app', 'rel/overlays/bin']);
  });

  it('a directory that fails to flush undoes the run, naming it', async () => {
    const root = project();
    const before = snapshotTree(root, true);
    const fsOps = hookCall('syncDir', (_n, [dir]) => {
      if (dir.endsWith('bin')) throw errnoError('EIO', 'fsync', dir);
    });
    const error = await failure(root, { fsOps });
    expect(error.message).toBe('could not flush the directory rel/overlays/bin to disk: input/output error (EIO); nothing was changed');
    expect(snapshotTree(root, true)).toBe(before);
  });

  it('names the project directory when that is the one', async () => {
    const root = project();
    const fsOps = hookCall('syncDir', (_n, [dir]) => {
      if (dir === root) throw errnoError('EIO', 'fsync', dir);
    });
    expect((await failure(root, { fsOps })).message).toBe('could not flush the project directory to disk: input/output error (EIO); nothing was changed');
  });

  it.each(['EISDIR', 'EINVAL', 'EPERM'])('a directory the platform cannot flush (%s) leaves the written files in place', async (code) => {
    const root = project();
    const fsOps = hookCall('syncDir', (_n, [dir]) => {
      throw errnoError(code, 'open', dir);
    });
    await commit(root, { fsOps });
    expect(readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toBe('FROM hexpm/elixir\n');
    expect(readFileSync(path.join(root, 'lib/my_app/release.ex'), 'utf8')).toBe('defmodule MyApp.Release do\nend\n');
  });

  it('a file that fails to flush is never renamed into place', async () => {
    const root = project();
    const before = snapshotTree(root, true);
    const fsOps = hookCall('syncFile', (_n, [p]) => {
      if (p.includes('.server.')) throw errnoError('EIO', 'fsync', p);
    });
    const error = await failure(root, { fsOps });
    expect(error.message).toBe('could not write rel/overlays/bin/server: input/output error (EIO); nothing was changed');
    expect(snapshotTree(root, true)).toBe(before);
  });
});

describe('owners', () => {
  const isRoot = process.getuid?.() === 0;
  const NOBODY = 65534;

  it.runIf(isRoot)("a run as root gives a replaced file the user's owner and group, before it takes the name", async () => {
    const root = project();
    const dockerfile = path.join(root, 'Dockerfile');
    execChown(dockerfile, NOBODY);
    const ownerAtRename: Record<string, number> = {};
    const fsOps = hookCall('rename', (_n, [from, to]) => {
      ownerAtRename[path.relative(root, to)] = lstatSync(from).uid;
    });
    await commit(root, { fsOps });
    const after = statSync(dockerfile);
    expect([after.uid, after.gid]).toEqual([NOBODY, NOBODY]);
    expect(readFileSync(dockerfile, 'utf8')).toBe('FROM hexpm/elixir\n');
    expect(after.mode & 0o7777).toBe(0o644);
    expect(ownerAtRename.Dockerfile).toBe(NOBODY);
    // The files the run creates, and those of its own user, are the runner's.
    expect(statSync(path.join(root, 'lib/my_app/release.ex')).uid).toBe(0);
    expect(statSync(path.join(root, 'rel/overlays/bin/server')).uid).toBe(0);
  });

  it.runIf(isRoot)('undoing puts the owner back too', async () => {
    const root = project();
    const dockerfile = path.join(root, 'Dockerfile');
    execChown(dockerfile, NOBODY);
    await failure(root, { fsOps: failRename(3) });
    const after = statSync(dockerfile);
    expect([after.uid, after.gid]).toEqual([NOBODY, NOBODY]);
    expect(readFileSync(dockerfile, 'utf8')).toBe('FROM mine\r\n');
    expect(after.mode & 0o7777).toBe(0o600);
  });

  it('a user who may not give files away still writes: the new file is theirs', async () => {
    const root = project();
    const fsOps = hookCall('chown', (_n, [p]) => {
      throw errnoError('EPERM', 'chown', p);
    });
    await commit(root, { fsOps });
    expect(readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toBe('FROM hexpm/elixir\n');
  });

  it('any other failure to set the owner undoes the run', async () => {
    const root = project();
    const before = snapshotTree(root, true);
    const fsOps = hookCall('chown', (_n, [p]) => {
      throw errnoError('EIO', 'chown', p);
    });
    const error = await failure(root, { fsOps });
    expect(error.message).toMatch(/^could not write (Dockerfile|rel\/overlays\/bin\/server): input\/output error \(EIO\); nothing was changed$/);
    expect(snapshotTree(root, true)).toBe(before);
  });
});

describe("other people's files", () => {
  it('a temp file name someone else holds is never removed', async () => {
    const root = project();
    let theirs = '';
    const fsOps = hookCall('writeFile', (_n, [p]) => {
      if (p.includes('.Dockerfile.')) {
        theirs = p;
        writeFileSync(p, 'not ours\n');
      }
    });
    const error = await failure(root, { fsOps });
    expect(error.message).toBe('could not write Dockerfile: it already exists (EEXIST); nothing was changed');
    expect(readFileSync(theirs, 'utf8')).toBe('not ours\n');
    // Our own temp files are gone; theirs is the only one left.
    const temps = [...readdirSync(root), ...readdirSync(path.join(root, 'rel/overlays/bin'))].filter((name) => name.endsWith('.tmp'));
    expect(temps).toEqual([path.basename(theirs)]);
  });

  it('a directory a concurrent run made first is not removed when the run is undone', async () => {
    const root = project();
    const fsOps = {
      ...hookCall('mkdir', (_n, [dir]) => {
        if (path.basename(dir) === 'lib') mkdirSync(dir);
      }),
      ...failRename(4),
    };
    const error = await failure(root, { fsOps });
    expect(error.message).toBe('could not write lib/my_app/release.ex: permission denied (EACCES); nothing was changed');
    // lib/ is the other run's and stays; lib/my_app/ was this run's and is gone.
    expect(statSync(path.join(root, 'lib')).isDirectory()).toBe(true);
    expect(existsSync(path.join(root, 'lib/my_app'))).toBe(false);
  });

  it('a file put where a directory goes, in the meantime, stops the run and stays', async () => {
    const root = project();
    const fsOps = hookCall('mkdir', (_n, [dir]) => {
      if (path.basename(dir) === 'lib') writeFileSync(dir, 'a file\n');
    });
    const error = await failure(root, { fsOps });
    expect(error.message).toBe('could not create the directory lib: it already exists (EEXIST); nothing was changed');
    expect(readFileSync(path.join(root, 'lib'), 'utf8')).toBe('a file\n');
  });
});

describe('undoing', () => {
  it('Ctrl-C whose undo fails says both, and still exits 130', async () => {
    const root = project();
    const controller = new AbortController();
    let undoing = false;
    const fsOps = hookCall('rename', (n, [, to]) => {
      if (n === 3) {
        controller.abort();
        undoing = true;
      } else if (undoing && to.endsWith('Dockerfile')) {
        throw errnoError('EIO', 'rename', to);
      }
    });
    const error = await failure(root, { fsOps, signal: controller.signal });
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error.exitCode).toBe(130);
    expect(error.message).toBe('Interrupted; undoing the run also failed for Dockerfile (input/output error (EIO)): check those by hand (git status).');
  });

  it('puts back the access time as well as the modification time', async () => {
    const root = project();
    const dockerfile = path.join(root, 'Dockerfile');
    const accessed = new Date('2020-01-02T03:04:05Z');
    utimesSync(dockerfile, accessed, OLD_TIME);
    await failure(root, { fsOps: failRename(3) });
    const after = statSync(dockerfile);
    expect(after.atimeMs).toBe(accessed.getTime());
    expect(after.mtimeMs).toBe(OLD_TIME.getTime());
  });

  it('a created directory someone else removed meanwhile is no failure of the undo', async () => {
    const root = project();
    const fsOps = hookCall('rename', (n, [, to]) => {
      if (n === 4) {
        rmSync(path.join(root, 'lib'), { recursive: true });
        throw errnoError('EACCES', 'rename', to);
      }
    });
    expect((await failure(root, { fsOps })).message).toBe('could not write lib/my_app/release.ex: permission denied (EACCES); nothing was changed');
  });
});

describe('symlinks that cannot be followed', () => {
  it('a link that loops is reported as broken', async () => {
    const root = project();
    symlinkSync('loop-b', path.join(root, 'loop-a'));
    symlinkSync('loop-a', path.join(root, 'loop-b'));
    const error = await commitFiles(root, [rendered('loop-a/x', 'x\n')], { policy: 'force', dryRun: false }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('loop-a is a broken symlink; fix or remove it so loop-a/x can be written, then re-run');
  });

  it('any other failure to resolve a link is reported with its reason', async () => {
    const root = project();
    mkdirSync(path.join(root, 'real'));
    symlinkSync('real', path.join(root, 'rel-link'));
    const fsOps = hookCall('realpath', (_n, [p]) => {
      if (p.endsWith('rel-link')) throw errnoError('EACCES', 'realpath', p);
    });
    const error = await commitFiles(root, [rendered('rel-link/x', 'x\n')], { policy: 'force', dryRun: false, fsOps }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CreateReleaseError);
    expect((error as Error).message).toBe('could not read rel-link: permission denied (EACCES)');
  });
});

function execChown(file: string, id: number): void {
  chownSync(file, id, id);
}
