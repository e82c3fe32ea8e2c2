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

// The only node types envReadName recognises.
const ENV_READ_TYPES = ['call', 'binary_operator'];

/** The variable a `System.get_env("X")` call (or `"X" |> System.get_env()`) reads, else null. */
export function envReadName(node: Node): string | null {
  if (node.type === 'call' && isSystemEnvTarget(node.childForFieldName('target'))) {
    const first = argumentNodes(node)[0];
    return first ? literalString(first) : null;
  }
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '|>') {
    const right = node.childForFieldName('right');
    const left = node.childForFieldName('left');
    if (right?.type === 'call' && isSystemEnvTarget(right.childForFieldName('target')) && argumentNodes(right).length === 0) {
      return left ? literalString(left) : null;
    }
  }
  return null;
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
