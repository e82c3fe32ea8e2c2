// The real-world battery (test/fixtures/real-world), table-driven through the packed CLI: each
// case's module names, release binaries, statuses and warnings, then two proofs with Elixir
// itself over every case: each file the tool wrote or patched parses, and config/runtime.exs as
// Config.Reader reads it serves every endpoint exactly when bin/server's variables are set.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fs from 'fs-extra';
import { afterAll, describe, expect, it } from 'vitest';
import { realWorldCases, type ExpectedStatus, type RealWorldCase } from '../fixtures/real-world/cases.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { snapshotTree } from '../helpers/tree.js';
import { runElixirTests } from '../runtime-config/helpers.js';

const WORDS: Record<ExpectedStatus, string> = { create: 'creating', identical: 'identical', keep: 'keeping', conflict: 'conflict', patch: 'patching' };
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'create-release-real-world-'));
afterAll(() => fs.removeSync(scratch));

/** What each successful case left, for the Elixir checks at the end. */
const written: Array<{ name: string; files: Record<string, string>; runtime: string | null; serverEnv: Record<string, string>; endpoints: Array<{ app: string; module: string }> }> = [];

interface Read {
  app: { name: string };
  release: { name: string };
  endpoints: Array<{ module: string; otpApp: string }>;
  ecto: { module: string; file: string; exists: boolean; repos: string[] } | null;
}

const label = (c: RealWorldCase) => `${c.fixture}${c.args ? ` ${c.args.join(' ')}` : ''}`;

function copyFixture(c: RealWorldCase, i: number): string {
  const dir = path.join(scratch, `${i}`, c.fixture);
  fs.copySync(path.join(import.meta.dirname, '../fixtures/real-world', c.fixture), dir);
  return dir;
}

const run = (dir: string, c: RealWorldCase, extra: string[] = []): Promise<CliResult> =>
  runCli(['--yes', '--offline', ...(c.args ?? []), ...extra], { cwd: dir });

