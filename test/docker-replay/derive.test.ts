// The Dockerfile follows the project (test/fixtures/docker, one folder per real-world case): the
// config files config.exs really imports, releases.exs, files mix.exs reads at load time, extra
// source paths, path deps, assets by era, native builds, git over SSH; with the warnings for what
// Docker cannot build. Each case without Hex dependencies is then built by replaying the
// Dockerfile (test/helpers/docker-replay.ts) from exactly what it copies, and the release is started.
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOutput } from '../e2e/cases.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { dockerignoreMatcher } from '../helpers/docker-context.js';
import { ReplayError, replayBuild, runnerView, type ReplayResult } from '../helpers/docker-replay.js';
import { copyFixture, type Workspace } from '../e2e/cases.js';
import { describeToolchains, useWorkspace } from '../helpers/toolchains.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/docker');
const ARGS = ['--yes', '--docker', '--offline', '--elixir', '1.18.4', '--otp', '27.3.4'];
const BUILD = 240_000;

interface DockerCase {
  fixture: string;
  release: string;
  /** Lines of the builder stage that must appear, in this order (instructions on one line). */
  builder: string[];
  /** Lines that must not appear anywhere in the Dockerfile. */
  absent?: string[];
  warnings: RegExp[];
  /** Paths the .dockerignore must keep in the context, and leave out. */
  keeps?: string[];
  drops?: string[];
  /** What the replayed release must print for `bin/<release> eval <expr>` (with `env`); or where the replay must fail. */
  replay?: { eval: string; prints: string; env?: Record<string, string> } | { failsAt: string; because: RegExp };
  /** Another replay with one COPY removed: where it must then fail. */
  without?: { copy: string; failsAt: string; because: RegExp };
  /** Prepares the copy (e.g. the dependency beside it). */
  setup?: (dir: string) => void;
}

