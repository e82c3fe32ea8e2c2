// Proof, without Docker, that the generated Dockerfile copies into the build what the build
// needs: for each end-to-end fixture, run the packed CLI with `--docker`, replay the Dockerfile's
// builder stage from the build context its .dockerignore leaves (test/helpers/docker-replay.ts),
// and use the release the runner stage would copy: `bin/<release> eval` prints ok, and the
// image's CMD starts the release and its web server answers.
//
// And proof that the replay proves something: the same Dockerfile with one needed COPY removed
// fails at the step that needed it. Some COPYs are not needed by any build step (`COPY lib lib`:
// Mix builds an empty application without complaint, and so would `docker build`); their absence
// shows only when the release starts, which is why the start is part of the check.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ReplayError, replayBuild, runnerView, type ReplayResult } from '../helpers/docker-replay.js';
import { findFreePort, stopProcess, waitForHttp } from '../helpers/elixir.js';
import { describeToolchains, useWorkspace, type Toolchain } from '../helpers/toolchains.js';
import { describeOutput, e2eCases, type E2eCase, type Workspace } from '../e2e/cases.js';

const STEP = 120_000;
const BUILD = 240_000;
// Only image tags follow from these; the replay builds with the host's Elixir.
const DOCKER_ARGS = ['--docker', '--elixir', '1.18.4', '--otp', '27.3.4'];

/** A Dockerfile with one COPY removed, and where the replay must then stop. */
interface Removal {
  copy: string;
  /** The instruction that must fail, or null when the build succeeds (as Docker's would) and only the release's start fails. */
  failsAt: string | null;
  because: RegExp;
}

const removals: Record<string, Removal[]> = {
  phx_like: [
    { copy: 'COPY mix.exs ./', failsAt: 'RUN mix deps.get --only $MIX_ENV', because: /Could not find a Mix\.Project/ },
    { copy: 'COPY lib lib', failsAt: null, because: /PhxLike\.Application/ },
  ],
  umbrella: [
    { copy: 'COPY apps/data_app/mix.exs apps/data_app/', failsAt: 'RUN mix deps.compile', because: /data_app/ },
    { copy: 'COPY apps apps', failsAt: null, because: /WebApp\.Application|DataApp/ },
  ],
};

// On each toolchain (the builder image's Elixir stands for today's); a missing one skips locally and fails in CI.
describeToolchains('build replay of the generated Dockerfile', (tc) => {
  for (const c of e2eCases) describeCase(c, tc);
});

