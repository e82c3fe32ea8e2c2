import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fse from 'fs-extra';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * Every entry under `dir` as `path mode sha256 [mtime]` (links as their target, FIFOs and devices
 * by kind, never read): equal strings, equal trees.
 */
export function snapshotTree(dir: string, withMtimes = false): string {
  // A recursive readdir lists symlinked directories as links and never enters them.
  const entries = readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((rel) => rel.split(path.sep).join('/'));
  return entries
    .sort()
    .map((relPath) => {
      const full = path.join(dir, relPath);
      const st = lstatSync(full);
      const mode = (st.mode & 0o7777).toString(8);
      const mtime = withMtimes ? ` ${st.mtimeMs}` : '';
      if (st.isSymbolicLink()) return `${relPath} link -> ${readlinkSync(full)}`;
      if (st.isDirectory()) return `${relPath}/ ${mode}`;
      if (!st.isFile()) return `${relPath} special ${mode}${mtime}`;
      return `${relPath} ${mode} ${createHash('sha256').update(readFileSync(full)).digest('hex')}${mtime}`;
    })
    .join('\n');
}

/** A fresh copy of a project (a path relative to the repo root) in a temp dir. */
export function copyProject(from: string, name = path.basename(from)): string {
  const target = path.join(mkdtempSync(path.join(os.tmpdir(), 'create-release-test-')), name);
  fse.copySync(path.join(repoRoot, from), target);
  return target;
}
