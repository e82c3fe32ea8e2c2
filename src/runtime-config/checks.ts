import { firstErrorNode, parseElixir } from '../inspect/elixir-parser.js';
import { describeSyntaxError } from '../inspect/source-file.js';
import type { RuntimeAdvice } from '../types.js';
import { findConfigImport, readsEnv } from './find.js';
import { analyzeServer } from './server.js';
import {
  listNames,
  renderHostSnippet,
  renderIpv6Snippet,
  renderMinimalRuntime,
  renderServerBlock,
  type RuntimeInput,
} from './snippets.js';

/**
 * What config/runtime.exs lacks for a release of a Phoenix app, each with the snippet that adds
 * it. A setting counts as present only when code reads it: a comment or a string does not count;
 * and a `server:` block counts only if no later setting overrides it.
 */
export async function checkRuntimeConfig(input: RuntimeInput): Promise<RuntimeAdvice[]> {
  if (input.endpoints.length === 0) return [];
  const names = listNames(input.endpoints.map((e) => e.module));
  if (input.runtimeExs === null) return [missingFileAdvice(input, names)];

  const tree = await parseElixir(input.runtimeExs);
  try {
    const root = tree.rootNode;
    const advice: RuntimeAdvice[] = [];
    const broken = firstErrorNode(root);
    const where = findConfigImport(root) ? 'after `import Config`' : 'at the top, after an `import Config` line';
    if (broken) {
      const at = describeSyntaxError(root, input.runtimeExs);
      advice.push({
        setting: 'PHX_SERVER',
        message: `config/runtime.exs does not parse (line ${at.line}, column ${at.column}${at.near}), so create-release left it unchanged: once it is fixed, add this ${where} so bin/server starts ${names}:`,
        snippet: renderServerBlock(input.endpoints),
      });
    } else {
      const settings = input.endpoints.map((endpoint) => ({ endpoint, setting: analyzeServer(root, endpoint) }));
      const unset = settings.filter((s) => s.setting.kind === 'unset').map((s) => s.endpoint);
      const overridden = settings.filter((s) => s.setting.kind === 'overridden');
      if (overridden.length > 0) {
        const lines = overridden.map((s) => (s.setting.kind === 'overridden' ? s.setting.line : 0));
        advice.push({
          setting: 'PHX_SERVER',
          message: `config/runtime.exs sets server: for ${listNames(overridden.map((s) => s.endpoint.module))} at line ${lines.join(', ')}, which overrides any PHX_SERVER block above it: add this after that line so bin/server starts ${names}:`,
          snippet: renderServerBlock([...overridden.map((s) => s.endpoint), ...unset]),
        });
      } else if (unset.length > 0) {
        advice.push({
          setting: 'PHX_SERVER',
          message: `config/runtime.exs never sets server: for ${listNames(unset.map((e) => e.module))}, so bin/server will not start it: add this ${where}:`,
          snippet: renderServerBlock(unset),
        });
      }
    }
    const main = input.endpoints[0]!;
    if (!readsEnv(root, 'PHX_HOST')) {
      advice.push({
        setting: 'PHX_HOST',
        message: `config/runtime.exs never reads PHX_HOST, so ${main.module} cannot be told its public host at start: add this:`,
        snippet: renderHostSnippet(main),
      });
    }
    if (input.socketAdapter && input.repos.length > 0 && !readsEnv(root, 'ECTO_IPV6')) {
      advice.push({
        setting: 'ECTO_IPV6',
        message: `config/runtime.exs never reads ECTO_IPV6, so ${listNames(input.repos.map((r) => r.module))} cannot reach a database over IPv6 (as on Fly.io's private network): add this:`,
        snippet: renderIpv6Snippet(input.repos),
      });
    }
    return advice;
  } finally {
    tree.delete();
  }
}

function missingFileAdvice(input: RuntimeInput, names: string): RuntimeAdvice {
  if (input.releasesExs) {
    return {
      setting: 'PHX_SERVER',
      message: `config/releases.exs configures this release and config/runtime.exs does not exist: add this to config/releases.exs so bin/server starts ${names}:`,
      snippet: renderServerBlock(input.endpoints),
    };
  }
  return {
    setting: 'PHX_SERVER',
    message: `config/runtime.exs does not exist, so bin/server will not start ${names}: create it with this content:`,
    snippet: renderMinimalRuntime(input.endpoints).trimEnd(),
  };
}
