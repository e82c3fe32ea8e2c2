import pc from 'picocolors';
import { equivalentCommand } from './answers.js';
import type { Io, Options } from './options.js';
import { formatReading, type Reading } from './reading.js';
import { formatAdvice, formatStatusLines, formatSummary, type NextCommand } from './summary.js';
import type { Target } from './target.js';
import type { DeployValues } from './deploy/values.js';
import type { ProductionValues } from './production/values.js';
import type { PlannedEdit } from './production/user-edits.js';
import type { PatchAdvice } from './runtime-config/patch-result.js';
import type { Answers, FileStatus, ImageChoice, RuntimeAdvice, WriteResult } from './types.js';

/** Everything a finished run tells the user. */
export interface RunOutcome {
  target: Target;
  reading: Reading;
  answers: Answers;
  image: ImageChoice | null;
  /** What the user should know about the images and the Docker build. */
  warnings: string[];
  results: WriteResult[];
  advice: RuntimeAdvice[];
  /** Edits of the user's files that could not be made, each with its snippet. */
  editAdvice: PatchAdvice[];
  /** The edits the run could have made but was not asked to (or was told not to). */
  unappliedEdits: PlannedEdit[];
  /** --no-patch-runtime was given: the user knows; no suggestion to run again. */
  patchDeclined: boolean;
  commands: NextCommand[];
  /** Port, health paths, drain and grace: what deploy files are built from. */
  production: ProductionValues;
  /** The platform files' values (name, grace, variables), null when no platform was asked. */
  deploy: DeployValues | null;
  /** The production flags that repeat this run's answers. */
  flags: string[];
}

/**
 * Prints what was read, before any question: the block, then what could not be read. Under
 * --json both go into the document instead.
 */
export function reportReading(reading: Reading, warnings: string[], options: Pick<Options, 'json'>, io: Io): void {
  if (options.json) return;
  const paint = painter(io.color);
  io.out(formatReading(reading));
  for (const w of warnings) io.out(`${paint.warn('warning:')} ${w}`);
  if (warnings.length > 0) io.out('');
}

/** Prints the outcome: one JSON document under --json, else statuses, notes and the summary. */
export function reportOutcome(outcome: RunOutcome, options: Pick<Options, 'json' | 'dryRun' | 'dir' | 'name'>, io: Io): void {
  const { target, reading, answers, image, warnings, results, advice, commands } = outcome;
  const { facts } = target;
  if (options.json) {
    const edits = outcome.editAdvice;
    const document = { read: reading, facts, answers, production: outcome.production, deploy: outcome.deploy, image, files: results, warnings: [...facts.warnings, ...warnings], advice, edits, next: commands };
    io.json(JSON.stringify(document, null, 2));
    return;
  }
  const paint = painter(io.color);
  io.out(formatStatusLines(results, paint.status));
  for (const r of results) if (options.dryRun && r.diff) io.out(r.diff);
  for (const note of image?.notes ?? []) io.out(note);
  for (const w of [...warnings, ...modeWarnings(results)]) io.out(`${paint.warn('warning:')} ${w}`);
  if (advice.length > 0) io.out(`\n${formatAdvice(advice)}`);
  for (const e of outcome.editAdvice) io.out(`${e.message}\n\n${e.snippet.replace(/^(?=.)/gm, '    ')}\n`);
  if (outcome.unappliedEdits.length > 0) {
    const gap = outcome.editAdvice.length > 0 ? '\n' : '';
    io.out(`${gap}${formatUnappliedEdits(outcome.unappliedEdits, outcome.patchDeclined)}`);
  }
  if (options.dryRun) {
    const conflicts = results.filter((r) => r.status === 'conflict').map((r) => r.path);
    const next =
      conflicts.length > 0
        ? `${conflicts.join(', ')} ${conflicts.length === 1 ? 'differs' : 'differ'} from what create-release writes: run again with --force to overwrite or --skip to keep ${conflicts.length === 1 ? 'it' : 'them'}.`
        : 'Run again without --dry-run to apply these changes.';
    io.out(`\nDry run: nothing was written. ${next}`);
    return;
  }
  io.out(`\n${formatSummary(commands)}`);
  if (io.prompter) {
    // Answers given at conflict prompts become --skip (any file kept) or --force (any overwritten).
    const statuses = new Set(results.map((r) => r.status));
    const conflicts = statuses.has('skip') ? 'skip' : statuses.has('overwrite') ? 'force' : null;
    io.out(`To do the same again without questions:\n\n    ${equivalentCommand(options, answers, facts, conflicts, outcome.flags)}\n`);
  }
}

function formatUnappliedEdits(edits: PlannedEdit[], declined: boolean): string {
  const head = declined
    ? 'These edits were not made (--no-patch-runtime); to make them by hand:'
    : 'Run again with --patch-runtime (or --yes) to have create-release make these edits, or make them by hand:';
  const items = edits.map((e) => `  - ${e.file}: ${e.what}${e.snippet ? `\n\n${e.snippet.replace(/^(?=.)/gm, '      ')}\n` : ''}`);
  return `${head}\n${items.join('\n').trimEnd()}\n`;
}

/** A script that lost its exec bit (a zip, a Windows checkout) would make the release fail to start it. */
function modeWarnings(results: WriteResult[]): string[] {
  return results
    .filter((r) => r.notExecutable)
    .map((r) => `${r.path} is not executable: run chmod +x ${r.path}, or the release cannot start it`);
}

function painter(color: boolean) {
  const c = pc.createColors(color);
  const byStatus: Record<FileStatus, (s: string) => string> = {
    create: c.green,
    identical: c.cyan,
    keep: c.cyan,
    overwrite: c.yellow,
    skip: c.yellow,
    conflict: c.red,
    patch: c.green,
  };
  return { status: (status: FileStatus, text: string) => byStatus[status](text), warn: c.yellow };
}
