#!/usr/bin/env node
// Makes the root the end-to-end tests run "today's toolchain" in: a `debootstrap --variant=minbase`
// Debian trixie with trixie's own Elixir 1.18 / OTP 27 (the package list of .ci/elixir-packages),
// once per machine, cached outside the repository:
//   /var/cache/create-release/trixie-<short hash of what goes in>   ($CREATE_RELEASE_CACHE)
// A root is built under a temporary name and renamed when complete, so an interrupted build never
// leaves a half root under the name the tests look for. Every mount made while building or running
// lives in a private mount namespace (unshare --mount) and vanishes with it, even on SIGKILL: a root
// never keeps /dev or /proc bound into it for an `rm -rf` to walk into.
//
// Usage, as root:  node scripts/trixie-root.mjs         make the root unless it is there; print its path
//                  node scripts/trixie-root.mjs --path  print where the root is (or would be)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SUITE = 'trixie';
const MIRROR = 'http://deb.debian.org/debian';
// Beyond the toolchain the tests need nothing inside yet: C.UTF-8 is built into trixie's glibc and
// nothing inside talks TLS. Add names here (the root's hash changes, so machines make a new one).
const EXTRA_PACKAGES = [];
// Bump when the way a root is made changes.
const RECIPE = 1;
// Written last into a complete root, before the rename.
const READY_MARKER = '.create-release-root';
/** PATH for commands inside the root. */
export const ROOT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The Debian packages installed in the root, sorted. */
export function trixiePackages() {
  const listed = readFileSync(path.join(repo, '.ci/elixir-packages'), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
  return [...new Set([...listed, ...EXTRA_PACKAGES])].sort();
}

/** Where this machine keeps (or will keep) the root for the current package list. */
export function trixieRootDir() {
  const key = JSON.stringify({ suite: SUITE, recipe: RECIPE, packages: trixiePackages() });
  const cache = process.env.CREATE_RELEASE_CACHE || '/var/cache/create-release';
  return path.join(cache, `${SUITE}-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`);
}

/** Whether a complete root is at `dir`. */
export function isTrixieRootReady(dir = trixieRootDir()) {
  return existsSync(path.join(dir, READY_MARKER));
}

/** Why commands cannot run in a root on this machine (not root, a tool missing), or null. */
export function chrootProblem() {
  if (process.getuid?.() !== 0) return 'chroot needs root';
  const missing = ['unshare', 'mount', 'chroot'].filter((tool) => !onPath(tool));
  return missing.length > 0 ? `not on PATH: ${missing.join(', ')} (apt-get install util-linux coreutils)` : null;
}

/**
 * The command line that runs `command args` inside `root`, in `cwd` (a path inside the root) with
 * exactly `env`: a private mount namespace binds the host's /proc and /dev into the root, then
 * chroot. The mounts exist only while the command runs. Every step execs the next, so the process
 * started is the command itself and a signal to its process group reaches all it started.
 */
export function chrootCommand(root, command, args = [], { cwd = '/', env = { PATH: ROOT_PATH } } = {}) {
  const mountAndEnter = 'root=$1; shift; mount --bind /proc "$root/proc" && mount --rbind /dev "$root/dev" && exec chroot "$root" "$@"';
  const enterCwd = 'cd "$1" && shift && exec "$@"';
  const assignments = Object.entries(env).map(([key, value]) => `${key}=${value}`);
  return {
    command: 'unshare',
    args: ['--mount', '--propagation', 'private', '--', '/bin/sh', '-c', mountAndEnter, 'sh', root,
      '/usr/bin/env', '-i', ...assignments, '/bin/sh', '-c', enterCwd, 'sh', cwd, command, ...args],
  };
}

/** Mount points at or below `dir` in this process's mount namespace (findmnt's view). */
export function mountsUnder(dir) {
  const prefix = path.resolve(dir);
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ')[4].replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8))))
    .filter((mountPoint) => mountPoint === prefix || mountPoint.startsWith(`${prefix}/`));
}

/** Removes a directory tree, refusing when anything is mounted in it; never crosses into a mount. */
export function removeTree(dir) {
  const mounted = mountsUnder(dir);
  if (mounted.length > 0) throw new Error(`refusing to remove ${dir}: ${mounted.join(', ')} is mounted in it`);
  run('rm', ['-rf', '--one-file-system', '--', dir]);
}

/**
 * Makes the root unless a complete one is there (then only refreshes its /etc/hosts); returns its
 * path and whether it was made now. Throws an Error with a one-line message when it cannot.
 */
export function makeTrixieRoot({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const dir = trixieRootDir();
  if (isTrixieRootReady(dir)) {
    copyHosts(dir);
    return { dir, made: false };
  }
  const problem = chrootProblem() ?? (onPath('debootstrap') ? null : 'debootstrap is not installed (apt-get install debootstrap)');
  if (problem) throw new Error(problem);
  mkdirSync(path.dirname(dir), { recursive: true });
  removeAbandonedBuilds(dir);
  const building = `${dir}.building-${process.pid}`;
  const logFile = `${building}.log`;
  const out = openSync(logFile, 'w');
  const step = (what, command, args) => {
    log(`trixie root: ${what}`);
    run(command, args, { out, what, logFile });
  };
  try {
    step(`debootstrap --variant=minbase ${SUITE} from ${MIRROR}`, 'unshare',
      ['--mount', '--propagation', 'private', '--', 'debootstrap', '--variant=minbase', SUITE, building, MIRROR]);
    // Package scripts must not start daemons (epmd) inside the root.
    writeFileSync(path.join(building, 'usr/sbin/policy-rc.d'), '#!/bin/sh\nexit 101\n');
    chmodSync(path.join(building, 'usr/sbin/policy-rc.d'), 0o755);
    if (existsSync('/etc/resolv.conf')) copyFileSync('/etc/resolv.conf', path.join(building, 'etc/resolv.conf'));
    copyHosts(building);
    const packages = trixiePackages();
    const install = 'apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" && apt-get clean && rm -rf /var/lib/apt/lists/*';
    const inside = chrootCommand(building, '/bin/sh', ['-c', install, 'sh', ...packages], {
      env: { PATH: ROOT_PATH, DEBIAN_FRONTEND: 'noninteractive', ...proxyEnv() },
    });
    step(`apt-get install ${packages.join(' ')}`, inside.command, inside.args);
    const check = chrootCommand(building, 'elixir', ['--version'], { env: { PATH: ROOT_PATH, HOME: '/root', LANG: 'C.UTF-8' } });
    step('elixir --version', check.command, check.args);
    writeFileSync(path.join(building, READY_MARKER), `${JSON.stringify({ suite: SUITE, recipe: RECIPE, packages, made: new Date().toISOString() })}\n`);
  } catch (error) {
    closeSync(out);
    removeTree(building);
    throw error;
  }
  closeSync(out);
  try {
    renameSync(building, dir);
  } catch (error) {
    // Another build finished first: keep its root.
    removeTree(building);
    if (!isTrixieRootReady(dir)) throw error;
  }
  removeTree(logFile);
  return { dir, made: true };
}

function copyHosts(root) {
  // Node names (name@host) must resolve inside as they do outside.
  const hosts = readFileSync('/etc/hosts');
  const target = path.join(root, 'etc/hosts');
  if (existsSync(target) && readFileSync(target).equals(hosts)) return;
  writeFileSync(`${target}.new`, hosts);
  renameSync(`${target}.new`, target);
}

/** Removes what builds killed before their rename left behind (their process is gone). */
function removeAbandonedBuilds(dir) {
  const base = `${path.basename(dir)}.building-`;
  for (const entry of readdirSync(path.dirname(dir))) {
    if (!entry.startsWith(base)) continue;
    const pid = Number(entry.slice(base.length).replace(/\.log$/, ''));
    if (Number.isInteger(pid) && !isAlive(pid)) removeTree(path.join(path.dirname(dir), entry));
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function proxyEnv() {
  const names = ['http_proxy', 'https_proxy', 'no_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY'];
  return Object.fromEntries(names.filter((name) => process.env[name]).map((name) => [name, process.env[name]]));
}

function onPath(tool) {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(path.join(dir, tool)));
}

function run(command, args, { out, what = command, logFile } = {}) {
  const result = spawnSync(command, args, { stdio: ['ignore', out ?? 'pipe', out ?? 'pipe'] });
  if (result.error) throw new Error(`${what}: ${result.error.message}`);
  if (result.status !== 0) {
    const details = logFile ? tail(logFile) : String(result.stderr ?? '').trim();
    const error = new Error(`${what} failed (exit ${result.status ?? result.signal})${logFile ? `; log: ${logFile}` : ''}`);
    throw Object.assign(error, { details });
  }
}

function tail(file, lines = 15) {
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--path')) {
    console.log(trixieRootDir());
  } else {
    const started = Date.now();
    try {
      const { dir, made } = makeTrixieRoot();
      console.log(made ? `trixie root made at ${dir} in ${Math.round((Date.now() - started) / 1000)} s` : `trixie root ready at ${dir}`);
    } catch (error) {
      // The details (a log's tail) first, then the one line that says what failed.
      if (error?.details) console.error(error.details);
      console.error(`trixie root: cannot make the Debian ${SUITE} root at ${trixieRootDir()}: ${error?.message ?? error}`);
      process.exit(1);
    }
  }
}
