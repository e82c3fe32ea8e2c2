import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CreateReleaseError } from '../../src/errors.js';
import { camelize, validateAppName, validateNamespace } from '../../src/inspect/names.js';
import { findMissingTools } from '../helpers/elixir.js';
import { toolChecksOff } from '../helpers/suite.js';

// Expected values are what Elixir 1.14's Macro.camelize/1 returns (checked live below).
const CAMELIZED: Array<[string, string]> = [
  ['my_app', 'MyApp'],
  ['my_app2', 'MyApp2'],
  ['acme_api', 'AcmeApi'],
  ['my_app_web', 'MyAppWeb'],
  ['a_b_c', 'ABC'],
  ['my__app', 'MyApp'],
  ['my_2app', 'My2app'],
  ['abc1_2x', 'Abc12x'],
  ['x_1_y', 'X1Y'],
  ['my_app_', 'MyApp'],
  ['_my_app', 'MyApp'],
  ['a_B', 'A_B'],
  ['a__B', 'A_B'],
  ['foo/bar_baz', 'Foo.BarBaz'],
  ['a1', 'A1'],
];

describe('camelize', () => {
  it.each(CAMELIZED)('%s → %s', (input, output) => {
    expect(camelize(input)).toBe(output);
  });

  const elixirMissing = findMissingTools(['elixir']).length > 0 && process.env.CI !== 'true';
  it.skipIf(elixirMissing || toolChecksOff)('matches Macro.camelize/1 of the installed Elixir', () => {
    const inputs = CAMELIZED.map(([input]) => input);
    const out = execFileSync('elixir', ['-e', 'for s <- System.argv(), do: IO.puts(Macro.camelize(s))', ...inputs], { encoding: 'utf8' });
    expect(out.trimEnd().split('\n')).toEqual(inputs.map(camelize));
  });
});

describe('validateAppName', () => {
  it.each(['my_app', 'a', 'my_app2', 'web3_api_v2', 'a_'])('accepts %s', (name) => {
    expect(() => validateAppName(name)).not.toThrow();
  });

  it.each(['MyApp', '2fast', '_app', 'my-app', 'my app', 'my/app', '..', "it's", 'café', ''])('rejects %j', (name) => {
    expect(() => validateAppName(name, 'apps/x/mix.exs')).toThrow(CreateReleaseError);
    expect(() => validateAppName(name, 'apps/x/mix.exs')).toThrow(
      `apps/x/mix.exs: app name ${JSON.stringify(name)} is not valid: Mix requires`,
    );
  });
});

describe('validateNamespace', () => {
  it.each(['AcmeAPI', 'MyApp2', 'Acme.Shop', 'My_App'])('accepts %s', (name) => {
    expect(() => validateNamespace(name)).not.toThrow();
  });

  it.each(['acme', ':acme', 'Acme.', 'Acme..Shop', '"Acme"', 'Acme Shop', 'Élan', 'Acme.shop'])('rejects %j', (name) => {
    expect(() => validateNamespace(name)).toThrow(
      `config/config.exs: namespace ${JSON.stringify(name)} is not a valid module name`,
    );
  });
});
