// The node-naming files as Mix uses them: rel/env.sh.eex rendered by EEx (as `mix release` does),
// checked by shellcheck and sourced by sh under each platform's variables; env.bat.eex and
// vm.args.eex held against the templates Elixir's own `mix release.init` writes.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { renderFiles } from '../../src/render.js';
import { describeWithTools } from '../helpers/toolchains.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'cluster-files-'));

async function render(template: string, data: Record<string, unknown>, eol: 'lf' | 'crlf' = 'lf'): Promise<string> {
  const [file] = await renderFiles([{ path: template, template, mode: 0o644, eol, data }]);
  return file!.content;
}

/** EEx over the file, with the assigns Mix gives release templates (`@release`). */
function evalEex(source: string, release = 'my_app'): string {
  const file = path.join(scratch, `t-${Math.random().toString(36).slice(2)}.eex`);
  writeFileSync(file, source);
  const script = `IO.write(EEx.eval_file(hd(System.argv()), assigns: [release: %{name: :${release}}]))`;
  const run = spawnSync('elixir', ['-e', script, file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
}

const REPORTED = ['RELEASE_DISTRIBUTION', 'RELEASE_NODE', 'DNS_CLUSTER_QUERY', 'ERL_AFLAGS', 'ECTO_IPV6', 'RELEASE_COOKIE'];

/**
 * Sources env.sh under `set -eu` (stricter than the release script's `set -e`) with only `env`
 * and a `hostname` that answers `hostnameSays` (fails when null); returns what it set and printed.
 */
function sourceEnvSh(envSh: string, env: Record<string, string>, hostnameSays: string | null = '10.1.2.3 fe80::1') {
  const bin = path.join(scratch, `bin-${Math.random().toString(36).slice(2)}`);
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'hostname'), hostnameSays === null ? '#!/bin/sh\nexit 1\n' : `#!/bin/sh\n[ "$1" = -i ] && echo "${hostnameSays}"\n`);
  chmodSync(path.join(bin, 'hostname'), 0o755);
  const file = path.join(bin, 'env.sh');
  writeFileSync(file, envSh);
  const report = REPORTED.map((v) => `printf '%s=%s\\n' ${v} "\${${v}-<unset>}" >&3`).join('; ');
  const run = spawnSync('sh', ['-c', `set -eu; . "${file}"; ${report}`], {
    encoding: 'utf8',
    env: { PATH: `${bin}:/usr/bin:/bin`, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const vars = Object.fromEntries(String(run.output[3]).trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, vars };
}

describeWithTools('rel/env.sh.eex and friends, as Mix renders and runs them', ['elixir', 'mix', 'shellcheck'], () => {
  let envSh = '';
  let elixirTemplates: Record<string, string> = {};

  beforeAll(async () => {
    envSh = evalEex(await render('rel/env.sh.eex.hbs', { dnsClusterQuery: true, headlessService: 'my-app-headless' }));
    // What `mix release.init` writes, from the Elixir on this machine.
    const project = path.join(scratch, 'init');
    mkdirSync(project);
    writeFileSync(path.join(project, 'mix.exs'), 'defmodule Init.MixProject do\n  use Mix.Project\n  def project, do: [app: :init, version: "0.1.0"]\nend\n');
    const init = spawnSync('mix', ['release.init'], { cwd: project, encoding: 'utf8', env: { ...process.env, MIX_HOME: path.join(scratch, 'mix-home') } });
    if (init.status !== 0) throw new Error(init.stderr + init.stdout);
    elixirTemplates = Object.fromEntries(['env.sh.eex', 'env.bat.eex', 'vm.args.eex', 'remote.vm.args.eex'].map((f) => [f, readFileSync(path.join(project, 'rel', f), 'utf8')]));
  });

  it('passes shellcheck once EEx has rendered it', () => {
    const file = path.join(scratch, 'env.sh');
    writeFileSync(file, envSh);
    const check = spawnSync('shellcheck', ['--shell=sh', file], { encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('off any platform: long names at the host\'s first address, nothing platform-specific, nothing printed', () => {
    const run = sourceEnvSh(envSh, {});
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(run.vars).toEqual({
      RELEASE_DISTRIBUTION: 'name',
      RELEASE_NODE: 'my_app@10.1.2.3',
      DNS_CLUSTER_QUERY: '<unset>',
      ERL_AFLAGS: '<unset>',
      ECTO_IPV6: '<unset>',
      RELEASE_COOKIE: '<unset>',
    });
    expect(sourceEnvSh(envSh, {}, null).vars.RELEASE_NODE).toBe('my_app@127.0.0.1');
  });

  it('every value the user set wins', () => {
    const mine = { RELEASE_DISTRIBUTION: 'sname', RELEASE_NODE: 'mine@10.9.9.9', DNS_CLUSTER_QUERY: 'my.query', FLY_APP_NAME: 'app', FLY_PRIVATE_IP: 'fdaa::3', ECTO_IPV6: 'false' };
    const run = sourceEnvSh(envSh, mine);
    expect(run.vars).toMatchObject({ RELEASE_DISTRIBUTION: 'sname', RELEASE_NODE: 'mine@10.9.9.9', DNS_CLUSTER_QUERY: 'my.query', ECTO_IPV6: 'false', ERL_AFLAGS: '<unset>' });
  });

  it('Fly.io: <app>-<image ref>@<private IPv6>, IPv6 distribution and database, <app>.internal', () => {
    const fly = { FLY_APP_NAME: 'shop', FLY_PRIVATE_IP: 'fdaa:0:1::3', FLY_IMAGE_REF: 'registry.fly.io/shop:deployment-01HZX9' };
    const run = sourceEnvSh(envSh, { ...fly, ERL_AFLAGS: '+S 2' });
    expect(run.vars).toMatchObject({
      RELEASE_DISTRIBUTION: 'name',
      RELEASE_NODE: 'shop-01HZX9@fdaa:0:1::3',
      ERL_AFLAGS: '+S 2 -proto_dist inet6_tcp',
      ECTO_IPV6: 'true',
      DNS_CLUSTER_QUERY: 'shop.internal',
    });
    // FLY_APP_NAME alone (a build, a machine without private networking): nothing of Fly's.
    expect(sourceEnvSh(envSh, { FLY_APP_NAME: 'shop' }).vars).toMatchObject({ RELEASE_NODE: 'my_app@10.1.2.3', ERL_AFLAGS: '<unset>', ECTO_IPV6: '<unset>' });
  });

  it('Kubernetes: <release>@<POD_IP> and the headless Service as the DNS query', () => {
    expect(sourceEnvSh(envSh, { POD_IP: '10.4.0.7' }).vars).toMatchObject({ RELEASE_NODE: 'my_app@10.4.0.7', DNS_CLUSTER_QUERY: 'my-app-headless', ERL_AFLAGS: '<unset>' });
    expect(sourceEnvSh(envSh, { POD_IP: 'fd00::7' }).vars).toMatchObject({ RELEASE_NODE: 'my_app@fd00::7', ERL_AFLAGS: '-proto_dist inet6_tcp', ECTO_IPV6: '<unset>' });
  });

  it('without dns_cluster configured, DNS_CLUSTER_QUERY is left alone', async () => {
    const plain = evalEex(await render('rel/env.sh.eex.hbs', { dnsClusterQuery: false, headlessService: 'x' }));
    expect(plain).not.toContain('DNS_CLUSTER_QUERY');
    expect(sourceEnvSh(plain, { POD_IP: '10.4.0.7' }).vars.DNS_CLUSTER_QUERY).toBe('<unset>');
  });

  it('never sets the cookie or another secret', async () => {
    const template = await render('rel/env.sh.eex.hbs', { dnsClusterQuery: true, headlessService: 'x' });
    expect(template).not.toMatch(/^\s*(export\s+)?RELEASE_COOKIE=/m);
    expect(template).not.toMatch(/COOKIE=|SECRET|PASSWORD/);
  });

  it('env.bat.eex: the cmd forms of Elixir\'s own template (@echo off, rem, set NAME=value), guarded so set values win', async () => {
    const ours = await render('rel/env.bat.eex.hbs', {}, 'crlf');
    const elixirs = elixirTemplates['env.bat.eex']!;
    expect(elixirs.split(/\r?\n/)[0]).toBe('@echo off');
    expect(elixirs).toMatch(/^rem set RELEASE_NODE=<%= @release.name %>\r?$/m);
    expect(ours.startsWith('@echo off\r\n')).toBe(true);
    expect(ours.replaceAll('\r\n', '')).not.toContain('\n');
    for (const line of evalEex(ours).split('\r\n').filter(Boolean)) {
      expect(line).toMatch(/^(@echo off|rem( .*)?|if not defined (RELEASE_[A-Z]+) set \3=[\w.@-]+)$/);
    }
    expect(evalEex(ours)).toContain('if not defined RELEASE_NODE set RELEASE_NODE=my_app@127.0.0.1\r\n');
  });

  it('vm.args.eex keeps every line of Mix\'s default, then adds the fixed port; remote.vm.args.eex does not listen', async () => {
    const vmArgs = await render('rel/vm.args.eex.hbs', { port: 6789 });
    for (const line of elixirTemplates['vm.args.eex']!.split('\n').filter(Boolean)) expect(vmArgs).toContain(line);
    expect(vmArgs).toMatch(/^-start_epmd false -erl_epmd_port 6789$/m);
    const remote = await render('rel/remote.vm.args.eex.hbs', { port: 6789 });
    expect(remote).toMatch(/^-start_epmd false -erl_epmd_port 6789 -dist_listen false$/m);
    expect(evalEex(remote)).toContain('bin/my_app remote');
  });
});
