import { parseElixir, type Node } from './elixir-parser.js';
import { parseSource } from './source-file.js';
import { namedKids } from './values.js';

/**
 * `config :<app>, namespace: X` settings of a config file, as app → the text of X (an alias when
 * the file is right; validated by the caller). Throws on a syntax error, naming the line.
 */
export async function readConfigNamespaces(source: string, label: string): Promise<Map<string, string>> {
  const tree = await parseSource(source, label);
  const namespaces = new Map<string, string>();
  for (const call of tree.rootNode.descendantsOfType('call')) {
    if (call.childForFieldName('target')?.text !== 'config') continue;
    const [app, settings] = argumentsOf(call);
    // `config :app, Mod, opts` configures a module, not the app: only the two-argument form counts.
    if (app?.type !== 'atom' || settings?.type !== 'keywords') continue;
    for (const pair of namedKids(settings)) {
      if (pair.childForFieldName('key')?.text.trim() !== 'namespace:') continue;
      const value = pair.childForFieldName('value');
      // Later `config` calls override earlier ones, as when Config evaluates the file.
      if (value) namespaces.set(app.text.slice(1), value.text);
    }
  }
  tree.delete();
  return namespaces;
}

/**
 * The module prefix of `defmodule X.Endpoint` in an endpoint file (`MyAppWeb` for
 * `MyAppWeb.Endpoint`), or null. Lenient: this only confirms a default, so a file we cannot
 * read well is no reason to stop.
 */
export async function readEndpointModule(source: string): Promise<string | null> {
  const tree = await parseElixir(source);
  let found: string | null = null;
  for (const call of tree.rootNode.descendantsOfType('call')) {
    if (call.childForFieldName('target')?.text !== 'defmodule') continue;
    const [name] = argumentsOf(call);
    const match = name?.type === 'alias' ? /^(.+)\.Endpoint$/.exec(name.text.replace(/\s+/g, '')) : null;
    if (match?.[1]) {
      found = match[1];
      break;
    }
  }
  tree.delete();
  return found;
}

function argumentsOf(call: Node): Node[] {
  const args = call.namedChildren.find((child) => child.type === 'arguments');
  return args ? namedKids(args) : [];
}
