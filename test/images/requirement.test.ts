import { describe, expect, it } from 'vitest';
import { parseRequirement } from '../../src/images/requirement.js';
import { compareVersions, parseElixirVersion, parseOtpVersion } from '../../src/images/version.js';

const VERSIONS = ['1.13.4', '1.14.0', '1.14.1', '1.14.2', '1.15.0', '1.15.0-rc.0', '1.16.3', '1.17.0', '1.19.5', '1.20.0-rc.1', '1.20.0', '2.0.0-rc.0', '2.0.0', '2.1.0'];

// Each row's answers were produced by Elixir 1.14's own `Version.match?/2` (1 = matches) or
// `Version.parse_requirement/1` (error), with the versions above.
const ELIXIR_SAYS: Array<[string, string]> = [
  ['~> 1.14', '0 1 1 1 1 1 1 1 1 1 1 0 0 0'],
  ['~>1.14', '0 1 1 1 1 1 1 1 1 1 1 0 0 0'],
  ['~> 1.14.2', '0 0 0 1 0 0 0 0 0 0 0 0 0 0'],
  ['>= 1.14.0', '0 1 1 1 1 1 1 1 1 1 1 1 1 1'],
  ['>= 1.14', 'error'],
  ['1.14.0', '0 1 0 0 0 0 0 0 0 0 0 0 0 0'],
  ['== 1.14', 'error'],
  ['~> 1.15 or ~> 1.17', '0 0 0 0 1 0 1 1 1 1 1 0 0 0'],
  ['>= 1.14.0 and < 1.16.0', '0 1 1 1 1 1 0 0 0 0 0 0 0 0'],
  ['~> 1.14 and != 1.15.0', '0 1 1 1 0 1 1 1 1 1 1 0 0 0'],
  ['> 1.14.0 or == 1.13.4 and < 2.0.0', '1 0 1 1 1 1 1 1 1 1 1 1 1 1'],
  ['~> 1.14-rc', '0 1 1 1 1 1 1 1 1 1 1 0 0 0'],
  ['~> 1.20.0-rc.1', '0 0 0 0 0 0 0 0 0 1 1 0 0 0'],
  ['<= 1.15.0', '1 1 1 1 1 1 0 0 0 0 0 0 0 0'],
  ['~> 1', 'error'],
  ['~> 1.14.0-dev', '0 1 1 1 0 0 0 0 0 0 0 0 0 0'],
  ['>= 1.14.0 && < 2.0.0', 'error'],
  ['~> 1.14 || ~> 2.0', 'error'],
];

describe('Elixir version requirements', () => {
  for (const [text, expected] of ELIXIR_SAYS) {
    it(`matches "${text}" like Elixir`, () => {
      const req = parseRequirement(text);
      const got = req ? VERSIONS.map((v) => (req(parseElixirVersion(v)!) ? '1' : '0')).join(' ') : 'error';
      expect(got).toBe(expected);
    });
  }
});

describe('versions', () => {
  it('orders Elixir pre-releases before the release, numerically', () => {
    const sorted = ['1.20.0', '1.20.0-rc.10', '1.9.0', '1.20.0-rc.2', '1.20.0-beta', '1.10.0'].map((v) => parseElixirVersion(v)!);
    sorted.sort(compareVersions);
    expect(sorted.map((v) => v.text)).toEqual(['1.9.0', '1.10.0', '1.20.0-beta', '1.20.0-rc.2', '1.20.0-rc.10', '1.20.0']);
  });

  it('orders OTP versions with any number of parts', () => {
    const sorted = ['27.3.4.10', '27.3.4.3', '27.3', '28.0-rc2', '28.0', '27.10'].map((v) => parseOtpVersion(v)!);
    sorted.sort(compareVersions);
    expect(sorted.map((v) => v.text)).toEqual(['27.3', '27.3.4.3', '27.3.4.10', '27.10', '28.0-rc2', '28.0']);
  });

  it('rejects what is not a version', () => {
    expect(parseElixirVersion('latest')).toBeNull();
    expect(parseElixirVersion('1')).toBeNull();
    expect(parseOtpVersion('OTP-27')).toBeNull();
  });
});
