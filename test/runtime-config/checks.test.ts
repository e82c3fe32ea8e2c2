import { describe, expect, it } from 'vitest';
import { checkRuntimeConfig } from '../../src/runtime-config/index.js';
import type { RuntimeAdvice } from '../../src/types.js';
import { parseWithElixir, runtimeInput, readFixture, runElixirTests } from './helpers.js';

const settings = (advice: RuntimeAdvice[]) => advice.map((a) => a.setting);

const helloElixir = { app: 'hello_elixir', namespace: 'HelloElixir' };

describe('checkRuntimeConfig on what phx.new generates', () => {
  it('finds nothing missing in a Phoenix 1.7 runtime.exs with Postgres', async () => {
    expect(await checkRuntimeConfig(runtimeInput(readFixture('phoenix-1.7-postgres.exs')))).toEqual([]);
  });

  it('accepts the Phoenix 1.6.3+ shapes (`PHX_SERVER && RELEASE_NAME`, `if System.get_env("ECTO_IPV6")`)', async () => {
    const facts = runtimeInput(readFixture('phoenix-1.6.6-postgres.exs'), { app: 'shop', namespace: 'Shop' });
    expect(await checkRuntimeConfig(facts)).toEqual([]);
  });

  it('asks for all three in a Phoenix 1.6.0 runtime.exs, where they appear only in comments', async () => {
    const advice = await checkRuntimeConfig(runtimeInput(readFixture('phoenix-1.6.0-postgres.exs'), helloElixir));
    expect(settings(advice)).toEqual(['PHX_SERVER', 'PHX_HOST', 'ECTO_IPV6']);
    const [server, host, ipv6] = advice;
    expect(server?.message).toBe(
      'config/runtime.exs never sets server: for HelloElixirWeb.Endpoint, so bin/server will not start it: add this after `import Config`:',
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
    const sqlite = runtimeInput(readFixture('phoenix-1.7-sqlite.exs'), { app: 'notes', namespace: 'Notes' });
    expect(await checkRuntimeConfig({ ...sqlite, socketAdapter: false })).toEqual([]);
    expect(await checkRuntimeConfig({ ...sqlite, repos: [] })).toEqual([]);
    expect(settings(await checkRuntimeConfig({ ...sqlite, socketAdapter: true }))).toEqual(['ECTO_IPV6']);
  });
});

describe('checkRuntimeConfig counts only code', () => {
  it('ignores the settings when they are commented out', async () => {
    const advice = await checkRuntimeConfig(runtimeInput(readFixture('block-commented-out.exs')));
    expect(settings(advice)).toEqual(['PHX_SERVER', 'PHX_HOST', 'ECTO_IPV6']);
  });

  it('ignores the settings when they appear only inside strings, heredocs and sigils', async () => {
    const advice = await checkRuntimeConfig(runtimeInput(readFixture('only-in-strings.exs')));
    expect(settings(advice)).toEqual(['PHX_SERVER', 'PHX_HOST', 'ECTO_IPV6']);
  });

  it.each([
    ['a call without parentheses', 'config :my_app, MyAppWeb.Endpoint, server: System.get_env "PHX_SERVER"'],
    ['a default value', 'config :my_app, MyAppWeb.Endpoint, server: System.get_env("PHX_SERVER", "false") == "true"'],
    ['a pipe', 'config :my_app, MyAppWeb.Endpoint, server: "PHX_SERVER" |> System.get_env()'],
    ['System.fetch_env!', 'config :my_app, MyAppWeb.Endpoint, server: System.fetch_env!("PHX_SERVER") == "true"'],
    ['a condition nested in the prod block', 'if config_env() == :prod do\n  if System.get_env("PHX_SERVER") == "1", do: config(:my_app, MyAppWeb.Endpoint, server: true)\nend'],
  ])('counts a server: switched by PHX_SERVER through %s', async (_, code) => {
    const advice = await checkRuntimeConfig(runtimeInput(`import Config\n\n${code}\n`));
    expect(settings(advice)).not.toContain('PHX_SERVER');
  });

  it.each([
    ['another module', 'x = MySystem.get_env("PHX_SERVER")'],
    ['another variable', 'x = System.get_env("PHX_SERVER_PORT")'],
    ['a computed name', 'x = System.get_env("PHX_" <> "SERVER")'],
    ['a charlist', "x = System.get_env('PHX_SERVER')"],
    ['a read that configures nothing', 'label = "server: #{System.get_env("PHX_SERVER")}"'],
    ['the setting of another endpoint', 'if System.get_env("PHX_SERVER"), do: config(:my_app, MyAppWeb.Admin, server: true)'],
  ])('does not count %s', async (_, code) => {
    const advice = await checkRuntimeConfig(runtimeInput(`import Config\n\n${code}\n`));
    expect(settings(advice)).toContain('PHX_SERVER');
  });
});

describe('checkRuntimeConfig names', () => {
  it('uses the web app and every repo of an umbrella, each with its own app', async () => {
    const input = runtimeInput(readFixture('umbrella-1.7.exs'), {
      endpoints: [{ module: 'AcmeWeb.Endpoint', otpApp: 'acme_web' }],
      repos: [
        { app: 'acme', module: 'Acme.Repo' },
        { app: 'acme', module: 'Acme.ReadOnlyRepo' },
      ],
    });
    const advice = await checkRuntimeConfig(input);
    const byName = Object.fromEntries(advice.map((a) => [a.setting, a]));
    expect(byName.PHX_SERVER?.snippet).toContain('config :acme_web, AcmeWeb.Endpoint, server: true');
    expect(byName.ECTO_IPV6?.message).toContain('Acme.Repo and Acme.ReadOnlyRepo');
    expect(byName.ECTO_IPV6?.snippet).toContain('  config :acme, Acme.Repo, socket_options: maybe_ipv6\n');
    expect(byName.ECTO_IPV6?.snippet).toContain('  config :acme, Acme.ReadOnlyRepo, socket_options: maybe_ipv6\n');
  });

  it('names exactly the repos it is given (ecto_repos), whatever their names', async () => {
    const input = runtimeInput('import Config\n', { repos: [{ app: 'hub', module: 'Hub.RepoBase' }, { app: 'hub', module: 'Hub.ReadRepo' }] });
    const ipv6 = (await checkRuntimeConfig(input)).find((a) => a.setting === 'ECTO_IPV6');
    expect(ipv6?.message).toContain('Hub.RepoBase and Hub.ReadRepo');
    expect(ipv6?.snippet).toContain('config :hub, Hub.RepoBase, socket_options: maybe_ipv6');
    expect(ipv6?.snippet).not.toContain('Hub.Repo,');
  });

  it('names every endpoint that needs the server block', async () => {
    const input = runtimeInput('import Config\n', {
      endpoints: [
        { module: 'MyAppWeb.Endpoint', otpApp: 'my_app' },
        { module: 'MyAppWeb.AdminEndpoint', otpApp: 'my_app' },
      ],
    });
    const [server] = await checkRuntimeConfig(input);
    expect(server?.message).toContain('MyAppWeb.Endpoint and MyAppWeb.AdminEndpoint');
    expect(server?.snippet).toBe(
      'if System.get_env("PHX_SERVER") do\n  config :my_app, MyAppWeb.Endpoint, server: true\n  config :my_app, MyAppWeb.AdminEndpoint, server: true\nend',
    );
  });
});

describe('checkRuntimeConfig edge cases', () => {
  it('says once that config/runtime.exs is missing, with a file to create', async () => {
    const advice = await checkRuntimeConfig(runtimeInput(null));
    expect(advice).toEqual([
      {
        setting: 'PHX_SERVER',
        message: 'config/runtime.exs does not exist, so bin/server will not start MyAppWeb.Endpoint: create it with this content:',
        snippet: 'import Config\n\nif System.get_env("PHX_SERVER") do\n  config :my_app, MyAppWeb.Endpoint, server: true\nend',
      },
    ]);
  });

  it('points at config/releases.exs when the project configures its release there', async () => {
    const [advice] = await checkRuntimeConfig(runtimeInput(null, { releasesExs: true }));
    expect(advice?.message).toContain('add this to config/releases.exs');
  });

  it('says nothing for a project without Phoenix', async () => {
    expect(await checkRuntimeConfig(runtimeInput('import Config\n', { phoenix: false }))).toEqual([]);
    expect(await checkRuntimeConfig(runtimeInput(null, { phoenix: false }))).toEqual([]);
  });

  it('names the line of a syntax error, because that file is left unpatched', async () => {
    const [server] = await checkRuntimeConfig(runtimeInput(readFixture('syntax-error.exs')));
    expect(server?.setting).toBe('PHX_SERVER');
    expect(server?.message).toMatch(/^config\/runtime\.exs does not parse \(line 7, column 1: missing "]"\), so create-release left it unchanged/);
  });

  it('tells a file with no `import Config` to add one', async () => {
    const [server] = await checkRuntimeConfig(runtimeInput(readFixture('no-import.exs')));
    expect(server?.message).toContain('at the top, after an `import Config` line');
  });

  it('keeps every message on one line', async () => {
    const advice = [
      ...(await checkRuntimeConfig(runtimeInput(readFixture('block-commented-out.exs')))),
      ...(await checkRuntimeConfig(runtimeInput(readFixture('syntax-error.exs')))),
      ...(await checkRuntimeConfig(runtimeInput(null))),
    ];
    expect(advice.length).toBeGreaterThan(4);
    for (const a of advice) expect(a.message).not.toMatch(/\n/);
  });
});

describe.runIf(runElixirTests)('every snippet is Elixir that mix format leaves alone', () => {
  // Three widths: one line, keywords on their own line, one argument per line.
  const named = (app: string, namespace: string) => ({ app, namespace });
  const medium = named('my_app_with_a_fairly_long_name_and_more', 'MyAppWithAFairlyLongNameAndMore');
  const long = named('extremely_long_application_name_for_testing', 'ExtremelyLongApplicationNameForTesting');

  it('parses and is formatted, also with names long enough to wrap', async () => {
    const snippets: Record<string, string> = {};
    for (const [label, facts] of [
      ['short', runtimeInput('import Config\n')],
      ['medium', runtimeInput('import Config\n', medium)],
      ['long', runtimeInput('import Config\n', long)],
      ['missing', runtimeInput(null)],
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
