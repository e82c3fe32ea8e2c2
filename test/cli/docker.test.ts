// `--docker` through the packed bin: images from a real HTTP index on 127.0.0.1, from the bundled
// catalog when offline or when the index fails, and versions from flags or .tool-versions.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { copyProject } from '../helpers/tree.js';
import { startFakeIndex, type FakeIndex } from '../images/fake-index.js';

// No Elixir on PATH: the versions must come from what each test gives.
const NO_TOOLCHAIN = { PATH: path.dirname(process.execPath) };

function fromLines(dockerfile: string): string[] {
  const parsed = DockerfileParser.parse(dockerfile);
  const args = new Map(
    parsed
      .getInitialARGs()
      .flatMap((arg) => arg.getProperties())
      .map((p) => [p.getName(), p.getValue() ?? ''] as const),
  );
  const expand = (text: string): string => text.replace(/\$\{(\w+)\}/g, (_, name: string) => expand(args.get(name) ?? `<${name}?>`));
  return parsed.getFROMs().map((from) => expand(from.getImageName() ? `${from.getImage()}` : '').replaceAll('"', ''));
}

let index: FakeIndex | undefined;
afterEach(async () => {
  await index?.close();
  index = undefined;
});

describe('create-release --docker', () => {
  it('--offline: picks images from the bundled catalog, says so, and sends no request', async () => {
    index = await startFakeIndex({ tags: [] });
    const dir = copyProject('examples/hello');
    writeFileSync(path.join(dir, '.tool-versions'), 'elixir 1.18.4-otp-27\nerlang 27.3.4\n');
    const { code, stdout } = await runCli(['--yes', '--docker', '--offline'], {
      cwd: dir,
      env: { ...NO_TOOLCHAIN, CREATE_RELEASE_BOB_URL: index.url },
    });
    expect(code).toBe(0);
    expect(index.requests).toHaveLength(0);
    expect(stdout).toContain('* creating Dockerfile\n');
    expect(stdout).toContain('* creating .dockerignore\n');
    expect(stdout).toMatch(/not verified online/);
    expect(stdout).toContain('.tool-versions');

    const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('ARG ELIXIR_VERSION=1.18.4');
    expect(dockerfile).toMatch(/ARG OTP_VERSION=27\.3\.4/);
    const [builder, runner] = fromLines(dockerfile).filter((image) => !image.startsWith('node:'));
    expect(builder).toMatch(/^hexpm\/elixir:1\.18\.4-erlang-27\.3\.4[.\d]*-debian-(trixie|bookworm)-\d{8}-slim$/);
    const snapshot = builder!.replace(/^.*-debian-/, '');
    expect(runner).toBe(`debian:${snapshot}`);

    const ignore = readFileSync(path.join(dir, '.dockerignore'), 'utf8');
    for (const entry of ['_build/', 'deps/', '.env', '!.git/HEAD', '**/node_modules/']) expect(ignore).toContain(entry);
  });

  it('online: uses the tag the index lists and the summary tells how to build and run it', async () => {
    index = await startFakeIndex({
      tags: [
        { tag: '1.17.3-erlang-27.1.2-debian-trixie-20261006-slim' },
        { tag: '1.17.3-erlang-27.1.2-debian-bookworm-20261006-slim' },
      ],
    });
    const dir = copyProject('examples/hello');
    const { code, stdout } = await runCli(['--yes', '--docker', '--elixir', '1.17.3', '--otp', '27.1.2'], {
      cwd: dir,
      env: { ...NO_TOOLCHAIN, CREATE_RELEASE_BOB_URL: index.url },
    });
    expect(code).toBe(0);
    expect(index.requests.length).toBeGreaterThan(0);
    expect(index.requests[0]!.searchParams.get('repo')).toBe('hexpm/elixir');
    expect(stdout).not.toMatch(/not verified online/);
    expect(stdout).toContain('--elixir');

    const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(fromLines(dockerfile)).toEqual(
      expect.arrayContaining([
        'hexpm/elixir:1.17.3-erlang-27.1.2-debian-trixie-20261006-slim',
        'debian:trixie-20261006-slim',
      ]),
    );
    expect(stdout).toContain('docker build -t hello .');
    for (const env of ['SECRET_KEY_BASE=', 'DATABASE_URL=', 'PHX_HOST=', 'PORT=']) expect(stdout).toContain(env);
    expect(stdout).toMatch(/openssl rand -base64 48|mix phx\.gen\.secret/);
  });

  it('falls back to the catalog when the index answers HTTP 500, and says why', async () => {
    index = await startFakeIndex({ mode: 'http500' });
    const dir = copyProject('examples/hello');
    const { code, stdout } = await runCli(['--yes', '--docker', '--elixir', '1.18.4', '--otp', '27.3.4'], {
      cwd: dir,
      env: { ...NO_TOOLCHAIN, CREATE_RELEASE_BOB_URL: index.url },
    });
    expect(code).toBe(0);
    expect(index.requests.length).toBeGreaterThan(0);
    expect(stdout).toMatch(/500/);
    expect(stdout).toMatch(/not verified online/);
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toContain('ARG ELIXIR_VERSION=1.18.4');
  });

  it('stops before writing anything when no image fits, naming versions that would', async () => {
    const dir = copyProject('examples/hello');
    const { code, stderr } = await runCli(['--yes', '--docker', '--offline', '--elixir', '1.18.4', '--otp', '19.3'], {
      cwd: dir,
      env: NO_TOOLCHAIN,
    });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/--elixir \d+\.\d+\.\d+ --otp \d+/);
  });

  it('an --elixir outside the mix.exs requirement is refused', async () => {
    const dir = copyProject('examples/hello');
    const { code, stderr } = await runCli(['--yes', '--docker', '--offline', '--elixir', '1.12.3'], { cwd: dir, env: NO_TOOLCHAIN });
    expect(code).toBe(1);
    expect(stderr).toContain('~> 1.14');
  });
});

describe('an elixir: requirement that cannot be read', () => {
  it('is reported once, and the image is still chosen', async () => {
    const dir = copyProject('examples/hello');
    const mix = readFileSync(path.join(dir, 'mix.exs'), 'utf8').replace('elixir: "~> 1.14"', 'elixir: ">= 1.14"');
    writeFileSync(path.join(dir, 'mix.exs'), mix);
    const { code, stdout } = await runCli(['--yes', '--docker', '--offline', '--elixir', '1.18.4'], { cwd: dir, env: NO_TOOLCHAIN });
    expect(code).toBe(0);
    expect(stdout.match(/Could not read the Elixir requirement ">= 1\.14"/g)).toHaveLength(1);
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toContain('ARG ELIXIR_VERSION=1.18.4');
  });
});
