import { CreateReleaseError } from './errors.js';
import type { Options, Prompter } from './options.js';
import type { Answers, ProjectFacts } from './types.js';

type AnswerInput = Pick<Options, 'ecto' | 'docker' | 'release' | 'patchRuntime' | 'yes'>;

/** Each answer comes from its flag, else a prompt (interactive runs only), else the detected default. */
export async function decideAnswers(
  facts: ProjectFacts,
  options: AnswerInput,
  prompter: Prompter | undefined,
  runtimeNeedsPatch: boolean,
): Promise<Answers> {
  const release = options.release ?? (await chooseRelease(facts, prompter));
  if (!releaseNames(facts).includes(release)) {
    throw new CreateReleaseError(
      `mix.exs declares no release named "${release}"; choose one of: ${releaseNames(facts).join(', ')}`,
    );
  }
  const ecto =
    options.ecto ?? (prompter ? await prompter.confirm('Add database migration support (Ecto)?', facts.ecto) : facts.ecto);
  const docker =
    options.docker ?? (prompter ? await prompter.confirm('Add a production Dockerfile and .dockerignore?', false) : false);
  const patchRuntime =
    options.patchRuntime ??
    (runtimeNeedsPatch && prompter
      ? await prompter.confirm('config/runtime.exs does not start the web server when PHX_SERVER is set. Add that block?', true)
      : options.yes);
  return { release, ecto, docker, patchRuntime };
}

function releaseNames(facts: ProjectFacts): string[] {
  return facts.releases.length > 0 ? facts.releases.map((r) => r.name) : [facts.app];
}

async function chooseRelease(facts: ProjectFacts, prompter: Prompter | undefined): Promise<string> {
  const names = releaseNames(facts);
  if (names.length === 1) return names[0]!;
  if (prompter) return prompter.select('mix.exs declares several releases. Which one should bin/server start?', names);
  throw new CreateReleaseError(
    `mix.exs declares several releases (${names.join(', ')}); pick one with --release <name>`,
  );
}

/** The command line that repeats an interactive run without questions. */
export function equivalentCommand(options: Pick<Options, 'dir'>, answers: Answers, facts: ProjectFacts): string {
  const parts = ['npx create-release'];
  if (options.dir !== '.') parts.push(quoteArg(options.dir));
  if (facts.releases.length > 1) parts.push(`--release ${answers.release}`);
  parts.push(answers.ecto ? '--ecto' : '--no-ecto');
  parts.push(answers.docker ? '--docker' : '--no-docker');
  parts.push(answers.patchRuntime ? '--patch-runtime' : '--no-patch-runtime');
  parts.push('--yes');
  return parts.join(' ');
}

function quoteArg(arg: string): string {
  return /^[\w./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
