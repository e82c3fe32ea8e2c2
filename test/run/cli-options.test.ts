// The command line below the bin: the options each flag gives, the usage errors (exit 2) with
// the line the user reads, and how every failure is reported.
import { describe, expect, it } from 'vitest';
import { commandLine, describeFailure, parseOptions, reportError, type ErrorSink } from '../../src/cli-options.js';
import { ConflictError } from '../../src/commit/index.js';
import { CreateReleaseError, InterruptedError, UsageError } from '../../src/errors.js';

const context = { version: '9.9.9', columns: 0 };
const parse = (...argv: string[]) => parseOptions(argv, context);

function usageError(...argv: string[]): UsageError {
  try {
    parse(...argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return error as UsageError;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('parseOptions', () => {
  it('no flags: the current directory, nothing forced, every question left open', () => {
    expect(parse()).toEqual({
      dir: '.',
      docker: undefined,
      ecto: undefined,
      patchRuntime: undefined,
      health: undefined,
      drain: undefined,
      cluster: undefined,
      epmdLess: undefined,
      deploy: undefined,
      name: undefined,
      release: undefined,
      app: undefined,
      elixir: undefined,
      otp: undefined,
      offline: false,
      yes: false,
      force: false,
      skip: false,
      dryRun: false,
      json: false,
    });
  });

  it('every flag lands in its own option', () => {
    const options = parse(
      'apps/shop',
      '--docker',
      '--no-ecto',
      '--patch-runtime',
      '--no-health',
      '--drain',
      '40',
      '--cluster',
      '--epmd-less=7000',
      '--deploy',
      'fly',
      '--name',
      'shop-prod',
      '--release',
      'worker',
      '--app',
      'shop_web',
      '--elixir',
      '1.18.4',
      '--otp',
      '27.3.4',
      '--offline',
      '-y',
      '--force',
      '--dry-run',
      '--json',
    );
    expect(options).toEqual({
      dir: 'apps/shop',
      docker: true,
      ecto: false,
      patchRuntime: true,
      health: false,
      drain: 40,
      cluster: true,
      epmdLess: 7000,
      deploy: ['fly'],
      name: 'shop-prod',
      release: 'worker',
      app: 'shop_web',
      elixir: '1.18.4',
      otp: '27.3.4',
      offline: true,
      yes: true,
      force: true,
      skip: false,
      dryRun: true,
      json: true,
    });
    expect(parse('--skip', '--yes', '--no-docker', '--no-patch-runtime', '--no-cluster')).toMatchObject({ skip: true, yes: true, docker: false, patchRuntime: false, cluster: false });
  });

  it('--force with --skip is a usage error naming both', () => {
    expect(usageError('--force', '--skip').message).toBe('--force and --skip contradict each other: pass one of them');
  });

  it('an unknown flag is a usage error naming it', () => {
    expect(usageError('--dockr').message).toMatch(/dockr/);
  });

  it('two directories are a usage error listing them', () => {
    expect(usageError('a', 'b').message).toBe('expected at most one directory, got: a b');
  });

  describe('--drain', () => {
    it('takes whole seconds from 1 to 3600', () => {
      expect(parse('--drain', '1').drain).toBe(1);
      expect(parse('--drain', '3600').drain).toBe(3600);
    });

    it.each(['0', '3601', '2.5', '-3'])('refuses %s, saying the range', (value) => {
      expect(usageError(`--drain=${value}`).message).toBe(`--drain takes whole seconds from 1 to 3600, got ${value}`);
    });
  });

  describe('--deploy', () => {
    it('is repeatable, comma-separated, case-blind, each target once', () => {
      expect(parse('--deploy', 'fly', '--deploy', 'Compose').deploy).toEqual(['fly', 'compose']);
      expect(parse('--deploy', 'kubernetes, fly,kubernetes').deploy).toEqual(['kubernetes', 'fly']);
    });

    it('--no-deploy asks for none', () => {
      expect(parse('--no-deploy').deploy).toEqual([]);
    });

    it('an unknown target is named, with the ones to choose from', () => {
      expect(usageError('--deploy', 'fly,heroku').message).toBe('--deploy: unknown target heroku; choose from fly, kubernetes, compose');
      expect(usageError('--deploy', 'heroku,,render').message).toBe('--deploy: unknown target heroku, render; choose from fly, kubernetes, compose');
    });

    it('an empty value says a target is missing', () => {
      expect(usageError('--deploy=').message).toBe('--deploy: a target is missing; choose from fly, kubernetes, compose');
      expect(usageError('--deploy', 'fly,').message).toBe('--deploy: a target is missing; choose from fly, kubernetes, compose');
    });

    it('cannot go with --no-docker: the platforms run the image', () => {
      expect(usageError('--deploy', 'fly,compose', '--no-docker').message).toBe('--deploy fly,compose runs the image the Dockerfile builds: drop --no-docker');
      expect(parse('--deploy', 'fly', '--docker').deploy).toEqual(['fly']);
      expect(parse('--no-deploy', '--no-docker').docker).toBe(false);
    });

    it('--name needs a platform', () => {
      const message = '--name names the app on a platform: add --deploy <target>';
      expect(usageError('--name', 'shop').message).toBe(message);
      expect(usageError('--name', 'shop', '--no-deploy').message).toBe(message);
    });

    it('--name must be a name the platform takes, with one it would', () => {
      expect(usageError('--deploy', 'fly', '--name', 'My_Shop').message).toMatch(/^--name My_Shop: the platform name .+; for example --name my-shop$/);
      expect(parse('--deploy', 'fly', '--name', 'my-shop').name).toBe('my-shop');
    });
  });

  describe('--epmd-less', () => {
    it('alone takes the default port; =<port> that port; --no-epmd-less none', () => {
      expect(parse('--epmd-less').epmdLess).toBe(6789);
      expect(parse('--epmd-less=').epmdLess).toBe(6789);
      expect(parse('--epmd-less=1024').epmdLess).toBe(1024);
      expect(parse('--epmd-less=65535').epmdLess).toBe(65535);
      expect(parse('--no-epmd-less').epmdLess).toBe(false);
    });

    it.each(['1023', '65536', 'abc', '70.5', 'x7000', '7000x'])('refuses %s, saying how to pass a port', (value) => {
      expect(usageError(`--epmd-less=${value}`).message).toBe(
        `--epmd-less takes a port from 1024 to 65535, got ${value} (write --epmd-less=<port>, or --epmd-less after the directory)`,
      );
    });

    it('a directory after it is read as its value, and the message says so', () => {
      expect(usageError('--epmd-less', 'my_app').message).toMatch(/got my_app \(write --epmd-less=<port>, or --epmd-less after the directory\)$/);
    });
  });
});

describe('--help', () => {
  it('lists every flag with what it does, wrapped to the terminal up to 100 columns', async () => {
    const help = await commandLine([], { version: '9.9.9', columns: 200 }).getHelp();
    expect(help.startsWith('create-release [dir]\n\nMake a Mix project (usually Phoenix) deployable as an Elixir release.\n')).toBe(true);
    const flags: Array<[string, string]> = [
      ['--docker', 'Also write a production Dockerfile and .dockerignore'],
      ['--ecto', 'Write the migration script and release module (default: detected)'],
      ['--patch-runtime', 'Edit your own files where needed: config/runtime.exs, the endpoint, force_ssl, .gitignore (default: ask)'],
      ['--health', 'Write a health-check plug (/health, /health/ready) and wire it in the endpoint'],
      ['--drain', 'Seconds in-flight requests get to finish on shutdown (default 25)'],
      ['--cluster', 'Name the node for clustering in rel/env.sh.eex (default: on with dns_cluster)'],
      ['--epmd-less', 'Distribution on one fixed port without epmd (default port 6789)'],
      ['--deploy', 'Platform files to write: fly, kubernetes, compose (repeat, or separate with commas; implies --docker)'],
      ['--name', "The app's name on the platform (default: the release name, with - for _)"],
      ['--release', 'Which release of mix.exs the scripts start'],
      ['--app', 'Umbrella: which web app to serve'],
      ['--elixir', 'Elixir version for the Docker image'],
      ['--otp', 'Erlang/OTP version for the Docker image'],
      ['--offline', 'Make no network request'],
      ['-y, --yes', 'Accept detected defaults; never prompt'],
      ['--force', 'Overwrite files whose content differs'],
      ['--skip', 'Keep files whose content differs'],
      ['--dry-run', 'Show what would change, write nothing'],
      ['--json', 'Print a machine-readable result on stdout'],
      ['-h, --help', 'Show help'],
      ['-v, --version', 'Show the version'],
    ];
    // Collapse the columns: each flag's line reads "<flag> <description> [type]".
    const flat = help.replace(/\s+/g, ' ');
    for (const [flag, describe] of flags) expect(flat).toContain(`${flag} ${describe} [`);
    expect(flat).toContain('--yes Accept detected defaults; never prompt [boolean] [default: false]');
    const widest = Math.max(...help.split('\n').map((line) => line.length));
    expect(widest).toBeGreaterThan(80);
    expect(widest).toBeLessThanOrEqual(100);
  });

  it('wraps at 80 columns when the output is no terminal', async () => {
    const help = await commandLine([], context).getHelp();
    expect(Math.max(...help.split('\n').map((line) => line.length))).toBe(80);
  });
});

describe('reportError', () => {
  function sink(more: Partial<ErrorSink> = {}): ErrorSink & { text: string[] } {
    const text: string[] = [];
    return { write: (t) => void text.push(t), debug: false, color: false, text, ...more };
  }

  it('a usage error: one line with the hint to --help, exit 2', () => {
    const s = sink();
    expect(reportError(new UsageError('--drain takes whole seconds'), s)).toBe(2);
    expect(s.text).toEqual(['error: --drain takes whole seconds (see create-release --help)\n']);
  });

  it('a problem with the project: one line, exit 1, no hint', () => {
    const s = sink();
    expect(reportError(new CreateReleaseError('mix.exs not found in /tmp/x: run create-release inside a Mix project'), s)).toBe(1);
    expect(s.text).toEqual(['error: mix.exs not found in /tmp/x: run create-release inside a Mix project\n']);
  });

  it('an interruption: exit 130, saying nothing was written', () => {
    const s = sink();
    expect(reportError(new InterruptedError(), s)).toBe(130);
    expect(s.text).toEqual(['error: Interrupted: nothing was written.\n']);
  });

  it('conflicts: exit 1 with the files and both flags', () => {
    const s = sink();
    expect(reportError(new ConflictError(['Dockerfile']), s)).toBe(1);
    expect(s.text.join('')).toBe('error: a file differs from what create-release would write:\n  Dockerfile\nre-run with --force to overwrite it or --skip to keep yours\n');
  });

  it('anything else is an unexpected failure, exit 1, with how to see more and that nothing changed', () => {
    const s = sink();
    expect(reportError(new TypeError('x is undefined'), s)).toBe(1);
    expect(reportError('thrown text', s)).toBe(1);
    expect(s.text).toEqual([
      'error: unexpected failure: x is undefined (set DEBUG=1 for details; the project was not changed)\n',
      'error: unexpected failure: thrown text (set DEBUG=1 for details; the project was not changed)\n',
    ]);
  });

  it('DEBUG: the stack first, then the same line', () => {
    const s = sink({ debug: true });
    reportError(new CreateReleaseError('boom'), s);
    expect(s.text).toHaveLength(2);
    expect(s.text[0]).toMatch(/^CreateReleaseError: boom\n\s+at /);
    expect(s.text[1]).toBe('error: boom\n');
  });

  it('paints "error:" red only when the stream takes colour', () => {
    const s = sink({ color: true });
    reportError(new CreateReleaseError('boom'), s);
    expect(s.text).toEqual(['\x1b[31merror:\x1b[39m boom\n']);
  });
});

describe('describeFailure (the --json error)', () => {
  it('carries the message and exit code, and the conflicting paths for a conflict', () => {
    expect(describeFailure(new ConflictError(['a', 'b']), 1)).toEqual({
      message: expect.stringMatching(/^2 files differ from what create-release would write:\n {2}a\n {2}b\n/),
      exitCode: 1,
      conflicts: ['a', 'b'],
    });
    expect(describeFailure(new UsageError('bad'), 2)).toEqual({ message: 'bad', exitCode: 2 });
    expect(describeFailure('text', 1)).toEqual({ message: 'text', exitCode: 1 });
  });
});
