// The compile-time configuration as Mix loads it for one environment: config/config.exs and the
// files it imports (`import_config "#{config_env()}.exs"`, named files, chains, wildcards), read
// with the Elixir grammar. Conditions on the environment are decided; others keep both branches.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Node } from './elixir-parser.js';
import { evaluate, type ModuleScope } from './evaluate.js';
import { argumentNodes, blockBody } from './module-scope.js';
import { parseSource, readSourceFile } from './source-file.js';
import { detach, literalString, namedKids, type Value } from './values.js';

/** One `config :app, ...` call, with its options as far as they are known. */
export interface ConfigCall {
  app: string;
  /** `config :app, Module, opts` configures a module; null for `config :app, opts`. */
  module: string | null;
  /** The keyword options in order (values without their syntax nodes). */
  options: Array<[string, Value]>;
  /** Project-relative file and 1-based line of the call. */
  file: string;
  line: number;
}

/** An `import_config` that could not be followed. */
export interface ImportProblem {
  /** The file holding the `import_config`, and its line. */
  file: string;
  line: number;
  /** The argument as written, or the path that does not exist. */
  text: string;
}

export interface ConfigChain {
  /** Project-relative paths of the files loaded, in load order (the entry first). */
  files: string[];
  /** Every `config` call, in the order Mix evaluates them (later ones override earlier keys). */
  calls: ConfigCall[];
  /** Imports whose path depends on something we cannot evaluate. */
  unresolved: ImportProblem[];
  /** Imports of files that do not exist (a `prod.secret.exs` kept out of git, say). */
  missing: ImportProblem[];
}

const EMPTY_SCOPE: ModuleScope = { attributes: [], functions: new Map() };

/**
 * Reads `entry` (project-relative, e.g. `config/config.exs`) and everything it imports for
 * `mixEnv`. A missing entry gives an empty chain; a file that does not parse is an error naming it.
 */
export async function readConfigChain(root: string, entry: string, mixEnv = 'prod'): Promise<ConfigChain> {
  const chain: ConfigChain = { files: [], calls: [], unresolved: [], missing: [] };
  await loadFile(root, normalize(entry), chain, mixEnv, null);
  return chain;
}

async function loadFile(root: string, rel: string, chain: ConfigChain, mixEnv: string, from: ImportProblem | null): Promise<void> {
  // Mix refuses an import cycle; reading a file twice would add nothing.
  if (chain.files.includes(rel)) return;
  const source = await readSourceFile(path.join(root, rel), rel);
  if (source === null) {
    if (from) chain.missing.push({ ...from, text: rel });
    return;
  }
  chain.files.push(rel);
  const tree = await parseSource(source, rel);
  // Calls are read and imports resolved while the tree lives; an import's own calls belong at its
  // place in the order, so the files it names are loaded in sequence afterwards.
  const steps: Array<ConfigCall | (() => Promise<void>)> = [];
  try {
    walkStatements(namedKids(tree.rootNode), mixEnv, {
      config: (call) => steps.push(readConfigCall(call, rel, mixEnv)),
      importConfig: (call) => steps.push(resolveImport(root, rel, call, chain, mixEnv)),
      importEach: (pattern, relativeTo, at) => {
        const target = normalize(relativeTo === 'file' ? path.posix.join(path.posix.dirname(rel), pattern) : pattern);
        const where = { file: rel, line: at.startPosition.row + 1 };
        steps.push(async () => {
          for (const file of await expandWildcard(root, target)) await loadFile(root, file, chain, mixEnv, { ...where, text: file });
        });
      },
    });
  } finally {
    tree.delete();
  }
  for (const step of steps) {
    if (typeof step === 'function') await step();
    else chain.calls.push(step);
  }
}

interface Visitor {
  config(call: Node): void;
  importConfig(call: Node): void;
  /** `for file <- Path.wildcard(...), do: import_config file`: the pattern, and what it is relative to. */
  importEach(pattern: string, relativeTo: 'file' | 'root', at: Node): void;
}

