// The modules an app defines, read from its own source (the `.ex` files under its prod
// `elixirc_paths`), for the names the generated files must use: its endpoints, an existing
// release-tasks module, and the prefix its modules share. Only files whose text can hold one of
// those facts are parsed; the rest are never handed to the grammar.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Node } from './elixir-parser.js';
import { argumentNodes, operatorOf } from './module-scope.js';
import { parseElixir } from './elixir-parser.js';
import { readSourceFile } from './source-file.js';
import { namedKids } from './values.js';

/** A `.ex` file of the app, project-relative, with its text. */
export interface SourceFile {
  file: string;
  text: string;
}

/** What one `defmodule` says that the generators care about. */
export interface ModuleDef {
  /** Full name, nesting resolved: `defmodule A do defmodule B` is `A.B`. */
  name: string;
  file: string;
  /** `use Phoenix.Endpoint, otp_app: :x`: the endpoint's otp_app (null when not a literal atom). */
  endpoint: { otpApp: string | null } | null;
  /** Defines `migrate/0` and names `Ecto.Migrator`: a release-tasks module. */
  releaseTasks: boolean;
}

// Directories Mix never compiles from, should an elixirc_path contain them.
const SKIPPED_DIRS = new Set(['node_modules', '_build', 'deps', '.git']);

/** Every `.ex` file under the given directories of `appDir`, sorted, with its text. */
export async function listSourceFiles(root: string, appDir: string, elixircPaths: string[]): Promise<SourceFile[]> {
  const files = new Set<string>();
  for (const dir of elixircPaths) {
    const rel = path.posix.normalize(path.posix.join(appDir || '.', dir));
    if (rel.startsWith('../') || path.posix.isAbsolute(rel)) continue;
    for (const file of await walk(root, rel)) files.add(file);
  }
  const sorted = [...files].sort();
  const texts = await Promise.all(sorted.map((file) => readSourceFile(path.join(root, file), file).catch(() => null)));
  return sorted.flatMap((file, i) => (texts[i] ? [{ file, text: texts[i]! }] : []));
}

async function walk(root: string, rel: string): Promise<string[]> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true }).catch(() => null);
  if (!entries) return rel.endsWith('.ex') ? [rel] : [];
  const found: string[] = [];
  for (const entry of entries) {
    const child = `${rel === '.' ? '' : `${rel}/`}${entry.name}`;
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) found.push(...(await walk(root, child)));
    else if (entry.isFile() && entry.name.endsWith('.ex')) found.push(child);
  }
  return found;
}

/**
 * The modules defined in the files that `mayHold` lets through (a cheap text test). A file that
 * does not parse is skipped: it is the project's to fix, and its modules cannot be trusted.
 */
export async function readModules(files: SourceFile[], mayHold: (text: string) => boolean): Promise<ModuleDef[]> {
  const modules: ModuleDef[] = [];
  for (const source of files) {
    if (!mayHold(source.text)) continue;
    const tree = await parseElixir(source.text);
    try {
      if (tree.rootNode.hasError) continue;
      collectModules(tree.rootNode, '', source.file, modules);
    } finally {
      tree.delete();
    }
  }
  return modules;
}

function collectModules(node: Node, outer: string, file: string, out: ModuleDef[]): void {
  for (const child of namedKids(node)) {
    if (!isCall(child, 'defmodule')) continue;
    const alias = argumentNodes(child)[0];
    const body = child.namedChildren.find((c) => c.type === 'do_block');
    if (alias?.type !== 'alias' || !body) continue;
    const name = `${outer ? `${outer}.` : ''}${alias.text.replace(/\s+/g, '')}`;
    const statements = namedKids(body);
    out.push({
      name,
      file,
      endpoint: endpointUse(statements),
      releaseTasks: definesMigrate(statements) && mentions(body, 'Ecto.Migrator'),
    });
    collectModules(body, name, file, out);
  }
}

function isCall(node: Node, name: string): boolean {
  const target = node.type === 'call' ? node.childForFieldName('target') : null;
  return target?.type === 'identifier' && target.text === name;
}

/** `use Phoenix.Endpoint, otp_app: :my_app` among the module's own statements. */
function endpointUse(statements: Node[]): { otpApp: string | null } | null {
  for (const statement of statements) {
    if (!isCall(statement, 'use')) continue;
    const [module, options] = argumentNodes(statement);
    if (module?.text.replace(/\s+/g, '') !== 'Phoenix.Endpoint') continue;
    let otpApp: string | null = null;
    for (const pair of options?.type === 'keywords' ? namedKids(options) : []) {
      const value = pair.childForFieldName('value');
      if (pair.childForFieldName('key')?.text.trim() === 'otp_app:' && value?.type === 'atom') otpApp = value.text.slice(1);
    }
    return { otpApp };
  }
  return null;
}

/** `def migrate do ... end` or `def migrate(), do: ...` with no parameters. */
function definesMigrate(statements: Node[]): boolean {
  return statements.some((statement) => {
    if (!isCall(statement, 'def')) return false;
    let head = argumentNodes(statement)[0];
    if (head?.type === 'binary_operator' && operatorOf(head) === 'when') head = head.childForFieldName('left') ?? undefined;
    if (head?.type === 'identifier') return head.text === 'migrate';
    return head?.type === 'call' && head.childForFieldName('target')?.text === 'migrate' && argumentNodes(head).length === 0;
  });
}

/** The module body names `module` in code (an alias node, not a comment or a string). */
function mentions(body: Node, module: string): boolean {
  return body.descendantsOfType('alias').some((alias) => alias?.text.replace(/\s+/g, '') === module);
}
