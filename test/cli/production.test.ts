// The production choices through the packed CLI, on real-world project shapes: which files the
// run writes and patches, what it prints instead when it cannot patch, the flags and their
// defaults, and the values (port, paths, drain, grace) it reports.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { copyProject, snapshotTree } from '../helpers/tree.js';

const realWorld = (name: string) => copyProject(`test/fixtures/real-world/${name}`);
const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');
const has = (dir: string, file: string) => existsSync(path.join(dir, file));
const statuses = (stdout: string) => Object.fromEntries([...stdout.matchAll(/^\* (\w+) (\S+)/gm)].map((m) => [m[2]!, m[1]!]));
const lock = (dir: string, plug: '1.15' | '1.19') =>
  copyFileSync(path.resolve(import.meta.dirname, `../fixtures/production/mix-lock-plug-${plug}.lock`), path.join(dir, 'mix.lock'));
const summaryOf = (stdout: string) => stdout.slice(stdout.indexOf('Your application is ready'));

async function succeed(dir: string, args: string[]): Promise<CliResult> {
  const result = await runCli(['--offline', ...args], { cwd: dir });
  expect(result.code, result.stderr + result.stdout).toBe(0);
  return result;
}

describe('health checks', () => {
  it('phx.new shape with Bandit and Ecto: the plug next to the endpoint, wired first, readiness over ecto_repos', async () => {
    const dir = realWorld('phx-new-control');
    const { stdout } = await succeed(dir, ['--yes']);
    expect(statuses(stdout)).toMatchObject({ 'lib/harvest_web/health.ex': 'creating', 'lib/harvest_web/endpoint.ex': 'patching' });
    const health = read(dir, 'lib/harvest_web/health.ex');
    expect(health).toContain('defmodule HarvestWeb.Health do');
    expect(health).toContain('@app :harvest\n');
    expect(health).toContain('Application.get_env(@app, :ecto_repos, [])');
    expect(health).toContain('"SELECT 1"');
    expect(health).not.toMatch(/Ecto\.Migrator\.migrations\(|Jason|Poison/);
    const endpoint = read(dir, 'lib/harvest_web/endpoint.ex');
    expect(endpoint.indexOf('plug HarvestWeb.Health')).toBeLessThan(endpoint.indexOf('plug Plug.Telemetry'));
    expect(summaryOf(stdout)).toContain('curl -fsS http://127.0.0.1:4000/health/ready');
    // Run again: nothing to do.
    const before = snapshotTree(dir);
    const again = await succeed(dir, ['--yes']);
    expect(again.stdout).not.toMatch(/^\* (creating|patching|overwriting)/m);
    expect(snapshotTree(dir)).toBe(before);
  });

  it('no Ecto: readiness is liveness, and the module names no repo', async () => {
    const dir = realWorld('phx-new-control');
    await succeed(dir, ['--yes', '--no-ecto']);
    const health = read(dir, 'lib/harvest_web/health.ex');
    expect(health).toContain('the app uses no database, so it is ready when it is live');
    expect(health).not.toMatch(/Ecto|ecto_repos|@app/);
  });

  it('named from the endpoint\'s own namespace: BoltNG.Endpoint in lib/web/ gets BoltNG.Health in lib/web/health.ex', async () => {
    const dir = realWorld('endpoint-other-namespace');
    await succeed(dir, ['--yes']);
    expect(read(dir, 'lib/web/health.ex')).toContain('defmodule BoltNG.Health do');
    expect(read(dir, 'lib/web/health.ex')).toContain('@app :bolt\n');
    expect(read(dir, 'lib/web/endpoint.ex')).toContain('plug BoltNG.Health\n');
  });

  it('several endpoints: every endpoint bin/server serves plugs it, and each gets the drain', async () => {
    const dir = realWorld('two-endpoints');
    const { stdout } = await succeed(dir, ['--yes']);
    expect(statuses(stdout)).toMatchObject({ 'lib/my_app_web/endpoint.ex': 'patching', 'lib/my_app_web/admin_endpoint.ex': 'patching' });
    for (const file of ['endpoint.ex', 'admin_endpoint.ex']) expect(read(dir, `lib/my_app_web/${file}`)).toContain('  plug MyAppWeb.Health\n');
    expect(read(dir, 'lib/my_app_web/health.ex')).toContain('this plug comes first in MyAppWeb.Endpoint and MyAppWeb.AdminEndpoint');
    const runtime = read(dir, 'config/runtime.exs');
    for (const e of ['MyAppWeb.Endpoint', 'MyAppWeb.AdminEndpoint']) {
      expect(runtime).toMatch(new RegExp(`config :my_app, ${e.replace('.', '\\.')},?\\s+http: \\[thousand_island_options: \\[shutdown_timeout: 25_000\\]\\]`));
    }
  });

  it('umbrella: the plug in the web app, readiness over the repos of the app that owns them', async () => {
    const dir = realWorld('umbrella-module-prefix');
    await succeed(dir, ['--yes']);
    const health = read(dir, 'apps/storefront_web/lib/storefront_web/health.ex');
    expect(health).toContain('defmodule StoreFrontWeb.Health do');
    expect(health).toContain('@app :storefront\n');
    expect(read(dir, 'apps/storefront_web/lib/storefront_web/endpoint.ex')).toContain('plug StoreFrontWeb.Health');
  });

  it('two repos: readiness names each repo\'s checks, read from :ecto_repos at run time', async () => {
    const dir = realWorld('two-repos');
    await succeed(dir, ['--yes']);
    const health = read(dir, 'lib/atlas_web/health.ex');
    expect(health).toContain('for repo <- Application.get_env(@app, :ecto_repos, [])');
    expect(health).toContain('{"#{kind}:#{inspect(repo)}", fn -> check.(repo) end}');
  });

  it('--no-health writes no plug and leaves the endpoint alone; --health without an endpoint is refused', async () => {
    const dir = realWorld('phx-new-control');
    const endpoint = read(dir, 'lib/harvest_web/endpoint.ex');
    const { stdout } = await succeed(dir, ['--yes', '--no-health']);
    expect(has(dir, 'lib/harvest_web/health.ex')).toBe(false);
    expect(read(dir, 'lib/harvest_web/endpoint.ex')).toBe(endpoint);
    expect(stdout).not.toContain('/health');
    const plain = realWorld('pubsub-only-no-endpoint');
    const refused = await runCli(['--yes', '--offline', '--health'], { cwd: plain });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--health: the release serves no Phoenix endpoint/);
  });

  it('without --yes or --patch-runtime, a non-interactive run writes the plug but lists the edits it did not make', async () => {
    const dir = realWorld('phx-new-control');
    const endpoint = read(dir, 'lib/harvest_web/endpoint.ex');
    const { stdout } = await succeed(dir, []);
    expect(read(dir, 'lib/harvest_web/endpoint.ex')).toBe(endpoint);
    expect(stdout).toContain('Run again with --patch-runtime (or --yes) to have create-release make these edits, or make them by hand:');
    expect(stdout).toContain('  - lib/harvest_web/endpoint.ex: plug the health checks first in the endpoint\n\n      plug HarvestWeb.Health  # before the first plug of HarvestWeb.Endpoint\n');
  });

  it('--no-patch-runtime: the plug is written, and each edit left undone is printed with its snippet', async () => {
    const dir = realWorld('phx-new-control');
    lock(dir, '1.19');
    const before = ['lib/harvest_web/endpoint.ex', 'config/prod.exs', 'config/runtime.exs'].map((f) => read(dir, f));
    const { stdout } = await succeed(dir, ['--yes', '--no-patch-runtime']);
    expect(['lib/harvest_web/endpoint.ex', 'config/prod.exs', 'config/runtime.exs'].map((f) => read(dir, f))).toEqual(before);
    expect(has(dir, 'lib/harvest_web/health.ex')).toBe(true);
    expect(stdout).toContain('These edits were not made (--no-patch-runtime); to make them by hand:');
    expect(stdout).toContain('      plug HarvestWeb.Health  # before the first plug of HarvestWeb.Endpoint\n');
    expect(stdout).toContain('      force_ssl: [..., exclude: [paths: ["/health", "/health/ready"], hosts: ["localhost", "127.0.0.1"]]]\n');
    expect(stdout).toContain('      config :harvest, HarvestWeb.Endpoint, http: [thousand_island_options: [shutdown_timeout: 25_000]]\n');
    expect(stdout).not.toContain('Run again with --patch-runtime');
  });
});

