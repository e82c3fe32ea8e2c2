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

/** Parses Elixir source, throwing `label:line:column: syntax error near "..."` when it does not parse. */
export async function parseSource(source: string, label: string): Promise<Tree> {
  const tree = await parseElixir(source);
  const error = firstErrorNode(tree.rootNode) ?? strayReservedWord(tree.rootNode);
  if (!error) return tree;
  const at = locateError(error, source);
  tree.delete();
  throw new CreateReleaseError(
    `${label}:${at.line}:${at.column}: syntax error${at.near}; fix the file so Mix can load it, then run again`,
  );
}

/** Where a tree's first syntax error is, 1-based, and the code there (` near \`...\``). */
export function describeSyntaxError(root: Node, source: string): { line: number; column: number; near: string } {
  const error = firstErrorNode(root) ?? strayReservedWord(root);
  return error ? locateError(error, source) : { line: 1, column: 1, near: '' };
}

function locateError(error: Node, source: string): { line: number; column: number; near: string } {
  if (error.isMissing) {
    return { line: error.startPosition.row + 1, column: error.startPosition.column + 1, near: `: missing "${error.type}"` };
  }
  const at = errorToken(error).startPosition;
  return { line: at.row + 1, column: at.column + 1, near: ` near \`${snippetOf(source, at.row)}\`` };
}

/**
 * The token Elixir's own parser stops at. An ERROR node made only of complete constructs (the
 * keyword list before a missing comma) ends where the parser got stuck, so the error is the token
 * after it, as Elixir reports "syntax error before: deps". Otherwise the ERROR holds what could
 * not be read (a stray `)`, an unterminated string) and its last token is where reading failed.
 */
function errorToken(error: Node): Node {
  const complete = error.type === 'ERROR' && error.childCount > 0 && error.children.every((child) => child?.isNamed);
  const next = complete ? tokenAfter(error) : null;
  if (next) return next;
  let last = error;
  while (last.lastChild) last = last.lastChild;
  return last;
}

function tokenAfter(node: Node): Node | null {
  for (let current: Node | null = node; current; current = current.parent) {
    let sibling = current.nextSibling;
    while (sibling?.type === 'comment') sibling = sibling.nextSibling;
    if (!sibling) continue;
    while (sibling.firstChild) sibling = sibling.firstChild;
    return sibling;
  }
  return null;
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

/** Code shown in a message: on one line, cut at 60 characters. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 60)}...` : flat;
}
