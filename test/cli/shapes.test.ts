// Every project shape through the packed bin, non-TTY: umbrellas (a web app and a data app owning
// the repo; two web apps, two releases), a plain OTP app with Ecto, a named release with `path:`
// and `overlays:`, two releases, a `[:unix]`-only release.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { copyProject, snapshotTree } from '../helpers/tree.js';
import { missingTools } from '../render/helpers.js';

const shape = (name: string) => copyProject(`test/fixtures/cli-shapes/${name}`);
const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');
const has = (dir: string, file: string) => existsSync(path.join(dir, file));
const scripts = (...names: string[]) => names.map((name) => `rel/overlays/bin/${name}`);
const ALL_SCRIPTS = scripts('server', 'server.bat', 'migrate', 'migrate.bat');
const created = (stdout: string) => [...stdout.matchAll(/^\* creating (.+)$/gm)].map((m) => m[1]!);
const summaryOf = (stdout: string) => stdout.slice(stdout.indexOf('Your application is ready to be deployed in a release!'));
// No Elixir on PATH and no network: the images come from the flags and the bundled catalog.
const DOCKER = ['--yes', '--docker', '--offline', '--elixir', '1.18.4', '--otp', '27.3.4'];
const NO_TOOLCHAIN = { PATH: path.dirname(process.execPath) };

async function succeed(dir: string, args: string[]): Promise<CliResult> {
  const result = await runCli(args, { cwd: dir, env: NO_TOOLCHAIN });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result;
}

/** Exit 1, one line on stderr matching `message`, the project byte-for-byte as it was. */
async function refuse(dir: string, args: string[], message: RegExp): Promise<void> {
  const before = snapshotTree(dir, true);
  const result = await runCli(args, { cwd: dir, env: NO_TOOLCHAIN });
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(message);
  expect(snapshotTree(dir, true)).toBe(before);
}

function writtenText(dir: string, stdout: string): string {
  return created(stdout).map((file) => read(dir, file)).join('\n');
}

/** The Dockerfile as Docker reads it: per stage, each instruction on one line. */
function dockerStages(dir: string): Map<string, string[]> {
  const stages = new Map<string, string[]>();
  let current: string[] = [];
  for (const instruction of DockerfileParser.parse(read(dir, 'Dockerfile')).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      current = [];
      stages.set(instruction.getArguments().at(-1)!.getValue(), current);
    } else {
      current.push(instruction.toString().replace(/\s+/g, ' '));
    }
  }
  return stages;
}

function at(lines: string[], line: string): number {
  expect(lines, line).toContain(line);
  return lines.indexOf(line);
}

/** Every COPY from the build context names paths that exist in the project. */
function expectCopiesExist(dir: string, stages: Map<string, string[]>): void {
  for (const [stage, lines] of stages) {
    for (const line of lines.filter((l) => l.startsWith('COPY ') && !l.includes('--from='))) {
      for (const source of line.split(' ').slice(1, -1)) {
        expect(has(dir, source.replace('${MIX_ENV}', 'prod')), `${stage}: ${line}`).toBe(true);
      }
    }
  }
}

