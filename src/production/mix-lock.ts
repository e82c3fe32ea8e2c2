// Versions of locked Hex packages (mix.lock, read by inspect/mix-lock.ts), and comparing them.
import { readMixLock } from '../inspect/mix-lock.js';

/** The locked version of each `wanted` package found in mix.lock (absent when not locked or no mix.lock). */
export async function readLockedVersions(root: string, wanted: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const locked of await readMixLock(root)) {
    if (wanted.includes(locked.name) && locked.version) found.set(locked.name, locked.version);
  }
  return found;
}

/** `version` is at least `major.minor` (pre-releases of that version count). */
export function atLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split(/[.-]/).map((part) => Number.parseInt(part, 10));
  return a > major || (a === major && b >= minor);
}
