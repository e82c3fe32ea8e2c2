// Mutation testing: `npm run mutate` (tens of minutes on two cores; not part of `npm test`).
// Re-runs are incremental: only mutants in changed code, or covered by changed tests, run again.
// The report: reports/mutation/mutation.html (and .json); the score per folder is in the table
// printed at the end.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.unit.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner', './scripts/stryker-ignore-dynamic-import.mjs'],
  ignorers: ['dynamic-import'],
  // src/cli.ts only wires process (argv, TTY, signals, exit) to src/cli-options.ts and run(); the
  // CLI tests that spawn the bin cover it, and no unit test can load it (it runs main on import).
  mutate: ['src/**/*.ts', 'generators/**/*.ts', '!src/cli.ts', '!src/images/catalog-data.ts', '!src/precompiled-templates.ts'],
  coverageAnalysis: 'perTest',
  // A static mutant (a module-level constant: a table of messages, a regex) re-runs the whole unit
  // suite; Stryker put those 5% of the mutants at over half the run's time on two cores. They show
  // as "ignored" in the report, not in the score.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'html', 'json', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 2,
  timeoutMS: 20_000,
  thresholds: { high: 80, low: 70, break: null },
  tempDirName: '.stryker-tmp',
};
