import type { Node } from './elixir-parser.js';
import { remoteCall } from './remote-calls.js';
import { argumentNodes, blockBody, operatorOf, type ModuleScope } from './module-scope.js';
import { keywordGet, listItems, namedKids, unknown, type Value } from './values.js';

export { scanModule, type ModuleScope } from './module-scope.js';

interface Env {
  scope: ModuleScope;
  vars: Map<string, Value>;
  depth: number;
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

function freshEnv(scope: ModuleScope): Env {
  return { scope, vars: new Map(), depth: 0, budget: { steps: MAX_STEPS, nesting: 0 } };
}

/** Evaluates an expression of the module as far as it is statically known. */
export function evaluate(node: Node, scope: ModuleScope): Value {
  return evaluateIn(node, freshEnv(scope));
}

/** Calls a local function by name, e.g. `callLocal(scope, 'project', [])`. */
export function callLocal(scope: ModuleScope, name: string, args: Value[]): Value {
  return callLocalIn(name, args, freshEnv(scope), null);
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
      const name = stringContent(node, env);
      return name === null ? unknown(node) : { kind: 'atom', name, node };
    }
    case 'string': {
      const text = stringContent(node, env);
      return text === null ? unknown(node) : { kind: 'string', text, node };
    }
    case 'alias':
      return { kind: 'alias', name: node.text.replace(/\s+/g, ''), node };
    case 'list':
      return { kind: 'list', items: itemsOf(node, env, true), node };
    case 'keywords':
      return { kind: 'list', items: pairsOf(node, env), node };
    case 'tuple':
      return { kind: 'tuple', items: itemsOf(node, env, false), node };
    case 'sigil':
      return evaluateSigil(node);
    case 'unary_operator':
      return evaluateAttribute(node, env);
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
  if (key?.type === 'quoted_keyword') return stringContent(key, env);
  return null;
}

/** The text of a string or quoted atom; null when an interpolation is not a known string. */
function stringContent(node: Node, env: Env): string | null {
  let text = '';
  for (const part of node.namedChildren) {
    if (part.type === 'quoted_content') text += part.text;
    else if (part.type === 'escape_sequence') text += unescape(part.text);
    else if (part.type === 'interpolation') {
      const inner = namedKids(part)[0];
      const value = inner ? evaluateIn(inner, env) : unknown(part);
      if (value.kind === 'string') text += value.text;
      else if (value.kind === 'atom') text += value.name;
      else return null;
    }
  }
  return text;
}

// Elixir's escapes; any other escaped character stands for itself (`\"`, `\\`, `\#`).
const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07', b: '\b', d: '\x7f', e: '\x1b', f: '\f', n: '\n', r: '\r', s: ' ', t: '\t', v: '\v', '0': '\0', '\n': '', '\r\n': '',
};

function unescape(sequence: string): string {
  const body = sequence.slice(1);
  // `\xHH`, `\x{H...}`, `\uHHHH`, `\u{H...}`: a code point, so `:"a\x62c"` is the atom `abc`.
  const hex = /^[xu]\{?([0-9a-fA-F]{1,6})\}?$/.exec(body);
  const codePoint = hex ? Number.parseInt(hex[1]!, 16) : NaN;
  if (codePoint <= 0x10ffff) return String.fromCodePoint(codePoint);
  return SIMPLE_ESCAPES[body] ?? body;
}

/** `~w(unix windows)a` and friends, the only sigils mix.exs settings use. */
function evaluateSigil(node: Node): Value {
  const name = node.namedChildren.find((child) => child.type === 'sigil_name')?.text;
  const content = node.namedChildren.find((child) => child.type === 'quoted_content')?.text ?? '';
  const modifiers = node.namedChildren.find((child) => child.type === 'sigil_modifiers')?.text ?? '';
  if (name === 's' || name === 'S') return { kind: 'string', text: content, node };
  if (name !== 'w' && name !== 'W') return unknown(node);
  const words = content.split(/\s+/).filter(Boolean);
  const items: Value[] = words.map((word) =>
    modifiers.includes('a') ? { kind: 'atom', name: word, node } : { kind: 'string', text: word, node },
  );
  return { kind: 'list', items, node };
}

/** `@name`: the last definition before the use, as the compiler sees it. */
function evaluateAttribute(node: Node, env: Env): Value {
  const operand = node.childForFieldName('operand');
  if (operatorOf(node) !== '@' || operand?.type !== 'identifier') return unknown(node);
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
    return remoteCall(`${module}.${fun}`, args, node);
  }
  if (target?.type !== 'identifier') return unknown(node);
  if (target.text === 'if' || target.text === 'unless') return evaluateIf(node, env, args);
  return callLocalIn(target.text, args, env, node);
}

/** Both branches, since the condition is unknown: lists join (the "any env" view of deps). */
function evaluateIf(node: Node, env: Env, args: Value[]): Value {
  const doBlock = node.namedChildren.find((child) => child.type === 'do_block');
  if (!doBlock) return unionOf([keywordGet(args[1], 'do'), keywordGet(args[1], 'else')], node);
  const elseBlock = doBlock.namedChildren.find((child) => child.type === 'else_block');
  const branches = [evaluateBody(blockBody(doBlock), env)];
  if (elseBlock) branches.push(evaluateBody(namedKids(elseBlock), env));
  return unionOf(branches, node);
}

function evaluateOperator(node: Node, env: Env): Value {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (!left || !right) return unknown(node);
  const op = operatorOf(node);
  if (op === '|>') {
    const piped = evaluateIn(left, env);
    if (right.type === 'call') return evaluateCall(right, env, [piped]);
    if (right.type === 'identifier') return callLocalIn(right.text, [piped], env, node);
    return unknown(node);
  }
  const a = evaluateIn(left, env);
  const b = evaluateIn(right, env);
  // A list joined with something unknown still declares what we can see (`[...] ++ extra_deps()`).
  if (op === '++' && (a.kind === 'list' || b.kind === 'list')) {
    return { kind: 'list', items: [...listItems(a), ...listItems(b)], node };
  }
  if (op === '<>' && a.kind === 'string' && b.kind === 'string') return { kind: 'string', text: a.text + b.text, node };
  return unknown(node);
}

function callLocalIn(name: string, args: Value[], env: Env, node: Node | null): Value {
  const clauses = env.scope.functions.get(`${name}/${args.length}`);
  if (!clauses || env.depth >= MAX_DEPTH) return unknown(node);
  const results = clauses.map((clause) => {
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

/** Lists from several possible branches or clauses join; otherwise the first known value. */
function unionOf(values: Array<Value | undefined>, node: Node | null): Value {
  const known = values.filter((value): value is Value => value !== undefined && value.kind !== 'unknown');
  if (known.length > 1 && known.every((value) => value.kind === 'list')) {
    return { kind: 'list', items: known.flatMap((value) => (value.kind === 'list' ? value.items : [])), node };
  }
  return known[0] ?? unknown(node);
}

