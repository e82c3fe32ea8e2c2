import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

// Installed, the assets sit in dist/ beside cli.js (this code may be in dist/ or a chunk in
// dist/chunks/); from source (tests), templates/ is at the top of the repo and the .wasm files
// are in node_modules.
const here = path.dirname(fileURLToPath(import.meta.url));
const distDir = [here, path.dirname(here)].find((dir) => existsSync(path.join(dir, 'tree-sitter-elixir.wasm')));

export function templatesDir(): string {
  return distDir ? path.join(distDir, 'templates') : path.resolve(here, '..', 'templates');
}

export function wasmPath(name: 'tree-sitter-elixir.wasm' | 'web-tree-sitter.wasm'): string {
  if (distDir) return path.join(distDir, name);
  const pkg = name === 'tree-sitter-elixir.wasm' ? 'tree-sitter-elixir' : 'web-tree-sitter';
  return path.resolve(here, '..', 'node_modules', pkg, name);
}
