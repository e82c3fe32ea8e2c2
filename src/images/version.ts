// Versions as the image tags spell them. Elixir versions are SemVer (`1.18.4`, `1.20.0-rc.1`);
// OTP versions are any number of dot-separated integers (`27`, `27.3`, `27.3.4.3`), sometimes
// with a pre-release suffix (`28.0-rc2`). One shape serves both so the search code compares
// and matches them the same way.

export interface Version {
  /** Numeric parts: `[1, 18, 4]`, `[27, 3, 4, 3]`. */
  parts: number[];
  /** Pre-release identifiers (`['rc', 1]`), empty for a release. */
  pre: Array<string | number>;
  /** The text it was parsed from. */
  text: string;
}

const ELIXIR = /^(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/;
const OTP = /^(\d+(?:\.\d+)*)(?:-([0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*))?$/;

/** Parses `1.18.4`, `1.18` or `1.20.0-rc.1` (`~> 1.14-rc` even allows `1.14-rc`); null otherwise. */
export function parseElixirVersion(text: string): Version | null {
  const m = ELIXIR.exec(text);
  if (!m) return null;
  const parts = [Number(m[1]), Number(m[2])];
  if (m[3] !== undefined) parts.push(Number(m[3]));
  return { parts, pre: splitPre(m[4]), text };
}

/** Parses `27`, `27.3.4.3` or `28.0-rc2`; null when it is not an OTP version. */
export function parseOtpVersion(text: string): Version | null {
  const m = OTP.exec(text);
  if (!m) return null;
  return { parts: m[1]!.split('.').map(Number), pre: splitPre(m[2]), text };
}

function splitPre(pre: string | undefined): Array<string | number> {
  if (!pre) return [];
  return pre.split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id));
}

/** SemVer precedence, extended to any number of parts (missing parts count as 0). */
export function compareVersions(a: Version, b: Version): number {
  const n = Math.max(a.parts.length, b.parts.length);
  for (let i = 0; i < n; i++) {
    const d = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return comparePre(a.pre, b.pre);
}

function comparePre(a: Array<string | number>, b: Array<string | number>): number {
  // A release sorts after its pre-releases.
  if (a.length === 0 || b.length === 0) return Math.sign(b.length - a.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return Math.sign(x - y);
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return Math.sign(a.length - b.length);
}

/**
 * A set of versions the search asks for: one exact version, or every release in a line
 * (`1.18` → 1.18.x, `27` → 27.x). Pre-releases only match when asked for exactly, so a
 * fallback never lands on a release candidate.
 */
export interface VersionLine {
  parts: number[];
  pre: Array<string | number>;
  exact: boolean;
}

export function exactLine(v: Version): VersionLine {
  return { parts: v.parts, pre: v.pre, exact: true };
}

export function prefixLine(v: Version, count: number): VersionLine {
  return { parts: v.parts.slice(0, count), pre: [], exact: false };
}

export function matchesLine(v: Version, line: VersionLine): boolean {
  if (line.exact && v.parts.length !== line.parts.length) return false;
  if (!line.parts.every((p, i) => v.parts[i] === p)) return false;
  return comparePre(v.pre, line.pre) === 0;
}

export function lineText(line: VersionLine): string {
  const base = line.parts.join('.');
  return line.pre.length > 0 ? `${base}-${line.pre.join('.')}` : base;
}
