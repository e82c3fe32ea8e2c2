// Choosing the Docker images (DESIGN.md §5): the online index first, then the bundled catalog;
// only when neither has a fitting tag does the run stop, saying which flags would work.
import { CreateReleaseError } from '../errors.js';
import type { ImageChoice, WantedVersion } from '../types.js';
import { CATALOG_AS_OF } from './catalog-data.js';
import { catalogFinder, elixirMinors, suggestPairs } from './catalog.js';
import { fillDefaults } from './defaults.js';
import { parseRequirement, type Requirement } from './requirement.js';
import { CODENAMES, searchImage, type SearchInput, type SearchResult } from './search.js';
import { tagName, type ImageTag } from './tags.js';
import type { Version } from './version.js';
import { parseWanted } from './wanted.js';

export { resolveWantedVersions, type WantedVersions, type WantedVersionsInput } from './wanted.js';
export { CATALOG_AS_OF } from './catalog-data.js';

export interface ChooseImageInput {
  elixir: WantedVersion | null;
  otp: WantedVersion | null;
  elixirRequirement: string | null;
  offline: boolean;
  bobUrl: string;
  env: Record<string, string | undefined>;
  /** Bound on the whole online lookup; past it the catalog answers. */
  timeoutMs?: number;
  /** Bound on each request (never more than timeoutMs). */
  requestTimeoutMs?: number;
  /** Ctrl-C: stops the lookup at once. */
  signal?: AbortSignal;
}

export interface ChosenImage extends ImageChoice {
  /** The catalog's as-of date when the tag came from it, else null. */
  asOf: string | null;
  /** Informational lines: where each version came from. */
  notes: string[];
}

export const DEFAULT_TIMEOUT_MS = 4000;
const DEFAULT_REQUEST_TIMEOUT_MS = 2000;

export async function chooseImage(input: ChooseImageInput): Promise<ChosenImage> {
  const warnings: string[] = [];
  // An unreadable requirement was already reported by resolveWantedVersions.
  const requirement = input.elixirRequirement ? parseRequirement(input.elixirRequirement) : null;
  const given = parseWanted(input.elixir, input.otp);
  const filled = fillDefaults(given, requirement, input.elixirRequirement);
  if (!filled) throw noImageError(given, requirement, input);
  warnings.push(...filled.picked);
  const search: SearchInput = { ...filled, requirement, elixirMinors: elixirMinors(requirement, filled.elixir) };

  let found: SearchResult | null = null;
  let indexProblem: string | null = null;
  if (!input.offline) {
    const online = await searchIndex(search, input);
    // An interrupted lookup ends the run (exit 130), not in a fallback to the catalog.
    input.signal?.throwIfAborted();
    if ('problem' in online) indexProblem = online.problem;
    else found = online.result;
  }
  const source = found ? 'index' : 'catalog';
  found ??= await searchImage(catalogFinder(), search);
  if (!found) throw noImageError(given, requirement, input);

  const tag = found.tag;
  const builder = `hexpm/elixir:${tagName(tag)}`;
  const wantedText = describeWanted(given, filled);
  if (!found.exact) warnings.push(`Docker image for ${wantedText} not found, using ${builder}.`);
  else if (tag.codename !== CODENAMES[0]) warnings.push(`No Debian ${CODENAMES[0]} image for ${wantedText}; using ${tag.codename}.`);
  if (source === 'catalog') warnings.push(catalogWarning(builder, input, indexProblem));

  return {
    elixir: tag.elixir.text,
    otp: tag.otp.text,
    codename: tag.codename,
    date: tag.date,
    builder,
    runner: `debian:${tag.codename}-${tag.date}-slim`,
    source,
    warnings,
    asOf: source === 'catalog' ? CATALOG_AS_OF : null,
    notes: [describeSources(input, tag)],
  };
}

async function searchIndex(search: SearchInput, input: ChooseImageInput): Promise<{ result: SearchResult | null } | { problem: string }> {
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { openImageIndex, IndexUnavailableError } = await import('./image-index.js');
  const index = await openImageIndex({
    bobUrl: input.bobUrl,
    env: input.env,
    requestTimeoutMs: Math.min(input.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, timeoutMs),
    signal: input.signal ? AbortSignal.any([input.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
  });
  try {
    return { result: await searchImage(index.find, search) };
  } catch (error) {
    if (error instanceof IndexUnavailableError) return { problem: error.message };
    throw error;
  } finally {
    await index.close();
  }
}

function catalogWarning(builder: string, input: ChooseImageInput, problem: string | null): string {
  const from = `from the bundled catalog (as of ${CATALOG_AS_OF}), not verified online: check that it still exists before building`;
  if (input.offline) return `--offline: ${builder} comes ${from}.`;
  if (problem) return `Could not use the image index at ${input.bobUrl} (${problem}); ${builder} comes ${from}.`;
  return `The image index at ${input.bobUrl} has no fitting image; ${builder} comes ${from}.`;
}

function describeWanted(given: { elixir: Version | null; otp: Version | null }, filled: { elixir: Version; otp: Version }): string {
  const parts = [];
  if (given.elixir || !given.otp) parts.push(`Elixir ${filled.elixir.text}`);
  if (given.otp || !given.elixir) parts.push(`OTP ${filled.otp.text}`);
  return parts.join(' / ');
}

function describeSources(input: ChooseImageInput, tag: ImageTag): string {
  const from = (w: WantedVersion | null) => (w ? `${w.version} from ${w.source}` : 'not given');
  return `Docker image: Elixir ${tag.elixir.text} / OTP ${tag.otp.text} on Debian ${tag.codename} (wanted Elixir ${from(input.elixir)}, OTP ${from(input.otp)}).`;
}

function noImageError(given: { elixir: Version | null; otp: Version | null }, requirement: Requirement | null, input: ChooseImageInput) {
  const wanted = [given.elixir && `Elixir ${given.elixir.text}`, given.otp && `OTP ${given.otp.text}`].filter(Boolean).join(' / ');
  const within = requirement ? ` satisfying "${input.elixirRequirement}"` : '';
  const searched = input.offline ? 'the bundled catalog' : 'the image index and the bundled catalog';
  const suggestions = suggestPairs(given, requirement);
  const fix =
    suggestions.length > 0
      ? `try ${suggestions.join(', or ')}`
      : `check the elixir requirement in mix.exs, or pass --elixir and --otp of an existing hexpm/elixir tag`;
  return new CreateReleaseError(
    `No Debian (${CODENAMES.join('/')}) hexpm/elixir image found for ${wanted || 'any Elixir'}${within} in ${searched} (as of ${CATALOG_AS_OF}): ${fix}.`,
  );
}
