// What a release needs to live in production: a health-check plug per endpoint namespace, the
// node naming of rel/env.sh.eex (and env.bat.eex), and the fixed-port distribution of
// vm.args.eex / remote.vm.args.eex. The patches of the user's own files (endpoint, prod config,
// runtime.exs) are not generated files: src/runtime-config/ computes them.
import type { ProductionValues } from '../src/production/values.js';
import { addFile, type FileAction, type GeneratorDefinition } from './types.js';

export interface HealthModuleData {
  /** `MyAppWeb.Health`, next to the endpoint it serves. */
  module: string;
  path: string;
  /** The app whose `:ecto_repos` readiness checks. */
  app: string;
  ecto: boolean;
  timeoutMs: number;
  /** The endpoints that plug it, in words. */
  endpointList: string;
  liveness: string;
  readiness: string;
  /** The paths as `conn.path_info` lists, e.g. `["health", "ready"]`. */
  livenessInfo: string;
  readinessInfo: string;
}

export interface ProductionTemplateData {
  /** Port, probe paths, drain and grace: the one set of values every deploy file reads. */
  values: ProductionValues;
  /** `<rel_templates_path>` of the release: where Mix looks for env.sh.eex and vm.args.eex. */
  relTemplatesDir: string;
  /** The release builds Windows scripts: env.bat.eex too. */
  windows: boolean;
  health: HealthModuleData[];
  cluster: {
    /** dns_cluster is configured: env.sh gives DNS_CLUSTER_QUERY a platform default. */
    dnsClusterQuery: boolean;
    headlessService: string;
    /** Why an existing env.sh.eex is kept (it already names the node), if it is. */
    keepEnvSh?: string;
  } | null;
  epmdLess: {
    port: number;
    /** Why existing vm.args.eex / remote.vm.args.eex are kept (they already use this port without epmd). */
    keepVmArgs?: string;
    keepRemoteVmArgs?: string;
  } | null;
}

export const productionGenerator: GeneratorDefinition<ProductionTemplateData> = {
  description: 'Health-check plug, node naming (rel/env.sh.eex) and epmd-less distribution (rel/vm.args.eex)',
  prompts: [],
  actions: (data) => [
    ...data.health.map((h) => addFile(h.path, 'lib/health.ex.hbs', { data: { ...h } })),
    ...clusterActions(data),
  ],
};

function clusterActions(data: ProductionTemplateData): FileAction[] {
  const { cluster, epmdLess, relTemplatesDir: dir } = data;
  const actions: FileAction[] = [];
  if (cluster) {
    const clusterData = { dnsClusterQuery: cluster.dnsClusterQuery, headlessService: cluster.headlessService };
    actions.push(addFile(`${dir}/env.sh.eex`, 'rel/env.sh.eex.hbs', { data: clusterData, ...(cluster.keepEnvSh ? { keep: cluster.keepEnvSh } : {}) }));
    if (data.windows) actions.push(addFile(`${dir}/env.bat.eex`, 'rel/env.bat.eex.hbs', { eol: 'crlf' }));
  }
  if (epmdLess) {
    const data = { port: epmdLess.port };
    const keep = (reason: string | undefined) => (reason ? { keep: reason } : {});
    actions.push(addFile(`${dir}/vm.args.eex`, 'rel/vm.args.eex.hbs', { data, ...keep(epmdLess.keepVmArgs) }));
    actions.push(addFile(`${dir}/remote.vm.args.eex`, 'rel/remote.vm.args.eex.hbs', { data, ...keep(epmdLess.keepRemoteVmArgs) }));
  }
  return actions;
}
