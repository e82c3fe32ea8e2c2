import { describe, expect, it } from 'vitest';
import { checkRuntimeConfig } from '../../src/runtime-config/index.js';
import type { RuntimeAdvice } from '../../src/types.js';
import { parseWithElixir, phoenixFacts, readFixture, runElixirTests } from './helpers.js';

const settings = (advice: RuntimeAdvice[]) => advice.map((a) => a.setting);

const helloElixir = { app: 'hello_elixir', namespace: 'HelloElixir', webModule: 'HelloElixirWeb' };

describe('checkRuntimeConfig on what phx.new generates', () => {
  it('finds nothing missing in a Phoenix 1.7 runtime.exs with Postgres', async () => {
    expect(await checkRuntimeConfig(phoenixFacts(readFixture('phoenix-1.7-postgres.exs')))).toEqual([]);
  });

  it('accepts the Phoenix 1.6.3+ shapes (`PHX_SERVER && RELEASE_NAME`, `if System.get_env("ECTO_IPV6")`)', async () => {
    const facts = phoenixFacts(readFixture('phoenix-1.6.6-postgres.exs'), { app: 'shop', namespace: 'Shop', webModule: 'ShopWeb' });
    expect(await checkRuntimeConfig(facts)).toEqual([]);
  });

  it('asks for all three in a Phoenix 1.6.0 runtime.exs, where they appear only in comments', async () => {
    const advice = await checkRuntimeConfig(phoenixFacts(readFixture('phoenix-1.6.0-postgres.exs'), helloElixir));
    expect(settings(advice)).toEqual(['PHX_SERVER', 'PHX_HOST', 'ECTO_IPV6']);
    const [server, host, ipv6] = advice;
    expect(server?.message).toBe(
      'config/runtime.exs never reads PHX_SERVER, so bin/server will not start HelloElixirWeb.Endpoint: add this after `import Config`:',
    );
    expect(server?.snippet).toBe(
      'if System.get_env("PHX_SERVER") do\n  config :hello_elixir, HelloElixirWeb.Endpoint, server: true\nend',
    );
    expect(host?.snippet).toBe(
      [
        'if config_env() == :prod do',
        '  host = System.get_env("PHX_HOST") || "example.com"',
        '',
        '  config :hello_elixir, HelloElixirWeb.Endpoint, url: [host: host, port: 443, scheme: "https"]',
        'end',
      ].join('\n'),
    );
    // The repo is the one the file configures, not a guess.
    expect(ipv6?.message).toContain('HelloElixir.Repo');
    expect(ipv6?.snippet).toBe(
      [
        'if config_env() == :prod do',
        '  maybe_ipv6 = if System.get_env("ECTO_IPV6") in ~w(true 1), do: [:inet6], else: []',
        '',
        '  config :hello_elixir, HelloElixir.Repo, socket_options: maybe_ipv6',
        'end',
      ].join('\n'),
    );
  });

  it('does not ask for ECTO_IPV6 with SQLite or without Ecto', async () => {
    const sqlite = phoenixFacts(readFixture('phoenix-1.7-sqlite.exs'), { app: 'notes', namespace: 'Notes', webModule: 'NotesWeb' });
    expect(await checkRuntimeConfig({ ...sqlite, ectoAdapters: ['ecto_sqlite3'] })).toEqual([]);
    expect(await checkRuntimeConfig({ ...sqlite, ectoAdapters: [] })).toEqual([]);
    expect(settings(await checkRuntimeConfig({ ...sqlite, ectoAdapters: ['myxql'] }))).toEqual(['ECTO_IPV6']);
    expect(settings(await checkRuntimeConfig({ ...sqlite, ectoAdapters: ['tds'] }))).toEqual(['ECTO_IPV6']);
  });
});

