import { describe, expect, it } from 'vitest';
import { planFiles } from '../../src/plan.js';
import { templateInputOf } from '../helpers/facts.js';
import { fixture, fixtures, type PlanFixture } from './fixtures.js';

async function plan(f: PlanFixture) {
  return planFiles(await templateInputOf(f));
}

async function paths(f: PlanFixture): Promise<string[]> {
  return (await plan(f)).map((s) => s.path);
}

describe('planFiles', () => {
  it('plans what phx.gen.release writes, plus the Docker files, for a Phoenix app with Ecto', async () => {
    expect((await paths(fixture('phoenix-ecto')))).toEqual([
      'rel/overlays/bin/server',
      'rel/overlays/bin/server.bat',
      'rel/overlays/bin/migrate',
      'rel/overlays/bin/migrate.bat',
      'lib/my_app/release.ex',
      'Dockerfile',
      '.dockerignore',
    ]);
  });

  it('gives shell scripts mode 0755 and LF, batch files CRLF, everything else 0644', async () => {
    for (const spec of (await plan(fixture('phoenix-ecto')))) {
      const script = spec.path === 'rel/overlays/bin/server' || spec.path === 'rel/overlays/bin/migrate';
      expect(spec.mode, spec.path).toBe(script ? 0o755 : 0o644);
      expect(spec.eol, spec.path).toBe(spec.path.endsWith('.bat') ? 'crlf' : 'lf');
    }
  });

  it('maps every file to the template at the same relative path', async () => {
    const templates = Object.fromEntries((await plan(fixture('phoenix-ecto'))).map((s) => [s.path, s.template]));
    expect(templates).toEqual({
      'rel/overlays/bin/server': 'rel/overlays/bin/server.hbs',
      'rel/overlays/bin/server.bat': 'rel/overlays/bin/server.bat.hbs',
      'rel/overlays/bin/migrate': 'rel/overlays/bin/migrate.hbs',
      'rel/overlays/bin/migrate.bat': 'rel/overlays/bin/migrate.bat.hbs',
      'lib/my_app/release.ex': 'lib/release.ex.hbs',
      Dockerfile: 'Dockerfile.hbs',
      '.dockerignore': 'dockerignore.hbs',
    });
  });

  it('writes no migration files without Ecto', async () => {
    expect((await paths(fixture('phoenix-no-ecto')))).toEqual([
      'rel/overlays/bin/server',
      'rel/overlays/bin/server.bat',
      'Dockerfile',
      '.dockerignore',
    ]);
  });

  it('writes migration files when the user asks for them, even if Ecto was not detected', async () => {
    const f = fixture('phoenix-no-ecto');
    expect((await paths({ ...f, answers: { ...f.answers, ecto: true } }))).toContain('lib/my_app/release.ex');
  });

  it('writes no Docker files unless asked, and needs no image then', async () => {
    const f = fixture('unix-only');
    expect(f.image).toBeNull();
    expect((await paths(f))).toEqual(['rel/overlays/bin/server', 'rel/overlays/bin/migrate', 'lib/my_app/release.ex']);
  });

  it('refuses to plan a Dockerfile without images', async () => {
    const f = fixture('phoenix-ecto');
    const input = await templateInputOf(f);
    expect(() => planFiles({ ...input, image: null })).toThrow(/images/);
  });

  it('skips the .bat files when the chosen release has no Windows executables', async () => {
    expect((await paths(fixture('unix-only'))).filter((p) => p.endsWith('.bat'))).toEqual([]);
  });

  it('looks up include_executables_for on the chosen release, not another one', async () => {
    const f = fixture('named-release');
    expect((await paths(f))).toContain('rel/overlays/bin/server.bat');
    expect((await paths({ ...f, answers: { ...f.answers, release: 'admin' } }))).not.toContain('rel/overlays/bin/server.bat');
  });

  it('calls the chosen release and puts Release in the app namespace', async () => {
    const data = (await plan(fixture('named-release')))[0]!.data;
    expect(data).toMatchObject({ release: 'storefront', app: 'shop', namespace: 'Acme.Shop' });
    expect((await paths(fixture('named-release')))).toContain('lib/shop/release.ex');
  });

  it('puts the umbrella overlays at the root and Release in the app that owns the repos', async () => {
    const specs = (await plan(fixture('umbrella')));
    expect(specs.map((s) => s.path)).toEqual([
      'rel/overlays/bin/server',
      'rel/overlays/bin/server.bat',
      'rel/overlays/bin/migrate',
      'rel/overlays/bin/migrate.bat',
      'apps/hub/lib/hub/release.ex',
      'Dockerfile',
      '.dockerignore',
    ]);
    expect(specs[0]!.data).toMatchObject({
      app: 'hub',
      namespace: 'Hub',
      release: 'hub',
      phoenix: true,
      umbrellaApps: [
        { app: 'hub', dir: 'apps/hub' },
        { app: 'hub_web', dir: 'apps/hub_web' },
      ],
    });
  });

  it('decides the Dockerfile COPY lines from what exists', async () => {
    const docker = async (name: string) => (await plan(fixture(name)))[0]!.data.docker;
    expect(await docker('plain-mix')).toMatchObject({
      mixLock: false,
      configCopies: [],
      runtimeCopies: [],
      sourceCopies: ['lib'],
      assets: { present: false },
      ignoreBuiltStatic: false,
    });
    expect(await docker('phoenix-ecto')).toMatchObject({
      configCopies: [{ sources: 'config/config.exs config/prod.exs', dest: 'config/' }],
      runtimeCopies: ['config/runtime.exs'],
      sourceCopies: ['lib', 'priv'],
      assets: { present: true, copy: true, setup: true, deploy: true, nodeModulesStage: false, npmInBuilder: false },
      ignoreBuiltStatic: true,
    });
    expect(await docker('phoenix-assets-npm')).toMatchObject({ assets: { present: true, nodeModulesStage: true, packageLock: true } });
    expect(await docker('umbrella')).toMatchObject({
      sourceCopies: ['apps'],
      depsCopies: [
        { sources: 'apps/hub/mix.exs', dest: 'apps/hub/' },
        { sources: 'apps/hub_web/mix.exs', dest: 'apps/hub_web/' },
      ],
      assets: { present: true, copy: false, nodeModulesStage: true, packageLock: false },
    });
  });

  it('describes the images for the Dockerfile header', async () => {
    expect((await plan(fixture('phoenix-ecto')))[0]!.data.image).toEqual({
      elixir: '1.18.4',
      otp: '27.3.4.3',
      codename: 'trixie',
      debianVersion: 'trixie-20250908-slim',
      builder: 'hexpm/elixir:1.18.4-erlang-27.3.4.3-debian-trixie-20250908-slim',
      runner: 'debian:trixie-20250908-slim',
      verified: false,
      fromCatalog: true,
      catalogAsOf: '2026-11',
      nodeVersion: '24',
    });
    expect((await plan(fixture('phoenix-no-ecto')))[0]!.data.image).toMatchObject({ verified: true, fromCatalog: false, catalogAsOf: null });
  });

  it('is pure: planning twice gives equal plans and leaves the inputs alone', async () => {
    for (const f of fixtures) {
      const before = JSON.stringify(f);
      expect((await plan(f))).toEqual((await plan(f)));
      expect(JSON.stringify(f)).toBe(before);
    }
  });
});

