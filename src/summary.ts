import type { DockerData } from './docker-data.js';
import type { ProductionValues } from './production/values.js';
import type { ServerEnv } from './runtime-config/index.js';
import type { Target } from './target.js';
import { declaredReleasePath, mixReleaseCommand } from './template-data.js';
import type { Answers, FileStatus, ProjectFacts, RuntimeAdvice, WriteResult } from './types.js';

const STATUS_WORDS: Record<FileStatus, string> = {
  create: 'creating',
  identical: 'identical',
  keep: 'keeping',
  overwrite: 'overwriting',
  skip: 'skipping',
  conflict: 'conflict',
  patch: 'patching',
};

/** One Mix-style line per file: `* creating rel/overlays/bin/server`, `* keeping lib/release.ex (why)`. */
export function formatStatusLines(results: WriteResult[], paint: (status: FileStatus, text: string) => string): string {
  return results.map((r) => `${paint(r.status, `* ${STATUS_WORDS[r.status]}`)} ${r.path}${r.note ? ` (${r.note})` : ''}`).join('\n');
}

export function formatAdvice(advice: RuntimeAdvice[]): string {
  return advice.map((a) => `${a.message}\n\n${indent(a.snippet, 4)}\n`).join('\n');
}

/** Where `mix release` assembles the run's release, relative to the project (or absolute). */
export function releaseDirOf(target: Target): string {
  return releaseDir(target.facts, target.release.name);
}

/** Where `mix release` assembles the chosen release, relative to the project (or absolute). */
function releaseDir(facts: Pick<ProjectFacts, 'releases'>, release: string): string {
  return declaredReleasePath(facts, release) || `_build/prod/rel/${release}`;
}

export interface NextCommand {
  comment: string;
  /** A shell command, or the Elixir to add to `file` when that is set. */
  command: string;
  /** Set when `command` is code to add to this file rather than a command to run. */
  file?: string;
}

/** The commands a user runs next, in order; shared by the human summary and --json. */
/** What the Docker lines depend on beyond the answers: the grace period, and git over SSH. */
export interface DockerCommandInput {
  production: Pick<ProductionValues, 'graceSeconds'> | null;
  docker: Pick<DockerData, 'sshHosts'> | null;
}

export function nextCommands(
  target: Target,
  answers: Answers,
  serverEnv: ServerEnv[],
  more: DockerCommandInput = { production: null, docker: null },
): NextCommand[] {
  const { facts } = target;
  const dir = releaseDir(facts, answers.release);
  const bin = `${dir}/bin/${answers.release}`;
  const commands: NextCommand[] = [];
  if (facts.umbrella && facts.releases.length === 0) commands.push(umbrellaReleaseEntry(facts, answers.release));
  commands.push({ comment: 'To build the release', command: `MIX_ENV=prod ${mixReleaseCommand(facts, answers.release)}` });
  const own = serverEnv.filter((e) => e.name !== 'PHX_SERVER');
  if (target.phoenix) {
    const how = own.length > 0 ? ` (bin/server sets ${own.map((e) => `${e.name}=${e.value}`).join(' ')}, which config/runtime.exs reads)` : '';
    commands.push({ comment: `To start your system with the Phoenix server running${how}`, command: `${dir}/bin/server` });
  } else {
    commands.push({ comment: 'To start the application', command: `${dir}/bin/server` });
  }
  if (answers.ecto) commands.push({ comment: 'To run migrations', command: `${dir}/bin/migrate` });
  commands.push(
    { comment: 'Once it runs, to connect to it remotely', command: `${bin} remote` },
    { comment: 'To stop it gracefully (you may also send SIGINT/SIGTERM)', command: `${bin} stop` },
    { comment: 'To list all commands', command: bin },
  );
  if (answers.docker) commands.push(...dockerCommands(target, answers, more.production?.graceSeconds ?? null, more.docker));
  return commands;
}

// An entry of the keyword list project/0 returns sits 6 spaces in, as mix new lays it out.
const ENTRY_INDENT = 6;
const LINE_LENGTH = 98;

/**
 * Mix refuses to build an umbrella release that mix.exs does not declare: the entry to add to
 * project/0, every app of the umbrella started as `mix release` would start a single app.
 */
function umbrellaReleaseEntry(facts: ProjectFacts, release: string): NextCommand {
  const apps = facts.apps.map((a) => `${a.app}: :permanent`);
  const oneLine = `    applications: [${apps.join(', ')}]`;
  const applications =
    ENTRY_INDENT + oneLine.length <= LINE_LENGTH
      ? [oneLine]
      : ['    applications: [', ...apps.map((a, i) => `      ${a}${i < apps.length - 1 ? ',' : ''}`), '    ]'];
  return {
    comment: 'Umbrella projects must declare their releases: add this entry to the list project/0 returns in mix.exs',
    command: ['releases: [', `  ${release}: [`, ...applications, '  ]', ']'].join('\n'),
    file: 'mix.exs',
  };
}

/** phx.new's runtime.exs reads DATABASE_PATH for SQLite and DATABASE_URL for the server databases. */
function databaseEnv(target: Target): string {
  const adapters = target.facts.ectoAdapters;
  const sqliteOnly = adapters.length > 0 && adapters.every((a) => a === 'ecto_sqlite3');
  return sqliteOnly ? `-e DATABASE_PATH=/app/${target.owner.app}.db` : '-e DATABASE_URL="ecto://USER:PASS@HOST/DATABASE"';
}

function dockerCommands(target: Target, answers: Answers, graceSeconds: number | null, docker: Pick<DockerData, 'sshHosts'> | null): NextCommand[] {
  const phoenix = target.phoenix;
  // Only Phoenix reads SECRET_KEY_BASE, PHX_HOST and PORT; a plain app needs none of them.
  const env = phoenix ? ['-e SECRET_KEY_BASE="$(openssl rand -base64 48)"'] : [];
  if (answers.ecto) env.push(databaseEnv(target));
  if (phoenix) env.push('-e PHX_HOST=localhost', '-e PORT=4000');
  // Docker's default of 10 s would kill a release still draining its requests.
  const stop = graceSeconds !== null && phoenix ? ` --stop-timeout ${graceSeconds}` : '';
  const publish = `${stop}${phoenix ? ' -p 4000:4000' : ''}`;
  const args = env.length > 0 ? [...env, answers.release].map((arg) => ` \\\n  ${arg}`).join('') : ` ${answers.release}`;
  return [
    docker?.sshHosts.length
      ? { comment: 'To build the Docker image (your SSH agent fetches the git dependencies)', command: `docker build --ssh default -t ${answers.release} .` }
      : { comment: 'To build the Docker image', command: `docker build -t ${answers.release} .` },
    {
      comment: phoenix
        ? 'To run it (make a secret with `openssl rand -base64 48` or `mix phx.gen.secret`)'
        : 'To run it',
      command: `docker run --rm${publish}${args}`,
    },
  ];
}

export function formatSummary(commands: NextCommand[]): string {
  // An entry without a command is a note.
  const body = commands.map((c) => `    # ${c.comment}${c.command ? `\n${indent(c.command, 4)}` : ''}`).join('\n\n');
  return `Your application is ready to be deployed in a release!\n\n${body}\n`;
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join('\n');
}