describe('checkRuntimeConfig counts only code', () => {
  it('ignores the settings when they are commented out', async () => {
    const advice = await checkRuntimeConfig(phoenixFacts(readFixture('block-commented-out.exs')));
    expect(settings(advice)).toEqual(['PHX_SERVER', 'PHX_HOST', 'ECTO_IPV6']);
  });

  it('ignores the settings when they appear only inside strings, heredocs and sigils', async () => {
    const advice = await checkRuntimeConfig(phoenixFacts(readFixture('only-in-strings.exs')));
    expect(settings(advice)).toEqual(['PHX_SERVER', 'PHX_HOST', 'ECTO_IPV6']);
  });

  it.each([
    ['a call without parentheses', 'server? = System.get_env "PHX_SERVER"'],
    ['a default value', 'server? = System.get_env("PHX_SERVER", "false") == "true"'],
    ['a pipe', 'server? = "PHX_SERVER" |> System.get_env()'],
    ['System.fetch_env!', 'server? = System.fetch_env!("PHX_SERVER")'],
    ['an interpolation, which is code', 'label = "server: #{System.get_env("PHX_SERVER")}"'],
    ['a condition nested in the prod block', 'if config_env() == :prod do\n  if System.get_env("PHX_SERVER") == "1", do: IO.puts("on")\nend'],
  ])('counts PHX_SERVER read through %s', async (_, code) => {
    const advice = await checkRuntimeConfig(phoenixFacts(`import Config\n\n${code}\n`));
    expect(settings(advice)).not.toContain('PHX_SERVER');
  });

  it.each([
    ['another module', 'x = MySystem.get_env("PHX_SERVER")'],
    ['another variable', 'x = System.get_env("PHX_SERVER_PORT")'],
    ['a computed name', 'x = System.get_env("PHX_" <> "SERVER")'],
    ['a charlist', "x = System.get_env('PHX_SERVER')"],
  ])('does not count %s', async (_, code) => {
    const advice = await checkRuntimeConfig(phoenixFacts(`import Config\n\n${code}\n`));
    expect(settings(advice)).toContain('PHX_SERVER');
  });
});

describe('checkRuntimeConfig names', () => {
  it('uses the web app and every repo of an umbrella', async () => {
    const facts = phoenixFacts(readFixture('umbrella-1.7.exs'), {
      app: 'acme_umbrella',
      namespace: 'AcmeUmbrella',
      webModule: 'AcmeWeb',
      umbrella: {
        appsPath: 'apps',
        apps: [
          { app: 'acme', dir: 'apps/acme', namespace: 'Acme', deps: ['ecto_sql', 'postgrex'], webModule: null, ecto: true },
          { app: 'acme_web', dir: 'apps/acme_web', namespace: 'AcmeWeb', deps: ['phoenix'], webModule: 'AcmeWeb', ecto: false },
        ],
      },
    });
    const advice = await checkRuntimeConfig(facts);
    const byName = Object.fromEntries(advice.map((a) => [a.setting, a]));
    expect(byName.PHX_SERVER?.snippet).toContain('config :acme_web, AcmeWeb.Endpoint, server: true');
    expect(byName.ECTO_IPV6?.message).toContain('Acme.Repo and Acme.ReadOnlyRepo');
    expect(byName.ECTO_IPV6?.snippet).toContain('  config :acme, Acme.Repo, socket_options: maybe_ipv6\n');
    expect(byName.ECTO_IPV6?.snippet).toContain('  config :acme, Acme.ReadOnlyRepo, socket_options: maybe_ipv6\n');
  });

  it('falls back to <Namespace>.Repo when the file names no repo', async () => {
    const facts = phoenixFacts('import Config\n', { namespace: 'Shop', app: 'shop', webModule: 'ShopWeb' });
    const [, , fallback] = await checkRuntimeConfig(facts);
    expect(fallback?.snippet).toContain('config :shop, Shop.Repo, socket_options: maybe_ipv6');
  });

  it('lets `ecto_repos:` name the repos', async () => {
    const facts = phoenixFacts('import Config\n\nconfig :shop, ecto_repos: [Shop.Sales, Shop.Audit]\n', { app: 'shop' });
    const ipv6 = (await checkRuntimeConfig(facts)).find((a) => a.setting === 'ECTO_IPV6');
    expect(ipv6?.message).toContain('Shop.Sales and Shop.Audit');
  });
});

