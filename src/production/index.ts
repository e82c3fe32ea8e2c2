// The production step of a run: read what it needs, ask its questions, plan the edits of the
// user's files; then, once Ecto is decided, the data of its generated files.
import type { Node } from '../inspect/elixir-parser.js';
import type { Options, Prompter } from '../options.js';
import { readDrains, type ExistingDrain } from '../runtime-config/patch.js';
import type { RuntimePlan } from '../runtime-config/index.js';
import type { Target } from '../target.js';
import { decideProduction, productionFlags } from './answers.js';
import { readProductionFacts, type ProductionFacts } from './read.js';
import { planUserEdits, type UserEdits } from './user-edits.js';
import { productionValuesOf, type ProductionValues } from './values.js';

export { buildProductionData } from './template-data.js';
export { productionCommands, productionReadingRows } from './summary.js';
export type { ProductionValues } from './values.js';

export interface ProductionReading {
  facts: ProductionFacts;
  drains: ExistingDrain[];
}

/** `runtime` is config/runtime.exs parsed, null when there is none. */
export async function readProduction(target: Target, runtime: Node | null): Promise<ProductionReading> {
  const facts = await readProductionFacts(target, runtime);
  const endpoints = target.endpoints.map((e) => ({ module: e.module, otpApp: e.otpApp }));
  const drains = facts.adapter && runtime && endpoints.length > 0 ? readDrains(runtime, endpoints, facts.adapter) : [];
  return { facts, drains };
}

export interface ProductionPlan {
  values: ProductionValues;
  edits: UserEdits;
  /** The flags that repeat the answers. */
  flags: string[];
}

export async function planProduction(
  target: Target,
  reading: ProductionReading,
  options: Pick<Options, 'health' | 'drain' | 'cluster' | 'epmdLess'>,
  prompter: Prompter | undefined,
  runtime: RuntimePlan,
): Promise<ProductionPlan> {
  // A drain the project already sets is kept unless --drain says otherwise (one value, not two).
  const known = reading.drains.map((d) => d.ms).filter((ms): ms is number => ms !== null);
  const existing = known.length > 0 ? Math.max(...known) / 1000 : null;
  const choices = await decideProduction(target, options, prompter, reading.facts, existing !== null && Number.isInteger(existing) ? existing : null);
  const values = productionValuesOf(target.release.name, choices);
  const edits = await planUserEdits(target, reading.facts, values, runtime, reading.drains, options.drain !== undefined);
  return { values, edits, flags: productionFlags(target, choices, options.drain !== undefined) };
}
