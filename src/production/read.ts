// What the production step reads from the project beyond ProjectFacts: the HTTP adapter, Plug's
// locked version, where force_ssl is set, whether dns_cluster is configured, what the release
// already names its node with, and the endpoint sources to patch. Read once, before any question.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readConfigChain, configValue } from '../inspect/config-files.js';
import { configCallsOf } from '../inspect/index.js';
import type { Node } from '../inspect/elixir-parser.js';
import { envReadWithoutDefault, readsEnv } from '../runtime-config/find.js';
import type { EndpointRef } from '../runtime-config/server.js';
import type { Target } from '../target.js';
import type { HttpAdapter } from './values.js';

export interface ProductionFacts {
  adapter: HttpAdapter | null;
  /** Where the adapter was read (`adapter: Bandit.PhoenixAdapter in config/config.exs`), or why not. */
  adapterFrom: string;
  /** Plug's version in mix.lock, null without one. */
  plugVersion: string | null;
  /** Endpoints whose compile-time config sets force_ssl, with the file that sets it last. */
  forceSsl: Array<{ endpoint: EndpointRef; file: string; line: number }>;
  /** runtime.exs reads DNS_CLUSTER_QUERY (phx.new's wiring of dns_cluster). */
  dnsClusterConfigured: boolean;
  /** The release starts :runtime_tools (remote shell tooling, observer), and why. */
  runtimeTools: string | null;
  /** `<rel_templates_path>` of the release. */
  relDir: string;
  /** An existing env.sh.eex, and whether it already names the node. */
  envSh: { namesNode: boolean } | null;
  /** The variables config/runtime.exs reads with no default: what every deploy target must set. */
  runtimeEnv: string[];
  /** The fixed distribution port existing vm.args.eex and remote.vm.args.eex already set, if any. */
  epmdLessPorts: { vmArgs: number | null; remoteVmArgs: number | null };
}

const ADAPTERS: Record<string, HttpAdapter> = {
  'Bandit.PhoenixAdapter': 'bandit',
  'Phoenix.Endpoint.Cowboy2Adapter': 'cowboy',
  'Phoenix.Endpoint.CowboyAdapter': 'cowboy',
};

/** `runtime` is the parsed config/runtime.exs, null when there is none. */
export async function readProductionFacts(target: Target, runtime: Node | null): Promise<ProductionFacts> {
  const { facts, release } = target;
  const relDir = (release.relTemplatesPath ?? 'rel').replace(/^\.\//, '').replace(/\/+$/, '') || 'rel';
  const endpoints = target.endpoints.map((e) => ({ module: e.module, otpApp: e.otpApp }));
  const known = configCallsOf(facts);
  const readRel = (name: string) => readFile(path.join(facts.root, relDir, name), 'utf8').catch(() => null);
  const [calls, envSh, vmArgs, remoteVmArgs] = await Promise.all([
    known ?? readConfigChain(facts.root, 'config/config.exs').then((chain) => chain.calls),
    readRel('env.sh.eex'),
    readRel('vm.args.eex'),
    readRel('remote.vm.args.eex'),
  ]);
  const dnsClusterConfigured = runtime !== null && readsEnv(runtime, 'DNS_CLUSTER_QUERY');
  const { adapter, adapterFrom } = readAdapter(target, endpoints, (app, module, key) => configValue(calls, app, module, key));
  const forceSsl = endpoints.flatMap((endpoint) => {
    const found = configValue(calls, endpoint.otpApp, endpoint.module, 'force_ssl');
    return found ? [{ endpoint, file: found.call.file, line: found.call.line }] : [];
  });
  // Plug's version matters only to force_ssl: mix.lock is long, so it is parsed only then.
  const locked = forceSsl.length > 0 ? await (await import('./mix-lock.js')).readLockedVersions(facts.root, ['plug']) : new Map<string, string>();
  return {
    adapter,
    adapterFrom,
    plugVersion: locked.get('plug') ?? null,
    forceSsl,
    dnsClusterConfigured,
    runtimeTools: runtimeToolsFrom(target),
    relDir,
    envSh: envSh === null ? null : { namesNode: namesNode(envSh) },
    runtimeEnv: runtime ? envReadWithoutDefault(runtime) : [],
    epmdLessPorts: { vmArgs: epmdLessPort(vmArgs, false), remoteVmArgs: epmdLessPort(remoteVmArgs, true) },
  };
}

type ConfigLookup = (app: string, module: string, key: string) => ReturnType<typeof configValue>;

/** The endpoint's `adapter:` in config, else the adapter dependency, else unknown. */
function readAdapter(target: Target, endpoints: EndpointRef[], lookup: ConfigLookup): { adapter: HttpAdapter | null; adapterFrom: string } {
  for (const e of endpoints) {
    const found = lookup(e.otpApp, e.module, 'adapter');
    const name = found?.value.kind === 'alias' ? found.value.name : null;
    if (name && ADAPTERS[name]) return { adapter: ADAPTERS[name], adapterFrom: `adapter: ${name} in ${found!.call.file}` };
  }
  const deps = target.facts.deps;
  if (deps.includes('bandit')) return { adapter: 'bandit', adapterFrom: 'the bandit dependency' };
  // Phoenix's default adapter when the endpoint names none.
  if (deps.includes('plug_cowboy')) return { adapter: 'cowboy', adapterFrom: 'the plug_cowboy dependency (Phoenix default adapter)' };
  return { adapter: null, adapterFrom: 'neither an adapter: in config nor a bandit or plug_cowboy dependency' };
}

function runtimeToolsFrom(target: Target): string | null {
  if (target.release.applications.runtime_tools) return `applications: of release ${target.release.name}`;
  const app = target.apps.find((a) => a.application?.extraApplications.includes('runtime_tools'));
  if (app) return `extra_applications of ${app.app}`;
  // Unread application/0: say nothing rather than advise adding what may be there.
  const unread = target.apps.find((a) => a.application === null);
  return unread ? `unknown: application/0 of ${unread.app} could not be read` : null;
}

/** Lines outside comments that set both RELEASE_DISTRIBUTION and RELEASE_NODE. */
function namesNode(text: string): boolean {
  const code = text.split(/\r?\n/).filter((line) => !/^\s*(#|$)/.test(line));
  const sets = (name: string) => code.some((line) => new RegExp(`^\\s*(export\\s+)?${name}=`).test(line));
  return sets('RELEASE_DISTRIBUTION') && sets('RELEASE_NODE');
}

/** The port of `-start_epmd false -erl_epmd_port <port>` (and `-dist_listen false` for remote) outside comments. */
function epmdLessPort(text: string | null, remote: boolean): number | null {
  if (text === null) return null;
  const flags = text
    .split(/\r?\n/)
    .filter((line) => !/^\s*#/.test(line))
    .join(' ');
  const port = /(?:^|\s)-erl_epmd_port\s+(\d+)/.exec(flags)?.[1];
  const noEpmd = /(?:^|\s)-start_epmd\s+false(?:\s|$)/.test(flags);
  const noListen = /(?:^|\s)-dist_listen\s+false(?:\s|$)/.test(flags);
  return port && noEpmd && (!remote || noListen) ? Number(port) : null;
}
