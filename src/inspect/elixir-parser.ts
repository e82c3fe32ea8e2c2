import v8 from 'node:v8';
import type { Node, Parser as ParserType, Tree } from 'web-tree-sitter';
import { wasmPath } from '../assets.js';

export type { Node, Tree };

let parserPromise: Promise<ParserType> | undefined;

/** The Elixir parser (tree-sitter-elixir compiled to WASM), loaded once per process. */
function loadParser(): Promise<ParserType> {
  parserPromise ??= (async () => {
    // Optimising the grammar's WASM costs ~0.3 s at start-up and buys nothing for a few small files.
    v8.setFlagsFromString('--liftoff-only');
    const { Parser, Language } = await import('web-tree-sitter');
    await Parser.init({ locateFile: () => wasmPath('web-tree-sitter.wasm') });
    const elixir = await Language.load(wasmPath('tree-sitter-elixir.wasm'));
    const parser = new Parser();
    parser.setLanguage(elixir);
    return parser;
  })();
  return parserPromise;
}

/**
 * Starts loading the grammar now, so its WASM compiles while the caller does other work (the
 * CLI parses argv meanwhile). A failure is reported by the first real parse, not here.
 */
export function preloadElixirParser(): void {
  loadParser().catch(() => {});
}

/** Parses Elixir source. The tree may contain ERROR nodes: check `tree.rootNode.hasError`. */
export async function parseElixir(source: string): Promise<Tree> {
  const parser = await loadParser();
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/** The first node with a syntax error, for a message that names the line. */
export function firstErrorNode(node: Node): Node | null {
  if (node.type === 'ERROR' || node.isMissing) return node;
  if (!node.hasError) return null;
  for (const child of node.children) {
    if (!child) continue;
    const found = firstErrorNode(child);
    if (found) return found;
  }
  return null;
}
