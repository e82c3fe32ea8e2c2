import path from 'node:path';
import { CreateReleaseError, InterruptedError } from '../errors.js';
import { describeFsError, errorCode, type FsOps } from './fs-ops.js';

/** What an existing file held before this run, to put it back exactly on failure. */
export interface PreviousFile {
  bytes: Buffer;
  mode: number;
  /** Seconds since the epoch, to put the times back too. */
  atime: number;
  mtime: number;
  /** The owner and group: the file that replaces it keeps them. */
  uid: number;
  gid: number;
}

/** One file to put on disk. */
export interface WriteItem {
  path: string;
  absolute: string;
  missingDirs: string[];
  bytes: Buffer;
  mode: number;
  previous: PreviousFile | null;
}

/**
 * Writes every item or none. First every file goes to a temp file in its own directory, with its
 * mode and the owner of the file it replaces, flushed to the disk (side by side: nothing the user
 * has changes yet); then the temp files are renamed over their targets one by one, and the
 * directories holding the new names are flushed, so a power loss after success cannot leave an
 * empty or missing file. On any failure, or when `signal` aborts between renames, the files
 * replaced so far are put back (bytes, mode, owner, times), the created ones, the temp files and
 * the new directories are removed, and one error says what failed.
 */
export async function writeFilesAtomically(items: WriteItem[], fs: FsOps, signal?: AbortSignal): Promise<void> {
  const createdDirs: string[] = [];
  const written: WriteItem[] = [];
  const staged = new Map<WriteItem, string>();
  let step = '';
  try {
    throwIfAborted(signal);
    for (const item of items) {
      for (const dir of item.missingDirs) {
        if (createdDirs.includes(dir)) continue;
        step = `create the directory ${relativeDir(item, dir)}`;
        if (await makeDir(fs, dir)) createdDirs.push(dir);
      }
    }
    const results = await Promise.allSettled(items.map((item) => stageFile(fs, item.absolute, item.bytes, item.mode, { owner: item.previous, times: null })));
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') staged.set(items[i]!, result.value);
    });
    const failed = results.findIndex((result) => result.status === 'rejected');
    if (failed !== -1) {
      step = `write ${items[failed]!.path}`;
      throw (results[failed] as PromiseRejectedResult).reason;
    }
    for (const item of items) {
      throwIfAborted(signal);
      step = `write ${item.path}`;
      await fs.rename(staged.get(item)!, item.absolute);
      staged.delete(item);
      written.push(item);
    }
    for (const [dir, shown] of directoriesOf(written)) {
      step = `flush ${shown ? `the directory ${shown}` : 'the project directory'} to disk`;
      await syncDir(fs, dir);
    }
    throwIfAborted(signal);
  } catch (error) {
    for (const temp of staged.values()) await fs.unlink(temp).catch(() => undefined);
    const failures = await rollBack(fs, written, createdDirs);
    throw explainFailure(error, step, failures);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError();
}

/** True when this call created the directory (a concurrent creator's is not ours to remove). */
async function makeDir(fs: FsOps, dir: string): Promise<boolean> {
  try {
    await fs.mkdir(dir);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST' && (await fs.stat(dir)).isDirectory()) return false;
    throw error;
  }
}