describe('checkRuntimeConfig edge cases', () => {
  it('says once that config/runtime.exs is missing, with a file to create', async () => {
    const advice = await checkRuntimeConfig(phoenixFacts(null));
    expect(advice).toEqual([
      {
        setting: 'PHX_SERVER',
        message: 'config/runtime.exs does not exist, so bin/server will not start MyAppWeb.Endpoint: create it with this content:',
        snippet: 'import Config\n\nif System.get_env("PHX_SERVER") do\n  config :my_app, MyAppWeb.Endpoint, server: true\nend',
      },
    ]);
  });

  it('points at config/releases.exs when the project configures its release there', async () => {
    const [advice] = await checkRuntimeConfig({ ...phoenixFacts(null), releasesExs: true });
    expect(advice?.message).toContain('add this to config/releases.exs');
  });

  it('says nothing for a project without Phoenix', async () => {
    expect(await checkRuntimeConfig(phoenixFacts('import Config\n', { phoenix: false, webModule: null }))).toEqual([]);
    expect(await checkRuntimeConfig(phoenixFacts(null, { phoenix: false, webModule: null }))).toEqual([]);
  });

  it('names the line of a syntax error, because that file is left unpatched', async () => {
    const [server] = await checkRuntimeConfig(phoenixFacts(readFixture('syntax-error.exs')));
    expect(server?.setting).toBe('PHX_SERVER');
    expect(server?.message).toMatch(/^config\/runtime\.exs does not parse at line 7, so create-release left it unchanged/);
  });

  it('tells a file with no `import Config` to add one', async () => {
    const [server] = await checkRuntimeConfig(phoenixFacts(readFixture('no-import.exs')));
    expect(server?.message).toContain('at the top, after an `import Config` line');
  });

  it('keeps every message on one line', async () => {
    const advice = [
      ...(await checkRuntimeConfig(phoenixFacts(readFixture('block-commented-out.exs')))),
      ...(await checkRuntimeConfig(phoenixFacts(readFixture('syntax-error.exs')))),
      ...(await checkRuntimeConfig(phoenixFacts(null))),
    ];
    expect(advice.length).toBeGreaterThan(4);
    for (const a of advice) expect(a.message).not.toMatch(/\n/);
  });
});

describe.runIf(runElixirTests)('every snippet is Elixir that mix format leaves alone', () => {
  // Three widths: one line, keywords on their own line, one argument per line.
  const named = (app: string, namespace: string) => ({ app, namespace, webModule: `${namespace}Web` });
  const medium = named('my_app_with_a_fairly_long_name_and_more', 'MyAppWithAFairlyLongNameAndMore');
  const long = named('extremely_long_application_name_for_testing', 'ExtremelyLongApplicationNameForTesting');

  it('parses and is formatted, also with names long enough to wrap', async () => {
    const snippets: Record<string, string> = {};
    for (const [label, facts] of [
      ['short', phoenixFacts('import Config\n')],
      ['medium', phoenixFacts('import Config\n', medium)],
      ['long', phoenixFacts('import Config\n', long)],
      ['missing', phoenixFacts(null)],
    ] as const) {
      for (const a of await checkRuntimeConfig(facts)) snippets[`${label}-${a.setting}`] = `${a.snippet}\n`;
    }
    expect(snippets['medium-PHX_SERVER']).toContain('MyAppWithAFairlyLongNameAndMoreWeb.Endpoint,\n    server: true');
    expect(snippets['long-PHX_SERVER']).toContain(
      'config :extremely_long_application_name_for_testing,\n         ExtremelyLongApplicationNameForTestingWeb.Endpoint,\n',
    );
    const verdicts = parseWithElixir(snippets);
    expect(Object.keys(verdicts).sort()).toEqual(Object.keys(snippets).sort());
    for (const [name, verdict] of Object.entries(verdicts)) {
      expect({ name, ...verdict }).toMatchObject({ name, parses: true, formatted: true });
    }
  });
});
