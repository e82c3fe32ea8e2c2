// Runs the built CLI on a fresh copy of examples/hello (a Phoenix project), so a newcomer sees
// what create-release writes and prints without touching the repository.
// Usage: npm run example [-- extra create-release flags]   (default flags: --yes --docker --offline)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fse from 'fs-extra';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const project = path.join(mkdtempSync(path.join(os.tmpdir(), 'create-release-example-')), 'hello');
fse.copySync(path.join(repo, 'examples', 'hello'), project);

const flags = process.argv.slice(2);
const args = [path.join(repo, 'dist', 'cli.js'), project, ...(flags.length ? flags : ['--yes', '--docker', '--offline'])];
console.log(`$ create-release ${args.slice(1).join(' ')}\n`);
const { status } = spawnSync(process.execPath, args, { stdio: 'inherit' });

const listing = readdirSync(project, { recursive: true, encoding: 'utf8' })
  .filter((rel) => !statSync(path.join(project, rel)).isDirectory())
  .sort();
console.log(`\nThe example project is now at ${project}:\n  ${listing.join('\n  ')}`);
process.exitCode = status ?? 1;
