// Which Elixir and OTP versions the image should have: a flag beats the detected toolchain
// (.tool-versions / mise / PATH, already ranked by detectToolchain), always within the project's
// `elixir:` requirement.
import { CreateReleaseError, UsageError } from '../errors.js';
import type { Toolchain, WantedVersion } from '../types.js';
import { parseRequirement, satisfies, type Requirement } from './requirement.js';
import { parseElixirVersion, parseOtpVersion, type Version } from './version.js';

export interface WantedVersionsInput {
  elixirFlag?: string;
  otpFlag?: string;
  toolchain: Toolchain;
  elixirRequirement: string | null;
}

export interface WantedVersions {
  elixir: WantedVersion | null;
  otp: WantedVersion | null;
  warnings: string[];
}

/**
 * A flag that breaks the requirement is an error (the image could not build the project, and the
 * user asked for it by name); a detected version that does is dropped with a warning, so the
 * image falls back to the newest one that satisfies the requirement.
 */
export function resolveWantedVersions(input: WantedVersionsInput): WantedVersions {
  const warnings: string[] = [];
  const requirement = readRequirement(input.elixirRequirement, warnings);

  let elixir: WantedVersion | null = null;
  if (input.elixirFlag !== undefined) {
    const version = normalizeElixir(input.elixirFlag);
    if (!parseElixirVersion(version)) throw new UsageError(`--elixir expects a version such as 1.18.4, got "${input.elixirFlag}".`);
    elixir = { version, source: '--elixir' };
  } else if (input.toolchain.elixir) {
    const version = normalizeElixir(input.toolchain.elixir.version);
    if (parseElixirVersion(version)) elixir = { version, source: input.toolchain.elixir.source };
    else warnings.push(`Ignoring Elixir version "${input.toolchain.elixir.version}" from ${input.toolchain.elixir.source}: not a version.`);
  }

  let otp: WantedVersion | null = null;
  if (input.otpFlag !== undefined) {
    const version = normalizeOtp(input.otpFlag);
    if (!parseOtpVersion(version)) throw new UsageError(`--otp expects a version such as 27.3.4, got "${input.otpFlag}".`);
    otp = { version, source: '--otp' };
  } else if (input.toolchain.otp) {
    const version = normalizeOtp(input.toolchain.otp.version);
    if (parseOtpVersion(version)) otp = { version, source: input.toolchain.otp.source };
    else warnings.push(`Ignoring OTP version "${input.toolchain.otp.version}" from ${input.toolchain.otp.source}: not a version.`);
  }

  // `1.18.4-otp-27` (asdf, mise) also says which OTP line the project is built with.
  const otpHint = /-otp-(\d+)$/.exec(input.elixirFlag ?? input.toolchain.elixir?.version ?? '');
  if (!otp && elixir && otpHint) otp = { version: otpHint[1]!, source: `${elixir.source} (Elixir ${elixir.version}-otp-${otpHint[1]})` };

  if (elixir && requirement && !satisfies(requirement, parseElixirVersion(elixir.version)!)) {
    const req = input.elixirRequirement!;
    if (elixir.source === '--elixir') {
      throw new CreateReleaseError(
        `--elixir ${elixir.version} does not satisfy the project's Elixir requirement "${req}" in mix.exs: pass a version that does, or leave out --elixir.`,
      );
    }
    // The OTP found beside it was chosen for that Elixir; the image's OTP comes with the Elixir
    // chosen instead. Only --otp, a choice made for the image, stays.
    const dropOtp = otp !== null && otp.source !== '--otp';
    const alsoOtp = dropOtp ? `, and neither is OTP ${otp!.version} from ${otp!.source}` : '';
    warnings.push(
      `Elixir ${elixir.version} from ${elixir.source} does not satisfy the project's requirement "${req}" (mix.exs), so it is not used for the image${alsoOtp}: the image gets the newest Elixir that satisfies the requirement${dropOtp ? ' and an OTP built for it' : ''}.`,
    );
    elixir = null;
    if (dropOtp) otp = null;
  }
  return { elixir, otp, warnings };
}

/** Parses the mix.exs requirement; one that Elixir itself would reject is reported and ignored. */
export function readRequirement(text: string | null, warnings: string[]): Requirement | null {
  if (text === null || text.trim() === '') return null;
  const req = parseRequirement(text);
  if (!req) warnings.push(`Could not read the Elixir requirement "${text}" in mix.exs; the image's Elixir version is not checked against it.`);
  return req;
}

// asdf and mise spell Elixir builds as `1.18.4-otp-27`; the image tag wants `1.18.4`.
function normalizeElixir(text: string): string {
  return text.trim().replace(/^v/, '').replace(/-otp-\d+$/, '');
}

function normalizeOtp(text: string): string {
  return text.trim().replace(/^(?:OTP-|otp-)/, '');
}

/** Parsed wanted versions; callers pass values resolveWantedVersions already checked. */
export function parseWanted(elixir: WantedVersion | null, otp: WantedVersion | null): { elixir: Version | null; otp: Version | null } {
  return {
    elixir: elixir ? parseElixirVersion(normalizeElixir(elixir.version)) : null,
    otp: otp ? parseOtpVersion(normalizeOtp(otp.version)) : null,
  };
}
