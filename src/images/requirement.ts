// Elixir's version requirements (`Version.match?/2`), as mix.exs writes them in `elixir:`:
// `~> 1.14`, `>= 1.14.0 and < 2.0.0`, `~> 1.15 or ~> 1.17`. `and` binds tighter than `or`.
// Pre-release versions match like Elixir's default (`allow_pre: true`); the `~>` upper bound is
// `-0` so `~> 1.14` never admits `2.0.0-rc.0`.
import { compareVersions, parseElixirVersion, type Version } from './version.js';

export type Requirement = (v: Version) => boolean;

type Op = '~>' | '>=' | '<=' | '==' | '!=' | '>' | '<';

const CLAUSE = /^(~>|>=|<=|==|!=|>|<)?\s*(\S+)$/;

/** Parses a requirement; null when Elixir would reject it too. */
export function parseRequirement(text: string): Requirement | null {
  const alternatives = text.trim().split(/\s+or\s+/);
  const parsed = alternatives.map((alt) => alt.split(/\s+and\s+/).map(parseClause));
  if (parsed.some((all) => all.some((c) => c === null))) return null;
  const ors = parsed as Requirement[][];
  return (v) => ors.some((ands) => ands.every((clause) => clause(v)));
}

function parseClause(text: string): Requirement | null {
  const m = CLAUSE.exec(text.trim());
  if (!m) return null;
  const op = (m[1] ?? '==') as Op;
  const v = parseElixirVersion(m[2]!);
  if (!v) return null;
  // Only `~>` may leave out the patch part (`~> 1.14`); Elixir rejects `>= 1.14`.
  if (v.parts.length < 3 && op !== '~>') return null;
  if (op === '~>') return pessimistic(v);
  return compareWith(op, v);
}

function compareWith(op: Exclude<Op, '~>'>, bound: Version): Requirement {
  return (v) => {
    const c = compareVersions(v, bound);
    switch (op) {
      case '>=':
        return c >= 0;
      case '<=':
        return c <= 0;
      case '>':
        return c > 0;
      case '<':
        return c < 0;
      case '==':
        return c === 0;
      case '!=':
        return c !== 0;
    }
  };
}

function pessimistic(bound: Version): Requirement {
  const [major = 0, minor = 0] = bound.parts;
  const upper: Version =
    bound.parts.length < 3
      ? { parts: [major + 1, 0, 0], pre: [0], text: `${major + 1}.0.0-0` }
      : { parts: [major, minor + 1, 0], pre: [0], text: `${major}.${minor + 1}.0-0` };
  const full: Version = { ...bound, parts: [major, minor, bound.parts[2] ?? 0] };
  return (v) => compareVersions(v, full) >= 0 && compareVersions(v, upper) < 0;
}

/** Whether some release of the line `major.minor` satisfies the requirement. */
export function admitsMinor(req: Requirement | null, major: number, minor: number): boolean {
  if (!req) return true;
  for (let patch = 0; patch < 100; patch++) {
    if (req({ parts: [major, minor, patch], pre: [], text: `${major}.${minor}.${patch}` })) return true;
  }
  return false;
}

/** A version string with only major.minor (`1.18`) satisfies when some patch of it does. */
export function satisfies(req: Requirement | null, v: Version): boolean {
  if (!req) return true;
  if (v.parts.length < 3) return admitsMinor(req, v.parts[0] ?? 0, v.parts[1] ?? 0);
  return req(v);
}
