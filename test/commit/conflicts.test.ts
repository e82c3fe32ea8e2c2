import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commitFiles, ConflictError, type CommitOptions } from '../../src/commit/index.js';
import { CreateReleaseError, InterruptedError } from '../../src/errors.js';
import type { FileStatus } from '../../src/types.js';
import { snapshotTree } from '../helpers/tree.js';
import { makeProject, OLD_TIME, readOnDisk, rendered, type ExistingFile } from './project.js';

const TARGET = 'rel/overlays/bin/server';
const OLD = '#!/bin/sh\necho mine\n';
const NEW = '#!/bin/sh\nset -eu\nexec ./my_app start\n';

type State = 'missing' | 'identical' | 'different';
type Answer = 'overwrite' | 'skip' | 'all' | 'quit';
/** What the target holds afterwards: the new file, the user's untouched file, or nothing at all. */
type Disk = 'new' | 'old' | 'absent';

interface Row {
  state: State;
  policy: CommitOptions['policy'];
  dryRun?: boolean;
  answer?: Answer;
  status?: FileStatus;
  error?: { type: new (...args: never[]) => CreateReleaseError; exitCode: number };
  disk: Disk;
  asked: boolean;
  diff: boolean;
}

const interrupted = { type: InterruptedError, exitCode: 130 };
const conflict = { type: ConflictError, exitCode: 1 };

const rows: Row[] = [
  // missing: always created, never asked, whatever the policy
  ...(['force', 'skip', 'fail', 'ask'] as const).map((policy): Row => ({ state: 'missing', policy, status: 'create', disk: 'new', asked: false, diff: false })),
  // identical: untouched (same mtime), never asked
  ...(['force', 'skip', 'fail', 'ask'] as const).map((policy): Row => ({ state: 'identical', policy, status: 'identical', disk: 'old', asked: false, diff: false })),
  // different, non-interactive
  { state: 'different', policy: 'force', status: 'overwrite', disk: 'new', asked: false, diff: false },
  { state: 'different', policy: 'skip', status: 'skip', disk: 'old', asked: false, diff: false },
  { state: 'different', policy: 'fail', error: conflict, disk: 'old', asked: false, diff: false },
  // different, interactive
  { state: 'different', policy: 'ask', answer: 'overwrite', status: 'overwrite', disk: 'new', asked: true, diff: false },
  { state: 'different', policy: 'ask', answer: 'skip', status: 'skip', disk: 'old', asked: true, diff: false },
  { state: 'different', policy: 'ask', answer: 'all', status: 'overwrite', disk: 'new', asked: true, diff: false },
  { state: 'different', policy: 'ask', answer: 'quit', error: interrupted, disk: 'old', asked: true, diff: false },
  // dry runs: the statuses a real run would have, diffs for what would change, nothing touched
  ...(['force', 'skip', 'fail', 'ask'] as const).map((policy): Row => ({ state: 'missing', policy, dryRun: true, status: 'create', disk: 'absent', asked: false, diff: true })),
  ...(['force', 'skip', 'fail', 'ask'] as const).map((policy): Row => ({ state: 'identical', policy, dryRun: true, status: 'identical', disk: 'old', asked: false, diff: false })),
  { state: 'different', policy: 'force', dryRun: true, status: 'overwrite', disk: 'old', asked: false, diff: true },
  { state: 'different', policy: 'skip', dryRun: true, status: 'skip', disk: 'old', asked: false, diff: false },
  { state: 'different', policy: 'fail', dryRun: true, status: 'conflict', disk: 'old', asked: false, diff: true },
  { state: 'different', policy: 'ask', dryRun: true, status: 'conflict', disk: 'old', asked: false, diff: true },
];

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function projectIn(state: State): string {
  const existing: Record<string, ExistingFile> = state === 'missing' ? {} : { [TARGET]: { content: state === 'identical' ? NEW : OLD, mode: 0o600 } };
  const root = makeProject({ 'mix.exs': 'defmodule MyApp.MixProject do\nend\n', ...existing });
  roots.push(root);
  return root;
}

