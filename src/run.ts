import path from 'node:path';
import { decideAnswers, decideTarget } from './answers.js';
import { commitFiles } from './commit/index.js';
import { inspectProject } from './inspect/index.js';
import { inspectLayout } from './inspect/layout.js';
import type { Io, Options } from './options.js';
import { planFiles } from './plan.js';
import { renderFiles } from './render.js';
import { checkRuntimeConfig, patchRuntimeConfig } from './runtime-config/index.js';
import { reportOutcome } from './report.js';
import { nextCommands } from './summary.js';
import type { ImageChoice, ProjectFacts, RenderedFile, WriteResult } from './types.js';

// Only the Dockerfile looks at the layout; without --docker it is not read.
const NO_DOCKER_LAYOUT = {
  mixLock: false,
  configExs: false,
  prodConfig: false,
  priv: false,
  assetsDir: null,
  assetsPackageJson: false,
  assetsPackageLock: false,
};

/** One run of create-release: inspect → answer → plan → render → commit → report. */
export async function run(options: Options, io: Io): Promise<void> {
  // The release (and an umbrella's web app) first: every later step looks at the project through it.
  const target = await decideTarget(await inspectProject(path.resolve(io.cwd, options.dir)), options, io.prompter);
  const { facts } = target;
  const runtimePatch = await patchRuntimeConfig(facts);
  const answers = await decideAnswers(target, options, io.prompter, runtimePatch !== null);
  const image = answers.docker ? await chooseImages(facts, options, io) : null;

  const layout = answers.docker ? await inspectLayout(facts, answers.app) : null;
  const files = await renderFiles(planFiles(facts, answers, image, layout ?? NO_DOCKER_LAYOUT), {
    overridesDir: path.join(facts.root, '.create-release', 'templates'),
  });
  if (runtimePatch && answers.patchRuntime) files.push(runtimePatch);

  const results = await commitFiles(facts.root, files, {
    policy: options.force ? 'force' : options.skip ? 'skip' : io.prompter ? 'ask' : 'fail',
    dryRun: options.dryRun,
    askConflict: io.prompter?.conflict,
    signal: io.signal,
    color: io.color,
  });

  reportOutcome(
    {
      facts,
      answers,
      image,
      results,
      advice: await checkRuntimeConfig(factsAfterWrite(facts, files, results)),
      unappliedPatch: runtimePatch && !answers.patchRuntime && options.patchRuntime === undefined ? runtimePatch : null,
      commands: nextCommands(facts, answers),
    },
    options,
    io,
  );
}

async function chooseImages(facts: ProjectFacts, options: Options, io: Io): Promise<ImageChoice> {
  const [{ detectToolchain }, images] = await Promise.all([import('./inspect/toolchain.js'), import('./images/index.js')]);
  const toolchain = await detectToolchain(facts.root, io.env);
  const wanted = images.resolveWantedVersions({
    elixirFlag: options.elixir,
    otpFlag: options.otp,
    toolchain,
    elixirRequirement: facts.elixirRequirement,
  });
  const choice = await images.chooseImage({
    elixir: wanted.elixir,
    otp: wanted.otp,
    elixirRequirement: facts.elixirRequirement,
    offline: options.offline,
    bobUrl: io.env.CREATE_RELEASE_BOB_URL || 'https://bob.hex.pm',
    env: io.env,
    signal: io.signal,
  });
  return { ...choice, warnings: [...wanted.warnings, ...choice.warnings] };
}

/** The runtime.exs checks look at the file as the run left it. */
function factsAfterWrite(facts: ProjectFacts, files: RenderedFile[], results: WriteResult[]): ProjectFacts {
  const runtime = files.find((f) => f.path === 'config/runtime.exs');
  const written = results.find((r) => r.path === 'config/runtime.exs');
  if (!runtime || !written || !['create', 'patch', 'overwrite'].includes(written.status)) return facts;
  return { ...facts, runtimeExs: runtime.content };
}
