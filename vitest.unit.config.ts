// The tests that import the code directly (no packed bin, no release built): what the mutation
// run (`npm run mutate`, stryker.config.mjs) measures. Tests that only pass through Elixir or
// shellcheck subprocesses stay out: they prove the generated files, and would cost seconds per
// mutant for what the unit assertions already pin.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/inspect/**/*.test.ts',
      'test/images/**/*.test.ts',
      'test/plan/**/*.test.ts',
      'test/render/**/*.test.ts',
      'test/commit/**/*.test.ts',
      'test/runtime-config/**/*.test.ts',
      'test/deploy/**/*.test.ts',
      'test/run/**/*.test.ts',
    ],
    exclude: ['test/render/release-ex.test.ts', 'test/render/scripts.test.ts', 'test/images/lazy-loading.test.ts'],
    testTimeout: 30_000,
    globalSetup: ['test/helpers/run-scratch.ts'],
    // One module cache for every file and every mutant run: Stryker switches mutants at run time
    // (static mutants are ignored), so nothing needs a fresh import, and a fresh worker per test
    // file per mutant was most of the run's time (the whole suite: 27 s isolated, 14 s not).
    isolate: false,
    // The checks against Elixir inside these files are skipped (test/helpers/suite.ts).
    env: { CREATE_RELEASE_UNIT_SUITE: '1' },
  },
});
