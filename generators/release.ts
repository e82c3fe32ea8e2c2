// Overlay scripts that start the release (and run migrations), and the Release module behind
// `bin/migrate`: what `mix phx.gen.release` writes.
import { addFile, type GeneratorDefinition } from './types.js';

const SCRIPT = { mode: 0o755 };
const BATCH = { eol: 'crlf' } as const;

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
    ...(data.unix ? [addFile('rel/overlays/bin/server', 'rel/overlays/bin/server.hbs', SCRIPT)] : []),
    ...(data.windows ? [addFile('rel/overlays/bin/server.bat', 'rel/overlays/bin/server.bat.hbs', BATCH)] : []),
    ...(data.ecto ? migrationActions(data.unix, data.windows, data.releaseModulePath) : []),
  ],
};

function migrationActions(unix: boolean, windows: boolean, releaseModulePath: string) {
  return [
    ...(unix ? [addFile('rel/overlays/bin/migrate', 'rel/overlays/bin/migrate.hbs', SCRIPT)] : []),
    ...(windows ? [addFile('rel/overlays/bin/migrate.bat', 'rel/overlays/bin/migrate.bat.hbs', BATCH)] : []),
    addFile(releaseModulePath, 'lib/release.ex.hbs'),
  ];
}
