// What "an existing file already does the job" means, in one place. An overlay script that
// starts the same release the same way (with the same variables for the server), differing only
// in comments, blank lines, `set -eu`/`@echo off` or quoting, is kept rather than reported as a
// conflict: `mix phx.gen.release` wrote such files, and they work. Anything else that differs
// (a missing `exec`, another release, another command) stays a conflict for the user to settle.
import type { ServerEnv } from './runtime-config/index.js';

/** How a generated overlay script starts the release. */
export interface ScriptJob {
  shell: 'sh' | 'bat';
  release: string;
  /** `start`, or `eval <expr>`. */
  command: 'start' | 'eval';
  /** The expression of `eval` (`MyApp.Release.migrate`). */
  expr?: string;
  /** Variables set before starting (PHX_SERVER=true for bin/server). */
  env: ServerEnv[];
}

/** Whether `existing` (a file's text) does what the generated script with `job` does. */
export function doesSameJob(job: ScriptJob, existing: string): boolean {
  const parsed = job.shell === 'sh' ? readShScript(existing) : readBatScript(existing);
  if (!parsed) return false;
  const wanted = [job.release, job.command, ...(job.expr ? [job.expr] : [])];
  return sameEnv(parsed.env, job.env) && parsed.words.length === wanted.length && parsed.words.every((w, i) => w === wanted[i]);
}

interface ParsedScript {
  env: ServerEnv[];
  /** The release binary's name, then its arguments, unquoted. */
  words: string[];
}

// `cd -P -- "$(dirname -- "$0")"` and the shorter forms that mean the same: go to the script's directory.
const CD_TO_SCRIPT_DIR = /^cd (-P )?(-- )?"\$\(dirname (-- )?"\$0"\)"$/;
const SET_FLAGS = /^set -[euxo]+( pipefail)?$/;
const ASSIGNMENT = /^(?:export )?([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)$/;

/** A POSIX script: a shebang, cd to its own directory, then `exec` of the release with its variables. */
function readShScript(text: string): ParsedScript | null {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (!/^#!\s*\/(usr\/)?bin\/(env\s+)?(sh|bash|dash)\b/.test(lines[0] ?? '')) return null;
  const statements = lines
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !SET_FLAGS.test(line));
  if (statements.length < 2 || !CD_TO_SCRIPT_DIR.test(statements[0]!)) return null;
  const env: ServerEnv[] = [];
  for (const statement of statements.slice(1, -1)) {
    const assignment = ASSIGNMENT.exec(statement);
    if (!assignment || !statement.startsWith('export ')) return null;
    env.push({ name: assignment[1]!, value: unquote(assignment[2]!) });
  }
  // The release must replace the shell (`exec`): otherwise SIGTERM stops the shell, not the VM.
  const words = splitWords(statements[statements.length - 1]!);
  while (words[0] && ASSIGNMENT.test(words[0])) {
    const [, name, value] = ASSIGNMENT.exec(words.shift()!)!;
    env.push({ name: name!, value: unquote(value!) });
  }
  if (words.shift() !== 'exec') return null;
  const binary = words.shift();
  if (!binary?.startsWith('./')) return null;
  return { env, words: [binary.slice(2), ...words] };
}

/** A batch file: `set` lines, then `call "%~dp0\<release>" <args>`. */
function readBatScript(text: string): ParsedScript | null {
  const statements = text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^@?echo off$/i.test(line) && !/^(@?rem(\s|$)|::)/i.test(line));
  const env: ServerEnv[] = [];
  for (const statement of statements.slice(0, -1)) {
    const set = /^set\s+"?([A-Za-z_][A-Za-z0-9_]*)=([^"]*)"?$/i.exec(statement);
    if (!set) return null;
    env.push({ name: set[1]!, value: set[2]! });
  }
  const call = /^call\s+"%~dp0\\{1,2}([^"\\]+)"\s*(.*)$/i.exec(statements[statements.length - 1] ?? '');
  if (!call) return null;
  return { env, words: [call[1]!, ...call[2]!.split(/\s+/).filter(Boolean)] };
}

function splitWords(statement: string): string[] {
  return (statement.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []).map(unquote);
}

function unquote(word: string): string {
  return word.replace(/"([^"]*)"|'([^']*)'/g, (_, double: string | undefined, single: string | undefined) => double ?? single ?? '');
}

function sameEnv(a: ServerEnv[], b: ServerEnv[]): boolean {
  const key = (env: ServerEnv[]) =>
    env
      .map((e) => `${e.name}=${e.value}`)
      .sort()
      .join('\n');
  return key(a) === key(b);
}
