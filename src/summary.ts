import type { Answers, FileStatus, ProjectFacts, RuntimeAdvice, WriteResult } from './types.js';

const STATUS_WORDS: Record<FileStatus, string> = {
  create: 'creating',
  identical: 'identical',
  overwrite: 'overwriting',
  skip: 'skipping',
  conflict: 'conflict',
  patch: 'patching',
};

/** One Mix-style line per file: `* creating rel/overlays/bin/server`. */
export function formatStatusLines(results: WriteResult[], paint: (status: FileStatus, text: string) => string): string {
  return results.map((r) => `${paint(r.status, `* ${STATUS_WORDS[r.status]}`)} ${r.path}`).join('\n');
}

export function formatAdvice(advice: RuntimeAdvice[]): string {
  return advice.map((a) => `${a.message}\n\n${indent(a.snippet, 4)}\n`).join('\n');
}

/** Where `mix release` assembles the chosen release, relative to the project. */
export function releaseDir(facts: Pick<ProjectFacts, 'releases'>, release: string): string {
  const declared = facts.releases.find((r) => r.name === release);
  return declared?.path ?? `_build/prod/rel/${release}`;
}

export interface NextCommand {
  comment: string;
  command: string;
}

/** The commands a user runs next, in order; shared by the human summary and --json. */
export function nextCommands(facts: ProjectFacts, answers: Answers): NextCommand[] {
  const dir = releaseDir(facts, answers.release);
  const bin = `${dir}/bin/${answers.release}`;
  const commands: NextCommand[] = [{ comment: 'To build the release', command: 'MIX_ENV=prod mix release' }];
  if (facts.phoenix) {
    commands.push({ comment: 'To start your system with the Phoenix server running', command: `${dir}/bin/server` });
  } else {
    commands.push({ comment: 'To start your system', command: `${dir}/bin/server` });
  }
  if (answers.ecto) commands.push({ comment: 'To run migrations', command: `${dir}/bin/migrate` });
  commands.push(
    { comment: 'Once it runs, to connect to it remotely', command: `${bin} remote` },
    { comment: 'To stop it gracefully (you may also send SIGINT/SIGTERM)', command: `${bin} stop` },
    { comment: 'To list all commands', command: bin },
  );
  if (answers.docker) commands.push(...dockerCommands(facts, answers));
  return commands;
}

function dockerCommands(facts: ProjectFacts, answers: Answers): NextCommand[] {
  const env = ['-e SECRET_KEY_BASE="$(openssl rand -base64 48)"'];
  if (answers.ecto) env.push('-e DATABASE_URL="ecto://USER:PASS@HOST/DATABASE"');
  if (facts.phoenix) env.push('-e PHX_HOST=localhost', '-e PORT=4000');
  const publish = facts.phoenix ? ' -p 4000:4000' : '';
  return [
    { comment: 'To build the Docker image', command: `docker build -t ${answers.release} .` },
    {
      comment: 'To run it (make a secret with `openssl rand -base64 48` or `mix phx.gen.secret`)',
      command: `docker run --rm${publish} \\\n  ${env.join(' \\\n  ')} \\\n  ${answers.release}`,
    },
  ];
}

export function formatSummary(commands: NextCommand[]): string {
  const body = commands.map((c) => `    # ${c.comment}\n${indent(c.command, 4)}`).join('\n\n');
  return `Your application is ready to be deployed in a release!\n\n${body}\n`;
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join('\n');
}