describe('real-world projects through the packed CLI', () => {
  it('has at least 25 fixtures, each a real-world shape', () => {
    expect(new Set(realWorldCases.map((c) => c.fixture)).size).toBeGreaterThanOrEqual(25);
  });

  for (const [i, c] of realWorldCases.entries()) {
    it(`${label(c)}: ${c.shape}`, async () => {
      const dir = copyFixture(c, i);
      const before = snapshotTree(dir, true);
      if (c.exit) {
        const result = await run(dir, c);
        expect(result.code, result.stderr).toBe(c.exit);
        expect(result.stderr).toMatch(/^error: /);
        expect(result.stderr).toMatch(c.error!);
        if (!c.statuses) expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
        for (const [file] of Object.entries(c.statuses ?? {})) expect(result.stderr).toContain(`\n  ${file}\n`);
        expect(result.stderr).not.toMatch(/\n\s+at /);
        expect(snapshotTree(dir, true)).toBe(before);
        return;
      }

      // What the run will act on, as --json tells it (a dry run: nothing written).
      const dry = await run(dir, c, ['--json', '--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      const read = (JSON.parse(dry.stdout) as { read: Read }).read;
      expect(read.app.name).toBe(c.app);
      expect(read.release.name).toBe(c.release);
      expect(read.endpoints.map((e) => e.module)).toEqual(c.endpoints);
      if (c.releaseModule) {
        expect(read.ecto).toMatchObject({ module: c.releaseModule.module, file: c.releaseModule.path, exists: c.releaseModule.status === 'keep' });
        expect(read.ecto!.repos).toEqual(c.repos);
      } else {
        expect(read.ecto).toBeNull();
      }
      expect(snapshotTree(dir, true)).toBe(before);

      const result = await run(dir, c);
      expect(result.code, result.stderr).toBe(0);
      const output = result.stdout + result.stderr;
      for (const [file, status] of Object.entries(c.statuses ?? {})) {
        expect(result.stdout, file).toMatch(new RegExp(`^\\* ${WORDS[status]} ${file.replaceAll('.', '\\.')}( \\(.*\\))?$`, 'm'));
      }
      for (const warning of c.warnings ?? []) expect(output).toMatch(warning);
      // A case that expects no warning gets none: nothing guessed goes unsaid, nothing said needlessly.
      if (!c.warnings) expect(output).not.toMatch(/^warning: /m);
      // The block of what was read names the real modules, before anything else.
      expect(result.stdout.startsWith('Read from the project:\n')).toBe(true);
      for (const e of c.endpoints) expect(result.stdout).toContain(`endpoint    ${e}  in `);

      checkScripts(dir, c, result.stdout);
      if (c.args?.includes("--docker")) checkImages(dir);
      checkReleaseModule(dir, c);
      if (c.overlaysDir !== 'rel/overlays') expect(existsSync(path.join(dir, 'rel/overlays'))).toBe(false);

      // Files kept are byte for byte what the project had.
      for (const [file, status] of Object.entries(c.statuses ?? {})) {
        if (status === 'keep') expect(readFileSync(path.join(dir, file))).toEqual(readFileSync(path.join(import.meta.dirname, '../fixtures/real-world', c.fixture, file)));
      }

      // A second run changes nothing.
      const again = await run(dir, c);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).not.toMatch(/^\* (creating|overwriting|patching|conflict)/m);

      written.push({
        name: label(c),
        files: elixirFilesWritten(dir, result.stdout),
        runtime: existsSync(path.join(dir, 'config/runtime.exs')) ? readFileSync(path.join(dir, 'config/runtime.exs'), 'utf8') : null,
        serverEnv: serverEnvOf(dir, c),
        endpoints: read.endpoints.map((e) => ({ app: e.otpApp, module: e.module })),
      });
    });
  }
});

/** The overlay scripts call the right release binary and module, in the directory Mix copies. */
function checkScripts(dir: string, c: RealWorldCase, stdout: string): void {
  const bin = path.join(dir, c.overlaysDir, 'bin');
  const server = readFileSync(path.join(bin, 'server'), 'utf8');
  expect(statSync(path.join(bin, 'server')).mode & 0o111).not.toBe(0);
  if (!/^\* keeping \S*bin\/server\b/m.test(stdout)) expect(server).toMatch(new RegExp(`exec \\./${c.release} start\\n$`));
  else expect(server).toMatch(new RegExp(`exec "?\\./${c.release}"? start`));
  const migrate = path.join(bin, 'migrate');
  if (!c.releaseModule) {
    expect(existsSync(migrate)).toBe(false);
    return;
  }
  const body = readFileSync(migrate, 'utf8');
  expect(body).toContain(`./${c.release} eval ${c.releaseModule.module}.migrate`);
  if (existsSync(`${migrate}.bat`)) expect(readFileSync(`${migrate}.bat`, 'utf8')).toContain(`"%~dp0\\${c.release}" eval ${c.releaseModule.module}.migrate`);
}

/** The image versions honour the project's `elixir:` requirement (the ~> 1.19 case): never the local 1.14 / OTP 25. */
function checkImages(dir: string): void {
  const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
  const [, minor] = /^ARG ELIXIR_VERSION=1\.(\d+)\.\d+$/m.exec(dockerfile) ?? [];
  expect(Number(minor)).toBeGreaterThanOrEqual(19);
  expect(dockerfile).toMatch(/^ARG OTP_VERSION=(2[6-9]|[3-9]\d)\./m);
}

function checkReleaseModule(dir: string, c: RealWorldCase): void {
  if (!c.releaseModule) return;
  const text = readFileSync(path.join(dir, c.releaseModule.path), 'utf8');
  expect(text).toContain(`defmodule ${c.releaseModule.module} do`);
  if (c.releaseModule.status === 'create') expect(text).toContain(`@app :${c.app}\n`);
}

/** The variables bin/server sets before `exec`, e.g. `PHX_SERVER=true START_ENDPOINT=true`. */
function serverEnvOf(dir: string, c: RealWorldCase): Record<string, string> {
  const server = readFileSync(path.join(dir, c.overlaysDir, 'bin/server'), 'utf8');
  const line = server.split('\n').find((l) => /\bexec\b/.test(l) && / start\b/.test(l)) ?? '';
  const env: Record<string, string> = {};
  for (const m of line.matchAll(/([A-Z_][A-Z0-9_]*)=("?)([^\s"]*)\2/g)) env[m[1]!] = m[3]!;
  return env;
}

/** Every .ex/.exs file the run created, overwrote or patched, with its text. */
function elixirFilesWritten(dir: string, stdout: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const m of stdout.matchAll(/^\* (?:creating|overwriting|patching) (\S+\.exs?)$/gm)) files[m[1]!] = readFileSync(path.join(dir, m[1]!), 'utf8');
  return files;
}

