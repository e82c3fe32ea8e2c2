import path from 'node:path';
import { CreateReleaseError } from './errors.js';
import type { Options, Prompter } from './options.js';
import { appsInRelease, webAppsInRelease } from './template-data.js';
import type { Answers, ProjectFacts, UmbrellaApp } from './types.js';

type AnswerInput = Pick<Options, 'ecto' | 'docker' | 'patchRuntime' | 'yes'>;

/** What the run is set up for: the release, and in an umbrella the web app it serves. */
export interface Target {
  /** The facts seen from that choice: in an umbrella, `app`, `namespace`, `webModule`, `phoenix`
   *  and `ecto` are those of the chosen web app and the apps the release holds. */
  facts: ProjectFacts;
  release: string;
  /** The umbrella web app (null when the release holds none); undefined outside umbrellas. */
  app?: string | null;
}

// Release names become atoms and directory names: the same rule as app names.
const RELEASE_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * The release (flag, else a prompt when several, else the only one) and, in an umbrella, the web
 * app among those the release holds (flag, else a prompt when several). Decided first: the
 * runtime.exs check and every later question depend on it.
 */
export async function decideTarget(
  facts: ProjectFacts,
  options: Pick<Options, 'release' | 'app'>,
  prompter: Prompter | undefined,
): Promise<Target> {
  const release = await decideRelease(facts, options.release, prompter);
  if (!facts.umbrella) {
    if (options.app !== undefined && options.app !== facts.app) {
      throw new CreateReleaseError(
        `--app ${options.app}: only umbrella projects have several apps; this project is the app ${facts.app}, so leave --app out`,
      );
    }
    return { facts, release };
  }
  const apps = appsInRelease(facts, release);
  const web = await decideWebApp(facts, apps, release, options.app, prompter);
  const main = web ?? apps.find((a) => a.app === facts.app) ?? apps[0]!;
  return {
    facts: {
      ...facts,
      app: main.app,
      namespace: main.namespace,
      webModule: web?.webModule ?? null,
      phoenix: web !== null,
      ecto: apps.some((a) => a.ecto),
      // The asset aliases that matter are the web app's, where phx.new puts them.
      mixAliases: web ? web.aliases : [],
    },
    release,
    app: web?.app ?? null,
  };
}

/** Each answer comes from its flag, else a prompt (interactive runs only), else the detected default. */
export async function decideAnswers(
  target: Target,
  options: AnswerInput,
  prompter: Prompter | undefined,
  runtimeNeedsPatch: boolean,
): Promise<Answers> {
  const { facts, release } = target;
  const ecto =
    options.ecto ?? (prompter ? await prompter.confirm('Add database migration support (Ecto)?', facts.ecto) : facts.ecto);
  const docker =
    options.docker ?? (prompter ? await prompter.confirm('Add a production Dockerfile and .dockerignore?', false) : false);
  const patchRuntime =
    options.patchRuntime ??
    (runtimeNeedsPatch && prompter
      ? await prompter.confirm('config/runtime.exs does not start the web server when PHX_SERVER is set. Add that block?', true)
      : options.yes);
  return { release, ecto, docker, patchRuntime, ...(target.app !== undefined ? { app: target.app } : {}) };
}

async function decideRelease(facts: ProjectFacts, given: string | undefined, prompter: Prompter | undefined): Promise<string> {
  const names = facts.releases.map((r) => r.name);
  if (names.length === 0 && facts.umbrella) {
    // Mix builds no umbrella release mix.exs does not declare: the summary prints the entry to add.
    const release = given ?? defaultUmbrellaRelease(facts);
    if (!RELEASE_NAME.test(release)) {
      throw new CreateReleaseError(
        `--release ${release}: a release name is an atom; use a lowercase letter, then lowercase letters, digits or _`,
      );
    }
    return release;
  }
  const choices = names.length > 0 ? names : [facts.app];
  const question = 'mix.exs declares several releases. Which one should bin/server start?';
  const release = given ?? (await chooseOne(choices, prompter, question));
  if (release === undefined) {
    throw new CreateReleaseError(`mix.exs declares several releases (${names.join(', ')}); pick one with --release <name>`);
  }
  if (!choices.includes(release)) {
    throw new CreateReleaseError(`mix.exs declares no release named "${release}"; choose one of: ${choices.join(', ')}`);
  }
  return release;
}

/** The umbrella's directory name (`shop_umbrella` → `shop`), as `mix new --umbrella` names it. */
function defaultUmbrellaRelease(facts: ProjectFacts): string {
  const name = path
    .basename(facts.root)
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_umbrella$/, '')
    .replace(/^_+|_+$/g, '');
  return RELEASE_NAME.test(name) ? name : facts.app;
}

async function decideWebApp(
  facts: ProjectFacts,
  apps: UmbrellaApp[],
  release: string,
  given: string | undefined,
  prompter: Prompter | undefined,
): Promise<UmbrellaApp | null> {
  const web = apps.filter((a) => a.webModule !== null);
  if (given !== undefined) return requireWebApp(facts, web, release, given);
  if (web.length <= 1) return web[0] ?? null;
  const names = web.map((a) => a.app);
  const chosen = await chooseOne(names, prompter, 'The umbrella has several web apps. Which one should bin/server serve?');
  if (chosen === undefined) {
    throw new CreateReleaseError(
      `the umbrella has several web apps (${names.join(', ')}); pick the one bin/server serves with --app <name>`,
    );
  }
  return web.find((a) => a.app === chosen)!;
}

function requireWebApp(facts: ProjectFacts, web: UmbrellaApp[], release: string, given: string): UmbrellaApp {
  const found = web.find((a) => a.app === given);
  if (found) return found;
  const all = facts.umbrella?.apps ?? [];
  const app = all.find((a) => a.app === given);
  const choices = web.length > 0 ? `web apps: ${web.map((a) => a.app).join(', ')}` : 'it has none';
  if (!app) {
    throw new CreateReleaseError(
      `--app ${given}: the umbrella has no such app (apps: ${all.map((a) => a.app).join(', ')}); ${choices}`,
    );
  }
  if (app.webModule === null) {
    throw new CreateReleaseError(`--app ${given}: ${app.dir} is not a web app (no endpoint module); ${choices}`);
  }
  throw new CreateReleaseError(
    `--app ${given}: release ${release} does not include it (see its applications: in mix.exs); ${choices}`,
  );
}

/** The only choice, else the prompt's answer, else undefined (several and nobody to ask). */
async function chooseOne(choices: string[], prompter: Prompter | undefined, question: string): Promise<string | undefined> {
  if (choices.length === 1) return choices[0];
  return prompter ? prompter.select(question, choices) : undefined;
}

/** The command line that repeats an interactive run without questions. */
export function equivalentCommand(
  options: Pick<Options, 'dir'>,
  answers: Answers,
  facts: ProjectFacts,
  conflicts: 'force' | 'skip' | null = null,
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
  parts.push(answers.patchRuntime ? '--patch-runtime' : '--no-patch-runtime');
  if (conflicts) parts.push(`--${conflicts}`);
  parts.push('--yes');
  return parts.join(' ');
}

function quoteArg(arg: string): string {
  return /^[\w./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