describe('umbrella: a Phoenix web app and a data app owning the repo, no release declared', () => {
  it('writes the overlays at the root, Release into the data app, and patches the web endpoint', async () => {
    const dir = shape('hub_umbrella');
    const { stdout } = await succeed(dir, ['--yes']);
    expect(created(stdout)).toEqual([...ALL_SCRIPTS, 'apps/hub/lib/hub/release.ex', 'apps/hub_web/lib/hub_web/health.ex']);
    // Named after the umbrella's directory (hub_umbrella): no release is declared yet.
    expect(read(dir, 'rel/overlays/bin/server')).toContain('PHX_SERVER=true exec ./hub start\n');
    expect(read(dir, 'rel/overlays/bin/migrate')).toContain('exec ./hub eval Hub.Release.migrate\n');
    expect(read(dir, 'rel/overlays/bin/migrate.bat')).toContain('call "%~dp0\\hub" eval Hub.Release.migrate\r\n');
    const release = read(dir, 'apps/hub/lib/hub/release.ex');
    expect(release).toContain('defmodule Hub.Release do');
    expect(release).toContain('@app :hub\n');
    for (const wrong of ['lib', 'apps/hub_web/lib/hub_web/release.ex', 'apps/hub/rel', 'apps/hub_web/rel']) {
      expect(has(dir, wrong), wrong).toBe(false);
    }
    expect(stdout).toContain('* patching config/runtime.exs\n');
    expect(read(dir, 'config/runtime.exs')).toContain(
      'if System.get_env("PHX_SERVER") do\n  config :hub_web, HubWeb.Endpoint, server: true\nend\n',
    );
    const summary = summaryOf(stdout);
    for (const bin of ['server', 'migrate']) expect(summary).toContain(`_build/prod/rel/hub/bin/${bin}`);
    const entry = '    releases: [\n      hub: [\n        applications: [hub: :permanent, hub_web: :permanent]\n      ]\n    ]\n';
    expect(summary).toContain(entry);
  });

  it('prints a releases: entry that, pasted into mix.exs, declares the release (and is mix format clean)', async () => {
    const dir = shape('hub_umbrella');
    const { stdout } = await succeed(dir, ['--yes', '--no-patch-runtime']);
    const lines = summaryOf(stdout).split('\n');
    const start = lines.findIndex((l) => l.includes('must declare their releases'));
    const end = lines.indexOf('', start);
    const entry = lines.slice(start + 1, end).map((l) => l.slice(4));
    const mixExs = read(dir, 'mix.exs');
    const pasted = mixExs.replace('      deps: deps()\n', `      deps: deps(),\n${entry.map((l) => `      ${l}`).join('\n')}\n`);
    expect(pasted).not.toBe(mixExs);
    writeFileSync(path.join(dir, 'mix.exs'), pasted);

    const again = await succeed(dir, ['--yes', '--json', '--no-patch-runtime']);
    const doc = JSON.parse(again.stdout);
    const applications = { hub: 'permanent', hub_web: 'permanent' };
    expect(doc.facts.releases).toMatchObject([{ name: 'hub', applications, path: null, overlays: null }]);
    expect(doc.answers).toMatchObject({ release: 'hub', app: 'hub_web' });
    expect(doc.next.some((n: { file?: string }) => n.file === 'mix.exs')).toBe(false);
    expect(doc.files.map((f: { status: string }) => f.status)).toEqual(Array(6).fill('identical'));

    const elixir = missingTools(['elixir']);
    if (elixir.skip) return;
    elixir.assertTools();
    const format = ['-e', 'IO.write(Code.format_file!(hd(System.argv())))', 'mix.exs'];
    const formatted = execFileSync('elixir', format, { cwd: dir });
    // mix format ends the file with one newline; Code.format_file! leaves that to the caller.
    expect(`${String(formatted).trimEnd()}\n`).toBe(pasted);
  });

  it('--docker for a release without the web app: no Node stage, no asset steps, no PHX_SERVER', async () => {
    const dir = shape('hub_umbrella');
    const mix = read(dir, 'mix.exs').replace(
      'deps: deps()\n',
      'deps: deps(),\n      releases: [worker: [applications: [hub: :permanent]]]\n',
    );
    writeFileSync(path.join(dir, 'mix.exs'), mix);
    await succeed(dir, DOCKER);
    const stages = dockerStages(dir);
    expect([...stages.keys()]).toEqual(['builder', 'final']);
    expect(stages.get('builder')!.filter((l) => /assets/.test(l))).toEqual([]);
    expect(read(dir, 'rel/overlays/bin/server')).toMatch(/\nexec \.\/worker start\n$/);
  });

  it('--docker: every app mix.exs before deps.get, the apps after, the web app assets, the umbrella release', async () => {
    const dir = shape('hub_umbrella');
    await succeed(dir, DOCKER);
    const stages = dockerStages(dir);
    expect([...stages.keys()]).toEqual(['assets', 'builder', 'final']);
    const builder = stages.get('builder')!;
    const depsGet = at(builder, 'RUN mix deps.get --only $MIX_ENV');
    expect(at(builder, 'COPY mix.exs mix.lock ./')).toBeLessThan(depsGet);
    for (const app of readdirSync(path.join(dir, 'apps')).sort()) {
      expect(at(builder, `COPY apps/${app}/mix.exs apps/${app}/`)).toBeLessThan(depsGet);
    }
    const code = at(builder, 'COPY apps apps');
    expect(at(builder, 'RUN mix deps.compile')).toBeLessThan(code);
    expect(code).toBeLessThan(at(builder, 'RUN mix compile --force'));
    expect(builder).not.toContain('COPY lib lib');
    expect(at(builder, 'COPY rel rel')).toBeLessThan(at(builder, 'RUN mix release'));
    expect(builder).toContain('COPY --from=assets /app/apps/hub_web/assets/node_modules apps/hub_web/assets/node_modules');
    // hub_web's own aliases decide the asset steps (run from the umbrella root).
    expect(at(builder, 'RUN mix assets.setup')).toBeLessThan(code);
    expect(at(builder, 'RUN mix assets.deploy')).toBeGreaterThan(at(builder, 'RUN mix compile --force'));
    const final = stages.get('final')!;
    expect(final).toContain('COPY --from=builder --chown=nobody:root /app/_build/${MIX_ENV}/rel/hub ./');
    expect(final.at(-1)).toBe('CMD ["/app/bin/server"]');
    expectCopiesExist(dir, stages);
  });
});

