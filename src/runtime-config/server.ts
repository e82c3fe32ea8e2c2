// How config/runtime.exs decides an endpoint's `server:` in a prod release, read from its parse
// tree as Config.Reader would apply it: the last `config :app, Endpoint, server: ...` that runs
// wins, whatever came before. So a PHX_SERVER block near the top does nothing when a later
// setting overrides it, and a project that already switches the server on from its own variable
// needs no block at all: bin/server sets that variable instead.
import type { Node } from '../inspect/elixir-parser.js';
import { evaluate } from '../inspect/evaluate.js';
import { argumentNodes, operatorOf } from '../inspect/module-scope.js';
import { namedKids } from '../inspect/values.js';
import { literalString } from '../inspect/values.js';
import { collectNodes, envReadName, isEndpointConfig } from './find.js';

/** An environment variable and the value that turns the server on. */
export interface ServerEnv {
  name: string;
  value: string;
}

export type ServerSetting =
  /** Nothing sets `server:` for the endpoint. */
  | { kind: 'unset' }
  /** The last setting serves when these variables have these values. */
  | { kind: 'switch'; env: ServerEnv[]; line: number }
  /** The last setting serves unconditionally in prod. */
  | { kind: 'always'; line: number }
  /** The last setting is one we cannot turn on (`server: false`, an expression we cannot read):
   *  a block must come after it, past `after` (the end of the top-level expression holding it). */
  | { kind: 'overridden'; line: number; after: number };

export interface EndpointRef {
  module: string;
  otpApp: string;
}

const NO_SCOPE = { attributes: [], functions: new Map() };

/** The effective `server:` setting of `endpoint` in a parsed runtime.exs. */
export function analyzeServer(root: Node, endpoint: EndpointRef): ServerSetting {
  const settings = collectNodes(root, (node) => isEndpointConfig(node, endpoint), Infinity, 'call').flatMap((call) => {
    const value = serverValue(call);
    return value ? [{ call, value }] : [];
  });
  for (const { call, value } of settings.reverse()) {
    const conditions = enclosingConditions(call);
    // A setting under a condition false in prod (`if config_env() == :dev`) never applies there.
    if (conditions.some((c) => c.kind === 'never')) continue;
    const line = call.startPosition.row + 1;
    const fromConditions = conditions.flatMap((c) => (c.kind === 'env' ? [c.env] : []));
    const unknownCondition = conditions.some((c) => c.kind === 'unknown');
    const fromValue = value.type === 'boolean' && value.text === 'true' ? [] : envSwitch(value);
    if (unknownCondition || fromValue === null) return { kind: 'overridden', line, after: topLevelEnd(root, call) };
    const env = [...fromConditions, ...fromValue];
    return env.length === 0 ? { kind: 'always', line } : { kind: 'switch', env: unique(env), line };
  }
  return { kind: 'unset' };
}

function serverValue(call: Node): Node | null {
  const keywords = argumentNodes(call)[2];
  if (keywords?.type !== 'keywords') return null;
  for (const pair of namedKids(keywords)) {
    if (pair.childForFieldName('key')?.text.trim() === 'server:') return pair.childForFieldName('value');
  }
  return null;
}

type Condition = { kind: 'env'; env: ServerEnv } | { kind: 'prod' } | { kind: 'never' } | { kind: 'unknown' };

/** The `if`/`unless` conditions a node runs under, innermost first. */
function enclosingConditions(node: Node): Condition[] {
  const conditions: Condition[] = [];
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type !== 'call') continue;
    const name = parent.childForFieldName('target')?.text;
    if (name !== 'if' && name !== 'unless') continue;
    const condition = argumentNodes(parent)[0];
    if (!condition || condition.equals(child) || isAncestor(condition, node)) continue;
    const inElse = isInElse(parent, node);
    conditions.push(...classify(condition, (name === 'unless') !== inElse));
  }
  return conditions;
}

