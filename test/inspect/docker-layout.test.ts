// What the Dockerfile must copy and what the build context would carry, read from projects on
// disk: the config files that exist, the sources, the assets and their package.json, committed
// static files, key-like files a build would send, and config files .gitignore leaves out.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectProject } from '../../src/inspect/index.js';
import { inspectDockerLayout } from '../../src/inspect/docker-layout.js';
import { decideTarget } from '../../src/target.js';
import { copyProject } from '../helpers/tree.js';

function put(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
}

async function layoutOf(root: string, options: { app?: string } = {}) {
  return inspectDockerLayout(await decideTarget(await inspectProject(root), options, undefined));
}

describe('inspectDockerLayout on a phx.new-shaped app', () => {
  it('reads what exists: mix.lock, both runtime configs, lib and priv, the assets and their lock', async () => {
    const root = copyProject('examples/hello');
    put(root, {
      'mix.lock': '%{\n  "jason": {:hex, :jason, "1.4.4", "hash", [:mix], [], "hexpm", "hash2"},\n}\n',
      'config/releases.exs': 'import Config\n',
      'assets/package.json': JSON.stringify({ scripts: { deploy: 'vite build' }, dependencies: { phoenix: 'file:../deps/phoenix' } }),
    });
    const layout = await layoutOf(root);
    expect(layout).toMatchObject({
      mixLock: true,
      compileConfig: ['config/config.exs', 'config/prod.exs'],
      runtimeConfig: ['config/runtime.exs', 'config/releases.exs'],
      sources: ['lib', 'priv'],
      loadTimeFiles: [],
      assets: { dir: 'assets', packageJson: true, packageLock: true, scripts: { deploy: 'vite build' }, depsFromMix: true },
      committedStatic: false,
      keyFiles: [],
      contextTruncated: false,
      gitIgnored: [],
    });
    expect(layout.lock.map((p) => [p.name, p.version])).toEqual([['jason', '1.4.4']]);
  });

  it('no mix.lock, no priv, no runtime config: none of them', async () => {
    const root = copyProject('examples/hello');
    for (const gone of ['priv', 'config/runtime.exs']) rmSync(path.join(root, gone), { recursive: true });
    const layout = await layoutOf(root);
    expect(layout).toMatchObject({ mixLock: false, lock: [], runtimeConfig: [], sources: ['lib'] });
  });

  it('assets with no package.json: no npm step, no scripts', async () => {
    const root = copyProject('examples/hello');
    rmSync(path.join(root, 'assets'), { recursive: true });
    put(root, { 'assets/js/app.js': '' });
    expect((await layoutOf(root)).assets).toEqual({ dir: 'assets', packageJson: false, packageLock: false, scripts: {}, depsFromMix: false });
  });

  it('a package.json that is not JSON still means npm; its scripts are unknown', async () => {
    const root = copyProject('examples/hello');
    put(root, { 'assets/package.json': '{ "scripts": ' });
    expect((await layoutOf(root)).assets).toMatchObject({ packageJson: true, scripts: {}, depsFromMix: false });
  });

  it('npm packages from the registry do not need the Mix deps', async () => {
    const root = copyProject('examples/hello');
    put(root, { 'assets/package.json': JSON.stringify({ devDependencies: { esbuild: '^0.20', local: 'file:../vendor/x' } }) });
    expect((await layoutOf(root)).assets).toMatchObject({ depsFromMix: false });
    put(root, { 'assets/package.json': JSON.stringify({ devDependencies: { phoenix_html: 'file:../../deps/phoenix_html' } }) });
    expect((await layoutOf(root)).assets).toMatchObject({ depsFromMix: true });
  });

  it('no assets directory: none', async () => {
    const root = copyProject('examples/hello');
    rmSync(path.join(root, 'assets'), { recursive: true });
    expect((await layoutOf(root)).assets).toBeNull();
  });

  it('committed static files count; a .gitkeep or a .gitignore alone does not', async () => {
    const root = copyProject('examples/hello');
    put(root, { 'priv/static/.gitkeep': '', 'priv/static/images/.gitignore': '*\n' });
    expect((await layoutOf(root)).committedStatic).toBe(false);
    put(root, { 'priv/static/images/logo.svg': '<svg/>' });
    expect((await layoutOf(root)).committedStatic).toBe(true);
  });

  it('key-like files a build would send, sorted; not in skipped directories, dev certificates or .env files', async () => {
    const root = copyProject('examples/hello');
    put(root, {
      'id_rsa': 'k',
      'priv/keys/server.pem': 'k',
      'config/signing.p12': 'k',
      'deploy/store.jks': 'k',
      'lib/hello/tls.key': 'k',
      'a.keystore': 'k',
      'id_ed25519': 'k',
      'id_rsa.pub': 'public',
      '.env.key': 'k',
      'priv/cert/selfsigned_key.pem': 'dev',
      'deps/x/priv/ca.pem': 'k',
      'node_modules/y/test.key': 'k',
      '_build/prod/z.pem': 'k',
      'test/fixtures/client.key': 'k',
      'keys.pem.txt': 'k',
    });
    expect((await layoutOf(root)).keyFiles).toEqual([
      'a.keystore',
      'config/signing.p12',
      'deploy/store.jks',
      'id_ed25519',
      'id_rsa',
      'lib/hello/tls.key',
      'priv/keys/server.pem',
    ]);
  });

  it('config files .gitignore leaves out, loaded or missing', async () => {
    const root = copyProject('examples/hello');
    put(root, { '.gitignore': '/_build/\nconfig/prod.exs\n', 'config/prod.exs': 'import Config\nimport_config "prod.secret.exs"\n' });
    expect((await layoutOf(root)).gitIgnored).toEqual(['config/prod.exs']);
    put(root, { '.gitignore': '/config/*.secret.exs\n' });
    expect((await layoutOf(root)).gitIgnored).toEqual(['config/prod.secret.exs']);
  });

  it('files mix.exs reads while Mix loads it, when they exist and are inside the project', async () => {
    const root = copyProject('examples/hello');
    const mixExs = path.join(root, 'mix.exs');
    const source = readFileSync(mixExs, 'utf8');
    put(root, {
      'mix.exs': source.replace('version: "0.1.0",', 'version: File.read!("VERSION") |> String.trim(),\n      description: File.read!("./DESCRIPTION"),\n      docs: File.read!("../outside.md"),\n      x: File.read!("MISSING"),'),
      VERSION: '0.1.0\n',
      DESCRIPTION: 'x\n',
    });
    expect((await layoutOf(root)).loadTimeFiles).toEqual(['VERSION', 'DESCRIPTION']);
  });

  it('stops walking a very large tree, and says so', async () => {
    const root = copyProject('examples/hello');
    const big = path.join(root, 'data');
    mkdirSync(big);
    for (let i = 0; i < 20_000; i++) writeFileSync(path.join(big, `f${i}`), '');
    expect((await layoutOf(root)).contextTruncated).toBe(true);
  });
});

describe('inspectDockerLayout on an umbrella', () => {
  it("compiles the apps directory, and reads the served web app's assets and static files", async () => {
    const root = copyProject('test/fixtures/shapes/umbrella');
    put(root, {
      'apps/bank_web/assets/package.json': JSON.stringify({ scripts: { build: 'x' } }),
      'apps/bank_web/priv/static/robots.txt': '',
    });
    const layout = await layoutOf(root, { app: 'bank_web' });
    expect(layout).toMatchObject({
      sources: ['apps'],
      assets: { dir: 'apps/bank_web/assets', packageJson: true, packageLock: false, scripts: { build: 'x' } },
      committedStatic: true,
    });
  });
});
