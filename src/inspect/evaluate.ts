import type { Node } from './elixir-parser.js';
import { remoteCall } from './remote-calls.js';
import { evaluateSigil, stringContent } from './literals.js';
import { blockBody, matchingClauses, operatorOf, type ModuleScope } from './module-scope.js';
import { keywordGet, listItems, namedKids, unknown, type Value } from './values.js';

export { scanModule, type ModuleScope } from './module-scope.js';

export interface EvalOptions {
  /**
   * The Mix environment `Mix.env()` and `config_env()` stand for (`prod` for what a release
   * builds), or null for the "any environment" view: both branches of an `if`, every clause.
   */
  mixEnv?: string | null;
}

interface Env {
  scope: ModuleScope;
  vars: Map<string, Value>;
  depth: number;
  mixEnv: string | null;
  /** Evaluation steps left, and how deep the evaluation is nested now, shared by the whole evaluation. */
  budget: { steps: number; nesting: number };
}

// mix.exs helpers call each other a few levels deep at most, and a real project/0 takes a few
// hundred steps; these limits only stop a recursive or branching file from running away.
const MAX_DEPTH = 16;
const MAX_STEPS = 20_000;
// Syntax nested this deep (`[[[[...` thousands of levels) would overflow the stack long before the
// step budget runs out; no real mix.exs comes near it.
const MAX_NESTING = 200;

function freshEnv(scope: ModuleScope, options: EvalOptions): Env {
  return { scope, vars: new Map(), depth: 0, mixEnv: options.mixEnv ?? null, budget: { steps: MAX_STEPS, nesting: 0 } };
}

/** Evaluates an expression of the module as far as it is statically known. */
export function evaluate(node: Node, scope: ModuleScope, options: EvalOptions = {}): Value {
  return evaluateIn(node, freshEnv(scope, options));
}

/** Calls a local function by name, e.g. `callLocal(scope, 'project', [])`. */
export function callLocal(scope: ModuleScope, name: string, args: Value[], options: EvalOptions = {}): Value {
  return callLocalIn(name, args, freshEnv(scope, options), null);
}

function evaluateIn(node: Node, env: Env): Value {
  if (--env.budget.steps < 0 || env.budget.nesting >= MAX_NESTING) return unknown(node);
  env.budget.nesting++;
  try {
    return evaluateNode(node, env);
  } finally {
    env.budget.nesting--;
  }
}

function evaluateNode(node: Node, env: Env): Value {
  switch (node.type) {
    case 'atom':
      return { kind: 'atom', name: node.text.slice(1), node };
    case 'boolean':
    case 'nil':
      return { kind: 'atom', name: node.text, node };
    case 'quoted_atom': {
      const name = stringContent(node, (inner) => evaluateIn(inner, env));
      return name === null ? unknown(node) : { kind: 'atom', name, node };
    }
    case 'string': {
      const text = stringContent(node, (inner) => evaluateIn(inner, env));
      return text === null ? unknown(node) : { kind: 'string', text, node };
    }
    case 'alias':
      return { kind: 'alias', name: node.text.replace(/\s+/g, ''), node };
    case 'list':
      return listOf(itemsOf(node, env, true), node);
    case 'keywords':
      return listOf(pairsOf(node, env), node);
    case 'tuple':
      return { kind: 'tuple', items: itemsOf(node, env, false), node };
    case 'sigil':
      return evaluateSigil(node);
    case 'unary_operator':
      return evaluateUnary(node, env);
    case 'identifier':
      return env.vars.get(node.text) ?? callLocalIn(node.text, [], env, node);
    case 'call':
      return evaluateCall(node, env, []);
    case 'binary_operator':
      return evaluateOperator(node, env);
    case 'block':
      return evaluateBody(namedKids(node), env);
    default:
      return unknown(node);
  }
}

/** A list value; one whose items include something unknown remembers the first such item. */
function listOf(items: Value[], node: Node | null, unread?: Node | null): Value {
  const firstUnknown = items.find((item) => item.kind === 'unknown');
  const missing = unread ?? (firstUnknown ? (firstUnknown.node ?? node) : null);
  return missing ? { kind: 'list', items, node, unread: missing } : { kind: 'list', items, node };
}

/** Children as values; `keywords` become pairs in a list, one list item in a tuple or call. */
function itemsOf(node: Node, env: Env, spreadKeywords: boolean): Value[] {
  const items: Value[] = [];
  for (const child of namedKids(node)) {
    if (child.type !== 'keywords') items.push(evaluateIn(child, env));
    else if (spreadKeywords) items.push(...pairsOf(child, env));
    else items.push({ kind: 'list', items: pairsOf(child, env), node: child });
  }
  return items;
}