const cases: DockerCase[] = [
  {
    fixture: 'config_chain',
    release: 'chain',
    builder: ['COPY mix.exs ./', 'RUN mix deps.get --only $MIX_ENV', 'COPY config/config.exs config/sponsors.exs config/prod.exs config/prod.secret.exs config/', 'RUN mix deps.compile', 'COPY lib lib', 'RUN mix compile'],
    warnings: [/config\/prod\.secret\.exs is ignored by git \(\.gitignore\): a build from a fresh checkout \(CI\) will not have it/],
    replay: { eval: 'IO.puts(Enum.join(Chain.sponsors(), ","))', prints: 'Acme,Globex' },
    without: { copy: 'COPY config/config.exs config/sponsors.exs config/prod.exs config/prod.secret.exs config/', failsAt: 'RUN mix compile', because: /sponsors|compile_env/ },
  },
  {
    fixture: 'missing_secret',
    release: 'lacking',
    builder: ['COPY config/config.exs config/sponsors.exs config/prod.exs config/', 'RUN mix deps.compile'],
    warnings: [/config\/prod\.exs:5 imports config\/prod\.secret\.exs, which does not exist: the image build fails at `mix deps\.compile`/],
    replay: { failsAt: 'RUN mix deps.compile', because: /prod\.secret\.exs/ },
  },
  {
    fixture: 'releases_exs',
    release: 'olden',
    builder: ['COPY config/config.exs config/', 'RUN mix deps.compile', 'RUN mix compile', 'COPY config/releases.exs config/', 'COPY rel rel', 'RUN mix release'],
    warnings: [],
    // config/releases.exs runs when the release boots: its value, from the environment, wins.
    replay: { eval: 'Application.load(:olden); IO.puts(Application.fetch_env!(:olden, :greeting))', prints: 'set at boot', env: { GREETING: 'set at boot' } },
  },
  {
    fixture: 'version_file',
    release: 'stamp',
    builder: ['COPY mix.exs ./', 'COPY VERSION ./', 'RUN mix deps.get --only $MIX_ENV'],
    warnings: [],
    replay: { eval: 'Application.load(:stamp); IO.puts(Application.spec(:stamp, :vsn))', prints: '2.4.1' },
    without: { copy: 'COPY VERSION ./', failsAt: 'RUN mix deps.get --only $MIX_ENV', because: /VERSION/ },
  },
  {
    fixture: 'extra_paths',
    release: 'wire',
    builder: ['COPY lib lib', 'COPY proto/lib proto/lib', 'RUN mix compile'],
    absent: ['COPY test/support test/support'],
    warnings: [],
    replay: { eval: 'IO.puts(Wire.Proto.version())', prints: '3' },
  },
  {
    fixture: 'committed_static',
    release: 'plain_site',
    builder: ['COPY lib lib', 'COPY priv priv', 'RUN mix compile'],
    warnings: [],
    keeps: ['priv/static/assets/app.css', 'priv/static/assets/app.js'],
    replay: { eval: 'IO.puts(File.read!(Application.app_dir(:plain_site, "priv/static/assets/app.css")))', prints: 'body { color: #333; }' },
  },
  {
    fixture: 'certs_in_priv',
    release: 'vault_client',
    builder: ['COPY priv priv'],
    warnings: [/key-like files will be in the Docker build context and, under priv\/, in the image: priv\/certs\/db-ca\.pem\./],
    keeps: ['priv/certs/db-ca.pem'],
    replay: { eval: 'IO.puts(File.exists?(Application.app_dir(:vault_client, "priv/certs/db-ca.pem")))', prints: 'true' },
  },
  {
    fixture: 'path_dep_inside',
    release: 'host_app',
    builder: ['COPY mix.exs ./', 'COPY vendor/util vendor/util', 'RUN mix deps.get --only $MIX_ENV', 'RUN mix deps.compile'],
    warnings: [],
    replay: { eval: 'IO.puts(HostApp.answer())', prints: '42' },
  },
  {
    fixture: 'path_dep_outside',
    release: 'edge',
    builder: ['RUN mix deps.get --only $MIX_ENV'],
    warnings: [/dependency core comes from \.\.\/core, outside the project, which `docker build \.` cannot see: build from the parent directory \(docker build -f path_dep_outside\/Dockerfile \.\.\)/],
    setup: (dir) => {
      mkdirSync(path.join(dir, '../core/lib'), { recursive: true });
      writeFileSync(path.join(dir, '../core/mix.exs'), 'defmodule Core.MixProject do\n  use Mix.Project\n  def project, do: [app: :core, version: "0.1.0"]\nend\n');
    },
    // The builder sees the context only: the dependency is not there, as the warning says.
    replay: { failsAt: 'RUN mix deps.compile', because: /core/ },
  },
  {
    fixture: 'umbrella_configs',
    release: 'bank',
    builder: [
      'COPY apps/ledger/mix.exs apps/ledger/',
      'COPY apps/teller/mix.exs apps/teller/',
      'RUN mix deps.get --only $MIX_ENV',
      'COPY config/config.exs config/',
      'COPY apps/ledger/config/config.exs apps/ledger/config/',
      'COPY apps/teller/config/config.exs apps/teller/config/',
      'RUN mix deps.compile',
      'COPY apps apps',
      'RUN mix compile --force',
    ],
    warnings: [],
    replay: { eval: 'IO.puts(Ledger.currency() <> Teller.currency())', prints: 'EUREUR' },
  },
  {
    fixture: 'webpack_era',
    release: 'lantern',
    builder: [
      'RUN apt-get update && apt-get install -y --no-install-recommends build-essential git nodejs npm && rm -rf /var/lib/apt/lists/*',
      'RUN mix deps.get --only $MIX_ENV',
      'COPY assets/package.json assets/package-lock.json assets/',
      'RUN npm ci --prefix assets --no-audit --no-fund',
      'RUN mix compile',
      'COPY assets assets',
      'RUN npm run deploy --prefix assets',
      'RUN mix phx.digest',
      'RUN mix release',
    ],
    absent: ['RUN mix assets.deploy', 'RUN mix assets.setup', 'FROM node:${NODE_VERSION}-trixie-slim AS assets'],
    warnings: [],
    // Only npm's packages: what webpack writes to priv/static may sit beside committed files there.
    drops: ['assets/node_modules/webpack/index.js'],
    keeps: ['priv/static/images/logo.png'],
  },
  {
    fixture: 'native_ssh',
    release: 'scribe',
    builder: [
      'RUN apt-get update && apt-get install -y --no-install-recommends build-essential git curl openssh-client && rm -rf /var/lib/apt/lists/*',
      "RUN curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal",
      'RUN mkdir -p -m 0700 ~/.ssh && ssh-keyscan github.com >> ~/.ssh/known_hosts',
      'RUN --mount=type=ssh mix deps.get --only $MIX_ENV',
    ],
    warnings: [
      /git dependencies are fetched over SSH \(github\.com\): .*docker build --ssh default \./,
      /^warning: fast_html compiles native code with make/m,
    ],
  },
];

/** The builder stage's instructions, each on one line. */
function builderLines(dockerfile: string): string[] {
  const stages = dockerfile.split(/^FROM /m);
  const builder = stages.find((s) => /^\S+ AS builder\n/.test(s)) ?? '';
  return builder
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/\s+/g, ' ').trim());
}

/** A fresh copy of a fixture of test/fixtures/docker for the enclosing describe() (no toolchain needed). */
function useCopy(fixture: string): () => Workspace {
  let ws: Workspace | undefined;
  beforeAll(async () => {
    ws = await copyFixture(fixture, { from: FIXTURES });
  });
  afterAll(() => ws?.remove());
  return () => ws!;
}

