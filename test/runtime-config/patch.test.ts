import { describe, expect, it } from 'vitest';
import { firstErrorNode, parseElixir } from '../../src/inspect/elixir-parser.js';
import { checkRuntimeConfig, planRuntimeConfig } from '../../src/runtime-config/index.js';
import {
  insertedText,
  parseWithElixir,
  runtimeInput,
  serverWithElixir,
  type RuntimeNames,
  readConfigWithElixir,
  readFixture,
  runElixirTests,
} from './helpers.js';

const BLOCK = 'if System.get_env("PHX_SERVER") do\n  config :my_app, MyAppWeb.Endpoint, server: true\nend';
const helloElixir = { app: 'hello_elixir', namespace: 'HelloElixir' };
const toCrlf = (text: string) => text.replaceAll('\n', '\r\n');

// Every file that lacks the block, with what must sit right before the inserted text.
const patchable: Array<{ name: string; source: string; facts?: RuntimeNames; before: string }> = [
  { name: 'phoenix-1.6.0', source: readFixture('phoenix-1.6.0-postgres.exs'), facts: helloElixir, before: 'import Config\n' },
  { name: 'phoenix-1.6.0-crlf', source: toCrlf(readFixture('phoenix-1.6.0-postgres.exs')), facts: helloElixir, before: 'import Config\r\n' },
  { name: 'block-commented-out', source: readFixture('block-commented-out.exs'), before: 'import Config\n' },
  { name: 'only-in-strings', source: readFixture('only-in-strings.exs'), before: 'import Config\n' },
  { name: 'import-not-first', source: readFixture('import-not-first.exs'), before: 'end\n\nimport Config\n' },
  { name: 'no-import', source: readFixture('no-import.exs'), before: 'yet.\n\nimport Config\n' },
  { name: 'empty', source: '', before: 'import Config\n' },
  { name: 'heredoc-on-import-line', source: readFixture('heredoc-on-import-line.exs'), before: '  """\n' },
  { name: 'use-mix-config', source: readFixture('use-mix-config.exs'), before: 'use Mix.Config\n' },
  { name: 'import-without-newline', source: 'import Config', before: 'import Config\n' },
  { name: 'non-ascii-before-import', source: '# Configuración ☕ 🎉 für Ümlaute\nimport Config\n# done\n', before: 'import Config\n' },
];

async function patchOf(source: string | null, overrides: RuntimeNames = {}) {
  return (await planRuntimeConfig(runtimeInput(source, overrides))).patch;
}

describe('planRuntimeConfig inserts the PHX_SERVER block', () => {
  it.each(patchable)('$name: one insertion, every other byte kept', async ({ source, facts, before }) => {
    const patched = await patchOf(source, facts);
    expect(patched).toMatchObject({ path: 'config/runtime.exs', mode: 0o644, patch: true });
    const inserted = insertedText(source, patched!.content);
    expect(inserted).not.toBeNull();
    const eol = source.includes('\r\n') ? '\r\n' : '\n';
    const block = (facts ? BLOCK.replaceAll('my_app', 'hello_elixir').replaceAll('MyAppWeb', 'HelloElixirWeb') : BLOCK).replaceAll(
      '\n',
      eol,
    );
    expect(inserted).toContain(block);
    // Right after the anchor line, with a blank line on each side.
    const at = patched!.content.indexOf(block);
    expect(patched!.content.slice(0, at).endsWith(before + eol)).toBe(true);
    const after = patched!.content.slice(at + block.length);
    expect(after === eol || after.startsWith(eol + eol)).toBe(true);
  });

  it.each(patchable)('$name: the result parses and patching it again changes nothing', async ({ source, facts }) => {
    const patched = await patchOf(source, facts);
    const tree = await parseElixir(patched!.content);
    expect(firstErrorNode(tree.rootNode)).toBeNull();
    tree.delete();
    expect(await patchOf(patched!.content, facts)).toBeNull();
  });

  it('keeps a CRLF file CRLF throughout', async () => {
    const patched = await patchOf(toCrlf(readFixture('phoenix-1.6.0-postgres.exs')), helloElixir);
    expect(patched!.content).toContain('\r\nif System.get_env("PHX_SERVER") do\r\n');
    expect(patched!.content).not.toMatch(/[^\r]\n/);
  });

  it('writes exactly the canonical file when runtime.exs is empty', async () => {
    expect((await patchOf(''))!.content).toBe(`import Config\n\n${BLOCK}\n`);
  });

  it('adds `import Config` after the leading comments of a file that has none', async () => {
    const patched = await patchOf(readFixture('no-import.exs'));
    expect(patched!.content).toBe(
      '# Runtime configuration for my_app.\n# Nothing is read at runtime yet.\n\n' +
        `import Config\n\n${BLOCK}\n\nIO.puts("loading runtime configuration")\n`,
    );
  });
});

