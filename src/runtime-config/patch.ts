import { firstErrorNode, parseElixir, type Node, type Tree } from '../inspect/elixir-parser.js';
import type { RenderedFile } from '../types.js';
import { findConfigImport } from './find.js';
import { detectEol, insertAfterLine, leadingCommentsEnd, safeLineEnd } from './text-edit.js';
import { analyzeServer, type EndpointRef, type ServerEnv, type ServerSetting } from './server.js';
import { PHX_SERVER, renderMinimalRuntime, renderServerBlock, type RuntimeInput } from './snippets.js';

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
