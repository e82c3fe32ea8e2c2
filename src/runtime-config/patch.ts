import { firstErrorNode, parseElixir, type Node } from '../inspect/elixir-parser.js';
import type { RenderedFile } from '../types.js';
import { findConfigImport, readsEnv } from './find.js';
import { renderMinimalRuntime, renderServerBlock, resolveEndpoint, type RuntimeFacts } from './snippets.js';

const RUNTIME_EXS = 'config/runtime.exs';

/**
 * The PHX_SERVER block added to config/runtime.exs, so `bin/server` (which sets PHX_SERVER=true)
 * starts the endpoint. One insertion; every other byte of the file is kept. Null when the block is
 * already there, the project is not Phoenix, or the file does not parse (an edit of code we cannot
 * read could land inside a broken construct; the check explains what to add instead).
 */
export async function patchRuntimeConfig(facts: RuntimeFacts): Promise<RenderedFile | null> {
  const names = resolveEndpoint(facts);
  if (!names) return null;
  if (facts.runtimeExs === null) {
    // Mix prefers runtime.exs over releases.exs: creating one would silently disable the user's.
    if (facts.releasesExs) return null;
    return { path: RUNTIME_EXS, content: renderMinimalRuntime(names), mode: 0o644, patch: false };
  }

  const source = facts.runtimeExs;
  const tree = await parseElixir(source);
  try {
    const root = tree.rootNode;
    if (firstErrorNode(root) || readsEnv(root, 'PHX_SERVER')) return null;
    const eol = detectEol(source);
    const block = renderServerBlock(names, eol);
    const anchor = findConfigImport(root);
    const content = anchor
      ? insertAfterLine(source, safeLineEnd(root, source, anchor.endIndex), block, eol)
      : insertAfterLine(source, leadingCommentsEnd(root, source), `import Config${eol}${eol}${block}`, eol);
    return { path: RUNTIME_EXS, content, mode: 0o644, patch: true };
  } finally {
    tree.delete();
  }
}

/** The file's line ending, taken from its first line break (LF when it has none). */
function detectEol(source: string): string {
  const lf = source.indexOf('\n');
  return lf > 0 && source[lf - 1] === '\r' ? '\r\n' : '\n';
}

/** Just past the line break that ends the line holding `index`, or the end of the file. */
function lineEnd(source: string, index: number): number {
  const lf = source.indexOf('\n', index);
  return lf === -1 ? source.length : lf + 1;
}

/**
 * The end of the line where `index` sits, moved down while that point falls inside a top-level
 * expression (`import Config; x = """` opens a heredoc on the same line).
 */
function safeLineEnd(root: Node, source: string, index: number): number {
  let at = lineEnd(source, index);
  for (const node of root.namedChildren) {
    if (node && node.startIndex < at && at < node.endIndex) at = lineEnd(source, node.endIndex);
  }
  return at;
}

/** Past the comment lines a file opens with (a licence header, phx.new's explanation), else 0. */
function leadingCommentsEnd(root: Node, source: string): number {
  let at = source.startsWith('\uFEFF') ? 1 : 0;
  for (const node of root.namedChildren) {
    if (node?.type !== 'comment') break;
    at = lineEnd(source, node.endIndex);
  }
  return at;
}

/** `body` as whole lines at `at` (a line start), with a blank line before and after it. */
function insertAfterLine(source: string, at: number, body: string, eol: string): string {
  const before = source.slice(0, at);
  const after = source.slice(at);
  const atTop = before === '' || before === '\uFEFF';
  const lead = atTop ? '' : before.endsWith('\n') ? eol : eol + eol;
  const blankFollows = after === '' || /^[ \t]*\r?\n/.test(after);
  return before + lead + body + eol + (blankFollows ? '' : eol) + after;
}