describe('planRuntimeConfig leaves alone', () => {
  it.each([
    ['Phoenix 1.7', 'phoenix-1.7-postgres.exs', {}],
    ['Phoenix 1.7 with SQLite', 'phoenix-1.7-sqlite.exs', { app: 'notes', namespace: 'Notes' }],
    ['Phoenix 1.6.3+ (`PHX_SERVER && RELEASE_NAME`)', 'phoenix-1.6.6-postgres.exs', { app: 'shop', namespace: 'Shop' }],
  ])('a file that already serves on PHX_SERVER: %s', async (_, fixture, names) => {
    const plan = await planRuntimeConfig(runtimeInput(readFixture(fixture), names));
    expect(plan).toMatchObject({ patch: null, serverEnv: [{ name: 'PHX_SERVER', value: 'true' }] });
  });

  it('a file with a syntax error, whatever it lacks', async () => {
    expect(await patchOf(readFixture('syntax-error.exs'))).toBeNull();
  });

  it('a project without Phoenix', async () => {
    expect(await patchOf(readFixture('phoenix-1.6.0-postgres.exs'), { phoenix: false })).toBeNull();
    expect(await patchOf(null, { phoenix: false })).toBeNull();
  });

  it('a project whose release is configured by config/releases.exs (runtime.exs would take its place)', async () => {
    expect(await patchOf(null, { releasesExs: true })).toBeNull();
  });
});

describe('planRuntimeConfig without config/runtime.exs', () => {
  it('creates a minimal one (a new file, not a patch)', async () => {
    expect(await patchOf(null)).toEqual({
      path: 'config/runtime.exs',
      content: `import Config\n\n${BLOCK}\n`,
      mode: 0o644,
      patch: false,
    });
  });

  it('uses the web app of an umbrella', async () => {
    const created = await patchOf(null, { endpoints: [{ module: 'AcmeWeb.Endpoint', otpApp: 'acme_web' }] });
    expect(created!.content).toContain('  config :acme_web, AcmeWeb.Endpoint, server: true\n');
  });
});

describe.runIf(runElixirTests)('patched files, read by Elixir', () => {
  it('every patched and created file parses with Elixir', async () => {
    const outputs: Record<string, string> = {};
    for (const { name, source, facts } of patchable) outputs[name] = (await patchOf(source, facts))!.content;
    outputs.created = (await patchOf(null))!.content;
    const verdicts = parseWithElixir(outputs);
    expect(Object.keys(verdicts).sort()).toEqual(Object.keys(outputs).sort());
    for (const [name, verdict] of Object.entries(verdicts)) expect({ name, parses: verdict.parses, detail: verdict.detail }).toMatchObject({ name, parses: true });
  });

  it('the syntax-error fixture is really broken for Elixir too', () => {
    expect(parseWithElixir({ broken: readFixture('syntax-error.exs') }).broken?.parses).toBe(false);
  });

  it('starts the endpoint only when PHX_SERVER is set (Config.Reader on the patched Phoenix 1.6.0 file)', async () => {
    const patched = (await patchOf(readFixture('phoenix-1.6.0-postgres.exs'), helloElixir))!.content;
    expect(readConfigWithElixir(patched, { PHX_SERVER: 'true' })).toContain('{HelloElixirWeb.Endpoint, [server: true]}');
    expect(readConfigWithElixir(patched, {})).not.toContain('server: true');
  });
});

