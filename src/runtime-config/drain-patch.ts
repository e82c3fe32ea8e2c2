// The shutdown drain in config/runtime.exs: how long the endpoint's HTTP adapter lets in-flight
// requests finish once the release is told to stop. Bandit drains through ThousandIsland's
// `shutdown_timeout`, Cowboy through the endpoint's `drainer:`; Config merges the keyword lists,
// so `http: [thousand_island_options: ...]` joins the `http:` the file already sets.
import { firstErrorNode, parseElixir, type Node } from '../inspect/elixir-parser.js';
import { argumentNodes } from '../inspect/module-scope.js';
import type { HttpAdapter } from '../production/values.js';
import { collectNodes, isEndpointConfig, pairKey } from './find.js';
import type { PatchOutcome } from './patch-result.js';
import type { EndpointRef } from './server.js';
import { formatConfig } from './snippets.js';
import { detectEol, indentAt, insertAfterLine, insertLinesBefore } from './text-edit.js';

/** The drain a file already sets for an endpoint, in ms (null when it is not a plain integer). */
export interface ExistingDrain {
  endpoint: string;
  ms: number | null;
  line: number;
}

/** Where a parsed runtime.exs already sets a drain for these endpoints. */
export function readDrains(root: Node, endpoints: EndpointRef[], adapter: HttpAdapter): ExistingDrain[] {
  return endpoints.flatMap((e) => {
    const found = drainSettings(root, e, adapter).pop();
    return found ? [{ endpoint: e.module, ms: integerOf(found), line: found.startPosition.row + 1 }] : [];
  });
}

/** The drain settings for `endpoints` (those that lack one), placed in the prod block of runtime.exs. */
export async function planDrain(source: string, endpoints: EndpointRef[], adapter: HttpAdapter, drainMs: number): Promise<PatchOutcome> {
  const tree = await parseElixir(source);
  try {
    const root = tree.rootNode;
    const missing = endpoints.filter((e) => drainSettings(root, e, adapter).length === 0);
    if (missing.length === 0) return { kind: 'present' };
    const inProd = wrapInProd(renderDrainBlock(missing, adapter, drainMs, '  '));
    if (firstErrorNode(root)) return { kind: 'snippet', reason: 'config/runtime.exs does not parse, so it was left unchanged', snippet: inProd };
    const eol = detectEol(source);
    const prod = findProdBlock(root);
    const end = prod?.namedChildren.find((c) => c.type === 'do_block')?.lastChild;
    if (prod && end?.type === 'end') {
      const block = renderDrainBlock(missing, adapter, drainMs, `${indentAt(source, prod.startIndex)}  `);
      return { kind: 'patch', content: insertLinesBefore(source, end.startIndex, `\n${block}`, eol) };
    }
    const base = source === '' || source.endsWith('\n') ? source : source + eol;
    return { kind: 'patch', content: insertAfterLine(base, base.length, inProd.replaceAll('\n', eol), eol) };
  } finally {
    tree.delete();
  }
}

/** The settings for `adapter`, each line starting with `indent`. */
export function renderDrainBlock(endpoints: EndpointRef[], adapter: HttpAdapter, drainMs: number, indent = ''): string {
  const ms = formatInteger(drainMs);
  const why = `${indent}# On shutdown, in-flight requests get ${drainMs / 1000} s to finish; keep the platform's grace period above it.`;
  const keywords = adapter === 'bandit' ? `http: [thousand_island_options: [shutdown_timeout: ${ms}]]` : `drainer: [shutdown: ${ms}]`;
  return [why, ...endpoints.map((e) => formatConfig(indent, e.otpApp, e.module, keywords))].join('\n');
}

function wrapInProd(indentedBlock: string): string {
  return `if config_env() == :prod do\n${indentedBlock}\nend`;
}

/** The last top-level `if config_env() == :prod do` (phx.new puts every prod setting in one). */
function findProdBlock(root: Node): Node | null {
  const ifs = root.namedChildren.filter((n) => n?.type === 'call' && n.childForFieldName('target')?.text === 'if');
  return ifs.filter((n) => argumentNodes(n)[0]?.text.replace(/\s+/g, '') === 'config_env()==:prod').pop() ?? null;
}

/** The value nodes that set the drain of `endpoint` for `adapter`, in source order. */
function drainSettings(root: Node, endpoint: EndpointRef, adapter: HttpAdapter): Node[] {
  const [outer, inner] = adapter === 'bandit' ? ['thousand_island_options', 'shutdown_timeout'] : ['drainer', 'shutdown'];
  const calls = collectNodes(root, (n) => isEndpointConfig(n, endpoint), Infinity, 'call');
  return calls.flatMap((call) =>
    collectNodes(call, (n) => pairKey(n) === inner && hasAncestorPair(n, outer, call), Infinity, 'pair').map((pair) => pair.childForFieldName('value')!),
  );
}

function hasAncestorPair(node: Node, key: string, stop: Node): boolean {
  for (let n = node.parent; n && !n.equals(stop); n = n.parent) if (pairKey(n) === key) return true;
  return false;
}

function integerOf(node: Node): number | null {
  return node.type === 'integer' ? Number(node.text.replaceAll('_', '')) : null;
}

/** `25_000`, as people write milliseconds in Elixir. */
function formatInteger(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '_');
}
