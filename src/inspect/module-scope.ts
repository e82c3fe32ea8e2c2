import type { Node } from './elixir-parser.js';
import { namedKids, type Value } from './values.js';

/** One `def`/`defp` clause: its parameter patterns and body expressions. */
export interface Clause {
  params: Node[];
  body: Node[];
  /** The clause has a `when` guard, which decides matches we cannot. */
  guarded: boolean;
}

/** A module's definitions, as far as reading mix.exs needs them. */
export interface ModuleScope {
  /** `@name value` in source order; `at` is the definition's offset. */
  attributes: Array<{ name: string; at: number; value: Node }>;
  /** Clauses by `name/arity`. */
  functions: Map<string, Clause[]>;
}

/** Collects the attributes and functions defined directly in a module body. */
export function scanModule(moduleBody: Node): ModuleScope {
  const scope: ModuleScope = { attributes: [], functions: new Map() };
  for (const node of namedKids(moduleBody)) {
    if (node.type === 'unary_operator' && operatorOf(node) === '@') {
      const operand = node.childForFieldName('operand');
      const value = operand?.type === 'call' ? argumentNodes(operand)[0] : undefined;
      const name = operand?.childForFieldName('target')?.text;
      if (name && value) scope.attributes.push({ name, at: node.startIndex, value });
    } else if (node.type === 'call' && /^defp?$/.test(node.childForFieldName('target')?.text ?? '')) {
      addClause(scope, node);
    }
  }
  return scope;
}

function addClause(scope: ModuleScope, def: Node): void {
  let head = argumentNodes(def)[0];
  const guarded = head?.type === 'binary_operator' && operatorOf(head) === 'when';
  if (guarded) head = head?.childForFieldName('left') ?? undefined;
  if (!head) return;
  const name = head.type === 'call' ? head.childForFieldName('target')?.text : head.text;
  if (!name || !(head.type === 'identifier' || head.type === 'call')) return;
  const params = head.type === 'call' ? argumentNodes(head) : [];
  const doBlock = def.namedChildren.find((child) => child.type === 'do_block');
  const inline = argumentNodes(def).find((child) => child.type === 'keywords');
  const doPair = inline && namedKids(inline).find((pair) => pair.childForFieldName('key')?.text.trim() === 'do:');
  const doValue = doPair?.childForFieldName('value');
  const body = doBlock ? blockBody(doBlock) : doValue ? [doValue] : [];
  const key = `${name}/${params.length}`;
  scope.functions.set(key, [...(scope.functions.get(key) ?? []), { params, body, guarded }]);
}

/** The expressions of a `do` block, without its `else`/`rescue`/... blocks. */
export function blockBody(doBlock: Node): Node[] {
  return namedKids(doBlock).filter((child) => !/_block$/.test(child.type));
}

/** The argument nodes of a call (`keywords` stays one node). */
export function argumentNodes(call: Node): Node[] {
  const args = call.namedChildren.find((child) => child.type === 'arguments');
  return args ? namedKids(args) : [];
}

/** The operator token of a unary or binary operator node, e.g. `|>`. */
export function operatorOf(node: Node): string | undefined {
  return node.childForFieldName('operator')?.type;
}

/**
 * The clauses a call may run, as Elixir picks them: in order, skipping those whose literal atom
 * patterns the known arguments cannot match, up to the first that surely matches. Clauses whose
 * match we cannot decide (guards, other patterns, unknown arguments) are all kept.
 */
export function matchingClauses(clauses: Clause[], args: Value[]): Clause[] {
  const kept: Clause[] = [];
  for (const clause of clauses) {
    const match = clauseMatch(clause, args);
    if (match === 'no') continue;
    kept.push(clause);
    if (match === 'yes') break;
  }
  return kept;
}

function clauseMatch(clause: Clause, args: Value[]): 'yes' | 'no' | 'maybe' {
  let result: 'yes' | 'maybe' = clause.guarded ? 'maybe' : 'yes';
  for (const [i, param] of clause.params.entries()) {
    const arg = args[i];
    if (param.type === 'identifier') continue;
    if (param.type !== 'atom' || arg?.kind !== 'atom') {
      result = 'maybe';
      continue;
    }
    if (param.text.slice(1) !== arg.name) return 'no';
  }
  return result;
}