describe('force_ssl and the health paths', () => {
  it('Plug 1.19 in mix.lock: the paths join force_ssl\'s exclude, default hosts restated', async () => {
    const dir = realWorld('phx-new-control');
    lock(dir, '1.19');
    const { stdout } = await succeed(dir, ['--yes']);
    expect(statuses(stdout)['config/prod.exs']).toBe('patching');
    expect(stdout).toContain('force_ssl   HarvestWeb.Endpoint  in config/prod.exs:3; plug 1.19.1');
    expect(read(dir, 'config/prod.exs')).toContain(
      '  force_ssl: [\n    rewrite_on: [:x_forwarded_proto],\n    exclude: [paths: ["/health", "/health/ready"], hosts: ["localhost", "127.0.0.1"]]\n  ]\n',
    );
  });

  it('Plug 1.15 in mix.lock: prod.exs untouched, the snippet and why', async () => {
    const dir = realWorld('phx-new-control');
    lock(dir, '1.15');
    const prod = read(dir, 'config/prod.exs');
    const { stdout } = await succeed(dir, ['--yes']);
    expect(read(dir, 'config/prod.exs')).toBe(prod);
    expect(stdout).toContain('Plug 1.19 can exclude paths, and mix.lock locks plug 1.15.3');
    expect(stdout).toContain('    exclude: [paths: ["/health", "/health/ready"], hosts: ["localhost", "127.0.0.1"]]');
  });

  it('--dry-run shows the patches as diffs and writes nothing', async () => {
    const dir = realWorld('phx-new-control');
    lock(dir, '1.19');
    const before = snapshotTree(dir);
    const { stdout } = await succeed(dir, ['--yes', '--dry-run']);
    expect(stdout).toContain('--- a/config/prod.exs\n+++ b/config/prod.exs\n');
    expect(stdout).toContain('+  plug HarvestWeb.Health\n');
    expect(snapshotTree(dir)).toBe(before);
  });
});

