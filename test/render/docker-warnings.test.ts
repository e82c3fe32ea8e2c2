// What a user is told about building the image: config imports that cannot be followed or do not
// exist, files git ignores, path dependencies outside the project, git over SSH, native code,
// key-like files in the context, and a tree too large to search. Each warning says what to do.
import { describe, expect, it } from 'vitest';
import { buildDockerData, dockerWarnings } from '../../src/docker-data.js';
import type { AppFacts, DockerLayout, ProjectFacts } from '../../src/types.js';
import { appFacts, dockerLayoutOf, projectFacts, targetOf } from '../helpers/facts.js';

const layoutShape = { mixLock: true, configExs: true, prodConfig: true, priv: true, assetsDir: null, assetsPackageJson: false, assetsPackageLock: false };

async function warningsOf(facts: ProjectFacts, layout: Partial<DockerLayout> = {}): Promise<string[]> {
  const target = await targetOf(facts);
  const full = { ...dockerLayoutOf(layoutShape, facts), ...layout };
  return dockerWarnings(target, full, buildDockerData(target, full));
}

const single = (app: Partial<AppFacts> = {}, more: Partial<ProjectFacts> = {}) => projectFacts([appFacts('shop', app)], { root: '/projects/shop', ...more });

describe('dockerWarnings', () => {
  it('a plain project: none', async () => {
    expect(await warningsOf(single())).toEqual([]);
  });

  it('config imports that cannot be followed, or name a missing file', async () => {
    const facts = single({}, { config: { files: ['config/config.exs'], unresolved: ['config/config.exs:12'], missing: [{ path: 'config/prod.secret.exs', from: 'config/prod.exs' }] } });
    expect(await warningsOf(facts)).toEqual([
      'config/config.exs:12 imports a file whose path is computed: the Dockerfile copies all of config/ before compiling dependencies (so a change to runtime.exs rebuilds them).',
      'config/prod.exs imports config/prod.secret.exs, which does not exist: the image build fails at `mix deps.compile`; create it, or move its settings into config/runtime.exs (read from environment variables at boot).',
    ]);
  });

  it('config files git ignores', async () => {
    expect(await warningsOf(single(), { gitIgnored: ['config/prod.secret.exs'] })).toEqual([
      'config/prod.secret.exs is ignored by git (.gitignore): a build from a fresh checkout (CI) will not have it; move its settings into config/runtime.exs, read from environment variables.',
    ]);
  });

  it("files mix.exs reads from a computed path, naming the app's mix.exs", async () => {
    const facts = projectFacts(
      [appFacts('core', { dir: 'apps/core', loadTimeFiles: { files: [], unresolved: ['Path.join(__DIR__, name)'] } }), appFacts('web', { dir: 'apps/web' })],
      { root: '/projects/hub', umbrella: { appsPath: 'apps' } },
    );
    expect(await warningsOf(facts)).toEqual([
      'apps/core/mix.exs reads a file whose path is computed (`Path.join(__DIR__, name)`): copy that file before `mix deps.get` in the Dockerfile, or the build fails there.',
    ]);
    const top = await warningsOf(single({ loadTimeFiles: { files: [], unresolved: ['x'] } }));
    expect(top[0]).toMatch(/^mix\.exs reads a file/);
  });

  it('path dependencies outside the project (not those inside)', async () => {
    const facts = single({
      depSources: [
        { name: 'shared', path: '../shared', git: null },
        { name: 'abs', path: '/opt/abs', git: null },
        { name: 'local', path: 'vendor/local', git: null },
        { name: 'up', path: '..', git: null },
        { name: 'gh', path: null, git: 'https://github.com/a/b.git' },
      ],
    });
    const warnings = await warningsOf(facts);
    expect(warnings).toEqual([
      'dependency shared comes from ../shared, outside the project, which `docker build .` cannot see: build from the parent directory (docker build -f shop/Dockerfile ..) and adjust the COPY lines, or publish the dependency (Hex, a git repository) or vendor it into the project.',
      expect.stringMatching(/^dependency abs comes from \/opt\/abs, outside the project/),
      expect.stringMatching(/^dependency up comes from \.\., outside the project/),
    ]);
  });

  it("an umbrella app's path dependency is resolved from the app's directory", async () => {
    const facts = projectFacts(
      [appFacts('core', { dir: 'apps/core', depSources: [{ name: 'sibling', path: '../web', git: null }, { name: 'out', path: '../../../x', git: null }] }), appFacts('web', { dir: 'apps/web' })],
      { root: '/projects/hub', umbrella: { appsPath: 'apps' } },
    );
    const warnings = await warningsOf(facts);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^dependency out comes from \.\.\/\.\.\/\.\.\/x, outside the project/);
  });

  it('git over SSH: each host once, and how to build', async () => {
    const facts = single({
      depSources: [
        { name: 'a', path: null, git: 'git@github.com:acme/a.git' },
        { name: 'b', path: null, git: 'ssh://git@gitlab.example.com/acme/b.git' },
        { name: 'c', path: null, git: 'git@github.com:acme/c.git' },
        { name: 'd', path: null, git: 'ssh://host.example/repo' },
        { name: 'e', path: null, git: 'https://github.com/acme/e.git' },
      ],
    });
    expect(await warningsOf(facts)).toEqual([
      'git dependencies are fetched over SSH (github.com, gitlab.example.com, host.example): the Dockerfile mounts your SSH agent for `mix deps.get` (BuildKit); build with `docker build --ssh default .` and never copy keys into the image.',
    ]);
  });

  it('packages that compile native code with make, except those that need only a C compiler', async () => {
    const pkg = (name: string, buildTools: string[]) => ({ name, version: '1.0.0', buildTools, deps: [] });
    const one = await warningsOf(single(), { lock: [pkg('vix', ['make']), pkg('bcrypt_elixir', ['make']), pkg('jason', ['mix'])] });
    expect(one).toEqual([
      "vix compiles native code with make: the builder has build-essential; if it needs system libraries (their -dev packages), add them to the builder's apt-get line.",
    ]);
    const two = await warningsOf(single(), { lock: [pkg('vix', ['make']), pkg('evision', ['mix', 'make'])] });
    expect(two).toEqual([
      "vix, evision compile native code with make: the builder has build-essential; if they need system libraries (their -dev packages), add them to the builder's apt-get line.",
    ]);
  });

  it('key-like files in the context: the first five, and how many more', async () => {
    expect(await warningsOf(single(), { keyFiles: ['id_rsa'] })).toEqual([
      'key-like files will be in the Docker build context and, under priv/, in the image: id_rsa. Keep those the app needs at run time (a CA bundle, say); add the others (private keys) to .dockerignore.',
    ]);
    const seven = ['a.pem', 'b.pem', 'c.pem', 'd.pem', 'e.pem', 'f.pem', 'g.pem'];
    expect((await warningsOf(single(), { keyFiles: seven }))[0]).toContain('in the image: a.pem, b.pem, c.pem, d.pem, e.pem, and 2 more. Keep');
    expect((await warningsOf(single(), { keyFiles: seven.slice(0, 5) }))[0]).toContain('in the image: a.pem, b.pem, c.pem, d.pem, e.pem. Keep');
  });

  it('a tree too large to search', async () => {
    expect(await warningsOf(single(), { contextTruncated: true })).toEqual([
      'the project has more than 20000 entries outside deps/ and _build/: key-like files were not looked for everywhere.',
    ]);
  });
});
