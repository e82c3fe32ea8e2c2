// One `hexpm/elixir` Debian slim tag, and the order in which the search prefers tags.
import { compareVersions, parseElixirVersion, parseOtpVersion, type Version } from './version.js';

export interface ImageTag {
  elixir: Version;
  otp: Version;
  /** Debian codename, e.g. `trixie`. */
  codename: string;
  /** Debian snapshot date in the tag, `YYYYMMDD`. */
  date: string;
  /** Architectures the tag is built for; null when unknown (the bundled catalog). */
  archs: string[] | null;
  /** When the index says it was built (ISO 8601), null when unknown. */
  builtAt: string | null;
}

const SLIM_TAG = /^(.+)-erlang-(.+)-debian-([a-z]+)-(\d{8})-slim$/;

/** Reads `<elixir>-erlang-<otp>-debian-<codename>-<date>-slim`; null for any other tag. */
export function parseTag(tag: string, archs: string[] | null, builtAt: string | null): ImageTag | null {
  const m = SLIM_TAG.exec(tag);
  if (!m) return null;
  const elixir = parseElixirVersion(m[1]!);
  const otp = parseOtpVersion(m[2]!);
  if (!elixir || elixir.parts.length !== 3 || !otp) return null;
  return { elixir, otp, codename: m[3]!, date: m[4]!, archs, builtAt };
}

export function tagName(t: Pick<ImageTag, 'elixir' | 'otp' | 'codename' | 'date'>): string {
  return `${t.elixir.text}-erlang-${t.otp.text}-debian-${t.codename}-${t.date}-slim`;
}

/** Built for both architectures people deploy to; unknown counts as not. */
export function isMultiArch(t: ImageTag): boolean {
  return t.archs !== null && t.archs.includes('amd64') && t.archs.includes('arm64');
}

/** Negative when `a` is preferred: multi-arch first, then the newest elixir, otp, date, build. */
export function comparePreference(a: ImageTag, b: ImageTag): number {
  return (
    Number(isMultiArch(b)) - Number(isMultiArch(a)) ||
    compareVersions(b.elixir, a.elixir) ||
    compareVersions(b.otp, a.otp) ||
    b.date.localeCompare(a.date) ||
    (b.builtAt ?? '').localeCompare(a.builtAt ?? '')
  );
}

export function pickPreferred(tags: ImageTag[]): ImageTag | null {
  let best: ImageTag | null = null;
  for (const t of tags) if (!best || comparePreference(t, best) < 0) best = t;
  return best;
}