describe('the Dockerfile follows the project', () => {
  for (const c of cases) {
    describe(c.fixture, () => {
      const workspace = useCopy(c.fixture);
      let result: CliResult;
      let dockerfile = '';

      it('writes the COPY and RUN lines this project needs, in a cache-friendly order, and the warnings', async () => {
        c.setup?.(workspace().dir);
        result = await runCli(ARGS, { cwd: workspace().dir });
        expect(result.code, describeOutput(result)).toBe(0);
        dockerfile = await readFile(path.join(workspace().dir, 'Dockerfile'), 'utf8');
        const lines = builderLines(dockerfile);
        const positions = c.builder.map((line) => lines.indexOf(line));
        for (const [i, line] of c.builder.entries()) expect(positions[i], `${line}\n-- in --\n${lines.join('\n')}`).toBeGreaterThanOrEqual(0);
        expect([...positions].sort((a, b) => a - b)).toEqual(positions);
        for (const line of c.absent ?? []) expect(dockerfile.split('\n')).not.toContain(line);
        const warnings = result.stdout.split('\n').filter((l) => l.startsWith('warning: ') && !l.startsWith('warning: --offline'));
        expect(warnings).toHaveLength(c.warnings.length);
        for (const w of c.warnings) expect(result.stdout).toMatch(w);
        // The build command in the summary works for this Dockerfile.
        expect(result.stdout).toContain(c.fixture === 'native_ssh' ? `docker build --ssh default -t ${c.release} .` : `docker build -t ${c.release} .`);
      });

      if (c.keeps || c.drops) {
        it('.dockerignore keeps what the image needs and drops what it rebuilds', async () => {
          const ignore = dockerignoreMatcher((await readFile(path.join(workspace().dir, '.dockerignore'), 'utf8')).split('\n'));
          for (const file of c.keeps ?? []) expect(ignore.excludes(file), file).toBe(false);
          for (const file of c.drops ?? []) expect(ignore.excludes(file), file).toBe(true);
        });
      }
    });
  }
});

describeToolchains('replaying the Dockerfile builds and starts the release from what it copied', (tc) => {
  for (const c of cases.filter((x) => x.replay)) {
    describe(c.fixture, () => {
      const workspace = useWorkspace(tc, c.fixture, FIXTURES);
      const env = (extra: Record<string, string> = {}) => tc.env(workspace(), extra);
      const replayOf = (dockerfile: string, name: string) =>
        replayBuild({ context: workspace().dir, dockerfile, scratch: path.join(workspace().scratch, name), timeoutMs: BUILD - 20_000, toolchain: tc }).catch((e: unknown) => e);
      let dockerfile = '';

      it(c.replay && 'eval' in c.replay ? `bin/${c.release} eval prints what the project built` : `fails at \`${c.replay && 'failsAt' in c.replay ? c.replay.failsAt : ''}\``, { timeout: BUILD }, async () => {
        c.setup?.(workspace().dir);
        const generated = await runCli(ARGS, { cwd: workspace().dir });
        expect(generated.code, describeOutput(generated)).toBe(0);
        dockerfile = await readFile(path.join(workspace().dir, 'Dockerfile'), 'utf8');
        const outcome = await replayOf(dockerfile, 'replay');
        const replay = c.replay!;
        if ('failsAt' in replay) {
          expect(outcome).toBeInstanceOf(ReplayError);
          expect((outcome as ReplayError).instruction).toBe(replay.failsAt);
          expect((outcome as ReplayError).output).toMatch(replay.because);
          return;
        }
        if (outcome instanceof Error) throw outcome;
        const view = runnerView(outcome as ReplayResult);
        expect(view.releaseDir).toBe(path.join((outcome as ReplayResult).app, '_build', 'prod', 'rel', c.release));
        const evaluated = await tc.runCommand(path.join(view.releaseDir, 'bin', c.release), ['eval', replay.eval], { cwd: view.releaseDir, env: env(replay.env) });
        expect(evaluated.code, describeOutput(evaluated)).toBe(0);
        expect(evaluated.stdout.trim()).toBe(replay.prints);
      });

      const without = c.without;
      if (without) {
        it(`without \`${without.copy}\` the replay fails at \`${without.failsAt}\``, { timeout: BUILD }, async () => {
          expect(dockerfile, 'the Dockerfile was not generated: see the test above').not.toBe('');
          const lines = dockerfile.split('\n');
          expect(lines).toContain(without.copy);
          const outcome = await replayOf(lines.filter((l) => l !== without.copy).join('\n'), 'replay-without');
          expect(outcome).toBeInstanceOf(ReplayError);
          expect((outcome as ReplayError).instruction).toBe(without.failsAt);
          expect((outcome as ReplayError).output).toMatch(without.because);
        });
      }
    });
  }
});
