// The command line as values: argv to Options, and a failure to the line the user reads and the
// exit code. No process access here (src/cli.ts passes what it reads from process), so unit tests
// call these directly.
import { inspect } from 'node:util';
import yargs from 'yargs';
import pc from 'picocolors';
import { ConflictError } from './commit/index.js';
import { CreateReleaseError, UsageError } from './errors.js';
import type { Options } from './options.js';
import { DEFAULT_EPMD_LESS_PORT } from './production/values.js';
import { checkedName, DEPLOY_TARGETS, type DeployTarget } from './deploy/targets.js';

export interface ParseContext {
  /** Printed by --version. */
  version: string;
  /** The terminal's width, for --help (0 when not a terminal). */
  columns: number;
}

/** The flags as yargs knows them; `getHelp()` gives the text --help prints. */
export function commandLine(argv: string[], context: ParseContext) {
  return yargs(argv)
    .scriptName('create-release')
    .usage('$0 [dir]\n\nMake a Mix project (usually Phoenix) deployable as an Elixir release.')
    .option('docker', { type: 'boolean', describe: 'Also write a production Dockerfile and .dockerignore' })
    .option('ecto', { type: 'boolean', describe: 'Write the migration script and release module (default: detected)' })
    .option('patch-runtime', { type: 'boolean', describe: 'Edit your own files where needed: config/runtime.exs, the endpoint, force_ssl, .gitignore (default: ask)' })
    .option('health', { type: 'boolean', describe: 'Write a health-check plug (/health, /health/ready) and wire it in the endpoint' })
    .option('drain', { type: 'number', describe: 'Seconds in-flight requests get to finish on shutdown (default 25)' })
    .option('cluster', { type: 'boolean', describe: 'Name the node for clustering in rel/env.sh.eex (default: on with dns_cluster)' })
    .option('epmd-less', { type: 'string', describe: 'Distribution on one fixed port without epmd (default port 6789)' })
    .option('deploy', { type: 'string', describe: `Platform files to write: ${DEPLOY_TARGETS.join(', ')} (repeat, or separate with commas; implies --docker)` })
    .option('name', { type: 'string', describe: "The app's name on the platform (default: the release name, with - for _)" })
    .option('release', { type: 'string', describe: 'Which release of mix.exs the scripts start' })
    .option('app', { type: 'string', describe: 'Umbrella: which web app to serve' })
    .option('elixir', { type: 'string', describe: 'Elixir version for the Docker image' })
    .option('otp', { type: 'string', describe: 'Erlang/OTP version for the Docker image' })
    .option('offline', { type: 'boolean', default: false, describe: 'Make no network request' })
    .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Accept detected defaults; never prompt' })
    .option('force', { type: 'boolean', default: false, describe: 'Overwrite files whose content differs' })
    .option('skip', { type: 'boolean', default: false, describe: 'Keep files whose content differs' })
    .option('dry-run', { type: 'boolean', default: false, describe: 'Show what would change, write nothing' })
    .option('json', { type: 'boolean', default: false, describe: 'Print a machine-readable result on stdout' })
    .strictOptions()
    .help('help')
    .alias('help', 'h')
    .version('version', 'Show the version', context.version)
    .alias('version', 'v')
    .wrap(Math.min(100, context.columns || 80))
    .fail((message, error) => {
      throw error instanceof CreateReleaseError ? error : new UsageError(message || String(error));
    });
}

/** Throws UsageError (exit 2) for flags that are unknown, malformed or contradict each other. */
export function parseOptions(argv: string[], context: ParseContext): Options {
  const args = commandLine(argv, context).parseSync();

  if (args.force && args.skip) throw new UsageError('--force and --skip contradict each other: pass one of them');
  const deploy = parseDeploy(args.deploy as string | string[] | boolean | undefined);
  if (deploy?.length && args.docker === false) {
    throw new UsageError(`--deploy ${deploy.join(',')} runs the image the Dockerfile builds: drop --no-docker`);
  }
  if (args.name !== undefined && !deploy?.length) throw new UsageError('--name names the app on a platform: add --deploy <target>');
  if (args.name !== undefined) checkedName(args.name);
  const positional = args._.map(String);
  if (positional.length > 1) throw new UsageError(`expected at most one directory, got: ${positional.join(' ')}`);
  return {
    dir: positional[0] ?? '.',
    docker: args.docker,
    ecto: args.ecto,
    patchRuntime: args.patchRuntime,
    health: args.health,
    drain: parseDrain(args.drain),
    cluster: args.cluster,
    epmdLess: parseEpmdLess(args.epmdLess as string | false | undefined),
    deploy,
    name: args.name,
    release: args.release,
    app: args.app,
    elixir: args.elixir,
    otp: args.otp,
    offline: args.offline,
    yes: args.yes,
    force: args.force,
    skip: args.skip,
    dryRun: args.dryRun,
    json: args.json,
  };
}

export function parseDrain(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > 3600) {
    throw new UsageError(`--drain takes whole seconds from 1 to 3600, got ${value}`);
  }
  return value;
}

/** `--deploy fly --deploy compose`, `--deploy fly,compose`; `--no-deploy` is none. */
export function parseDeploy(value: string | string[] | boolean | undefined): DeployTarget[] | undefined {
  if (value === undefined) return undefined;
  if (value === false) return [];
  const names = [value].flat().flatMap((v) => String(v).split(',')).map((v) => v.trim().toLowerCase());
  const unknown = names.filter((n) => !(DEPLOY_TARGETS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    const what = unknown.filter(Boolean).length > 0 ? `unknown target ${unknown.filter(Boolean).join(', ')}` : 'a target is missing';
    throw new UsageError(`--deploy: ${what}; choose from ${DEPLOY_TARGETS.join(', ')}`);
  }
  return [...new Set(names as DeployTarget[])];
}

/** A string flag: `--epmd-less` alone is '', `--no-epmd-less` false. */
export function parseEpmdLess(value: string | false | undefined): number | false | undefined {
  if (value === undefined) return undefined;
  if (value === false) return false;
  if (value === '') return DEFAULT_EPMD_LESS_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(String(value)) || port < 1024 || port > 65535) {
    throw new UsageError(`--epmd-less takes a port from 1024 to 65535, got ${value} (write --epmd-less=<port>, or --epmd-less after the directory)`);
  }
  return port;
}

/** Where a failure is told: the CLI passes stderr, DEBUG and whether stderr takes colour. */
export interface ErrorSink {
  write(text: string): void;
  /** DEBUG is set: the whole error, stack included, goes out first. */
  debug: boolean;
  color: boolean;
}

/** Tells the user what failed in one line and returns the exit code (1, 2 or 130). */
export function reportError(error: unknown, sink: ErrorSink): number {
  if (sink.debug) sink.write(`${inspect(error)}\n`);
  const red = pc.createColors(sink.color).red;
  if (error instanceof CreateReleaseError) {
    const hint = error instanceof UsageError ? ' (see create-release --help)' : '';
    sink.write(`${red('error:')} ${error.message}${hint}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  sink.write(`${red('error:')} unexpected failure: ${message} (set DEBUG=1 for details; the project was not changed)\n`);
  return 1;
}

/** The failure as the --json document's `error` field. */
export function describeFailure(error: unknown, exitCode: number): { message: string; exitCode: number; conflicts?: string[] } {
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof ConflictError ? { message, exitCode, conflicts: error.paths } : { message, exitCode };
}
