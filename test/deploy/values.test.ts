// The deploy values themselves: names, limits, how variables are split, and which files each
// target declares. The templates stay dumb: only `if`, `each` and `else`, laid out like their outputs.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployGenerator } from '../../generators/deploy.js';
import { templatesDir } from '../../src/assets.js';
import { planDeployFiles } from '../../src/deploy/plan.js';
import { buildDeployTemplateData, tomlString, yamlString } from '../../src/deploy/template-data.js';
import { buildDeployValues, deployNameProblem, nameFromRelease, type DeployInput } from '../../src/deploy/values.js';
import { UsageError } from '../../src/errors.js';
import { renderFiles } from '../../src/render.js';
import { parseToml, parseYaml, validateCompose, validateKubernetes } from '../helpers/schemas.js';
import { productionValues, renderCombination } from './combinations.js';

type InputOverrides = Partial<DeployInput> & { health?: boolean; drainSeconds?: number };

const input = ({ health = true, drainSeconds = 25, ...overrides }: InputOverrides = {}): DeployInput => ({
  targets: ['fly', 'kubernetes', 'compose'],
  name: null,
  release: 'my_app',
  http: true,
  production: productionValues({ health, drainSeconds }),
  forceSsl: false,
  ecto: true,
  ectoAdapters: ['postgrex'],
  cluster: null,
  runtimeEnv: [],
  ...overrides,
});

describe('the platform name', () => {
  it('is the release name made a DNS label', () => {
    expect(nameFromRelease('my_app')).toBe('my-app');
    expect(nameFromRelease('my_app_')).toBe('my-app');
    expect(nameFromRelease('a'.repeat(70))).toHaveLength(54);
    expect(buildDeployValues(input()).name).toBe('my-app');
  });

  it('is --name when given, refused when a platform could not take it', () => {
    expect(buildDeployValues(input({ name: 'shop' })).name).toBe('shop');
    for (const bad of ['My-App', 'my_app', '1app', 'app-', 'a'.repeat(55)]) {
      expect(deployNameProblem(bad), bad).not.toBeNull();
      expect(() => buildDeployValues(input({ name: bad }))).toThrow(UsageError);
    }
    expect(() => buildDeployValues(input({ name: 'my_app' }))).toThrow('--name my_app: the platform name must start with a lowercase letter');
  });
});

describe('the drain and the grace period', () => {
  it('puts every grace period 5 s above the drain', () => {
    const v = buildDeployValues(input({ drainSeconds: 40 }));
    expect([v.graceSeconds, v.fly!.killTimeout, v.kubernetes!.terminationGracePeriodSeconds]).toEqual([45, 45, 50]);
  });

  it("refuses a drain Fly's 300 s kill_timeout cannot cover, only when Fly is a target", () => {
    expect(() => buildDeployValues(input({ drainSeconds: 296 }))).toThrow(/at most 295 s/);
    expect(buildDeployValues(input({ drainSeconds: 296, targets: ['kubernetes'] })).graceSeconds).toBe(301);
    expect(() => buildDeployValues(input({ drainSeconds: 0 }))).toThrow(UsageError);
  });
});

describe('the variables', () => {
  it('keeps secrets apart from plain settings; an unknown variable is a secret', () => {
    const v = buildDeployValues(input({ runtimeEnv: ['POOL_SIZE', 'STRIPE_KEY', 'DATABASE_URL', 'PHX_SERVER', 'FLY_APP_NAME', 'RELEASE_NODE', 'not a name'], cluster: { dnsClusterQuery: true } }));
    expect(v.env.secrets.map((s) => s.name)).toEqual(['SECRET_KEY_BASE', 'DATABASE_URL', 'RELEASE_COOKIE', 'STRIPE_KEY']);
    expect(v.env.plain).toEqual([
      { name: 'PHX_HOST', value: 'example.com' },
      { name: 'PORT', value: '4000' },
      { name: 'POOL_SIZE', value: '10' },
    ]);
  });

  it('gives each platform its own values: the Fly host and IPv6, compose on localhost', () => {
    const v = buildDeployValues(input({ runtimeEnv: ['ECTO_IPV6'] }));
    expect(v.fly!.env.plain).toEqual(expect.arrayContaining([{ name: 'PHX_HOST', value: 'my-app.fly.dev' }, { name: 'ECTO_IPV6', value: 'true' }]));
    expect(v.kubernetes!.env.plain).toEqual(expect.arrayContaining([{ name: 'PHX_HOST', value: 'example.com' }, { name: 'ECTO_IPV6', value: 'false' }]));
    expect(v.compose!.env.plain).toEqual(expect.arrayContaining([{ name: 'PHX_HOST', value: 'localhost' }]));
    expect(v.compose!.env.secrets.map((s) => s.name)).toEqual(['SECRET_KEY_BASE', 'DB_PASSWORD']);
    expect(v.compose!.derived.map((d) => d.name)).toEqual(['DATABASE_URL']);
  });

  it('uses SQLite through DATABASE_PATH on a data directory every platform mounts', () => {
    const v = buildDeployValues(input({ ectoAdapters: ['ecto_sqlite3'] }));
    expect(v.database).toBe('sqlite');
    expect(v.env.plain).toContainEqual({ name: 'DATABASE_PATH', value: '/data/my_app.db' });
    expect(v.env.secrets.map((s) => s.name)).not.toContain('DATABASE_URL');
    expect([v.fly!.releaseCommand, v.kubernetes!.strategy, v.kubernetes!.replicas]).toEqual([null, 'Recreate', 1]);
  });

  it('provisions no database for an adapter the platforms do not run (tds), but still migrates', () => {
    const v = buildDeployValues(input({ ectoAdapters: ['tds'] }));
    expect([v.database, v.migrate, v.compose!.database]).toEqual([null, '/app/bin/migrate', null]);
  });
});

