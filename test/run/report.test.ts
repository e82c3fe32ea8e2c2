// What a finished run prints, piece by piece: warnings, notes, the snippets for what could not
// be patched, the edits left undone, the dry-run ending (singular and plural), the colours, and
// the command that repeats an interactive run.
import { describe, expect, it } from 'vitest';
import { reportOutcome, reportReading, type RunOutcome } from '../../src/report.js';
import { describeReading } from '../../src/reading.js';
import { planRuntimeConfig, runtimeInputOf } from '../../src/runtime-config/index.js';
import type { ProductionValues } from '../../src/production/values.js';
import type { Target } from '../../src/target.js';
import { targetOf } from '../helpers/facts.js';
import { memoryIo, optionsOf, scriptedPrompter } from '../helpers/memory-io.js';
import { fixture } from '../plan/fixtures.js';

const production: ProductionValues = {
  port: { default: 4000, env: 'PORT' },
  health: null,
  drainSeconds: 25,
  graceSeconds: 30,
  adapter: null,
  epmdLessPort: null,
  cluster: null,
};

async function outcomeOf(more: Partial<RunOutcome> = {}): Promise<RunOutcome> {
  const f = fixture('phoenix-ecto');
  const target: Target = await targetOf(f.facts);
  const reading = describeReading(target, await planRuntimeConfig(runtimeInputOf(target, true)));
  return {
    target,
    reading,
    answers: { ...f.answers, docker: false },
    image: null,
    warnings: [],
    results: [{ path: 'rel/overlays/bin/server', status: 'create' }],
    advice: [],
    editAdvice: [],
    unappliedEdits: [],
    patchDeclined: false,
    commands: [{ comment: 'To build the release', command: 'MIX_ENV=prod mix release' }],
    production,
    deploy: null,
    flags: [],
    ...more,
  };
}

async function printed(more: Partial<RunOutcome> = {}, options = optionsOf(), io = memoryIo('/projects/my_app')): Promise<string> {
  reportOutcome(await outcomeOf(more), options, io);
  return io.text();
}

