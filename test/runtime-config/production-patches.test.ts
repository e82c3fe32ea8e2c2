// The patches of the user's files for production: the health plug in the endpoint, the health
// paths in force_ssl's exclude, and the drain in runtime.exs. Each is one insertion that keeps
// every other byte, is a no-op on a patched file, and reads back as intended in Elixir itself.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElixir } from '../../src/inspect/elixir-parser.js';
import { planDrain, readDrains } from '../../src/runtime-config/patch.js';
import { wireHealthPlug } from '../../src/runtime-config/endpoint-patch.js';
import { excludeHealthPaths } from '../../src/runtime-config/prod-config-patch.js';
import type { PatchOutcome } from '../../src/runtime-config/patch-result.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { insertedText, parseWithElixir, readFixture, runElixirTests } from './helpers.js';

const production = (name: string) => readFileSync(path.resolve(import.meta.dirname, '../fixtures/production', name), 'utf8');
const ENDPOINT = { module: 'MyAppWeb.Endpoint', otpApp: 'my_app' };
const PATHS = ['/health', '/health/ready'];
const toCrlf = (text: string) => text.replaceAll('\n', '\r\n');

/** One key of an app's module config as Config.Reader reads `source` for prod, inspected on one line. */
function configAt(source: string, env: Record<string, string>, app: string, module: string, key: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'production-patch-')), 'config.exs');
  writeFileSync(file, source);
  const script = `IO.puts(inspect(get_in(Config.Reader.read!(hd(System.argv()), env: :prod, target: :host), [:${app}, ${module}, :${key}]), width: :infinity))`;
  const run = spawnSync('elixir', ['-e', script, file], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (run.status !== 0) throw new Error(`elixir failed: ${run.stderr}`);
  return run.stdout.trim();
}

function contentOf(outcome: PatchOutcome): string {
  if (outcome.kind !== 'patch') throw new Error(`expected a patch, got ${JSON.stringify(outcome)}`);
  return outcome.content;
}

describe('wireHealthPlug: the health plug first in the endpoint', () => {
  const phx17 = production('phx-1.7-endpoint.ex');

  it('goes above the comments that describe the first plug (Plug.Static), ahead of telemetry and logging', async () => {
    const patched = contentOf(await wireHealthPlug(phx17, 'MyAppWeb.Endpoint', 'MyAppWeb.Health'));
    const lines = '  # Health checks first: probes are answered before they are logged or routed.\n  plug MyAppWeb.Health\n\n';
    expect(patched).toBe(phx17.replace('  # Serve at "/"', `${lines}  # Serve at "/"`));
    const at = patched.indexOf('plug MyAppWeb.Health');
    expect(at).toBeLessThan(patched.indexOf('# Serve at "/" the static files'));
    expect(at).toBeLessThan(patched.indexOf('plug Plug.Telemetry'));
    expect(at).toBeGreaterThan(patched.indexOf('socket "/live"'));
    expect(await wireHealthPlug(patched, 'MyAppWeb.Endpoint', 'MyAppWeb.Health')).toEqual({ kind: 'present' });
  });

  it('keeps CRLF line endings', async () => {
    const patched = contentOf(await wireHealthPlug(toCrlf(phx17), 'MyAppWeb.Endpoint', 'MyAppWeb.Health'));
    expect(patched.replaceAll('\r\n', '')).not.toContain('\n');
    expect(patched).toContain('\r\n  plug MyAppWeb.Health\r\n\r\n');
  });

  it('goes before a plug inside `if code_reloading?` when that comes first', async () => {
    const source = 'defmodule Web.Endpoint do\n  use Phoenix.Endpoint, otp_app: :web\n\n  if code_reloading? do\n    plug Phoenix.CodeReloader\n  end\n\n  plug Web.Router\nend\n';
    const patched = contentOf(await wireHealthPlug(source, 'Web.Endpoint', 'Web.Health'));
    expect(patched.indexOf('plug Web.Health')).toBeLessThan(patched.indexOf('if code_reloading?'));
  });

  it('patches each endpoint of a file that holds two, and names the module from the endpoint', async () => {
    const source = [
      'defmodule BoltNG.Endpoint do\n  use Phoenix.Endpoint, otp_app: :bolt\n  plug BoltNG.Router\nend\n',
      'defmodule BoltNG.AdminEndpoint do\n  use Phoenix.Endpoint, otp_app: :bolt\n  plug BoltNG.AdminRouter\nend\n',
    ].join('\n');
    const once = contentOf(await wireHealthPlug(source, 'BoltNG.Endpoint', 'BoltNG.Health'));
    const twice = contentOf(await wireHealthPlug(once, 'BoltNG.AdminEndpoint', 'BoltNG.Health'));
    expect(twice.match(/plug BoltNG\.Health\n/g)).toHaveLength(2);
    expect(twice.indexOf('plug BoltNG.Health', twice.indexOf('AdminEndpoint'))).toBeLessThan(twice.indexOf('plug BoltNG.AdminRouter'));
  });

  it('gives a snippet and the reason when it cannot patch safely', async () => {
    expect(await wireHealthPlug('defmodule A.Endpoint do\n  use Phoenix.Endpoint, otp_app: :a\nend\n', 'A.Endpoint', 'A.Health')).toMatchObject({
      kind: 'snippet',
      reason: 'A.Endpoint has no plug to put it before',
      snippet: 'plug A.Health',
    });
    expect(await wireHealthPlug('defmodule A.Endpoint do\n  plug [\nend\n', 'A.Endpoint', 'A.Health')).toMatchObject({ kind: 'snippet', reason: expect.stringMatching(/does not parse/) });
    expect(await wireHealthPlug(phx17, 'Other.Endpoint', 'Other.Health')).toMatchObject({ kind: 'snippet', reason: expect.stringMatching(/no defmodule Other.Endpoint/) });
  });

  it.runIf(runElixirTests)('the patched endpoint parses in Elixir', async () => {
    const patched = contentOf(await wireHealthPlug(phx17, 'MyAppWeb.Endpoint', 'MyAppWeb.Health'));
    expect(parseWithElixir({ endpoint: patched }).endpoint?.parses).toBe(true);
  });
});

