// For plain plop users: `plop --plopfile <create-release>/plopfile.js --dest my_app release`.
// create-release itself never loads this file (nor node-plop): it reads the generators directly.
// Plop knows nothing about the project, so this adapter asks what create-release would detect,
// and checks which files exist (it is the one place here allowed to touch the file system).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ActionType, NodePlopAPI, PromptQuestion } from 'node-plop';
import { templatesDir } from '../src/assets.js';
import { camelize } from '../src/inspect/names.js';
import { defaultRelease, type Target } from '../src/target.js';
import { buildDockerData } from '../src/docker-data.js';
import { buildTemplateData, type PlannedImage } from '../src/template-data.js';
import type { AppFacts, DockerLayout, ProjectFacts } from '../src/types.js';
import { dockerGenerator } from './docker.js';
import { releaseGenerator } from './release.js';
import type { FileAction, GeneratorDefinition } from './types.js';

type PlopAnswers = Record<string, unknown>;

export default function plopfile(plop: NodePlopAPI): void {
  const dest = plop.getDestBasePath();
  plop.setGenerator('release', adapt(releaseGenerator, projectPrompts(dest), dest));
  plop.setGenerator('docker', adapt(dockerGenerator, [...projectPrompts(dest), ...imagePrompts], dest));
}

function adapt(generator: GeneratorDefinition, context: PromptQuestion[], dest: string) {
  return {
    description: generator.description,
    prompts: [...context, ...generator.prompts],
    actions: (answers?: PlopAnswers): ActionType[] => {
      // The docker generator does not ask about Ecto: the release generator's bin/migrate tells.
      const a = { ecto: existsSync(path.join(dest, 'rel/overlays/bin/migrate')), ...answers };
      const phoenix = (a as PlopAnswers).phoenix === true;
      const target = targetFrom(a, dest);
      const image = imageFrom(a);
      const data = buildTemplateData({
        target,
        answers: answersFrom(a),
        image,
        docker: image ? buildDockerData(target, layoutOf(dest)) : null,
        serverEnv: phoenix ? [{ name: 'PHX_SERVER', value: 'true' }] : [],
      });
      // Plop reads no code, so it never finds a release module of the project's own to keep.
      return generator.actions(data).map((action) => toPlopAction(action, { ...data }));
    },
  };
}

function toPlopAction(action: FileAction, data: Record<string, unknown>): ActionType {
  return {
    type: 'add',
    path: action.path,
    // Absolute, so plop does not resolve it against the current directory.
    templateFile: path.join(templatesDir(), action.templateFile.replace(/^templates\//, '')),
    data,
    abortOnFail: true,
    // Plop has no line-ending option; its exec bit comes from the template file's own mode.
    transform: (text: string) => (action.eol === 'crlf' ? text.replace(/\r?\n/g, '\r\n') : text),
  };
}

function projectPrompts(dest: string): PromptQuestion[] {
  return [
    {
      type: 'input',
      name: 'app',
      message: 'OTP application name (app: in mix.exs)',
      default: path.basename(dest).replace(/[^a-z0-9_]/gi, '_').toLowerCase(),
      validate: (v: string) => /^[a-z][a-z0-9_]*$/.test(v) || 'Use a lowercase letter, then lowercase letters, digits or _',
    },
    { type: 'input', name: 'release', message: 'Release name', default: (a: PlopAnswers) => a.app },
    { type: 'input', name: 'namespace', message: 'Module namespace', default: (a: PlopAnswers) => camelize(String(a.app)) },
    { type: 'confirm', name: 'phoenix', message: 'Is it a Phoenix app (bin/server sets PHX_SERVER)?', default: true },
  ];
}

const imagePrompts: PromptQuestion[] = [
  { type: 'input', name: 'elixir', message: 'Elixir version (https://hub.docker.com/r/hexpm/elixir/tags)', validate: nonEmpty },
  { type: 'input', name: 'otp', message: 'Erlang/OTP version of that image', validate: nonEmpty },
  {
    type: 'input',
    name: 'debian',
    message: 'Debian snapshot of that image, <codename>-<date> (e.g. trixie-20250908)',
    validate: (v: string) => /^[a-z]+-\d{8}$/.test(v) || 'Write it as <codename>-<YYYYMMDD>',
  },
];

function nonEmpty(v: string): boolean | string {
  return v.trim() !== '' || 'Required';
}

/** Plop knows only what its prompts asked: the target those answers describe. */
function targetFrom(a: PlopAnswers, dest: string): Target {
  const app = String(a.app);
  const namespace = String(a.namespace);
  const appFacts: AppFacts = {
    app,
    dir: '',
    namespace,
    namespaceFrom: { from: 'your answer', guessed: false },
    deps: [],
    version: null,
    elixirRequirement: null,
    application: null,
    hasPackage: false,
    elixircPaths: ['lib'],
    aliases: null,
    depSources: [],
    loadTimeFiles: { files: [], unresolved: [] },
    endpoints: [],
    phoenix: a.phoenix === true,
    releaseTasks: null,
    definedReleaseNames: [],
    repos: [],
    ectoFrom: a.ecto === true ? 'your answer' : null,
  };
  const facts: ProjectFacts = {
    root: dest,
    version: null,
    elixirRequirement: null,
    umbrella: null,
    apps: [appFacts],
    deps: [],
    releases: [],
    defaultRelease: null,
    ectoAdapters: [],
    dnsCluster: false,
    config: { files: [], unresolved: [], missing: [] },
    releasesExs: false,
    runtimeExs: existsSync(path.join(dest, 'config/runtime.exs')) ? '' : null,
    warnings: [],
  };
  const release = defaultRelease(String(a.release));
  return { facts, release, releaseFrom: 'your answer', apps: [appFacts], main: appFacts, endpoints: [], phoenix: appFacts.phoenix, owner: appFacts, ectoFrom: appFacts.ectoFrom };
}

function answersFrom(a: PlopAnswers) {
  return { ecto: a.ecto === true, docker: a.elixir !== undefined, release: String(a.release), patchRuntime: false, deploy: [] };
}

function imageFrom(a: PlopAnswers): PlannedImage | null {
  if (a.elixir === undefined) return null;
  const [codename = '', date = ''] = String(a.debian).split('-');
  const elixir = String(a.elixir).trim();
  const otp = String(a.otp).trim();
  return {
    elixir,
    otp,
    codename,
    date,
    builder: `hexpm/elixir:${elixir}-erlang-${otp}-debian-${codename}-${date}-slim`,
    runner: `debian:${codename}-${date}-slim`,
    source: 'given',
    warnings: [],
  };
}

/** What exists where phx.new puts it: plop reads no config chain, mix.lock or package.json. */
function layoutOf(dest: string): DockerLayout {
  const has = (p: string) => existsSync(path.join(dest, p));
  const existing = (paths: string[]) => paths.filter(has);
  return {
    mixLock: has('mix.lock'),
    lock: [],
    compileConfig: existing(['config/config.exs', 'config/prod.exs']),
    runtimeConfig: existing(['config/runtime.exs']),
    sources: existing(['lib', 'priv']),
    loadTimeFiles: [],
    assets: has('assets')
      ? { dir: 'assets', packageJson: has('assets/package.json'), packageLock: has('assets/package-lock.json'), scripts: {}, depsFromMix: false }
      : null,
    committedStatic: false,
    keyFiles: [],
    contextTruncated: false,
    gitIgnored: [],
  };
}
