import path from 'node:path';
import type { Stats } from 'node:fs';
import { CreateReleaseError } from '../errors.js';
import { describeFsError, errorCode, type FsOps } from './fs-ops.js';

/** Where one file will land, checked to be inside the project. */
export interface ResolvedTarget {
  /** The project-relative path as planned; used in every message. */
  path: string;
  /** Absolute path to write, with the symlinks inside the project followed. */
  absolute: string;
  /** Directories that do not exist yet and must be created, shallowest first. */
  missingDirs: string[];
  /** The existing regular file at `absolute`, or null when there is none. */
  stats: Stats | null;
}

/**
 * Resolves every planned path against the real project root, refusing any that would write
 * outside it (`..`, absolute paths, symlinks leading out), through a file where a directory is
 * needed, or onto a directory. Nothing is created: this runs before any write.
 */
export async function resolveTargets(root: string, paths: string[], fs: FsOps): Promise<ResolvedTarget[]> {
  const realRoot = await resolveRoot(root, fs);
  // Looked up side by side (each is only lstat/realpath); the first problem in plan order is reported.
  const settled = await Promise.allSettled(paths.map((rel) => resolveTarget(realRoot, rel, fs)));
  const seen = new Map<string, string>();
  const targets: ResolvedTarget[] = [];
  for (const [i, rel] of paths.entries()) {
    const result = settled[i]!;
    if (result.status === 'rejected') throw result.reason;
    const target = result.value;
    const other = seen.get(target.absolute);
    if (other !== undefined) {
      throw new CreateReleaseError(`${other} and ${rel} are the same file (through a symlink); remove the link and re-run`);
    }
    seen.set(target.absolute, rel);
    targets.push(target);
  }
  return targets;
}

async function resolveRoot(root: string, fs: FsOps): Promise<string> {
  try {
    return await fs.realpath(root);
  } catch (error) {
    throw new CreateReleaseError(`cannot open the project directory ${root}: ${describeFsError(error)}`, { cause: error });
  }
}

async function resolveTarget(realRoot: string, rel: string, fs: FsOps): Promise<ResolvedTarget> {
  const parts = splitRelative(rel);
  const name = parts.pop() as string;
  let dir = realRoot;
  const missingDirs: string[] = [];
  for (const [i, part] of parts.entries()) {
    const next = path.join(dir, part);
    const shown = parts.slice(0, i + 1).join('/');
    const stats = missingDirs.length > 0 ? null : await lstatOrNull(next, shown, fs);
    if (stats === null) {
      missingDirs.push(next);
      dir = next;
    } else if (stats.isSymbolicLink()) {
      dir = await followLink(realRoot, next, shown, rel, fs);
      if (!(await fs.stat(dir)).isDirectory()) throw fileInTheWay(shown, rel);
    } else if (stats.isDirectory()) {
      dir = next;
    } else {
      throw fileInTheWay(shown, rel);
    }
  }
  let absolute = path.join(dir, name);
  if (missingDirs.length > 0) return { path: rel, absolute, missingDirs, stats: null };
  let stats = await lstatOrNull(absolute, rel, fs);
  if (stats?.isSymbolicLink()) {
    absolute = await followLink(realRoot, absolute, rel, rel, fs);
    stats = await fs.stat(absolute);
  }
  if (stats?.isDirectory()) {
    throw new CreateReleaseError(`${rel} is a directory; move it away so the file can be written there, then re-run`);
  }
  if (stats && !stats.isFile()) {
    throw new CreateReleaseError(`${rel} exists and is not a regular file; move it away, then re-run`);
  }
  return { path: rel, absolute, missingDirs, stats };
}

/** Splits a planned POSIX path into components, refusing any that is not inside the project. */
function splitRelative(rel: string): string[] {
  if (rel === '' || path.posix.isAbsolute(rel) || path.win32.isAbsolute(rel)) {
    throw new CreateReleaseError(`refusing to write "${rel}": only paths relative to the project can be written`);
  }
  const normal = path.posix.normalize(rel);
  if (normal === '..' || normal.startsWith('../')) {
    throw new CreateReleaseError(`refusing to write ${rel}: it is outside the project`);
  }
  if (normal === '.' || normal.endsWith('/')) {
    throw new CreateReleaseError(`refusing to write ${rel}: it names a directory, not a file`);
  }
  return normal.split('/');
}

/** The real path a symlink leads to, when it stays inside the project. */
async function followLink(realRoot: string, link: string, shown: string, rel: string, fs: FsOps): Promise<string> {
  let real: string;
  try {
    real = await fs.realpath(link);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ELOOP') {
      throw new CreateReleaseError(`${shown} is a broken symlink; fix or remove it so ${rel} can be written, then re-run`, { cause: error });
    }
    throw new CreateReleaseError(`could not read ${shown}: ${describeFsError(error)}`, { cause: error });
  }
  if (!isInside(realRoot, real)) {
    throw new CreateReleaseError(
      `refusing to write ${rel}: ${shown} is a symlink to ${real}, outside the project; replace the link with a real directory or file, then re-run`,
    );
  }
  return real;
}

function isInside(realRoot: string, candidate: string): boolean {
  const rel = path.relative(realRoot, candidate);
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

async function lstatOrNull(absolute: string, shown: string, fs: FsOps): Promise<Stats | null> {
  try {
    return await fs.lstat(absolute);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw new CreateReleaseError(`could not read ${shown}: ${describeFsError(error)}`, { cause: error });
  }
}

function fileInTheWay(shown: string, rel: string): CreateReleaseError {
  return new CreateReleaseError(`${shown} is a file; move it away so ${rel} can be written inside it as a directory, then re-run`);
}