/** Visits the statements Mix would evaluate, in order, deciding `if`s on the environment. */
function walkStatements(statements: Node[], mixEnv: string, visit: Visitor): void {
  for (const node of statements) {
    if (node.type !== 'call') continue;
    const name = node.childForFieldName('target')?.type === 'identifier' ? node.childForFieldName('target')!.text : null;
    if (name === 'config') visit.config(node);
    else if (name === 'import_config') visit.importConfig(node);
    else if (name === 'if' || name === 'unless') walkBranches(node, name === 'unless', mixEnv, visit);
    else if (name === 'for' && importsEach(node, visit)) continue;
    else {
      // Any other block (`case`, `for`, `with`...): its config calls may run, so they count.
      const doBlock = node.namedChildren.find((child) => child.type === 'do_block');
      if (doBlock) walkStatements(namedKids(doBlock).flatMap(blockStatements), mixEnv, visit);
    }
  }
}

function walkBranches(node: Node, negate: boolean, mixEnv: string, visit: Visitor): void {
  const [condition, keywords] = argumentNodes(node);
  const value = condition ? evaluate(condition, EMPTY_SCOPE, { mixEnv }) : undefined;
  const truth = value && value.kind === 'atom' ? !['false', 'nil'].includes(value.name) : null;
  const taken = truth === null ? null : truth !== negate;
  const doBlock = node.namedChildren.find((child) => child.type === 'do_block');
  const yes: Node[] = [];
  const no: Node[] = [];
  if (doBlock) {
    yes.push(...blockBody(doBlock));
    const elseBlock = doBlock.namedChildren.find((child) => child.type === 'else_block');
    if (elseBlock) no.push(...namedKids(elseBlock));
  } else if (keywords?.type === 'keywords') {
    for (const pair of namedKids(keywords)) {
      const key = pair.childForFieldName('key')?.text.trim();
      const value = pair.childForFieldName('value');
      if (value && key === 'do:') yes.push(value);
      if (value && key === 'else:') no.push(value);
    }
  }
  if (taken !== false) walkStatements(yes, mixEnv, visit);
  if (taken !== true) walkStatements(no, mixEnv, visit);
}

/**
 * `for config <- "../apps/*\/config/config.exs" |> Path.expand(__DIR__) |> Path.wildcard() do
 * import_config config end`, the form Elixir's deprecation of wildcard imports recommended.
 */
function importsEach(node: Node, visit: Visitor): boolean {
  const generator = argumentNodes(node).find((arg) => arg.type === 'binary_operator' && arg.childForFieldName('operator')?.type === '<-');
  const variable = generator?.childForFieldName('left');
  const source = generator?.childForFieldName('right');
  const doBlock = node.namedChildren.find((child) => child.type === 'do_block');
  const body = doBlock ? blockBody(doBlock) : [];
  const imports = body.length === 1 && body[0]!.type === 'call' && body[0]!.childForFieldName('target')?.text === 'import_config';
  const imported = imports ? argumentNodes(body[0]!)[0] : undefined;
  if (variable?.type !== 'identifier' || imported?.text !== variable.text || !source) return false;
  const wildcard = wildcardOf(source);
  if (wildcard) visit.importEach(wildcard.pattern, wildcard.relativeTo, node);
  return wildcard !== null;
}

/** The pattern of `Path.wildcard(...)` over a literal, expanded against `__DIR__` or not (then the cwd: the project root). */
function wildcardOf(node: Node): { pattern: string; relativeTo: 'file' | 'root' } | null {
  const steps = pipeline(node);
  const last = steps[steps.length - 1];
  if (!last || last.name !== 'Path.wildcard') return null;
  const inner = steps.slice(0, -1);
  const first = inner[0];
  const pattern = first?.literal ?? null;
  if (pattern === null) return null;
  if (inner.length === 1) return { pattern, relativeTo: 'root' };
  const expand = inner[1];
  return inner.length === 2 && expand?.name === 'Path.expand' && expand.args.length === 1 && expand.args[0]!.text === '__DIR__'
    ? { pattern, relativeTo: 'file' }
    : null;
}

