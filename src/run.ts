import path from 'node:path';
import { decideAnswers } from './answers.js';
import { commitFiles } from './commit/index.js';
import { inspectProject } from './inspect/index.js';
import { parseElixir } from './inspect/elixir-parser.js';
import type { Io, Options } from './options.js';
import { planFiles } from './plan.js';
import { buildProductionData, planProduction, type ProductionPlan, productionCommands, productionReadingRows, readProduction } from './production/index.js';
import { describeReading } from './reading.js';
import { renderFiles } from './render.js';
import { reportOutcome, reportReading } from './report.js';
import { checkRuntimeConfig, planRuntimeConfig, runtimeInputOf } from './runtime-config/index.js';
import { nextCommands, releaseDirOf } from './summary.js';
import { decideTarget, type Target } from './target.js';
import type { DeployPlan } from './deploy/index.js';
import type { DockerData } from './docker-data.js';
import type { ImageChoice, RenderedFile, WriteResult } from './types.js';

/** One run of create-release: inspect → target → answer → plan → render → commit → report. */
export async function run(options: Options, io: Io): Promise<void> {
  // The release (and an umbrella's web app) first: every later step looks at the project through it.
  const target = await decideTarget(await inspectProject(path.resolve(io.cwd, options.dir)), options, io.prompter);
  // config/runtime.exs parsed once for both readers.
  const runtimeTree = target.facts.runtimeExs === null ? null : await parseElixir(target.facts.runtimeExs);
  const [runtime, productionReading] = await Promise.all([
    planRuntimeConfig(runtimeInputOf(target, true), runtimeTree ?? undefined),
    readProduction(target, runtimeTree?.rootNode ?? null),
  ]).finally(() => runtimeTree?.delete());
  const reading = describeReading(target, runtime, productionReadingRows(target, productionReading.facts, productionReading.drains));
  reportReading(reading, target.facts.warnings, options, io);

  let production: ProductionPlan | undefined;
  let deploy: DeployPlan | null = null;
  const answers = await decideAnswers(target, options, io.prompter, async (early) => {
    production = await planProduction(target, productionReading, options, io.prompter, runtime);
    if (early.deploy.length > 0) {
      const { planDeploy } = await import('./deploy/index.js');
      deploy = await planDeploy(target, early, production.values, productionReading.facts, options.name);
      production.edits.others.push(...deploy.edits.files);
      production.edits.planned.push(...deploy.edits.planned);
    }
    return production.edits.planned.map((e) => e.file);
  });
  const { edits, values } = production!;
  const deployPlan = deploy as DeployPlan | null;
  const image = answers.docker ? await chooseImages(target, options, io) : null;
  const docker = answers.docker ? await planDocker(target) : null;
  const productionData = buildProductionData(target, productionReading.facts, values, answers.ecto);
  const plan = planFiles({ target, answers, image, docker: docker?.data ?? null, serverEnv: runtime.serverEnv }, productionData);
  const files = await renderFiles([...plan, ...(deployPlan?.files ?? [])], { overridesDir: path.join(target.facts.root, '.create-release', 'templates') });
  const userEdits = [...(edits.runtime ? [edits.runtime] : []), ...edits.others];
  if (answers.patchRuntime) files.push(...userEdits);

  const results = await commitFiles(target.facts.root, files, {
    policy: options.force ? 'force' : options.skip ? 'skip' : io.prompter ? 'ask' : 'fail',
    dryRun: options.dryRun,
    askConflict: io.prompter?.conflict,
    signal: io.signal,
    color: io.color,
  });

  reportOutcome(
    {
      target,
      reading,
      answers,
      image,
      warnings: [...(image?.warnings ?? []), ...(docker?.warnings ?? [])],
      results,
      advice: await checkRuntimeConfig(runtimeInputOf(target, answers.ecto, runtimeAfterWrite(target, files, results))),
      editAdvice: edits.advice,
      unappliedEdits: answers.patchRuntime ? [] : edits.planned,
      patchDeclined: options.patchRuntime === false,
      commands: [
        ...nextCommands(target, answers, runtime.serverEnv, { production: values, docker: docker?.data ?? null }),
        ...productionCommands(target, values, productionReading.facts, releaseDirOf(target)),
        ...(deployPlan?.commands ?? []),
      ],
      production: values,
      deploy: deployPlan?.values ?? null,
      flags: production!.flags,
    },
    options,
    io,
  );
}

/** What the Dockerfile copies and runs, and what Docker cannot build; the layout is read only here. */
async function planDocker(target: Target): Promise<{ data: DockerData; warnings: string[] }> {
  const [{ inspectDockerLayout }, { buildDockerData, dockerWarnings }] = await Promise.all([
    import('./inspect/docker-layout.js'),
    import('./docker-data.js'),
  ]);
  const layout = await inspectDockerLayout(target);
  const data = buildDockerData(target, layout);
  return { data, warnings: dockerWarnings(target, layout, data) };
}

async function chooseImages(target: Target, options: Options, io: Io): Promise<ImageChoice> {
  const { facts } = target;
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
function runtimeAfterWrite(target: Target, files: RenderedFile[], results: WriteResult[]): string | null {
  const runtime = files.find((f) => f.path === 'config/runtime.exs');
  const written = results.find((r) => r.path === 'config/runtime.exs');
  if (!runtime || !written || !['create', 'patch', 'overwrite'].includes(written.status)) return target.facts.runtimeExs;
  return runtime.content;
}
