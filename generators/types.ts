// The shape of our generators: plop's GeneratorConfig, with actions computed from the template
// data. The `add` actions carry two fields plop ignores and our engine reads: `mode`, `eol`.
import type { PromptQuestion } from 'node-plop';
import type { TemplateData } from '../src/template-data.js';
import type { Eol } from '../src/types.js';

export interface FileAction {
  type: 'add';
  /** Output path relative to the project root. */
  path: string;
  /** `templates/<path>.hbs`, relative to the package root. */
  templateFile: string;
  mode: number;
  eol: Eol;
}

export interface GeneratorDefinition {
  description: string;
  prompts: PromptQuestion[];
  /** Which files to write for `data`; declares only, does no I/O. */
  actions: (data: TemplateData) => FileAction[];
}

/** An `add` action for `templates/<template>` written to `path`. */
export function addFile(path: string, template: string, options: { mode?: number; eol?: Eol } = {}): FileAction {
  return {
    type: 'add',
    path,
    templateFile: `templates/${template}`,
    mode: options.mode ?? 0o644,
    eol: options.eol ?? 'lf',
  };
}
