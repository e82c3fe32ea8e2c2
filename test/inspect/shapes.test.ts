import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { inspectProject } from '../../src/inspect/index.js';
import { findMissingTools } from '../helpers/elixir.js';
import { toolChecksOff } from '../helpers/suite.js';
import { writeProject } from './helpers.js';
import { shapes, summarize } from './shapes.js';

describe('inspectProject reads mix.exs shapes', () => {
  it.each(shapes.map((shape) => [shape.name, shape] as const))('%s', async (_name, shape) => {
    const root = writeProject({ 'mix.exs': shape.mixExs, ...shape.files });
    const facts = await inspectProject(root);
    expect(summarize(facts)).toMatchObject(shape.expected);
    expect(facts.root).toBe(root);
  });
});

// The same files evaluated by Elixir itself (project/0 of each mix.exs, in one process): what we
// read statically must agree with what Mix would see.
const elixirMissing = findMissingTools(['elixir']).length > 0 && process.env.CI !== 'true';

describe.skipIf(elixirMissing || toolChecksOff)('agrees with Elixir evaluating project/0', () => {
  it('has the same app, version, releases and at least the deps of the current env', async () => {
    const roots = shapes.map((shape) => writeProject({ 'mix.exs': shape.mixExs, ...shape.files }));
    const script = `
      Mix.start()
      for dir <- System.argv() do
        File.cd!(dir, fn ->
          [mod | _] = for {m, _} <- Code.require_file("mix.exs"), function_exported?(m, :project, 0), do: m
          p = mod.project()
          deps = for d <- Keyword.get(p, :deps, []), do: elem(d, 0)
          rels = Keyword.keys(Keyword.get(p, :releases, []))
          IO.puts(Enum.join([p[:app], p[:version], Enum.join(deps, ","), Enum.join(rels, ",")], "\\t"))
          Mix.ProjectStack.pop()
        end)
      end`;
    const out = execFileSync('elixir', ['-e', script, ...roots], { encoding: 'utf8', env: { ...process.env, MIX_ENV: 'dev' } });
    const rows = out.replace(/\n$/, '').split('\n').map((line) => line.split('\t'));
    expect(rows).toHaveLength(shapes.length);
    for (const [i, root] of roots.entries()) {
      const [app, version, deps, releases] = rows[i]!;
      const facts = await inspectProject(root);
      expect(facts.apps[0]!.app, shapes[i]!.name).toBe(app);
      if (facts.version !== null) expect(facts.version, shapes[i]!.name).toBe(version);
      expect(facts.deps, shapes[i]!.name).toEqual(expect.arrayContaining(deps ? deps.split(',') : []));
      expect(facts.releases.map((r) => r.name).join(','), shapes[i]!.name).toBe(releases);
    }
  });
});