describe('excludeHealthPaths: force_ssl lets plain-HTTP probes through (Plug 1.19+)', () => {
  const control = readFileSync(path.resolve(import.meta.dirname, '../fixtures/real-world/phx-new-control/config/prod.exs'), 'utf8');
  const harvest = { module: 'HarvestWeb.Endpoint', otpApp: 'harvest' };

  it('adds exclude: with the paths and Plug.SSL\'s default hosts restated, one entry a line once it does not fit', async () => {
    const patched = contentOf(await excludeHealthPaths(control, harvest, PATHS));
    expect(patched).toBe(
      control.replace(
        'force_ssl: [rewrite_on: [:x_forwarded_proto]]',
        'force_ssl: [\n    rewrite_on: [:x_forwarded_proto],\n    exclude: [paths: ["/health", "/health/ready"], hosts: ["localhost", "127.0.0.1"]]\n  ]',
      ),
    );
    expect(await excludeHealthPaths(patched, harvest, PATHS)).toEqual({ kind: 'present' });
    const short = 'import Config\nconfig :my_app, MyAppWeb.Endpoint, force_ssl: [hsts: true]\n';
    expect(insertedText(short, contentOf(await excludeHealthPaths(short, ENDPOINT, ['/up'])))).toBe(', exclude: [paths: ["/up"], hosts: ["localhost", "127.0.0.1"]]');
  });

  it.runIf(runElixirTests)('what it writes is laid out as mix format lays it out', async () => {
    const control17 = contentOf(await excludeHealthPaths(control, harvest, PATHS));
    const phx183 = contentOf(await excludeHealthPaths(production('phx-1.8.3-prod.exs'), ENDPOINT, PATHS));
    const verdicts = parseWithElixir({ control, control17, phx183 });
    expect(verdicts.control?.formatted).toBe(true);
    expect(verdicts.control17).toMatchObject({ parses: true, formatted: true });
    expect(verdicts.phx183).toMatchObject({ parses: true, formatted: true });
  });

  it('adds paths: to phx.new 1.8.3\'s exclude (hosts kept, its commented example left)', async () => {
    const source = production('phx-1.8.3-prod.exs');
    const patched = contentOf(await excludeHealthPaths(source, ENDPOINT, PATHS));
    expect(insertedText(source, patched)).toBe(',\n      paths: ["/health", "/health/ready"]');
    expect(await excludeHealthPaths(patched, ENDPOINT, PATHS)).toEqual({ kind: 'present' });
  });

  it('adds only the missing paths', async () => {
    const source = 'import Config\nconfig :my_app, MyAppWeb.Endpoint, force_ssl: [exclude: [paths: ["/health"], hosts: ["localhost"]]]\n';
    expect(insertedText(source, contentOf(await excludeHealthPaths(source, ENDPOINT, PATHS)))).toBe(', "/health/ready"');
  });

  it('gives a snippet when exclude: is a function or force_ssl is not a list, and nothing without force_ssl', async () => {
    const mfa = 'import Config\nconfig :my_app, MyAppWeb.Endpoint, force_ssl: [exclude: {MyApp, :excluded?, []}]\n';
    expect(await excludeHealthPaths(mfa, ENDPOINT, PATHS)).toMatchObject({ kind: 'snippet', reason: expect.stringMatching(/exclude: is not a list/) });
    const computed = 'import Config\nconfig :my_app, MyAppWeb.Endpoint, force_ssl: ssl_opts()\n';
    expect(await excludeHealthPaths(computed, ENDPOINT, PATHS)).toMatchObject({ kind: 'snippet' });
    expect(await excludeHealthPaths('import Config\n', ENDPOINT, PATHS)).toMatchObject({ kind: 'present' });
  });

  it.runIf(runElixirTests)('Config.Reader reads the exclusion as Plug.SSL takes it', async () => {
    const patched = contentOf(await excludeHealthPaths(production('phx-1.8.3-prod.exs'), ENDPOINT, PATHS));
    expect(configAt(patched, {}, 'my_app', 'MyAppWeb.Endpoint', 'force_ssl')).toBe(
      '[rewrite_on: [:x_forwarded_proto], exclude: [hosts: ["localhost", "127.0.0.1"], paths: ["/health", "/health/ready"]]]',
    );
  });
});

