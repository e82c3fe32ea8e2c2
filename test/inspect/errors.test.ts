import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CreateReleaseError } from '../../src/errors.js';
import { inspectProject } from '../../src/inspect/index.js';
import { runElixirTests } from '../runtime-config/helpers.js';
import { mixExsFor, parseErrorsWithElixir, writeProject } from './helpers.js';

/** The error inspectProject throws for the project, checked to be a one-line CreateReleaseError. */
async function failureOf(root: string): Promise<CreateReleaseError> {
  const error = await inspectProject(root).then(
    () => expect.fail('inspectProject succeeded'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CreateReleaseError);
  const failure = error as CreateReleaseError;
  expect(failure.exitCode).toBe(1);
  expect(failure.message).not.toContain('\n');
  return failure;
}

describe('the project directory', () => {
  it('does not exist', async () => {
    const missing = path.join(writeProject({}), 'nope');
    expect((await failureOf(missing)).message).toBe(
      `directory ${missing} does not exist; pass the directory of your Mix project`,
    );
  });

  it('is a file', async () => {
    const file = path.join(writeProject({ 'mix.exs': mixExsFor(':a') }), 'mix.exs');
    expect((await failureOf(file)).message).toMatch(/is not a directory; pass the directory that holds mix.exs$/);
  });

  it('has no mix.exs', async () => {
    const root = writeProject({ 'README.md': '# not a Mix project' });
    expect((await failureOf(root)).message).toBe(
      `no mix.exs in ${root}: run create-release inside a Mix project, or pass its directory`,
    );
  });

  it('has a directory called mix.exs', async () => {
    const root = writeProject({});
    mkdirSync(path.join(root, 'mix.exs'));
    expect((await failureOf(root)).message).toMatch(/^mix.exs is not a file/);
  });
});

describe('a mix.exs that cannot be read as Elixir', () => {
  it.each([
    ['empty', ''],
    ['blank', '\n  \n\t\n'],
  ])('is %s', async (_what, content) => {
    expect((await failureOf(writeProject({ 'mix.exs': content }))).message).toMatch(/^mix.exs in .* is empty; /);
  });

  it('holds NUL bytes', async () => {
    const root = writeProject({ 'mix.exs': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]) });
    expect((await failureOf(root)).message).toBe('mix.exs is not a text file (it contains NUL bytes); restore the Elixir source');
  });

  it('is not UTF-8', async () => {
    const root = writeProject({ 'mix.exs': Buffer.from('defmodule Caf\xe9 do\nend\n', 'latin1') });
    expect((await failureOf(root)).message).toMatch(/^mix.exs is not a text file \(it is not valid UTF-8\)/);
  });

  it('is over 1 MB, even when it is valid Elixir', async () => {
    const padding = `# ${'x'.repeat(100)}\n`.repeat(11_000);
    const root = writeProject({ 'mix.exs': mixExsFor(':big') + padding });
    expect((await failureOf(root)).message).toBe(
      'mix.exs is 1.1 MB, too large to be a Mix project file (limit 1 MB); check that it is the right file',
    );
  });

  // Where Elixir's own parser reports each error (`Code.string_to_quoted`, line and column), so
  // the message points where `mix` would; an unterminated string is shown where it starts.
  const broken: Array<[string, string, string]> = [
    ['a missing comma', 'defmodule A.MixProject do\n  use Mix.Project\n\n  def project do\n    [\n      app: :a,\n      version: "0.1.0"\n      deps: []\n    ]\n  end\nend\n', 'mix.exs:8:7: syntax error near `deps: []`'],
    ['a missing end', 'defmodule A.MixProject do\n  def project do\n    [app: :a]\nend\n', 'mix.exs:5:1: syntax error: missing "end"'],
    ['a stray bracket', 'defmodule A.MixProject do\n  def project do\n    [app: :a]\n  end\n  )\nend\n', 'mix.exs:5:3: syntax error near `)`'],
    ['an unterminated string', 'defmodule A.MixProject do\n  def project do\n    [app: :a, version: "0.1]\n  end\nend\n', 'mix.exs:3:25: syntax error near `[app: :a, version: "0.1]`'],
    ['a closing bracket too many', 'import Config\n\nif config_env() == :prod do\n  config :a, A.Endpoint,\n    url: [host: "example.com", port: 443]],\n    server: true\nend\n', 'mix.exs:5:42: syntax error near `url: [host: "example.com", port: 443]],`'],
  ];

  it.each(broken)('has %s, and the message names the line and column', async (_what, source, start) => {
    const message = (await failureOf(writeProject({ 'mix.exs': source }))).message;
    expect(message).toBe(`${start}; fix the file so Mix can load it, then run again`);
  });

  it.skipIf(!runElixirTests)('points where Elixir itself reports the error', () => {
    const reported = parseErrorsWithElixir(broken.map(([, source]) => source));
    for (const [i, [what, , start]] of broken.entries()) {
      const [line, column] = /^mix.exs:(\d+):(\d+)/.exec(start)!.slice(1).map(Number);
      const elixir = reported[i]!;
      if (what === 'an unterminated string') {
        // Elixir stops at the end of the file and names the line the string starts on.
        expect(elixir.message, what).toContain(`for string starting at line ${line}`);
      } else {
        expect([elixir.line, elixir.column], what).toEqual([line, column]);
      }
    }
  });
});

