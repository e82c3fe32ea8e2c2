// Golden copies of every generated file per fixture, for review in diffs: `vitest -u` accepts a
// deliberate change. The other tests say what must hold; these show everything that changed.
import { describe, expect, it } from 'vitest';
import { fixtures } from '../plan/fixtures.js';
import { renderFixture } from './helpers.js';

describe.each(fixtures.map((f) => [f.name, f] as const))('%s', (name, f) => {
  it('renders the same files as the golden copies', async () => {
    for (const file of await renderFixture(f)) {
      await expect(file.content).toMatchFileSnapshot(`__snapshots__/${name}/${file.path}`);
    }
  });
});