function describeCase(c: E2eCase, tc: Toolchain): void {
  describe(c.fixture, () => {
    const workspace = useWorkspace(tc, c.fixture);
    let dockerfile = '';
    let replay: ReplayResult | undefined;
    const env = (extra: Record<string, string> = {}) => tc.env(workspace(), extra);

    it(`the CLI writes the Dockerfile (create-release ${[...c.cliArgs, ...DOCKER_ARGS].join(' ')})`, { timeout: STEP }, async () => {
      const result = await runCli([...c.cliArgs, ...DOCKER_ARGS], { cwd: workspace().dir });
      expect(result.code, describeOutput(result)).toBe(0);
      dockerfile = await readFile(path.join(workspace().dir, 'Dockerfile'), 'utf8');
      expect(dockerfile).toMatch(/^RUN mix release/m);
    });

    it('replays the builder stage: mix deps.get, compile and release from what the Dockerfile copied', { timeout: BUILD }, async () => {
      need(dockerfile !== '', 'the Dockerfile was not generated');
      replay = await replayBuild({ context: workspace().dir, dockerfile, scratch: path.join(workspace().scratch, 'replay'), timeoutMs: BUILD - 20_000, toolchain: tc });
      expect(replay.stage).toBe('builder');
      expect(replay.workdir).toBe('/app');
      const ran = replay.steps.filter((s) => s.status === 'done' && s.instruction.startsWith('RUN')).map((s) => s.detail);
      // An umbrella's apps were built empty by deps.compile: its compile is forced (see the Dockerfile).
      const compile = c.fixture === 'umbrella' ? 'ran `mix compile --force`' : 'ran `mix compile`';
      expect(ran).toEqual(['ran `mix deps.get --only prod`', 'ran `mkdir config`', 'ran `mix deps.compile`', compile, expect.stringMatching(/^ran `mix release/)]);
      // Nothing the build needs was skipped: only the system and network set-up.
      const skipped = replay.steps.filter((s) => s.status === 'skipped' && !s.instruction.startsWith('FROM')).map((s) => s.instruction);
      expect(skipped).toEqual([
        'RUN apt-get update && apt-get install -y --no-install-recommends build-essential git && rm -rf /var/lib/apt/lists/*',
        'RUN mix local.hex --force && mix local.rebar --force',
      ]);
    });

    it("the runner stage's COPY --from=builder names the replayed release, and bin/<release> eval prints ok", { timeout: STEP }, async () => {
      need(replay !== undefined, 'the replay did not complete');
      const view = runnerView(replay!);
      expect(view.releaseDir).toBe(path.join(replay!.app, '_build', 'prod', 'rel', c.release));
      const result = await tc.runCommand(path.join(view.releaseDir, 'bin', c.release), ['eval', 'IO.puts(:ok)'], { cwd: replay!.app, env: env() });
      expect(result.code, describeOutput(result)).toBe(0);
      expect(result.stdout.trim()).toBe('ok');
    });

    it("the image's CMD starts the replayed release and its web server answers", { timeout: STEP }, async () => {
      need(replay !== undefined, 'the replay did not complete');
      const { answer } = await startAsTheImageWould(replay!, workspace(), c, tc);
      if (answer instanceof Error) throw answer;
      expect(answer).toEqual({ status: 200, body: c.body });
    });

    for (const removal of removals[c.fixture] ?? []) {
      it(`without \`${removal.copy}\` the replay fails ${removal.failsAt ? `at \`${removal.failsAt}\`` : 'when the release starts'}`, { timeout: BUILD }, async () => {
        need(dockerfile !== '', 'the Dockerfile was not generated');
        const lines = dockerfile.split('\n');
        const at = lines.indexOf(removal.copy);
        expect(at, `the Dockerfile has no line ${removal.copy}`).toBeGreaterThanOrEqual(0);
        const without = [...lines.slice(0, at), ...lines.slice(at + 1)].join('\n');
        const scratch = path.join(workspace().scratch, `replay-without-${at}`);
        const outcome = await replayBuild({ context: workspace().dir, dockerfile: without, scratch, timeoutMs: BUILD - 20_000, toolchain: tc }).catch((e: unknown) => e);
        if (removal.failsAt) {
          expect(outcome).toBeInstanceOf(ReplayError);
          const error = outcome as ReplayError;
          expect(error.instruction).toBe(removal.failsAt);
          expect(without.split('\n')[error.line - 1]).toBe(removal.failsAt);
          expect(error.message).toContain(`Dockerfile line ${error.line} (stage builder): ${removal.failsAt}`);
          expect(error.output).toMatch(removal.because);
        } else {
          // The build cannot tell (Docker's would not either), nor can `eval`; the release's start does.
          if (outcome instanceof Error) throw outcome;
          const view = runnerView(outcome as ReplayResult);
          const evaluated = await tc.runCommand(path.join(view.releaseDir, 'bin', c.release), ['eval', 'IO.puts(:ok)'], { cwd: view.releaseDir, env: env() });
          expect(evaluated.stdout.trim(), describeOutput(evaluated)).toBe('ok');
          const { answer, output } = await startAsTheImageWould(outcome as ReplayResult, workspace(), c, tc);
          expect(answer).toBeInstanceOf(Error);
          expect(output).toMatch(removal.because);
        }
      });
    }
  });
}

/** Runs the runner stage's CMD against the replayed release, as `docker run` would start it. */
async function startAsTheImageWould(replay: ReplayResult, ws: Workspace, c: E2eCase, tc: Toolchain) {
  const view = runnerView(replay);
  // Every fixture is Phoenix-shaped: the image starts bin/server, which sets PHX_SERVER.
  expect(view.cmd).toEqual([path.join(view.releaseDir, 'bin', 'server')]);
  const port = await findFreePort();
  const server = tc.startProcess(view.cmd[0]!, view.cmd.slice(1), { cwd: view.releaseDir, env: tc.env(ws, { PORT: String(port) }) });
  const answer = await waitForHttp(`http://127.0.0.1:${port}/`, server, 60_000).catch((error: Error) => error);
  await stopProcess(server);
  return { answer, output: server.output() };
}

function need(condition: boolean, what: string): void {
  if (!condition) throw new Error(`${what}: see the first failing test of this fixture`);
}
