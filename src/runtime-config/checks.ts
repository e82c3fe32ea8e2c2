import { firstErrorNode, parseElixir } from '../inspect/elixir-parser.js';
import type { RuntimeAdvice } from '../types.js';
import { findConfigImport, findRepos, readsEnv, type RepoConfig } from './find.js';
import {
  defaultRepo,
  renderHostSnippet,
  renderIpv6Snippet,
  renderMinimalRuntime,
  renderServerBlock,
  resolveEndpoint,
  type EndpointNames,
  type RuntimeFacts,
} from './snippets.js';

// ECTO_IPV6 only matters to adapters that open TCP sockets; SQLite is a local file.
const SOCKET_ADAPTERS = ['postgrex', 'myxql', 'tds'];

/**
 * What config/runtime.exs lacks for a release of a Phoenix app, each with the snippet that adds
 * it. A setting counts as present only when code reads it: a comment or a string does not count.
 */
export async function checkRuntimeConfig(facts: RuntimeFacts): Promise<RuntimeAdvice[]> {
  const names = resolveEndpoint(facts);
  if (!names) return [];
  if (facts.runtimeExs === null) return [missingFileAdvice(facts, names)];

  const tree = await parseElixir(facts.runtimeExs);
  try {
    const root = tree.rootNode;
    const advice: RuntimeAdvice[] = [];
    if (!readsEnv(root, 'PHX_SERVER')) {
      const broken = firstErrorNode(root);
      const where = findConfigImport(root) ? 'after `import Config`' : 'at the top, after an `import Config` line';
      const message = broken
        ? `config/runtime.exs does not parse at line ${broken.startPosition.row + 1}, so create-release left it unchanged: once it is fixed, add this ${where} so bin/server starts ${names.endpoint}:`
        : `config/runtime.exs never reads PHX_SERVER, so bin/server will not start ${names.endpoint}: add this ${where}:`;
      advice.push({ setting: 'PHX_SERVER', message, snippet: renderServerBlock(names) });
    }
    if (!readsEnv(root, 'PHX_HOST')) {
      advice.push({
        setting: 'PHX_HOST',
        message: `config/runtime.exs never reads PHX_HOST, so ${names.endpoint} cannot be told its public host at start: add this:`,
        snippet: renderHostSnippet(names),
      });
    }
    if (facts.ectoAdapters.some((a) => SOCKET_ADAPTERS.includes(a)) && !readsEnv(root, 'ECTO_IPV6')) {
      const repos = chooseRepos(facts, findRepos(root, facts.app));
      advice.push({
        setting: 'ECTO_IPV6',
        message: `config/runtime.exs never reads ECTO_IPV6, so ${repos.map((r) => r.module).join(' and ')} cannot reach a database over IPv6 (as on Fly.io's private network): add this:`,
        snippet: renderIpv6Snippet(repos),
      });
    }
    return advice;
  } finally {
    tree.delete();
  }
}

function missingFileAdvice(facts: RuntimeFacts, names: EndpointNames): RuntimeAdvice {
  if (facts.releasesExs) {
    return {
      setting: 'PHX_SERVER',
      message: `config/releases.exs configures this release and config/runtime.exs does not exist: add this to config/releases.exs so bin/server starts ${names.endpoint}:`,
      snippet: renderServerBlock(names),
    };
  }
  return {
    setting: 'PHX_SERVER',
    message: `config/runtime.exs does not exist, so bin/server will not start ${names.endpoint}: create it with this content:`,
    snippet: renderMinimalRuntime(names).trimEnd(),
  };
}

/** The repos the file configures, else the conventional `<Namespace>.Repo`. */
function chooseRepos(facts: RuntimeFacts, found: RepoConfig[]): RepoConfig[] {
  return found.length > 0 ? found : [defaultRepo(facts)];
}