describe('planFiles for each release and umbrella shape', () => {
  const data = async (f: PlanFixture) => (await plan(f))[0]!.data;
  const endpointsOf = async (f: PlanFixture) => (await templateInputOf(f)).target.endpoints.map((e) => e.module);

  it('names the release to build only when mix.exs declares several', async () => {
    expect((await data(fixture('named-release'))).releaseCommand).toBe('mix release storefront');
    expect((await data(fixture('phoenix-ecto'))).releaseCommand).toBe('mix release');
    expect((await data(fixture('release-path-overlays'))).releaseCommand).toBe('mix release');
  });

  it('copies the release from its path: and brings its own overlay dirs into the image', async () => {
    expect((await data(fixture('release-path-overlays')))).toMatchObject({
      release: 'storefront',
      builtReleaseDir: '/app/dist/storefront',
      // rel/overlays comes with `COPY rel rel`.
      extraOverlays: ['deploy/overlays'],
    });
    expect((await data(fixture('phoenix-ecto')))).toMatchObject({
      builtReleaseDir: '/app/_build/${MIX_ENV}/rel/my_app',
      extraOverlays: [],
    });
    const f = fixture('release-path-overlays');
    const odd = { ...f.facts.releases[0]!, path: './out/rel/', overlays: ['./deploy/', '../shared', '/etc/x', 'rel'] };
    expect((await data({ ...f, facts: { ...f.facts, releases: [odd] } }))).toMatchObject({
      builtReleaseDir: '/app/out/rel',
      extraOverlays: ['deploy'],
    });
  });

  it('writes no .bat file for a [:unix] release', async () => {
    expect((await paths(fixture('release-path-overlays'))).filter((p) => p.endsWith('.bat'))).toEqual([]);
  });

  it('plain app: Release in the configured acronym namespace, no Phoenix', async () => {
    const f = fixture('plain-otp-ecto');
    expect((await paths(f))).toContain('lib/acme_api/release.ex');
    expect((await data(f))).toMatchObject({ phoenix: false, namespace: 'AcmeAPI', app: 'acme_api', releaseModule: 'AcmeAPI.Release', serverEnv: [] });
  });

  it('umbrella: Release goes to the core app owning the repos, not a web app that also lists them', async () => {
    const f = fixture('umbrella-two-web');
    expect((await paths(f))).toContain('apps/core/lib/core/release.ex');
    expect((await data(f))).toMatchObject({ app: 'core', namespace: 'Acme.Core', phoenix: true, releaseModule: 'Acme.Core.Release' });
    expect(await endpointsOf(f)).toEqual(['ShopWeb.Endpoint']);
  });

  it('umbrella: the web app follows the release applications, and --app', async () => {
    const f = fixture('umbrella-two-web');
    // `admin` lists admin_web only; core comes with it as its dependency.
    const admin = { ...f, answers: { ...f.answers, release: 'admin', app: undefined } };
    expect(await data(admin)).toMatchObject({ release: 'admin', phoenix: true, app: 'core' });
    expect(await endpointsOf(admin)).toEqual(['AdminWeb.Endpoint']);
    expect(await endpointsOf({ ...f, answers: { ...f.answers, app: 'admin_web' } })).toEqual(['AdminWeb.Endpoint']);
  });

  it('umbrella: a release without a web app is started like a plain app', async () => {
    const f = fixture('umbrella-worker');
    expect((await data(f))).toMatchObject({ phoenix: false, serverEnv: [], app: 'core' });
    expect(await endpointsOf(f)).toEqual([]);
    expect((await paths(f)).filter((p) => p.endsWith('.bat'))).toEqual([]);
  });

  it('umbrella with --ecto and no app owning repos: the core app the others depend on gets Release', async () => {
    const f = fixture('umbrella-two-web');
    const apps = f.facts.apps.map((a) => ({ ...a, repos: [], ectoFrom: null, deps: a.deps.filter((d) => d !== 'ecto_sql') }));
    const facts = { ...f.facts, apps };
    expect((await paths({ ...f, facts }))).toContain('apps/core/lib/core/release.ex');
  });
});
