// The platform files a run writes, as FileSpecs for render and commit: the deploy values turned
// into template data once, the deploy generator's actions mapped as plan.ts maps the others.
import { deployGenerator } from '../../generators/deploy.js';
import { toFileSpec } from '../plan.js';
import type { FileSpec } from '../types.js';
import { buildDeployTemplateData } from './template-data.js';
import type { DeployValues } from './values.js';

/** The platform files for `values`; none when no target was asked. Pure, no I/O. */
export function planDeployFiles(values: DeployValues): FileSpec[] {
  const data = buildDeployTemplateData(values);
  return deployGenerator.actions(data).map((action) => toFileSpec(action, { ...data }));
}
