// The replay's instruction semantics on small hand-made projects (no mix run here, so quick):
// COPY as Docker does it, ARG/ENV substitution, RUN's && chains, what is skipped and why, and
// an error that names the instruction and its line.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CopyError, dockerCopy, parseDockerfile, ReplayError, replayBuild, stageCopies } from '../helpers/docker-replay.js';
import { expandDockerWord, shellTokens } from '../helpers/docker-words.js';

const scratchDirs: string[] = [];
afterAll(async () => {
  await Promise.all(scratchDirs.map((d) => rm(d, { recursive: true, force: true })));
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'docker-replay-steps-'));
  scratchDirs.push(root);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

const context = {
  'mix.exs': 'mix',
  'mix.lock': 'lock',
  'lib/app.ex': 'app',
  'lib/app/web.ex': 'web',
  'config/config.exs': 'config',
  'config/prod.exs': 'prod',
  'config/runtime.exs': 'runtime',
};

describe('COPY as Docker does it', () => {
  const copy = async (sources: string[], dest: string, existing: Record<string, string> = {}) => {
    const src = tree(context);
    const rootfs = tree(existing);
    await dockerCopy({ srcRoot: src, sources, dest, rootfs, workdir: '/app' });
    return listTree(rootfs);
  };

  it('a directory source copies its contents, not the directory', async () => {
    expect(await copy(['lib'], 'lib')).toEqual(['app/lib/app.ex', 'app/lib/app/web.ex']);
    expect(await copy(['lib'], './')).toEqual(['app/app.ex', 'app/app/web.ex']);
    expect(await copy(['lib/'], '/srv/code')).toEqual(['srv/code/app.ex', 'srv/code/app/web.ex']);
  });

  it('a file goes into a destination that ends with / (created) or exists as a directory, else becomes it', async () => {
    expect(await copy(['mix.exs'], './')).toEqual(['app/mix.exs']);
    expect(await copy(['mix.exs'], '.')).toEqual(['app/mix.exs']);
    expect(await copy(['config/config.exs'], 'config/')).toEqual(['app/config/config.exs']);
    expect(await copy(['mix.exs'], 'renamed.exs')).toEqual(['app/renamed.exs']);
    expect(await copy(['mix.exs'], 'config', { 'app/config/keep': '' })).toEqual(['app/config/keep', 'app/config/mix.exs']);
  });

  it('several sources need a directory destination ending with /', async () => {
    expect(await copy(['mix.exs', 'mix.lock'], './')).toEqual(['app/mix.exs', 'app/mix.lock']);
    await expect(copy(['mix.exs', 'mix.lock'], 'dir')).rejects.toThrow(/more than one source file, the destination must be a directory and end with a \//);
  });

  it('wildcards match within a segment; more than one match needs a / destination; none copies nothing', async () => {
    expect(await copy(['config/*.exs'], 'config/')).toEqual(['app/config/config.exs', 'app/config/prod.exs', 'app/config/runtime.exs']);
    expect(await copy(['config/[cp]*.exs'], 'config/')).toEqual(['app/config/config.exs', 'app/config/prod.exs']);
    expect(await copy(['mix.*'], './')).toEqual(['app/mix.exs', 'app/mix.lock']);
    expect(await copy(['*/app.ex'], './')).toEqual(['app/app.ex']);
    await expect(copy(['config/*.exs'], 'config')).rejects.toThrow(/more than one source file/);
    const src = tree(context);
    const rootfs = tree({});
    expect(await dockerCopy({ srcRoot: src, sources: ['*.tool-versions', 'mix.exs'], dest: './', rootfs, workdir: '/app' })).toEqual({
      copied: ['mix.exs'],
      unmatched: ['*.tool-versions'],
    });
  });

  it('a missing source fails, as Docker fails the build; .. cannot leave the context', async () => {
    await expect(copy(['assets'], 'assets')).rejects.toThrow(CopyError);
    await expect(copy(['assets'], 'assets')).rejects.toThrow('"assets": not found');
    expect(await copy(['../../mix.exs'], './')).toEqual(['app/mix.exs']);
  });
});

describe("Docker's variable substitution and the shell's words", () => {
  const vars = new Map([
    ['MIX_ENV', 'prod'],
    ['EMPTY', ''],
  ]);

  it('expands $VAR, ${VAR} and the :- / :+ forms, removes quotes, keeps single-quoted text', () => {
    expect(expandDockerWord('config/${MIX_ENV}.exs', vars)).toBe('config/prod.exs');
    expect(expandDockerWord('$MIX_ENV-x', vars)).toBe('prod-x');
    expect(expandDockerWord('"prod"', vars)).toBe('prod');
    expect(expandDockerWord("'$MIX_ENV'", vars)).toBe('$MIX_ENV');
    expect(expandDockerWord('\\$MIX_ENV', vars)).toBe('$MIX_ENV');
    expect(expandDockerWord('${UNSET:-dev} ${EMPTY:-e} ${EMPTY-e} ${MIX_ENV:+set} ${UNSET}.', vars)).toBe('dev e  set .');
    expect(expandDockerWord('`$MIX_ENV', vars, '`')).toBe('$MIX_ENV');
  });

  it('splits a RUN line into commands and && as sh would, and refuses what it cannot honour', () => {
    expect(shellTokens('mix deps.get --only $MIX_ENV && mkdir "a b" $EMPTY', vars)).toEqual([
      { kind: 'word', value: 'mix', glob: false },
      { kind: 'word', value: 'deps.get', glob: false },
      { kind: 'word', value: '--only', glob: false },
      { kind: 'word', value: 'prod', glob: false },
      { kind: 'op', value: '&&' },
      { kind: 'word', value: 'mkdir', glob: false },
      { kind: 'word', value: 'a b', glob: false },
    ]);
    expect(shellTokens('rm -rf /var/lib/apt/lists/*', vars).at(-1)).toEqual({ kind: 'word', value: '/var/lib/apt/lists/*', glob: true });
    expect(shellTokens('a || b', vars)[1]).toEqual({ kind: 'op', value: '||' });
    expect(() => shellTokens('echo $(date)', vars)).toThrow(/shell expansion/);
    expect(() => shellTokens('echo `date`', vars)).toThrow(/command substitution/);
  });
});

describe('a stage replayed instruction by instruction', () => {
  const dockerfile = [
    'ARG BASE=debian:12',
    'ARG SRC=lib',
    'FROM node:22 AS assets',
    'WORKDIR /app/assets',
    'COPY assets/package.json ./',
    'RUN npm ci --no-audit',
    '',
    'FROM ${BASE} AS builder',
    'ARG SRC',
    'RUN apt-get update \\',
    '  && apt-get install -y git \\',
    '  && rm -rf /var/lib/apt/lists/*',
    'ENV ROOT=/app MIX_ENV="prod"',
    'WORKDIR $ROOT',
    'COPY ${SRC} ${SRC}/',
    'COPY config/${MIX_ENV}.exs config/',
    'COPY --from=assets /app/assets/node_modules assets/node_modules',
    'COPY --from=assets --chown=nobody:root /app/assets/package.json assets/',
    'RUN mkdir -p priv/static && mkdir out',
    'LABEL x=y',
    '',
    'FROM ${BASE} AS final',
    'ENV MIX_ENV=prod',
    'COPY --from=builder /app/_build/${MIX_ENV}/rel/app ./',
  ].join('\n');
  const project = { ...context, 'assets/package.json': '{}' };

  it('substitutes ARG and ENV, replays the stage it copies from, skips and says why', async () => {
    const dir = tree(project);
    const result = await replayBuild({ context: dir, dockerfile, scratch: path.join(dir, '.replay'), target: 'builder' });
    expect(result.stage).toBe('builder');
    expect(result.workdir).toBe('/app');
    expect(result.app).toBe(path.join(result.rootfs, 'app'));
    expect(result.env).toEqual({ ROOT: '/app', MIX_ENV: 'prod' });
    expect(await listTree(result.app)).toEqual(['assets/package.json', 'config/prod.exs', 'lib/app.ex', 'lib/app/web.ex']);
    expect(existsSync(result.hostPath('priv/static'))).toBe(true);
    expect(existsSync(result.hostPath('/app/out'))).toBe(true);
    expect(readFileSync(result.hostPath('assets/package.json'), 'utf8')).toBe('{}');

    const log = result.steps.map((s) => `${s.status} ${s.stage}:${s.line} ${s.detail}`);
    expect(log).toContain('skipped assets:6 skipped `npm ci --no-audit` (Node packages come from the network: what this would make is missing from the replay)');
    expect(log).toContain(
      'skipped builder:17 not in the replay: /app/assets/node_modules (stage assets skipped line 6: npm ci --no-audit, which would have made it)',
    );
    expect(log.find((l) => l.startsWith('skipped builder:10'))).toMatch(/apt-get update.*apt-get install -y git.*rm -rf \/var\/lib\/apt\/lists\/\*/);
    expect(log).toContain('done builder:15 copied lib from the build context to /app/lib/');
    expect(log).toContain('done builder:18 copied /app/assets/package.json from stage assets to /app/assets/ (--chown not replayed: ownership and modes are this machine\'s)');
    expect(log).toContain('skipped builder:20 LABEL sets image metadata only');
    expect(result.steps.find((s) => s.line === 10)?.instruction).toBe('RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*');
  });

  it('a build arg overrides an ARG default', async () => {
    const dir = tree({ ...project, 'src/x.ex': 'x' });
    const result = await replayBuild({ context: dir, dockerfile, scratch: path.join(dir, '.replay'), target: 'builder', buildArgs: { SRC: 'src' } });
    expect(existsSync(result.hostPath('src/x.ex'))).toBe(true);
    expect(existsSync(result.hostPath('lib'))).toBe(false);
  });

  it('resolves what a later stage copies from the builder', () => {
    expect(stageCopies(parseDockerfile(dockerfile), 'final')).toEqual([
      { line: 24, from: 'builder', sources: ['/app/_build/prod/rel/app'], dest: './', workdir: '/', flags: { from: 'builder' } },
    ]);
  });

  const failure = async (files: Record<string, string>, text: string, target = 'builder') => {
    const dir = tree(files);
    const error = await replayBuild({ context: dir, dockerfile: text, scratch: path.join(dir, '.replay'), target }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplayError);
    return error as ReplayError;
  };

  it('fails at the COPY whose source is missing, naming the instruction and its line', async () => {
    const { [`lib/app.ex`]: _a, [`lib/app/web.ex`]: _b, ...withoutLib } = project;
    const error = await failure(withoutLib, dockerfile);
    expect(error.line).toBe(15);
    expect(error.stage).toBe('builder');
    expect(error.instruction).toBe('COPY ${SRC} ${SRC}/');
    expect(error.message).toBe('Dockerfile line 15 (stage builder): COPY ${SRC} ${SRC}/\n  "lib": not found');
  });

  it('a .dockerignore exclusion is a missing source too', async () => {
    const error = await failure({ ...project, '.dockerignore': 'lib/\n' }, dockerfile);
    expect(error.line).toBe(15);
  });

  it('a COPY --from of a path no skipped step explains is an error, not a skip', async () => {
    const error = await failure(project, dockerfile.replace('/app/assets/node_modules', '/app/asset/node_modules'));
    expect(error.line).toBe(17);
    expect(error.reason).toBe('"/app/asset/node_modules": not found in stage assets');
  });

  it('a command the replay does not know is an error, and so is a failing one', async () => {
    const base = 'FROM debian AS builder\nWORKDIR /app\n';
    expect((await failure({}, `${base}RUN mkdir x && echo hi`)).reason).toMatch(/does not run `echo`/);
    expect((await failure({}, `${base}RUN mkdir x; mkdir y`)).reason).toMatch(/shell operator ;/);
    const exists = await failure({}, `${base}RUN mkdir config\nRUN mkdir config`);
    expect(exists.line).toBe(4);
    expect(exists.reason).toMatch(/File exists/);
    expect((await failure({}, `${base}ADD x y`)).reason).toBe('the replay does not support ADD');
    expect((await failure({}, `${base}COPY --from=node:22 /usr/local/bin/node /usr/local/bin/`)).reason).toMatch(/not an earlier stage/);
  });
});
