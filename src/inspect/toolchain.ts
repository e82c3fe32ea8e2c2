import { access, constants, readFile, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Toolchain, WantedVersion } from '../types.js';
import { readMiseToml, readToolVersions, type PinnedVersions } from './toolchain-files.js';

/**
 * The Elixir and OTP versions the project wants, each from the first source that names it:
 * `.tool-versions`, `mise.toml`, `.mise.toml`, then the `elixir` and `erl` found on `env.PATH`.
 * Installed versions are read from files (OTP_VERSION, elixir.app), never by starting the BEAM,
 * which would cost more than the rest of the run.
 */
export async function detectToolchain(root: string, env: Record<string, string | undefined>): Promise<Toolchain> {
  const files = await Promise.all([
    readToolVersions(root),
    readMiseToml(root, 'mise.toml'),
    readMiseToml(root, '.mise.toml'),
  ]);
  const pinned = (tool: keyof PinnedVersions) => files.find((pins) => pins[tool])?.[tool] ?? null;
  const searchPath = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const [elixir, otp] = await Promise.all([
    pinned('elixir') ?? readInstalledElixir(searchPath),
    pinned('otp') ?? readInstalledOtp(searchPath),
  ]);
  return { elixir, otp };
}

/** Elixir on PATH: the `vsn` in `<root>/lib/elixir/ebin/elixir.app`, root found via the script. */
async function readInstalledElixir(searchPath: string[]): Promise<WantedVersion | null> {
  const script = await findExecutable(searchPath, 'elixir');
  if (!script) return null;
  const root = path.dirname(path.dirname(await realpath(script)));
  const app = await readFile(path.join(root, 'lib', 'elixir', 'ebin', 'elixir.app'), 'utf8').catch(() => '');
  // An Erlang term file, `{vsn,"1.14.0"}`; the Elixir grammar does not apply to it.
  const version = /\{\s*vsn\s*,\s*"([^"]+)"\s*\}/.exec(app)?.[1];
  return version ? { version, source: `elixir on PATH (${script})` } : null;
}

/** OTP on PATH: `<erlang root>/releases/<major>/OTP_VERSION`, root found via the `erl` script. */
async function readInstalledOtp(searchPath: string[]): Promise<WantedVersion | null> {
  const erl = await findExecutable(searchPath, 'erl');
  if (!erl) return null;
  const bin = path.dirname(await realpath(erl));
  // `erl` lives in <root>/bin, or in <root>/erts-<vsn>/bin when a link points there.
  const up = path.dirname(bin);
  const root = path.basename(up).startsWith('erts-') ? path.dirname(up) : up;
  const major = await readOtpMajor(path.join(root, 'releases'));
  if (!major) return null;
  const text = await readFile(path.join(root, 'releases', major, 'OTP_VERSION'), 'utf8').catch(() => '');
  const version = text.trim();
  return /^\d/.test(version) ? { version, source: `erl on PATH (${erl})` } : null;
}

/** `releases/start_erl.data` holds `<erts vsn> <otp major>`; else the highest numeric release. */
async function readOtpMajor(releases: string): Promise<string | null> {
  const data = await readFile(path.join(releases, 'start_erl.data'), 'utf8').catch(() => '');
  const fromData = data.trim().split(/\s+/)[1];
  if (fromData && /^\d+$/.test(fromData)) return fromData;
  const names = await readdir(releases).catch(() => [] as string[]);
  const majors = names.filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
  return majors[0] ?? null;
}

async function findExecutable(searchPath: string[], name: string): Promise<string | null> {
  for (const dir of searchPath) {
    const candidate = path.join(dir, name);
    const ok = await access(candidate, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (ok) return candidate;
  }
  return null;
}
