// Render: planned files → contents, in memory. Our own Handlebars instance, so nothing is
// HTML-escaped (`&&` stays `&&`) and a misspelt variable is an error instead of an empty string.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import HandlebarsRuntime from 'handlebars/runtime.js';
import { templatesDir } from './assets.js';
import { CreateReleaseError } from './errors.js';
import { precompiledTemplates } from './precompiled-templates.js';
import type { Eol, FileSpec, RenderedFile } from './types.js';

export interface RenderOptions {
  /** Project-local overrides (`<project>/.create-release/templates/`), same layout as templates/. */
  overridesDir?: string;
  /** Where the bundled templates live; defaults to the package's. */
  templatesDir?: string;
}

type Template = (data: Record<string, unknown>) => string;

/** A compiled template and how to name it in an error. */
interface LoadedTemplate {
  source: string;
  fix: string;
  render: Template;
  /** The project's own template replaced ours. */
  override: boolean;
}

/** Renders every spec; throws a CreateReleaseError naming the template that failed. */
export async function renderFiles(specs: FileSpec[], options: RenderOptions = {}): Promise<RenderedFile[]> {
  const handlebars = (HandlebarsRuntime as typeof import('handlebars')).create();
  const compiled = new Map<string, Promise<LoadedTemplate>>();
  const load = (template: string) => {
    let entry = compiled.get(template);
    if (!entry) {
      entry = loadTemplate(handlebars, template, options);
      compiled.set(template, entry);
    }
    return entry;
  };
  return Promise.all(
    specs.map(async (spec): Promise<RenderedFile> => {
      const loaded = await load(spec.template);
      const content = applyEol(runTemplate(loaded, spec.data), spec.eol);
      // With the project's own template, its output is what the user wants, whatever ours would do.
      const sameJob = spec.sameJob && !loaded.override ? { sameJob: spec.sameJob } : {};
      return { path: spec.path, content, mode: spec.mode, ...sameJob, ...(spec.keep ? { keep: spec.keep } : {}) };
    }),
  );
}

// Same options as the build's precompilation (scripts/build.mjs).
const TEMPLATE_OPTIONS = { noEscape: true, strict: true };

async function loadTemplate(
  handlebars: typeof import('handlebars'),
  template: string,
  options: RenderOptions,
): Promise<LoadedTemplate> {
  const override = options.overridesDir ? await readIfExists(path.join(options.overridesDir, template)) : null;
  const source = override !== null ? path.join(options.overridesDir!, template) : `templates/${template}`;
  const fix = override !== null ? 'fix the override or delete it' : 'this is a bug in create-release: please report it';
  const precompiled = options.templatesDir ? undefined : precompiledTemplates[template];
  if (override === null && precompiled) return { source, fix, render: handlebars.template(precompiled), override: false };
  const text = override ?? (await readBundled(path.join(options.templatesDir ?? templatesDir(), template), source));
  // The compiler is only needed for overrides and runs from source; the bundle's templates are precompiled.
  const { default: compiler } = await import('handlebars');
  // Handlebars compiles lazily: syntax errors surface on the first render, named there.
  return { source, fix, render: compiler.create().compile(text, TEMPLATE_OPTIONS), override: override !== null };
}

function runTemplate(loaded: LoadedTemplate, data: Record<string, unknown>): string {
  try {
    return loaded.render(data);
  } catch (error) {
    throw templateError(loaded.source, loaded.fix, error);
  }
}

function templateError(source: string, fix: string, error: unknown): CreateReleaseError {
  // A parse error spans lines (the source, a caret, what was expected): keep the first and last.
  const lines = (error instanceof Error ? error.message : String(error)).split('\n');
  // Strict mode names the missing variable "in [object Object]": the context says nothing to a user.
  const reason = (lines.length > 1 ? `${lines[0]} ${lines[lines.length - 1]}` : lines[0])?.replace(' in [object Object]', '');
  return new CreateReleaseError(`Template ${source} failed to render: ${reason}; ${fix}`, { cause: error });
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CreateReleaseError(`Cannot read the template override ${file}: ${(error as Error).message}; fix the override or delete it`, {
      cause: error,
    });
  }
}

async function readBundled(file: string, source: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new CreateReleaseError(
      `Cannot read ${source} (${(error as Error).message}); the create-release installation is incomplete: reinstall it`,
      { cause: error },
    );
  }
}

function applyEol(text: string, eol: Eol): string {
  const lf = text.replace(/\r\n/g, '\n');
  return eol === 'crlf' ? lf.replace(/\n/g, '\r\n') : lf;
}