function pairsOf(keywords: Node, env: Env): Value[] {
  return namedKids(keywords).map((pair) => {
    const key = pairKeyText(pair, env);
    const valueNode = pair.childForFieldName('value');
    const value = valueNode ? evaluateIn(valueNode, env) : unknown(pair);
    const keyValue: Value = key === null ? unknown(pair) : { kind: 'atom', name: key, node: pair };
    return { kind: 'tuple', items: [keyValue, value], node: pair };
  });
}

function pairKeyText(pair: Node, env: Env): string | null {
  const key = pair.childForFieldName('key');
  if (key?.type === 'keyword') return key.text.trim().replace(/:$/, '');
  if (key?.type === 'quoted_keyword') return stringContent(key, (inner) => evaluateIn(inner, env));
  return null;
}

function evaluateUnary(node: Node, env: Env): Value {
  const op = operatorOf(node);
  if (op === '@') return evaluateAttribute(node, env);
  const operand = node.childForFieldName('operand');
  if ((op === '!' || op === 'not') && operand) {
    const truth = truthOf(evaluateIn(operand, env));
    return truth === null ? unknown(node) : booleanValue(!truth, node);
  }
  return unknown(node);
}

/** `@name`: the last definition before the use, as the compiler sees it. */
function evaluateAttribute(node: Node, env: Env): Value {
  const operand = node.childForFieldName('operand');
  if (operand?.type !== 'identifier') return unknown(node);
  const defined = env.scope.attributes.filter((a) => a.name === operand.text && a.at < node.startIndex);
  const last = defined[defined.length - 1];
  if (!last || env.depth >= MAX_DEPTH) return unknown(node);
  return evaluateIn(last.value, { ...env, vars: new Map(), depth: env.depth + 1 });
}

function evaluateCall(node: Node, env: Env, piped: Value[]): Value {
  const target = node.childForFieldName('target');
  const argsNode = node.namedChildren.find((child) => child.type === 'arguments');
  const args = [...piped, ...(argsNode ? itemsOf(argsNode, env, false) : [])];
  if (target?.type === 'dot') {
    const module = target.childForFieldName('left')?.text ?? '';
    const fun = target.childForFieldName('right')?.text ?? '';
    const name = `${module}.${fun}`;
    if (name === 'Mix.env' && args.length === 0) return environmentAtom(env, node);
    return remoteCall(name, args, node);
  }
  if (target?.type !== 'identifier') return unknown(node);
  if (target.text === 'if' || target.text === 'unless') return evaluateIf(node, env, args, target.text === 'unless');
  // config/*.exs: Config's own view of the environment being read.
  if (target.text === 'config_env' && args.length === 0 && !env.scope.functions.has('config_env/0')) {
    return environmentAtom(env, node);
  }
  return callLocalIn(target.text, args, env, node);
}

function environmentAtom(env: Env, node: Node): Value {
  return env.mixEnv ? { kind: 'atom', name: env.mixEnv, node } : unknown(node);
}

/**
 * A known condition takes its branch; an unknown one (the "any environment" view) gives both,
 * where lists join (the deps of every environment).
 */
function evaluateIf(node: Node, env: Env, args: Value[], negate: boolean): Value {
  const doBlock = node.namedChildren.find((child) => child.type === 'do_block');
  const truth = truthOf(args[0]);
  const condition = truth === null ? null : truth !== negate;
  if (!doBlock) {
    const [yes, no] = [keywordGet(args[1], 'do'), keywordGet(args[1], 'else')];
    if (condition !== null) return (condition ? yes : no) ?? { kind: 'atom', name: 'nil', node };
    return unionOf([yes, no], node);
  }
  const elseBlock = doBlock.namedChildren.find((child) => child.type === 'else_block');
  const yes = () => evaluateBody(blockBody(doBlock), env);
  const no = () => (elseBlock ? evaluateBody(namedKids(elseBlock), env) : { kind: 'atom' as const, name: 'nil', node });
  if (condition !== null) return condition ? yes() : no();
  return unionOf(elseBlock ? [yes(), no()] : [yes()], node);
}

/** Elixir truthiness of a known value: only `false` and `nil` are falsy. Null when unknown. */
function truthOf(value: Value | undefined): boolean | null {
  if (!value || value.kind === 'unknown') return null;
  return !(value.kind === 'atom' && (value.name === 'false' || value.name === 'nil'));
}

