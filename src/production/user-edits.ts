// The edits of the user's own files this run would make for production, each computed from the
// file's content (a patch) or, where that is unsafe or impossible, a snippet with the reason:
// the health plug in each endpoint, the health paths in force_ssl's exclude, the drain in
// config/runtime.exs (on top of the PHX_SERVER block when that is added too).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { planDrain, renderDrainBlock, type ExistingDrain } from '../runtime-config/patch.js';
import { wireHealthPlug } from '../runtime-config/endpoint-patch.js';
import type { RuntimePlan } from '../runtime-config/index.js';
import type { PatchAdvice, PatchOutcome } from '../runtime-config/patch-result.js';
import type { Target } from '../target.js';
import type { RenderedFile } from '../types.js';
import { healthModuleName } from './health-modules.js';
import type { ProductionFacts } from './read.js';
import type { ProductionValues } from './values.js';

export interface UserEdits {
  /** config/runtime.exs as the run would leave it (PHX_SERVER block and drain), or null. */
  runtime: RenderedFile | null;
  /** Endpoint and prod-config patches. */
  others: RenderedFile[];
  /** What could not be patched, with the snippet to add by hand. */
  advice: PatchAdvice[];
  /** What each edit does, for the question that asks before patching, and the snippet that does
   *  it by hand when the user declines (null where another message already shows it). */
  planned: PlannedEdit[];
}

export interface PlannedEdit {
  file: string;
  what: string;
  snippet: string | null;
}

export async function planUserEdits(
  target: Target,
  facts: ProductionFacts,
  values: ProductionValues,
  runtime: RuntimePlan,
  existingDrains: ExistingDrain[],
  drainGiven = false,
): Promise<UserEdits> {
  const edits: UserEdits = { runtime: runtime.patch, others: [], advice: [], planned: [] };
  // The runtime.exs checks print the PHX_SERVER block itself when it is missing.
  if (runtime.patch) edits.planned.push({ file: runtime.patch.path, what: `${runtime.patch.patch ? 'add' : 'create it with'} the PHX_SERVER block`, snippet: null });
  if (values.health) await planHealthWiring(target, facts, values.health, edits);
  await planDrainEdit(target, facts, values, existingDrains, edits, drainGiven);
  return edits;
}

async function planHealthWiring(target: Target, facts: ProductionFacts, paths: NonNullable<ProductionValues['health']>, edits: UserEdits): Promise<void> {
  const sources = new Map<string, string>();
  const plugs = new Map<string, string[]>();
  for (const endpoint of target.endpoints) {
    const file = endpoint.file;
    const source = sources.get(file) ?? (await readFile(path.join(target.facts.root, file), 'utf8'));
    const plug = healthModuleName(endpoint.module);
    const outcome = await wireHealthPlug(source, endpoint.module, plug);
    if (outcome.kind === 'patch') {
      sources.set(file, outcome.content);
      plugs.set(file, [...(plugs.get(file) ?? []), `plug ${plug}  # before the first plug of ${endpoint.module}`]);
    }
    else if (outcome.kind === 'snippet') edits.advice.push({ file, message: `${file}: ${outcome.reason}: add this line before the first plug of ${endpoint.module}, so probes are answered before they are logged or routed:`, snippet: outcome.snippet });
  }
  for (const [file, content] of sources) {
    edits.others.push({ path: file, content, mode: 0o644, patch: true });
    edits.planned.push({ file, what: 'plug the health checks first in the endpoint', snippet: plugs.get(file)!.join('\n') });
  }
  await planForceSsl(target, facts, [paths.liveness, paths.readiness], edits);
}