describe('umbrella: two web apps over a core app, two releases', () => {
  it('without a terminal, names the releases, then the web apps, it cannot choose between', async () => {
    const dir = shape('acme_umbrella');
    await refuse(dir, ['--yes'], /several releases \(acme, admin\).*--release <name>/);
    await refuse(dir, ['--yes', '--release', 'acme'], /several web apps \(admin_web, shop_web\).*--app <name>/);
    await refuse(dir, ['--yes', '--release', 'acme', '--app', 'core'], /--app core: .*not a web app.*admin_web, shop_web/);
    await refuse(dir, ['--yes', '--release', 'admin', '--app', 'shop_web'], /release admin does not include it/);
  });

  it('--app picks the endpoint runtime.exs starts; Release goes to core, in the namespace its config names', async () => {
    for (const [app, module] of [['shop_web', 'ShopWeb'], ['admin_web', 'AdminWeb']]) {
      const dir = shape('acme_umbrella');
      const { stdout } = await succeed(dir, ['--yes', '--release', 'acme', '--app', app!]);
      expect(read(dir, 'config/runtime.exs')).toContain(`config :${app}, ${module}.Endpoint, server: true\n`);
      expect(created(stdout)).toContain('apps/core/lib/core/release.ex');
      expect(read(dir, 'apps/core/lib/core/release.ex')).toMatch(/^defmodule Acme\.Core\.Release do\n[^]*\n  @app :core\n/);
      expect(read(dir, 'rel/overlays/bin/migrate')).toContain('exec ./acme eval Acme.Core.Release.migrate\n');
      expect(has(dir, 'rel/overlays/bin/server.bat')).toBe(true);
      const summary = summaryOf(stdout);
      expect(summary).toContain('MIX_ENV=prod mix release acme\n');
      expect(summary).not.toContain('must declare their releases');
    }
  });

  it('a release holding one web app needs no --app, and keeps to its include_executables_for', async () => {
    const dir = shape('acme_umbrella');
    const { stdout } = await succeed(dir, ['--yes', '--release', 'admin']);
    expect(read(dir, 'config/runtime.exs')).toContain('config :admin_web, AdminWeb.Endpoint, server: true\n');
    expect(read(dir, 'rel/overlays/bin/server')).toContain('PHX_SERVER=true exec ./admin start\n');
    // admin lists admin_web only; core is in it as admin_web's dependency, with the repo.
    expect(read(dir, 'rel/overlays/bin/migrate')).toContain('exec ./admin eval Acme.Core.Release.migrate\n');
    expect(created(stdout).filter((f) => f.endsWith('.bat'))).toEqual([]);
    expect(summaryOf(stdout)).toContain('_build/prod/rel/admin/bin/server');
  });

  it('--docker builds the chosen release by name', async () => {
    const dir = shape('acme_umbrella');
    await succeed(dir, [...DOCKER, '--release', 'acme', '--app', 'shop_web']);
    const stages = dockerStages(dir);
    const builder = stages.get('builder')!;
    for (const app of ['admin_web', 'core', 'shop_web']) {
      expect(at(builder, `COPY apps/${app}/mix.exs apps/${app}/`)).toBeLessThan(at(builder, 'RUN mix deps.get --only $MIX_ENV'));
    }
    expect(at(builder, 'COPY rel rel')).toBeLessThan(at(builder, 'RUN mix release acme'));
    expect(stages.get('final')).toContain('COPY --from=builder --chown=nobody:root /app/_build/${MIX_ENV}/rel/acme ./');
    expectCopiesExist(dir, stages);
  });
});

