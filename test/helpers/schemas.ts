// Offline validators for the platform files, each with the schema of the tool that reads them:
// - YAML through `yaml`, as YAML 1.2 (Compose's go-yaml v3); Kubernetes manifests also as
//   YAML 1.1 (kubectl's sigs.k8s.io/yaml): a scalar read differently there (`on`, `no`) is an error;
// - TOML through `smol-toml` (TOML 1.0);
// - Kubernetes objects through kubernetes-models' validators, compiled from the Kubernetes
//   OpenAPI schema (types, required fields, formats such as quantities, enums); that schema has no
//   `additionalProperties: false`, so unknown fields are caught separately (kubernetes-strict.ts);
// - compose.yaml against the Compose Specification's schema (compose-spec.json, as dclint ships it);
// - kustomization.yaml and fly.toml against the documented fields we use (platform-schemas.ts):
//   no package ships either schema for offline use.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { parse as parseTomlText } from 'smol-toml';
import { parseAllDocuments } from 'yaml';
import { flyConfigSchema, kustomizationSchema } from './platform-schemas.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * Every document of a YAML stream; throws on a syntax error or a duplicate key, and with `yaml11`
 * on a scalar that YAML 1.1 reads differently from YAML 1.2.
 */
export function parseYaml(text: string, file = 'YAML', { yaml11 = false } = {}): JsonObject[] {
  const read = (version: '1.1' | '1.2') => {
    const docs = parseAllDocuments(text, { version, uniqueKeys: true, prettyErrors: true });
    if (!Array.isArray(docs)) throw new Error(`${file}: not a YAML stream`);
    for (const doc of docs) {
      const problems = [...doc.errors, ...doc.warnings];
      if (problems.length > 0) throw new Error(`${file} (YAML ${version}): ${problems.map((p) => p.message).join('; ')}`);
    }
    return docs.map((doc) => doc.toJS({ maxAliasCount: 0 }) as Json);
  };
  const modern = read('1.2');
  const legacy = yaml11 ? read('1.1') : modern;
  if (JSON.stringify(modern) !== JSON.stringify(legacy)) {
    throw new Error(`${file}: YAML 1.1 and 1.2 read it differently (quote the scalars): ${JSON.stringify(modern)} vs ${JSON.stringify(legacy)}`);
  }
  return modern.filter((doc): doc is JsonObject => doc !== null).map((doc) => {
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${file}: a document is not a mapping`);
    return doc;
  });
}

/** The one document of a YAML file. */
export function parseYamlDocument(text: string, file?: string, options?: { yaml11?: boolean }): JsonObject {
  const docs = parseYaml(text, file, options);
  if (docs.length !== 1) throw new Error(`${file}: ${docs.length} documents, expected one`);
  return docs[0]!;
}

export function parseToml(text: string): JsonObject {
  return parseTomlText(text) as JsonObject;
}

export interface Validation {
  valid: boolean;
  errors: string[];
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });

function ajvValidation(validate: ValidateFunction, value: unknown): Validation {
  const valid = validate(value) as boolean;
  return { valid, errors: valid ? [] : (validate.errors ?? []).map(describeError) };
}

function describeError(e: ErrorObject): string {
  return `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`;
}

// The Compose Specification's schema (compose-spec.json) is copied into dclint's package; the
// package's exports do not list it, so it is read from the package directory.
const composeSchemaFile = path.join(path.dirname(createRequire(import.meta.url).resolve('dclint/package.json')), 'schemas/compose.schema.json');
let composeValidator: ValidateFunction | undefined;

/** compose.yaml against the Compose Specification's JSON schema (draft-07). */
export function validateCompose(doc: unknown): Validation {
  if (!composeValidator) {
    const schema = JSON.parse(readFileSync(composeSchemaFile, 'utf8')) as Record<string, unknown>;
    // The spec names its meta-schema without the trailing `#` Ajv's draft-07 id has; Ajv's default is draft-07.
    delete schema.$schema;
    composeValidator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return ajvValidation(composeValidator, doc);
}

/** Which schema validateCompose uses: its `$id` and title, to check it is the Compose Specification's. */
export function composeSchemaInfo(): { id: string; title: string; file: string } {
  const schema = JSON.parse(readFileSync(composeSchemaFile, 'utf8')) as { $id: string; title: string };
  return { id: schema.$id, title: schema.title, file: composeSchemaFile };
}

const flyValidator = ajv.compile(flyConfigSchema);
const kustomizationValidator = ajv.compile(kustomizationSchema);

/** fly.toml (parsed) against the fields of Fly's configuration reference that we write. */
export function validateFlyConfig(config: unknown): Validation {
  return ajvValidation(flyValidator, config);
}

type KubernetesModel = { new (data: never): { validate(): void } };
const KUBERNETES_MODELS: Record<string, KubernetesModel> = {
  'apps/v1/Deployment': Deployment as unknown as KubernetesModel,
  'v1/Service': Service as unknown as KubernetesModel,
  'batch/v1/Job': Job as unknown as KubernetesModel,
  'v1/Secret': Secret as unknown as KubernetesModel,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim as unknown as KubernetesModel,
};

/** A Kubernetes object (or kustomization.yaml) against the schema of its apiVersion and kind. */
export function validateKubernetes(object: JsonObject): Validation {
  const key = `${String(object.apiVersion)}/${String(object.kind)}`;
  if (key === 'kustomize.config.k8s.io/v1beta1/Kustomization') return ajvValidation(kustomizationValidator, object);
  const Model = KUBERNETES_MODELS[key];
  if (!Model) return { valid: false, errors: [`no schema for ${key}`] };
  try {
    new Model(object as never).validate();
    return { valid: true, errors: [] };
  } catch (error) {
    return { valid: false, errors: [(error as Error).message] };
  }
}

/** The kinds validateKubernetes knows, as `apiVersion/kind`. */
export const kubernetesKinds = (): string[] => [...Object.keys(KUBERNETES_MODELS), 'kustomize.config.k8s.io/v1beta1/Kustomization'];
