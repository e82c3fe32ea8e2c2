import type { Node } from './elixir-parser.js';
import { deleteKeyword, keywordGet, listItems, mergeKeywords, unknown, type Value } from './values.js';

type Remote = (args: Value[], node: Node) => Value;

// The standard-library calls people use to assemble project/0 and deps/0; anything else is unknown.
const REMOTES: Record<string, Remote> = {
  'Keyword.merge': ([a, b], node) => (a && b ? mergeKeywords(a, b, node) : unknown(node)),
  'Keyword.put': ([list, key, value], node) => putKeyword(list, key, value, node, true),
  'Keyword.put_new': ([list, key, value], node) => putKeyword(list, key, value, node, false),
  'Keyword.delete': ([list, key], node) =>
    list && key?.kind === 'atom' ? deleteKeyword(list, key.name, node) : unknown(node),
  'Enum.concat': (args, node) => concatLists(args.length === 1 ? listItems(args[0]) : args, node),
  'List.flatten': ([list], node) => flatten(list, node),
  // Filters keep a subset of their input; for "which deps are declared" the input is the answer.
  'Enum.reject': ([list], node) => passList(list, node),
  'Enum.filter': ([list], node) => passList(list, node),
  'Enum.uniq': ([list], node) => passList(list, node),
};

/** Applies `Module.fun(args)` when it is one of the few calls mix.exs files use to build lists. */
export function remoteCall(name: string, args: Value[], node: Node): Value {
  return REMOTES[name]?.(args, node) ?? unknown(node);
}

function putKeyword(
  list: Value | undefined,
  key: Value | undefined,
  value: Value | undefined,
  node: Node,
  replace: boolean,
): Value {
  if (list?.kind !== 'list' || key?.kind !== 'atom' || !value) return unknown(node);
  if (!replace && keywordGet(list, key.name) !== undefined) return list;
  const rest = deleteKeyword(list, key.name, node);
  const items = rest.kind === 'list' ? rest.items : [];
  return { kind: 'list', items: [{ kind: 'tuple', items: [key, value], node }, ...items], node };
}

function concatLists(lists: Value[], node: Node): Value {
  if (!lists.every((list) => list.kind === 'list')) return unknown(node);
  return { kind: 'list', items: lists.flatMap(listItems), node };
}

function flatten(list: Value | undefined, node: Node): Value {
  if (list?.kind !== 'list') return unknown(node);
  const items = list.items.flatMap((item): Value[] => {
    const flat = item.kind === 'list' ? flatten(item, node) : item;
    return flat.kind === 'list' ? flat.items : [flat];
  });
  return { kind: 'list', items, node };
}

function passList(list: Value | undefined, node: Node): Value {
  return list?.kind === 'list' ? list : unknown(node);
}
