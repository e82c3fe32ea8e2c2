// Versions of locked Hex packages, read from mix.lock with the Elixir grammar: the file is an
// Elixir map, `%{"plug": {:hex, :plug, "1.19.1", ...}, ...}`.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseElixir } from '../inspect/elixir-parser.js';
import { namedKids } from '../inspect/values.js';
import { collectNodes, literalString } from '../runtime-config/find.js';

/** The locked version of each `wanted` package found in mix.lock (absent when not locked or no mix.lock). */
export async function readLockedVersions(root: string, wanted: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const source = await readFile(path.join(root, 'mix.lock'), 'utf8').catch(() => null);
  if (source === null) return found;
  const tree = await parseElixir(source);
  try {
    const pairs = collectNodes(tree.rootNode, () => true, Infinity, 'pair');
    for (const pair of pairs) {
      const name = pair.childForFieldName('key')?.text.trim().replace(/^"(.*)":$/, '$1');
      const value = pair.childForFieldName('value');
      if (!name || !wanted.includes(name) || value?.type !== 'tuple') continue;
      const [kind, , version] = namedKids(value);
      const text = version ? literalString(version) : null;
      if (kind?.text === ':hex' && text) found.set(name, text);
    }
    return found;
  } finally {
    tree.delete();
  }
}

/** `version` is at least `major.minor` (pre-releases of that version count). */
export function atLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split(/[.-]/).map((part) => Number.parseInt(part, 10));
  return a > major || (a === major && b >= minor);
}
