// What `npx create-release` downloads: one package with no runtime dependencies, whose bin,
// grammar and templates are all inside, and whose plopfile serves plain plop users.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodePlop from 'node-plop';
import { describe, expect, inject, it } from 'vitest';

const installed = () => path.resolve(path.dirname(inject('cliBin')), '..', 'create-release');

describe('the published package', () => {
  it('holds the bundle, the grammar and the templates, and depends on nothing', () => {
    const files = execFileSync('tar', ['-tzf', inject('tarball')], { encoding: 'utf8' }).split('\n');
    for (const file of [
      'package/dist/cli.js',
      'package/dist/plopfile.js',
      'package/dist/tree-sitter-elixir.wasm',
      'package/dist/web-tree-sitter.wasm',
      'package/dist/templates/rel/overlays/bin/server.hbs',
      'package/dist/templates/Dockerfile.hbs',
      'package/package.json',
    ]) {
      expect(files).toContain(file);
    }
    expect(files.filter((f) => f.startsWith('package/src/') || f.startsWith('package/test/'))).toEqual([]);
    const pkg = JSON.parse(readFileSync(path.join(installed(), 'package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.bin).toEqual({ 'create-release': 'dist/cli.js' });
    expect(readFileSync(path.join(installed(), 'dist/cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('its plopfile lets plain plop users run the release generator', async () => {
    const project = path.join(mkdtempSync(path.join(os.tmpdir(), 'create-release-plop-')), 'shop');
    execFileSync('mkdir', ['-p', path.join(project, 'config')]);
    writeFileSync(path.join(project, 'mix.exs'), '');
    const { default: plopfile } = await import(path.join(installed(), 'dist/plopfile.js'));
    const plop = await nodePlop(undefined, { destBasePath: project, force: false });
    plopfile(plop);
    const answers = { app: 'shop', release: 'shop', namespace: 'Shop', phoenix: true, ecto: true };
    const result = await plop.getGenerator('release').runActions(answers);
    expect(result.failures).toEqual([]);
    expect(readFileSync(path.join(project, 'rel/overlays/bin/server'), 'utf8')).toContain('PHX_SERVER=true exec ./shop start');
    expect(statSync(path.join(project, 'rel/overlays/bin/server')).mode & 0o111).not.toBe(0);
    expect(readFileSync(path.join(project, 'lib/shop/release.ex'), 'utf8')).toContain('defmodule Shop.Release do');
  });

  it('the plop command the README gives writes the release files, answers passed as arguments', () => {
    const project = path.join(mkdtempSync(path.join(os.tmpdir(), 'create-release-plop-')), 'my_app');
    execFileSync('mkdir', ['-p', project]);
    const plopBin = path.join(import.meta.dirname, '../../node_modules/.bin/plop');
    const plopfile = path.join(installed(), 'dist/plopfile.js');
    // app, release, namespace, Phoenix?, Ecto?: plop's bypass fills the prompts in order.
    execFileSync(plopBin, ['--plopfile', plopfile, '--dest', project, 'release', 'my_app', 'web', 'MyApp', 'true', 'true'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(readFileSync(path.join(project, 'rel/overlays/bin/server'), 'utf8')).toContain('PHX_SERVER=true exec ./web start');
    expect(readFileSync(path.join(project, 'rel/overlays/bin/migrate'), 'utf8')).toContain('exec ./web eval MyApp.Release.migrate');
    expect(statSync(path.join(project, 'rel/overlays/bin/migrate')).mode & 0o111).not.toBe(0);
    expect(readFileSync(path.join(project, 'lib/my_app/release.ex'), 'utf8')).toContain('defmodule MyApp.Release do');
  });
});
