// The overlay scripts as a user meets them: shellcheck-clean, and when run from anywhere they
// hand control to the release binary next to them with the right arguments and environment.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../src/types.js';
import { fixture, fixtures } from '../plan/fixtures.js';
import { fileNamed, missingTools, renderFixture, scratchDir, writeRendered } from './helpers.js';

const scratch = scratchDir('scripts');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const shellcheck = missingTools(['shellcheck']);

describe.skipIf(shellcheck.skip)('shellcheck', () => {
  beforeAll(shellcheck.assertTools);

  for (const f of fixtures) {
    it(`passes on every shell script of ${f.name}`, async () => {
      const files = (await renderFixture(f)).filter((file) => file.mode === 0o755);
      expect(files.length).toBeGreaterThan(0);
      const dir = path.join(scratch, `shellcheck-${f.name}`);
      writeRendered(files, dir);
      // The shebang alone tells shellcheck which shell: no -s, so a wrong shebang would show.
      const result = spawnSync('shellcheck', ['--enable=all', ...files.map((file) => path.join(dir, file.path))], {
        encoding: 'utf8',
      });
      expect(result.stdout + result.stderr).toBe('');
      expect(result.status).toBe(0);
    });
  }
});

/** A release directory, with a space in its path, whose `<release>` binary records how it was called. */
function fakeRelease(files: RenderedFile[], release: string, exitCode = 0): { bin: string; record: string } {
  const root = path.join(scratch, `release with spaces-${Math.random().toString(36).slice(2)}`);
  const bin = path.join(root, 'bin');
  const record = path.join(root, 'record.txt');
  mkdirSync(bin, { recursive: true });
  for (const file of files.filter((f) => f.path.startsWith('rel/overlays/bin/') && f.mode === 0o755)) {
    writeFileSync(path.join(bin, path.basename(file.path)), file.content, { mode: file.mode });
  }
  const stub = [
    '#!/bin/sh',
    `{ printf 'argv:%s\\n' "$@"; printf 'PHX_SERVER:%s\\n' "\${PHX_SERVER-unset}"; printf 'cwd:%s\\n' "$(pwd -P)"; } > '${record}'`,
    `exit ${exitCode}`,
  ].join('\n');
  writeFileSync(path.join(bin, release), `${stub}\n`, { mode: 0o755 });
  return { bin, record };
}

function runScript(script: string): number | null {
  const env = { ...process.env };
  delete env.PHX_SERVER;
  // From another directory, as a process manager or a container would start it.
  return spawnSync(script, [], { cwd: scratch, env, encoding: 'utf8' }).status;
}

function recorded(record: string): { argv: string[]; phxServer: string; cwd: string } {
  const lines = readFileSync(record, 'utf8').trimEnd().split('\n');
  const values = (key: string) => lines.filter((l) => l.startsWith(`${key}:`)).map((l) => l.slice(key.length + 1));
  return { argv: values('argv'), phxServer: values('PHX_SERVER')[0] ?? '', cwd: values('cwd')[0] ?? '' };
}

describe('bin/server', () => {
  it('starts the release with PHX_SERVER=true from its own directory (Phoenix)', async () => {
    const { bin, record } = fakeRelease(await renderFixture(fixture('phoenix-ecto')), 'my_app');
    expect(runScript(path.join(bin, 'server'))).toBe(0);
    expect(recorded(record)).toEqual({ argv: ['start'], phxServer: 'true', cwd: bin });
  });

  it('starts a plain Mix release without PHX_SERVER', async () => {
    const { bin, record } = fakeRelease(await renderFixture(fixture('plain-mix')), 'worker');
    expect(runScript(path.join(bin, 'server'))).toBe(0);
    expect(recorded(record)).toEqual({ argv: ['start'], phxServer: 'unset', cwd: bin });
  });

  it('calls the named release, not the app', async () => {
    const { bin, record } = fakeRelease(await renderFixture(fixture('named-release')), 'storefront');
    expect(runScript(path.join(bin, 'server'))).toBe(0);
    expect(recorded(record).argv).toEqual(['start']);
  });

  it('hands over the process (exec): the release exit status is the script exit status', async () => {
    const { bin } = fakeRelease(await renderFixture(fixture('phoenix-ecto')), 'my_app', 7);
    expect(runScript(path.join(bin, 'server'))).toBe(7);
  });
});

describe('bin/migrate', () => {
  it('evaluates <Namespace>.Release.migrate in the release', async () => {
    const { bin, record } = fakeRelease(await renderFixture(fixture('phoenix-ecto')), 'my_app');
    expect(runScript(path.join(bin, 'migrate'))).toBe(0);
    expect(recorded(record)).toEqual({ argv: ['eval', 'MyApp.Release.migrate'], phxServer: 'unset', cwd: bin });
  });

  it('uses the namespace of the app that owns the repos in an umbrella', async () => {
    const { bin, record } = fakeRelease(await renderFixture(fixture('umbrella')), 'hub');
    expect(runScript(path.join(bin, 'migrate'))).toBe(0);
    expect(recorded(record).argv).toEqual(['eval', 'Hub.Release.migrate']);
  });

  it('uses a dotted namespace as is', async () => {
    const { bin, record } = fakeRelease(await renderFixture(fixture('named-release')), 'storefront');
    expect(runScript(path.join(bin, 'migrate'))).toBe(0);
    expect(recorded(record).argv).toEqual(['eval', 'Acme.Shop.Release.migrate']);
  });
});

describe('Windows batch files', () => {
  function lines(content: string): string[] {
    return content.split('\r\n').filter((l) => l !== '' && !/^(@echo off|rem )/i.test(l));
  }

  it('use CRLF line endings only', async () => {
    for (const f of fixtures) {
      for (const file of (await renderFixture(f)).filter((x) => x.path.endsWith('.bat'))) {
        expect(file.content.replace(/\r\n/g, ''), `${f.name} ${file.path}`).not.toMatch(/[\r\n]/);
        expect(file.content.endsWith('\r\n')).toBe(true);
      }
    }
  });

  it('set PHX_SERVER and call the release next to them (Phoenix)', async () => {
    const files = await renderFixture(fixture('phoenix-ecto'));
    expect(lines(fileNamed(files, 'rel/overlays/bin/server.bat').content)).toEqual([
      'set PHX_SERVER=true',
      'call "%~dp0\\my_app" start',
    ]);
    expect(lines(fileNamed(files, 'rel/overlays/bin/migrate.bat').content)).toEqual([
      'call "%~dp0\\my_app" eval MyApp.Release.migrate',
    ]);
  });

  it('only call start for a plain Mix app', async () => {
    const files = await renderFixture(fixture('plain-mix'));
    expect(lines(fileNamed(files, 'rel/overlays/bin/server.bat').content)).toEqual(['call "%~dp0\\worker" start']);
  });
});
