import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const shapesDir = path.resolve(import.meta.dirname, '../fixtures/shapes');

/** Writes `files` (relative path → content) into a fresh temp directory and returns its path. */
export function writeProject(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'create-release-inspect-'));
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
}

/**
 * A minimal valid mix.exs for `app` (as written, e.g. `:my_app`), with an application callback
 * `<mod>.Application` unless `mod` is null (then it has no application/0: a library, unless
 * `extra` declares releases).
 */
export function mixExsFor(app: string, extra = '', mod: string | null = 'Sample'): string {
  const application = mod === null ? '' : `\n  def application do\n    [mod: {${mod}.Application, []}]\n  end\n`;
  return `defmodule Sample.MixProject do
  use Mix.Project

  def project do
    [app: ${app}, version: "0.1.0"${extra}]
  end
${application}end
`;
}

/** Where Elixir's parser reports the error in each source: line, column and the message. */
export function parseErrorsWithElixir(sources: string[]): Array<{ line: number; column: number; message: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'create-release-parse-'));
  const files = sources.map((source, i) => {
    const file = path.join(dir, `${i}.exs`);
    writeFileSync(file, source);
    return file;
  });
  const script = `
    for file <- System.argv() do
      {:error, {meta, message, token}} = Code.string_to_quoted(File.read!(file), columns: true)
      text = case message do
        {a, b} -> a <> token <> b
        a -> a <> token
      end
      IO.puts("#{meta[:line]}\t#{meta[:column]}\t#{String.replace(text, "\n", " ")}")
    end`;
  const run = spawnSync('elixir', ['-e', script, ...files], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`elixir failed: ${run.stderr}`);
  return run.stdout
    .trim()
    .split('\n')
    .map((row) => {
      const [line, column, message] = row.split('\t');
      return { line: Number(line), column: Number(column), message: message ?? '' };
    });
}