describe('the conflict matrix', () => {
  it.each(rows)('$state file, policy $policy, dryRun $dryRun, answer $answer → $status$error.type.name', async (row) => {
    const root = projectIn(row.state);
    const before = snapshotTree(root, true);
    const askConflict = vi.fn(async () => row.answer ?? 'overwrite');
    const run = commitFiles(root, [rendered(TARGET, NEW, 0o755)], { policy: row.policy, dryRun: row.dryRun ?? false, askConflict });

    if (row.error) {
      const error = await run.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(row.error.type);
      expect((error as CreateReleaseError).exitCode).toBe(row.error.exitCode);
    } else {
      const results = await run;
      expect(results).toHaveLength(1);
      expect(results[0]?.status).toBe(row.status);
      expect(results[0]?.diff !== undefined).toBe(row.diff);
    }

    if (row.asked) {
      expect(askConflict).toHaveBeenCalledTimes(1);
      const asked = askConflict.mock.calls[0] as unknown as [{ path: string; diff: string }];
      expect(asked[0].path).toBe(TARGET);
      expect(asked[0].diff).toContain('-echo mine');
      expect(asked[0].diff).toContain('+exec ./my_app start');
    } else {
      expect(askConflict).not.toHaveBeenCalled();
    }

    if (row.disk === 'new') {
      // The spec'd mode replaces the user's 0600; the bytes are exactly the rendered ones.
      expect(readOnDisk(root, TARGET)).toMatchObject({ text: NEW, mode: 0o755 });
      expect(readOnDisk(root, TARGET).mtimeMs).not.toBe(OLD_TIME.getTime());
    } else {
      // Untouched: every path, mode, byte and mtime as before (no directory created either).
      expect(snapshotTree(root, true)).toBe(before);
    }
    if (row.disk === 'absent') expect(existsSync(path.join(root, 'rel'))).toBe(false);
  });
});

describe('several files', () => {
  const paths = ['Dockerfile', '.dockerignore', 'rel/overlays/bin/migrate'];

  function projectWithThreeConflicts(): string {
    const root = makeProject(Object.fromEntries(paths.map((p) => [p, `old ${p}\n`])));
    roots.push(root);
    return root;
  }

  it("'all' overwrites the file asked about and every later conflict without asking again", async () => {
    const root = projectWithThreeConflicts();
    const askConflict = vi.fn(async () => 'all' as const);
    const files = [rendered('new-file', 'n\n'), ...paths.map((p) => rendered(p, `new ${p}\n`))];
    const results = await commitFiles(root, files, { policy: 'ask', dryRun: false, askConflict });
    expect(askConflict).toHaveBeenCalledTimes(1);
    expect(results.map((r) => r.status)).toEqual(['create', 'overwrite', 'overwrite', 'overwrite']);
    for (const p of paths) expect(readOnDisk(root, p).text).toBe(`new ${p}\n`);
  });

  it('asks in order and honours each answer', async () => {
    const root = projectWithThreeConflicts();
    const answers = ['skip', 'overwrite', 'skip'] as const;
    const askConflict = vi.fn(async () => answers[askConflict.mock.calls.length - 1] ?? 'quit');
    const results = await commitFiles(root, paths.map((p) => rendered(p, `new ${p}\n`)), { policy: 'ask', dryRun: false, askConflict });
    expect(askConflict.mock.calls.map((c) => (c as unknown as [{ path: string }])[0].path)).toEqual(paths);
    expect(results.map((r) => r.status)).toEqual(['skip', 'overwrite', 'skip']);
    expect(paths.map((p) => readOnDisk(root, p).text)).toEqual(['old Dockerfile\n', 'new .dockerignore\n', 'old rel/overlays/bin/migrate\n']);
  });

  it("'quit' after earlier 'overwrite' answers writes nothing (exit 130)", async () => {
    const root = projectWithThreeConflicts();
    const before = snapshotTree(root, true);
    const askConflict = vi.fn(async () => (askConflict.mock.calls.length < 3 ? 'overwrite' : 'quit') as 'overwrite' | 'quit');
    const files = [rendered('created/by/run', 'x\n'), ...paths.map((p) => rendered(p, `new ${p}\n`))];
    const error = await commitFiles(root, files, { policy: 'ask', dryRun: false, askConflict }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).exitCode).toBe(130);
    expect(snapshotTree(root, true)).toBe(before);
  });

  it('policy fail lists every conflicting file and the flags, and writes nothing, not even new files', async () => {
    const root = projectWithThreeConflicts();
    const before = snapshotTree(root, true);
    const files = [rendered('lib/my_app/release.ex', 'defmodule X do\nend\n'), ...paths.map((p) => rendered(p, `new ${p}\n`))];
    const error = await commitFiles(root, files, { policy: 'fail', dryRun: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).paths).toEqual(paths);
    expect((error as Error).message).toBe(
      ['3 files differ from what create-release would write:', '  Dockerfile', '  .dockerignore', '  rel/overlays/bin/migrate', 're-run with --force to overwrite them or --skip to keep yours'].join('\n'),
    );
    expect(snapshotTree(root, true)).toBe(before);
  });

  it('a single conflict is worded in the singular', async () => {
    const root = projectWithThreeConflicts();
    const error = await commitFiles(root, [rendered('Dockerfile', 'x\n')], { policy: 'fail', dryRun: false }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('a file differs from what create-release would write:\n  Dockerfile\nre-run with --force to overwrite it or --skip to keep yours');
  });

  it('--skip writes only what is missing', async () => {
    const root = projectWithThreeConflicts();
    const files = [rendered('rel/overlays/bin/server', 's\n', 0o755), ...paths.map((p) => rendered(p, `new ${p}\n`))];
    const results = await commitFiles(root, files, { policy: 'skip', dryRun: false });
    expect(results.map((r) => r.status)).toEqual(['create', 'skip', 'skip', 'skip']);
    expect(readOnDisk(root, 'rel/overlays/bin/server')).toMatchObject({ text: 's\n', mode: 0o755 });
    for (const p of paths) expect(readOnDisk(root, p)).toMatchObject({ text: `old ${p}\n`, mtimeMs: OLD_TIME.getTime() });
  });
});

