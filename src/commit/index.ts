import type { RenderedFile, WriteResult } from '../types.js';
import { classifyFiles, settleConflicts, type AskConflict, type PlannedFile } from './conflicts.js';
import { withFsOps, type FsOps } from './fs-ops.js';
import { resolveTargets } from './paths.js';
import { throwIfAborted, writeFilesAtomically, type WriteItem } from './transaction.js';

export { ConflictError, type AskConflict, type ConflictAnswer } from './conflicts.js';
export { formatDiff } from './diff.js';
export type { FsOps } from './fs-ops.js';

export interface CommitOptions {
  /** What to do with an existing file whose content differs: `--force`, `--skip`, a prompt, or stop. */
  policy: 'force' | 'skip' | 'ask' | 'fail';
  /** Report the statuses (with diffs) and touch nothing, not even directories. */
  dryRun: boolean;
  /** Asked once per conflicting file, in order, when `policy` is `ask`. */
  askConflict?: AskConflict;
  /** Ctrl-C: aborting it at a prompt or between files leaves the project as it was. */
  signal?: AbortSignal;
  /** Replaces some file-system calls (tests inject failures here). */
  fsOps?: Partial<FsOps>;
  /** ANSI colors in the diffs. */
  color?: boolean;
}

const WRITTEN = new Set(['create', 'overwrite', 'patch']);

/**
 * Writes the rendered files into the project at `root`, all or nothing: paths are checked, every
 * conflict is settled, and only then is anything written. Throws CreateReleaseError (exit 1) with
 * the project unchanged, ConflictError when `policy` is `fail` and files differ, and
 * InterruptedError (exit 130) on 'quit' or an abort.
 */
export async function commitFiles(root: string, files: RenderedFile[], options: CommitOptions): Promise<WriteResult[]> {
  const fs = withFsOps(options.fsOps);
  throwIfAborted(options.signal);
  const targets = await resolveTargets(root, files.map((f) => f.path), fs);
  const planned = await classifyFiles(files, targets, fs);
  await settleConflicts(planned, options);
  throwIfAborted(options.signal);
  if (!options.dryRun) {
    await writeFilesAtomically(planned.filter((p) => WRITTEN.has(p.status)).map(toWriteItem), fs, options.signal);
  }
  return planned.map(toResult);
}

function toWriteItem(p: PlannedFile): WriteItem {
  // A patched file is the user's own: it keeps the mode they gave it.
  const mode = p.status === 'patch' && p.previous ? p.previous.mode : p.file.mode;
  return { path: p.file.path, absolute: p.target.absolute, missingDirs: p.target.missingDirs, bytes: p.bytes, mode, previous: p.previous };
}

function toResult(p: PlannedFile): WriteResult {
  const result: WriteResult = { path: p.file.path, status: p.status };
  if (p.status === 'keep') result.note = p.file.keep ?? 'it already starts the release the same way';
  if (p.diff !== undefined) result.diff = p.diff;
  // An identical file is left alone, mode included: say when a script lost its exec bits.
  const wantsExec = (p.file.mode & 0o111) !== 0;
  if (p.status === 'identical' && wantsExec && p.previous && (p.previous.mode & 0o111) === 0) result.notExecutable = true;
  return result;
}
