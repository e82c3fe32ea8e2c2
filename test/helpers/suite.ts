// vitest.unit.config.ts (the suite Stryker runs per mutant) sets CREATE_RELEASE_UNIT_SUITE: the
// checks against Elixir itself, and the TypeScript compilation of the Kubernetes objects, stay
// out of it, as whole files that spawn tools do. Each costs seconds for every mutant it covers;
// `npm test` runs them all.
export const toolChecksOff = process.env.CREATE_RELEASE_UNIT_SUITE === '1';