describe('plain OTP app with Ecto (no Phoenix), acronym namespace from config', () => {
  it('starts the release, runs migrations, and says nothing of Phoenix anywhere', async () => {
    const dir = shape('acme_api');
    const runtime = read(dir, 'config/runtime.exs');
    const { stdout } = await succeed(dir, DOCKER);
    expect(created(stdout)).toEqual([...ALL_SCRIPTS, 'lib/acme_api/release.ex', 'Dockerfile', '.dockerignore']);
    expect(read(dir, 'rel/overlays/bin/server')).toMatch(/\nexec \.\/acme_api start\n$/);
    expect(read(dir, 'rel/overlays/bin/migrate')).toContain('exec ./acme_api eval AcmeAPI.Release.migrate\n');
    expect(read(dir, 'lib/acme_api/release.ex')).toMatch(/^defmodule AcmeAPI\.Release do\n[^]*\n  @app :acme_api\n/);
    expect(writtenText(dir, stdout)).not.toMatch(/PHX_|Phoenix/);
    expect(read(dir, 'config/runtime.exs')).toBe(runtime);
    expect(stdout).not.toMatch(/PHX_|runtime\.exs|Phoenix|SECRET_KEY_BASE|-p 4000/);
    const final = dockerStages(dir).get('final')!;
    expect(final.at(-1)).toBe('CMD ["/app/bin/acme_api", "start"]');
    const summary = summaryOf(stdout);
    expect(summary).toContain('# To start the application\n    _build/prod/rel/acme_api/bin/server\n');
    expect(summary).toContain('_build/prod/rel/acme_api/bin/migrate');
    expect(summary).toContain('-e DATABASE_URL=');
    expectCopiesExist(dir, dockerStages(dir));
  });
});

describe('one release with a custom name, path: and overlays:', () => {
  it('calls bin/storefront, and the summary and the Dockerfile use its path and its overlay dir', async () => {
    const dir = shape('store_v2');
    const { stdout } = await succeed(dir, DOCKER);
    expect(read(dir, 'rel/overlays/bin/server')).toContain('PHX_SERVER=true exec ./storefront start\n');
    expect(read(dir, 'rel/overlays/bin/server.bat')).toContain('call "%~dp0\\storefront" start\r\n');
    expect(read(dir, 'rel/overlays/bin/migrate')).toContain('exec ./storefront eval StoreV2.Release.migrate\n');
    expect(read(dir, 'lib/store_v2/release.ex')).toMatch(/^defmodule StoreV2\.Release do\n[^]*\n  @app :store_v2\n/);
    expect(read(dir, 'config/runtime.exs')).toContain('config :store_v2, StoreV2Web.Endpoint, server: true\n');
    // Mix copies rel/overlays whatever overlays: says, so the scripts stay there.
    expect(created(stdout).filter((f) => f.startsWith('deploy/'))).toEqual([]);

    const summary = summaryOf(stdout);
    expect(summary).toContain('MIX_ENV=prod mix release\n');
    for (const line of ['dist/storefront/bin/server', 'dist/storefront/bin/migrate', 'dist/storefront/bin/storefront remote']) {
      expect(summary).toContain(`    ${line}\n`);
    }
    expect(summary).not.toContain('_build/prod/rel');
    expect(summary).toContain('docker build -t storefront .');
    // SQLite: phx.new's runtime.exs reads DATABASE_PATH, not DATABASE_URL.
    expect(summary).toContain('-e DATABASE_PATH=/app/store_v2.db');
    expect(summary).not.toContain('DATABASE_URL');

    const stages = dockerStages(dir);
    const builder = stages.get('builder')!;
    expect(at(builder, 'COPY deploy/overlays deploy/overlays')).toBeLessThan(at(builder, 'RUN mix release'));
    expect(stages.get('final')).toContain('COPY --from=builder --chown=nobody:root /app/dist/storefront ./');
    expectCopiesExist(dir, stages);
  });

  it('takes --release storefront, and refuses the app name, which is no release here', async () => {
    const dir = shape('store_v2');
    await refuse(dir, ['--yes', '--release', 'store_v2'], /no release named "store_v2".*storefront/);
    expect(created((await succeed(dir, ['--yes', '--release', 'storefront'])).stdout)).toContain('rel/overlays/bin/server');
  });
});

