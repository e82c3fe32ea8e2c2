import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectToolchain } from '../../src/inspect/toolchain.js';
import { writeProject } from './helpers.js';

const NO_PATH = { PATH: '' };

describe('version files', () => {
  it('reads .tool-versions, dropping the -otp- suffix from Elixir', async () => {
    const root = writeProject({
      '.tool-versions': '# pinned for CI\nnodejs 20.19.0\nelixir 1.17.3-otp-27 1.16.3-otp-26\nerlang 27.1.2 # latest patch\n',
    });
    expect(await detectToolchain(root, NO_PATH)).toEqual({
      elixir: { version: '1.17.3', source: '.tool-versions' },
      otp: { version: '27.1.2', source: '.tool-versions' },
    });
  });

  it('takes the OTP major from the Elixir build when no erlang is pinned', async () => {
    const root = writeProject({ '.tool-versions': 'elixir 1.17.3-otp-27\n' });
    expect(await detectToolchain(root, NO_PATH)).toEqual({
      elixir: { version: '1.17.3', source: '.tool-versions' },
      otp: { version: '27', source: '.tool-versions (elixir 1.17.3-otp-27)' },
    });
  });

  it('reads the [tools] table of mise.toml and nothing else', async () => {
    const root = writeProject({
      'mise.toml': [
        '[env]',
        'elixir = "0.0.1"',
        '',
        '[tools]',
        'node = "22"',
        'elixir = "1.18.1-otp-27" # the app needs 1.18',
        '"erlang" = \'27.2\'',
        '',
        '[tasks.test]',
        'erlang = "1.0"',
      ].join('\n'),
    });
    expect(await detectToolchain(root, NO_PATH)).toEqual({
      elixir: { version: '1.18.1', source: 'mise.toml' },
      otp: { version: '27.2', source: 'mise.toml' },
    });
  });

  it('reads .mise.toml, with the array and table forms', async () => {
    const root = writeProject({
      '.mise.toml': '[tools]\nelixir = ["1.16.3-otp-26", "1.15"]\nerlang = { version = "26.2.5", postinstall = "true" }\n',
    });
    expect(await detectToolchain(root, NO_PATH)).toEqual({
      elixir: { version: '1.16.3', source: '.mise.toml' },
      otp: { version: '26.2.5', source: '.mise.toml' },
    });
  });

  it('takes each tool from the first source naming a concrete version', async () => {
    const root = writeProject({
      '.tool-versions': 'elixir 1.17.3\nerlang system\n',
      'mise.toml': '[tools]\nelixir = "1.15.0"\nerlang = "latest"\n',
      '.mise.toml': '[tools]\nerlang = "26.1"\n',
    });
    expect(await detectToolchain(root, NO_PATH)).toEqual({
      elixir: { version: '1.17.3', source: '.tool-versions' },
      otp: { version: '26.1', source: '.mise.toml' },
    });
  });

  it('.tool-versions: the first line naming a tool wins, CRLF and comments aside', async () => {
    const root = writeProject({ '.tool-versions': '# elixir 9.9.9\r\nelixir 1.17.3 1.16.0\r\nelixir 1.15.0\r\nerlang 27.1#patched\r\nerlang 26.0\r\n' });
    expect(await detectToolchain(root, NO_PATH)).toEqual({
      elixir: { version: '1.17.3', source: '.tool-versions' },
      otp: { version: '27.1', source: '.tool-versions' },
    });
  });

  it('.tool-versions: a tool with no version on its line is not pinned by it', async () => {
    const root = writeProject({ '.tool-versions': 'elixir\nelixir 1.16.2\n' });
    expect((await detectToolchain(root, NO_PATH)).elixir).toEqual({ version: '1.16.2', source: '.tool-versions' });
  });

  it('mise: a # inside a quoted string is no comment; [ tools ] may be spaced; a commented header is none', async () => {
    const root = writeProject({
      'mise.toml': [
        '# [tools]',
        'elixir = "0.0.1"',
        '[ tools ]',
        'elixir = { postinstall = "echo #1", version = "1.18.1" }',
        "erlang = { postinstall = 'echo #2', version = '27.2' } # a comment",
      ].join('\n'),
    });
    expect(await detectToolchain(root, NO_PATH)).toEqual({
      elixir: { version: '1.18.1', source: 'mise.toml' },
      otp: { version: '27.2', source: 'mise.toml' },
    });
  });

  it('mise: backend prefixes and quoted keys name the same tool; the first entry wins', async () => {
    const root = writeProject({ 'mise.toml': '[tools]\n"asdf:elixir" = "1.17.2"\nelixir = "1.10.0"\ncore/erlang = "26.2"\n' });
    expect(await detectToolchain(root, NO_PATH)).toEqual({
      elixir: { version: '1.17.2', source: 'mise.toml' },
      otp: { version: '26.2', source: 'mise.toml' },
    });
  });

  it('mise: a table with no version, or a value that is no string, pins nothing', async () => {
    const root = writeProject({ 'mise.toml': '[tools]\nelixir = { postinstall = "x" }\nerlang = 27\n' });
    expect(await detectToolchain(root, NO_PATH)).toEqual({ elixir: null, otp: null });
  });

  it('finds nothing without version files or a PATH', async () => {
    expect(await detectToolchain(writeProject({}), {})).toEqual({ elixir: null, otp: null });
  });
});

