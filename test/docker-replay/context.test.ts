// The build context the replay starts from must be the one Docker would send: these cases are
// Docker's documented `.dockerignore` examples (docs: "Build context", .dockerignore files) and
// behaviour of moby's pattern matcher (the cases its own tests pin), checked through our filter.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyBuildContext, dockerignoreMatcher, listBuildContext, matchesSegment } from '../helpers/docker-context.js';

const excluded = (lines: string[], ...paths: string[]) => {
  const { excludes } = dockerignoreMatcher(lines);
  return paths.filter((p) => excludes(p));
};

describe('.dockerignore as Docker reads it', () => {
  it("Docker's first documented example: comments, */temp*, */*/temp*, temp?", () => {
    const lines = ['# comment', '*/temp*', '*/*/temp*', 'temp?'];
    const out = ['somedir/temporary.txt', 'somedir/temp', 'somedir/temp/inside.txt', 'somedir/subdir/temporary.txt', 'tempa', 'tempb'];
    const kept = ['temp', 'temporary.txt', 'somedir/subdir/deeper/temporary.txt', '# comment'];
    expect(excluded(lines, ...out, ...kept)).toEqual(out);
  });

  it('**/*.go excludes .go files at any depth, the root too', () => {
    expect(excluded(['**/*.go'], 'main.go', 'a/b/c.go', 'a/go', 'a/b.gox')).toEqual(['main.go', 'a/b/c.go']);
  });

  it('a pattern without **/ is anchored at the context root', () => {
    expect(excluded(['*.md'], 'a.md', 'docs/a.md')).toEqual(['a.md']);
    expect(excluded(['erl_crash.dump'], 'erl_crash.dump', 'apps/x/erl_crash.dump')).toEqual(['erl_crash.dump']);
  });

  it('! re-includes, and the last matching line wins (the three documented README cases)', () => {
    expect(excluded(['*.md', '!README.md'], 'a.md', 'README.md')).toEqual(['a.md']);
    expect(excluded(['*.md', '!README*.md', 'README-secret.md'], 'a.md', 'README.md', 'README-x.md', 'README-secret.md')).toEqual([
      'a.md',
      'README-secret.md',
    ]);
    expect(excluded(['*.md', 'README-secret.md', '!README*.md'], 'a.md', 'README.md', 'README-secret.md')).toEqual(['a.md']);
    // An exception before the pattern it would except changes nothing.
    expect(excluded(['!fileutils.go', '*.go'], 'fileutils.go')).toEqual(['fileutils.go']);
  });

  it('/foo/bar, foo/bar, ./foo/bar and foo/bar/ are the same pattern', () => {
    for (const pattern of ['/foo/bar', 'foo/bar', './foo/bar', 'foo/bar/', '/foo/bar/', 'foo/x/../bar']) {
      expect(excluded([pattern], 'foo/bar', 'foo/bar/baz', 'foo/barn', 'x/foo/bar'), pattern).toEqual(['foo/bar', 'foo/bar/baz']);
    }
  });

  it('a directory pattern excludes everything in it unless an exception re-includes part', () => {
    expect(excluded(['docs'], 'docs', 'docs/a.md', 'docs/x/y.md', 'docsy')).toEqual(['docs', 'docs/a.md', 'docs/x/y.md']);
    expect(excluded(['docs/', '!docs/README.md'], 'docs/a.md', 'docs/README.md')).toEqual(['docs/a.md']);
    expect(excluded(['docs/*', '!docs/README.md'], 'docs/a.md', 'docs/README.md')).toEqual(['docs/a.md']);
    // what create-release writes: .git out, but its HEAD and refs in
    expect(excluded(['.git', '!.git/HEAD', '!.git/refs'], '.git/config', '.git/objects/ab/cd', '.git/HEAD', '.git/refs/heads/main')).toEqual([
      '.git/config',
      '.git/objects/ab/cd',
    ]);
  });

  it('**: any number of directories, zero included; dir/** is what is inside, not the dir', () => {
    expect(excluded(['**/dir'], 'dir', 'dir/file', 'a/b/dir', 'a/dirt')).toEqual(['dir', 'dir/file', 'a/b/dir']);
    expect(excluded(['abc/**'], 'abc', 'abc/def', 'abc/def/ghi')).toEqual(['abc/def', 'abc/def/ghi']);
    expect(excluded(['**/foo/bar'], 'foo/bar', 'dir/foo/bar', 'dir/dir2/foo/bar', 'foo/baz')).toEqual(['foo/bar', 'dir/foo/bar', 'dir/dir2/foo/bar']);
    expect(excluded(['a**/*.txt'], 'a/file.txt', 'a/dir/file.txt', 'a/dir/dir/file.txt', 'b/file.txt')).toEqual([
      'a/file.txt',
      'a/dir/file.txt',
      'a/dir/dir/file.txt',
    ]);
    // A match on a parent directory through ** reaches its contents too.
    expect(excluded(['a**/*.txt'], 'a/x/y.txt/z')).toEqual(['a/x/y.txt/z']);
    // moby today: a leading ** followed by plain text is a suffix match.
    expect(excluded(['**file'], 'file', 'dir/file', 'dir/xfile', 'dir/file.txt')).toEqual(['file', 'dir/file', 'dir/xfile']);
    expect(excluded(['**.gz'], 'a.gz', 'priv/static/app.css.gz', 'a.gzip')).toEqual(['a.gz', 'priv/static/app.css.gz']);
    // ** alone: everything; an exception still re-includes
    expect(excluded(['**', '!util/docker/web'], 'a', 'util/docker/web/foo')).toEqual(['a']);
  });

  it('?, character classes, escapes; matching is case-sensitive', () => {
    expect(excluded(['abc?def'], 'abcZdef', 'abcdef', 'abc/def')).toEqual(['abcZdef']);
    expect(excluded(['a[b-d]e'], 'ace', 'ae', 'aae')).toEqual(['ace']);
    expect(excluded(['a[^b-d]e'], 'aze', 'ace')).toEqual(['aze']);
    expect(excluded(['a\\*b'], 'a*b', 'axb')).toEqual(['a*b']);
    expect(excluded(['*.MD'], 'a.md', 'a.MD')).toEqual(['a.MD']);
    expect(excluded(['.*'], '.foo', 'foo')).toEqual(['.foo']);
  });

  it('regular-expression characters are plain characters (moby escapes them)', () => {
    expect(excluded(['a(b)c/def'], 'a(b)c/def', 'a(b)c/xyz', 'abc/def')).toEqual(['a(b)c/def']);
    expect(excluded(['a.|)$(}+{bc'], 'a.|)$(}+{bc', 'abc')).toEqual(['a.|)$(}+{bc']);
    expect(excluded(['dist/*.whl'], 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl')).toHaveLength(1);
    expect(excluded(['foo+bar'], 'foo+bar', 'foobar', 'fooobar')).toEqual(['foo+bar']);
  });

  it('the pattern . is ignored, blank lines too; / and ! before a pattern are read as Docker does', () => {
    expect(excluded(['.', '', '   '], 'a', 'b/c')).toEqual([]);
    expect(excluded(['  *.md  ', '  !README.md'], 'a.md', 'README.md')).toEqual(['a.md']);
    // `/!a` is cleaned to `!a`: an exception, as in Docker.
    expect(excluded(['*', '/!a'], 'a', 'b')).toEqual(['b']);
    // `/#a` is a pattern for a file named `#a`, `#a` a comment.
    expect(excluded(['/#a'], '#a')).toEqual(['#a']);
    expect(excluded(['#a'], '#a')).toEqual([]);
  });

  it('rejects what Docker rejects: a lone ! and a malformed class', () => {
    expect(() => dockerignoreMatcher(['!'])).toThrow(/illegal exclusion/);
    expect(() => dockerignoreMatcher(['a['])).toThrow(/bad pattern/);
  });
});

describe('the build context of a project tree', () => {
  it('walks into an excluded directory only for what an exception re-includes, and copies what is kept', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'docker-context-'));
    const dir = path.join(root, 'project');
    const files = [
      'mix.exs',
      'lib/app.ex',
      '.git/HEAD',
      '.git/config',
      '.git/refs/heads/main',
      '_build/prod/lib/app.beam',
      'deps/x/mix.exs',
      'test/app_test.exs',
      'priv/static/robots.txt',
      'priv/static/assets/app.js',
      'priv/static/app-0123456789abcdef0123456789abcdef.css',
      'priv/static/app.css.gz',
      'config/.env',
      '.env.local',
      'erl_crash.dump',
      'assets/node_modules/x/index.js',
      'assets/js/app.js',
    ];
    for (const file of files) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), file);
    }
    mkdirSync(path.join(dir, 'empty'));
    const lines = [
      '.git',
      '!.git/HEAD',
      '!.git/refs',
      '/_build/',
      '/deps/',
      '/test/',
      'erl_crash.dump',
      '/assets/node_modules/',
      '/priv/static/assets/',
      '/priv/static/**/*.gz',
      `/priv/static/**/*-${'[0-9a-f]'.repeat(32)}.*`,
      '**/.env*',
    ];
    writeFileSync(path.join(dir, '.dockerignore'), lines.join('\n'));
    const expected = [
      '.dockerignore',
      '.git',
      '.git/HEAD',
      '.git/refs',
      '.git/refs/heads',
      '.git/refs/heads/main',
      'assets',
      'assets/js',
      'assets/js/app.js',
      'config',
      'empty',
      'lib',
      'lib/app.ex',
      'mix.exs',
      'priv',
      'priv/static',
      'priv/static/robots.txt',
    ];
    expect(await listBuildContext(dir)).toEqual(expected);
    const target = path.join(root, 'context');
    expect(await copyBuildContext(dir, target)).toEqual(expected);
    expect(await listBuildContext(target, [])).toEqual(expected);
  });
});

describe("COPY's wildcards (Go's filepath.Match, one segment)", () => {
  it('matches *, ? and classes within a name, and ** as *', () => {
    expect(matchesSegment('*.exs', 'mix.exs')).toBe(true);
    expect(matchesSegment('*.exs', 'mix.ex')).toBe(false);
    expect(matchesSegment('mix.?ock', 'mix.lock')).toBe(true);
    expect(matchesSegment('[a-c]pp', 'bpp')).toBe(true);
    expect(matchesSegment('[^a-c]pp', 'bpp')).toBe(false);
    expect(matchesSegment('**.exs', 'mix.exs')).toBe(true);
    expect(matchesSegment('*', '.formatter.exs')).toBe(true);
    expect(matchesSegment('!x', '!x')).toBe(true);
    expect(matchesSegment('a+b', 'aab')).toBe(false);
  });
});