describe('graceful shutdown', () => {
  it('Cowboy (plug_cowboy): the endpoint\'s drainer, and the numbers in the summary', async () => {
    const dir = realWorld('phx-gen-release-1-6');
    const { stdout } = await succeed(dir, ['--yes']);
    expect(stdout).toContain('web server  Cowboy  (the plug_cowboy dependency');
    expect(read(dir, 'config/runtime.exs')).toMatch(/config :pantry, PantryWeb\.Endpoint, drainer: \[shutdown: 25_000\]\n/);
    expect(summaryOf(stdout)).toContain('requests in flight get 25 s to finish (the drain); let the platform wait 30 s');
  });

  it('--drain 40: the drain and a grace above it everywhere, docker run --stop-timeout included', async () => {
    const dir = realWorld('phx-new-control');
    const { stdout } = await succeed(dir, ['--yes', '--docker', '--drain', '40', '--elixir', '1.18.4', '--otp', '27.3.4']);
    expect(read(dir, 'config/runtime.exs')).toContain('shutdown_timeout: 40_000');
    const summary = summaryOf(stdout);
    expect(summary).toContain('get 40 s to finish (the drain); let the platform wait 45 s');
    expect(summary).toMatch(/docker run --rm --stop-timeout 45 -p 4000:4000/);
  });

  it('a drain the project already sets is kept as the budget; bad values are usage errors', async () => {
    const dir = realWorld('phx-new-control');
    await succeed(dir, ['--yes', '--drain', '60']);
    const json = JSON.parse((await succeed(dir, ['--yes', '--json'])).stdout);
    expect(json.production).toMatchObject({ drainSeconds: 60, graceSeconds: 65, port: { default: 4000, env: 'PORT' }, health: { liveness: '/health', readiness: '/health/ready' } });
    for (const bad of [['--drain', '0'], ['--drain', '2.5'], ['--epmd-less=80'], ['--epmd-less=x']]) {
      const result = await runCli(['--yes', ...bad], { cwd: dir });
      expect(result.code, bad.join(' ')).toBe(2);
    }
  });
});

