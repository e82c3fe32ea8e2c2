// The dependencies mix.exs declares: their names (for what the project uses) and, for those
// fetched from a path or a git repository, where from (a Docker build may not reach them).
import { callLocal, type ModuleScope } from './evaluate.js';
import { atomName, keywordGet, listItems, stringText, type Value } from './values.js';

/** A dependency that does not come from Hex. */
export interface DepSource {
  name: string;
  /** `path:` as written (relative to the mix.exs that declares it). */
  path: string | null;
  /** `git:` URL, or `github:` as `https://github.com/<repo>.git`. */
  git: string | null;
}

export interface DepsRead {
  /** Names in declaration order, from every branch (any env, any target). */
  names: string[];
  sources: DepSource[];
  /** The value that could not be read completely, for the warning; null when all was read. */
  unread: Value | null;
}

export function readDeps(scope: ModuleScope, declared: Value | undefined): DepsRead {
  const list = declared?.kind === 'list' ? declared : callLocal(scope, 'deps', []);
  const items = listItems(list);
  const incomplete = list.kind !== 'list' || Boolean(list.unread) || items.some((item) => item.kind === 'unknown');
  const names: string[] = [];
  const sources: DepSource[] = [];
  for (const item of items) {
    const name = item.kind === 'tuple' ? atomName(item.items[0]) : null;
    if (!name || names.includes(name)) continue;
    names.push(name);
    const options = item.kind === 'tuple' ? item.items.find((part, i) => i > 0 && part.kind === 'list') : undefined;
    const source = sourceOf(name, options);
    if (source) sources.push(source);
  }
  return { names, sources, unread: incomplete ? list : null };
}

function sourceOf(name: string, options: Value | undefined): DepSource | null {
  const path = stringText(keywordGet(options, 'path'));
  const github = stringText(keywordGet(options, 'github'));
  const git = stringText(keywordGet(options, 'git')) ?? (github ? `https://github.com/${github}.git` : null);
  return path || git ? { name, path, git } : null;
}
