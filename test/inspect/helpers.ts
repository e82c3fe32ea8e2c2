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

/** A minimal valid mix.exs for `app`. */
export function mixExsFor(app: string, extra = ''): string {
  return `defmodule Sample.MixProject do
  use Mix.Project

  def project do
    [app: ${app}, version: "0.1.0"${extra}]
  end
end
`;
}
