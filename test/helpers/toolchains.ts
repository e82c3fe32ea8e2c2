// The Elixir toolchains the end-to-end suites run on, behind one interface: the host's (Debian 12:
// Elixir 1.14 / OTP 25) and today's (Debian trixie's Elixir 1.18 / OTP 27 in the root that
// scripts/trixie-root.mjs makes, entered with chroot). A suite calls `describeToolchains` and
// writes its tests once against a `Toolchain`.
//
// In the chroot the project lives inside the root (scratch dirs under <root>/tmp), so the test
// reads and writes it at host paths while commands see it at `pathFor(hostPath)`. Commands run
// through `chrootCommand` (unshare --mount, /proc and /dev bound in, chroot, env -i): the mounts
// live only as long as the command, and the command is the leader of its own process group, so
// `stopProcess` stops a release inside the root as it stops one on the host. The root shares the
// host's network: http://127.0.0.1:<port> reaches a release started inside it.
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolChecksOff } from './suite.js';
import {
  chrootCommand,
  chrootProblem,
  isTrixieRootReady,
  mountsUnder,
  removeTree,
  ROOT_PATH,
  trixieRootDir,
} from '../../scripts/trixie-root.mjs';
import {
  checkToolchain,
  findMissingTools,
  makeElixirEnv,
  runCommand,
  runMix,
  startProcess,
  stopAllProcesses,
  type CommandResult,
  type StartedProcess,
} from './elixir.js';
import { copyFixture, type Workspace } from '../e2e/cases.js';

export type { Workspace };

