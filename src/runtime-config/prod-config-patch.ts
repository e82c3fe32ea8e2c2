// The prod config (config/prod.exs, or wherever the compile-time chain sets force_ssl last).
// `force_ssl` (Plug.SSL, ahead of every plug of the endpoint) answers plain-HTTP probes with a
// 301: Fly's checks fail on it and Kubernetes' pass without testing anything. Plug 1.19 can
// exclude paths (`exclude: [paths: [...], hosts: [...]]`); setting `exclude:` replaces its default
// hosts, so they are restated. Located in the parse tree of the prod config; every other byte kept.
import { firstErrorNode, parseElixir, type Node } from '../inspect/elixir-parser.js';
import { argumentNodes } from '../inspect/module-scope.js';
import { namedKids } from '../inspect/values.js';
import { literalString } from '../inspect/values.js';
import { collectNodes, isEndpointConfig, pairKey } from './find.js';
import type { PatchOutcome } from './patch-result.js';
import type { EndpointRef } from './server.js';
import { indentAt } from './text-edit.js';

/** Plug.SSL's own default when `exclude:` is not given (Plug 1.19). */
export const PLUG_SSL_DEFAULT_HOSTS = ['localhost', '127.0.0.1'];

export async function excludeHealthPaths(source: string, endpoint: EndpointRef, paths: string[]): Promise<PatchOutcome> {
  const quoted = (list: string[]) => `[${list.map((p) => JSON.stringify(p)).join(', ')}]`;
  const fresh = `exclude: [paths: ${quoted(paths)}, hosts: ${quoted(PLUG_SSL_DEFAULT_HOSTS)}]`;
  const snippet = `force_ssl: [..., ${fresh}]`;
  const tree = await parseElixir(source);
  try {
    const root = tree.rootNode;
    if (firstErrorNode(root)) return { kind: 'snippet', reason: 'the file does not parse, so it was left unchanged', snippet };
    const value = lastForceSsl(root, endpoint);
    if (!value) return { kind: 'present', note: 'force_ssl is not set here' };
    const entries = listEntries(value);
    if (!entries) return { kind: 'snippet', reason: `force_ssl is not a keyword list there (${value.text.slice(0, 40)})`, snippet };
    const exclude = entries.find((e) => pairKey(e) === 'exclude')?.childForFieldName('value');
    if (!exclude) return { kind: 'patch', content: appendItem(source, value, entries, fresh) };
    const items = listEntries(exclude);
    if (!items) return { kind: 'snippet', reason: `its exclude: is not a list (${exclude.text.slice(0, 40)}), so paths cannot be added to it`, snippet };
    const pathsList = items.find((e) => pairKey(e) === 'paths')?.childForFieldName('value');
    if (!pathsList) return { kind: 'patch', content: appendItem(source, exclude, items, `paths: ${quoted(paths)}`) };
    const listed = listEntries(pathsList);
    if (!listed) return { kind: 'snippet', reason: `its exclude: paths: is not a list of strings`, snippet };
    const have = listed.map(literalString);
    const missing = paths.filter((p) => !have.includes(p));
    if (missing.length === 0) return { kind: 'present' };
    return { kind: 'patch', content: appendItem(source, pathsList, listed, missing.map((p) => JSON.stringify(p)).join(', ')) };
  } finally {
    tree.delete();
  }
}

function lastForceSsl(root: Node, endpoint: EndpointRef): Node | null {
  const calls = collectNodes(root, (n) => isEndpointConfig(n, endpoint), Infinity, 'call');
  const pairs = calls.flatMap((call) => {
    const keywords = argumentNodes(call)[2];
    return keywords?.type === 'keywords' ? namedKids(keywords).filter((p) => pairKey(p) === 'force_ssl') : [];
  });
  return pairs.pop()?.childForFieldName('value') ?? null;
}

/** The items of a `[...]` literal (a trailing keyword part's pairs counted one by one), else null. */
function listEntries(node: Node): Node[] | null {
  if (node.type !== 'list') return null;
  return namedKids(node).flatMap((kid) => (kid.type === 'keywords' ? namedKids(kid) : [kid]));
}

// mix format's default line length.
const LINE_LENGTH = 98;

/**
 * `item` after the last entry of `list` (at its start when empty): on its own line when the list
 * spans lines; inline when the line still fits or the list shares its line with more than its
 * key; else the list laid out one entry a line, as mix format would, each entry's text kept.
 */
function appendItem(source: string, list: Node, entries: Node[], item: string): string {
  const last = entries[entries.length - 1];
  if (!last) {
    const at = list.startIndex + 1;
    return source.slice(0, at) + item + source.slice(at);
  }
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  if (list.endPosition.row > last.endPosition.row) {
    return `${source.slice(0, last.endIndex)},${eol}${indentAt(source, last.startIndex)}${item}${source.slice(last.endIndex)}`;
  }
  const inline = `${source.slice(0, last.endIndex)}, ${item}${source.slice(last.endIndex)}`;
  const lineStartsAt = source.lastIndexOf('\n', list.startIndex) + 1;
  const lineEndsAt = inline.indexOf('\n', last.endIndex);
  const line = inline.slice(lineStartsAt, lineEndsAt === -1 ? inline.length : lineEndsAt).replace(/\r$/, '');
  // Only a `key: [...]` that starts its own line (as phx.new writes force_ssl) is laid out again.
  const pair = list.parent?.type === 'pair' ? list.parent : null;
  const ownLine = pair !== null && source.slice(lineStartsAt, pair.startIndex).trim() === '';
  if (line.length <= LINE_LENGTH || !ownLine) return inline;
  const outer = indentAt(source, list.startIndex);
  const inner = `${outer}  `;
  const items = [...entries.map((e) => e.text), item].map((text) => `${inner}${text}`).join(`,${eol}`);
  return `${source.slice(0, list.startIndex)}[${eol}${items}${eol}${outer}]${source.slice(list.endIndex)}`;
}