describe('patches of user files', () => {
  const before = 'import Config\n';
  const after = 'import Config\n\nif System.get_env("PHX_SERVER") do\n  config :my_app, MyAppWeb.Endpoint, server: true\nend\n';

  it('are written as `patch` even under policy fail, keeping the user mode', async () => {
    const root = makeProject({ 'config/runtime.exs': { content: before, mode: 0o640 } });
    roots.push(root);
    const results = await commitFiles(root, [rendered('config/runtime.exs', after, 0o644, true)], { policy: 'fail', dryRun: false });
    expect(results).toEqual([{ path: 'config/runtime.exs', status: 'patch' }]);
    expect(readOnDisk(root, 'config/runtime.exs')).toMatchObject({ text: after, mode: 0o640 });
  });

  it('show their diff in a dry run and are identical when nothing changes', async () => {
    const root = makeProject({ 'config/runtime.exs': before });
    roots.push(root);
    const snapshot = snapshotTree(root, true);
    const [dry] = await commitFiles(root, [rendered('config/runtime.exs', after, 0o644, true)], { policy: 'ask', dryRun: true });
    expect(dry?.status).toBe('patch');
    expect(dry?.diff).toContain('+if System.get_env("PHX_SERVER") do');
    const [same] = await commitFiles(root, [rendered('config/runtime.exs', before, 0o644, true)], { policy: 'fail', dryRun: false });
    expect(same?.status).toBe('identical');
    expect(snapshotTree(root, true)).toBe(snapshot);
  });
});

describe('bytes and modes', () => {
  it('CRLF content is written and compared byte for byte', async () => {
    const bat = '@echo off\r\nset PHX_SERVER=true\r\ncall "%~dp0\\my_app" start\r\n';
    const root = makeProject();
    roots.push(root);
    await commitFiles(root, [rendered('rel/overlays/bin/server.bat', bat)], { policy: 'fail', dryRun: false });
    expect(readOnDisk(root, 'rel/overlays/bin/server.bat').text).toBe(bat);
    const [again] = await commitFiles(root, [rendered('rel/overlays/bin/server.bat', bat)], { policy: 'fail', dryRun: false });
    expect(again?.status).toBe('identical');
    // The same text with LF endings is a different file, not silently "identical".
    const [lf] = await commitFiles(root, [rendered('rel/overlays/bin/server.bat', bat.replaceAll('\r\n', '\n'))], { policy: 'skip', dryRun: true });
    expect(lf?.status).toBe('skip');
  });

  it('sets the exact spec mode on created files, whatever the umask', async () => {
    const root = makeProject();
    roots.push(root);
    await commitFiles(root, [rendered('a', 'a\n', 0o775), rendered('b/c', 'c\n', 0o600)], { policy: 'fail', dryRun: false });
    expect(readOnDisk(root, 'a').mode).toBe(0o775);
    expect(readOnDisk(root, 'b/c').mode).toBe(0o600);
  });

  it('leaves no temp file behind', async () => {
    const root = makeProject({ Dockerfile: 'old\n' });
    roots.push(root);
    await commitFiles(root, [rendered('Dockerfile', 'new\n'), rendered('rel/x', 'x\n')], { policy: 'force', dryRun: false });
    expect(snapshotTree(root)).not.toMatch(/\.tmp/);
  });
});
