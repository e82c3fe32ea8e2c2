// The data the production templates render from, built from the choices and what was read.
import type { ProductionTemplateData } from '../../generators/production.js';
import type { Target } from '../target.js';
import { healthModulesOf } from './health-modules.js';
import type { ProductionFacts } from './read.js';
import type { ProductionValues } from './values.js';

export function buildProductionData(target: Target, facts: ProductionFacts, values: ProductionValues, ecto: boolean): ProductionTemplateData {
  const cluster = values.cluster;
  return {
    values,
    relTemplatesDir: facts.relDir,
    windows: target.release.includeExecutablesFor.includes('windows'),
    health: values.health ? healthModulesOf(target, values.health, ecto) : [],
    cluster: cluster
      ? {
          dnsClusterQuery: facts.dnsClusterConfigured,
          headlessService: cluster.headlessService,
          ...(facts.envSh?.namesNode ? { keepEnvSh: `it already sets RELEASE_DISTRIBUTION and RELEASE_NODE` } : {}),
        }
      : null,
    epmdLess: values.epmdLessPort === null ? null : epmdLessData(values.epmdLessPort, facts),
  };
}

function epmdLessData(port: number, facts: ProductionFacts): NonNullable<ProductionTemplateData['epmdLess']> {
  const same = `it already runs distribution on port ${port} without epmd`;
  return {
    port,
    ...(facts.epmdLessPorts.vmArgs === port ? { keepVmArgs: same } : {}),
    ...(facts.epmdLessPorts.remoteVmArgs === port ? { keepRemoteVmArgs: `${same}, and does not listen` } : {}),
  };
}
