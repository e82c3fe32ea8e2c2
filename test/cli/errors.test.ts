// Bad input: one clear line, a non-zero exit, no stack trace, the project byte-for-byte unchanged.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { copyProject, snapshotTree } from '../helpers/tree.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'create-release-bad-'));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

const mixExs = (body: string) => `defmodule X.MixProject do\n  use Mix.Project\n\n  def project do\n    [${body}]\n  end\nend\n`;

const cases: Array<{ name: string; files: Record<string, string>; args?: string[]; code: number; message: RegExp }> = [
  { name: 'no mix.exs', files: { 'README.md': 'hi' }, code: 1, message: /mix\.exs/ },
  { name: 'mix.exs that does not parse', files: { 'mix.exs': mixExs('app: :x, deps: [') }, code: 1, message: /mix\.exs:\d+/ },
  { name: 'no app name', files: { 'mix.exs': mixExs('version: "0.1.0"') }, code: 1, message: /app/ },
  { name: 'an app name Elixir rejects', files: { 'mix.exs': mixExs('app: :"my-app"') }, code: 1, message: /my-app/ },
  {
    name: 'a file where a directory must be created',
    files: { 'mix.exs': mixExs('app: :x, deps: []'), rel: 'not a directory' },
    code: 1,
    message: /rel/,
  },
  { name: 'both --force and --skip', files: { 'mix.exs': mixExs('app: :x') }, args: ['--force', '--skip'], code: 2, message: /force|skip/ },
  { name: 'an unknown flag', files: { 'mix.exs': mixExs('app: :x') }, args: ['--dockr'], code: 2, message: /dockr/ },
  { name: 'an unknown deploy target', files: { 'mix.exs': mixExs('app: :x') }, args: ['--deploy', 'fly,heroku'], code: 2, message: /^error: --deploy: unknown target heroku; choose from fly, kubernetes, compose \(see create-release --help\)$/ },
  { name: '--deploy without a target', files: { 'mix.exs': mixExs('app: :x') }, args: ['--deploy', '--yes'], code: 2, message: /^error: --deploy: a target is missing; choose from fly, kubernetes, compose/ },
  { name: '--deploy with --no-docker', files: { 'mix.exs': mixExs('app: :x') }, args: ['--deploy', 'fly', '--no-docker'], code: 2, message: /^error: --deploy fly runs the image the Dockerfile builds: drop --no-docker/ },
  { name: '--name without --deploy', files: { 'mix.exs': mixExs('app: :x') }, args: ['--name', 'shop', '--yes'], code: 2, message: /^error: --name names the app on a platform: add --deploy <target>/ },
  { name: 'a --name no platform takes', files: { 'mix.exs': mixExs('app: :x') }, args: ['--deploy', 'kubernetes', '--name', 'My_Shop', '--yes'], code: 2, message: /^error: --name My_Shop: the platform name must start with a lowercase letter.*for example --name my-shop/ },
];

describe('bad input', () => {
  it.each(cases)('$name: exit $code, one line, nothing changed', async ({ files, args, code, message }) => {
    const dir = project(files);
    const before = snapshotTree(dir);
    const result = await runCli(args ?? ['--yes'], { cwd: dir });
    expect(result.code).toBe(code);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(snapshotTree(dir)).toBe(before);
  });

  it('a directory that does not exist', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'create-release-bad-'));
    const result = await runCli(['no/such/dir', '--yes'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('no/such/dir');
  });

  it('prints the stack trace only when DEBUG is set', async () => {
    const dir = copyProject('examples/hello');
    writeFileSync(path.join(dir, 'mix.exs'), 'defmodule Broken do\n  def project do\n    [app: \n');
    const quiet = await runCli(['--yes'], { cwd: dir });
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    const debug = await runCli(['--yes'], { cwd: dir, env: { DEBUG: '1' } });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
