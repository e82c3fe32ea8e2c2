// The release and umbrella web app a run sets up for: from the flag, else a prompt when there is a
// choice, else the only candidate; a choice nobody can make is a one-line error naming the options.
import { describe, expect, it } from 'vitest';
import { decideAnswers, equivalentCommand } from '../../src/answers.js';
import { decideTarget } from '../../src/target.js';
import { CreateReleaseError } from '../../src/errors.js';
import type { Prompter } from '../../src/options.js';
import type { ProjectFacts } from '../../src/types.js';
import { fixture } from './fixtures.js';

/** A prompter that answers `select` with `pick(choices)` and records the questions. */
function scripted(pick: (choices: string[]) => string) {
  const asked: Array<{ message: string; choices: string[] }> = [];
  const prompter: Prompter = {
    confirm: async (_message, defaultValue) => defaultValue,
    select: async (message, choices) => {
      asked.push({ message, choices });
      return pick(choices);
    },
    checkbox: async () => [],
    conflict: async () => 'quit',
  };
  return { prompter, asked };
}

const acme = fixture('umbrella-two-web').facts;

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CreateReleaseError);
  const message = (error as CreateReleaseError).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('decideTarget', () => {
  it('asks which release when several are declared, then which web app the release holds', async () => {
    const { prompter, asked } = scripted((choices) => (choices.includes('acme') ? 'acme' : choices.at(-1)!));
    const target = await decideTarget(acme, {}, prompter);
    expect(asked).toEqual([
      { message: expect.stringMatching(/several releases/), choices: ['acme', 'admin', 'worker'] },
      // acme holds both web apps; core is not one.
      { message: expect.stringMatching(/several web apps/), choices: ['admin_web', 'shop_web'] },
    ]);
    expect(target).toMatchObject({ release: { name: 'acme' }, webApp: 'shop_web', endpoints: [{ module: 'ShopWeb.Endpoint' }] });
  });

  it('asks nothing about web apps for a release that holds none', async () => {
    const { prompter, asked } = scripted(() => 'worker');
    expect(await decideTarget(acme, {}, prompter)).toMatchObject({ release: { name: 'worker' }, webApp: null });
    expect(asked).toHaveLength(1);
  });

  it('takes --release and --app without asking, and looks at the project through the web app', async () => {
    const { prompter, asked } = scripted(() => 'unused');
    const target = await decideTarget(acme, { release: 'acme', app: 'admin_web' }, prompter);
    expect(asked).toEqual([]);
    expect(target).toMatchObject({ release: { name: 'acme' }, webApp: 'admin_web', phoenix: true, endpoints: [{ module: 'AdminWeb.Endpoint' }] });
    expect(target.main).toMatchObject({ app: 'admin_web', namespace: 'AdminWeb' });
    expect(target.owner).toMatchObject({ app: 'core', namespace: 'Acme.Core' });
    expect(target.ectoFrom).toBe('the ecto_sql dependency');
  });

  it('needs no --app when the release holds one web app, and none for a release without one', async () => {
    const admin = await decideTarget(acme, { release: 'admin' }, undefined);
    expect(admin).toMatchObject({ webApp: 'admin_web', phoenix: true, endpoints: [{ module: 'AdminWeb.Endpoint' }] });
    const worker = await decideTarget(acme, { release: 'worker' }, undefined);
    expect(worker).toMatchObject({ webApp: null, phoenix: false, endpoints: [], main: { app: 'core', namespace: 'Acme.Core' } });
  });

  it('without a terminal, names the choices it cannot make', async () => {
    expect(await failure(decideTarget(acme, {}, undefined))).toMatch(/several releases \(acme, admin, worker\).*--release/);
    const message = await failure(decideTarget(acme, { release: 'acme' }, undefined));
    expect(message).toMatch(/several web apps \(admin_web, shop_web\).*--app <name>/);
  });

  it('refuses an --app that is not a web app of the release, saying which are', async () => {
    expect(await failure(decideTarget(acme, { release: 'acme', app: 'core' }, undefined))).toMatch(
      /--app core: apps\/core is not a web app \(no module uses Phoenix.Endpoint\).*admin_web, shop_web/,
    );
    expect(await failure(decideTarget(acme, { release: 'acme', app: 'nope' }, undefined))).toMatch(
      /--app nope: .*no such app.*admin_web, core, shop_web/,
    );
    expect(await failure(decideTarget(acme, { release: 'admin', app: 'shop_web' }, undefined))).toMatch(
      /release admin does not include it.*web apps: admin_web/,
    );
    expect(await failure(decideTarget(acme, { release: 'worker', app: 'shop_web' }, undefined))).toMatch(/has none/);
  });

  it('outside umbrellas, --app can only name the app itself', async () => {
    const single = fixture('phoenix-ecto').facts;
    expect(await decideTarget(single, { app: 'my_app' }, undefined)).toMatchObject({ release: { name: 'my_app' }, facts: single });
    expect(await failure(decideTarget(single, { app: 'other' }, undefined))).toMatch(/only umbrella projects/);
  });

  it('an umbrella that declares no release: named after its directory, or --release', async () => {
    const facts: ProjectFacts = { ...acme, root: '/work/acme_umbrella', releases: [] };
    expect((await decideTarget(facts, { app: 'shop_web' }, undefined)).release.name).toBe('acme');
    expect((await decideTarget({ ...facts, root: '/work/Big-Shop' }, { app: 'shop_web' }, undefined)).release.name).toBe('big_shop');
    expect((await decideTarget(facts, { release: 'site', app: 'shop_web' }, undefined)).release.name).toBe('site');
    expect(await failure(decideTarget(facts, { release: 'Site!', app: 'shop_web' }, undefined))).toMatch(/atom/);
  });
});

