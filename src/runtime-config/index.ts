// The config/runtime.exs step: advice on what a release needs from it, and the PHX_SERVER patch.
export { checkRuntimeConfig } from './checks.js';
export { patchRuntimeConfig } from './patch.js';
export { renderServerBlock, type EndpointNames, type RuntimeFacts } from './snippets.js';