/** `a |> f(x) |> g()` and `g(f(a, x))` alike: the initial value, then each call with its other arguments. */
function pipeline(node: Node): Array<{ name: string | null; literal: string | null; args: Node[] }> {
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.type === '|>') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || right?.type !== 'call') return [];
    return [...pipeline(left), { name: right.childForFieldName('target')?.text ?? null, literal: null, args: argumentNodes(right) }];
  }
  if (node.type === 'call' && node.childForFieldName('target')?.type === 'dot') {
    const [first, ...rest] = argumentNodes(node);
    if (!first) return [];
    return [...pipeline(first), { name: node.childForFieldName('target')!.text, literal: null, args: rest }];
  }
  return [{ name: null, literal: literalString(node), args: [] }];
}

/** A `do` block's direct statements, with nested blocks (`else`, `after`) flattened in. */
function blockStatements(node: Node): Node[] {
  return /_block$/.test(node.type) ? namedKids(node) : [node];
}

function readConfigCall(call: Node, file: string, mixEnv: string): ConfigCall {
  const [appNode, second, third] = argumentNodes(call);
  const app = appNode?.type === 'atom' ? appNode.text.slice(1) : '';
  const module = second?.type === 'alias' ? second.text.replace(/\s+/g, '') : null;
  const keywords = module ? third : second;
  const options: Array<[string, Value]> = [];
  if (keywords?.type === 'keywords' || keywords?.type === 'list') {
    const value = evaluate(keywords, EMPTY_SCOPE, { mixEnv });
    if (value.kind === 'list') {
      for (const item of value.items) {
        const [key, val] = item.kind === 'tuple' ? item.items : [];
        if (key?.kind === 'atom' && val) options.push([key.name, detach(val)]);
      }
    }
  }
  return { app, module, options, file, line: call.startPosition.row + 1 };
}

/** Resolves one `import_config` now (the tree is alive) and returns the step that loads it. */
function resolveImport(root: string, file: string, call: Node, chain: ConfigChain, mixEnv: string): () => Promise<void> {
  const arg = argumentNodes(call)[0];
  const where = { file, line: call.startPosition.row + 1 };
  const value = arg ? evaluate(arg, EMPTY_SCOPE, { mixEnv }) : undefined;
  if (value?.kind !== 'string') {
    chain.unresolved.push({ ...where, text: arg?.text ?? call.text });
    return async () => {};
  }
  const target = normalize(path.posix.join(path.posix.dirname(file), value.text));
  return async () => {
    const targets = target.includes('*') ? await expandWildcard(root, target) : [target];
    for (const rel of targets) await loadFile(root, rel, chain, mixEnv, { ...where, text: rel });
  };
}

/** `../apps/*\/config/config.exs` as Mix.Config expanded it: existing files, sorted. */
async function expandWildcard(root: string, pattern: string): Promise<string[]> {
  const parts = pattern.split('/');
  let matches = [''];
  for (const part of parts) {
    const next: string[] = [];
    for (const dir of matches) {
      if (!part.includes('*')) {
        next.push(dir ? `${dir}/${part}` : part);
        continue;
      }
      const regex = new RegExp(`^${part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
      const names = await readdir(path.join(root, dir)).catch(() => [] as string[]);
      for (const name of names.sort()) if (regex.test(name) && !name.startsWith('.')) next.push(dir ? `${dir}/${name}` : name);
    }
    matches = next;
  }
  return matches;
}

function normalize(rel: string): string {
  return path.posix.normalize(rel.replaceAll('\\', '/')).replace(/^\.\//, '');
}

/** The last value a chain sets for `key` of `app` (module null) or of `app`'s `module`. */
export function configValue(calls: ConfigCall[], app: string, module: string | null, key: string): { value: Value; call: ConfigCall } | null {
  let found: { value: Value; call: ConfigCall } | null = null;
  for (const call of calls) {
    if (call.app !== app || call.module !== module) continue;
    for (const [name, value] of call.options) if (name === key) found = { value, call };
  }
  return found;
}
