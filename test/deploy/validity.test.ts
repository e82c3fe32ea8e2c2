// Every platform file of every combination, read by the parser its tool uses and checked against
// the schema for it: Fly's documented fields, the Kubernetes API schema of each kind (and no field
// the API does not define), the Compose Specification. Negative controls first: a validator that
// accepts anything would prove nothing.
import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { unknownKubernetesFields } from '../helpers/kubernetes-strict.js';
import { toolChecksOff } from '../helpers/suite.js';
import { composeSchemaInfo, parseToml, parseYaml, validateCompose, validateFlyConfig, validateKubernetes, type Json } from '../helpers/schemas.js';
import { combinations, renderCombination } from './combinations.js';

describe('the validators reject what the tools reject', () => {
  it('YAML: a duplicate key, and in manifests a word YAML 1.1 reads as a boolean', () => {
    expect(() => parseYaml('a: 1\na: 2\n')).toThrow(/unique|duplicate/i);
    expect(() => parseYaml('value: on\n', 'x.yaml', { yaml11: true })).toThrow(/YAML 1.1 and 1.2/);
    expect(parseYaml('value: "on"\n', 'x.yaml', { yaml11: true })).toEqual([{ value: 'on' }]);
  });

  it('TOML: a key defined twice', () => {
    expect(() => parseToml('a = 1\na = 2\n')).toThrow();
  });

  it('Kubernetes: a wrong type, a missing required field, an unknown kind', () => {
    const deployment = (spec: Json) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec });
    const template = { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'app', image: 'x' }] } };
    expect(validateKubernetes(deployment({ selector: { matchLabels: { a: 'b' } }, template })).valid).toBe(true);
    expect(validateKubernetes(deployment({ replicas: '2', selector: {}, template })).errors.join()).toContain('replicas');
    expect(validateKubernetes(deployment({ selector: {}, template: { spec: {} } })).errors.join()).toContain('containers');
    expect(validateKubernetes({ apiVersion: 'v1', kind: 'Service', spec: { type: 'Bogus' } }).valid).toBe(false);
    expect(validateKubernetes({ apiVersion: 'v9', kind: 'Nope' }).errors).toEqual(['no schema for v9/Nope']);
    expect(validateKubernetes({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resourcez: [] }).valid).toBe(false);
  });

  it('Kubernetes: a misspelt field, which the API schema alone lets through', () => {
    const object = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'a', livenesProbe: {} }] } } } };
    expect(validateKubernetes(object).valid).toBe(true);
    expect(unknownKubernetesFields([{ label: 'typo', object }]).join()).toContain("'\"livenesProbe\"' does not exist");
  });

  it('Compose: the schema is the Compose Specification, and it rejects an unknown key and `restart: false`', () => {
    expect(composeSchemaInfo()).toMatchObject({ id: 'compose_spec.json', title: 'Compose Specification' });
    expect(validateCompose({ services: { app: { image: 'x' } } }).valid).toBe(true);
    expect(validateCompose({ services: { app: { image: 'x', stop_grace: '1s' } } }).valid).toBe(false);
    expect(validateCompose({ services: { app: { image: 'x', restart: false } } }).valid).toBe(false);
    expect(validateCompose({ services: { app: { image: 'x', depends_on: { db: { condition: 'service_ready' } } } } }).valid).toBe(false);
  });

  it('fly.toml: an undocumented key, kill_timeout over 300, an env name starting with FLY_', () => {
    expect(validateFlyConfig({ app: 'x', kill_timeout: 30 }).valid).toBe(true);
    expect(validateFlyConfig({ app: 'x', kill_timeout: 301 }).valid).toBe(false);
    expect(validateFlyConfig({ app: 'x', http_service: { internal_port: 4000, forcehttps: true } }).valid).toBe(false);
    expect(validateFlyConfig({ app: 'x', env: { FLY_REGION: 'ord' } }).valid).toBe(false);
    expect(validateFlyConfig({ app: 'x', env: { PORT: 4000 } }).valid).toBe(false);
  });
});

describe.each(combinations.map((c) => [c.label, c] as const))('%s', (_, c) => {
  it('fly.toml is TOML with only documented fields of the right types', async () => {
    const { fly } = await renderCombination(c.input);
    const result = validateFlyConfig(fly);
    expect(result.errors).toEqual([]);
  });

  it('every Kubernetes manifest validates against the schema of its apiVersion and kind', async () => {
    const { kubernetes } = await renderCombination(c.input);
    expect(kubernetes.size).toBeGreaterThan(0);
    for (const [file, object] of kubernetes) expect(validateKubernetes(object).errors, file).toEqual([]);
  });

  it('compose.yaml validates against the Compose Specification', async () => {
    const { compose } = await renderCombination(c.input);
    expect(validateCompose(compose).errors).toEqual([]);
  });

  it('.env.example is a dotenv file listing every line as a variable or a comment', async () => {
    const { envExample, values } = await renderCombination(c.input);
    if (envExample === null) return expect(values.compose!.env.secrets.length + values.compose!.env.plain.length).toBe(0);
    const parsed = dotenv.parse(envExample);
    const assignments = envExample.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(Object.keys(parsed)).toHaveLength(assignments.length);
  });
});

// A whole TypeScript compilation (seconds): out of the unit suite Stryker runs per mutant.
describe.skipIf(toolChecksOff)('no Kubernetes object has a field the API does not define', () => {
  it('in any combination (checked by the TypeScript types of the same API schema)', async () => {
    const objects = new Map<string, { label: string; object: Record<string, never> }>();
    for (const c of combinations) {
      for (const [file, object] of (await renderCombination(c.input)).kubernetes) {
        if (object.kind === 'Kustomization') continue;
        const key = JSON.stringify(object);
        if (!objects.has(key)) objects.set(key, { label: `${c.label}: ${file}`, object: object as Record<string, never> });
      }
    }
    expect(objects.size).toBeGreaterThan(10);
    expect(unknownKubernetesFields([...objects.values()])).toEqual([]);
  }, 60_000);
});
