// The Dockerfile read the way Docker reads it (dockerfile-ast), checked for what a reviewer would
// check: pinned images on one Debian snapshot, cache-friendly order, nothing COPYed that does not
// exist, an unprivileged exec-form start.
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { fixtures, type PlanFixture } from '../plan/fixtures.js';
import { dockerignoreMatcher } from '../helpers/docker-context.js';
import { fileNamed, renderFixture } from './helpers.js';

const dockerFixtures = fixtures.filter((f) => f.answers.docker);

interface Stage {
  name: string | null;
  image: string;
  instructions: Instruction[];
}

function parseStages(content: string): Stage[] {
  const dockerfile = DockerfileParser.parse(content);
  const args = new Map<string, string>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) args.set(property.getName(), (property.getValue() ?? '').replace(/^"(.*)"$/, '$1'));
  }
  const expand = (text: string): string =>
    text.replace(/\$\{(\w+)\}/g, (_, name: string) => {
      const value = args.get(name);
      if (value === undefined) throw new Error(`ARG ${name} has no default`);
      return expand(value);
    });
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = dockerfile.getFROMs().find((f) => f.getRange().start.line === instruction.getRange().start.line)!;
      stages.push({ name: from.getBuildStage(), image: expand(from.getImage() ?? ''), instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

function lines(stage: Stage): string[] {
  // toString() joins continuation lines and keeps the flags (--from, --chown).
  return stage.instructions.map((i) => i.toString().replace(/\s+/g, ' '));
}

/** The paths that exist in a project with this fixture's layout, as the COPY sources name them. */
function existingPaths(f: PlanFixture): Set<string> {
  const { layout } = f;
  const paths = ['mix.exs', 'lib', 'rel'];
  if (layout.mixLock) paths.push('mix.lock');
  if (layout.configExs) paths.push('config/config.exs');
  if (layout.prodConfig) paths.push('config/prod.exs');
  if (f.facts.runtimeExs !== null) paths.push('config/runtime.exs');
  if (layout.priv) paths.push('priv');
  if (layout.assetsDir) paths.push(layout.assetsDir);
  if (layout.assetsPackageJson) paths.push(`${layout.assetsDir}/package.json`);
  if (layout.assetsPackageLock) paths.push(`${layout.assetsDir}/package-lock.json`);
  if (f.facts.umbrella) paths.push('apps', ...f.facts.apps.map((a) => `${a.dir}/mix.exs`));
  paths.push(...overlayDirs(f));
  return new Set(paths);
}

/** The release's own overlay directories outside rel/ (Mix copies rel/overlays in any case). */
function overlayDirs(f: PlanFixture): string[] {
  const overlays = f.facts.releases.find((r) => r.name === f.answers.release)?.overlays ?? [];
  return overlays.filter((dir) => !dir.startsWith('rel/'));
}

async function dockerfileOf(f: PlanFixture) {
  const content = fileNamed(await renderFixture(f), 'Dockerfile').content;
  return { content, stages: parseStages(content) };
}

describe.each(dockerFixtures.map((f) => [f.name, f] as const))('Dockerfile of %s', (_, f) => {
  const hasAssets = f.layout.assetsDir !== null;
  const hasNode = hasAssets && f.layout.assetsPackageJson;

  it('has a builder and a runner stage, plus a Node stage exactly when there is a package.json', async () => {
    const { stages } = await dockerfileOf(f);
    expect(stages.map((s) => s.name)).toEqual([...(hasNode ? ['assets'] : []), 'builder', 'final']);
  });

  it('pins every image to a full tag, builder and runner on the same Debian snapshot', async () => {
    const { stages } = await dockerfileOf(f);
    for (const stage of stages) expect(stage.image).toMatch(/^[a-z0-9./-]+:[A-Za-z0-9._-]+$/);
    const builder = stages.find((s) => s.name === 'builder')!.image;
    const runner = stages.find((s) => s.name === 'final')!.image;
    expect(builder).toBe(f.image!.builder);
    expect(runner).toBe(f.image!.runner);
    const snapshot = /-debian-([a-z]+-\d{8})-slim$/.exec(builder)?.[1];
    expect(runner).toBe(`debian:${snapshot}-slim`);
    const node = stages.find((s) => s.name === 'assets');
    if (node) expect(node.image).toMatch(new RegExp(`^node:\\d+-${f.image!.codename}-slim$`));
  });

  it('runs the release unprivileged with an exec-form CMD', async () => {
    const { stages } = await dockerfileOf(f);
    const final = stages.at(-1)!;
    const users = final.instructions.filter((i) => i.getKeyword() === 'USER').map((i) => i.getArgumentsContent());
    expect(users.at(-1)).toMatch(/^(?!root$|0$)\w+/);
    const cmd = final.instructions.filter((i) => i.getKeyword() === 'CMD');
    expect(cmd).toHaveLength(1);
    const args = JSON.parse(cmd[0]!.getRawArgumentsContent()!) as string[];
    const phoenix = f.servesWeb ?? f.facts.apps.some((a) => a.phoenix);
    expect(args).toEqual(phoenix ? ['/app/bin/server'] : [`/app/bin/${f.answers.release}`, 'start']);
    // A release with `path:` is assembled there (relative to the project, the builder's /app).
    const declaredPath = f.facts.releases.find((r) => r.name === f.answers.release)?.path;
    const built = declaredPath ? `/app/${declaredPath}` : `/app/_build/\${MIX_ENV}/rel/${f.answers.release}`;
    expect(lines(final)).toContain(`COPY --from=builder --chown=nobody:root ${built} ./`);
  });

  it('fetches and compiles dependencies before copying the code, and copies rel before mix release', async () => {
    const { stages } = await dockerfileOf(f);
    const builder = lines(stages.find((s) => s.name === 'builder')!);
    const at = (line: string) => {
      const index = builder.indexOf(line);
      expect(index, line).toBeGreaterThanOrEqual(0);
      return index;
    };
    const code = f.facts.umbrella ? at('COPY apps apps') : at('COPY lib lib');
    // An umbrella's apps were compiled empty by deps.compile: its compile rebuilds them (--force).
    const compile = f.facts.umbrella ? 'RUN mix compile --force' : 'RUN mix compile';
    expect(at('RUN mix deps.get --only $MIX_ENV')).toBeLessThan(at('RUN mix deps.compile'));
    expect(at('RUN mix deps.compile')).toBeLessThan(code);
    expect(code).toBeLessThan(at(compile));
    // With several releases, a bare `mix release` stops and asks which one.
    const release = f.facts.releases.length > 1 ? `RUN mix release ${f.answers.release}` : 'RUN mix release';
    expect(at('COPY rel rel')).toBeLessThan(at(release));
    for (const dir of overlayDirs(f)) expect(at(`COPY ${dir} ${dir}`)).toBeLessThan(at(release));
    if (f.layout.configExs) expect(builder.findIndex((l) => l.startsWith('COPY config/config.exs'))).toBeLessThan(at('RUN mix deps.compile'));
    if (f.facts.runtimeExs !== null) expect(at('COPY config/runtime.exs config/')).toBeGreaterThan(at(compile));
    for (const app of f.facts.umbrella ? f.facts.apps : []) {
      expect(at(`COPY ${app.dir}/mix.exs ${app.dir}/`)).toBeLessThan(at('RUN mix deps.get --only $MIX_ENV'));
    }
  });

  it('builds assets exactly when the project has them', async () => {
    const { stages } = await dockerfileOf(f);
    const builder = lines(stages.find((s) => s.name === 'builder')!);
    const assetLines = builder.filter((l) => /mix assets\.|COPY (assets|--from=assets)/.test(l));
    if (!hasAssets) return expect(assetLines).toEqual([]);
    expect(assetLines).toEqual([
      'RUN mix assets.setup',
      ...(f.facts.umbrella ? [] : ['COPY assets assets']),
      ...(hasNode ? [`COPY --from=assets /app/${f.layout.assetsDir}/node_modules ${f.layout.assetsDir}/node_modules`] : []),
      'RUN mix assets.deploy',
    ]);
    expect(builder.indexOf('RUN mix assets.deploy')).toBeGreaterThan(builder.findIndex((l) => l.startsWith('RUN mix compile')));
  });

  it('COPYs only paths that exist in the project', async () => {
    const { stages } = await dockerfileOf(f);
    const existing = existingPaths(f);
    for (const stage of stages) {
      for (const copy of stage.instructions.filter((i) => i.getKeyword() === 'COPY')) {
        if (copy.toString().includes('--from=')) continue;
        const args = copy.getArguments().map((a) => a.getValue());
        for (const source of args.slice(0, -1)) {
          expect(existing, `${stage.name}: ${copy.toString()}`).toContain(source.replace('${MIX_ENV}', 'prod'));
        }
      }
    }
  });

  it('names the images and where they came from in its header', async () => {
    const { content } = await dockerfileOf(f);
    const header = content.slice(0, content.indexOf('\nARG'));
    expect(header).toContain(f.image!.builder);
    expect(header).toContain(f.image!.runner);
    expect(header).toContain('https://hub.docker.com/r/hexpm/elixir/tags');
    expect(header).toContain('https://hub.docker.com/_/debian');
    if (f.image!.source === 'index') {
      expect(header).toContain('were verified online');
    } else {
      expect(header).toContain('not verified online');
      expect(header).toContain(`(as of ${f.image!.asOf})`);
    }
  });
});

// Read with Docker's own matching rules (the replay's matcher: moby's, via @balena/dockerignore).
describe('.dockerignore', () => {
  const matcherOf = async (f: PlanFixture) =>
    dockerignoreMatcher(fileNamed(await renderFixture(f), '.dockerignore').content.split('\n'));

  it('keeps build output, dependencies, dev files, crash dumps and env files out, and the commit id in', async () => {
    const ignore = await matcherOf(dockerFixtures[0]!);
    const out = ['.git/config', '.git/objects/ab/cd', '_build/prod/lib/x.beam', 'deps/plug/mix.exs', 'test/x_test.exs', 'doc/index.html', 'cover/x.html', 'tmp/x',
      'erl_crash.dump', 'lib/erl_crash.dump', '.elixir_ls/x', 'a.ez', 'assets/node_modules/x/index.js', '.env', '.env.prod', 'config/.env', 'priv/cert/selfsigned_key.pem'];
    for (const file of out) expect(ignore.excludes(file), file).toBe(true);
    const kept = ['.git/HEAD', '.git/refs/heads/main', '.git/packed-refs', 'mix.exs', 'lib/x.ex', 'config/runtime.exs', 'rel/overlays/bin/server',
      // Certificates and keys the app may read at run time stay (the run lists them instead).
      'priv/certs/rds-ca.pem', 'priv/keys/client.key'];
    for (const file of kept) expect(ignore.excludes(file), file).toBe(false);
  });

  it('leaves out built static files only when the Dockerfile builds them again', async () => {
    const rebuilt = await matcherOf(dockerFixtures.find((f) => f.name === 'phoenix-ecto')!);
    expect(rebuilt.excludes('priv/static/assets/app.css')).toBe(true);
    expect(rebuilt.excludes('priv/static/images/logo.svg')).toBe(false);
    const none = await matcherOf(dockerFixtures.find((f) => f.name === 'plain-mix')!);
    expect(none.excludes('priv/static/assets/app.css')).toBe(false);
  });

  it('covers the apps of an umbrella too', async () => {
    const ignore = await matcherOf(fixtures.find((f) => f.facts.umbrella && f.answers.docker)!);
    for (const file of ['apps/hub_web/test/x.exs', 'apps/hub_web/assets/node_modules/x.js', 'apps/hub_web/priv/static/assets/app.js', 'apps/hub/priv/cert/k.pem']) {
      expect(ignore.excludes(file), file).toBe(true);
    }
  });
});

describe('asset steps follow the aliases mix.exs declares', () => {
  const withAssets = dockerFixtures.find((f) => f.layout.assetsDir !== null && !f.facts.umbrella)!;
  const assetSteps = async (names: string[] | null) => {
    const mixAliases = names && Object.fromEntries(names.map((name) => [name, [`${name} step`]]));
    const apps = withAssets.facts.apps.map((a) => ({ ...a, aliases: mixAliases }));
    const { stages } = await dockerfileOf({ ...withAssets, facts: { ...withAssets.facts, apps } });
    return lines(stages.find((s) => s.name === 'builder')!).filter((l) => /^RUN mix assets\./.test(l));
  };

  it('Phoenix 1.6 (assets.deploy only): no assets.setup', async () => {
    expect(await assetSteps(['setup', 'assets.deploy'])).toEqual(['RUN mix assets.deploy']);
  });

  it('no asset aliases at all: neither step', async () => {
    expect(await assetSteps(['setup', 'test'])).toEqual([]);
  });

  it('aliases that cannot be read: both steps, as phx.new writes them', async () => {
    expect(await assetSteps(null)).toEqual(['RUN mix assets.setup', 'RUN mix assets.deploy']);
  });
});

describe("an umbrella's apps_path", () => {
  it('is what the Dockerfile copies and .dockerignore filters, not a hard-coded apps/', async () => {
    const umbrella = dockerFixtures.find((f) => f.facts.umbrella)!;
    const apps = umbrella.facts.apps.map((a) => ({ ...a, dir: a.dir.replace(/^apps\//, 'services/') }));
    const f = { ...umbrella, facts: { ...umbrella.facts, apps, umbrella: { appsPath: 'services' } } };
    const files = await renderFixture(f);
    const builder = lines((await dockerfileOf(f)).stages.find((s) => s.name === 'builder')!);
    expect(builder).toContain('COPY services services');
    expect(builder).not.toContain('COPY apps apps');
    for (const app of apps) expect(builder).toContain(`COPY ${app.dir}/mix.exs ${app.dir}/`);
    const ignore = fileNamed(files, '.dockerignore').content;
    expect(ignore).toContain('/services/*/test/\n');
    expect(ignore).not.toContain('/apps/');
  });
});
