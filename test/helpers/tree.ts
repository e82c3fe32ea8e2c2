import { createHash } from 'node:crypto';
import { cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * Every entry under `dir` as `path mode sha256 [mtime]` (links as their target, FIFOs and devices
 * by kind, never read): equal strings, equal trees.
 */
export function snapshotTree(dir: string, withMtimes = false): string {
  const lines: string[] = [];
  (function walk(rel: string) {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const relPath = rel ? `${rel}/${name}` : name;
      const full = path.join(dir, relPath);
      const st = lstatSync(full);
      const mode = (st.mode & 0o7777).toString(8);
      const mtime = withMtimes ? ` ${st.mtimeMs}` : '';
      if (st.isSymbolicLink()) lines.push(`${relPath} link -> ${readlinkSync(full)}`);
      else if (st.isDirectory()) {
        lines.push(`${relPath}/ ${mode}`);
        walk(relPath);
      } else if (!st.isFile()) lines.push(`${relPath} special ${mode}${mtime}`);
      else lines.push(`${relPath} ${mode} ${createHash('sha256').update(readFileSync(full)).digest('hex')}${mtime}`);
    }
  })('');
  return lines.join('\n');
}

/** A fresh copy of a project (a path relative to the repo root) in a temp dir. */
export function copyProject(from: string, name = path.basename(from)): string {
  const target = path.join(mkdtempSync(path.join(os.tmpdir(), 'create-release-test-')), name);
  cpSync(path.join(repoRoot, from), target, { recursive: true });
  return target;
}
