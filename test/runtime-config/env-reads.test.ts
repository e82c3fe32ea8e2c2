// Which variables config/runtime.exs insists on: the deploy files must set every one of them.
// Checked against Elixir itself: with every variable the file mentions set, removing one at a
// time and reading the file with Config.Reader (as the release does at boot) shows which ones
// the file cannot do without; each of those must be among the variables read with no default.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElixir } from '../../src/inspect/elixir-parser.js';
import { envReadWithoutDefault } from '../../src/runtime-config/find.js';
import { describeWithTools } from '../helpers/toolchains.js';
import { readFixture } from './helpers.js';

async function withoutDefault(source: string): Promise<string[]> {
  const tree = await parseElixir(source);
  try {
    return envReadWithoutDefault(tree.rootNode);
  } finally {
    tree.delete();
  }
}

describe('the variables runtime.exs reads with no default', () => {
  it("phx.new 1.7 with Postgres: the two it raises without, and the ones it tests, not those with a fallback", async () => {
    expect(await withoutDefault(readFixture('phoenix-1.7-postgres.exs'))).toEqual(['PHX_SERVER', 'DATABASE_URL', 'ECTO_IPV6', 'SECRET_KEY_BASE', 'DNS_CLUSTER_QUERY']);
  });

  it('every form of read: fetch_env!, fetch_env, a pipe, get_env/2 and `||` as defaults, `|| raise` and `|| exit` as none', async () => {
    const source = [
      'import Config',
      'a = System.fetch_env!("A")',
      '{:ok, b} = System.fetch_env("B")',
      'c = "C" |> System.get_env()',
      'd = "D" |> System.get_env("d")',
      'e = System.get_env("E", "e")',
      'f = System.get_env("F") || "f"',
      'g = System.get_env("G") || raise "G is missing"',
      'h = System.get_env("H") || exit(:no_h)',
      'i = String.to_integer(System.get_env("I") || "1")',
      'j = System.get_env("J") || System.get_env("K") || "k"',
      'config :app, a: a, b: b, c: c, d: d, e: e, f: f, g: g, h: h, i: i, j: j',
      '# System.fetch_env!("COMMENTED")',
      'x = "System.fetch_env!(\\"IN_A_STRING\\")"',
      'config :app, x: x, a_again: System.fetch_env!("A")',
    ].join('\n');
    expect(await withoutDefault(source)).toEqual(['A', 'B', 'C', 'G', 'H']);
  });
});

describeWithTools('agrees with Config.Reader', ['elixir'], () => {
  for (const name of ['phoenix-1.6.6-postgres.exs', 'phoenix-1.7-postgres.exs', 'phoenix-1.7-sqlite.exs', 'umbrella-1.7.exs']) {
    it(`${name}: every variable whose absence stops the boot is read with no default`, async () => {
      const source = readFixture(name);
      const required = fatalWhenMissing(source);
      expect(required.length).toBeGreaterThan(0);
      const listed = await withoutDefault(source);
      for (const variable of required) expect(listed, variable).toContain(variable);
    });
  }
});

/** The variables without which `Config.Reader.read!/2` raises for :prod, found by Elixir. */
function fatalWhenMissing(source: string): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'env-reads-'));
  const runtime = path.join(dir, 'runtime.exs');
  writeFileSync(runtime, source);
  const script = `
    [file] = System.argv()
    names = Regex.scan(~r/System\\.(?:get_env|fetch_env!?)\\(\\s*"([A-Z0-9_]+)"/, File.read!(file)) |> Enum.map(&List.last/1) |> Enum.uniq()
    # A value every phx.new-style read accepts: a number parses, a URL-ish string is a string.
    Enum.each(names, &System.put_env(&1, "1"))
    fatal =
      Enum.filter(names, fn name ->
        System.delete_env(name)
        result = try do
          Config.Reader.read!(file, env: :prod, target: :host)
          false
        rescue
          _ -> true
        catch
          _, _ -> true
        end
        System.put_env(name, "1")
        result
      end)
    IO.puts(Enum.join(fatal, " "))
  `;
  const scriptFile = path.join(dir, 'fatal.exs');
  writeFileSync(scriptFile, script);
  return execFileSync('elixir', [scriptFile, runtime], { encoding: 'utf8' }).trim().split(' ').filter(Boolean);
}
