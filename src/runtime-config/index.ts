// The config/runtime.exs step: how the endpoints' `server:` is decided, the PHX_SERVER patch, and
// advice on what else a release needs from the file.
import type { Target } from '../target.js';
import type { RuntimeInput } from './snippets.js';

export { checkRuntimeConfig } from './checks.js';
export { planRuntimeConfig, type RuntimePlan } from './patch.js';
export { renderServerBlock, type RuntimeInput } from './snippets.js';
export type { ServerEnv } from './server.js';

const SOCKET_ADAPTERS = ['postgrex', 'myxql', 'tds'];

/** What the runtime.exs step needs from the target, for the release the run sets up. */
export function runtimeInputOf(target: Target, ecto: boolean, runtimeExs = target.facts.runtimeExs): RuntimeInput {
  // The owner's repos first: its config is the one bin/migrate reads.
  const apps = [target.owner, ...target.apps.filter((a) => a !== target.owner)];
  const repos = ecto ? apps.flatMap((a) => a.repos.map((module) => ({ app: a.app, module }))) : [];
  return {
    runtimeExs,
    releasesExs: target.facts.releasesExs,
    phoenix: target.phoenix,
    endpoints: target.endpoints.map((e) => ({ module: e.module, otpApp: e.otpApp })),
    repos: repos.filter((r, i) => repos.findIndex((o) => o.module === r.module) === i),
    socketAdapter: target.facts.ectoAdapters.some((a) => SOCKET_ADAPTERS.includes(a)),
  };
}
