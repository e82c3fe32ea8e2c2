// The Elixir the checks print and the patch inserts, laid out as `mix format` would lay it out.
import type { EndpointRef, ServerEnv } from './server.js';

/** What the runtime.exs step reads: the file, and the names the release serves and migrates. */
export interface RuntimeInput {
  /** Contents of config/runtime.exs, or null when there is none. */
  runtimeExs: string | null;
  /** config/releases.exs exists (Mix prefers runtime.exs: creating one would disable it). */
  releasesExs: boolean;
  /** The release serves a Phoenix app: bin/server sets PHX_SERVER as phx.gen.release does. */
  phoenix: boolean;
  /** The endpoints bin/server must start. */
  endpoints: EndpointRef[];
  /** The repos the release migrates, each with the app whose config holds it. */
  repos: Array<{ app: string; module: string }>;
  /** An adapter that opens TCP sockets (postgrex, myxql, tds): ECTO_IPV6 matters. */
  socketAdapter: boolean;
}

export const PHX_SERVER: ServerEnv = { name: 'PHX_SERVER', value: 'true' };

// mix format's default line length.
const LINE_LENGTH = 98;

/**
 * `config :app, Module, key: value` broken as the formatter breaks it: on one line if it fits, else
 * the keywords on the next line, else one argument per line aligned after `config `.
 */
export function formatConfig(indent: string, app: string, module: string, keywords: string): string {
  const oneLine = `${indent}config :${app}, ${module}, ${keywords}`;
  if (oneLine.length <= LINE_LENGTH) return oneLine;
  const head = `${indent}config :${app}, ${module},`;
  if (head.length <= LINE_LENGTH) return `${head}\n${indent}  ${keywords}`;
  const aligned = `${indent}       `;
  return `${indent}config :${app},\n${aligned}${module},\n${aligned}${keywords}`;
}

/** The block phx.new (1.6.3 and later) writes so `PHX_SERVER=true` starts the web server, for every endpoint. */
export function renderServerBlock(endpoints: EndpointRef[], eol = '\n'): string {
  const lines = [
    'if System.get_env("PHX_SERVER") do',
    ...endpoints.map((e) => formatConfig('  ', e.otpApp, e.module, 'server: true')),
    'end',
  ];
  return lines.join('\n').replaceAll('\n', eol);
}

export function renderHostSnippet(endpoint: EndpointRef): string {
  return [
    'if config_env() == :prod do',
    '  host = System.get_env("PHX_HOST") || "example.com"',
    '',
    formatConfig('  ', endpoint.otpApp, endpoint.module, 'url: [host: host, port: 443, scheme: "https"]'),
    'end',
  ].join('\n');
}

export function renderIpv6Snippet(repos: RuntimeInput['repos']): string {
  return [
    'if config_env() == :prod do',
    '  maybe_ipv6 = if System.get_env("ECTO_IPV6") in ~w(true 1), do: [:inet6], else: []',
    '',
    ...repos.map((repo) => formatConfig('  ', repo.app, repo.module, 'socket_options: maybe_ipv6')),
    'end',
  ].join('\n');
}

/** A whole runtime.exs for a project that has none: just enough for `bin/server`. */
export function renderMinimalRuntime(endpoints: EndpointRef[]): string {
  return `import Config\n\n${renderServerBlock(endpoints)}\n`;
}

/** `A`, `A and B`, `A, B and C`. */
export function listNames(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
