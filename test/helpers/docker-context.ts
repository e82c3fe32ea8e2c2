// The build context as Docker sends it to the builder: the project directory less what
// `.dockerignore` excludes. The patterns are matched by @balena/dockerignore, a port of the
// matcher in Docker's own code (moby's patternmatcher), with Docker's case-sensitive matching.
//
// Docker reads `.dockerignore` (moby's ignorefile.ReadAll, then patternmatcher.New) thus:
// - a line starting with `#` is a comment; blank lines are ignored; each line is trimmed;
// - a leading `!` makes an exception (re-includes what earlier lines excluded);
// - each pattern is cleaned as Go's filepath.Clean does (`./a` is `a`, `a/` is `a`, `a/../b` is
//   `b`) and a leading `/` is dropped: patterns are relative to the context root, `/a` is `a`;
// - `*` and `?` match within one path segment, `[...]` is a character class, `**` matches any
//   number of directories (zero too), `\` escapes the next character;
// - a pattern matches a path when it matches the path itself or any of its parent directories
//   (so `deps` excludes `deps/x/y`), and the last pattern that matches decides;
// - an excluded directory is still walked when an exception could re-include something in it.
//
// The library follows moby v19.03. Two things changed in Docker since, and are adjusted here
// before a pattern reaches it (tested in test/docker-replay/context.test.ts):
// - `+ ( ) | { }` are literal characters in a pattern (moby escapes them since 2021; the library
//   would let them through as regular-expression syntax);
// - a pattern that starts with `**` followed by plain text (`**.gz`) matches any path that ends
//   with that text (`a/b.gz`), which the library only does for `**/`.
// The parent-directory rule is applied here, pattern by pattern, as moby's MatchesOrParentMatches
// does, and the exception and last-match rules with it; the library matches one path against one
// pattern.
import ignore from '@balena/dockerignore';
import fse from 'fs-extra';
import { existsSync, readFileSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

type Matcher = { ignores(pathname: string): boolean };
type Factory = (options?: { ignorecase?: boolean }) => { add(pattern: string): Matcher };
// The package is CommonJS: its default export is the factory itself (it also sets `.default`).
const factory = ((ignore as unknown as { default?: Factory }).default ?? (ignore as unknown as Factory)) as Factory;

interface Rule {
  /** The pattern as Docker cleaned it (without `!`). */
  pattern: string;
  exclusion: boolean;
  matcher: Matcher;
}

/** The lines of `<context>/.dockerignore`, or [] when there is none. */
export function readDockerignore(contextDir: string): string[] {
  const file = path.join(contextDir, '.dockerignore');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
}

/**
 * Docker's view of a `.dockerignore`: `excludes(relPath)` tells whether a path (relative to the
 * context root, `/`-separated) is left out of the build context. Throws on what Docker rejects
 * (a lone `!`, a malformed character class).
 */
export function dockerignoreMatcher(lines: string[]): { excludes(relPath: string): boolean; hasExceptions: boolean; patterns: string[] } {
  const rules = lines.flatMap((line): Rule[] => {
    if (line.startsWith('#')) return [];
    let pattern = line.trim();
    if (pattern === '') return [];
    // ignorefile.ReadAll: `!` off, trim, clean, leading `/` off, `!` back on.
    let exclusion = pattern.startsWith('!');
    if (exclusion) pattern = pattern.slice(1).trim();
    if (pattern !== '') pattern = cleanPattern(pattern);
    // patternmatcher.New: clean again, and a `!` that cleaning uncovered (`/!a`) is one too.
    if (!exclusion && pattern.startsWith('!')) {
      exclusion = true;
      pattern = pattern.slice(1);
    }
    if (pattern === '') {
      if (exclusion) throw new Error('.dockerignore: illegal exclusion pattern: "!"');
      return [];
    }
    const matcher = factory({ ignorecase: false }).add(forLibrary(pattern));
    try {
      matcher.ignores('.probe');
    } catch {
      throw new Error(`.dockerignore: bad pattern ${line.trim()}`);
    }
    return [{ pattern, exclusion, matcher }];
  });
  const excludes = (relPath: string): boolean => {
    const file = path.posix.normalize(relPath).replace(/\/$/, '');
    if (file === '.' || file === '') return false;
    const parts = file.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let matched = false;
    for (const rule of rules) {
      // As moby: an exception cannot change what is not excluded, a pattern what already is.
      if (rule.exclusion !== matched) continue;
      if (prefixes.some((prefix) => rule.matcher.ignores(prefix))) matched = !rule.exclusion;
    }
    return matched;
  };
  return { excludes, hasExceptions: rules.some((r) => r.exclusion), patterns: rules.map((r) => (r.exclusion ? '!' : '') + r.pattern) };
}

/** Go's filepath.Clean and the leading `/` dropped, as Docker does to each pattern. */
function cleanPattern(pattern: string): string {
  let cleaned = path.posix.normalize(pattern);
  if (cleaned.length > 1) cleaned = cleaned.replace(/\/+$/, '');
  if (cleaned.length > 1 && cleaned.startsWith('/')) cleaned = cleaned.slice(1);
  return cleaned;
}

/**
 * A cleaned pattern in the form the library reads as today's Docker does (see the header).
 * `segment`: as Go's filepath.Match reads it instead, where `**` is two stars, the same as one.
 */
function forLibrary(pattern: string, segment = false): string {
  let out = '';
  let star = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i++;
    } else if ('+()|{}'.includes(ch)) out += `\\${ch}`;
    else if (!(segment && ch === '*' && star)) out += ch;
    star = ch === '*';
  }
  // `**text` (moby: a suffix match) is `**/*text` in the library's terms.
  if (!segment && /^\*\*[^/*?[\]\\]/.test(pattern) && !/[*?[\]\\]/.test(pattern.slice(2))) out = `**/*${out.slice(2)}`;
  // The library would read a leading `!` or `#` as syntax; here they are plain characters.
  if (out.startsWith('!') || out.startsWith('#')) out = `\\${out}`;
  return out;
}

/**
 * Every path of the build context (relative, `/`-separated, sorted): files, links and
 * directories that `.dockerignore` keeps, and the directories that hold something it re-includes.
 */
export async function listBuildContext(contextDir: string, lines = readDockerignore(contextDir)): Promise<string[]> {
  const { excludes, hasExceptions } = dockerignoreMatcher(lines);
  const kept: string[] = [];
  async function walk(rel: string): Promise<boolean> {
    let keptAny = false;
    const entries = await readdir(path.join(contextDir, rel), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      const excluded = excludes(relPath);
      if (entry.isDirectory()) {
        // An excluded directory is walked only if an exception might re-include part of it.
        if (excluded && !hasExceptions) continue;
        const index = kept.length;
        const inner = await walk(relPath);
        if (!excluded || inner) {
          kept.splice(index, 0, relPath);
          keptAny = true;
        }
      } else if (!excluded) {
        kept.push(relPath);
        keptAny = true;
      }
    }
    return keptAny;
  }
  await walk('');
  return kept;
}

/**
 * Copies the build context of `contextDir` into `targetDir` (created), as the builder receives
 * it; returns the paths it holds.
 */
export async function copyBuildContext(contextDir: string, targetDir: string): Promise<string[]> {
  const entries = await listBuildContext(contextDir);
  const keep = new Set(entries);
  await fse.ensureDir(targetDir);
  for (const rel of entries) {
    const from = path.join(contextDir, rel);
    const to = path.join(targetDir, rel);
    const st = await lstat(from);
    if (st.isDirectory()) await fse.ensureDir(to);
    // Files and links alone: a directory's kept children are copied by their own entries.
    else if (keep.has(rel)) await fse.copy(from, to, { dereference: false, preserveTimestamps: true });
  }
  return entries;
}

/** Whether a COPY source contains a wildcard (`*`, `?` or `[` not escaped). */
export function hasWildcard(source: string): boolean {
  return /(^|[^\\])(\\\\)*[*?[]/.test(source);
}

/**
 * Go's filepath.Match for one path segment, as Docker matches COPY's wildcard sources: `*` and
 * `?` (never `/`), `[...]` classes, `\` escapes. The same library, on one segment.
 */
export function matchesSegment(pattern: string, name: string): boolean {
  return factory({ ignorecase: false }).add(forLibrary(pattern, true)).ignores(name);
}
