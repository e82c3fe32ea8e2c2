// The production questions: health checks, clustering, a fixed distribution port, and the drain
// budget. Each answer comes from its flag, else a prompt (interactive runs only), else the default.
import { CreateReleaseError } from '../errors.js';
import type { Options, Prompter } from '../options.js';
import type { Target } from '../target.js';
import type { ProductionFacts } from './read.js';
import { DEFAULT_DRAIN_SECONDS, DEFAULT_EPMD_LESS_PORT, type ProductionChoices } from './values.js';

type ProductionOptions = Pick<Options, 'health' | 'drain' | 'cluster' | 'epmdLess'>;

export async function decideProduction(
  target: Target,
  options: ProductionOptions,
  prompter: Prompter | undefined,
  facts: ProductionFacts,
  existingDrainSeconds: number | null,
): Promise<ProductionChoices> {
  const web = target.endpoints.length > 0;
  if (options.health && !web) {
    throw new CreateReleaseError('--health: the release serves no Phoenix endpoint (no module uses Phoenix.Endpoint), so there is nothing to wire the health plug into; leave --health out');
  }
  // The plug needs Plug.Conn: a module that merely `use`s something named Phoenix.Endpoint is not enough.
  const plug = ['phoenix', 'plug'].some((dep) => target.facts.deps.includes(dep));
  const health =
    web && (options.health ?? (prompter ? await prompter.confirm('Add health checks (GET /health and /health/ready), plugged first in the endpoint?', plug) : plug));
  const dns = target.facts.dnsCluster;
  const cluster = options.cluster ?? (prompter ? await prompter.confirm('Name the node for clustering (rel/env.sh.eex)?', dns) : dns);
  const epmdLessPort =
    options.epmdLess !== undefined
      ? options.epmdLess || null
      : cluster && prompter && (await prompter.confirm(`Run distribution on one fixed port (${DEFAULT_EPMD_LESS_PORT}) without epmd?`, false))
        ? DEFAULT_EPMD_LESS_PORT
        : null;
  return {
    health,
    drainSeconds: options.drain ?? existingDrainSeconds ?? DEFAULT_DRAIN_SECONDS,
    adapter: facts.adapter,
    cluster,
    epmdLessPort,
  };
}

/** The flags that repeat these choices without questions. */
export function productionFlags(target: Target, choices: ProductionChoices, drainGiven: boolean): string[] {
  const flags: string[] = [];
  if (target.endpoints.length > 0) flags.push(choices.health ? '--health' : '--no-health');
  if (drainGiven || choices.drainSeconds !== DEFAULT_DRAIN_SECONDS) flags.push(`--drain ${choices.drainSeconds}`);
  flags.push(choices.cluster ? '--cluster' : '--no-cluster');
  if (choices.epmdLessPort !== null) flags.push(`--epmd-less=${choices.epmdLessPort}`);
  return flags;
}