describe('the files each target gets', () => {
  const paths = async (overrides: Partial<DeployInput>) => planDeployFiles(buildDeployValues(input(overrides))).map((f) => f.path);

  it('only the targets asked, in their order', async () => {
    expect(await paths({ targets: [] })).toEqual([]);
    expect(await paths({ targets: ['compose', 'fly', 'compose'] })).toEqual(['fly.toml', 'compose.yaml', '.env.example']);
    expect(buildDeployValues(input({ targets: ['compose', 'fly'] })).targets).toEqual(['compose', 'fly']);
  });

  it('the Kubernetes manifests the release needs', async () => {
    const k8s = (files: string[]) => files.filter((f) => f.startsWith('deploy/kubernetes/')).map((f) => path.basename(f));
    expect(k8s(await paths({ cluster: { dnsClusterQuery: true } }))).toEqual([
      'kustomization.yaml',
      'deployment.yaml',
      'service.yaml',
      'headless-service.yaml',
      'migrate-job.yaml',
      'secret.example.yaml',
    ]);
    expect(k8s(await paths({ http: false, ecto: false, ectoAdapters: [] }))).toEqual(['kustomization.yaml', 'deployment.yaml']);
    expect(k8s(await paths({ ectoAdapters: ['ecto_sqlite3'] }))).toContain('data-volume-claim.yaml');
  });

  it('a plain Mix app with no variables: valid files with no Secret and no .env', async () => {
    const { files, kubernetes, compose } = await renderCombination(input({ http: false, ecto: false, ectoAdapters: [] }));
    expect(files.map((f) => f.path)).not.toContain('.env.example');
    for (const object of kubernetes.values()) expect(validateKubernetes(object).errors).toEqual([]);
    expect(validateCompose(compose).errors).toEqual([]);
    expect(compose.services).toEqual({ app: expect.objectContaining({ build: '.' }) });
  });
});

describe('the templates', () => {
  const templates = readdirSync(templatesDir(), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(templatesDir(), path.join(e.parentPath, e.name)));
  const deployTemplates = templates.filter((t) => /^(fly\.toml|compose\.yaml|env\.example|deploy\/)/.test(t));

  it('use only if, each and else', () => {
    expect(deployTemplates.length).toBeGreaterThanOrEqual(10);
    for (const template of deployTemplates) {
      const blocks = [...readFileSync(path.join(templatesDir(), template), 'utf8').matchAll(/\{\{[#/^]?\s*([a-z]+)\b/g)].map((m) => m[0]);
      const helpers = blocks.filter((b) => /^\{\{[#/^]/.test(b)).map((b) => b.replace(/^\{\{[#/^]\s*/, ''));
      expect(new Set(helpers.filter((h) => !['if', 'each'].includes(h))), template).toEqual(new Set());
    }
  });

  it('mirror the paths they produce, and every one is used', () => {
    const v = buildDeployValues(input({ cluster: { dnsClusterQuery: true }, ectoAdapters: ['ecto_sqlite3'] }));
    const actions = deployGenerator.actions(buildDeployTemplateData(v));
    for (const a of actions) expect(a.templateFile.replace(/^templates\//, '').replace(/\.hbs$/, '')).toBe(a.path === '.env.example' ? 'env.example' : a.path);
    expect(new Set(actions.map((a) => a.templateFile.replace(/^templates\//, '')))).toEqual(new Set(deployTemplates));
  });

  it('quote what YAML and TOML would otherwise read as something else', async () => {
    for (const word of ['yes', 'on', 'null', '4000', '.inf', 'a: b', '# x', "it's", 'x\ny']) {
      expect(parseYaml(`k: ${yamlString(word)}\n`, 'x', { yaml11: true })).toEqual([{ k: word }]);
      expect(parseToml(`k = ${tomlString(word)}\n`)).toEqual({ k: word });
    }
    expect(yamlString('my-app')).toBe('my-app');
    // A release whose platform name is a YAML 1.1 boolean still yields valid manifests.
    const files = await renderFiles(planDeployFiles(buildDeployValues(input({ release: 'on', targets: ['kubernetes'] }))));
    const deployment = parseYaml(files.find((f) => f.path.endsWith('deployment.yaml'))!.content, 'deployment.yaml', { yaml11: true })[0]!;
    expect((deployment.metadata as { name: string }).name).toBe('on');
  });
});
