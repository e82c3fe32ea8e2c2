import { spawnSync } from 'node:child_process';
import { toolChecksOff } from '../helpers/suite.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RuntimeInput } from '../../src/runtime-config/index.js';

const fixturesDir = path.resolve(import.meta.dirname, '../fixtures/runtime');

export function readFixture(name: string): string {
  return readFileSync(path.join(fixturesDir, name), 'utf8');
}

/** Names for a runtime input: the app and namespace its endpoint and repo are named after. */
export type RuntimeNames = Partial<RuntimeInput> & { app?: string; namespace?: string };

/**
 * What the runtime.exs step reads for a phx.new-shaped Phoenix project with Postgres around the
 * given runtime.exs: `<Namespace>Web.Endpoint` of `app`, and `<Namespace>.Repo`.
 */
export function runtimeInput(runtimeExs: string | null, names: RuntimeNames = {}): RuntimeInput {
  const { app = 'my_app', namespace = 'MyApp', ...rest } = names;
  const phoenix = rest.phoenix ?? true;
  return {
    runtimeExs,
    releasesExs: false,
    phoenix,
    endpoints: phoenix ? [{ module: `${namespace}Web.Endpoint`, otpApp: app }] : [],
    repos: [{ app, module: `${namespace}.Repo` }],
    socketAdapter: true,
    ...rest,
  };
}

/** How `patched` was made from `original`: the single inserted run of text, or null if it was not one. */
export function insertedText(original: string, patched: string): string | null {
  let prefix = 0;
  while (prefix < original.length && original[prefix] === patched[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < original.length - prefix &&
    original[original.length - 1 - suffix] === patched[patched.length - 1 - suffix]
  ) {
    suffix++;
  }
  if (prefix + suffix !== original.length) return null;
  return patched.slice(prefix, patched.length - suffix);
}

// In CI a missing Elixir fails these tests rather than skipping them (DESIGN section 8).
export const elixirAvailable = spawnSync('elixir', ['--version'], { stdio: 'ignore' }).status === 0;
export const runElixirTests = !toolChecksOff && (elixirAvailable || (process.env.CI !== undefined && process.env.CI !== 'false'));

// For each file: `ok`, or the parse error; `formatted` says whether `mix format` would leave it as is.
const PARSE_SCRIPT = `
for file <- System.argv() do
  source = File.read!(file)
  case Code.string_to_quoted(source) do
    {:ok, _} ->
      formatted = IO.iodata_to_binary(Code.format_string!(source)) == String.trim_trailing(source)
      IO.puts("#{Path.basename(file)}\\tok\\t#{formatted}")
    {:error, error} ->
      IO.puts("#{Path.basename(file)}\\terror\\t#{inspect(error)}")
  end
end
`;

export interface ElixirVerdict {
  parses: boolean;
  formatted: boolean;
  detail: string;
}

/** Runs Elixir's own parser (and formatter) on every source in one `elixir` process. */
export function parseWithElixir(sources: Record<string, string>): Record<string, ElixirVerdict> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runtime-config-'));
  const files = Object.entries(sources).map(([name, content]) => {
    const file = path.join(dir, `${name}.exs`);
    writeFileSync(file, content);
    return file;
  });
  const run = spawnSync('elixir', ['-e', PARSE_SCRIPT, ...files], { encoding: 'utf8' });
  if (run.error || run.status !== 0) throw new Error(`elixir failed: ${run.error?.message ?? run.stderr}`);
  const verdicts: Record<string, ElixirVerdict> = {};
  for (const line of run.stdout.trim().split('\n')) {
    const [file = '', status, detail = ''] = line.split('\t');
    verdicts[file.replace(/\.exs$/, '')] = { parses: status === 'ok', formatted: detail === 'true', detail };
  }
  return verdicts;
}

/** The configuration Elixir's `Config.Reader` builds from a runtime.exs in `env`, as inspected text. */
export function readConfigWithElixir(source: string, env: Record<string, string>, mixEnv = 'dev'): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'runtime-config-')), 'runtime.exs');
  writeFileSync(file, source);
  const script = `IO.inspect(Config.Reader.read!(hd(System.argv()), env: :${mixEnv}, target: :host), limit: :infinity)`;
  const childEnv = { ...process.env, ...env };
  if (!('PHX_SERVER' in env)) delete childEnv.PHX_SERVER;
  const run = spawnSync('elixir', ['-e', script, file], { encoding: 'utf8', env: childEnv });
  if (run.error || run.status !== 0) throw new Error(`elixir failed: ${run.error?.message ?? run.stderr}`);
  return run.stdout;
}

/** `server:` of `endpoint` as Config.Reader reads the file for prod in `env`, inspected (`true`, `nil`...). */
export function serverWithElixir(source: string, env: Record<string, string>, app = 'my_app', endpoint = 'MyAppWeb.Endpoint'): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'runtime-config-')), 'runtime.exs');
  writeFileSync(file, source);
  const script = `IO.inspect(get_in(Config.Reader.read!(hd(System.argv()), env: :prod, target: :host), [:${app}, ${endpoint}, :server]))`;
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  for (const name of ['PHX_SERVER', 'START_ENDPOINT']) if (!(name in env)) delete childEnv[name];
  const run = spawnSync('elixir', ['-e', script, file], { encoding: 'utf8', env: childEnv });
  if (run.error || run.status !== 0) throw new Error(`elixir failed: ${run.error?.message ?? run.stderr}`);
  return run.stdout.trim();
}
