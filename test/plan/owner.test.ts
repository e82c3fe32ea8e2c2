// Which app of an umbrella owns the release-tasks module (lib/<app>/release.ex, what bin/migrate
// calls): the app that already has one; else the app that brings Ecto as a dependency, then one
// with repos configured; among those, the core app (not web, depended on) before the others.
import { describe, expect, it } from 'vitest';
import type { AppFacts } from '../../src/types.js';
import { appFacts, endpointOf, projectFacts, targetOf } from '../helpers/facts.js';

const web = (app: string, more: Partial<AppFacts> = {}) =>
  appFacts(app, { dir: `apps/${app}`, deps: ['phoenix'], phoenix: true, endpoints: [endpointOf(app, 'Hub', `apps/${app}`)], ...more });
const plain = (app: string, more: Partial<AppFacts> = {}) => appFacts(app, { dir: `apps/${app}`, ...more });
const ectoDep = { deps: ['ecto_sql'], repos: ['Hub.Repo'], ectoFrom: 'the ecto_sql dependency' };
const reposOnly = { repos: ['Hub.Repo'], ectoFrom: 'ecto_repos in config/config.exs' };

async function ownerOf(apps: AppFacts[]): Promise<string> {
  const facts = projectFacts(apps, { root: '/projects/hub', umbrella: { appsPath: 'apps' } });
  const webApp = apps.find((a) => a.endpoints.length > 0)?.app;
  return (await targetOf(facts, { app: webApp })).owner.app;
}

describe('the owner of the release-tasks module in an umbrella', () => {
  it('the app that already has one, even a web app', async () => {
    const tasks = { module: 'HubWeb.ReleaseTasks', file: 'apps/hub_web/lib/hub_web/release_tasks.ex' };
    expect(await ownerOf([plain('hub', ectoDep), web('hub_web', { deps: ['phoenix', 'hub'], releaseTasks: tasks })])).toBe('hub_web');
  });

  it('the app that depends on Ecto, before one that only has ecto_repos configured', async () => {
    expect(await ownerOf([plain('accounts', reposOnly), plain('store', ectoDep), web('hub_web', { deps: ['phoenix', 'accounts', 'store'] })])).toBe('store');
  });

  it('ecto_repos alone: the app that has repos', async () => {
    expect(await ownerOf([plain('mailer'), plain('accounts', reposOnly), web('hub_web', { deps: ['phoenix', 'mailer', 'accounts'] })])).toBe('accounts');
  });

  it('among several, the core app: not web and depended on, before one nobody uses', async () => {
    const apps = [plain('tools', ectoDep), plain('core', ectoDep), web('hub_web', { ...ectoDep, deps: ['phoenix', 'ecto_sql', 'core'] })];
    expect(await ownerOf(apps)).toBe('core');
  });

  it('then an app that is not web, before the web app', async () => {
    expect(await ownerOf([web('hub_web', ectoDep), plain('tools', ectoDep)])).toBe('tools');
  });

  it('then a web app other apps depend on, before one nobody does', async () => {
    const apps = [web('admin_web', ectoDep), web('hub_web', ectoDep), plain('api', { deps: ['hub_web'] })];
    const facts = projectFacts(apps, { root: '/projects/hub', umbrella: { appsPath: 'apps' } });
    expect((await targetOf(facts, { app: 'admin_web' })).owner.app).toBe('hub_web');
  });

  it('then the first of them', async () => {
    const apps = [web('admin_web', ectoDep), web('hub_web', ectoDep)];
    const facts = projectFacts(apps, { root: '/projects/hub', umbrella: { appsPath: 'apps' } });
    expect((await targetOf(facts, { app: 'hub_web' })).owner.app).toBe('admin_web');
  });

  it('no Ecto anywhere: the core app all the same', async () => {
    expect(await ownerOf([web('hub_web', { deps: ['phoenix', 'core'] }), plain('core')])).toBe('core');
  });
});
