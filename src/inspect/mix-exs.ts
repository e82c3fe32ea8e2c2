import type { ReleaseFacts } from '../types.js';
import type { Node } from './elixir-parser.js';
import { callLocal, evaluate, scanModule, type ModuleScope } from './evaluate.js';
import { parseSource } from './source-file.js';
import {
  atomName,
  keywordEntries,
  keywordGet,
  keywordPair,
  listItems,
  namedKids,
  stringText,
  type Value,
} from './values.js';

/** `app:` as written: the name when it is an atom, else null (with the text, for the message). */
export interface AppField {
  name: string | null;
  text: string;
  line: number;
}

/** What mix.exs declares in `project/0`, read statically. */
export interface MixExs {
  /** Null when `project/0` has no `app:` (true of umbrella roots). */
  app: AppField | null;
  version: string | null;
  elixirRequirement: string | null;
  /** Dependency names in declaration order, from every branch (any env, any target). */
  deps: string[];
  appsPath: string | null;
  releases: ReleaseFacts[];
  /** Names of the `aliases:` (e.g. `assets.deploy`); null when they cannot be read. */
  aliases: string[] | null;
}

/** Parses mix.exs source; throws `<label>:<line>: syntax error ...` when it does not parse. */
export async function readMixExs(source: string, label = 'mix.exs'): Promise<MixExs> {
  const tree = await parseSource(source, label);
  try {
    return extractMixExs(tree.rootNode);
  } finally {
    tree.delete();
  }
}

function extractMixExs(root: Node): MixExs {
  const body = findProjectModule(root);
  const empty: MixExs = {
    app: null,
    version: null,
    elixirRequirement: null,
    deps: [],
    appsPath: null,
    releases: [],
    aliases: null,
  };
  if (!body) return empty;
  const scope = scanModule(body);
  const project = readProjectList(scope);
  const appPair = keywordPair(project, 'app');
  return {
    app: appPair ? { name: atomName(keywordGet(project, 'app')), ...locate(appPair) } : null,
    version: stringText(keywordGet(project, 'version')),
    elixirRequirement: stringText(keywordGet(project, 'elixir')),
    deps: readDeps(scope, keywordGet(project, 'deps')),
    appsPath: stringText(keywordGet(project, 'apps_path')),
    releases: keywordEntries(keywordGet(project, 'releases')).map(([name, config]) => readRelease(name, config)),
    aliases: readAliasNames(keywordGet(project, 'aliases')),
  };
}

/** [] when mix.exs has no `aliases:`; null when it has them in a shape we cannot read. */
function readAliasNames(value: Value | undefined): string[] | null {
  if (value === undefined) return [];
  return value.kind === 'list' ? keywordEntries(value).map(([name]) => name) : null;
}

/** The body of the module that does `use Mix.Project` (else the first module in the file). */
function findProjectModule(root: Node): Node | null {
  const bodies = namedKids(root)
    .filter((node) => node.type === 'call' && node.childForFieldName('target')?.text === 'defmodule')
    .map((node) => node.namedChildren.find((child) => child.type === 'do_block'))
    .filter((body): body is Node => body !== undefined);
  const usesMix = (body: Node) =>
    namedKids(body).some((node) => {
      if (node.type !== 'call' || node.childForFieldName('target')?.text !== 'use') return false;
      const args = node.namedChildren.find((child) => child.type === 'arguments');
      return args?.firstNamedChild?.text === 'Mix.Project';
    });
  return bodies.find(usesMix) ?? bodies[0] ?? null;
}

/**
 * The keyword list `project/0` returns. When it is built in a way we cannot follow (a pipe into
 * an unknown function, say), fall back to the literal keyword list in its body that holds `app:`
 * or `apps_path:`: that is the list a reader of the file would point at.
 */
function readProjectList(scope: ModuleScope): Value | undefined {
  const value = callLocal(scope, 'project', []);
  if (keywordGet(value, 'app') || keywordGet(value, 'apps_path')) return value;
  for (const clause of scope.functions.get('project/0') ?? []) {
    for (const expr of clause.body) {
      const list = expr
        .descendantsOfType('keywords')
        .find(
          (keywords) =>
            isTopLevel(keywords, expr) &&
            namedKids(keywords).some((pair) => /^(app|apps_path):/.test(pair.childForFieldName('key')?.text ?? '')),
        );
      if (list) return evaluate(list, scope);
    }
  }
  return value;
}

/** Not nested in another keyword list or a tuple (`{:icons, app: false}` is a dep's option). */
function isTopLevel(keywords: Node, expr: Node): boolean {
  for (let node = keywords.parent; node; node = node.parent) {
    if (node.type === 'pair' || node.type === 'tuple') return false;
    if (node.id === expr.id) break;
  }
  return true;
}

function readDeps(scope: ModuleScope, declared: Value | undefined): string[] {
  const list = declared?.kind === 'list' ? declared : callLocal(scope, 'deps', []);
  const names = listItems(list).map((item) => (item.kind === 'tuple' ? atomName(item.items[0]) : null));
  return [...new Set(names.filter((name): name is string => name !== null))];
}

function readRelease(name: string, config: Value): ReleaseFacts {
  const executables = keywordGet(config, 'include_executables_for');
  const overlays = keywordGet(config, 'overlays');
  const applications: Record<string, string> = {};
  for (const [app, start] of keywordEntries(keywordGet(config, 'applications'))) {
    const type = atomName(start);
    if (type) applications[app] = type;
  }
  return {
    name,
    includeExecutablesFor:
      executables?.kind === 'list'
        ? listItems(executables)
            .map(atomName)
            .filter((os): os is 'unix' | 'windows' => os === 'unix' || os === 'windows')
        : ['unix', 'windows'],
    applications,
    path: stringText(keywordGet(config, 'path')),
    overlays:
      overlays?.kind === 'string'
        ? [overlays.text]
        : overlays?.kind === 'list'
          ? listItems(overlays).map(stringText).filter((dir): dir is string => dir !== null)
          : null,
  };
}

function locate(value: Value): { text: string; line: number } {
  return { text: value.node?.text ?? '', line: (value.node?.startPosition.row ?? 0) + 1 };
}
