import fs from 'node:fs/promises';
import type { Stats } from 'node:fs';

/**
 * Every file-system call commit makes goes through this seam, so a test can make the third
 * rename fail, or abort the run from inside a write, and check that the project is untouched.
 */
export interface FsOps {
  lstat(path: string): Promise<Stats>;
  stat(path: string): Promise<Stats>;
  realpath(path: string): Promise<string>;
  readFile(path: string): Promise<Buffer>;
  /** Must fail when `path` exists (flag `wx`): a temp file never replaces anything. */
  writeFile(path: string, data: Uint8Array, options: { flag: 'wx'; mode: number }): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  chown(path: string, uid: number, gid: number): Promise<void>;
  /** Flushes a file's bytes to the disk. */
  syncFile(path: string): Promise<void>;
  /** Flushes a directory's entries (the names renames put there) to the disk. */
  syncDir(path: string): Promise<void>;
  /** Times in seconds since the epoch, fractional (Dates would lose the sub-millisecond part). */
  utimes(path: string, atime: number, mtime: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Not recursive: commit creates one level at a time to know which directories it made. */
  mkdir(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

export const nodeFsOps: FsOps = {
  lstat: (p) => fs.lstat(p),
  stat: (p) => fs.stat(p),
  realpath: (p) => fs.realpath(p),
  readFile: (p) => fs.readFile(p),
  writeFile: (p, data, options) => fs.writeFile(p, data, options),
  chmod: (p, mode) => fs.chmod(p, mode),
  chown: (p, uid, gid) => fs.chown(p, uid, gid),
  // Windows flushes only a handle open for writing; a directory opens only for reading.
  syncFile: (p) => sync(p, 'r+'),
  syncDir: (p) => sync(p, 'r'),
  utimes: (p, atime, mtime) => fs.utimes(p, atime, mtime),
  rename: (from, to) => fs.rename(from, to),
  mkdir: async (p) => {
    await fs.mkdir(p);
  },
  rmdir: (p) => fs.rmdir(p),
  unlink: (p) => fs.unlink(p),
};

async function sync(p: string, flags: string): Promise<void> {
  const handle = await fs.open(p, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function withFsOps(overrides: Partial<FsOps> | undefined): FsOps {
  return overrides ? { ...nodeFsOps, ...overrides } : nodeFsOps;
}

/** The errno code of a Node system error, e.g. `EACCES`, or undefined. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a parent is not a directory',
  ENAMETOOLONG: 'name too long',
  EEXIST: 'it already exists',
  ENOENT: 'no such file or directory',
  EIO: 'input/output error',
  EBUSY: 'resource busy',
};

/** A short human reason for a failed call: `permission denied (EACCES)`. */
export function describeFsError(error: unknown): string {
  const code = errorCode(error);
  if (code) return `${REASONS[code] ?? 'system error'} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