describe('reportOutcome', () => {
  it('the statuses, then the summary', async () => {
    expect(await printed()).toBe(
      '* creating rel/overlays/bin/server\n\nYour application is ready to be deployed in a release!\n\n    # To build the release\n    MIX_ENV=prod mix release\n',
    );
  });

  it('image notes as they are, warnings with "warning:", and a script that lost its exec bit', async () => {
    const text = await printed({
      image: { elixir: '1.18.4', otp: '27.3.4', codename: 'trixie', date: '20260610', builder: 'b', runner: 'r', source: 'index', warnings: [], notes: ['Docker image: Elixir 1.18.4'] },
      warnings: ['No Debian trixie image'],
      results: [{ path: 'rel/overlays/bin/server', status: 'identical', notExecutable: true }],
    });
    expect(text).toContain('* identical rel/overlays/bin/server\nDocker image: Elixir 1.18.4\nwarning: No Debian trixie image\n');
    expect(text).toContain('warning: rel/overlays/bin/server is not executable: run chmod +x rel/overlays/bin/server, or the release cannot start it\n');
  });

  it('runtime advice after a blank line, then each edit it could not make with its snippet', async () => {
    // (No blank line between the two blocks: each snippet ends its block with one newline.)
    const text = await printed({
      advice: [{ setting: 'PHX_HOST', message: 'config/runtime.exs never reads PHX_HOST:', snippet: 'host = System.get_env("PHX_HOST")' }],
      editAdvice: [{ file: 'lib/my_app_web/endpoint.ex', message: 'Could not wire the health plug in lib/my_app_web/endpoint.ex:', snippet: 'plug MyAppWeb.Health\n\nplug Plug.Telemetry' }],
    });
    expect(text).toContain(
      '* creating rel/overlays/bin/server\n\nconfig/runtime.exs never reads PHX_HOST:\n\n    host = System.get_env("PHX_HOST")\n' +
        'Could not wire the health plug in lib/my_app_web/endpoint.ex:\n\n    plug MyAppWeb.Health\n\n    plug Plug.Telemetry\n\n',
    );
  });

  describe('edits left undone', () => {
    const unappliedEdits = [
      { file: 'config/runtime.exs', what: 'the PHX_SERVER block', snippet: 'if System.get_env("PHX_SERVER") do\n  config :my_app, MyAppWeb.Endpoint, server: true\nend' },
      { file: '.gitignore', what: 'ignore .env', snippet: null },
    ];

    it('not asked: how to have them made, or each by hand', async () => {
      const text = await printed({ unappliedEdits });
      expect(text).toContain(
        'Run again with --patch-runtime (or --yes) to have create-release make these edits, or make them by hand:\n' +
          '  - config/runtime.exs: the PHX_SERVER block\n\n' +
          '      if System.get_env("PHX_SERVER") do\n        config :my_app, MyAppWeb.Endpoint, server: true\n      end\n\n' +
          '  - .gitignore: ignore .env\n\nYour application',
      );
    });

    it('declined with --no-patch-runtime: no nudge to run again', async () => {
      const text = await printed({ unappliedEdits, patchDeclined: true });
      expect(text).toContain('These edits were not made (--no-patch-runtime); to make them by hand:\n  - config/runtime.exs');
      expect(text).not.toContain('Run again with --patch-runtime');
    });

    it('a blank line between the snippets of what could not be patched and the edits left undone', async () => {
      const text = await printed({ unappliedEdits, editAdvice: [{ file: 'x', message: 'Could not patch x:', snippet: 'a' }] });
      expect(text).toContain('Could not patch x:\n\n    a\n\nRun again with --patch-runtime');
      const alone = await printed({ unappliedEdits });
      expect(alone).toContain('* creating rel/overlays/bin/server\nRun again with --patch-runtime');
    });
  });

  describe('--dry-run', () => {
    const dryRun = optionsOf({ dryRun: true });

    it('the diffs after the statuses, and how to apply; no summary', async () => {
      const text = await printed({ results: [{ path: 'rel/overlays/bin/server', status: 'create', diff: '--- /dev/null\n+++ b/rel/overlays/bin/server' }, { path: 'a', status: 'identical' }] }, dryRun);
      expect(text).toBe(
        '* creating rel/overlays/bin/server\n* identical a\n--- /dev/null\n+++ b/rel/overlays/bin/server\n\nDry run: nothing was written. Run again without --dry-run to apply these changes.\n',
      );
    });

    it('one conflict: it differs, and the two flags', async () => {
      const text = await printed({ results: [{ path: 'Dockerfile', status: 'conflict' }] }, dryRun);
      expect(text.trimEnd().split('\n').at(-1)).toBe(
        'Dry run: nothing was written. Dockerfile differs from what create-release writes: run again with --force to overwrite or --skip to keep it.',
      );
    });

    it('several conflicts: they differ', async () => {
      const text = await printed({ results: [{ path: 'Dockerfile', status: 'conflict' }, { path: '.dockerignore', status: 'conflict' }] }, dryRun);
      expect(text.trimEnd().split('\n').at(-1)).toBe(
        'Dry run: nothing was written. Dockerfile, .dockerignore differ from what create-release writes: run again with --force to overwrite or --skip to keep them.',
      );
    });
  });

  describe('after questions', () => {
    const interactive = () => memoryIo('/projects/my_app', { prompter: scriptedPrompter({}) });

    it('prints the command that repeats the answers', async () => {
      const text = await printed({ flags: ['--health'] }, optionsOf({ yes: false }), interactive());
      expect(text).toContain('To do the same again without questions:\n\n    npx create-release --ecto --no-docker --health --no-patch-runtime --yes\n');
    });

    it('a kept file makes it --skip, an overwritten one --force, skip winning', async () => {
      const skip = await printed({ results: [{ path: 'a', status: 'overwrite' }, { path: 'b', status: 'skip' }] }, optionsOf({ yes: false }), interactive());
      expect(skip).toContain('--no-patch-runtime --skip --yes\n');
      const force = await printed({ results: [{ path: 'a', status: 'overwrite' }] }, optionsOf({ yes: false }), interactive());
      expect(force).toContain('--no-patch-runtime --force --yes\n');
    });
  });

  it('colours each status as Mix does, and the warnings yellow', async () => {
    const io = memoryIo('/projects/my_app', { color: true });
    const statuses = ['create', 'identical', 'keep', 'overwrite', 'skip', 'conflict', 'patch'] as const;
    await printed({ results: statuses.map((status) => ({ path: status, status })), warnings: ['w'] }, optionsOf(), io);
    const [green, cyan, yellow, red, close] = ['\x1b[32m', '\x1b[36m', '\x1b[33m', '\x1b[31m', '\x1b[39m'];
    expect(io.text()).toContain(
      [
        `${green}* creating${close} create`,
        `${cyan}* identical${close} identical`,
        `${cyan}* keeping${close} keep`,
        `${yellow}* overwriting${close} overwrite`,
        `${yellow}* skipping${close} skip`,
        `${red}* conflict${close} conflict`,
        `${green}* patching${close} patch`,
        `${yellow}warning:${close} w`,
      ].join('\n'),
    );
  });

  it('--json: one document with what was read, the files, every warning, the edits and what to run next; nothing else', async () => {
    const io = memoryIo('/projects/my_app');
    const outcome = await outcomeOf({
      warnings: ['image warning'],
      editAdvice: [{ file: 'x', message: 'm', snippet: 's' }],
      advice: [{ setting: 'PHX_HOST', message: 'm', snippet: 's' }],
    });
    outcome.target.facts.warnings.push('facts warning');
    reportOutcome(outcome, optionsOf({ json: true }), io);
    expect(io.text()).toBe('');
    const doc = io.document();
    expect(Object.keys(doc)).toEqual(['read', 'facts', 'answers', 'production', 'deploy', 'image', 'files', 'warnings', 'advice', 'edits', 'next']);
    expect(doc).toMatchObject({
      read: { app: { name: 'my_app' } },
      facts: { root: '/projects/my_app' },
      production: { drainSeconds: 25, graceSeconds: 30 },
      deploy: null,
      image: null,
      files: [{ path: 'rel/overlays/bin/server', status: 'create' }],
      warnings: ['facts warning', 'image warning'],
      advice: [{ setting: 'PHX_HOST' }],
      edits: [{ file: 'x', message: 'm', snippet: 's' }],
      next: [{ comment: 'To build the release', command: 'MIX_ENV=prod mix release' }],
    });
  });
});

describe('reportReading', () => {
  it('prints the block, then each warning and a blank line', async () => {
    const { reading } = await outcomeOf();
    const io = memoryIo('/projects/my_app');
    reportReading(reading, ['mix.exs:3: could not read deps', 'second'], optionsOf(), io);
    expect(io.text()).toMatch(/^Read from the project:\n {2}app {9}my_app\n[\s\S]*\nwarning: mix\.exs:3: could not read deps\nwarning: second\n\n$/);
  });

  it('no warnings: no blank line after the block', async () => {
    const { reading } = await outcomeOf();
    const io = memoryIo('/projects/my_app');
    reportReading(reading, [], optionsOf(), io);
    expect(io.text().endsWith('\n\n')).toBe(false);
  });

  it('--json: prints nothing (the document carries it)', async () => {
    const { reading } = await outcomeOf();
    const io = memoryIo('/projects/my_app');
    reportReading(reading, ['w'], optionsOf({ json: true }), io);
    expect(io.text()).toBe('');
  });
});