describe('clustering', () => {
  it('on by default with dns_cluster: env.sh.eex and env.bat.eex, the cookie and what dns_cluster still needs', async () => {
    const dir = realWorld('phx-new-control');
    const { stdout } = await succeed(dir, ['--yes']);
    expect(statuses(stdout)).toMatchObject({ 'rel/env.sh.eex': 'creating', 'rel/env.bat.eex': 'creating' });
    expect(read(dir, 'rel/env.bat.eex')).toContain('\r\n');
    const summary = summaryOf(stdout);
    expect(summary).toContain(`_build/prod/rel/harvest/bin/harvest rpc 'IO.puts(node())'`);
    expect(summary).toContain('set it as RELEASE_COOKIE on every instance');
    expect(summary).toContain('openssl rand -hex 32');
    expect(summary).toContain('{DNSCluster, query: Application.get_env(:harvest, :dns_cluster_query) || :ignore}');
    // Without dns_cluster read in runtime.exs, env.sh gives DNS_CLUSTER_QUERY no default.
    expect(read(dir, 'rel/env.sh.eex')).not.toContain('DNS_CLUSTER_QUERY');
  });

  it('dns_cluster configured in runtime.exs: env.sh.eex defaults DNS_CLUSTER_QUERY per platform, nothing more to add', async () => {
    const dir = realWorld('phx-new-control');
    const runtime = read(dir, 'config/runtime.exs').replace('import Config\n', 'import Config\n\nconfig :harvest, :dns_cluster_query, System.get_env("DNS_CLUSTER_QUERY")\n');
    writeFileSync(path.join(dir, 'config/runtime.exs'), runtime);
    const { stdout } = await succeed(dir, ['--yes']);
    expect(read(dir, 'rel/env.sh.eex')).toContain('export DNS_CLUSTER_QUERY="${FLY_APP_NAME}.internal"');
    expect(read(dir, 'rel/env.sh.eex')).toContain('export DNS_CLUSTER_QUERY="harvest-headless"');
    expect(summaryOf(stdout)).not.toContain('{DNSCluster');
  });

  it('off by default without dns_cluster; --cluster turns it on, in the release\'s rel_templates_path', async () => {
    const dir = realWorld('two-repos');
    await succeed(dir, ['--yes']);
    expect(has(dir, 'rel/env.sh.eex')).toBe(false);
    const rtp = realWorld('rel-templates-path');
    const { stdout } = await succeed(rtp, ['--yes', '--cluster']);
    // Its own env.sh.eex already names the node: kept, as it is.
    expect(stdout).toMatch(/^\* keeping rel\/server\/env\.sh\.eex \(it already sets RELEASE_DISTRIBUTION and RELEASE_NODE\)$/m);
    expect(read(rtp, 'rel/server/env.sh.eex')).toBe(readFileSync(path.resolve(import.meta.dirname, '../fixtures/real-world/rel-templates-path/rel/server/env.sh.eex'), 'utf8'));
  });

  it('an env.sh.eex from mix release.init (all comments) is a conflict: --yes stops, --force replaces it, --skip keeps it', async () => {
    const dir = realWorld('phx-new-control');
    mkdirSync(path.join(dir, 'rel'), { recursive: true });
    const init = '#!/bin/sh\n\n# # Set the release to work across nodes.\n# export RELEASE_DISTRIBUTION=name\n# export RELEASE_NODE=<%= @release.name %>\n';
    writeFileSync(path.join(dir, 'rel/env.sh.eex'), init);
    const before = snapshotTree(dir);
    const stopped = await runCli(['--yes', '--offline'], { cwd: dir });
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('rel/env.sh.eex');
    expect(snapshotTree(dir)).toBe(before);
    await succeed(dir, ['--yes', '--skip']);
    expect(read(dir, 'rel/env.sh.eex')).toBe(init);
    await succeed(dir, ['--yes', '--force']);
    expect(read(dir, 'rel/env.sh.eex')).toContain('export RELEASE_DISTRIBUTION="${RELEASE_DISTRIBUTION:-name}"');
  });

  it('--epmd-less[=port]: vm.args.eex and remote.vm.args.eex on that port; the flags repeat in --json', async () => {
    const dir = realWorld('phx-new-control');
    const { stdout } = await succeed(dir, ['--yes', '--epmd-less']);
    expect(read(dir, 'rel/vm.args.eex')).toMatch(/^-start_epmd false -erl_epmd_port 6789$/m);
    expect(read(dir, 'rel/remote.vm.args.eex')).toMatch(/^-start_epmd false -erl_epmd_port 6789 -dist_listen false$/m);
    expect(summaryOf(stdout)).toContain('Distribution listens on port 6789 only, without epmd');
    const other = realWorld('two-repos');
    const json = JSON.parse((await succeed(other, ['--yes', '--json', '--epmd-less=7000'])).stdout);
    expect(json.production).toMatchObject({ epmdLessPort: 7000, cluster: null });
    expect(read(other, 'rel/vm.args.eex')).toContain('-erl_epmd_port 7000');
  });
});

