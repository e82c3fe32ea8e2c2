// Strings, quoted atoms and sigils as Elixir reads them: escapes decoded, interpolations of known
// values filled in (the evaluator evaluates them), `~w(...)a` word lists.
import type { Node } from './elixir-parser.js';
import { namedKids, unknown, type Value } from './values.js';

/** The text of a string or quoted atom; null when an interpolation is not a known string. */
export function stringContent(node: Node, evaluateInner: (inner: Node) => Value): string | null {
  let text = '';
  for (const part of node.namedChildren) {
    if (part.type === 'quoted_content') text += part.text;
    else if (part.type === 'escape_sequence') text += unescape(part.text);
    else if (part.type === 'interpolation') {
      const inner = namedKids(part)[0];
      const value = inner ? evaluateInner(inner) : unknown(part);
      if (value.kind === 'string') text += value.text;
      else if (value.kind === 'atom') text += value.name;
      else return null;
    }
  }
  return text;
}

// Elixir's escapes; any other escaped character stands for itself (`\"`, `\\`, `\#`).
const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07', b: '\b', d: '\x7f', e: '\x1b', f: '\f', n: '\n', r: '\r', s: ' ', t: '\t', v: '\v', '0': '\0', '\n': '', '\r\n': '',
};

function unescape(sequence: string): string {
  const body = sequence.slice(1);
  // `\xHH`, `\x{H...}`, `\uHHHH`, `\u{H...}`: a code point, so `:"a\x62c"` is the atom `abc`.
  const hex = /^[xu]\{?([0-9a-fA-F]{1,6})\}?$/.exec(body);
  const codePoint = hex ? Number.parseInt(hex[1]!, 16) : NaN;
  if (codePoint <= 0x10ffff) return String.fromCodePoint(codePoint);
  return SIMPLE_ESCAPES[body] ?? body;
}

/** `~w(unix windows)a` and friends, the only sigils mix.exs settings use. */
export function evaluateSigil(node: Node): Value {
  const name = node.namedChildren.find((child) => child.type === 'sigil_name')?.text;
  const content = node.namedChildren.find((child) => child.type === 'quoted_content')?.text ?? '';
  const modifiers = node.namedChildren.find((child) => child.type === 'sigil_modifiers')?.text ?? '';
  if (name === 's' || name === 'S') return { kind: 'string', text: content, node };
  if (name !== 'w' && name !== 'W') return unknown(node);
  const words = content.split(/\s+/).filter(Boolean);
  const items: Value[] = words.map((word) =>
    modifiers.includes('a') ? { kind: 'atom', name: word, node } : { kind: 'string', text: word, node },
  );
  return { kind: 'list', items, node };
}
