import { readFile, stat } from 'node:fs/promises';
import { CreateReleaseError } from '../errors.js';
import { firstErrorNode, parseElixir, type Node, type Tree } from './elixir-parser.js';

/** Project files are small; a bigger one is not what we think it is, so it is never parsed. */
export const MAX_SOURCE_BYTES = 1024 * 1024;

/**
 * Reads a project file as UTF-8 text, or null when it does not exist. `label` names the file in
 * messages (e.g. `mix.exs`, `apps/web/mix.exs`). Refuses directories, huge and binary files.
 */
export async function readSourceFile(file: string, label: string): Promise<string | null> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
    throw new CreateReleaseError(`cannot read ${label}: ${error.message}`, { cause: error });
  });
  if (!info) return null;
  if (!info.isFile()) throw new CreateReleaseError(`${label} is not a file; remove or rename it`);
  if (info.size > MAX_SOURCE_BYTES) {
    const mb = (info.size / (1024 * 1024)).toFixed(1);
    throw new CreateReleaseError(
      `${label} is ${mb} MB, too large to be a Mix project file (limit 1 MB); check that it is the right file`,
    );
  }
  const bytes = await readFile(file);
  return decodeText(bytes, label);
}

function decodeText(bytes: Buffer, label: string): string {
  const binary = `${label} is not a text file`;
  if (bytes.includes(0)) throw new CreateReleaseError(`${binary} (it contains NUL bytes); restore the Elixir source`);
  try {
    // Keep a byte-order mark: a patched config/runtime.exs must keep every byte it had.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (cause) {
    throw new CreateReleaseError(`${binary} (it is not valid UTF-8); save it as UTF-8 Elixir source`, { cause });
  }
}

/** Parses Elixir source, throwing `label:line: syntax error near "..."` when it does not parse. */
export async function parseSource(source: string, label: string): Promise<Tree> {
  const tree = await parseElixir(source);
  const error = firstErrorNode(tree.rootNode) ?? strayReservedWord(tree.rootNode);
  if (!error) return tree;
  // tree-sitter wraps what it could not attach in an ERROR node whose last token is where the
  // parser gave up (e.g. the line missing its comma), so that line is the one to show.
  let last = error;
  while (last.lastChild) last = last.lastChild;
  const row = (error.isMissing ? error : last).startPosition.row;
  const what = error.isMissing ? `: missing "${error.type}"` : ` near \`${snippetOf(source, row)}\``;
  tree.delete();
  throw new CreateReleaseError(
    `${label}:${row + 1}: syntax error${what}; fix the file so Mix can load it, then run again`,
  );
}

// The grammar reads a stray `end` (a bad merge's leftover) as a variable; Elixir refuses it.
const RESERVED_WORDS = new Set(['do', 'end', 'fn', 'after', 'else', 'catch', 'rescue']);

function strayReservedWord(root: Node): Node | null {
  for (const node of root.descendantsOfType('identifier')) {
    if (!node || !RESERVED_WORDS.has(node.text)) continue;
    // `Mod.end` names a function, which Elixir allows after a dot.
    if (node.parent?.type === 'dot' && node.parent.childForFieldName('right')?.equals(node)) continue;
    return node;
  }
  return null;
}

function snippetOf(source: string, row: number): string {
  const text = (source.split('\n')[row] ?? '').trim();
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
