// Plan: which files to write, from what the project is and what the user chose. Pure, no I/O:
// the generators declare the files, this module feeds them the data and collects their actions.
import { dockerGenerator } from '../generators/docker.js';
import { releaseGenerator } from '../generators/release.js';
import type { FileAction, GeneratorDefinition } from '../generators/types.js';
import { buildTemplateData, type PlannedImage, type ProjectLayout } from './template-data.js';
import type { Answers, FileSpec, ProjectFacts } from './types.js';

export type { PlannedImage, ProjectLayout } from './template-data.js';

const TEMPLATES_PREFIX = 'templates/';

/** The files this run would write, each with its template and the data to render it with. */
export function planFiles(
  facts: ProjectFacts,
  answers: Answers,
  image: PlannedImage | null,
  layout: ProjectLayout,
): FileSpec[] {
  if (answers.docker && !image) throw new Error('planFiles: answers.docker needs the chosen images');
  const data = buildTemplateData(facts, answers, image, layout);
  const generators: GeneratorDefinition[] = [releaseGenerator, ...(answers.docker ? [dockerGenerator] : [])];
  return generators.flatMap((g) => g.actions(data)).map((action) => toFileSpec(action, { ...data }));
}

function toFileSpec(action: FileAction, data: Record<string, unknown>): FileSpec {
  if (!action.templateFile.startsWith(TEMPLATES_PREFIX)) {
    throw new Error(`generator action for ${action.path}: templateFile must start with ${TEMPLATES_PREFIX}`);
  }
  return {
    path: action.path,
    template: action.templateFile.slice(TEMPLATES_PREFIX.length),
    mode: action.mode,
    eol: action.eol,
    data,
  };
}