describe('two releases', () => {
  it('without a terminal and without --release, names both and changes nothing', async () => {
    const dir = shape('duo');
    await refuse(dir, ['--yes'], /several releases \(web, worker\).*--release <name>/);
    await refuse(dir, ['--yes', '--release', 'nope'], /no release named "nope".*web, worker/);
  });

  it('--release picks the binary, the [:unix] of that release, and the build by name', async () => {
    const dir = shape('duo');
    const runtime = read(dir, 'config/runtime.exs');
    const { stdout } = await succeed(dir, [...DOCKER, '--release', 'worker']);
    expect(created(stdout)).toEqual([...scripts('server'), 'Dockerfile', '.dockerignore', 'lib/duo_web/health.ex']);
    expect(read(dir, 'rel/overlays/bin/server')).toContain('PHX_SERVER=true exec ./worker start\n');
    // runtime.exs already serves the endpoint: the only edit is the shutdown drain.
    expect(read(dir, 'config/runtime.exs').replace(/\n\n  # On shutdown.*\n.*shutdown_timeout: 25_000\]\]\n/, '\n')).toBe(runtime);
    const summary = summaryOf(stdout);
    expect(summary).toContain('MIX_ENV=prod mix release worker\n');
    expect(summary).toContain('_build/prod/rel/worker/bin/server');
    const stages = dockerStages(dir);
    expect(stages.get('builder')).toContain('RUN mix release worker');
    expect(stages.get('final')).toContain('COPY --from=builder --chown=nobody:root /app/_build/${MIX_ENV}/rel/worker ./');
    // The other release builds Windows executables too: its scripts come with .bat files.
    const web = shape('duo');
    await succeed(web, ['--yes', '--release', 'web']);
    expect(read(web, 'rel/overlays/bin/server.bat')).toContain('call "%~dp0\\web" start\r\n');
  });
});

describe('a [:unix]-only release', () => {
  it('writes no .bat file, a second run finds everything identical, and --app is for umbrellas', async () => {
    const dir = shape('unix_only');
    const { stdout } = await succeed(dir, ['--yes']);
    expect(created(stdout)).toEqual([...scripts('server', 'migrate'), 'lib/unix_only/release.ex', 'lib/unix_only_web/health.ex', 'config/runtime.exs']);
    expect(readdirSync(path.join(dir, 'rel/overlays/bin')).sort()).toEqual(['migrate', 'server']);
    expect(statSync(path.join(dir, 'rel/overlays/bin/server')).mode & 0o777).toBe(0o755);
    const before = snapshotTree(dir, true);
    const again = await succeed(dir, ['--yes']);
    expect(again.stdout).not.toContain('.bat');
    expect(snapshotTree(dir, true)).toBe(before);
    await refuse(dir, ['--yes', '--app', 'other'], /--app other: only umbrella projects/);
  });
});
