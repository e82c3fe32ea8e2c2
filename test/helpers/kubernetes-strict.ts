// Unknown fields in Kubernetes objects. The API's OpenAPI schema (and so kubernetes-models'
// validators) accepts any extra key, while `kubectl apply` rejects one (strict field validation,
// the default since Kubernetes 1.27) and older servers silently drop it: `livenesProbe:` would
// mean no probe at all. kubernetes-models also ships TypeScript interfaces generated from the same
// schema, with every field named; the TypeScript checker's excess-property check on an object
// literal typed with them finds every key the API does not define, at any depth.
import path from 'node:path';
import ts from 'typescript';
import type { JsonObject } from './schemas.js';

const TYPES: Record<string, { module: string; type: string }> = {
  'apps/v1/Deployment': { module: 'kubernetes-models/apps/v1/Deployment', type: 'IDeployment' },
  'v1/Service': { module: 'kubernetes-models/v1/Service', type: 'IService' },
  'batch/v1/Job': { module: 'kubernetes-models/batch/v1/Job', type: 'IJob' },
  'v1/Secret': { module: 'kubernetes-models/v1/Secret', type: 'ISecret' },
  'v1/PersistentVolumeClaim': { module: 'kubernetes-models/v1/PersistentVolumeClaim', type: 'IPersistentVolumeClaim' },
};

const repo = path.resolve(import.meta.dirname, '../..');

/**
 * The problems the TypeScript checker finds in `objects` typed as their kinds' interfaces, each
 * prefixed with the label given; [] when every key is a known field of the right type.
 */
export function unknownKubernetesFields(objects: Array<{ label: string; object: JsonObject }>): string[] {
  const file = path.join(repo, 'test', '__kubernetes_strict_check__.ts');
  const keys = Object.keys(TYPES);
  const header = keys.map((key, i) => `import type { ${TYPES[key]!.type} as T${i} } from '${TYPES[key]!.module}';`);
  const lines = objects.map(({ object }, i) => {
    const key = `${String(object.apiVersion)}/${String(object.kind)}`;
    if (!TYPES[key]) throw new Error(`unknownKubernetesFields: no type for ${key}`);
    return `export const object${i}: T${keys.indexOf(key)} = ${JSON.stringify(object)};`;
  });
  const source = [...header, ...lines].join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const isCheck = (name: string) => path.resolve(name) === file;
  const { readFile, fileExists, getSourceFile } = host;
  host.readFile = (name) => (isCheck(name) ? source : readFile.call(host, name));
  host.fileExists = (name) => isCheck(name) || fileExists.call(host, name);
  host.getSourceFile = (name, version, onError, create) =>
    isCheck(name) ? ts.createSourceFile(name, source, version, true) : getSourceFile.call(host, name, version, onError, create);
  const program = ts.createProgram([file], options, host);
  const sourceFile = program.getSourceFile(file)!;
  return ts.getPreEmitDiagnostics(program, sourceFile).map((d) => {
    const line = d.start === undefined ? 0 : sourceFile.getLineAndCharacterOfPosition(d.start).line;
    const label = objects[line - header.length]?.label ?? `line ${line + 1}`;
    return `${label}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}
