// The deploy step of a run: the platform files (fly.toml, deploy/kubernetes/, compose.yaml) from
// the values the release itself runs by, and the commands that deploy with each platform. Loaded
// only when a run asks for a platform.
import type { NextCommand } from '../summary.js';
import type { Target } from '../target.js';
import type { Answers, FileSpec, RenderedFile } from '../types.js';
import type { PlannedEdit } from '../production/user-edits.js';
import type { ProductionFacts } from '../production/read.js';
import type { ProductionValues } from '../production/values.js';
import { planDeployFiles } from './plan.js';
import { buildDeployValues, type DeployValues } from './values.js';

import { planGitignoreEdit } from './gitignore.js';

export interface DeployPlan {
  values: DeployValues;
  files: FileSpec[];
  /** `.env` in .gitignore, when compose reads one and nothing ignores it yet. */
  edits: { files: RenderedFile[]; planned: PlannedEdit[] };
  commands: NextCommand[];
}

export async function planDeploy(
  target: Target,
  answers: Pick<Answers, 'deploy' | 'ecto'>,
  production: ProductionValues,
  facts: Pick<ProductionFacts, 'forceSsl' | 'dnsClusterConfigured' | 'runtimeEnv'>,
  name: string | undefined,
): Promise<DeployPlan> {
  const values = buildDeployValues({
    targets: answers.deploy,
    name: name ?? null,
    release: target.release.name,
    // bin/server starts the endpoint only in a Phoenix release.
    http: target.phoenix && target.endpoints.length > 0,
    production,
    forceSsl: facts.forceSsl.length > 0,
    ecto: answers.ecto,
    ectoAdapters: target.facts.ectoAdapters,
    cluster: production.cluster ? { dnsClusterQuery: facts.dnsClusterConfigured } : null,
    runtimeEnv: facts.runtimeEnv,
  });
  const files = planDeployFiles(values);
  const gitignore = files.some((f) => f.path === '.env.example') ? await planGitignoreEdit(target.facts.root) : null;
  const edits = gitignore ? { files: [gitignore.edit], planned: [gitignore.planned] } : { files: [], planned: [] };
  return { values, files, edits, commands: deployCommands(values) };
}

/** The two or three commands that deploy with each platform, after the release's own. */
export function deployCommands(values: DeployValues): NextCommand[] {
  return values.targets.flatMap((target) => {
    if (target === 'fly') return flyCommands(values);
    if (target === 'kubernetes') return kubernetesCommands(values);
    return composeCommands(values);
  });
}

function flyCommands(v: DeployValues): NextCommand[] {
  const fly = v.fly!;
  const secrets = fly.env.secrets;
  const database = v.database === 'postgres' ? '; or let fly postgres attach <db-app> set DATABASE_URL' : '';
  return [
    // Not fly launch: its scanner proposes its own set-up for a Phoenix project (fly.toml, Dockerfile).
    { comment: `Fly.io: create the app (fly.toml names it ${v.name}; --name changes it)`, command: `fly apps create ${v.name}` },
    ...(fly.mount ? [{ comment: 'Fly.io: the volume the SQLite database lives on', command: `fly volumes create ${fly.mount.source} --size 1` }] : []),
    ...(secrets.length > 0
      ? [{ comment: `Fly.io: set the secrets fly.toml lists at its top${database}`, command: `fly secrets set ${secrets.map((s) => `${s.name}=...`).join(' ')}` }]
      : []),
    { comment: `Fly.io: build the image and deploy${fly.releaseCommand ? ' (bin/migrate runs first, in a one-off Machine)' : ''}`, command: 'fly deploy' },
    ...(fly.mount && v.migrate ? [{ comment: 'Fly.io: then migrate, on the Machine that holds the volume', command: `fly ssh console -C ${v.migrate}` }] : []),
  ];
}

function kubernetesCommands(v: DeployValues): NextCommand[] {
  const k = v.kubernetes!;
  // The tag kustomization.yaml's images: names.
  const image = `${k.registryImage}:latest`;
  const apply = k.jobName ? `kubectl delete job ${k.jobName} --ignore-not-found\nkubectl apply -k ${k.dir}` : `kubectl apply -k ${k.dir}`;
  return [
    {
      comment: `Kubernetes: push the image to your registry (and name it under images: in ${k.dir}/kustomization.yaml)`,
      command: `docker build -t ${image} . && docker push ${image}`,
    },
    ...(k.env.secrets.length > 0
      ? [{
          comment: `Kubernetes: create the Secret once (${k.dir}/secret.example.yaml says what each value is)`,
          command: `kubectl create secret generic ${k.secretName} ${k.env.secrets.map((s) => `--from-literal=${s.name}=...`).join(' ')}`,
        }]
      : []),
    {
      comment: k.jobName ? 'Kubernetes: deploy; the migration Job runs bin/migrate once (a finished Job cannot be changed, so the last one goes first)' : 'Kubernetes: deploy',
      command: apply,
    },
  ];
}

function composeCommands(v: DeployValues): NextCommand[] {
  const env = v.compose!.env;
  const hasEnvFile = env.secrets.length + env.plain.length > 0;
  return [
    ...(hasEnvFile ? [{ comment: 'Docker Compose: fill in the values the release reads (.env is ignored by git)', command: 'cp .env.example .env' }] : []),
    {
      comment: `Docker Compose: build and start${v.migrate ? ' (migrate runs first and must succeed)' : ''}; the app answers on http://localhost:${v.port}`,
      command: 'docker compose up --build',
    },
  ];
}
