// Types for scripts/trixie-root.mjs, which the test helpers import.
/** PATH for commands inside the root. */
export const ROOT_PATH: string;
export function trixiePackages(): string[];
export function trixieRootDir(): string;
export function isTrixieRootReady(dir?: string): boolean;
export function chrootProblem(): string | null;
export function chrootCommand(
  root: string,
  command: string,
  args?: string[],
  opts?: { cwd?: string; env?: Record<string, string> },
): { command: string; args: string[] };
export function mountsUnder(dir: string): string[];
export function removeTree(dir: string): void;
export function makeTrixieRoot(opts?: { log?: (line: string) => void }): { dir: string; made: boolean };
