// The platforms create-release writes deploy files for, and the name the app gets on them. Kept
// apart from the deploy values so the command line can check them without loading the deploy step.
import { UsageError } from '../errors.js';
export type DeployTarget = 'fly' | 'kubernetes' | 'compose';

export const DEPLOY_TARGETS: readonly DeployTarget[] = ['fly', 'kubernetes', 'compose'];

/** How each target is offered in the interactive question. */
export const DEPLOY_TARGET_NAMES: Record<DeployTarget, string> = {
  fly: 'Fly.io (fly.toml)',
  kubernetes: 'Kubernetes (deploy/kubernetes/, a kustomization)',
  compose: 'Docker Compose (compose.yaml with its database)',
};

/** 63 (a DNS label) less `-headless`, the longest suffix a derived Kubernetes name gets. */
export const MAX_NAME_LENGTH = 54;
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** What is wrong with a `--name`, or null when every platform takes it. */
export function deployNameProblem(name: string): string | null {
  if (name.length > MAX_NAME_LENGTH) return `is ${name.length} characters long; the platforms' derived names need it at most ${MAX_NAME_LENGTH}`;
  if (!DNS_1035.test(name)) return 'must start with a lowercase letter and hold only lowercase letters, digits and -, not ending with -';
  return null;
}

/** `my_app` → `my-app`: a release name (an atom) made into a DNS label. */
export function nameFromRelease(release: string): string {
  const name = release
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/-+$/, '');
  return name === '' ? 'app' : name;
}

/** `--name` as given, or a UsageError saying what is wrong and what would do. */
export function checkedName(name: string): string {
  const problem = deployNameProblem(name);
  if (problem) throw new UsageError(`--name ${name}: the platform name ${problem}; for example --name ${nameFromRelease(name)}`);
  return name;
}
