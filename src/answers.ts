import { DEPLOY_TARGET_NAMES, DEPLOY_TARGETS } from './deploy/targets.js';
import type { Options, Prompter } from './options.js';
import { defaultUmbrellaRelease, webAppsInRelease, type Target } from './target.js';
import type { Answers, ProjectFacts } from './types.js';

type AnswerInput = Pick<Options, 'ecto' | 'docker' | 'patchRuntime' | 'yes' | 'deploy'>;

/** What is decided before the production questions: their edits depend on it (compose → .gitignore). */
export type EarlyAnswers = Pick<Answers, 'ecto' | 'docker' | 'deploy'>;

/**
 * Each answer comes from its flag, else a prompt (interactive runs only), else the detected default.
 * `planEdits` asks the questions that decide the edits of the user's files and names the files.
 */
export async function decideAnswers(
  target: Target,
  options: AnswerInput,
  prompter: Prompter | undefined,
  planEdits: (early: EarlyAnswers) => Promise<string[]>,
): Promise<Answers> {
  const detected = target.ectoFrom !== null;
  const ecto = options.ecto ?? (prompter ? await prompter.confirm('Add database migration support (Ecto)?', detected) : detected);
  // Every deploy target runs the Docker image: asking for one is asking for the Dockerfile.
  const docker =
    options.docker ??
    (options.deploy?.length ? true : prompter ? await prompter.confirm('Add a production Dockerfile and .dockerignore?', false) : false);
  const deploy =
    options.deploy ??
    (docker && prompter
      ? await prompter.checkbox(
          'Write deploy files for a platform? (space to pick, enter when done)',
          DEPLOY_TARGETS.map((value) => ({ value, name: DEPLOY_TARGET_NAMES[value] })),
        )
      : []);
  // The production questions come here, after the files' own; then the edits they lead to.
  const edits = await planEdits({ ecto, docker, deploy });
  const patchRuntime =
    options.patchRuntime ??
    (edits.length > 0 && prompter
      ? await prompter.confirm(`Edit ${listFiles(edits)} (each edit keeps the rest of the file as it is)?`, true)
      : options.yes);
  return { release: target.release.name, ecto, docker, deploy, patchRuntime, ...(target.webApp !== undefined ? { app: target.webApp } : {}) };
}

/** The command line that repeats an interactive run without questions. */
export function equivalentCommand(
  options: Pick<Options, 'dir' | 'name'>,
  answers: Answers,
  facts: ProjectFacts,
  conflicts: 'force' | 'skip' | null = null,
  production: string[] = [],
): string {
  const parts = ['npx create-release'];
  if (options.dir !== '.') parts.push(quoteArg(options.dir));
  const undeclared = facts.umbrella !== null && facts.releases.length === 0;
  if (facts.releases.length > 1 || (undeclared && answers.release !== defaultUmbrellaRelease(facts))) {
    parts.push(`--release ${answers.release}`);
  }
  const webApps = webAppsInRelease(facts, answers.release);
  if (facts.umbrella && webApps.length > 1 && answers.app) parts.push(`--app ${answers.app}`);
  parts.push(answers.ecto ? '--ecto' : '--no-ecto');
  parts.push(answers.docker ? '--docker' : '--no-docker');
  for (const target of answers.deploy) parts.push(`--deploy ${target}`);
  if (answers.deploy.length > 0 && options.name !== undefined) parts.push(`--name ${quoteArg(options.name)}`);
  parts.push(...production);
  parts.push(answers.patchRuntime ? '--patch-runtime' : '--no-patch-runtime');
  if (conflicts) parts.push(`--${conflicts}`);
  parts.push('--yes');
  return parts.join(' ');
}

/** The files, once each. */
function listFiles(edits: string[]): string {
  const files = [...new Set(edits)];
  return files.length <= 1 ? (files[0] ?? '') : `${files.slice(0, -1).join(', ')} and ${files[files.length - 1]}`;
}

function quoteArg(arg: string): string {
  return /^[\w./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
