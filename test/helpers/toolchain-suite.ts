// A describe() for tests that need real tools (mix, elixir...) and a fresh copy of an
// end-to-end fixture per suite. Locally a missing tool skips the suite, with the reason in its
// name; in CI (CI=true) the suite fails instead: a test is never silently skipped there.
import { afterAll, beforeAll, describe } from 'vitest';
import { copyFixture, type Workspace } from '../e2e/cases.js';
import { checkToolchain, stopAllProcesses } from './elixir.js';

/** `describe(title, body)` that needs `tools` on PATH; processes started via elixir.ts are stopped after it. */
export function describeWithTools(title: string, tools: string[], body: () => void): void {
  const toolchain = checkToolchain(tools);
  const skipReason = toolchain.missing && !toolchain.ci ? ` (skipped: ${toolchain.missing})` : '';
  if (skipReason) console.warn(`${title}: skipped, ${toolchain.missing}; in CI (CI=true) this fails instead`);
  describe.skipIf(skipReason !== '')(`${title}${skipReason}`, () => {
    beforeAll(() => {
      if (toolchain.missing) throw new Error(`CI needs the end-to-end toolchain, ${toolchain.missing}`);
    });
    afterAll(stopAllProcesses);
    body();
  });
}

/** A fresh copy of a fixture (of `from`, the end-to-end fixtures by default) for the enclosing describe(), removed after it. */
export function useFixture(fixture: string, from?: string): () => Workspace {
  let ws: Workspace | undefined;
  beforeAll(async () => {
    ws = await copyFixture(fixture, { from });
  });
  afterAll(async () => {
    await stopAllProcesses();
    await ws?.remove();
  });
  return () => {
    if (!ws) throw new Error(`the copy of ${fixture} was not made`);
    return ws;
  };
}