describe('decideTarget with default_release', () => {
  const duo = { ...acme, releases: acme.releases, defaultRelease: 'admin' };

  it('takes default_release when nobody can be asked, as mix release does', async () => {
    expect(await decideTarget(duo, {}, undefined)).toMatchObject({ release: { name: 'admin' }, releaseFrom: 'default_release: in mix.exs' });
  });

  it('offers default_release first when asking', async () => {
    const { prompter, asked } = scripted((choices) => choices[0]!);
    expect(await decideTarget(duo, {}, prompter)).toMatchObject({ release: { name: 'admin' } });
    expect(asked[0]!.choices).toEqual(['admin', 'acme', 'worker']);
  });

  it('still honours --release', async () => {
    expect(await decideTarget(duo, { release: 'worker' }, undefined)).toMatchObject({ release: { name: 'worker' }, releaseFrom: '--release' });
  });

  it('ignores a default_release that names no declared release, and asks for --release', async () => {
    expect(await failure(decideTarget({ ...duo, defaultRelease: 'gone' }, {}, undefined))).toMatch(/several releases.*--release/);
  });
});

describe('decideAnswers and equivalentCommand', () => {
  it('carry the web app, and repeat --release and --app only when there was a choice', async () => {
    const target = await decideTarget(acme, { release: 'acme', app: 'shop_web' }, undefined);
    const answers = await decideAnswers(target, { yes: true }, undefined, async () => []);
    expect(answers).toEqual({ release: 'acme', app: 'shop_web', ecto: true, docker: false, deploy: [], patchRuntime: true });
    expect(equivalentCommand({ dir: '.' }, answers, target.facts)).toBe(
      'npx create-release --release acme --app shop_web --ecto --no-docker --patch-runtime --yes',
    );
    const admin = await decideTarget(acme, { release: 'admin' }, undefined);
    const adminAnswers = await decideAnswers(admin, { yes: true }, undefined, async () => []);
    expect(equivalentCommand({ dir: '.' }, adminAnswers, admin.facts)).not.toContain('--app');
  });

  it('repeats the --release of an umbrella that declares none, unless it is the default name', async () => {
    const facts: ProjectFacts = { ...acme, root: '/work/acme_umbrella', releases: [] };
    const answers = { ecto: true, docker: false, patchRuntime: false, deploy: [], app: 'shop_web' };
    expect(equivalentCommand({ dir: '.' }, { ...answers, release: 'site' }, facts)).toContain('--release site --app shop_web');
    expect(equivalentCommand({ dir: '.' }, { ...answers, release: 'acme' }, facts)).not.toContain('--release');
  });

  it('repeats the conflict answers as --skip or --force', async () => {
    const target = await decideTarget(fixture('phoenix-ecto').facts, {}, undefined);
    const answers = await decideAnswers(target, { yes: true }, undefined, async () => []);
    expect(equivalentCommand({ dir: '.' }, answers, target.facts, 'skip')).toMatch(/ --skip --yes$/);
    expect(equivalentCommand({ dir: '.' }, answers, target.facts, 'force')).toMatch(/ --force --yes$/);
    expect(equivalentCommand({ dir: '.' }, answers, target.facts)).not.toMatch(/--skip|--force/);
  });

  it('leaves app out of the answers outside umbrellas', async () => {
    const target = await decideTarget(fixture('phoenix-ecto').facts, {}, undefined);
    expect(await decideAnswers(target, { yes: false }, undefined, async () => [])).not.toHaveProperty('app');
  });
});
