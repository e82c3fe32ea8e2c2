// The block "Read from the project:" a user checks before any file is written: each row, what
// was guessed said as such, and the labels aligned.
import { describe, expect, it } from 'vitest';
import { describeReading, formatReading, type Reading } from '../../src/reading.js';
import { planRuntimeConfig, runtimeInputOf } from '../../src/runtime-config/index.js';
import { targetOf } from '../helpers/facts.js';
import { fixture } from '../plan/fixtures.js';

const base: Reading = {
  app: { name: 'shop', dir: '' },
  namespace: { name: 'Shop', from: 'mod: {Shop.Application, ...} in mix.exs', guessed: false },
  release: { name: 'shop', from: 'the app name; mix.exs declares no releases' },
  endpoints: [{ module: 'ShopWeb.Endpoint', file: 'lib/shop_web/endpoint.ex', otpApp: 'shop' }],
  phoenix: true,
  serverEnv: [{ name: 'PHX_SERVER', value: 'true' }],
  ecto: { from: 'the ecto_sql dependency', module: 'Shop.Release', file: 'lib/shop/release.ex', exists: false, repos: ['Shop.Repo'], adapters: ['postgrex'] },
  production: [],
};

describe('formatReading', () => {
  it('a Phoenix app with Ecto: every row, labels padded to the longest', () => {
    expect(formatReading(base)).toBe(
      [
        'Read from the project:',
        '  app         shop',
        '  namespace   Shop  from mod: {Shop.Application, ...} in mix.exs',
        '  release     shop  (the app name; mix.exs declares no releases)',
        '  endpoint    ShopWeb.Endpoint  in lib/shop_web/endpoint.ex',
        '  bin/server  sets PHX_SERVER=true',
        '  migrations  Shop.Release.migrate  (to write at lib/shop/release.ex)',
        '  repos       Shop.Repo',
        '  adapter     postgrex',
        '  ecto        in use: the ecto_sql dependency',
        '',
      ].join('\n'),
    );
  });

  it('an umbrella app shows its directory; a guessed namespace says how to set it', () => {
    const text = formatReading({ ...base, app: { name: 'shop', dir: 'apps/shop' }, namespace: { name: 'Shop', from: 'the app name', guessed: true } });
    expect(text).toContain('  app         shop (apps/shop)\n');
    expect(text).toContain('  namespace   Shop  GUESSED from the app name: set config :shop, namespace: ... if it is wrong\n');
  });

  it("the project's own release module, repos from nowhere, several endpoints and switches, no adapter", () => {
    const text = formatReading({
      ...base,
      endpoints: [...base.endpoints, { module: 'ShopWeb.AdminEndpoint', file: 'lib/shop_web/admin_endpoint.ex', otpApp: 'shop' }],
      serverEnv: [{ name: 'SERVE', value: '1' }, { name: 'PHX_SERVER', value: 'true' }],
      ecto: { ...base.ecto!, exists: true, repos: [], adapters: [] },
    });
    expect(text).toContain('  endpoint    ShopWeb.Endpoint  in lib/shop_web/endpoint.ex\n  endpoint    ShopWeb.AdminEndpoint  in lib/shop_web/admin_endpoint.ex\n');
    expect(text).toContain('  bin/server  sets SERVE=1 PHX_SERVER=true\n');
    expect(text).toContain("  migrations  Shop.Release.migrate  (the project's own, in lib/shop/release.ex)\n  repos       none in ecto_repos (config)\n  ecto  ");
    expect(text).not.toContain('adapter');
  });

  it('Phoenix with no endpoint found says where it looked; nothing sets the switch: no bin/server row', () => {
    expect(formatReading({ ...base, endpoints: [] })).toContain('  endpoint    none found: no module under the source paths uses Phoenix.Endpoint\n');
    expect(formatReading({ ...base, serverEnv: [] })).not.toContain('bin/server');
  });

  it('no Phoenix, no Ecto: no endpoint row, and how to say Ecto is in use', () => {
    const text = formatReading({ ...base, endpoints: [], phoenix: false, serverEnv: [], ecto: null });
    expect(text).toBe(
      [
        'Read from the project:',
        '  app        shop',
        '  namespace  Shop  from mod: {Shop.Application, ...} in mix.exs',
        '  release    shop  (the app name; mix.exs declares no releases)',
        '  ecto       not in use (no ecto_sql or wrapper dependency, no ecto_repos): pass --ecto if it is',
        '',
      ].join('\n'),
    );
  });

  it("the production step's rows come last, aligned with the rest", () => {
    const text = formatReading({ ...base, production: [['http adapter', 'Bandit (bandit in mix.exs)']] });
    expect(text.trimEnd().split('\n').at(-1)).toBe('  http adapter  Bandit (bandit in mix.exs)');
    expect(text).toContain('  app           shop\n');
  });
});

describe('describeReading', () => {
  it('takes the owner app, the release and where it came from, the endpoints and the runtime switch', async () => {
    const f = fixture('umbrella-two-web');
    const target = await targetOf(f.facts, { release: 'acme', app: 'shop_web' });
    const reading = describeReading(target, await planRuntimeConfig(runtimeInputOf(target, true)), [['drain', '25 s']]);
    expect(reading).toEqual({
      app: { name: 'core', dir: 'apps/core' },
      namespace: { name: 'Acme.Core', from: 'mod: {Acme.Core.Application, ...} in mix.exs', guessed: false },
      release: { name: 'acme', from: target.releaseFrom },
      endpoints: [{ module: 'ShopWeb.Endpoint', file: 'apps/shop_web/lib/shop_web_web/endpoint.ex', otpApp: 'shop_web' }],
      phoenix: true,
      serverEnv: [{ name: 'PHX_SERVER', value: 'true' }],
      ecto: {
        from: 'the ecto_sql dependency',
        module: 'Acme.Core.Release',
        file: 'apps/core/lib/core/release.ex',
        exists: false,
        repos: ['Acme.Core.Repo'],
        adapters: ['postgrex'],
      },
      production: [['drain', '25 s']],
    });
  });

  it('no Ecto: none', async () => {
    const f = fixture('phoenix-no-ecto');
    const target = await targetOf(f.facts);
    expect(describeReading(target, await planRuntimeConfig(runtimeInputOf(target, false))).ecto).toBeNull();
  });
});
