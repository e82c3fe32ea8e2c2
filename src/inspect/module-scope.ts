import type { Node } from './elixir-parser.js';
import { namedKids } from './values.js';

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
