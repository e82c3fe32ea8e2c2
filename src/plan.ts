// Plan: which files to write, from what the project is and what the user chose. Pure, no I/O:
// the generators declare the files, this module feeds them the data and collects their actions.
import { dockerGenerator } from '../generators/docker.js';
import { productionGenerator, type ProductionTemplateData } from '../generators/production.js';
import { releaseGenerator } from '../generators/release.js';
import type { FileAction, GeneratorDefinition } from '../generators/types.js';
import { buildTemplateData, type TemplateInput } from './template-data.js';
import type { FileSpec } from './types.js';

export type { PlannedImage, TemplateInput } from './template-data.js';

const TEMPLATES_PREFIX = 'templates/';

/** The files this run would write, each with its template and the data to render it with. */
export function planFiles(input: TemplateInput, production: ProductionTemplateData | null = null): FileSpec[] {
  if (input.answers.docker && !input.image) throw new Error('planFiles: answers.docker needs the chosen images');
  const data = buildTemplateData(input);
  const generators: GeneratorDefinition[] = [releaseGenerator, ...(input.answers.docker ? [dockerGenerator] : [])];
  const files = generators.flatMap((g) => g.actions(data)).map((action) => toFileSpec(action, { ...data }));
  const productionFiles = production ? productionGenerator.actions(production).map((action) => toFileSpec(action, { ...production })) : [];
  return [...files, ...productionFiles];
}

/** A generator's action as the file render and commit work on, with the data it renders with. */
export function toFileSpec(action: FileAction, data: Record<string, unknown>): FileSpec {
  if (!action.templateFile.startsWith(TEMPLATES_PREFIX)) {
    throw new Error(`generator action for ${action.path}: templateFile must start with ${TEMPLATES_PREFIX}`);
  }
  return {
    path: action.path,
    template: action.templateFile.slice(TEMPLATES_PREFIX.length),
    mode: action.mode,
    eol: action.eol,
    data: action.data ? { ...data, ...action.data } : data,
    ...(action.sameJob ? { sameJob: action.sameJob } : {}),
    ...(action.keep ? { keep: action.keep } : {}),
  };
}
