import type { Stats } from 'node:fs';
import { CreateReleaseError, InterruptedError } from '../errors.js';
import { doesSameJob } from '../same-job.js';
import type { FileStatus, RenderedFile } from '../types.js';
import { formatDiff } from './diff.js';
import { describeFsError, type FsOps } from './fs-ops.js';
import type { ResolvedTarget } from './paths.js';
import { throwIfAborted, type PreviousFile } from './transaction.js';

export type ConflictAnswer = 'overwrite' | 'skip' | 'all' | 'quit';
export type AskConflict = (file: { path: string; diff: string }) => Promise<ConflictAnswer>;

export interface SettleOptions {
  policy: 'force' | 'skip' | 'ask' | 'fail';
  dryRun: boolean;
  askConflict?: AskConflict;
  signal?: AbortSignal;
  color?: boolean;
}

/** A rendered file next to what is on disk, with the status it ends up with. */
export interface PlannedFile {
  file: RenderedFile;
  target: ResolvedTarget;
  bytes: Buffer;
  previous: PreviousFile | null;
  status: FileStatus;
  diff?: string;
}

/** Files that exist and differ, with no `--force`/`--skip` to decide (exit 1, nothing written). */
export class ConflictError extends CreateReleaseError {
  readonly paths: string[];

  constructor(paths: string[]) {
    const them = paths.length === 1 ? 'it' : 'them';
    super(
      [
        `${paths.length === 1 ? 'a file differs' : `${paths.length} files differ`} from what create-release would write:`,
        ...paths.map((p) => `  ${p}`),
        `re-run with --force to overwrite ${them} or --skip to keep yours`,
      ].join('\n'),
    );
    this.name = 'ConflictError';
    this.paths = paths;
  }
}

/** Reads what each target holds and compares it: create, identical, keep, patch or conflict. */
export async function classifyFiles(files: RenderedFile[], targets: ResolvedTarget[], fs: FsOps): Promise<PlannedFile[]> {
  return Promise.all(
    files.map(async (file, i) => {
      const target = targets[i] as ResolvedTarget;
      const bytes = Buffer.from(file.content, 'utf8');
      const previous = target.stats ? await readPrevious(target, target.stats, fs) : null;
      return { file, target, bytes, previous, status: statusOf(file, bytes, previous) };
    }),
  );
}

function statusOf(file: RenderedFile, bytes: Buffer, previous: PreviousFile | null): FileStatus {
  if (previous === null) return 'create';
  if (previous.bytes.equals(bytes)) return 'identical';
  // A patch was computed from the file's current content, so the user has nothing to lose.
  if (file.patch) return 'patch';
  // The project's own version of this file (its release module), or one that does the same job.
  if (file.keep) return 'keep';
  return file.sameJob && doesSameJob(file.sameJob, previous.bytes.toString('utf8')) ? 'keep' : 'conflict';
}

async function readPrevious(target: ResolvedTarget, stats: Stats, fs: FsOps): Promise<PreviousFile> {
  try {
    const bytes = await fs.readFile(target.absolute);
    return { bytes, mode: stats.mode & 0o7777, atime: stats.atimeMs / 1000, mtime: stats.mtimeMs / 1000, uid: stats.uid, gid: stats.gid };
  } catch (error) {
    throw new CreateReleaseError(`could not read ${target.path}: ${describeFsError(error)}`, { cause: error });
  }
}

/**
 * Turns every `conflict` into `overwrite` or `skip`: by policy, or by asking per file in order.
 * A dry run asks nothing and leaves undecided conflicts as `conflict`; it fills `diff` for every
 * file that would change. 'quit' or an abort throws InterruptedError before anything is written.
 */
export async function settleConflicts(planned: PlannedFile[], options: SettleOptions): Promise<void> {
  const color = options.color ?? false;
  const diffOf = (p: PlannedFile) => formatDiff(p.file.path, p.previous?.bytes.toString('utf8') ?? null, p.file.content, color);
  if (options.dryRun) {
    for (const p of planned) {
      if (p.status === 'conflict') p.status = decideByPolicy(options.policy) ?? 'conflict';
      if (!['identical', 'skip', 'keep'].includes(p.status)) p.diff = diffOf(p);
    }
    return;
  }
  const conflicts = planned.filter((p) => p.status === 'conflict');
  if (conflicts.length === 0) return;
  const decided = decideByPolicy(options.policy);
  if (decided) {
    for (const p of conflicts) p.status = decided;
    return;
  }
  if (options.policy === 'fail') throw new ConflictError(conflicts.map((p) => p.file.path));
  if (!options.askConflict) throw new Error("commitFiles: policy 'ask' needs askConflict");
  let overwriteRest = false;
  for (const p of conflicts) {
    throwIfAborted(options.signal);
    const answer = overwriteRest ? 'overwrite' : await askUnlessAborted(options.askConflict, { path: p.file.path, diff: diffOf(p) }, options.signal);
    if (answer === 'quit') throw new InterruptedError();
    if (answer === 'all') overwriteRest = true;
    p.status = answer === 'skip' ? 'skip' : 'overwrite';
  }
}

function decideByPolicy(policy: SettleOptions['policy']): 'overwrite' | 'skip' | null {
  if (policy === 'force') return 'overwrite';
  if (policy === 'skip') return 'skip';
  return null;
}

/** Ctrl-C while a question is open ends the run even if the prompt never settles. */
function askUnlessAborted(ask: AskConflict, file: { path: string; diff: string }, signal?: AbortSignal): Promise<ConflictAnswer> {
  if (!signal) return ask(file);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new InterruptedError());
    signal.addEventListener('abort', onAbort, { once: true });
    ask(file)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}
