// run() driven below the CLI: an Io that keeps what the run prints, a scripted Prompter, and
// Options with the CLI's defaults, so the pipeline, the report and the summary are unit-tested
// without a child process (and can be mutated by Stryker).
import type { Io, Options, Prompter } from '../../src/options.js';

export interface MemoryIo extends Io {
  /** Everything `out` received, joined. */
  text(): string;
  /** The one JSON document `json` received, parsed (throws when there is none). */
  document(): Record<string, unknown>;
}

export function memoryIo(cwd: string, more: Partial<Io> = {}): MemoryIo {
  const out: string[] = [];
  const json: string[] = [];
  return {
    interactive: false,
    color: false,
    env: { PATH: '' },
    cwd,
    out: (text) => out.push(text.endsWith('\n') ? text : `${text}\n`),
    json: (text) => json.push(text),
    text: () => out.join(''),
    document: () => {
      if (json.length !== 1) throw new Error(`expected one JSON document, got ${json.length}`);
      return JSON.parse(json[0]!) as Record<string, unknown>;
    },
    ...more,
  };
}

/** The options the CLI builds when given no flags (except those in `more`). */
export function optionsOf(more: Partial<Options> = {}): Options {
  return { dir: '.', offline: true, yes: true, force: false, skip: false, dryRun: false, json: false, ...more };
}

/** A Prompter answering from a script, recording each question. */
export function scriptedPrompter(answers: {
  confirm?: (message: string, defaultValue: boolean) => boolean;
  select?: (message: string, choices: string[]) => string;
  checkbox?: (message: string, choices: string[]) => string[];
  conflict?: (file: { path: string; diff: string }) => 'overwrite' | 'skip' | 'all' | 'quit';
}): Prompter & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    confirm: async (message, defaultValue) => {
      asked.push(message);
      return answers.confirm ? answers.confirm(message, defaultValue) : defaultValue;
    },
    select: async (message, choices) => {
      asked.push(message);
      return answers.select ? answers.select(message, choices) : choices[0]!;
    },
    checkbox: async <T extends string>(message: string, choices: Array<{ value: T; name: string }>) => {
      asked.push(message);
      const values = choices.map((c) => c.value);
      const picked = answers.checkbox ? answers.checkbox(message, values) : [];
      for (const v of picked) if (!values.includes(v as T)) throw new Error(`scripted checkbox: ${v} is not among ${values.join(', ')}`);
      return picked as T[];
    },
    conflict: async (file) => {
      asked.push(`conflict ${file.path}`);
      return answers.conflict ? answers.conflict(file) : 'skip';
    },
  };
}
