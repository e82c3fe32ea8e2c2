// Wires the health plug into an endpoint module: `plug <Web>.Health` just before the first plug
// of the module body (ahead of Plug.Telemetry and Plug.Logger), so probes are neither logged nor
// routed. Located in the parse tree; every other byte kept; a file that already plugs it is left as is.
import { firstErrorNode, parseElixir, type Node } from '../inspect/elixir-parser.js';
import { argumentNodes, blockBody } from '../inspect/module-scope.js';
import { collectNodes } from './find.js';
import type { PatchOutcome } from './patch-result.js';
import { detectEol, indentAt, insertLinesBefore, lineStart } from './text-edit.js';

const WHY = '# Health checks first: probes are answered before they are logged or routed.';

export async function wireHealthPlug(source: string, endpoint: string, plug: string): Promise<PatchOutcome> {
  const snippet = `plug ${plug}`;
  const tree = await parseElixir(source);
  try {
    const root = tree.rootNode;
    if (firstErrorNode(root)) return { kind: 'snippet', reason: 'the file does not parse, so it was left unchanged', snippet };
    const body = endpointBody(root, endpoint);
    if (!body) return { kind: 'snippet', reason: `no defmodule ${endpoint} with use Phoenix.Endpoint was found in it`, snippet };
    if (collectNodes(body, (n) => isPlugOf(n, plug), 1, 'call').length > 0) return { kind: 'present' };
    const first = blockBody(body).find((statement) => collectNodes(statement, (n) => isPlugOf(n, null), 1, 'call').length > 0);
    if (!first) return { kind: 'snippet', reason: `${endpoint} has no plug to put it before`, snippet };
    const at = commentsAbove(first, source);
    const indent = indentAt(source, at);
    const lines = `${indent}${WHY}\n${indent}${snippet}\n`;
    return { kind: 'patch', content: insertLinesBefore(source, at, lines, detectEol(source)) };
  } finally {
    tree.delete();
  }
}

/** The do-block of `defmodule <endpoint>` that holds `use Phoenix.Endpoint`. */
function endpointBody(root: Node, endpoint: string): Node | null {
  const uses = collectNodes(root, (n) => isCall(n, 'use') && argumentNodes(n)[0]?.text === 'Phoenix.Endpoint', Infinity, 'call');
  for (const use of uses) {
    const block = use.parent;
    const defmodule = block?.parent;
    if (block?.type !== 'do_block' || !defmodule || !isCall(defmodule, 'defmodule')) continue;
    const name = argumentNodes(defmodule)[0]?.text.replace(/\s+/g, '') ?? '';
    if (name === endpoint || endpoint.endsWith(`.${name}`)) return block;
  }
  return null;
}

function isCall(node: Node, name: string): boolean {
  return node.type === 'call' && node.childForFieldName('target')?.text === name;
}

/** `plug <module>` (any module when null). */
function isPlugOf(node: Node, module: string | null): boolean {
  if (!isCall(node, 'plug')) return false;
  const first = argumentNodes(node)[0];
  return first !== undefined && (module === null || first.text.replace(/\s+/g, '') === module);
}

/** The start of the comment lines directly above a statement (they describe it), else the statement. */
function commentsAbove(statement: Node, source: string): number {
  let at = statement.startIndex;
  let row = statement.startPosition.row;
  for (let prev = statement.previousNamedSibling; prev?.type === 'comment' && prev.endPosition.row === row - 1; prev = prev.previousNamedSibling) {
    at = prev.startIndex;
    row = prev.startPosition.row;
  }
  return lineStart(source, at);
}
