// The shape of our generators: plop's GeneratorConfig, with actions computed from the template
// data. The `add` actions carry two fields plop ignores and our engine reads: `mode`, `eol`.
import type { PromptQuestion } from 'node-plop';
import type { TemplateData } from '../src/template-data.js';
import type { ScriptJob } from '../src/same-job.js';
import type { Eol } from '../src/types.js';

export interface FileAction {
  type: 'add';
  /** Output path relative to the project root. */
  path: string;
  /** `templates/<path>.hbs`, relative to the package root. */
  templateFile: string;
  mode: number;
  eol: Eol;
  /** An overlay script: an existing file that starts the release the same way is kept. */
  sameJob?: ScriptJob;
  /** The project's own version of this file (its release module): kept when it differs, for this reason. */
  keep?: string;
  /** Data for this file only, over the generator's (one health module per endpoint namespace). */
  data?: Record<string, unknown>;
}

export interface GeneratorDefinition<Data = TemplateData> {
  description: string;
  prompts: PromptQuestion[];
  /** Which files to write for `data`; declares only, does no I/O. */
  actions: (data: Data) => FileAction[];
}

/** An `add` action for `templates/<template>` written to `path`. */
export function addFile(
  path: string,
  template: string,
  options: { mode?: number; eol?: Eol; sameJob?: ScriptJob; keep?: string; data?: Record<string, unknown> } = {},
): FileAction {
  return {
    type: 'add',
    path,
    templateFile: `templates/${template}`,
    mode: options.mode ?? 0o644,
    eol: options.eol ?? 'lf',
    ...(options.sameJob ? { sameJob: options.sameJob } : {}),
    ...(options.keep ? { keep: options.keep } : {}),
    ...(options.data ? { data: options.data } : {}),
  };
}