/** A fake install: `bin/erl` and `bin/elixir` on PATH are links into roots holding the version files. */
function fakeInstall(options: { ertsLink?: boolean; startErlData?: string } = {}): { root: string; bin: string } {
  const root = writeProject({
    'otp/releases/26/OTP_VERSION': '26.2.5.6\n',
    'otp/releases/24/OTP_VERSION': '24.3\n',
    'elixir/lib/elixir/ebin/elixir.app': '{application,elixir,\n  [{description,"elixir"},\n   {vsn,"1.16.3"},\n   {modules,[]}]}.\n',
  });
  if (options.startErlData) writeFileSync(path.join(root, 'otp/releases/start_erl.data'), options.startErlData);
  for (const script of ['otp/bin/erl', 'otp/erts-14.2.5/bin/erl', 'elixir/bin/elixir']) {
    mkdirSync(path.join(root, path.dirname(script)), { recursive: true });
    writeFileSync(path.join(root, script), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  }
  const bin = path.join(root, 'usr-bin');
  mkdirSync(bin);
  symlinkSync(path.join(root, options.ertsLink ? 'otp/erts-14.2.5/bin/erl' : 'otp/bin/erl'), path.join(bin, 'erl'));
  symlinkSync('../elixir/bin/elixir', path.join(bin, 'elixir'));
  return { root, bin };
}

describe('elixir and erl on PATH, read without running them', () => {
  it('follows the links to OTP_VERSION and elixir.app', async () => {
    const { root, bin } = fakeInstall();
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    expect(await detectToolchain(writeProject({}), { PATH: [empty, bin].join(path.delimiter) })).toEqual({
      elixir: { version: '1.16.3', source: `elixir on PATH (${path.join(bin, 'elixir')})` },
      otp: { version: '26.2.5.6', source: `erl on PATH (${path.join(bin, 'erl')})` },
    });
  });

  it('uses start_erl.data for the release directory, and links into erts-*/bin', async () => {
    const { bin } = fakeInstall({ ertsLink: true, startErlData: '12.3 24\n' });
    const toolchain = await detectToolchain(writeProject({}), { PATH: bin });
    expect(toolchain.otp?.version).toBe('24.3');
  });

  it('lets a version file win over PATH', async () => {
    const { bin } = fakeInstall();
    const toolchain = await detectToolchain(writeProject({ '.tool-versions': 'erlang 27.0\n' }), { PATH: bin });
    expect(toolchain).toEqual({
      elixir: { version: '1.16.3', source: `elixir on PATH (${path.join(bin, 'elixir')})` },
      otp: { version: '27.0', source: '.tool-versions' },
    });
  });

  const debian = existsSync('/usr/bin/erl') && existsSync('/usr/bin/elixir');
  it.skipIf(!debian && process.env.CI !== 'true')("reads Debian's packages in /usr/bin (Elixir 1.14.0, OTP 25)", async () => {
    const toolchain = await detectToolchain(writeProject({}), { PATH: '/usr/bin' });
    expect(toolchain.elixir).toEqual({ version: '1.14.0', source: 'elixir on PATH (/usr/bin/elixir)' });
    expect(toolchain.otp?.version).toMatch(/^25\.\d+(\.\d+)*$/);
    expect(toolchain.otp?.source).toBe('erl on PATH (/usr/bin/erl)');
  });
});