describe('planDrain: one drain budget on the adapter, in the prod block of runtime.exs', () => {
  const phx17 = readFixture('phoenix-1.7-postgres.exs');

  it('Bandit: ThousandIsland\'s shutdown_timeout, just before the end of the prod block', async () => {
    const patched = contentOf(await planDrain(phx17, [ENDPOINT], 'bandit', 25_000));
    const inserted = insertedText(phx17, patched)!;
    expect(inserted).toContain('\n  config :my_app, MyAppWeb.Endpoint, http: [thousand_island_options: [shutdown_timeout: 25_000]]\n');
    expect(patched.trimEnd().endsWith('end')).toBe(true);
    expect(await planDrain(patched, [ENDPOINT], 'bandit', 25_000)).toEqual({ kind: 'present' });
    const tree = await parseElixir(patched);
    expect(readDrains(tree.rootNode, [ENDPOINT], 'bandit')).toEqual([{ endpoint: 'MyAppWeb.Endpoint', ms: 25_000, line: expect.any(Number) }]);
    tree.delete();
  });

  it('Cowboy: the endpoint\'s drainer shutdown', async () => {
    const patched = contentOf(await planDrain(phx17, [ENDPOINT], 'cowboy', 40_000));
    expect(insertedText(phx17, patched)).toContain('  config :my_app, MyAppWeb.Endpoint, drainer: [shutdown: 40_000]\n');
  });

  it('a file without a prod block gets one; a file that does not parse gets a snippet', async () => {
    const source = 'import Config\n\nconfig :my_app, MyAppWeb.Endpoint, server: true\n';
    const patched = contentOf(await planDrain(source, [ENDPOINT], 'cowboy', 25_000));
    expect(insertedText(source, patched)).toBe(
      "\nif config_env() == :prod do\n  # On shutdown, in-flight requests get 25 s to finish; keep the platform's grace period above it.\n  config :my_app, MyAppWeb.Endpoint, drainer: [shutdown: 25_000]\nend\n",
    );
    expect(await planDrain(readFixture('syntax-error.exs'), [ENDPOINT], 'bandit', 25_000)).toMatchObject({ kind: 'snippet' });
  });

  it('--drain over a drain the file sets: the number changed in place (and the seconds of our comment), nothing added', async () => {
    const ours = contentOf(await planDrain(phx17, [ENDPOINT], 'bandit', 25_000));
    const retuned = contentOf(await planDrain(ours, [ENDPOINT], 'bandit', 40_000, true));
    expect(retuned).toBe(
      ours
        .replace('get 25 s to finish', 'get 40 s to finish')
        .replace('shutdown_timeout: 25_000', 'shutdown_timeout: 40_000'),
    );
    // Someone's own setting: the number only; a value that is not a number is left for the advice.
    const own = 'import Config\n\n# drain\nconfig :my_app, MyAppWeb.Endpoint, drainer: [shutdown: 5000]\n';
    expect(contentOf(await planDrain(own, [ENDPOINT], 'cowboy', 40_000, true))).toBe(own.replace('5000', '40_000'));
    const computed = 'import Config\n\nconfig :my_app, MyAppWeb.Endpoint, drainer: [shutdown: String.to_integer(System.get_env("DRAIN", "5000"))]\n';
    expect(await planDrain(computed, [ENDPOINT], 'cowboy', 40_000, true)).toEqual({ kind: 'present' });
    // Without --drain, the file's own value stands.
    expect(await planDrain(own, [ENDPOINT], 'cowboy', 40_000)).toEqual({ kind: 'present' });
  });

  it.runIf(runElixirTests)('Config.Reader merges it with the http: the file already sets (Bandit) and reads the drainer (Cowboy)', async () => {
    const env = { DATABASE_URL: 'ecto://u:p@localhost/db', SECRET_KEY_BASE: 'x'.repeat(64), PORT: '4123', PHX_HOST: 'example.com' };
    const bandit = contentOf(await planDrain(phx17, [ENDPOINT], 'bandit', 25_000));
    expect(configAt(bandit, env, 'my_app', 'MyAppWeb.Endpoint', 'http')).toBe('[ip: {0, 0, 0, 0, 0, 0, 0, 0}, port: 4123, thousand_island_options: [shutdown_timeout: 25000]]');
    const cowboy = contentOf(await planDrain(phx17, [ENDPOINT], 'cowboy', 25_000));
    expect(configAt(cowboy, env, 'my_app', 'MyAppWeb.Endpoint', 'drainer')).toBe('[shutdown: 25000]');
    expect(configAt(cowboy, env, 'my_app', 'MyAppWeb.Endpoint', 'http')).toBe('[ip: {0, 0, 0, 0, 0, 0, 0, 0}, port: 4123]');
  });
});
