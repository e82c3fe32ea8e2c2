// run() with an in-memory Io: the pipeline, the block of what was read, the statuses, the
// summary and the JSON document, as a user reads them, without spawning the CLI.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/commit/index.js';
import { CreateReleaseError } from '../../src/errors.js';
import { run } from '../../src/run.js';
import { memoryIo, optionsOf, scriptedPrompter } from '../helpers/memory-io.js';
import { copyProject, snapshotTree } from '../helpers/tree.js';

const hello = () => copyProject('examples/hello');
const realWorld = (name: string) => copyProject(`test/fixtures/real-world/${name}`);

describe('run() on a phx.new-shaped project, --yes', () => {
  it('prints what it read, one status line per file, the runtime advice and the summary, in that order', async () => {
    const dir = hello();
    const io = memoryIo(dir);
    await run(optionsOf(), io);
    const text = io.text();
    expect(text.startsWith('Read from the project:\n  app         hello\n')).toBe(true);
    expect(text).toContain('  endpoint    HelloWeb.Endpoint  in lib/hello_web/endpoint.ex\n');
    expect(text).toContain('  migrations  Hello.Release.migrate  (to write at lib/hello/release.ex)\n');
    const order = ['Read from the project:', '* creating rel/overlays/bin/server\n', '* patching config/runtime.exs\n', 'never reads PHX_HOST', 'Your application is ready to be deployed in a release!'];
    const at = order.map((s) => text.indexOf(s));
    expect(at.every((i) => i >= 0), text).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    for (const line of ['    MIX_ENV=prod mix release\n', '    _build/prod/rel/hello/bin/server\n', '    _build/prod/rel/hello/bin/migrate\n', '    _build/prod/rel/hello/bin/hello remote\n']) {
      expect(text).toContain(line);
    }
    // No question was asked, so no equivalent command is printed.
    expect(text).not.toContain('To do the same again without questions');
    expect(readFileSync(path.join(dir, 'rel/overlays/bin/server'), 'utf8')).toContain('PHX_SERVER=true exec ./hello start\n');
  });

  it('--json: one document with what was read, the answers, the files and what to run next; nothing on out', async () => {
    const dir = hello();
    const io = memoryIo(dir);
    await run(optionsOf({ json: true }), io);
    expect(io.text()).toBe('');
    const doc = io.document();
    expect(doc.read).toMatchObject({ app: { name: 'hello' }, release: { name: 'hello' }, endpoints: [{ module: 'HelloWeb.Endpoint' }], ecto: { module: 'Hello.Release' } });
    expect(doc.answers).toEqual({ release: 'hello', ecto: true, docker: false, deploy: [], patchRuntime: true });
    expect((doc.files as Array<{ path: string; status: string }>).map((f) => `${f.status} ${f.path}`)).toEqual([
      'create rel/overlays/bin/server',
      'create rel/overlays/bin/server.bat',
      'create rel/overlays/bin/migrate',
      'create rel/overlays/bin/migrate.bat',
      'create lib/hello/release.ex',
      'create lib/hello_web/health.ex',
      // hello depends on dns_cluster: clustering is on under --yes.
      'create rel/env.sh.eex',
      'create rel/env.bat.eex',
      'patch config/runtime.exs',
      'patch lib/hello_web/endpoint.ex',
    ]);
    expect(doc.next).toContainEqual({ comment: 'To build the release', command: 'MIX_ENV=prod mix release' });
  });

  it('--dry-run: the statuses with a diff for each file that would change, nothing written, and how to go on', async () => {
    const dir = hello();
    const before = snapshotTree(dir, true);
    const io = memoryIo(dir);
    await run(optionsOf({ dryRun: true }), io);
    expect(snapshotTree(dir, true)).toBe(before);
    const text = io.text();
    expect(text).toContain('--- /dev/null\n+++ b/rel/overlays/bin/server\n');
    expect(text).toContain('+++ b/config/runtime.exs\n');
    expect(text.trimEnd().endsWith('Dry run: nothing was written. Run again without --dry-run to apply these changes.')).toBe(true);
    expect(text).not.toContain('ready to be deployed');
  });

  it('a second run reports every file identical and changes nothing', async () => {
    const dir = hello();
    await run(optionsOf(), memoryIo(dir));
    const before = snapshotTree(dir, true);
    const io = memoryIo(dir);
    await run(optionsOf(), io);
    expect(io.text()).not.toMatch(/^\* (creating|overwriting|patching|conflict)/m);
    expect(io.text().match(/^\* identical /gm)).toHaveLength(8);
    expect(snapshotTree(dir, true)).toBe(before);
  });

  it('stops before writing on a file that differs, naming it and both flags', async () => {
    const dir = hello();
    await run(optionsOf(), memoryIo(dir));
    writeFileSync(path.join(dir, 'rel/overlays/bin/migrate'), '#!/bin/sh\necho mine\n');
    const before = snapshotTree(dir, true);
    const error = await run(optionsOf(), memoryIo(dir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).paths).toEqual(['rel/overlays/bin/migrate']);
    expect((error as ConflictError).message).toMatch(/--force.*--skip/);
    expect(snapshotTree(dir, true)).toBe(before);
  });

  it('refuses a library with a one-line error and the project untouched', async () => {
    const dir = realWorld('library-with-mod');
    const before = snapshotTree(dir, true);
    const error = await run(optionsOf(), memoryIo(dir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CreateReleaseError);
    expect((error as Error).message).toMatch(/^mix.exs describes a library \(it has a package: for Hex\)/);
    expect(snapshotTree(dir, true)).toBe(before);
  });
});

describe('run() with a prompter (an interactive run)', () => {
  it('asks in order after showing what it read, and prints the command that repeats the answers', async () => {
    const dir = hello();
    const io = memoryIo(dir, { interactive: true });
    const prompter = scriptedPrompter({ confirm: (message, d) => (/Dockerfile/.test(message) ? false : d) });
    await run(optionsOf({ yes: false }), { ...io, prompter });
    expect(prompter.asked.slice(0, 2)).toEqual(['Add database migration support (Ecto)?', 'Add a production Dockerfile and .dockerignore?']);
    // Then the production questions, and last the edits of the project's own files, naming them.
    expect(prompter.asked.at(-1)).toMatch(/config\/runtime\.exs.*lib\/hello_web\/endpoint\.ex/);
    expect(io.text()).toMatch(/To do the same again without questions:\n\n {4}npx create-release --ecto --no-docker .*--patch-runtime --yes\n/);
  });

  it('asks which release, offering default_release first, and repeats it as --release', async () => {
    const dir = realWorld('default-release');
    const io = memoryIo(dir, { interactive: true });
    const prompter = scriptedPrompter({ select: (_m, choices) => choices[1]! });
    await run(optionsOf({ yes: false }), { ...io, prompter });
    expect(prompter.asked[0]).toBe('mix.exs declares several releases. Which one should bin/server start?');
    expect(io.text()).toContain('--release worker');
    expect(readFileSync(path.join(dir, 'rel/overlays/bin/server'), 'utf8')).toContain('exec ./worker start\n');
  });

  it('settles a conflict by the answer: skip keeps the file and the command says --skip', async () => {
    const dir = hello();
    await run(optionsOf(), memoryIo(dir));
    writeFileSync(path.join(dir, 'rel/overlays/bin/server.bat'), '@echo off\r\necho mine\r\n');
    const io = memoryIo(dir, { interactive: true });
    const prompter = scriptedPrompter({ conflict: () => 'skip' });
    await run(optionsOf({ yes: false }), { ...io, prompter });
    expect(prompter.asked).toContain('conflict rel/overlays/bin/server.bat');
    expect(io.text()).toContain('* skipping rel/overlays/bin/server.bat\n');
    expect(io.text()).toMatch(/npx create-release .* --skip --yes\n/);
    expect(readFileSync(path.join(dir, 'rel/overlays/bin/server.bat'), 'utf8')).toBe('@echo off\r\necho mine\r\n');
  });
});

describe('run() on real-world shapes', () => {
  it('keeps files that do the same job, saying why', async () => {
    const dir = realWorld('phx-gen-release-1-7');
    const io = memoryIo(dir);
    await run(optionsOf(), io);
    expect(io.text()).toContain('* keeping rel/overlays/bin/server (it already starts the release the same way)\n');
    expect(io.text()).toContain("* keeping lib/quill/release.ex (Quill.Release is the project's own, with migrate/0)\n");
  });

  it("uses the project's own server switch: bin/server sets it and the summary says so", async () => {
    const dir = realWorld('runtime-own-server-switch');
    const io = memoryIo(dir);
    await run(optionsOf(), io);
    expect(readFileSync(path.join(dir, 'rel/overlays/bin/server'), 'utf8')).toContain('START_ENDPOINT=true exec ./dispatch start\n');
    expect(io.text()).toContain('  bin/server  sets START_ENDPOINT=true\n');
    expect(io.text()).toContain('# To start your system with the Phoenix server running (bin/server sets START_ENDPOINT=true, which config/runtime.exs reads)');
    // No PHX_SERVER block: the project's own switch does the job (runtime.exs only gets the drain).
    expect(readFileSync(path.join(dir, 'config/runtime.exs'), 'utf8')).not.toContain('PHX_SERVER');
  });

  it('says what it guessed, and warns about what it could not read', async () => {
    const dir = realWorld('deps-eval-file');
    const io = memoryIo(dir);
    await run(optionsOf(), io);
    expect(io.text()).toMatch(/^warning: mix\.exs:\d+: could not read deps: statically .*--ecto/m);
    expect(existsSync(path.join(dir, 'rel/overlays/bin/migrate'))).toBe(false);
  });
});
