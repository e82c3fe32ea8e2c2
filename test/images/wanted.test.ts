import { describe, expect, it } from 'vitest';
import { CreateReleaseError, UsageError } from '../../src/errors.js';
import { resolveWantedVersions } from '../../src/images/index.js';
import type { Toolchain } from '../../src/types.js';

const fromFile: Toolchain = {
  elixir: { version: '1.17.3', source: '.tool-versions' },
  otp: { version: '27.1.2', source: '.tool-versions' },
};
const none: Toolchain = { elixir: null, otp: null };

describe('resolveWantedVersions', () => {
  it('takes a flag over the detected toolchain, and says where each came from', () => {
    const got = resolveWantedVersions({ elixirFlag: '1.18.4', toolchain: fromFile, elixirRequirement: '~> 1.14' });
    expect(got).toEqual({
      elixir: { version: '1.18.4', source: '--elixir' },
      otp: { version: '27.1.2', source: '.tool-versions' },
      warnings: [],
    });
    expect(resolveWantedVersions({ otpFlag: 'OTP-28.1', toolchain: fromFile, elixirRequirement: null }).otp).toEqual({
      version: '28.1',
      source: '--otp',
    });
  });

  it('returns nulls when nothing says which versions', () => {
    expect(resolveWantedVersions({ toolchain: none, elixirRequirement: '~> 1.14' })).toEqual({ elixir: null, otp: null, warnings: [] });
  });

  it('reads the asdf spelling 1.18.4-otp-27, taking the OTP line from it when nothing else says', () => {
    const got = resolveWantedVersions({
      toolchain: { elixir: { version: '1.18.4-otp-27', source: '.tool-versions' }, otp: null },
      elixirRequirement: null,
    });
    expect(got.elixir).toEqual({ version: '1.18.4', source: '.tool-versions' });
    expect(got.otp).toEqual({ version: '27', source: '.tool-versions (Elixir 1.18.4-otp-27)' });
  });

  it('refuses an --elixir that breaks the requirement, saying how to fix it', () => {
    const run = () => resolveWantedVersions({ elixirFlag: '1.13.4', toolchain: none, elixirRequirement: '~> 1.14' });
    expect(run).toThrow(CreateReleaseError);
    expect(run).toThrow(/^--elixir 1\.13\.4 does not satisfy the project's Elixir requirement "~> 1\.14" in mix\.exs: pass a version that does/);
    try {
      run();
    } catch (e) {
      expect((e as CreateReleaseError).exitCode).toBe(1);
    }
  });

  it('drops a detected Elixir that breaks the requirement, and the OTP that came with it, in one sentence', () => {
    const got = resolveWantedVersions({
      toolchain: { elixir: { version: '1.14.0', source: 'elixir on PATH' }, otp: { version: '25.2.3', source: 'erl on PATH' } },
      elixirRequirement: '~> 1.19',
    });
    expect(got.elixir).toBeNull();
    expect(got.otp).toBeNull();
    expect(got.warnings).toEqual([
      'Elixir 1.14.0 from elixir on PATH does not satisfy the project\'s requirement "~> 1.19" (mix.exs), so it is not used for the image, and neither is OTP 25.2.3 from erl on PATH: the image gets the newest Elixir that satisfies the requirement and an OTP built for it.',
    ]);
  });

  it('keeps an OTP given with --otp when the detected Elixir is dropped', () => {
    const got = resolveWantedVersions({
      otpFlag: '27.3',
      toolchain: { elixir: { version: '1.14.0', source: '.tool-versions' }, otp: null },
      elixirRequirement: '~> 1.19',
    });
    expect(got).toMatchObject({ elixir: null, otp: { version: '27.3', source: '--otp' } });
    expect(got.warnings[0]).not.toContain('neither is OTP');
  });

  it('treats a malformed flag as bad usage (exit 2)', () => {
    expect(() => resolveWantedVersions({ elixirFlag: 'latest', toolchain: none, elixirRequirement: null })).toThrow(UsageError);
    expect(() => resolveWantedVersions({ otpFlag: '27.x', toolchain: none, elixirRequirement: null })).toThrow(/--otp expects a version/);
  });

  it('warns about a requirement Elixir itself would reject, and checks nothing against it', () => {
    const got = resolveWantedVersions({ elixirFlag: '1.10.0', toolchain: none, elixirRequirement: '>= 1.14' });
    expect(got.elixir?.version).toBe('1.10.0');
    expect(got.warnings).toEqual(['Could not read the Elixir requirement ">= 1.14" in mix.exs; the image\'s Elixir version is not checked against it.']);
  });
});
