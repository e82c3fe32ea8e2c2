// Questions asked of a parsed config/runtime.exs. Only syntax nodes count: text in a comment or
// a string (without interpolation) is not a setting, however it reads.
import type { Node } from '../inspect/elixir-parser.js';
import { argumentNodes } from '../inspect/module-scope.js';
import { literalString } from '../inspect/values.js';
import type { EndpointRef } from './server.js';

// Any of these reading the variable means the user has wired it up, however they use the value.
const ENV_READERS = new Set(['get_env', 'fetch_env', 'fetch_env!']);

/** True when code (not a comment or a string) reads `name` with `System.get_env/1,2` or a fetch. */
export function readsEnv(root: Node, name: string): boolean {
  return collectNodes(root, (node) => envReadName(node) === name, 1, ENV_READ_TYPES).length > 0;
}

/**
 * The variables code reads with no fallback, in source order, once each: `System.fetch_env!/1`,
 * `fetch_env/1`, and `get_env/1` unless `|| default` follows it (`|| raise ...` is no default). A platform must set these; a
 * variable read with a default (`get_env("POOL_SIZE", "10")`, `get_env("PORT") || "4000"`) may stay unset.
 */
export function envReadWithoutDefault(root: Node): string[] {
  const reads = collectNodes(root, (node) => envReadName(node) !== null && !hasDefault(node), Infinity, ENV_READ_TYPES);
  return [...new Set(reads.map((node) => envReadName(node)!))];
}

function hasDefault(read: Node): boolean {
  const call = read.type === 'call' ? read : read.childForFieldName('right')!;
  const piped = read !== call;
  if (call.childForFieldName('target')?.childForFieldName('right')?.text === 'get_env' && argumentNodes(call).length > (piped ? 0 : 1)) return true;
  // In `a || b || c` (read as `(a || b) || c`) a read has a fallback when anything but a raise
  // follows it: `System.get_env("DATABASE_URL") || raise "..."` insists on the variable.
  let node = read;
  for (let parent = node.parent; isOr(parent); node = parent, parent = parent.parent) {
    if (parent.childForFieldName('left')?.id !== node.id) continue;
    const fallback = parent.childForFieldName('right');
    return !(fallback?.type === 'call' && ['raise', 'exit'].includes(fallback.childForFieldName('target')?.text ?? ''));
  }
  return false;
}

function isOr(node: Node | null): node is Node {
  return node?.type === 'binary_operator' && node.childForFieldName('operator')?.text === '||';
}

// The only node types envReadName recognises.
const ENV_READ_TYPES = ['call', 'binary_operator'];

/** The variable a `System.get_env("X")` call (or `"X" |> System.get_env()`) reads, else null. */
export function envReadName(node: Node): string | null {
  if (node.type === 'call' && isSystemEnvTarget(node.childForFieldName('target'))) {
    // Piped (`"X" |> System.get_env("default")`): the name is on the left of the pipe.
    if (isPipe(node.parent) && node.parent.childForFieldName('right')?.id === node.id) return null;
    const first = argumentNodes(node)[0];
    return first ? literalString(first) : null;
  }
  if (isPipe(node)) {
    const right = node.childForFieldName('right');
    const left = node.childForFieldName('left');
    if (right?.type === 'call' && isSystemEnvTarget(right.childForFieldName('target')) && argumentNodes(right).length <= 1) {
      return left ? literalString(left) : null;
    }
  }
  return null;
}

function isPipe(node: Node | null): node is Node {
  return node?.type === 'binary_operator' && node.childForFieldName('operator')?.text === '|>';
}

function isSystemEnvTarget(target: Node | null): boolean {
  if (target?.type !== 'dot') return false;
  const left = target.childForFieldName('left');
  const right = target.childForFieldName('right');
  return left?.type === 'alias' && left.text === 'System' && right !== null && ENV_READERS.has(right.text);
}

/**
 * Every node the test accepts (up to `limit`), in source order. Walked with a tree cursor, a loop
 * rather than recursion (a file nested thousands of levels deep must not overflow the stack), and
 * a node object is made only for the nodes the test sees: named ones, of `type` (one or several) when given.
 */
export function collectNodes(node: Node, test: (node: Node) => boolean, limit = Infinity, type?: string | string[]): Node[] {
  const wanted = type === undefined ? null : new Set(typeof type === 'string' ? [type] : type);
  const found: Node[] = [];
  const cursor = node.walk();
  try {
    let depth = 0;
    for (;;) {
      if (cursor.nodeIsNamed && (wanted === null || wanted.has(cursor.nodeType))) {
        const current = cursor.currentNode;
        if (test(current)) {
          found.push(current);
          if (found.length >= limit) return found;
        }
      }
      if (cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (depth === 0 || !cursor.gotoParent()) return found;
        depth--;
      }
      if (depth === 0) return found;
    }
  } finally {
    cursor.delete();
  }
}

/**
 * The top-level expression that makes `config/2,3` available: `import Config`, or the older
 * `use Mix.Config`. The first one wins, so the inserted block lands near the top as in phx.new.
 */
export function findConfigImport(root: Node): Node | null {
  for (const node of root.namedChildren) {
    if (node?.type !== 'call') continue;
    const target = node.childForFieldName('target');
    const [arg, ...rest] = argumentNodes(node);
    if (target?.type !== 'identifier' || !arg || rest.length > 0 || arg.type !== 'alias') continue;
    if ((target.text === 'import' && arg.text === 'Config') || (target.text === 'use' && arg.text === 'Mix.Config')) {
      return node;
    }
  }
  return null;
}

/** A `config :<otpApp>, <Endpoint>, ...` call. */
export function isEndpointConfig(node: Node, endpoint: EndpointRef): boolean {
  if (node.type !== 'call' || node.childForFieldName('target')?.text !== 'config') return false;
  const [app, module] = argumentNodes(node);
  return app?.text === `:${endpoint.otpApp}` && module?.text.replace(/\s+/g, '') === endpoint.module;
}

/** The key of a `key: value` pair without its colon, else null. */
export function pairKey(node: Node): string | null {
  return node.type === 'pair' ? (node.childForFieldName('key')?.text.trim().replace(/:$/, '') ?? null) : null;
}