// Set by the release's own start script, so true whenever a release runs.
const RELEASE_VARIABLES = new Set(['RELEASE_NAME', 'RELEASE_VSN', 'RELEASE_ROOT', 'RELEASE_COMMAND', 'RELEASE_PROG']);

/** What must hold for a condition to be true (both sides of `&&`/`and`), or why it cannot. */
function classify(condition: Node, negated: boolean): Condition[] {
  const op = condition.type === 'binary_operator' ? operatorOf(condition) : null;
  if (!negated && (op === '&&' || op === 'and')) {
    const sides = [condition.childForFieldName('left'), condition.childForFieldName('right')];
    return sides.flatMap((side) => (side ? classify(side, false) : [{ kind: 'unknown' as const }]));
  }
  const known = evaluate(condition, NO_SCOPE, { mixEnv: 'prod' });
  if (known.kind === 'atom' && ['true', 'false', 'nil'].includes(known.name)) {
    const truth = known.name === 'true';
    return [truth !== negated ? { kind: 'prod' } : { kind: 'never' }];
  }
  const env = negated ? null : envSwitch(condition);
  if (!env || env.length !== 1) return [{ kind: 'unknown' }];
  return [RELEASE_VARIABLES.has(env[0]!.name) ? { kind: 'prod' } : { kind: 'env', env: env[0]! }];
}

/**
 * The variables and values that make an expression true: `System.get_env("X")` (any value,
 * so `true`), `System.get_env("X") == "yes"`, `System.get_env("X") in ~w(true 1)`,
 * `System.get_env("X") != nil`. Null for anything else.
 */
function envSwitch(node: Node): ServerEnv[] | null {
  const read = envReadName(node);
  if (read) return argumentNodes(node).length > 1 ? null : [{ name: read, value: 'true' }];
  if (node.type !== 'binary_operator') return null;
  const op = operatorOf(node);
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const [variable, other] = left && envReadName(left) ? [envReadName(left), right] : right && envReadName(right) ? [envReadName(right), left] : [null, null];
  if (!variable || !other) return null;
  if (op === '==' || op === '===') {
    const text = literalString(other);
    return text === null ? null : [{ name: variable, value: text }];
  }
  if (op === '!=' && other.type === 'nil') return [{ name: variable, value: 'true' }];
  if (op === 'in') {
    const first = firstListString(other);
    return first === null ? null : [{ name: variable, value: first }];
  }
  return null;
}

function firstListString(node: Node): string | null {
  if (node.type === 'list') {
    const first = namedKids(node)[0];
    return first ? literalString(first) : null;
  }
  if (node.type === 'sigil' && /^[wW]$/.test(node.namedChildren.find((c) => c.type === 'sigil_name')?.text ?? '')) {
    const content = node.namedChildren.find((c) => c.type === 'quoted_content')?.text ?? '';
    return content.split(/\s+/).filter(Boolean)[0] ?? null;
  }
  return null;
}

function isAncestor(ancestor: Node, node: Node): boolean {
  for (let n: Node | null = node; n; n = n.parent) if (n.equals(ancestor)) return true;
  return false;
}

function isInElse(ifCall: Node, node: Node): boolean {
  const elseBlock = ifCall.namedChildren.find((c) => c.type === 'do_block')?.namedChildren.find((c) => c.type === 'else_block');
  if (elseBlock && isAncestor(elseBlock, node)) return true;
  // `if cond, do: a, else: b`
  const keywords = argumentNodes(ifCall)[1];
  if (keywords?.type !== 'keywords') return false;
  return namedKids(keywords).some((pair) => pair.childForFieldName('key')?.text.trim() === 'else:' && isAncestor(pair, node));
}

function topLevelEnd(root: Node, node: Node): number {
  let top = node;
  while (top.parent && !top.parent.equals(root)) top = top.parent;
  return top.endIndex;
}

function unique(env: ServerEnv[]): ServerEnv[] {
  return env.filter((e, i) => env.findIndex((o) => o.name === e.name) === i);
}