describe('the app name', () => {
  it('is missing', async () => {
    const root = writeProject({ 'mix.exs': 'defmodule A.MixProject do\n  use Mix.Project\n  def project, do: [version: "1.0.0"]\nend\n' });
    expect((await failureOf(root)).message).toBe(
      'mix.exs: no `app:` found in project/0; add `app: :my_app` to the keyword list project/0 returns',
    );
  });

  it('is only in a dependency option or the application/0 list', async () => {
    const root = writeProject({
      'mix.exs': `defmodule A.MixProject do
  use Mix.Project
  def project, do: [version: "1.0.0", deps: [{:icons, github: "x/icons", app: false}]]
  def application, do: [mod: {A.Application, []}]
end
`,
    });
    expect((await failureOf(root)).message).toMatch(/^mix.exs: no `app:` found in project\/0/);
  });

  it.each([
    ['a string', 'app: "my_app"'],
    ['an attribute that is never set', 'app: @app'],
    ['a function call', 'app: name()'],
  ])('is %s instead of an atom, and the message shows the line', async (_what, pair) => {
    const root = writeProject({ 'mix.exs': `defmodule A.MixProject do\n  use Mix.Project\n\n  def project do\n    [${pair}]\n  end\nend\n` });
    expect((await failureOf(root)).message).toBe(
      `mix.exs:5: cannot read the app name from \`${pair}\`; write it as an atom (app: :my_app) or a module attribute set to one (@app :my_app)`,
    );
  });

  it.each([
    ['a slash', ':"my/app"'],
    ['dots', ':"../app"'],
    ['a space', ':"my app"'],
    ['a quote', `:"it's"`],
    ['uppercase', ':MyApp'],
    ['a leading digit', ':"2fast"'],
    ['a dash', ':"my-app"'],
  ])('has %s', async (_what, atom) => {
    const name = atom.replace(/^:"?|"$/g, '');
    const message = (await failureOf(writeProject({ 'mix.exs': mixExsFor(atom) }))).message;
    expect(message).toBe(
      `mix.exs: app name ${JSON.stringify(name)} is not valid: Mix requires a lowercase letter followed by lowercase letters, digits or underscores (^[a-z][a-z0-9_]*$); rename the app in mix.exs`,
    );
  });
});

describe('config/config.exs', () => {
  it('sets a namespace that is not a module alias', async () => {
    const root = writeProject({ 'mix.exs': mixExsFor(':shop'), 'config/config.exs': 'import Config\nconfig :shop, namespace: :shop\n' });
    expect((await failureOf(root)).message).toMatch(/^config\/config.exs: namespace ":shop" is not a valid module name/);
  });

  it('does not parse', async () => {
    const root = writeProject({ 'mix.exs': mixExsFor(':shop'), 'config/config.exs': 'import Config\n\nconfig :shop,\n  namespace: Shop]\n' });
    expect((await failureOf(root)).message).toMatch(/^config\/config.exs:4:18: syntax error near `namespace: Shop]`/);
  });
});
