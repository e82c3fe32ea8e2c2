// The offline path: the bundled catalog, the trixie → bookworm fallback, defaults picked when
// nothing names a version, and the error when nothing fits.
import { describe, expect, it } from 'vitest';
import { CreateReleaseError } from '../../src/errors.js';
import { catalogFinder, catalogTags, elixirMinors } from '../../src/images/catalog.js';
import { CATALOG_AS_OF, CATALOG_TAGS } from '../../src/images/catalog-data.js';
import { chooseImage, type ChooseImageInput } from '../../src/images/index.js';
import { parseRequirement } from '../../src/images/requirement.js';
import { searchImage } from '../../src/images/search.js';
import { parseTag } from '../../src/images/tags.js';
import { parseElixirVersion, parseOtpVersion } from '../../src/images/version.js';

function offline(elixir: string | null, otp: string | null, elixirRequirement: string | null = '~> 1.14') {
  const input: ChooseImageInput = {
    elixir: elixir ? { version: elixir, source: '--elixir' } : null,
    otp: otp ? { version: otp, source: '--otp' } : null,
    elixirRequirement,
    offline: true,
    bobUrl: 'http://127.0.0.1:9',
    env: {},
  };
  return chooseImage(input);
}

const tags = (...names: string[]) => names.map((n) => parseTag(n, null, null)!);

describe('the bundled catalog', () => {
  it('holds only well-formed Debian slim tags, with an as-of date', () => {
    expect(CATALOG_AS_OF).toMatch(/^\d{4}-\d{2}/);
    expect(CATALOG_TAGS.length).toBeGreaterThan(100);
    for (const [elixir, otp, codename, date] of CATALOG_TAGS) {
      expect(parseTag(`${elixir}-erlang-${otp}-debian-${codename}-${date}-slim`, null, null), `${elixir} ${otp}`).not.toBeNull();
    }
    expect(catalogTags().every((t) => ['trixie', 'bookworm'].includes(t.codename) && t.archs === null)).toBe(true);
  });

  it('gives the exact tag when it knows it', async () => {
    const choice = await offline('1.18.4', '27.3.4');
    expect(choice).toMatchObject({
      builder: 'hexpm/elixir:1.18.4-erlang-27.3.4-debian-trixie-20260610-slim',
      runner: 'debian:trixie-20260610-slim',
      source: 'catalog',
      asOf: CATALOG_AS_OF,
    });
    expect(choice.warnings).toHaveLength(1);
  });

  it('falls back from trixie to bookworm for versions trixie has no image of', async () => {
    const choice = await offline('1.16.3', '26.2.5');
    expect(choice.builder).toBe('hexpm/elixir:1.16.3-erlang-26.2.5-debian-bookworm-20240612-slim');
    expect(choice.runner).toBe('debian:bookworm-20240612-slim');
    expect(choice.warnings[0]).toBe('No Debian trixie image for Elixir 1.16.3 / OTP 26.2.5; using bookworm.');
  });

  it("finds an image for Debian's own Elixir 1.14.0 / OTP 25.2.3, warning about the fallback", async () => {
    const choice = await offline('1.14.0', '25.2.3');
    expect(choice.builder).toBe('hexpm/elixir:1.14.5-erlang-25.3.2.21-debian-bookworm-20260713-slim');
    expect(choice.warnings[0]).toBe(
      'Docker image for Elixir 1.14.0 / OTP 25.2.3 not found, using hexpm/elixir:1.14.5-erlang-25.3.2.21-debian-bookworm-20260713-slim.',
    );
  });

  it('picks the newest pair satisfying the requirement when nothing names a version, and says so', async () => {
    const newest = await offline(null, null, '~> 1.14');
    expect(newest.builder).toBe('hexpm/elixir:1.20.4-erlang-29.1.1-debian-trixie-20260918-slim');
    expect(newest.warnings[0]).toMatch(/^No Elixir version given .*: using 1\.20\.4, the newest known that satisfies "~> 1\.14"\.$/);
    expect(newest.warnings[1]).toMatch(/^No OTP version given .*: using 29\.1\.1, the newest known for Elixir 1\.20\.4\.$/);

    const pinned = await offline(null, null, '~> 1.18.0');
    expect(pinned.elixir).toBe('1.18.5');
    expect(pinned.codename).toBe('trixie');
  });

  it('never picks a pre-release unless asked for it', async () => {
    expect((await offline('1.20.0-rc.4', '28.5')).elixir).toBe('1.20.0-rc.4');
    const found = await searchImage(catalogFinder(tags(
      '1.20.0-rc.4-erlang-28.5-debian-trixie-20260505-slim',
      '1.19.5-erlang-28.5-debian-trixie-20260421-slim',
    )), {
      elixir: parseElixirVersion('1.20.0')!,
      otp: parseOtpVersion('28.5')!,
      requirement: null,
      elixirMinors: [[1, 20], [1, 19]],
    });
    expect(found?.tag.elixir.text).toBe('1.19.5');
  });

  it('keeps every candidate within the requirement, even the exact one', async () => {
    const found = await searchImage(catalogFinder(tags(
      '1.15.8-erlang-26.2.5.2-debian-bookworm-20240701-slim',
      '1.16.3-erlang-26.2.5-debian-bookworm-20240612-slim',
    )), {
      elixir: parseElixirVersion('1.15.8')!,
      otp: parseOtpVersion('26.2.5.2')!,
      requirement: parseRequirement('~> 1.16'),
      elixirMinors: [[1, 16], [1, 15]],
    });
    expect(found?.tag.elixir.text).toBe('1.16.3');
  });

  it('asks the index about the line after the newest known, within the requirement', () => {
    expect(elixirMinors(parseRequirement('~> 1.19'), null)).toEqual([[1, 21], [1, 20], [1, 19]]);
    expect(elixirMinors(parseRequirement('>= 1.15.0 and < 1.17.0'), null)).toEqual([[1, 16], [1, 15]]);
  });
});

describe('when nothing fits', () => {
  it('stops with exit 1 and names --elixir/--otp values that would work', async () => {
    const failure = offline('1.12.3', '24.3.4', null);
    await expect(failure).rejects.toThrow(CreateReleaseError);
    await expect(failure).rejects.toMatchObject({ exitCode: 1 });
    await expect(failure).rejects.toThrow(
      'No Debian (trixie/bookworm) hexpm/elixir image found for Elixir 1.12.3 / OTP 24.3.4 in the bundled catalog (as of 2026-11): ' +
        'try --elixir 1.14.5 --otp 25.3.2.21, or --elixir 1.15.8 --otp 26.2.5.17, or --elixir 1.17.3 --otp 25.3.2.21.',
    );
  });

  it('says to check the requirement when no known image satisfies it', async () => {
    await expect(offline(null, null, '~> 3.0')).rejects.toThrow(
      /no.*image found for any Elixir satisfying "~> 3\.0" .*: check the elixir requirement in mix\.exs, or pass --elixir and --otp/i,
    );
  });
});