async function replaceFile(fs: FsOps, target: string, previous: PreviousFile): Promise<void> {
  const temp = await stageFile(fs, target, previous.bytes, previous.mode, { owner: previous, times: previous });
  try {
    await fs.rename(temp, target);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
}

interface Keep {
  /** The file being replaced: a run as root must not hand a user's file to root. */
  owner: Pick<PreviousFile, 'uid' | 'gid'> | null;
  times: Pick<PreviousFile, 'atime' | 'mtime'> | null;
}

/**
 * The bytes in a new temp file beside `target`, with the exact mode (and owner, times), on the
 * disk; returns its path.
 */
async function stageFile(fs: FsOps, target: string, bytes: Buffer, mode: number, keep: Keep): Promise<string> {
  const temp = tempPathFor(target);
  let ours = true;
  try {
    await fs.writeFile(temp, bytes, { flag: 'wx', mode }).catch((error: unknown) => {
      // Someone else's file by that name: never remove it.
      if (errorCode(error) === 'EEXIST') ours = false;
      throw error;
    });
    // Before chmod: a change of owner clears the set-id bits.
    if (keep.owner) await keepOwner(fs, temp, keep.owner);
    // The mode given to writeFile is filtered by the umask; the spec'd mode is exact.
    await fs.chmod(temp, mode);
    if (keep.times) await fs.utimes(temp, keep.times.atime, keep.times.mtime);
    await fs.syncFile(temp);
    return temp;
  } catch (error) {
    if (ours) await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
}

async function keepOwner(fs: FsOps, temp: string, owner: Pick<PreviousFile, 'uid' | 'gid'>): Promise<void> {
  try {
    await fs.chown(temp, owner.uid, owner.gid);
  } catch (error) {
    // Only root may give a file away: anyone else's new file is their own, as their editor's would be.
    if (errorCode(error) !== 'EPERM') throw error;
  }
}

/** Each directory a written file (or a created directory) got its name in, with its project path. */
function directoriesOf(written: WriteItem[]): Map<string, string> {
  const dirs = new Map<string, string>();
  for (const item of written) {
    for (const dir of [path.dirname(item.absolute), ...item.missingDirs.map((d) => path.dirname(d))]) {
      if (!dirs.has(dir)) dirs.set(dir, relativeDir(item, dir));
    }
  }
  return dirs;
}

// Where a directory cannot be opened or flushed (Windows, some network file systems), the
// renames stand as they are: the files themselves were flushed.
const UNSYNCABLE_DIR = new Set(['EISDIR', 'EINVAL', 'ENOTSUP', 'EPERM', 'EACCES', 'EBADF']);

async function syncDir(fs: FsOps, dir: string): Promise<void> {
  try {
    await fs.syncDir(dir);
  } catch (error) {
    if (!UNSYNCABLE_DIR.has(errorCode(error) ?? '')) throw error;
  }
}

export function tempPathFor(target: string): string {
  const random = Math.random().toString(36).slice(2, 10);
  return path.join(path.dirname(target), `.${path.basename(target)}.create-release-${process.pid}-${random}.tmp`);
}

/** Undoes the run in reverse order; returns one description per thing it could not undo. */
async function rollBack(fs: FsOps, written: WriteItem[], createdDirs: string[]): Promise<string[]> {
  const failures: string[] = [];
  for (const item of [...written].reverse()) {
    try {
      if (item.previous) {
        await replaceFile(fs, item.absolute, item.previous);
      } else {
        await fs.unlink(item.absolute);
      }
    } catch (error) {
      failures.push(`${item.path} (${describeFsError(error)})`);
    }
  }
  for (const dir of [...createdDirs].reverse()) {
    try {
      await fs.rmdir(dir);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') failures.push(`${dir} (${describeFsError(error)})`);
    }
  }
  return failures;
}

function explainFailure(error: unknown, step: string, failures: string[]): CreateReleaseError {
  const undone =
    failures.length === 0
      ? 'nothing was changed'
      : `undoing the run also failed for ${failures.join(', ')}: check those by hand (git status)`;
  if (error instanceof InterruptedError) {
    return failures.length === 0 ? error : new InterruptedError(`Interrupted; ${undone}.`);
  }
  return new CreateReleaseError(`could not ${step}: ${describeFsError(error)}; ${undone}`, { cause: error });
}

function relativeDir(item: WriteItem, dir: string): string {
  // item.absolute ends with item.path's components; map the directory back onto them.
  const depth = path.relative(dir, item.absolute).split(path.sep).length;
  return path.posix.normalize(item.path).split('/').slice(0, -depth).join('/');
}
