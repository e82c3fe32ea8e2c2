import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FsOps } from '../../src/commit/index.js';
import { nodeFsOps as nodeOps } from '../../src/commit/fs-ops.js';
import type { RenderedFile } from '../../src/types.js';

/** A whole second in the past: a rewrite would change it, a restore must put it back exactly. */
export const OLD_TIME = new Date('2021-03-04T05:06:07Z');

export interface ExistingFile {
  content: string | Buffer;
  mode?: number;
}

/** A temp project holding `files` (relative path → content), each with mode and an old mtime. */
export function makeProject(files: Record<string, string | ExistingFile> = {}): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'create-release-commit-'));
  for (const [rel, spec] of Object.entries(files)) {
    const { content, mode = 0o644 } = typeof spec === 'string' ? { content: spec } : spec;
    const full = path.join(root, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
    chmodSync(full, mode);
    utimesSync(full, OLD_TIME, OLD_TIME);
  }
  return root;
}

export function rendered(filePath: string, content: string, mode = 0o644, patch?: boolean): RenderedFile {
  return patch === undefined ? { path: filePath, content, mode } : { path: filePath, content, mode, patch };
}

/** Bytes, permission bits and mtime of one file, for exact assertions. */
export function readOnDisk(root: string, rel: string): { text: string; mode: number; mtimeMs: number } {
  const full = path.join(root, rel);
  const st = statSync(full);
  return { text: readFileSync(full, 'latin1'), mode: st.mode & 0o7777, mtimeMs: st.mtimeMs };
}

export function errnoError(code: string, syscall: string, target: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${syscall} '${target}'`);
  error.code = code;
  error.syscall = syscall;
  error.path = target;
  return error;
}

/** Counts calls of one fs operation and runs `onCall(n)` before the real call. */
export function hookCall<K extends keyof FsOps>(name: K, onCall: (n: number, args: Parameters<FsOps[K]>) => void | Promise<void>): Partial<FsOps> {
  let calls = 0;
  const real = nodeOps[name] as unknown as (...args: unknown[]) => Promise<unknown>;
  const hooked = async (...args: Parameters<FsOps[K]>) => {
    await onCall(++calls, args);
    return real(...args);
  };
  return { [name]: hooked } as unknown as Partial<FsOps>;
}


/** A project with two files a run overwrites (different modes) and room for new ones. */
export function makeUserProject(): string {
  return makeProject({
    'mix.exs': 'defmodule MyApp.MixProject do\nend\n',
    Dockerfile: { content: 'FROM mine\r\n', mode: 0o600 },
    'rel/overlays/bin/server': { content: '#!/bin/sh\necho mine\n', mode: 0o700 },
  });
}

// Two overwrites, then creations in new directories (lib/, lib/my_app/): the third rename is a creation.
export const userProjectFiles = [
  rendered('Dockerfile', 'FROM hexpm/elixir\n'),
  rendered('rel/overlays/bin/server', '#!/bin/sh\nexec ./my_app start\n', 0o755),
  rendered('rel/overlays/bin/migrate', '#!/bin/sh\nexec ./my_app eval MyApp.Release.migrate\n', 0o755),
  rendered('lib/my_app/release.ex', 'defmodule MyApp.Release do\nend\n'),
];