describe.runIf(runElixirTests)('the battery, read by Elixir', () => {
  it('every Elixir file written or patched parses (Code.string_to_quoted!)', () => {
    const sources = written.flatMap((w) => Object.entries(w.files).map(([file, text]) => ({ name: `${w.name}: ${file}`, text })));
    expect(sources.length).toBeGreaterThan(20);
    const out = elixir(
      `for %{"name" => name, "text" => text} <- input do
         case Code.string_to_quoted(text) do
           {:ok, _} -> IO.puts("ok\\t" <> name)
           {:error, e} -> IO.puts("error\\t" <> name <> "\\t" <> inspect(e))
         end
       end`,
      sources,
    );
    expect(out.split('\n').filter((l) => !l.startsWith('ok\t'))).toEqual([]);
    expect(out.split('\n')).toHaveLength(sources.length);
  });

  it("runtime.exs serves every endpoint exactly when bin/server's variables are set (Config.Reader, prod)", () => {
    const cases = written.filter((w) => w.runtime !== null && w.endpoints.length > 0);
    expect(cases.length).toBeGreaterThan(20);
    // The variables the fixtures' runtime.exs fetch, with harmless values.
    const base = { DATABASE_URL: 'ecto://u:p@localhost/db', DATABASE_PATH: '/tmp/x.db', SECRET_KEY_BASE: 'x'.repeat(64), PHX_HOST: 'example.com' };
    const out = elixir(
      `for %{"name" => name, "runtime" => runtime, "env" => env, "endpoints" => endpoints, "required" => required} <- input do
         file = Path.join(System.tmp_dir!(), "cr-runtime-#{System.unique_integer([:positive])}.exs")
         File.write!(file, runtime)
         parses = match?({:ok, _}, Code.string_to_quoted(runtime))
         unless parses, do: IO.puts(Enum.join([name, "broken", "", ""], "\t"))
         for {on, vars} <- [{"on", env}, {"off", %{}}], parses do
           for k <- ["PHX_SERVER", "START_ENDPOINT"] ++ Map.keys(env), do: System.delete_env(k)
           System.put_env(Map.merge(${toElixir(base)}, Map.new(required, &{&1, "x"})) |> Map.merge(vars))
           config = Config.Reader.read!(file, env: :prod, target: :host)
           for %{"app" => app, "module" => module} <- endpoints do
             server = get_in(config, [String.to_atom(app), Module.concat([module]), :server])
             IO.puts(Enum.join([name, on, module, inspect(server)], "\\t"))
           end
         end
       end`,
      cases.map((w) => ({ name: w.name, runtime: w.runtime, env: w.serverEnv, endpoints: w.endpoints, required: requiredVariables(w.runtime!) })),
    );
    const rows = out.split('\n').map((line) => line.split('\t'));
    // Only the fixture whose runtime.exs is broken on purpose is left unread (and unpatched).
    expect(rows.filter((r) => r[1] === 'broken').map((r) => r[0])).toEqual(['runtime-syntax-error']);
    const checked = rows.filter((r) => r[1] !== 'broken');
    expect(checked.length).toBe(cases.filter((w) => w.name !== 'runtime-syntax-error').reduce((n, w) => n + 2 * w.endpoints.length, 0));
    for (const [name, on, module, server] of checked) {
      // With bin/server's variables every endpoint serves; without them, none does (phx.new's default).
      if (on === 'on') expect(server, `${name} ${module} with bin/server's env`).toBe('true');
      else expect(server, `${name} ${module} without it`).not.toBe('true');
    }
  });
});

/** The variables a runtime.exs cannot start without (`System.fetch_env!("X")`). */
function requiredVariables(runtime: string): string[] {
  return [...new Set([...runtime.matchAll(/System\.fetch_env!\("([A-Z0-9_]+)"\)/g)].map((m) => m[1]!))];
}

/** Runs an Elixir script with `input` bound to the given data, and returns its output. */
function elixir(script: string, input: unknown): string {
  const file = path.join(scratch, `script-${Date.now()}.exs`);
  writeFileSync(file, `input = ${toElixir(input)}\n${script}\n`);
  return execFileSync('elixir', [file], { encoding: 'utf8', env: { ...process.env, PHX_SERVER: '', START_ENDPOINT: '' } }).trim();
}

/** Data as an Elixir literal (Elixir 1.14 has no JSON): strings go through Base64 so no escape can break them. */
function toElixir(value: unknown): string {
  if (typeof value === 'string') return `Base.decode64!("${Buffer.from(value).toString('base64')}")`;
  if (Array.isArray(value)) return `[${value.map(toElixir).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `%{${Object.entries(value).map(([k, v]) => `${toElixir(k)} => ${toElixir(v)}`).join(', ')}}`;
  }
  return String(value);
}
