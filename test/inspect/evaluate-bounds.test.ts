// mix.exs files written to make a static reader run away: helpers that branch exponentially,
// recursion through functions and attributes, syntax nested thousands deep. Each is read in
// bounded work, and what can be read still is.
import { describe, expect, it } from 'vitest';
import { readMixExs } from '../../src/inspect/mix-exs.js';

const mixExs = (project: string, helpers: string) => `defmodule Runaway.MixProject do
  use Mix.Project

  def application, do: [mod: {Runaway.Application, []}]

  def project, do: ${project}
${helpers}
end
`;

describe('the evaluator stays bounded', () => {
  it('helpers that triple at every level (3^15 calls) stop at the step budget', async () => {
    const levels = Array.from({ length: 15 }, (_, i) => `  defp d${i}, do: d${i + 1}() ++ d${i + 1}() ++ d${i + 1}()`);
    const source = mixExs('[app: :runaway, deps: [{:jason, "~> 1.4"}] ++ d0()]', [...levels, '  defp d15, do: [{:leaf, "~> 1.0"}]'].join('\n'));
    const read = await readMixExs(source);
    expect(read.app?.name).toBe('runaway');
    expect(read.deps[0]).toBe('jason');
  });

  it('a function that calls itself', async () => {
    const read = await readMixExs(mixExs('[app: :runaway, deps: deps()]', '  defp deps, do: [{:jason, "~> 1.4"}] ++ deps()'));
    expect(read.deps).toEqual(['jason']);
  });

  it('an attribute defined through itself', async () => {
    const read = await readMixExs(`defmodule Runaway.MixProject do
  use Mix.Project
  @deps [{:jason, "~> 1.4"}] ++ @deps
  def project, do: [app: :runaway, deps: @deps]
end
`);
    expect(read.app?.name).toBe('runaway');
    expect(read.deps).toEqual(['jason']);
  });

  it('a list nested 5000 deep', async () => {
    const nested = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const read = await readMixExs(mixExs(`[app: :runaway, deps: [{:jason, "~> 1.4"}, ${nested}]]`, ''));
    expect(read.app?.name).toBe('runaway');
    expect(read.deps).toEqual(['jason']);
  });
});
