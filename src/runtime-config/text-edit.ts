// Text insertion shared by the patches of the user's files (runtime.exs, endpoint.ex, prod.exs):
// each locates its place in the parse tree, then inserts whole lines here, keeping every other byte.
import type { Node } from '../inspect/elixir-parser.js';

/** The file's line ending, taken from its first line break (LF when it has none). */
export function detectEol(source: string): string {
  const lf = source.indexOf('\n');
  return lf > 0 && source[lf - 1] === '\r' ? '\r\n' : '\n';
}

/** Just past the line break that ends the line holding `index`, or the end of the file. */
export function lineEnd(source: string, index: number): number {
  const lf = source.indexOf('\n', index);
  return lf === -1 ? source.length : lf + 1;
}

/** The start of the line holding `index`. */
export function lineStart(source: string, index: number): number {
  return source.lastIndexOf('\n', index - 1) + 1;
}

/** The spaces and tabs a line starts with. */
export function indentAt(source: string, index: number): string {
  const start = lineStart(source, index);
  return /^[ \t]*/.exec(source.slice(start))![0];
}

/**
 * The end of the line where `index` sits, moved down while that point falls inside a top-level
 * expression (`import Config; x = """` opens a heredoc on the same line).
 */
export function safeLineEnd(root: Node, source: string, index: number): number {
  let at = lineEnd(source, index);
  for (const node of root.namedChildren) {
    if (node && node.startIndex < at && at < node.endIndex) at = lineEnd(source, node.endIndex);
  }
  return at;
}

/** Past the comment lines a file opens with (a licence header, phx.new's explanation), else 0. */
export function leadingCommentsEnd(root: Node, source: string): number {
  let at = source.startsWith('\uFEFF') ? 1 : 0;
  for (const node of root.namedChildren) {
    if (node?.type !== 'comment') break;
    at = lineEnd(source, node.endIndex);
  }
  return at;
}

/** `body` as whole lines at `at` (a line start), with a blank line before and after it. */
export function insertAfterLine(source: string, at: number, body: string, eol: string): string {
  const before = source.slice(0, at);
  const after = source.slice(at);
  const atTop = before === '' || before === '\uFEFF';
  const lead = atTop ? '' : before.endsWith('\n') ? eol : eol + eol;
  const blankFollows = after === '' || /^[ \t]*\r?\n/.test(after);
  return before + lead + body + eol + (blankFollows ? '' : eol) + after;
}

/** `lines` (LF-joined, already indented) at the start of the line holding `index`, with the file's line ending. */
export function insertLinesBefore(source: string, index: number, lines: string, eol: string): string {
  const at = lineStart(source, index);
  return source.slice(0, at) + lines.replaceAll('\n', eol) + eol + source.slice(at);
}

/** `text` indented by `indent` on every non-empty line. */
export function indentLines(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => (line ? indent + line : line))
    .join('\n');
}
