// When nothing names a version, the search still needs one to aim at: the newest pair the
// catalog knows that satisfies the requirement. The index then confirms it (or falls back),
// which keeps every online query narrow.
import { newestBy, releaseTags } from './catalog.js';
import type { Requirement } from './requirement.js';
import { CODENAMES, wantedLine } from './search.js';
import type { ImageTag } from './tags.js';
import { matchesLine, prefixLine, type Version } from './version.js';

export interface FilledVersions {
  elixir: Version;
  otp: Version;
  /** Sentences saying which versions were picked and why. */
  picked: string[];
}

export function fillDefaults(
  given: { elixir: Version | null; otp: Version | null },
  requirement: Requirement | null,
  requirementText: string | null,
  tags?: ImageTag[],
): FilledVersions | null {
  const pool = releaseTags(requirement, tags);
  if (pool.length === 0) return null;
  const picked: string[] = [];
  const within = requirement && requirementText ? ` that satisfies "${requirementText}"` : '';

  let elixir = given.elixir;
  if (!elixir) {
    const sameOtp = given.otp ? pool.filter((t) => t.otp.parts[0] === given.otp!.parts[0]) : [];
    elixir = newestBy(preferTrixie(sameOtp.length > 0 ? sameOtp : pool), (t) => t.elixir)!;
    const forOtp = sameOtp.length > 0 ? ` with OTP ${given.otp!.parts[0]}` : '';
    picked.push(`No Elixir version given (--elixir, .tool-versions, mise or elixir on PATH): using ${elixir.text}, the newest known${forOtp}${within}.`);
  }

  let otp = given.otp;
  if (!otp) {
    const e = elixir;
    const exact = pool.filter((t) => matchesLine(t.elixir, wantedLine(e, 3)));
    const sameMinor = pool.filter((t) => matchesLine(t.elixir, prefixLine(e, 2)));
    const from = exact.length > 0 ? exact : sameMinor.length > 0 ? sameMinor : pool;
    otp = newestBy(preferTrixie(from), (t) => t.otp)!;
    const forElixir = from === pool ? '' : ` for Elixir ${from === exact ? e.text : `${e.parts[0]}.${e.parts[1]}`}`;
    picked.push(`No OTP version given (--otp, .tool-versions, mise or erl on PATH): using ${otp.text}, the newest known${forElixir}.`);
  }
  return { elixir, otp, picked };
}

// Aim at a pair the default codename has, when it has one: the search would otherwise settle
// on bookworm for a pair picked only because bookworm had a newer OTP.
function preferTrixie(tags: ImageTag[]): ImageTag[] {
  const first = tags.filter((t) => t.codename === CODENAMES[0]);
  return first.length > 0 ? first : tags;
}
