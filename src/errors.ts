/**
 * A problem the user can fix. The message is one line that says what is wrong and how to fix it;
 * the CLI prints it without a stack trace and exits with `exitCode`.
 */
export class CreateReleaseError extends Error {
  readonly exitCode: number;

  constructor(message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CreateReleaseError';
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Bad command-line usage (exit 2). */
export class UsageError extends CreateReleaseError {
  constructor(message: string) {
    super(message, { exitCode: 2 });
    this.name = 'UsageError';
  }
}

/** The user interrupted (Ctrl-C, or "quit" at a prompt): exit 130, nothing written. */
export class InterruptedError extends CreateReleaseError {
  constructor(message = 'Interrupted: nothing was written.') {
    super(message, { exitCode: 130 });
    this.name = 'InterruptedError';
  }
}