describe('epmd-less over existing vm.args', () => {
  it('vm.args.eex files that already run on the port without epmd are kept; others are conflicts', async () => {
    const dir = realWorld('rel-templates-path');
    // Its own rel/server/vm.args.eex has other flags: a conflict, settled by --skip or --force.
    const stopped = await runCli(['--yes', '--offline', '--epmd-less'], { cwd: dir });
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('rel/server/vm.args.eex');
    writeFileSync(path.join(dir, 'rel/server/vm.args.eex'), '## mine\n+sbwt none\n-start_epmd false -erl_epmd_port 6789\n');
    writeFileSync(path.join(dir, 'rel/server/remote.vm.args.eex'), '-start_epmd false\n-erl_epmd_port 6789 -dist_listen false\n');
    const { stdout } = await succeed(dir, ['--yes', '--epmd-less']);
    expect(stdout).toMatch(/^\* keeping rel\/server\/vm\.args\.eex \(it already runs distribution on port 6789 without epmd\)$/m);
    expect(stdout).toMatch(/^\* keeping rel\/server\/remote\.vm\.args\.eex \(.*and does not listen\)$/m);
    expect(read(dir, 'rel/server/vm.args.eex')).toContain('+sbwt none');
  });
});

describe('runtime_tools', () => {
  it('when no app of the release lists it, the summary says how to add it', async () => {
    const dir = realWorld('two-repos');
    writeFileSync(path.join(dir, 'mix.exs'), read(dir, 'mix.exs').replace(':runtime_tools', ':os_mon'));
    const { stdout } = await succeed(dir, ['--yes']);
    expect(stdout).toContain('debugging   :runtime_tools not in the release');
    expect(summaryOf(stdout)).toContain('The release does not start :runtime_tools');
    expect(summaryOf(stdout)).toContain('extra_applications: [:logger, :runtime_tools]');
    // Listed in the release's applications: instead, it is there.
    writeFileSync(path.join(dir, 'mix.exs'), read(dir, 'mix.exs').replace('deps: deps()', 'deps: deps(),\n      releases: [atlas: [applications: [runtime_tools: :permanent]]]'));
    const again = await succeed(dir, ['--yes']);
    expect(again.stdout).toContain(':runtime_tools started (applications: of release atlas)');
  });
});
