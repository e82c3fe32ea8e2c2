import type { Node } from './elixir-parser.js';

/**
 * What an Elixir expression in mix.exs is known to evaluate to, without running it.
 * Keyword lists are lists of 2-tuples, as in Elixir, so `[app: :x]` and `[{:app, :x}]` read the
 * same. `node` is where the value was written, for error messages (null when synthesised).
 */
export type Value =
  | { kind: 'atom'; name: string; node: Node | null }
  | { kind: 'string'; text: string; node: Node | null }
  | { kind: 'alias'; name: string; node: Node | null }
  /** `unread`: a part of the list that could not be read (`[...] ++ computed()`), for warnings. */
  | { kind: 'list'; items: Value[]; node: Node | null; unread?: Node | null }
  | { kind: 'tuple'; items: Value[]; node: Node | null }
  | { kind: 'unknown'; node: Node | null };

export function unknown(node: Node | null): Value {
  return { kind: 'unknown', node };
}

/** Named children that carry meaning (comments can appear between any two tokens). */
export function namedKids(node: Node): Node[] {
  return node.namedChildren.filter((child) => child.type !== 'comment');
}

/** The `{key, value}` pairs of a keyword list, skipping items that are not pairs. */
export function keywordEntries(value: Value | undefined): Array<[string, Value, Value]> {
  if (value?.kind !== 'list') return [];
  const entries: Array<[string, Value, Value]> = [];
  for (const item of value.items) {
    if (item.kind !== 'tuple' || item.items.length !== 2) continue;
    const [key, val] = item.items;
    if (key?.kind === 'atom' && val) entries.push([key.name, val, item]);
  }
  return entries;
}

/** `Keyword.get/2`: the first value under `key`. */
export function keywordGet(value: Value | undefined, key: string): Value | undefined {
  return keywordEntries(value).find(([name]) => name === key)?.[1];
}

/** The pair `{key, value}` itself, whose node is the whole `key: value` text. */
export function keywordPair(value: Value | undefined, key: string): Value | undefined {
  return keywordEntries(value).find(([name]) => name === key)?.[2];
}

export function atomName(value: Value | undefined): string | null {
  return value?.kind === 'atom' ? value.name : null;
}

export function stringText(value: Value | undefined): string | null {
  return value?.kind === 'string' ? value.text : null;
}

/** Items of a list value (empty when the value is not a known list). */
export function listItems(value: Value | undefined): Value[] {
  return value?.kind === 'list' ? value.items : [];
}

/** `Keyword.merge/2`: keys of `right` replace those of `left`; other items of `left` stay. */
export function mergeKeywords(left: Value, right: Value, node: Node | null): Value {
  // Merging with something unknown keeps the side we can read: better than losing both.
  if (left.kind !== 'list') return right.kind === 'list' ? right : unknown(node);
  if (right.kind !== 'list') return left;
  const replaced = new Set(keywordEntries(right).map(([name]) => name));
  const kept = left.items.filter((item) => !replaced.has(pairKey(item) ?? ''));
  return { kind: 'list', items: [...kept, ...right.items], node };
}

/** Removes `key` from a keyword list (`Keyword.delete/2`). */
export function deleteKeyword(list: Value, key: string, node: Node | null): Value {
  if (list.kind !== 'list') return unknown(node);
  const items = list.items.filter((item) => pairKey(item) !== key);
  return { kind: 'list', items, node };
}

/** The key of a `{:key, value}` item, else null. */
function pairKey(item: Value): string | null {
  return item.kind === 'tuple' && item.items.length === 2 ? atomName(item.items[0]) : null;
}

/** The same value with no syntax nodes, safe to keep after its tree is freed. */
export function detach(value: Value): Value {
  switch (value.kind) {
    case 'list':
      return { kind: 'list', items: value.items.map(detach), node: null, ...(value.unread ? { unread: null } : {}) };
    case 'tuple':
      return { kind: 'tuple', items: value.items.map(detach), node: null };
    default:
      return { ...value, node: null };
  }
}

/** The module names of a list of aliases (`ecto_repos: [A.Repo, B.Repo]`), skipping other items. */
export function aliasNames(value: Value | undefined): string[] {
  return listItems(value).flatMap((item) => (item.kind === 'alias' ? [item.name] : []));
}

/** The value of a plain `"..."` string with no interpolation or escapes, else null. */
export function literalString(node: Node): string | null {
  if (node.type !== 'string') return null;
  const parts = node.namedChildren;
  if (parts.length === 0) return '';
  const only = parts[0];
  return parts.length === 1 && only?.type === 'quoted_content' ? only.text : null;
}

