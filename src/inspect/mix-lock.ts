// mix.lock, read with the Elixir grammar: which version of each package the project builds, how
// it is built (`:mix`, `:make`, `:rebar3`), and which packages it pulls in (`rustler`, say).
import path from 'node:path';
import { evaluate } from './evaluate.js';
import { parseElixir } from './elixir-parser.js';
import { readSourceFile } from './source-file.js';
import { atomName, listItems, namedKids, stringText } from './values.js';

export interface LockedPackage {
  name: string;
  /** `:hex` packages have a version; `:git` and `:path` ones do not. */
  version: string | null;
  /** How the package is built: `mix`, `make`, `rebar3`... (empty when not recorded). */
  buildTools: string[];
  /** The packages it depends on. */
  deps: string[];
}

const NO_SCOPE = { attributes: [], functions: new Map() };

/** The packages of `<root>/mix.lock`, or [] when there is none (or it cannot be read). */
export async function readMixLock(root: string): Promise<LockedPackage[]> {
  const source = await readSourceFile(path.join(root, 'mix.lock'), 'mix.lock').catch(() => null);
  if (!source) return [];
  const tree = await parseElixir(source);
  try {
    // %{"name": {...}, ...}: the entries are a keyword list inside the map. Each is evaluated on
    // its own, so a lock of hundreds of packages never runs out of the evaluator's step budget.
    const content = tree.rootNode.descendantsOfType('map_content')[0];
    const keywords = content ? namedKids(content).filter((child) => child.type === 'keywords') : [];
    return keywords.flatMap((list) =>
      namedKids(list).flatMap((pair) => {
        const key = pair.childForFieldName('key');
        const value = pair.childForFieldName('value');
        const name = key ? /^"?([^"]+)"?:$/.exec(key.text.trim())?.[1] : undefined;
        return name && value ? readEntry(name, evaluate(value, NO_SCOPE)) : [];
      }),
    );
  } finally {
    tree.delete();
  }
}

/** `{:hex, :name, "1.2.3", hash, [:mix], [{:dep, req, opts}, ...], "hexpm", hash}` and the git form. */
function readEntry(name: string, spec: ReturnType<typeof evaluate>): LockedPackage[] {
  if (spec.kind !== 'tuple') return [];
  const [kind, , version, , tools, deps] = spec.items;
  if (atomName(kind) !== 'hex') return [{ name, version: null, buildTools: [], deps: [] }];
  return [
    {
      name,
      version: stringText(version),
      buildTools: listItems(tools).map(atomName).filter((t): t is string => t !== null),
      deps: listItems(deps).flatMap((dep) => (dep.kind === 'tuple' && atomName(dep.items[0]) ? [atomName(dep.items[0])!] : [])),
    },
  ];
}
