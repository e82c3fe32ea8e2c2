// The platforms create-release writes deploy files for. Kept apart from the deploy values so the
// command line can name them without loading the deploy step.
export type DeployTarget = 'fly' | 'kubernetes' | 'compose';

export const DEPLOY_TARGETS: readonly DeployTarget[] = ['fly', 'kubernetes', 'compose'];

/** How each target is offered in the interactive question. */
export const DEPLOY_TARGET_NAMES: Record<DeployTarget, string> = {
  fly: 'Fly.io (fly.toml)',
  kubernetes: 'Kubernetes (deploy/kubernetes/, a kustomization)',
  compose: 'Docker Compose (compose.yaml with its database)',
};
