import path from 'node:path';
import pc from 'picocolors';
import { decideAnswers, decideTarget, equivalentCommand } from './answers.js';
import { commitFiles } from './commit/index.js';
import { inspectProject } from './inspect/index.js';
import { inspectLayout } from './inspect/layout.js';
import type { Io, Options } from './options.js';
import { planFiles } from './plan.js';
import { renderFiles } from './render.js';
import { checkRuntimeConfig, patchRuntimeConfig } from './runtime-config/index.js';
import { formatAdvice, formatStatusLines, formatSummary, nextCommands } from './summary.js';
import type { FileStatus, ImageChoice, ProjectFacts, RenderedFile, WriteResult } from './types.js';

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

  const layout = answers.docker ? await inspectLayout(facts) : null;
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

  const advice = await checkRuntimeConfig(factsAfterWrite(facts, files, results));
  const warnings = image?.warnings ?? [];
  const commands = nextCommands(facts, answers);

  if (options.json) {
    io.json(JSON.stringify({ facts, answers, image, files: results, warnings, advice, next: commands }, null, 2));
    return;
  }
  const paint = painter(io.color);
  io.out(formatStatusLines(results, paint.status));
  for (const r of results) if (options.dryRun && r.diff) io.out(r.diff);
  for (const note of image?.notes ?? []) io.out(note);
  for (const w of warnings) io.out(`${paint.warn('warning:')} ${w}`);
  if (advice.length > 0) io.out(`\n${formatAdvice(advice)}`);
  if (runtimePatch && !answers.patchRuntime && options.patchRuntime === undefined) {
    io.out(`Run again with --patch-runtime (or --yes) to have create-release add the PHX_SERVER block to ${runtimePatch.path}.\n`);
  }
  if (options.dryRun) {
    io.out('\nDry run: nothing was written. Run again without --dry-run to apply these changes.');
    return;
  }
  io.out(`\n${formatSummary(commands)}`);
  if (io.prompter) {
    // Answers given at conflict prompts become --skip (any file kept) or --force (any overwritten).
    const statuses = new Set(results.map((r) => r.status));
    const conflicts = statuses.has('skip') ? 'skip' : statuses.has('overwrite') ? 'force' : null;
    io.out(`To do the same again without questions:\n\n    ${equivalentCommand(options, answers, facts, conflicts)}\n`);
  }
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

function painter(color: boolean) {
  const c = pc.createColors(color);
  const byStatus: Record<FileStatus, (s: string) => string> = {
    create: c.green,
    identical: c.cyan,
    overwrite: c.yellow,
    skip: c.yellow,
    conflict: c.red,
    patch: c.green,
  };
  return { status: (status: FileStatus, text: string) => byStatus[status](text), warn: c.yellow };
}
