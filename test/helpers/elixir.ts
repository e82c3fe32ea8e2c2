// Helpers for the end-to-end tests on a real Elixir toolchain: find the tools, run mix, start a
// release in its own process group, talk HTTP to it on 127.0.0.1, and make sure it is gone.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The tools the end-to-end tests need that are not on PATH. */
export function findMissingTools(tools: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return tools.filter((tool) => !dirs.some((dir) => isExecutable(path.join(dir, tool))));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why the end-to-end tests cannot run here, or null when they can. In CI a missing tool is an
 * error (the caller fails the suite): a test is never silently skipped there.
 */
export function checkToolchain(tools: string[], env: NodeJS.ProcessEnv = process.env): { missing: string | null; ci: boolean } {
  const missing = findMissingTools(tools, env);
  const ci = env.CI === 'true' || env.CI === '1';
  return { missing: missing.length > 0 ? `not on PATH: ${missing.join(', ')} (apt-get install elixir shellcheck)` : null, ci };
}

/** Runs a command to completion, collecting its output; never rejects for a non-zero exit. */
export function runCommand(
  command: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // A command that hangs (e.g. mix asking a question) is killed with its whole group.
    const timer = setTimeout(() => killProcessGroup(child.pid, 'SIGKILL'), opts.timeoutMs ?? 200_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr: signal ? `${stderr}\n(killed by ${signal})` : stderr });
    });
  });
}

/**
 * The environment for mix and the release: a private HOME and MIX_HOME (nothing of the user's
 * leaks in or out), no inherited PHX_SERVER (the server script must be what sets it), and no
 * Erlang distribution, so starting a release does not leave an `epmd` daemon behind. `base` is
 * what the rest comes from: this process's environment on the host, next to nothing in a chroot.
 */
export function makeElixirEnv(home: string, extra: Record<string, string> = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const key of ['PHX_SERVER', 'MIX_ENV', 'MIX_TARGET', 'MIX_EXS', 'MIX_BUILD_PATH', 'MIX_DEPS_PATH', 'ERL_AFLAGS', 'ERL_FLAGS', 'ELIXIR_ERL_OPTIONS', 'PORT', 'MIGRATOR_LOG']) {
    delete env[key];
  }
  for (const key of Object.keys(env)) if (key.startsWith('RELEASE_')) delete env[key];
  return { ...env, HOME: home, MIX_HOME: path.join(home, '.mix'), HEX_OFFLINE: '1', RELEASE_DISTRIBUTION: 'none', LANG: 'C.UTF-8', ...extra };
}

/** Runs `mix <args>` in a project. */
export function runMix(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CommandResult> {
  return runCommand('mix', args, opts);
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** GET a URL on 127.0.0.1 (with `headers`, if any); rejects on a connection error or after `timeoutMs`. */
export function httpGet(url: string, timeoutMs = 5_000, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { timeout: timeoutMs, agent: false, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}

/** A process started in its own process group, with its output kept for error messages. */
export interface StartedProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or 128 + signal) once the process has exited. */
  exited: Promise<number>;
  hasExited: () => boolean;
  /** Who started it, for stopping only one's own processes (see stopAllProcesses). */
  owner?: object;
}

const started = new Set<StartedProcess>();

/** Starts a long-running command (a release) detached, so its whole group can be stopped. */
export function startProcess(command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; owner?: object }): StartedProcess {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  let done = false;
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number>((resolve) => {
    child.on('error', (error) => {
      output += `\n(could not start: ${error.message})`;
      done = true;
      resolve(127);
    });
    child.on('exit', (code, signal) => {
      done = true;
      resolve(code ?? 128 + (signal ? (signalNumbers[signal] ?? 0) : 0));
    });
  });
  const handle: StartedProcess = { child, output: () => output, exited, hasExited: () => done, owner: opts.owner };
  started.add(handle);
  return handle;
}

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** Sends a signal to a whole process group; a group that is already gone is not an error. */
export function killProcessGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing left in the group.
  }
}

/** Asks the group to stop (SIGTERM: the VM shuts down gracefully), then kills what remains. */
export async function stopProcess(handle: StartedProcess, graceMs = 15_000): Promise<number> {
  killProcessGroup(handle.child.pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
  const result = await Promise.race([handle.exited, timedOut]);
  clearTimeout(timer);
  // Children of the VM (erl_child_setup, port programs) share its group: kill any stragglers.
  killProcessGroup(handle.child.pid, 'SIGKILL');
  started.delete(handle);
  return result === 'timeout' ? handle.exited : result;
}

/**
 * Stops every process this module started and has not stopped yet (for afterAll/afterEach), or
 * only those started with this `owner` (suites running side by side stop only their own).
 */
export async function stopAllProcesses(owner?: object): Promise<void> {
  const stopping = [...started].filter((handle) => owner === undefined || handle.owner === owner);
  await Promise.all(stopping.map((handle) => stopProcess(handle, 5_000)));
}

// Last resort when the test worker exits without running its hooks.
process.once('exit', () => {
  for (const handle of started) killProcessGroup(handle.child.pid, 'SIGKILL');
});

/**
 * Polls `url` until it answers, the process exits, or `timeoutMs` passes. Fails with the
 * process's output so a boot error is visible in the test report.
 */
export async function waitForHttp(url: string, handle: StartedProcess, timeoutMs = 60_000): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (handle.hasExited()) {
      throw new Error(`the release exited with code ${await handle.exited} before answering ${url}; its output:\n${handle.output()}`);
    }
    try {
      return await httpGet(url, 2_000);
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no HTTP answer from ${url} within ${timeoutMs / 1000} s (last error: ${lastError}); the release's output:\n${handle.output()}`);
}