export interface RunOptions {
  /** A host path; the toolchain maps it to where its commands see it. */
  cwd: string;
  /** From `Toolchain.env`: the whole environment the command gets. */
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export interface Toolchain {
  id: 'host' | 'trixie';
  /** For describe names, so a failure names the toolchain: versions read from the toolchain. */
  name: string;
  /** What `elixir --version` says, or null when the toolchain is unavailable. */
  versions: { elixir: string; otp: string; erts: string } | null;
  /** The root commands run in, or null on the host. */
  root: string | null;
  /** Why this toolchain cannot run here, or null when it can. */
  unavailable: string | null;
  /** Copies test/fixtures/e2e/<fixture> (or `from`/<fixture>) to where this toolchain builds (inside its root). */
  makeWorkspace(fixture: string, from?: string): Promise<Workspace>;
  /** makeElixirEnv for this toolchain: private HOME and MIX_HOME in `ws`, plus `extra`. */
  env(ws: Workspace, extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** The same with HOME at a host path of one's own (a replay's scratch). */
  envAt(home: string, extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** The path this toolchain's commands see for a host path (for arguments and env values). */
  pathFor(hostPath: string): string;
  runMix(args: string[], opts: RunOptions): Promise<CommandResult>;
  /** `command` is a name on the toolchain's PATH or a host path (mapped with pathFor). */
  runCommand(command: string, args: string[], opts: RunOptions): Promise<CommandResult>;
  /** Starts a release in its own process group; stop it with stopProcess. */
  startProcess(command: string, args: string[], opts: Omit<RunOptions, 'timeoutMs'>): StartedProcess;
  /** Stops what this toolchain started and is still running (not other toolchains' processes). */
  stopProcesses(): Promise<void>;
}

/** What a toolchain is before `elixir --version` has named it. */
type ToolchainBase = Omit<Toolchain, 'name' | 'versions' | 'stopProcesses' | 'startProcess' | 'env'> & {
  startProcess(command: string, args: string[], opts: Omit<RunOptions, 'timeoutMs'> & { owner: object }): StartedProcess;
};

const { ci } = checkToolchain([]);

/** copyFixture under `parent`, removed without ever crossing into a mount. */
async function makeWorkspaceIn(parent: string, fixture: string, from?: string): Promise<Workspace> {
  const ws = await copyFixture(fixture, { parent, from });
  return { ...ws, remove: async () => removeTree(ws.scratch) };
}

function hostToolchain(): ToolchainBase {
  return {
    id: 'host',
    root: null,
    unavailable: checkToolchain(['mix', 'elixir']).missing,
    makeWorkspace: (fixture, from) => makeWorkspaceIn(os.tmpdir(), fixture, from),
    envAt: (home, extra) => makeElixirEnv(home, extra),
    pathFor: (hostPath) => hostPath,
    runMix,
    runCommand,
    startProcess,
  };
}

function chrootToolchain(root: string): ToolchainBase {
  const pathFor = (hostPath: string): string => {
    const inside = path.relative(root, path.resolve(hostPath));
    if (inside.startsWith('..') || path.isAbsolute(inside)) throw new Error(`${hostPath} is outside the root ${root}`);
    return `/${inside}`;
  };
  // The command line that runs it inside; the host side of it needs only this process's PATH.
  const enter = (command: string, args: string[], opts: RunOptions & { owner?: object }) => {
    const env = Object.fromEntries(Object.entries(opts.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const inside = chrootCommand(root, command.startsWith('/') ? pathFor(command) : command, args, { cwd: pathFor(opts.cwd), env });
    return [inside.command, inside.args, { cwd: '/', env: { PATH: process.env.PATH }, timeoutMs: opts.timeoutMs, owner: opts.owner }] as const;
  };
  const unavailable = isTrixieRootReady(root) ? chrootProblem() : `no Debian trixie root at ${root} (make it as root: node scripts/trixie-root.mjs)`;
  return {
    id: 'trixie',
    root,
    unavailable,
    makeWorkspace: (fixture, from) => makeWorkspaceIn(path.join(root, 'tmp'), fixture, from),
    envAt: (home, extra) => makeElixirEnv(pathFor(home), extra, { PATH: ROOT_PATH }),
    pathFor,
    runMix: (args, opts) => runCommand(...enter('mix', args, opts)),
    runCommand: (command, args, opts) => runCommand(...enter(command, args, opts)),
    startProcess: (command, args, opts) => startProcess(...enter(command, args, opts)),
  };
}

/** Names the toolchain after what `elixir --version` says inside it, or says why it cannot run. */
async function nameToolchain(base: ToolchainBase, where: string): Promise<Toolchain> {
  const owner = {};
  const own = {
    startProcess: (command: string, args: string[], opts: Omit<RunOptions, 'timeoutMs'>) => base.startProcess(command, args, { ...opts, owner }),
    stopProcesses: () => stopAllProcesses(owner),
    env: (ws: Workspace, extra?: Record<string, string>) => base.envAt(ws.home, extra),
  };
  if (base.unavailable) return { ...base, ...own, name: where, versions: null };
  const env = { PATH: base.root ? ROOT_PATH : (process.env.PATH ?? ''), LANG: 'C.UTF-8' };
  const answer = await base.runCommand('elixir', ['--version'], { cwd: base.root ?? os.tmpdir(), env, timeoutMs: 30_000 });
  const [, otp, erts] = /Erlang\/OTP (\d+) \[erts-([\d.]+)\]/.exec(answer.stdout) ?? [];
  const elixir = /^Elixir (\S+)/m.exec(answer.stdout)?.[1];
  if (answer.code !== 0 || !otp || !erts || !elixir) {
    const unavailable = `elixir --version failed (exit ${answer.code}): ${answer.stdout}${answer.stderr}`.trim();
    return { ...base, ...own, name: where, versions: null, unavailable };
  }
  return { ...base, ...own, name: `Elixir ${elixir} / OTP ${otp} (${where})`, versions: { elixir, otp, erts } };
}

/** Every toolchain the end-to-end suites run on, named once per test file. */
export const toolchains: Toolchain[] = await Promise.all([
  nameToolchain(hostToolchain(), 'host'),
  nameToolchain(chrootToolchain(trixieRootDir()), 'Debian trixie chroot'),
]);

/**
 * One describe per toolchain, `<title> > on <toolchain name> > ...`, the toolchains side by side
 * (a build is mostly one busy core; the test files run one at a time) and each one's tests in
 * order. A toolchain (or a host tool in `hostTools`) missing here skips its describe with the
 * reason in its name; in CI (CI=true) it fails instead. What a toolchain started is stopped at
 * its end; after a chroot suite nothing may stay mounted in the root.
 */
export function describeToolchains(title: string, body: (toolchain: Toolchain) => void, opts: { hostTools?: string[] } = {}): void {
  const missingTools = findMissingTools(opts.hostTools ?? []);
  for (const toolchain of toolchains) {
    const why = toolchain.unavailable ?? (missingTools.length > 0 ? `not on PATH: ${missingTools.join(', ')}` : null);
    const skipped = why && !ci ? ` (skipped: ${why})` : '';
    if (skipped) console.warn(`${title} on ${toolchain.name} skipped: ${why}; in CI (CI=true) this fails instead`);
    describe(title, { concurrent: true }, () => {
      describe(`on ${toolchain.name}${skipped}`, { sequential: true, skip: skipped !== '' }, () => {
        beforeAll(() => {
          if (why) throw new Error(`CI needs ${toolchain.name}: ${why}`);
        });
        afterAll(() => toolchain.stopProcesses());
        body(toolchain);
        const root = toolchain.root;
        if (root) it('leaves nothing mounted in the root', () => expect(mountsUnder(root)).toEqual([]));
      });
    });
  }
}

/** A fresh copy of a fixture (of `from`, the end-to-end fixtures by default) where `toolchain` builds, for the enclosing describe(). */
export function useWorkspace(toolchain: Toolchain, fixture: string, from?: string): () => Workspace {
  let ws: Workspace | undefined;
  beforeAll(async () => {
    ws = await toolchain.makeWorkspace(fixture, from);
  });
  afterAll(async () => {
    await toolchain.stopProcesses();
    await ws?.remove();
  });
  return () => {
    if (!ws) throw new Error(`the copy of ${fixture} was not made`);
    return ws;
  };
}

/**
 * `describe(title, body)` for tests that need host tools (elixir, shellcheck...) but build no
 * release: locally a missing tool skips the suite with the reason in its name; in CI it fails.
 */
export function describeWithTools(title: string, tools: string[], body: () => void): void {
  if (toolChecksOff) {
    describe.skip(title, body);
    return;
  }
  const missing = findMissingTools(tools);
  const why = missing.length > 0 ? `not on PATH: ${missing.join(', ')}` : null;
  const skipped = why && !ci ? ` (skipped: ${why})` : '';
  describe(`${title}${skipped}`, { skip: skipped !== '' }, () => {
    beforeAll(() => {
      if (why) throw new Error(`CI needs ${why}`);
    });
    body();
  });
}
