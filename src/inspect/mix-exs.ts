import type { ReleaseFacts } from '../types.js';
import type { Node } from './elixir-parser.js';
import { callLocal, evaluate, scanModule, unreadPart, type ModuleScope } from './evaluate.js';
import { readLoadTimeFiles, type LoadTimeFiles } from './load-time-files.js';
import { readDeps, type DepSource } from './mix-deps.js';
import { oneLine, parseSource } from './source-file.js';
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

/** A part of mix.exs the static reader could not follow, for the warning that says so. */
export interface UnreadPart {
  what: 'project' | 'deps' | 'releases';
  line: number;
  /** The code that could not be read, on one line. */
  text: string;
}

/** What `application/0` declares: `mod:` (the app's callback module) and extra applications. */
export interface ApplicationSpec {
  /** `mod: {FleetMate.Application, []}` → `FleetMate.Application`; null when there is none. */
  mod: string | null;
  extraApplications: string[];
}

/** What mix.exs declares in `project/0` and `application/0`, read statically. */
export interface MixExs {
  /** Null when `project/0` has no `app:` (true of umbrella roots). */
  app: AppField | null;
  version: string | null;
  elixirRequirement: string | null;
  /** Dependency names in declaration order, from every branch (any env, any target). */
  deps: string[];
  appsPath: string | null;
  releases: ReleaseFacts[];
  /** `default_release:`, the release `mix release` builds when given no name. */
  defaultRelease: string | null;
  /** The `aliases:` by name (e.g. `assets.deploy`) with their commands; null when they cannot be read. */
  aliases: Record<string, string[]> | null;
  /** Dependencies fetched from a path or git rather than Hex. */
  depSources: DepSource[];
  /** Files mix.exs reads while Mix loads it, relative to its directory. */
  loadTimeFiles: LoadTimeFiles;
  /** `elixirc_paths:` as the prod build sees it (Mix's default `["lib"]` when not set). */
  elixircPaths: string[];
  /** `application/0`; null when it is computed in a way we cannot follow. */
  application: ApplicationSpec | null;
  /** `package:` is set: the project is published to Hex. */
  hasPackage: boolean;
  /** What could not be read (deps computed at load time, say), in file order. */
  unread: UnreadPart[];
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
    defaultRelease: null,
    aliases: null,
    depSources: [],
    loadTimeFiles: readLoadTimeFiles(root),
    elixircPaths: ['lib'],
    application: { mod: null, extraApplications: [] },
    hasPackage: false,
    unread: [],
  };
  if (!body) return empty;
  const scope = scanModule(body);
  // Deps are read across environments (a dep of any env may bring Phoenix or Ecto); what the
  // release build sees (paths, releases) is read as prod.
  const project = readProjectList(scope, null);
  const prod = readProjectList(scope, 'prod');
  const appPair = keywordPair(prod, 'app');
  const unread: UnreadPart[] = [];
  if (!keywordGet(project, 'app') && !keywordGet(project, 'apps_path')) noteUnread(unread, 'project', project);
  const releases = keywordGet(prod, 'releases');
  if (releases !== undefined && releases.kind !== 'list') noteUnread(unread, 'releases', releases);
  const deps = readDeps(scope, keywordGet(project, 'deps'));
  if (deps.unread) noteUnread(unread, 'deps', deps.unread);
  return {
    app: appPair ? { name: atomName(keywordGet(prod, 'app')), ...locate(appPair) } : null,
    version: stringText(keywordGet(prod, 'version')),
    elixirRequirement: stringText(keywordGet(prod, 'elixir')),
    deps: deps.names,
    depSources: deps.sources,
    loadTimeFiles: readLoadTimeFiles(root),
    appsPath: stringText(keywordGet(prod, 'apps_path')),
    releases: keywordEntries(releases).map(([name, config]) => readRelease(name, config)),
    defaultRelease: atomName(keywordGet(prod, 'default_release')),
    aliases: readAliases(keywordGet(project, 'aliases')),
    elixircPaths: readPaths(keywordGet(prod, 'elixirc_paths')),
    application: readApplication(scope),
    hasPackage: keywordGet(project, 'package') !== undefined,
    unread: unread.sort((a, b) => a.line - b.line),
  };
}

function noteUnread(unread: UnreadPart[], what: UnreadPart['what'], value: Value | undefined): void {
  const node = unreadPart(value) ?? value?.node ?? null;
  unread.push({ what, line: (node?.startPosition.row ?? 0) + 1, text: oneLine(node?.text ?? '') });
}

/** `elixirc_paths:` when it is a list of strings; Mix's default otherwise. */
function readPaths(value: Value | undefined): string[] {
  const paths = listItems(value).map(stringText).filter((p): p is string => p !== null);
  return paths.length > 0 ? [...new Set(paths)] : ['lib'];
}

/** `application/0`'s `mod:` and `extra_applications:`; null when its value cannot be read. */
function readApplication(scope: ModuleScope): ApplicationSpec | null {
  if (!scope.functions.has('application/0')) return { mod: null, extraApplications: [] };
  const value = callLocal(scope, 'application', [], { mixEnv: 'prod' });
  if (value.kind !== 'list') return null;
  const mod = keywordGet(value, 'mod');
  const callback = mod?.kind === 'tuple' ? mod.items[0] : mod;
  return {
    mod: callback?.kind === 'alias' ? callback.name : null,
    extraApplications: listItems(keywordGet(value, 'extra_applications')).map(atomName).filter((a): a is string => a !== null),
  };
}

/**
 * The aliases with their commands: {} when mix.exs has no `aliases:`, null when they are in a
 * shape we cannot read. A command we cannot read (a function capture) stands as `?`.
 */
function readAliases(value: Value | undefined): Record<string, string[]> | null {
  if (value === undefined) return {};
  if (value.kind !== 'list') return null;
  const aliases: Record<string, string[]> = {};
  for (const [name, commands] of keywordEntries(value)) {
    const items = commands.kind === 'list' ? commands.items : [commands];
    aliases[name] = items.map((item) => stringText(item) ?? '?');
  }
  return aliases;
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
function readProjectList(scope: ModuleScope, mixEnv: string | null): Value | undefined {
  const value = callLocal(scope, 'project', [], { mixEnv });
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
      if (list) return evaluate(list, scope, { mixEnv });
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
    relTemplatesPath: stringText(keywordGet(config, 'rel_templates_path')),
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

const OVERRIDES: Record<UnreadPart['what'], (app: string | null) => string> = {
  project: () => 'the rest of project/0 was read from its literal keyword list',
  deps: () =>
    'assumed only the dependencies that can be read: pass --ecto if the project uses Ecto (a Phoenix endpoint is found in the code either way)',
  releases: (app) => `assumed Mix's default release${app ? ` ${app}` : ''}: pass --release <name> to use another`,
};

/** One warning per unread part: what was not read, what was assumed, the flag that overrides it. */
export function describeUnread(unread: UnreadPart[], file: string, app: string | null): string[] {
  return unread.map((part) => {
    const what = part.what === 'project' ? 'project/0' : `${part.what}:`;
    return `${file}:${part.line}: could not read ${what} statically (\`${part.text}\` is computed when Mix loads the file); ${OVERRIDES[part.what](app)}.`;
  });
}

