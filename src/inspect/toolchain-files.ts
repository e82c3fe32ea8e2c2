import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Toolchain, WantedVersion } from '../types.js';

/** What one version file pins; either may be missing. */
export type PinnedVersions = Partial<Record<keyof Toolchain, WantedVersion>>;

/** Reads asdf's `.tool-versions` (`elixir 1.17.3-otp-27`, `erlang 27.1.2`); {} when absent. */
export async function readToolVersions(root: string): Promise<PinnedVersions> {
  const text = await readOptional(path.join(root, '.tool-versions'));
  if (text === null) return {};
  const pins: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const [tool, version] = line.replace(/#.*/, '').trim().split(/\s+/);
    // The first version listed wins, as in asdf; `system`, `ref:...` and `path:...` name no version.
    if (tool && version && !(tool in pins)) pins[tool] = version;
  }
  return pinsFrom(pins.elixir, pins.erlang, '.tool-versions');
}

/**
 * Reads the `[tools]` table of a mise config (`elixir = "1.17.3-otp-27"`, `erlang = "27.1"`, or
 * the array and `{ version = "..." }` forms); {} when absent. Not a TOML parser: only that table.
 */
export async function readMiseToml(root: string, name: 'mise.toml' | '.mise.toml'): Promise<PinnedVersions> {
  const text = await readOptional(path.join(root, name));
  if (text === null) return {};
  const pins: Record<string, string> = {};
  let inTools = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = stripTomlComment(raw).trim();
    if (line.startsWith('[')) {
      inTools = /^\[\s*tools\s*\]$/.test(line);
      continue;
    }
    const eq = line.indexOf('=');
    if (!inTools || eq < 0) continue;
    // Keys may be quoted or carry a backend prefix (`"asdf:elixir"`, `core:erlang`).
    const key = line.slice(0, eq).trim().replace(/^["']|["']$/g, '').split(/[:/]/).pop() ?? '';
    const version = firstTomlString(line.slice(eq + 1));
    if (version !== null && !(key in pins)) pins[key] = version;
  }
  return pinsFrom(pins.elixir, pins.erlang, name);
}

/**
 * Versions from a file's pins. Only concrete versions count (`latest`, `system`, `ref:...` fall
 * through to the next source). Elixir's `-otp-27` suffix is dropped from the Elixir version and,
 * when the file pins no Erlang, stands in for the OTP major.
 */
function pinsFrom(elixir: string | undefined, erlang: string | undefined, source: string): PinnedVersions {
  const pinned: PinnedVersions = {};
  const elixirMatch = elixir ? /^(\d[^-\s]*)(?:-otp-(\d+))?/.exec(elixir) : null;
  if (elixirMatch?.[1]) pinned.elixir = { version: elixirMatch[1], source };
  if (erlang && /^\d/.test(erlang)) pinned.otp = { version: erlang, source };
  else if (elixirMatch?.[2]) pinned.otp = { version: elixirMatch[2], source: `${source} (elixir ${elixir})` };
  return pinned;
}

function firstTomlString(value: string): string | null {
  const text = value.trim();
  const inTable = /(?:^|[{,])\s*version\s*=\s*(["'])(.*?)\1/.exec(text);
  if (text.startsWith('{')) return inTable?.[2] ?? null;
  const quoted = /(["'])(.*?)\1/.exec(text);
  return quoted?.[2] ?? null;
}

function stripTomlComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') return line.slice(0, i);
  }
  return line;
}

async function readOptional(file: string): Promise<string | null> {
  return readFile(file, 'utf8').catch(() => null);
}
