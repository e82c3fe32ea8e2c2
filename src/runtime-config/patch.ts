// The edits of config/runtime.exs: the PHX_SERVER block that makes bin/server serve, and the
// shutdown drain. Each is placed from the parse tree, keeps every other byte, and is a no-op when
// the file already has it.
import { firstErrorNode, parseElixir, type Node, type Tree } from '../inspect/elixir-parser.js';
import { argumentNodes } from '../inspect/module-scope.js';
import type { HttpAdapter } from '../production/values.js';
import type { RenderedFile } from '../types.js';
import { collectNodes, findConfigImport, isEndpointConfig, pairKey } from './find.js';
import type { PatchOutcome } from './patch-result.js';
import { analyzeServer, type EndpointRef, type ServerEnv, type ServerSetting } from './server.js';
import { formatConfig, PHX_SERVER, renderMinimalRuntime, renderServerBlock, type RuntimeInput } from './snippets.js';
import { detectEol, indentAt, insertAfterLine, insertLinesBefore, leadingCommentsEnd, safeLineEnd } from './text-edit.js';

const RUNTIME_EXS = 'config/runtime.exs';

/** What the runtime.exs step decides before anything is written. */
export interface RuntimePlan {
  /** The edit that makes bin/server start every endpoint, or null (nothing to do, or unsafe). */
  patch: RenderedFile | null;
  /** The variables bin/server sets so the endpoints serve (PHX_SERVER, or the project's own). */
  serverEnv: ServerEnv[];
  /** Endpoints whose `server:` the project already switches with its own variable, with where. */
  ownSwitches: Array<{ endpoint: string; env: ServerEnv[]; line: number }>;
}

/**
 * Reads how runtime.exs decides each endpoint's `server:` and plans the PHX_SERVER block for the
 * endpoints that need it, placed after the last setting that would otherwise override it. One
 * insertion; every other byte of the file is kept. No patch when the file does not parse (an edit
 * of code we cannot read could land inside a broken construct; the check explains what to add).
 */
export async function planRuntimeConfig(input: RuntimeInput, parsed?: Tree): Promise<RuntimePlan> {
  const fallback: RuntimePlan = { patch: null, serverEnv: input.phoenix ? [PHX_SERVER] : [], ownSwitches: [] };
  if (input.endpoints.length === 0) return fallback;
  if (input.runtimeExs === null) {
    // Mix prefers runtime.exs over releases.exs: creating one would silently disable the user's.
    if (input.releasesExs) return fallback;
    return { ...fallback, patch: { path: RUNTIME_EXS, content: renderMinimalRuntime(input.endpoints), mode: 0o644, patch: false } };
  }

  const source = input.runtimeExs;
  // A tree the caller parsed (from the same source) stays the caller's to delete.
  const tree = parsed ?? (await parseElixir(source));
  try {
    const root = tree.rootNode;
    if (firstErrorNode(root)) return fallback;
    const settings = input.endpoints.map((endpoint) => ({ endpoint, setting: analyzeServer(root, endpoint) }));
    const ownSwitches = settings.flatMap(({ endpoint, setting }) =>
      setting.kind === 'switch' ? [{ endpoint: endpoint.module, env: setting.env, line: setting.line }] : [],
    );
    const needBlock = settings.filter(({ setting }) => setting.kind === 'unset' || setting.kind === 'overridden');
    const serverEnv = uniqueEnv([...ownSwitches.flatMap((s) => s.env), ...(needBlock.length > 0 || ownSwitches.length === 0 ? fallback.serverEnv : [])]);
    if (needBlock.length === 0) return { patch: null, serverEnv, ownSwitches };
    const content = insertServerBlock(root, source, needBlock.map((n) => n.endpoint), needBlock.map((n) => n.setting));
    return { patch: { path: RUNTIME_EXS, content, mode: 0o644, patch: true }, serverEnv: uniqueEnv([PHX_SERVER, ...serverEnv]), ownSwitches };
  } finally {
    if (!parsed) tree.delete();
  }
}

function insertServerBlock(root: Node, source: string, endpoints: EndpointRef[], settings: ServerSetting[]): string {
  const eol = detectEol(source);
  const block = renderServerBlock(endpoints, eol);
  const anchor = findConfigImport(root);
  if (!anchor) return insertAfterLine(source, leadingCommentsEnd(root, source), `import Config${eol}${eol}${block}`, eol);
  // After `import Config`, as phx.new places it; after the last setting it would lose to, if any.
  const after = Math.max(anchor.endIndex, ...settings.map((s) => (s.kind === 'overridden' ? s.after : 0)));
  return insertAfterLine(source, safeLineEnd(root, source, after), block, eol);
}

function uniqueEnv(env: ServerEnv[]): ServerEnv[] {
  return env.filter((e, i) => env.findIndex((o) => o.name === e.name) === i);
}

// The shutdown drain: how long the endpoint's HTTP adapter lets in-flight requests finish once
// the release is told to stop. Bandit drains through ThousandIsland's `shutdown_timeout`, Cowboy
// through the endpoint's `drainer:`; Config merges keyword lists, so `http: [thousand_island_options:
// ...]` joins the `http:` the file already sets.

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
export async function planDrain(source: string, endpoints: EndpointRef[], adapter: HttpAdapter, drainMs: number, retune = false): Promise<PatchOutcome> {
  const retuned = retune ? await retuneDrains(source, endpoints, adapter, drainMs) : source;
  if (retuned !== source) {
    const rest = await planDrain(retuned, endpoints, adapter, drainMs);
    return rest.kind === 'patch' ? rest : { kind: 'patch', content: retuned };
  }
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

/**
 * Every drain already set as a plain integer changed to `drainMs` (and the seconds in the comment
 * create-release writes above it): what `--drain` asks of a file that sets one. The source as it
 * was when nothing needs a change or it does not parse.
 */
async function retuneDrains(source: string, endpoints: EndpointRef[], adapter: HttpAdapter, drainMs: number): Promise<string> {
  const tree = await parseElixir(source);
  try {
    if (firstErrorNode(tree.rootNode)) return source;
    const values = endpoints
      .flatMap((e) => drainSettings(tree.rootNode, e, adapter))
      .filter((node) => integerOf(node) !== null && integerOf(node) !== drainMs)
      .sort((a, b) => b.startIndex - a.startIndex);
    let text = source;
    for (const node of values) {
      text = text.slice(0, node.startIndex) + formatInteger(drainMs) + text.slice(node.endIndex);
      text = retuneComment(text, node.startPosition.row - 1, drainMs / 1000);
    }
    return text;
  } finally {
    tree.delete();
  }
}

const DRAIN_COMMENT = /^(\s*# On shutdown, in-flight requests get )[\d.]+( s to finish)/;

function retuneComment(text: string, row: number, seconds: number): string {
  if (row < 0) return text;
  const lines = text.split('\n');
  const line = lines[row];
  if (line === undefined || !DRAIN_COMMENT.test(line)) return text;
  lines[row] = line.replace(DRAIN_COMMENT, `$1${seconds}$2`);
  return lines.join('\n');
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
