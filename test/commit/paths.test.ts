import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitFiles } from '../../src/commit/index.js';
import { CreateReleaseError } from '../../src/errors.js';
import type { RenderedFile } from '../../src/types.js';
import { snapshotTree } from '../helpers/tree.js';
import { makeProject, rendered } from './project.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function tempDir(files: Record<string, string> = {}): string {
  const root = makeProject({ 'mix.exs': 'defmodule MyApp.MixProject do\nend\n', ...files });
  roots.push(root);
  return root;
}

/** Runs with a harmless first file, so "nothing written" also means the files before the bad one. */
async function expectRefused(root: string, file: RenderedFile, message: string | RegExp, watched: string[] = []): Promise<void> {
  const before = [root, ...watched].map((dir) => snapshotTree(dir, true));
  const error = await commitFiles(root, [rendered('first/ok', 'ok\n', 0o755), file], { policy: 'force', dryRun: false }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CreateReleaseError);
  expect((error as CreateReleaseError).exitCode).toBe(1);
  if (typeof message === 'string') expect((error as Error).message).toBe(message);
  else expect((error as Error).message).toMatch(message);
  expect([root, ...watched].map((dir) => snapshotTree(dir, true))).toEqual(before);
}

describe('paths that leave the project are refused before anything is written', () => {
  it('../x', async () => {
    const root = tempDir();
    const escape = `../${path.basename(root)}-escape`;
    await expectRefused(root, rendered(escape, 'x'), `refusing to write ${escape}: it is outside the project`);
    expect(existsSync(path.join(root, escape))).toBe(false);
  });

  it('a path that climbs out through the middle', async () => {
    const root = tempDir();
    await expectRefused(root, rendered('rel/../../x', 'x'), 'refusing to write rel/../../x: it is outside the project');
  });

  it('absolute paths, even one inside the project', async () => {
    const root = tempDir();
    await expectRefused(root, rendered('/etc/create-release-test', 'x'), 'refusing to write "/etc/create-release-test": only paths relative to the project can be written');
    await expectRefused(root, rendered(path.join(root, 'x'), 'x'), /only paths relative to the project/);
  });

  it('rel/ a symlink to a directory outside the project', async () => {
    const root = tempDir();
    const outside = mkdtempSync(path.join(os.tmpdir(), 'create-release-outside-'));
    roots.push(outside);
    symlinkSync(outside, path.join(root, 'rel'));
    const error = await commitFiles(root, [rendered('rel/overlays/bin/server', 'x\n', 0o755)], { policy: 'force', dryRun: true }).catch((e: unknown) => e);
    expect((error as Error).message).toContain(`rel is a symlink to ${outside}, outside the project`);
    await expectRefused(root, rendered('rel/overlays/bin/migrate', 'x'), /^refusing to write rel\/overlays\/bin\/migrate: rel is a symlink to .*, outside the project; replace the link/, [outside]);
    expect(snapshotTree(outside)).toBe('');
  });

  it('a target file that is a symlink to a file outside', async () => {
    const root = tempDir();
    const outside = mkdtempSync(path.join(os.tmpdir(), 'create-release-outside-'));
    roots.push(outside);
    writeFileSync(path.join(outside, 'Dockerfile'), 'theirs\n');
    symlinkSync(path.join(outside, 'Dockerfile'), path.join(root, 'Dockerfile'));
    await expectRefused(root, rendered('Dockerfile', 'x'), /^refusing to write Dockerfile: Dockerfile is a symlink to .*outside the project/, [outside]);
  });

  it('a broken symlink', async () => {
    const root = tempDir();
    symlinkSync('nowhere', path.join(root, 'rel'));
    await expectRefused(root, rendered('rel/x', 'x'), 'rel is a broken symlink; fix or remove it so rel/x can be written, then re-run');
  });
});

describe('symlinks inside the project are followed', () => {
  it('rel/ a symlink to a directory inside: written through it, the link kept', async () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'deploy/rel'), { recursive: true });
    symlinkSync('deploy/rel', path.join(root, 'rel'));
    const results = await commitFiles(root, [rendered('rel/overlays/bin/server', 'x\n', 0o755)], { policy: 'fail', dryRun: false });
    expect(results).toEqual([{ path: 'rel/overlays/bin/server', status: 'create' }]);
    expect(readFileSync(path.join(root, 'deploy/rel/overlays/bin/server'), 'utf8')).toBe('x\n');
    expect(readlinkSync(path.join(root, 'rel'))).toBe('deploy/rel');
  });

  it('a target file linked to another file inside: the link stays a link', async () => {
    const root = tempDir({ 'docker/Dockerfile': 'old\n' });
    symlinkSync('docker/Dockerfile', path.join(root, 'Dockerfile'));
    const [result] = await commitFiles(root, [rendered('Dockerfile', 'new\n')], { policy: 'force', dryRun: false });
    expect(result?.status).toBe('overwrite');
    expect(readlinkSync(path.join(root, 'Dockerfile'))).toBe('docker/Dockerfile');
    expect(readFileSync(path.join(root, 'docker/Dockerfile'), 'utf8')).toBe('new\n');
  });

  it('two planned paths that are the same file through a link are refused', async () => {
    const root = tempDir({ 'rel/overlays/bin/server': 'old\n' });
    symlinkSync('server', path.join(root, 'rel/overlays/bin/server.bat'));
    const before = snapshotTree(root, true);
    const files = [rendered('rel/overlays/bin/server', 'sh\n', 0o755), rendered('rel/overlays/bin/server.bat', 'bat\r\n')];
    const error = await commitFiles(root, files, { policy: 'force', dryRun: false }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'rel/overlays/bin/server and rel/overlays/bin/server.bat are the same file (through a symlink); remove the link and re-run',
    );
    expect(snapshotTree(root, true)).toBe(before);
  });

  it('a project root reached through a symlink works', async () => {
    const real = tempDir();
    const link = path.join(mkdtempSync(path.join(os.tmpdir(), 'create-release-link-')), 'app');
    roots.push(path.dirname(link));
    symlinkSync(real, link);
    await commitFiles(link, [rendered('rel/x', 'x\n')], { policy: 'fail', dryRun: false });
    expect(readFileSync(path.join(real, 'rel/x'), 'utf8')).toBe('x\n');
  });
});

describe('something in the way', () => {
  it('a file where a directory must be created', async () => {
    const root = tempDir({ 'rel/overlays': 'not a directory\n' });
    await expectRefused(root, rendered('rel/overlays/bin/migrate', 'x'), 'rel/overlays is a file; move it away so rel/overlays/bin/migrate can be written inside it as a directory, then re-run');
  });

  it('a directory where the file goes', async () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'Dockerfile'));
    await expectRefused(root, rendered('Dockerfile', 'x'), 'Dockerfile is a directory; move it away so the file can be written there, then re-run');
  });

  it('a dry run creates no directory', async () => {
    const root = tempDir();
    const before = snapshotTree(root, true);
    const results = await commitFiles(root, [rendered('rel/overlays/bin/server', 'x\n', 0o755)], { policy: 'fail', dryRun: true });
    expect(results[0]?.status).toBe('create');
    expect(snapshotTree(root, true)).toBe(before);
  });
});
