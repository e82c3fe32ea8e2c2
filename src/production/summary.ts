// What the production step adds to the run's output: the rows of the "Read from the project"
// block, and the commands and notes of the summary (probes, drain and grace, node names, cookie).
import path from 'node:path';
import type { NextCommand } from '../summary.js';
import type { Target } from '../target.js';
import type { ExistingDrain } from '../runtime-config/patch.js';
import type { ProductionFacts } from './read.js';
import type { ProductionValues } from './values.js';

export function productionReadingRows(target: Target, facts: ProductionFacts, drains: ExistingDrain[]): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  if (target.endpoints.length > 0) rows.push(['web server', facts.adapter ? `${facts.adapter === 'bandit' ? 'Bandit' : 'Cowboy'}  (${facts.adapterFrom})` : `unknown: ${facts.adapterFrom}`]);
  for (const d of drains) rows.push(['drain', `${d.ms === null ? 'set' : `${d.ms} ms`} for ${d.endpoint}  (config/runtime.exs:${d.line})`]);
  for (const f of facts.forceSsl) rows.push(['force_ssl', `${f.endpoint.module}  in ${f.file}:${f.line}; plug ${facts.plugVersion ?? 'not locked in mix.lock'}`]);
  rows.push(['clustering', target.facts.dnsCluster ? (facts.dnsClusterConfigured ? 'dns_cluster, configured (runtime.exs reads DNS_CLUSTER_QUERY)' : 'dns_cluster is a dependency, but runtime.exs never reads DNS_CLUSTER_QUERY') : 'no dns_cluster dependency']);
  rows.push(['debugging', facts.runtimeTools ? `:runtime_tools started (${facts.runtimeTools})` : ':runtime_tools not in the release (no extra_applications or release applications: lists it)']);
  if (facts.envSh) rows.push(['env.sh', `${facts.relDir}/env.sh.eex exists${facts.envSh.namesNode ? ' and already names the node' : ''}`]);
  return rows;
}

/** The summary's production entries, after the release's own commands. */
export function productionCommands(target: Target, values: ProductionValues, facts: ProductionFacts, releaseDir: string): NextCommand[] {
  const release = target.release.name;
  const bin = `${releaseDir}/bin/${release}`;
  const app = target.owner.app;
  const commands: NextCommand[] = [];
  if (values.health) {
    commands.push({
      comment: `Once it runs, to probe it (liveness: ${values.health.liveness}; readiness, which checks each repo and pending migrations: ${values.health.readiness})`,
      command: `curl -fsS http://127.0.0.1:${values.port.default}${values.health.readiness}`,
    });
  }
  if (target.endpoints.length > 0) {
    commands.push({
      comment: `On SIGTERM, requests in flight get ${values.drainSeconds} s to finish (the drain); let the platform wait ${values.graceSeconds} s before it kills the release (its grace period: Kubernetes terminationGracePeriodSeconds, Fly kill_timeout, Compose stop_grace_period, a container's --stop-timeout)`,
      command: '',
    });
  }
  if (values.cluster) commands.push(...clusterCommands(app, release, bin, facts));
  if (values.epmdLessPort !== null) {
    commands.push({ comment: `Distribution listens on port ${values.epmdLessPort} only, without epmd: open it between instances, never to the public`, command: '' });
  }
  if (facts.runtimeTools === null) {
    commands.push({
      comment: 'The release does not start :runtime_tools (observer, tracing, the tools a remote shell debugs with): add it to application/0',
      command: 'extra_applications: [:logger, :runtime_tools]',
      file: path.posix.join(target.main.dir, 'mix.exs'),
    });
  }
  return commands;
}

function clusterCommands(app: string, release: string, bin: string, facts: ProductionFacts): NextCommand[] {
  const commands: NextCommand[] = [
    { comment: 'Once it runs, to see its node name (rel/env.sh.eex sets it; RELEASE_NODE overrides)', command: `${bin} rpc 'IO.puts(node())'` },
    {
      comment: 'To connect it to another instance by hand (DNSCluster does this for you once DNS_CLUSTER_QUERY is set)',
      command: `${bin} rpc 'Node.connect(:"${release}@10.0.0.2") |> IO.inspect(); IO.inspect(Node.list())'`,
    },
    {
      comment: 'Nodes connect only with the same cookie, and a fresh mix release writes a random one per build: make one once, and set it as RELEASE_COOKIE on every instance (a secret, never in the image)',
      command: 'openssl rand -hex 32',
    },
  ];
  if (!facts.dnsClusterConfigured) {
    commands.push(
      {
        comment: 'To find the other instances by DNS, add {:dns_cluster, "~> 0.1"} to deps (if missing), this child to your application\'s supervisor',
        command: `{DNSCluster, query: Application.get_env(:${app}, :dns_cluster_query) || :ignore}`,
        file: `lib/${app}/application.ex`,
      },
      { comment: 'and this to config/runtime.exs (rel/env.sh.eex then sets DNS_CLUSTER_QUERY on Fly and Kubernetes)', command: `config :${app}, :dns_cluster_query, System.get_env("DNS_CLUSTER_QUERY")`, file: 'config/runtime.exs' },
    );
  }
  return commands;
}
