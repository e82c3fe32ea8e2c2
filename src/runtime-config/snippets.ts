// The Elixir the checks print and the patch inserts, laid out as `mix format` would lay it out.
import type { ProjectFacts } from '../types.js';
import type { RepoConfig } from './find.js';

/** What the runtime.exs checks read from the project facts. */
export type RuntimeFacts = Pick<
  ProjectFacts,
  'app' | 'namespace' | 'webModule' | 'phoenix' | 'ectoAdapters' | 'runtimeExs' | 'umbrella'
> &
  Partial<Pick<ProjectFacts, 'releasesExs'>>;

/** The names the snippets embed: the endpoint's OTP app and module. */
export interface EndpointNames {
  app: string;
  endpoint: string;
}

// mix format's default line length.
const LINE_LENGTH = 98;

/** Phoenix projects only: the endpoint lives in the web app (its own OTP app in an umbrella). */
export function resolveEndpoint(facts: RuntimeFacts): EndpointNames | null {
  if (!facts.phoenix || !facts.webModule) return null;
  const webApp = facts.umbrella?.apps.find((a) => a.webModule === facts.webModule);
  return { app: webApp?.app ?? facts.app, endpoint: `${facts.webModule}.Endpoint` };
}

/** The repo the project's own `config` names, else `<Namespace>.Repo` of the app that uses Ecto. */
export function defaultRepo(facts: RuntimeFacts): RepoConfig {
  const ectoApp = facts.umbrella?.apps.find((a) => a.ecto);
  return ectoApp
    ? { app: ectoApp.app, module: `${ectoApp.namespace}.Repo` }
    : { app: facts.app, module: `${facts.namespace}.Repo` };
}

/**
 * `config :app, Module, key: value` broken as the formatter breaks it: on one line if it fits, else
 * the keywords on the next line, else one argument per line aligned after `config `.
 */
function formatConfig(indent: string, app: string, module: string, keywords: string): string {
  const oneLine = `${indent}config :${app}, ${module}, ${keywords}`;
  if (oneLine.length <= LINE_LENGTH) return oneLine;
  const head = `${indent}config :${app}, ${module},`;
  if (head.length <= LINE_LENGTH) return `${head}\n${indent}  ${keywords}`;
  const aligned = `${indent}       `;
  return `${indent}config :${app},\n${aligned}${module},\n${aligned}${keywords}`;
}

/** The block phx.new (1.6.3 and later) writes so `PHX_SERVER=true` starts the web server. */
export function renderServerBlock(names: EndpointNames, eol = '\n'): string {
  const lines = [
    'if System.get_env("PHX_SERVER") do',
    formatConfig('  ', names.app, names.endpoint, 'server: true'),
    'end',
  ];
  return lines.join('\n').replaceAll('\n', eol);
}

export function renderHostSnippet(names: EndpointNames): string {
  return [
    'if config_env() == :prod do',
    '  host = System.get_env("PHX_HOST") || "example.com"',
    '',
    formatConfig('  ', names.app, names.endpoint, 'url: [host: host, port: 443, scheme: "https"]'),
    'end',
  ].join('\n');
}

export function renderIpv6Snippet(repos: RepoConfig[]): string {
  return [
    'if config_env() == :prod do',
    '  maybe_ipv6 = if System.get_env("ECTO_IPV6") in ~w(true 1), do: [:inet6], else: []',
    '',
    ...repos.map((repo) => formatConfig('  ', repo.app, repo.module, 'socket_options: maybe_ipv6')),
    'end',
  ].join('\n');
}

/** A whole runtime.exs for a project that has none: just enough for `bin/server`. */
export function renderMinimalRuntime(names: EndpointNames): string {
  return `import Config\n\n${renderServerBlock(names)}\n`;
}
