// A Stryker ignorer: leave `import('./x.js')` alone. Its specifier mutated to `import("")` makes
// vite resolve the project root as a module while it instruments, and the whole run crashes
// before the first mutant; a wrong specifier is caught by tsc and every test anyway.
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'dynamic-import', {
    shouldIgnore(path) {
      const node = path.node;
      const dynamic = node.type === 'ImportExpression' || (node.type === 'CallExpression' && node.callee.type === 'Import');
      return dynamic ? 'a dynamic import specifier: vite resolves it while instrumenting' : undefined;
    },
  }),
];
