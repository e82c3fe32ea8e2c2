// Shared by the render tests: render a fixture, write it into a scratch directory the way commit
// would (modes included), and gate tests on the external tools they run.
import { accessSync, constants, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planFiles } from '../../src/plan.js';
import { renderFiles } from '../../src/render.js';
import type { RenderedFile } from '../../src/types.js';
import { templateInputOf } from '../helpers/facts.js';
import type { PlanFixture } from '../plan/fixtures.js';

export async function renderFixture(f: PlanFixture, overridesDir?: string): Promise<RenderedFile[]> {
  return renderFiles(planFiles(await templateInputOf(f)), { overridesDir });
}

export function scratchDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `create-release-${prefix}-`));
}

export function writeRendered(files: RenderedFile[], dir: string): void {
  for (const file of files) {
    const target = path.join(dir, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content, { mode: file.mode });
  }
}

export function fileNamed(files: RenderedFile[], p: string): RenderedFile {
  const found = files.find((f) => f.path === p);
  if (!found) throw new Error(`not rendered: ${p} (got ${files.map((f) => f.path).join(', ')})`);
  return found;
}

/**
 * Tests that need `tools` are skipped when one is missing, except in CI, where they run and fail
 * (`assertTools` in their beforeAll says why): a test is never silently skipped there.
 */
export function missingTools(tools: string[]): { skip: boolean; assertTools: () => void } {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const missing = tools.filter((tool) => !dirs.some((dir) => isExecutable(path.join(dir, tool))));
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  return {
    skip: missing.length > 0 && !ci,
    assertTools: () => {
      if (missing.length > 0) throw new Error(`not on PATH: ${missing.join(', ')} (apt-get install shellcheck elixir)`);
    },
  };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