/** Health paths in force_ssl's exclude, where the locked Plug has path exclusion (1.19+). */
async function planForceSsl(target: Target, facts: ProductionFacts, paths: string[], edits: UserEdits): Promise<void> {
  if (facts.forceSsl.length === 0) return;
  // Loaded only for a project that forces SSL.
  const [{ atLeast }, { excludeHealthPaths, PLUG_SSL_DEFAULT_HOSTS }] = await Promise.all([import('./mix-lock.js'), import('../runtime-config/prod-config-patch.js')]);
  const plug = facts.plugVersion;
  if (plug === null || !atLeast(plug, 1, 19)) {
    const which = plug === null ? 'mix.lock does not lock plug, so its version is unknown' : `mix.lock locks plug ${plug}`;
    for (const f of facts.forceSsl) {
      edits.advice.push({
        file: f.file,
        message: `${f.file}:${f.line}: force_ssl answers plain-HTTP probes with a 301 (Fly's checks fail on it, Kubernetes' pass without testing anything). Plug 1.19 can exclude paths, and ${which}: after mix deps.update plug, add to force_ssl of ${f.endpoint.module}:`,
        snippet: `exclude: [paths: ${quoteList(paths)}, hosts: ${quoteList(['localhost', '127.0.0.1'])}]`,
      });
    }
    return;
  }
  const sources = new Map<string, string>();
  for (const f of facts.forceSsl) {
    const source = sources.get(f.file) ?? (await readFile(path.join(target.facts.root, f.file), 'utf8'));
    const outcome = await excludeHealthPaths(source, f.endpoint, paths);
    if (outcome.kind === 'patch') sources.set(f.file, outcome.content);
    else if (outcome.kind === 'snippet') edits.advice.push({ file: f.file, message: `${f.file}:${f.line}: ${outcome.reason}; so plain-HTTP probes are not redirected, set force_ssl of ${f.endpoint.module} like this:`, snippet: outcome.snippet });
  }
  const exclude = `exclude: [paths: ${quoteList(paths)}, hosts: ${quoteList(PLUG_SSL_DEFAULT_HOSTS)}]`;
  for (const [file, content] of sources) {
    const known = edits.others.find((o) => o.path === file);
    if (known) known.content = content;
    else edits.others.push({ path: file, content, mode: 0o644, patch: true });
    edits.planned.push({ file, what: 'exclude the health paths from force_ssl', snippet: `force_ssl: [..., ${exclude}]` });
  }
}

/** `retune`: --drain was given, so a drain the file already sets as a number is changed to it. */
async function planDrainEdit(target: Target, facts: ProductionFacts, values: ProductionValues, existing: ExistingDrain[], edits: UserEdits, retune: boolean): Promise<void> {
  const endpoints = target.endpoints.map((e) => ({ module: e.module, otpApp: e.otpApp }));
  if (endpoints.length === 0) return;
  const ms = values.drainSeconds * 1000;
  const retuned = retune ? existing.filter((d) => d.ms !== null && d.ms !== ms) : [];
  for (const e of existing.filter((d) => d.ms !== ms && !retuned.includes(d))) {
    edits.advice.push({
      file: 'config/runtime.exs',
      message: `config/runtime.exs:${e.line} sets the drain of ${e.endpoint} to ${e.ms === null ? 'a value create-release cannot read' : `${e.ms} ms`}, not the ${ms} ms asked for: change it there (platform grace periods are set from ${values.drainSeconds} s)`,
      snippet: renderDrainBlock(endpoints.filter((p) => p.module === e.endpoint), facts.adapter ?? 'bandit', ms),
    });
  }
  if (!facts.adapter) {
    const both = `${renderDrainBlock(endpoints, 'bandit', ms)}\n\n# or, with Cowboy:\n${renderDrainBlock(endpoints, 'cowboy', ms)}`;
    edits.advice.push({ file: 'config/runtime.exs', message: `create-release could not tell the HTTP adapter (${facts.adapterFrom}), so the drain was not set: add to the prod block of config/runtime.exs the line for yours:`, snippet: both });
    return;
  }
  const source = edits.runtime?.content ?? target.facts.runtimeExs;
  if (source === null) {
    edits.advice.push({ file: 'config/releases.exs', message: 'config/runtime.exs does not exist (config/releases.exs configures the release): add this there so in-flight requests finish on shutdown:', snippet: renderDrainBlock(endpoints, facts.adapter, ms) });
    return;
  }
  const outcome: PatchOutcome = await planDrain(source, endpoints, facts.adapter, ms, retuned.length > 0);
  if (outcome.kind === 'snippet') edits.advice.push({ file: 'config/runtime.exs', message: `config/runtime.exs: ${outcome.reason}; add this so in-flight requests finish on shutdown:`, snippet: outcome.snippet });
  if (outcome.kind !== 'patch') return;
  edits.runtime = edits.runtime ? { ...edits.runtime, content: outcome.content } : { path: 'config/runtime.exs', content: outcome.content, mode: 0o644, patch: true };
  const missing = endpoints.filter((e) => !existing.some((d) => d.endpoint === e.module));
  for (const d of retuned) {
    edits.planned.push({ file: 'config/runtime.exs', what: `change the drain of ${d.endpoint} from ${d.ms! / 1000} s to ${values.drainSeconds} s (line ${d.line})`, snippet: null });
  }
  if (missing.length === 0) return;
  edits.planned.push({
    file: 'config/runtime.exs',
    what: `let in-flight requests drain for ${values.drainSeconds} s on shutdown (${facts.adapter === 'bandit' ? 'Bandit' : 'Cowboy'}), in the prod block`,
    snippet: renderDrainBlock(missing, facts.adapter, ms),
  });
}

/** `["a", "b"]`, as Elixir and mix format write a list of strings. */
function quoteList(items: readonly string[]): string {
  return `[${items.map((i) => JSON.stringify(i)).join(', ')}]`;
}
