import { parseElixir, type Node } from './elixir-parser.js';
import { parseSource } from './source-file.js';
import { argumentNodes } from './module-scope.js';
import { namedKids } from './values.js';

/** What config/config.exs says about apps, as far as the generators care. */
export interface AppConfig {
  /** `config :<app>, namespace: X`: app → the text of X (validated by the caller). */
  namespaces: Map<string, string>;
  /** Apps with `config :<app>, ecto_repos: [...]`: the ones that own repos. */
  ectoRepoApps: Set<string>;
}

export const EMPTY_APP_CONFIG: AppConfig = { namespaces: new Map(), ectoRepoApps: new Set() };

/** Reads the app-level settings of a config file. Throws on a syntax error, naming the line. */
export async function readAppConfig(source: string, label: string): Promise<AppConfig> {
  const tree = await parseSource(source, label);
  const config: AppConfig = { namespaces: new Map(), ectoRepoApps: new Set() };
  for (const call of tree.rootNode.descendantsOfType('call')) {
    if (call.childForFieldName('target')?.text !== 'config') continue;
    const [app, settings] = argumentNodes(call);
    // `config :app, Mod, opts` configures a module, not the app: only the two-argument form counts.
    if (app?.type !== 'atom' || settings?.type !== 'keywords') continue;
    const appName = app.text.slice(1);
    for (const pair of namedKids(settings)) {
      const key = pair.childForFieldName('key')?.text.trim();
      const value = pair.childForFieldName('value');
      // Later `config` calls override earlier ones, as when Config evaluates the file.
      if (key === 'namespace:' && value) config.namespaces.set(appName, value.text);
      if (key === 'ecto_repos:') config.ectoRepoApps.add(appName);
    }
  }
  tree.delete();
  return config;
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
    const [name] = argumentNodes(call);
    const match = name?.type === 'alias' ? /^(.+)\.Endpoint$/.exec(name.text.replace(/\s+/g, '')) : null;
    if (match?.[1]) {
      found = match[1];
      break;
    }
  }
  tree.delete();
  return found;
}
