// The search order for a builder image, the same over the online index and the bundled catalog.
// Phoenix's generator order: exact elixir+otp; exact elixir, same otp major.minor; same elixir
// major.minor and otp major.minor; any elixir, otp major.minor; then those three at otp major.
// Each step tries trixie, then bookworm: keeping the wanted versions matters more than the
// newer Debian. Within a step, `comparePreference` picks.
import { satisfies, type Requirement } from './requirement.js';
import { pickPreferred, type ImageTag } from './tags.js';
import { exactLine, matchesLine, prefixLine, type Version, type VersionLine } from './version.js';

export const CODENAMES = ['trixie', 'bookworm'] as const;

export interface TagQuery {
  codename: string;
  elixir: VersionLine;
  otp: VersionLine;
}

/** A source of tags: returns (at least) every tag matching the query. */
export type FindTags = (query: TagQuery) => Promise<ImageTag[]>;

export interface SearchInput {
  elixir: Version;
  otp: Version;
  requirement: Requirement | null;
  /** Elixir `[major, minor]` lines to try for "any elixir", newest first. */
  elixirMinors: Array<[number, number]>;
}

export interface SearchResult {
  tag: ImageTag;
  /** True when the wanted versions themselves were found (on either codename). */
  exact: boolean;
}

type ElixirLevel = 'exact' | 'minor' | 'any';
type OtpLevel = 'exact' | 'minor' | 'major';

const STEPS: Array<[ElixirLevel, OtpLevel]> = [
  ['exact', 'exact'],
  ['exact', 'minor'],
  ['minor', 'minor'],
  ['any', 'minor'],
  ['exact', 'major'],
  ['minor', 'major'],
  ['any', 'major'],
];

export async function searchImage(find: FindTags, input: SearchInput): Promise<SearchResult | null> {
  const cached = memoize(find);
  const seen = new Set<string>();
  for (const [elixirLevel, otpLevel] of STEPS) {
    const elixir = elixirLevel === 'any' ? null : elixirLineAt(input.elixir, elixirLevel);
    const otp = otpLineAt(input.otp, otpLevel);
    // A wanted `1.18` or `27` makes some steps the same as earlier ones.
    const key = JSON.stringify([elixir, otp]);
    if (seen.has(key)) continue;
    seen.add(key);
    // Both codenames are asked at once (a round trip each would add up); trixie still wins.
    const picks = await Promise.all(
      CODENAMES.map(async (codename) =>
        elixir
          ? pickPreferred(await candidates(cached, { codename, elixir, otp }, input.requirement))
          : pickFromAnyElixir(cached, codename, otp, input),
      ),
    );
    const tag = picks.find((t) => t !== null);
    if (tag) return { tag, exact: elixirLevel === 'exact' && otpLevel === 'exact' };
  }
  return null;
}

/** The line a wanted version names: `1.18.4` exactly, but `1.18` (or OTP `27`) as a line. */
export function wantedLine(v: Version, fullParts: number): VersionLine {
  return v.parts.length >= fullParts ? exactLine(v) : prefixLine(v, v.parts.length);
}

function elixirLineAt(v: Version, level: 'exact' | 'minor'): VersionLine {
  return level === 'exact' ? wantedLine(v, 3) : prefixLine(v, Math.min(2, v.parts.length));
}

function otpLineAt(v: Version, level: OtpLevel): VersionLine {
  if (level === 'exact') return wantedLine(v, 2);
  return prefixLine(v, Math.min(level === 'minor' ? 2 : 1, v.parts.length));
}

// "Any elixir" is asked line by line (each allowed major.minor), all at once, so the index
// never has to page through every build of an OTP line.
async function pickFromAnyElixir(find: FindTags, codename: string, otp: VersionLine, input: SearchInput) {
  const lines = input.elixirMinors.map(([major, minor]): VersionLine => ({ parts: [major, minor], pre: [], exact: false }));
  const found = await Promise.all(lines.map((elixir) => candidates(find, { codename, elixir, otp }, input.requirement)));
  return pickPreferred(found.flat());
}

async function candidates(find: FindTags, query: TagQuery, requirement: Requirement | null): Promise<ImageTag[]> {
  const tags = await find(query);
  // Sources may over-answer (the index matches by prefix, so `27` also finds `270.1`).
  return tags.filter(
    (t) =>
      t.codename === query.codename &&
      matchesLine(t.elixir, query.elixir) &&
      matchesLine(t.otp, query.otp) &&
      satisfies(requirement, t.elixir),
  );
}

function memoize(find: FindTags): FindTags {
  const memo = new Map<string, Promise<ImageTag[]>>();
  return (query) => {
    const key = JSON.stringify(query);
    let hit = memo.get(key);
    if (!hit) memo.set(key, (hit = find(query)));
    return hit;
  };
}