function booleanValue(truth: boolean, node: Node): Value {
  return { kind: 'atom', name: String(truth), node };
}

function evaluateOperator(node: Node, env: Env): Value {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (!left || !right) return unknown(node);
  const op = operatorOf(node);
  if (op === '|>') {
    const piped = evaluateIn(left, env);
    const result =
      right.type === 'call' ? evaluateCall(right, env, [piped]) : right.type === 'identifier' ? callLocalIn(right.text, [piped], env, node) : unknown(node);
    // What could not be read is the whole pipeline, not its last step.
    return result.kind === 'unknown' ? unknown(node) : result;
  }
  const a = evaluateIn(left, env);
  const b = evaluateIn(right, env);
  // A list joined with something unknown still declares what we can see (`[...] ++ extra_deps()`),
  // and remembers that it is not the whole list.
  if (op === '++' && (a.kind === 'list' || b.kind === 'list')) {
    const unread = [a, b].map(unreadPart).find((part) => part !== null) ?? null;
    return listOf([...listItems(a), ...listItems(b)], node, unread);
  }
  if (op === '<>' && a.kind === 'string' && b.kind === 'string') return { kind: 'string', text: a.text + b.text, node };
  if (op === '==' || op === '!=') {
    const equal = sameScalar(a, b);
    return equal === null ? unknown(node) : booleanValue(equal === (op === '=='), node);
  }
  if (op === 'in' && b.kind === 'list' && !b.unread) {
    const matches = b.items.map((item) => sameScalar(a, item));
    if (matches.includes(true)) return booleanValue(true, node);
    return matches.every((m) => m === false) ? booleanValue(false, node) : unknown(node);
  }
  return unknown(node);
}

/** Whether two known atoms or strings are equal; null when either is not such a value. */
function sameScalar(a: Value, b: Value): boolean | null {
  if (a.kind === 'atom' && b.kind === 'atom') return a.name === b.name;
  if (a.kind === 'string' && b.kind === 'string') return a.text === b.text;
  if ((a.kind === 'atom' || a.kind === 'string') && (b.kind === 'atom' || b.kind === 'string')) return false;
  return null;
}

/** The node of a part that could not be read: the value itself, or what a list is missing. */
export function unreadPart(value: Value | undefined): Node | null {
  if (!value) return null;
  if (value.kind === 'unknown') return value.node;
  return value.kind === 'list' ? (value.unread ?? null) : null;
}

function callLocalIn(name: string, args: Value[], env: Env, node: Node | null): Value {
  const clauses = env.scope.functions.get(`${name}/${args.length}`);
  if (!clauses || env.depth >= MAX_DEPTH) return unknown(node);
  const results = matchingClauses(clauses, args).map((clause) => {
    const vars = new Map<string, Value>();
    clause.params.forEach((param, i) => {
      const arg = args[i];
      if (param.type === 'identifier' && arg) vars.set(param.text, arg);
    });
    return evaluateBody(clause.body, { ...env, vars, depth: env.depth + 1 });
  });
  return unionOf(results, node);
}

/** A body's value is its last expression; `name = expr` binds for the expressions after it. */
function evaluateBody(body: Node[], env: Env): Value {
  const scoped: Env = { ...env, vars: new Map(env.vars) };
  let last: Value = unknown(body[body.length - 1] ?? null);
  for (const expr of body) {
    const left = expr.type === 'binary_operator' && operatorOf(expr) === '=' ? expr.childForFieldName('left') : null;
    const right = left ? expr.childForFieldName('right') : null;
    last = evaluateIn(right ?? expr, scoped);
    if (left?.type === 'identifier') scoped.vars.set(left.text, last);
  }
  return last;
}

/**
 * Lists from several possible branches or clauses join (remembering a branch that could not be
 * read); otherwise the first known value.
 */
function unionOf(values: Array<Value | undefined>, node: Node | null): Value {
  const present = values.filter((value): value is Value => value !== undefined);
  const known = present.filter((value) => value.kind !== 'unknown');
  if (known.length > 0 && known.every((value) => value.kind === 'list')) {
    if (known.length === 1 && known.length === present.length) return known[0]!;
    const unread = present.map(unreadPart).find((part) => part !== null) ?? null;
    return listOf(known.flatMap(listItems), node, unread);
  }
  return known[0] ?? present[0] ?? unknown(node);
}
