import type { DeployTarget } from './deploy/targets.js';

/** What the command line asked for. `undefined` means "not given": decide by prompt or default. */
export interface Options {
  /** The project directory (absolute or relative to the cwd the CLI was started in). */
  dir: string;
  docker?: boolean;
  ecto?: boolean;
  patchRuntime?: boolean;
  /** Health plug and its wiring (`--health`/`--no-health`). */
  health?: boolean;
  /** The shutdown drain budget in seconds (`--drain`). */
  drain?: number;
  /** Node naming in rel/env.sh.eex (`--cluster`/`--no-cluster`). */
  cluster?: boolean;
  /** `--epmd-less[=<port>]`: the fixed distribution port; false for `--no-epmd-less`. */
  epmdLess?: number | false;
  /** `--deploy <target>` (repeatable): the platforms to write files for; [] for `--no-deploy`. */
  deploy?: DeployTarget[];
  /** `--name`: the app's name on the platforms (default: the release's, as a DNS label). */
  name?: string;
  release?: string;
  app?: string;
  elixir?: string;
  otp?: string;
  offline: boolean;
  yes: boolean;
  force: boolean;
  skip: boolean;
  dryRun: boolean;
  json: boolean;
}

/** The questions a run may ask; the CLI backs them with inquirer, tests with scripted answers. */
export interface Prompter {
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
  select(message: string, choices: string[]): Promise<string>;
  /** Any number of the choices (none checked to begin with). */
  checkbox<T extends string>(message: string, choices: Array<{ value: T; name: string }>): Promise<T[]>;
  /** A file differs from what we would write: overwrite, skip, all, or quit (after any diffs). */
  conflict(file: { path: string; diff: string }): Promise<'overwrite' | 'skip' | 'all' | 'quit'>;
}

/** The outside world as a run sees it. Only src/cli.ts builds one from `process`. */
export interface Io {
  /** stdin and stdout are terminals and --yes was not given. */
  interactive: boolean;
  color: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Human-readable text (to stderr under --json). */
  out(text: string): void;
  /** The JSON document under --json. */
  json(text: string): void;
  prompter?: Prompter;
  signal?: AbortSignal;
}
