// Loaded only for interactive runs: inquirer costs start-up time a --yes run should not pay.
import { checkbox, confirm, expand, select } from '@inquirer/prompts';
import { InterruptedError } from './errors.js';
import type { Prompter } from './options.js';

function interruptible<T>(ask: () => Promise<T>): Promise<T> {
  return ask().catch((error: unknown) => {
    // inquirer rejects with ExitPromptError on Ctrl-C and AbortPromptError on our signal.
    if (error instanceof Error && /ExitPromptError|AbortPromptError/.test(error.name)) throw new InterruptedError();
    throw error;
  });
}

/** The terminal the questions are asked on: the process's own unless a test passes streams. */
export interface PromptStreams {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

export async function createInquirerPrompter(signal: AbortSignal, show: (text: string) => void, streams: PromptStreams = {}): Promise<Prompter> {
  const context = { signal, ...streams };
  return {
    confirm: (message, defaultValue) => interruptible(() => confirm({ message, default: defaultValue }, context)),
    select: (message, choices) =>
      interruptible(() => select({ message, choices: choices.map((value) => ({ value })) }, context)),
    checkbox: (message, choices) => interruptible(() => checkbox({ message, choices }, context)),
    async conflict(file) {
      for (;;) {
        const answer = await interruptible(() =>
          expand(
            {
              message: `${file.path} differs from what create-release would write. Overwrite?`,
              default: 'y',
              choices: [
                { key: 'y', name: 'overwrite this file', value: 'overwrite' },
                { key: 'n', name: 'skip this file (keep yours)', value: 'skip' },
                { key: 'd', name: 'show the differences', value: 'diff' },
                { key: 'a', name: 'overwrite this and all remaining files', value: 'all' },
                { key: 'q', name: 'quit without writing anything', value: 'quit' },
              ] as const,
            },
            context,
          ),
        );
        if (answer !== 'diff') return answer;
        show(file.diff);
      }
    },
  };
}
