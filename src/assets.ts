import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

// In the bundle, assets sit next to dist/cli.js; from source (tests), they sit in the repo:
// templates/ at the top, the .wasm files in node_modules.
const here = path.dirname(fileURLToPath(import.meta.url));
const bundled = existsSync(path.join(here, 'templates'));

export function templatesDir(): string {
  return bundled ? path.join(here, 'templates') : path.resolve(here, '..', 'templates');
}

export function wasmPath(name: 'tree-sitter-elixir.wasm' | 'web-tree-sitter.wasm'): string {
  if (bundled) return path.join(here, name);
  const pkg = name === 'tree-sitter-elixir.wasm' ? 'tree-sitter-elixir' : 'web-tree-sitter';
  return path.resolve(here, '..', 'node_modules', pkg, name);
}
