// The bundled catalog of known tags (src/images/catalog-data.ts): a tag source for offline runs,
// the list of Elixir lines worth asking the index about, and suggestions when nothing fits.
import { CATALOG_TAGS } from './catalog-data.js';
import { admitsMinor, satisfies, type Requirement } from './requirement.js';
import { CODENAMES, type FindTags } from './search.js';
import { parseTag, type ImageTag } from './tags.js';
import { compareVersions, matchesLine, type Version } from './version.js';

let parsed: ImageTag[] | null = null;

/** The catalog's tags for the codenames the CLI uses. */
export function catalogTags(): ImageTag[] {
  parsed ??= CATALOG_TAGS.flatMap(([elixir, otp, codename, date]) => {
    const tag = parseTag(`${elixir}-erlang-${otp}-debian-${codename}-${date}-slim`, null, null);
    return tag && (CODENAMES as readonly string[]).includes(codename) ? [tag] : [];
  });
  return parsed;
}

export function catalogFinder(tags: ImageTag[] = catalogTags()): FindTags {
  return async (q) =>
    tags.filter((t) => t.codename === q.codename && matchesLine(t.elixir, q.elixir) && matchesLine(t.otp, q.otp));
}

/**
 * Elixir `[major, minor]` lines allowed by the requirement, newest first: the catalog's, the
 * wanted one, and the line after the newest known, which the index may know about already.
 */
export function elixirMinors(requirement: Requirement | null, wanted: Version | null, tags = catalogTags()) {
  const keys = new Set(tags.map((t) => `${t.elixir.parts[0]}.${t.elixir.parts[1]}`));
  if (wanted) keys.add(`${wanted.parts[0]}.${wanted.parts[1] ?? 0}`);
  const lines = [...keys].map((k) => k.split('.').map(Number) as [number, number]);
  const newest = lines.reduce((a, b) => (b[0] > a[0] || (b[0] === a[0] && b[1] > a[1]) ? b : a), [0, 0]);
  lines.push([newest[0], newest[1] + 1]);
  return lines
    .filter(([major, minor]) => admitsMinor(requirement, major, minor))
    .sort((a, b) => b[0] - a[0] || b[1] - a[1]);
}

/** Release tags (no pre-releases) whose Elixir satisfies the requirement. */
export function releaseTags(requirement: Requirement | null, tags = catalogTags()): ImageTag[] {
  return tags.filter((t) => t.elixir.pre.length === 0 && t.otp.pre.length === 0 && satisfies(requirement, t.elixir));
}

/** The newest of `tags` by `key`, or null when empty. */
export function newestBy(tags: ImageTag[], key: (t: ImageTag) => Version): Version | null {
  let best: Version | null = null;
  for (const t of tags) if (!best || compareVersions(key(t), best) > 0) best = key(t);
  return best;
}

/**
 * A few `--elixir X --otp Y` pairs near what was wanted: the newest pair of each
 * (elixir major.minor, otp major) group, closest groups first.
 */
export function suggestPairs(
  wanted: { elixir: Version | null; otp: Version | null },
  requirement: Requirement | null,
  count = 3,
  tags = catalogTags(),
): string[] {
  const groups = new Map<string, ImageTag>();
  for (const t of releaseTags(requirement, tags)) {
    const key = `${t.elixir.parts[0]}.${t.elixir.parts[1]}/${t.otp.parts[0]}`;
    const held = groups.get(key);
    if (!held || compareVersions(t.elixir, held.elixir) > 0 || (compareVersions(t.elixir, held.elixir) === 0 && compareVersions(t.otp, held.otp) > 0)) {
      groups.set(key, t);
    }
  }
  const distance = (t: ImageTag) =>
    (wanted.elixir ? Math.abs(minorIndex(t.elixir) - minorIndex(wanted.elixir)) : 0) +
    (wanted.otp ? Math.abs((t.otp.parts[0] ?? 0) - (wanted.otp.parts[0] ?? 0)) : 0);
  return [...groups.values()]
    .sort((a, b) => distance(a) - distance(b) || compareVersions(b.elixir, a.elixir) || compareVersions(b.otp, a.otp))
    .slice(0, count)
    .map((t) => `--elixir ${t.elixir.text} --otp ${t.otp.text}`);
}

function minorIndex(v: Version): number {
  return (v.parts[0] ?? 0) * 100 + (v.parts[1] ?? 0);
}
