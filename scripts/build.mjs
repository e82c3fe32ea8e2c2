// Bundles the CLI into one ESM file with no runtime dependencies, next to the assets it loads:
// <out>/cli.js, <out>/templates/**, <out>/*.wasm. Usage: node scripts/build.mjs [outDir=dist]
import { build } from 'esbuild';
import { rm, mkdir, copyFile, readFile, readdir, writeFile } from 'node:fs/promises';
import fse from 'fs-extra';
import Handlebars from 'handlebars';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildPackage(outDir = path.join(repo, 'dist'), { minify = true } = {}) {
  const pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8'));
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build({
    absWorkingDir: repo,
    entryPoints: ['src/cli.ts'],
    outdir: outDir,
    bundle: true,
    // Code only some runs need (inquirer for prompts, undici for proxies) goes into chunks that
    // are loaded on demand, so a --yes run does not parse them at start-up.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify,
    legalComments: 'none',
    define: { PACKAGE_VERSION: JSON.stringify(pkg.version) },
    // Bundled CommonJS dependencies call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    plugins: [precompileTemplates],
    logLevel: 'warning',
  });
  // The same generators for plain plop users: `plop --plopfile <pkg>/dist/plopfile.js --dest <app>`.
  await build({
    absWorkingDir: repo,
    entryPoints: ['generators/plopfile.ts'],
    outfile: path.join(outDir, 'plopfile.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const cli = path.join(outDir, 'cli.js');
  await writeFile(cli, `#!/usr/bin/env node\n${await readFile(cli, 'utf8')}`);
  await fse.copy(path.join(repo, 'templates'), path.join(outDir, 'templates'));
  await copyFile(path.join(repo, 'node_modules/tree-sitter-elixir/tree-sitter-elixir.wasm'), path.join(outDir, 'tree-sitter-elixir.wasm'));
  await copyFile(path.join(repo, 'node_modules/web-tree-sitter/web-tree-sitter.wasm'), path.join(outDir, 'web-tree-sitter.wasm'));
}

// node scripts/build.mjs [outDir] [--no-minify]   (--no-minify: readable names for profiling)
// The same options as src/render.ts uses when it compiles at run time.
export const TEMPLATE_OPTIONS = { noEscape: true, strict: true };

/** Replaces src/precompiled-templates.ts with `{ "<path under templates/>": <precompiled spec> }`. */
const precompileTemplates = {
  name: 'precompile-templates',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]precompiled-templates\.ts$/ }, async () => {
      const dir = path.join(repo, 'templates');
      const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
      const entries = await Promise.all(
        files.map(async (e) => {
          const full = path.join(e.parentPath, e.name);
          const key = path.relative(dir, full).split(path.sep).join('/');
          const spec = Handlebars.precompile(await readFile(full, 'utf8'), TEMPLATE_OPTIONS);
          return `${JSON.stringify(key)}: ${spec}`;
        }),
      );
      return { contents: `export const precompiledTemplates = {\n${entries.join(',\n')}\n};\n`, loader: 'js' };
    });
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outDir = args.find((a) => !a.startsWith('--'));
  await buildPackage(outDir ? path.resolve(outDir) : undefined, { minify: !args.includes('--no-minify') });
}
