// Files mix.exs reads while Mix loads it (`@version File.read!("VERSION") |> String.trim()`,
// `Code.eval_file("deps.exs")`): a Docker build that copies only mix.exs before `mix deps.get`
// fails on them, so the Dockerfile copies them first.
import type { Node } from './elixir-parser.js';
import { argumentNodes } from './module-scope.js';
import { literalString } from './values.js';

// Calls whose first argument is a file mix.exs needs at load time.
const READERS = new Set(['File.read!', 'File.read', 'File.stream!', 'File.lines!', 'Code.eval_file', 'Code.require_file', 'Code.compile_file']);

export interface LoadTimeFiles {
  /** Paths relative to the directory of mix.exs, as written. */
  files: string[];
  /** Reads whose path is computed (`File.read!(name)`), by their code, for a warning. */
  unresolved: string[];
}

/** The files read anywhere in mix.exs (a read in a helper that Mix never calls is harmless). */
export function readLoadTimeFiles(root: Node): LoadTimeFiles {
  const files: string[] = [];
  const unresolved: string[] = [];
  for (const call of root.descendantsOfType('call')) {
    if (!call) continue;
    const target = call.childForFieldName('target');
    if (target?.type !== 'dot' || !READERS.has(target.text.replace(/\s+/g, ''))) continue;
    const piped = call.parent?.type === 'binary_operator' && call.parent.childForFieldName('right')?.equals(call);
    const arg = piped ? call.parent!.childForFieldName('left') : argumentNodes(call)[0];
    const file = arg ? pathOf(arg) : null;
    if (file === null) unresolved.push((arg ?? call).text.replace(/\s+/g, ' '));
    else if (!files.includes(file)) files.push(file);
  }
  return { files, unresolved };
}

/** `"VERSION"`, `Path.join(__DIR__, "VERSION")`, `Path.expand("VERSION", __DIR__)`, `__DIR__ <> "/VERSION"`. */
function pathOf(node: Node): string | null {
  const literal = literalString(node);
  if (literal !== null) return clean(literal);
  if (node.type === 'call') {
    const name = node.childForFieldName('target')?.text.replace(/\s+/g, '');
    const args = argumentNodes(node);
    const strings = args.map((a) => (isDir(a) ? '' : literalString(a)));
    if (strings.some((s) => s === null)) return null;
    if (name === 'Path.join' && args.some(isDir)) return clean(strings.filter(Boolean).join('/'));
    if (name === 'Path.expand' && args.length === 2 && isDir(args[1]!)) return clean(strings[0]!);
    return null;
  }
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.type === '<>') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const rest = right ? literalString(right) : null;
    return left && isDir(left) && rest !== null ? clean(rest) : null;
  }
  return null;
}

function isDir(node: Node): boolean {
  return node.type === 'identifier' && node.text === '__DIR__';
}

function clean(file: string): string | null {
  const normal = file.replace(/^\/+/, '').replace(/^(\.\/)+/, '');
  return normal === '' ? null : normal;
}
