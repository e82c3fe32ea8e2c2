// Platform files for the release, all from the one set of deploy values: fly.toml, Kubernetes
// manifests under deploy/kubernetes/, compose.yaml with its .env.example. Which platforms, and
// which files each needs, is decided here from the data; the templates only substitute.
import type { DeployTemplateData } from '../src/deploy/template-data.js';
import { addFile, type FileAction, type GeneratorDefinition } from './types.js';

export const deployGenerator: GeneratorDefinition<DeployTemplateData> = {
  description: 'Platform files for the release: fly.toml, Kubernetes manifests, compose.yaml',
  prompts: [],
  actions: (data) => [...flyFiles(data), ...kubernetesFiles(data), ...composeFiles(data)],
};

function flyFiles(data: DeployTemplateData): FileAction[] {
  return data.fly ? [addFile('fly.toml', 'fly.toml.hbs')] : [];
}

function kubernetesFiles(data: DeployTemplateData): FileAction[] {
  const k = data.kubernetes;
  if (!k) return [];
  const manifest = (file: string) => addFile(`${k.dir}/${file}`, `deploy/kubernetes/${file}.hbs`);
  return [
    manifest('kustomization.yaml'),
    ...k.resources.map(manifest),
    // Not among the kustomization's resources: it holds no values, the user fills in a copy.
    ...(k.hasSecrets ? [manifest('secret.example.yaml')] : []),
  ];
}

function composeFiles(data: DeployTemplateData): FileAction[] {
  const c = data.compose;
  if (!c) return [];
  // .env, which holds the real values, goes into .gitignore: an edit of the user's file (src/deploy/gitignore.ts).
  return [addFile('compose.yaml', 'compose.yaml.hbs'), ...(c.envFile ? [addFile('.env.example', 'env.example.hbs')] : [])];
}