// `server:` as Config.Reader leaves it: the last setting that runs wins.
describe('planRuntimeConfig reads where server: really ends up', () => {
  const plan = (source: string, names: RuntimeNames = {}) => planRuntimeConfig(runtimeInput(source, names));
  const ownSwitch = `import Config

config :my_app, MyAppWeb.Endpoint, url: [host: "localhost"]

if config_env() == :prod do
  config :my_app, MyAppWeb.Endpoint,
    http: [port: 4000],
    server: System.get_env("START_ENDPOINT") == "yes"
end
`;
  const overriddenLater = `import Config

if System.get_env("PHX_SERVER") do
  config :my_app, MyAppWeb.Endpoint, server: true
end

if config_env() == :prod do
  config :my_app, MyAppWeb.Endpoint, server: false
end
`;

  it('respects a switch the project already has: no patch, bin/server sets that variable', async () => {
    expect(await plan(ownSwitch)).toEqual({
      patch: null,
      serverEnv: [{ name: 'START_ENDPOINT', value: 'yes' }],
      ownSwitches: [{ endpoint: 'MyAppWeb.Endpoint', env: [{ name: 'START_ENDPOINT', value: 'yes' }], line: 6 }],
    });
  });

  it.each([
    ['truthy', 'server: System.get_env("SERVE") != nil', { name: 'SERVE', value: 'true' }],
    ['a list', 'server: System.get_env("SERVE") in ~w(1 true)', { name: 'SERVE', value: '1' }],
    ['an if', 'server: true\nif System.get_env("WEB") do\n  config :my_app, MyAppWeb.Endpoint, server: true\nend', null],
  ])('reads a switch written as %s', async (_what, code, env) => {
    const result = await plan(`import Config\n\nconfig :my_app, MyAppWeb.Endpoint, ${code}\n`);
    if (env) expect(result.serverEnv).toEqual([env]);
    // `server: true` always serves; a later conditional true changes nothing: no variable is needed.
    else expect(result).toMatchObject({ patch: null, ownSwitches: [{ env: [{ name: 'WEB', value: 'true' }] }] });
  });

  it('puts the block after a later setting that would override it', async () => {
    const patched = (await plan(overriddenLater)).patch!.content;
    expect(patched.endsWith('server: false\nend\n\nif System.get_env("PHX_SERVER") do\n  config :my_app, MyAppWeb.Endpoint, server: true\nend\n')).toBe(true);
    // And again: now the last setting is the block, so nothing more is needed.
    expect((await plan(patched)).patch).toBeNull();
  });

  it('sees a PHX_SERVER block a later setting overrides as absent, and says so', async () => {
    const [server] = await checkRuntimeConfig(runtimeInput(overriddenLater));
    expect(server?.message).toMatch(/^config\/runtime.exs sets server: for MyAppWeb.Endpoint at line 8, which overrides any PHX_SERVER block above it/);
  });

  it('ignores settings that never run in prod, and treats an unknown condition as an override', async () => {
    const devOnly = 'import Config\n\nif config_env() == :dev do\n  config :my_app, MyAppWeb.Endpoint, server: false\nend\n';
    expect((await plan(devOnly)).patch!.content).toContain('import Config\n\nif System.get_env("PHX_SERVER") do');
    const unknown = 'import Config\n\nif File.exists?("x") do\n  config :my_app, MyAppWeb.Endpoint, server: true\nend\n';
    expect((await plan(unknown)).patch!.content.endsWith('end\n\nif System.get_env("PHX_SERVER") do\n  config :my_app, MyAppWeb.Endpoint, server: true\nend\n')).toBe(true);
  });

  it.runIf(runElixirTests)('Config.Reader agrees: the endpoint serves exactly when bin/server runs', async () => {
    const serves = (source: string, env: Record<string, string>) => serverWithElixir(source, env) === 'true';
    // The project's own switch, untouched.
    expect(serves(ownSwitch, { START_ENDPOINT: 'yes' })).toBe(true);
    expect(serves(ownSwitch, {})).toBe(false);
    // A block near the top loses to the later server: false; the planned one wins.
    expect(serves(overriddenLater, { PHX_SERVER: 'true' })).toBe(false);
    const patched = (await plan(overriddenLater)).patch!.content;
    expect(serves(patched, { PHX_SERVER: 'true' })).toBe(true);
    expect(serves(patched, {})).toBe(false);
  });
});
