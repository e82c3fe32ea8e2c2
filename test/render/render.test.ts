import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { afterAll, describe, expect, it } from 'vitest';
import { templatesDir } from '../../src/assets.js';
import { CreateReleaseError } from '../../src/errors.js';
import { planFiles } from '../../src/plan.js';
import { templateInputOf } from '../helpers/facts.js';
import { renderFiles } from '../../src/render.js';
import type { FileSpec } from '../../src/types.js';
import { fixture, fixtures } from '../plan/fixtures.js';
import { fileNamed, renderFixture, scratchDir } from './helpers.js';

const scratch = scratchDir('render');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An overrides directory holding `files` (template path → text). */
function overrides(files: Record<string, string>): string {
  const dir = path.join(scratch, `overrides-${Math.random().toString(36).slice(2)}`);
  for (const [template, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, template)), { recursive: true });
    writeFileSync(path.join(dir, template), text);
  }
  return dir;
}

function spec(template: string, data: Record<string, unknown>, extra: Partial<FileSpec> = {}): FileSpec {
  return { path: 'out', template, mode: 0o644, eol: 'lf', data, ...extra };
}

async function renderError(promise: Promise<unknown>): Promise<CreateReleaseError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CreateReleaseError);
  return error as CreateReleaseError;
}

describe('renderFiles', () => {
  it('prefers a project-local override at the same relative path', async () => {
    const dir = overrides({ 'rel/overlays/bin/server.hbs': '#!/bin/sh\n# ours\nexec ./{{release}} start\n' });
    const files = await renderFixture(fixture('phoenix-ecto'), dir);
    expect(fileNamed(files, 'rel/overlays/bin/server').content).toBe('#!/bin/sh\n# ours\nexec ./my_app start\n');
    // Templates without an override still come from the package.
    expect(fileNamed(files, 'rel/overlays/bin/migrate').content).toContain('exec ./my_app eval MyApp.Release.migrate');
  });

  it('keeps the planned mode and line endings for an override', async () => {
    const dir = overrides({ 'rel/overlays/bin/server.bat.hbs': 'set X=1\ncall {{release}}\n' });
    const files = await renderFixture(fixture('phoenix-ecto'), dir);
    expect(fileNamed(files, 'rel/overlays/bin/server.bat').content).toBe('set X=1\r\ncall my_app\r\n');
    expect(fileNamed(files, 'rel/overlays/bin/server').mode).toBe(0o755);
  });

  it('does not HTML-escape values', async () => {
    const dir = overrides({ 'x.hbs': 'a {{v}} b' });
    const [file] = await renderFiles([spec('x.hbs', { v: `&& <b> "q" 'q' \`q\` =` })], { overridesDir: dir });
    expect(file!.content).toBe(`a && <b> "q" 'q' \`q\` = b`);
  });

  it('leaves shell operators in the bundled templates alone', async () => {
    const files = await renderFixture(fixture('phoenix-ecto'));
    expect(fileNamed(files, 'Dockerfile').content).toContain('mix local.hex --force \\\n  && mix local.rebar --force');
    expect(files.map((f) => f.content).join('')).not.toMatch(/&amp;|&lt;|&gt;|&quot;|&#x27;|&#x3D;/);
  });

  it('fails on a missing variable, naming the template and the variable', async () => {
    const dir = overrides({ 'rel/overlays/bin/server.hbs': 'exec ./{{relase}} start\n' });
    const error = await renderError(renderFixture(fixture('phoenix-ecto'), dir));
    expect(error.message).toContain(path.join(dir, 'rel/overlays/bin/server.hbs'));
    expect(error.message).toContain('"relase" not defined');
    expect(error.message).not.toContain('\n');
    expect(error.exitCode).toBe(1);
  });

  it('fails on a template syntax error with one line naming the template', async () => {
    // `%{b: {{n}}}` is the classic collision between Elixir maps and mustaches.
    const dir = overrides({ 'x.hbs': 'm = %{b: {{n}}}\n' });
    const error = await renderError(renderFiles([spec('x.hbs', { n: 1 })], { overridesDir: dir }));
    expect(error.message).toMatch(/^Template .*x\.hbs failed to render: Parse error on line 1: .*; fix the override or delete it$/);
  });

  it('reports a missing bundled template as a broken installation', async () => {
    const error = await renderError(renderFiles([spec('nope.hbs', {})], { templatesDir: scratch }));
    expect(error.message).toMatch(/templates\/nope\.hbs.*reinstall/);
  });

  it('converts to the planned line endings whatever the template uses', async () => {
    const dir = overrides({ 'crlf.hbs': 'a\r\nb\n', 'lf.hbs': 'a\nb\r\n' });
    const [crlf, lf] = await renderFiles(
      [spec('crlf.hbs', {}, { eol: 'crlf' }), spec('lf.hbs', {}, { path: 'out2', eol: 'lf' })],
      { overridesDir: dir },
    );
    expect(crlf!.content).toBe('a\r\nb\r\n');
    expect(lf!.content).toBe('a\nb\n');
  });

  it('returns files in plan order with their modes', async () => {
    const f = fixture('phoenix-ecto');
    const specs = planFiles(await templateInputOf(f));
    const files = await renderFiles(specs, {});
    expect(files.map((x) => [x.path, x.mode])).toEqual(specs.map((s) => [s.path, s.mode]));
  });
});

// Strict mode catches a misspelt `{{name}}` but not a misspelt `{{#if name}}` (a missing helper
// argument is just false), so check every path the templates mention against the data.
describe('bundled templates', () => {
  type Node = { type: string; [key: string]: unknown };

  function mentionedPaths(node: Node | undefined, out: string[]): string[] {
    if (!node) return out;
    if (node.type === 'PathExpression') out.push(String(node.original));
    if (node.type === 'BlockStatement' && (node.path as Node & { original: string }).original === 'each') {
      return out; // `each` bodies read the items; umbrella tests cover them
    }
    for (const value of Object.values(node)) {
      const children = Array.isArray(value) ? value : [value];
      for (const child of children) {
        if (child && typeof child === 'object' && 'type' in child) mentionedPaths(child as Node, out);
      }
    }
    return out;
  }

  it('mention only data that plan provides', async () => {
    const helpers = new Set(['if', 'each', 'else', 'this']);
    for (const f of fixtures) {
      for (const s of planFiles(await templateInputOf(f))) {
        const text = readFileSync(path.join(templatesDir(), s.template), 'utf8');
        for (const p of mentionedPaths(Handlebars.parse(text) as unknown as Node, [])) {
          if (helpers.has(p)) continue;
          let value: unknown = s.data;
          for (const part of p.split('.')) {
            expect(value !== null && typeof value === 'object' && part in value, `${s.template}: ${p} (${f.name})`).toBe(true);
            value = (value as Record<string, unknown>)[part];
          }
        }
      }
    }
  });

  it('use only if and each', async () => {
    for (const f of fixtures) {
      for (const s of planFiles(await templateInputOf(f))) {
        const text = readFileSync(path.join(templatesDir(), s.template), 'utf8');
        const blocks = [...text.matchAll(/\{\{[#^]\s*([\w-]+)/g)].map((m) => m[1]);
        for (const b of blocks) expect(['if', 'each'], s.template).toContain(b);
        expect(text, s.template).not.toMatch(/\{\{>|\{\{\{/);
      }
    }
  });
});
