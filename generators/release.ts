// Overlay scripts that start the release (and run migrations), and the Release module behind
// `bin/migrate`: what `mix phx.gen.release` writes. An overlay script that already starts the
// release the same way is kept, and so is the project's own release-tasks module.
import type { TemplateData } from '../src/template-data.js';
import { addFile, type FileAction, type GeneratorDefinition } from './types.js';

export const releaseGenerator: GeneratorDefinition = {
  description: 'Release overlay scripts (bin/server, bin/migrate) and the Release module for migrations',
  prompts: [
    {
      type: 'confirm',
      name: 'ecto',
      message: 'Add bin/migrate and a Release module to run Ecto migrations in the release?',
      default: true,
    },
  ],
  actions: (data) => [
    ...scripts(data, 'server', { command: 'start', env: data.serverEnv }),
    ...(data.ecto ? migrationActions(data) : []),
  ],
};

function migrationActions(data: TemplateData): FileAction[] {
  const migrate = scripts(data, 'migrate', { command: 'eval', expr: `${data.releaseModule}.migrate`, env: [] });
  const keep = data.releaseModuleExists ? `${data.releaseModule} is the project's own, with migrate/0` : undefined;
  return [...migrate, addFile(data.releaseModulePath, 'lib/release.ex.hbs', keep ? { keep } : {})];
}

/** `<overlays>/bin/<name>` and its `.bat` twin, for the executables the release builds. */
function scripts(data: TemplateData, name: string, job: { command: 'start' | 'eval'; expr?: string; env: TemplateData['serverEnv'] }): FileAction[] {
  const path = `${data.overlaysDir}/bin/${name}`;
  const template = `rel/overlays/bin/${name}`;
  return [
    ...(data.unix ? [addFile(path, `${template}.hbs`, { mode: 0o755, sameJob: { shell: 'sh', release: data.release, ...job } })] : []),
    ...(data.windows ? [addFile(`${path}.bat`, `${template}.bat.hbs`, { eol: 'crlf', sameJob: { shell: 'bat', release: data.release, ...job } })] : []),
  ];
}
