// A project that configures its release in config/releases.exs (before runtime.exs existed):
// the run must not create config/runtime.exs (Mix would then ignore releases.exs) and points
// its advice at releases.exs instead. And variables read with System.fetch_env count as read.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectProject } from '../../src/inspect/index.js';
import { run } from '../../src/run.js';
import { memoryIo, optionsOf } from '../helpers/memory-io.js';
import { copyProject } from '../helpers/tree.js';

function helloWithReleasesExs(): string {
  const dir = copyProject('examples/hello');
  rmSync(path.join(dir, 'config/runtime.exs'));
  writeFileSync(path.join(dir, 'config/releases.exs'), 'import Config\n\nconfig :hello, HelloWeb.Endpoint, url: [host: System.fetch_env!("PHX_HOST")]\n');
  return dir;
}

describe('config/releases.exs', () => {
  it('is read as a fact', async () => {
    const dir = helloWithReleasesExs();
    expect((await inspectProject(dir)).releasesExs).toBe(true);
    expect((await inspectProject(copyProject('examples/hello'))).releasesExs).toBe(false);
  });

  it('a run creates no config/runtime.exs and says to add the PHX_SERVER block to releases.exs', async () => {
    const dir = helloWithReleasesExs();
    const io = memoryIo(dir);
    await run(optionsOf(), io);
    expect(existsSync(path.join(dir, 'config/runtime.exs'))).toBe(false);
    expect(io.text()).toContain('config/releases.exs configures this release and config/runtime.exs does not exist: add this to config/releases.exs so bin/server starts HelloWeb.Endpoint:');
    expect(readFileSync(path.join(dir, 'config/releases.exs'), 'utf8')).toContain('System.fetch_env!("PHX_HOST")');
  });
});

describe('System.fetch_env in config/runtime.exs', () => {
  it('reading PHX_HOST and PHX_SERVER with fetch_env/fetch_env! counts: no advice for them', async () => {
    const dir = copyProject('examples/hello');
    const runtime = path.join(dir, 'config/runtime.exs');
    const source = readFileSync(runtime, 'utf8');
    writeFileSync(
      runtime,
      `${source}\nif config_env() == :prod do\n  {:ok, host} = System.fetch_env("PHX_HOST")\n  config :hello, HelloWeb.Endpoint, url: [host: host, port: 443]\nend\n`,
    );
    const io = memoryIo(dir);
    await run(optionsOf(), io);
    expect(io.text()).not.toContain('never reads PHX_HOST');
  });
});
